"""Bounds the data path checks before it allocates: the size of the input matrix, values that
overflow the network's dtype, and how much of a long list a message or summary shows."""

from __future__ import annotations

import numpy as np

from ..errors import DataError, shorten
from .columns import column_names

__all__ = ["MAX_INPUT_BYTES", "check_finite_features", "check_input_size", "listed"]

#: the largest input matrix (rows x features x itemsize) a preprocessor builds, in bytes
MAX_INPUT_BYTES = 512 * 2**20


def check_input_size(n_rows, columns, dtype):
    """Raise ``DataError`` when ``n_rows`` rows of the fitted ``columns`` would make an input
    matrix over ``MAX_INPUT_BYTES``, naming the widest column (typically a one-hot encoding of
    thousands of categories) and what to do about it; computed before anything is encoded."""
    widths = [(len(column_names(spec)), spec["name"]) for spec in columns]
    width = sum(w for w, _ in widths)
    need = int(n_rows) * width * np.dtype(dtype).itemsize
    if need <= MAX_INPUT_BYTES:
        return
    widest, name = max(widths)
    why = (f"; column {shorten(name, 60)!r} alone makes {widest:,} (one per category): leave it "
           f"out (--drop) or mark it as an identifier (--role COL=id)"
           if widest > width / 2 else "")
    raise DataError(
        f"the inputs would take {need / 2**30:.2f} GiB ({n_rows:,} rows x {width:,} features), "
        f"over the limit of {MAX_INPUT_BYTES / 2**30:.2f} GiB{why}; for text, a sparse bag of "
        "words (glassnet.data.text) keeps only the non-zero entries")


def check_finite_features(X, index, names, dtype):
    """Raise ``DataError`` naming the feature and the data row where ``X`` is not finite: a
    value beyond the dtype's range (1e39 for float32) after scaling."""
    with np.errstate(over="ignore", invalid="ignore"):
        if X.size == 0 or np.isfinite(np.sum(X)) or np.isfinite(X).all():
            return
    row, col = np.argwhere(~np.isfinite(X))[0]
    raise DataError(
        f"feature {shorten(names[col], 60)!r} of data row {index[row]} overflows {dtype} after "
        f"scaling (the column holds a value beyond about {np.finfo(dtype).max:.1e} times its "
        "training spread); rescale the column, or train with --dtype float64")


def listed(items, limit=12):
    """``a, b, c, ... and 988 more``: at most ``limit`` items, each shortened."""
    items = list(items)
    shown_items = ", ".join(shorten(i, 60) for i in items[:limit])
    return shown_items + (f" ... and {len(items) - limit:,} more" if len(items) > limit else "")
