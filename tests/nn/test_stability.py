"""Numerical stability at extreme logits, with every NumPy warning turned into an error."""

import warnings

import numpy as np
import pytest

from glassnet.nn import (
    BinaryCrossEntropy,
    CrossEntropy,
    Dense,
    LeakyReLU,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
)
from glassnet.nn import functional as F

EXTREME = np.array([[-1000.0, 0.0, 1000.0], [1000.0, 1000.0, -1000.0]])


@pytest.fixture(autouse=True)
def numpy_warnings_are_errors():
    # Underflow to 0 (exp(-2000)) is exact enough and NumPy ignores it by default.
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activations_forward_backward_finite_at_1000(dtype):
    x = EXTREME.astype(dtype)
    for layer in (Sigmoid(), Tanh(), ReLU(), LeakyReLU(0.1), Softmax()):
        y = layer.forward(x)
        g = layer.backward(np.ones_like(x))
        assert y.dtype == dtype and g.dtype == dtype
        assert np.all(np.isfinite(y)) and np.all(np.isfinite(g)), type(layer).__name__
    np.testing.assert_allclose(Softmax().forward(x), [[0, 0, 1], [0.5, 0.5, 0]], atol=1e-7)
    np.testing.assert_allclose(F.sigmoid(x)[0], [0, 0.5, 1])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropy_at_1000_logits(dtype):
    z = EXTREME.astype(dtype)
    labels = np.array([2, 0])
    ce = CrossEntropy(from_logits=True)
    assert ce.forward(z, labels) == pytest.approx(np.log(2) / 2, rel=1e-5)
    assert np.all(np.isfinite(ce.backward()))
    assert ce.forward(z, np.array([0, 2])) == pytest.approx((2000 + 2000 + np.log(2)) / 2, rel=1e-5)
    bce = BinaryCrossEntropy(from_logits=True)
    zc = z[:, :1]
    assert bce.forward(zc, np.array([0.0, 1.0])) == pytest.approx(0.0, abs=1e-6)
    assert bce.forward(zc, np.array([1.0, 0.0])) == pytest.approx(1000.0, rel=1e-6)
    assert np.all(np.isfinite(bce.backward()))
    p = F.sigmoid(zc)  # exactly 0 and 1: the probability form clips instead of taking log(0)
    bce_p = BinaryCrossEntropy()
    value = bce_p.forward(p, np.array([1.0, 0.0]))
    assert np.isfinite(value) and value > 15
    assert np.all(np.isfinite(bce_p.backward()))


def test_training_step_at_saturation_is_finite():
    model = Sequential([Dense(3, 3), Softmax()], seed=0)
    model.layers[0].params["W"][...] = np.eye(3) * 1000
    X = np.eye(3)
    h = model.fit(X, np.array([1, 2, 0]), epochs=2, verbose=0)
    assert all(np.isfinite(h.history["loss"]))
