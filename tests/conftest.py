"""Shared test helpers."""

import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


def assert_gradcheck(errors, tol=1e-6):
    """Every relative error from ``gradcheck`` is below ``tol`` (message names the worst)."""
    worst = max(errors, key=errors.get)
    message = f"gradient check failed: {worst} has relative error {errors[worst]:.3g}"
    assert errors[worst] < tol, message
