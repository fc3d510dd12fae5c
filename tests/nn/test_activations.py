import numpy as np
import pytest
from tests.conftest import assert_gradcheck

from glassnet.nn import (
    Dense,
    Identity,
    LeakyReLU,
    MSELoss,
    ReLU,
    Sigmoid,
    Softmax,
    Step,
    Tanh,
    gradcheck,
)
from glassnet.nn import functional as F

ACTIVATIONS = [Sigmoid(), Tanh(), ReLU(), LeakyReLU(0.1), Softmax(), Identity()]

#: inputs at +-1000, where a naive exp overflows
EXTREME = np.array([[-1000.0, 0.0, 1000.0], [1000.0, 1000.0, -1000.0]])


def test_dense_shapes_and_contract(rng):
    layer = Dense(3, 5, rng=0)
    assert layer.params["W"].shape == (3, 5) and layer.params["b"].shape == (5,)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.usefixtures("numpy_errors")
def test_activations_forward_backward_finite_at_1000(dtype):
    x = EXTREME.astype(dtype)
    for layer in (Sigmoid(), Tanh(), ReLU(), LeakyReLU(0.1), Softmax()):
        y = layer.forward(x)
        g = layer.backward(np.ones_like(x))
        assert y.dtype == dtype and g.dtype == dtype
        assert np.all(np.isfinite(y)) and np.all(np.isfinite(g)), type(layer).__name__
    np.testing.assert_allclose(Softmax().forward(x), [[0, 0, 1], [0.5, 0.5, 0]], atol=1e-7)
    np.testing.assert_allclose(F.sigmoid(x)[0], [0, 0.5, 1])


@pytest.mark.parametrize("act", ACTIVATIONS, ids=lambda a: type(a).__name__)
@pytest.mark.parametrize("n", [1, 7])
def test_activation_gradcheck(rng, act, n):
    X = rng.normal(size=(n, 5)) * 2
    X[np.abs(X) < 1e-3] = 0.5  # keep ReLU/LeakyReLU away from the kink at 0
    y = rng.normal(size=(n, 5))
    assert_gradcheck(gradcheck(act, MSELoss(), X, y))


def test_step_forward_and_backward_error():
    s = Step()
    np.testing.assert_array_equal(s.forward(np.array([[-1.0, 0.0, 2.0]])), [[0, 1, 1]])
    with pytest.raises(RuntimeError, match="cannot backpropagate through Step"):
        s.backward(np.ones((1, 3)))


def test_softmax_rows_sum_to_one(rng):
    y = Softmax().forward(rng.normal(size=(4, 6)) * 100)
    np.testing.assert_allclose(y.sum(axis=1), 1)
