"""Input checks at the engine boundary: clear errors, once, before any work."""

import warnings

import numpy as np
import pytest

from glassnet.nn.checks import check_features


def test_finiteness_check_catches_nan_and_inf_but_not_an_overflowing_sum():
    big = np.full((4, 3), 3e38, np.float32)  # every entry finite, their float32 sum is inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_features(big, "X", 3, np.float32) is big  # accepted, no copy, no warning
    for bad in (np.nan, np.inf, -np.inf):
        X = np.ones((4, 3), np.float32)
        X[2, 1] = bad
        with pytest.raises(ValueError, match=r"X contains NaN or infinity \(first at row 2, "
                                             r"column 1\)"):
            check_features(X, "X", 3, np.float32)
