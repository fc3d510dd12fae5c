"""The 8x8 handwritten digits: 1,797 images of the digits 0-9, shipped as
``files/digits.csv.gz`` (the UCI "Optical Recognition of Handwritten Digits" test set, CC BY 4.0;
see ``files/NOTICE.md``).

Each image is an 8x8 grid of integers 0..16: 32x32 bitmaps of handwriting, each 4x4 block's
count of ink pixels. They were written by 13 people: the test half of the UCI set, whose 43
writers were split 30 for training and 13 for testing.
"""

from __future__ import annotations

import gzip

import numpy as np

from .lessons import data_path

__all__ = ["load_digits"]


def load_digits(dtype=np.float64, return_images=False):
    """X (1797, 64) of ``dtype`` (pixels 0..16, row by row) and labels y (1797,) int64 in 0..9.

    ``return_images=True`` also returns the images (1797, 8, 8): ``X`` is their flattening
    ``images.reshape(1797, 64)``.

    >>> X, y = load_digits()
    >>> X.shape, y.shape, int(X.max()), np.bincount(y).tolist()
    ((1797, 64), (1797,), 16, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    """
    with data_path("digits.csv.gz").open("rb") as raw, gzip.open(raw, "rt") as fh:
        table = np.loadtxt(fh, delimiter=",", dtype=np.int64)
    if table.shape != (1797, 65):
        raise ValueError(f"digits.csv.gz should hold 1797 rows of 65 numbers, got {table.shape}")
    X, y = table[:, :64].astype(dtype), table[:, 64]
    if return_images:
        return X, y, X.reshape(-1, 8, 8)
    return X, y
