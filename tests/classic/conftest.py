"""Shared fixtures for the lesson tests."""

from pathlib import Path

import numpy as np
import pytest

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True, scope="session")
def _one_blas_thread():
    """One BLAS thread: on a busy 2-core machine OpenBLAS's threads fight over the lessons'
    small matrices and make them several times slower; the numbers are unaffected."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture(scope="session")
def check_png():
    """A function asserting that ``path`` is a non-empty PNG matplotlib can read back."""

    def check(path):
        path = Path(path)
        assert path.is_file(), f"{path} was not written"
        assert path.suffix == ".png"
        assert path.read_bytes()[:8] == PNG_SIGNATURE
        import matplotlib.image

        img = matplotlib.image.imread(path)
        assert img.ndim == 3 and img.shape[0] > 50 and img.shape[1] > 50
        assert float(np.std(img)) > 0.01, "the image is blank"
        return img

    return check
