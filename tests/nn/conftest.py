"""Fixtures of the engine's tests."""

import warnings

import numpy as np
import pytest


@pytest.fixture
def numpy_errors():
    """Every NumPy floating-point warning raises (underflow to 0, exact enough, is allowed)."""
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        yield
