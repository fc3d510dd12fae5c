import numpy as np
import pytest
import scipy.sparse as sp
from tests.conftest import assert_gradcheck

from glassnet.nn import (
    Dense,
    Dropout,
    Identity,
    LeakyReLU,
    MSELoss,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Step,
    Tanh,
    gradcheck,
)

ACTIVATIONS = [Sigmoid(), Tanh(), ReLU(), LeakyReLU(0.1), Softmax(), Identity()]


def test_dense_shapes_and_contract(rng):
    layer = Dense(3, 5, rng=0)
    assert layer.params["W"].shape == (3, 5) and layer.params["b"].shape == (5,)
    assert layer.params["W"].dtype == np.float32
    x = rng.normal(size=(4, 3)).astype(np.float32)
    y = layer.forward(x)
    np.testing.assert_allclose(y, x @ layer.params["W"] + layer.params["b"], rtol=1e-6)
    W_grad_id = id(layer.grads["W"])
    g = rng.normal(size=(4, 5)).astype(np.float32)
    dx = layer.backward(g)
    assert id(layer.grads["W"]) == W_grad_id  # written in place: optimizers may hold it
    np.testing.assert_allclose(layer.grads["W"], x.T @ g, rtol=1e-5)
    np.testing.assert_allclose(layer.grads["b"], g.sum(0), rtol=1e-5)
    np.testing.assert_allclose(dx, g @ layer.params["W"].T, rtol=1e-5)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_dense_rejects_bad_sizes(bad):
    with pytest.raises(ValueError, match="n_in"):
        Dense(bad, 2)


@pytest.mark.parametrize("n", [1, 7])
@pytest.mark.parametrize("bias", [True, False])
def test_dense_gradcheck(rng, n, bias):
    layer = Dense(4, 3, bias=bias, rng=1)
    X = rng.normal(size=(n, 4))
    y = rng.normal(size=(n, 3))
    assert_gradcheck(gradcheck(layer, MSELoss(), X, y))


@pytest.mark.parametrize("act", ACTIVATIONS, ids=lambda a: type(a).__name__)
@pytest.mark.parametrize("n", [1, 7])
def test_activation_gradcheck(rng, act, n):
    X = rng.normal(size=(n, 5)) * 2
    X[np.abs(X) < 1e-3] = 0.5  # keep ReLU/LeakyReLU away from the kink at 0
    y = rng.normal(size=(n, 5))
    assert_gradcheck(gradcheck(act, MSELoss(), X, y))


def test_dense_sparse_input_matches_dense(rng):
    dense_x = rng.random((6, 8)) * (rng.random((6, 8)) < 0.3)
    sparse_x = sp.csr_matrix(dense_x.astype(np.float32))
    a, b = Dense(8, 3, rng=2), Dense(8, 3, rng=2)
    g = rng.normal(size=(6, 3)).astype(np.float32)
    np.testing.assert_allclose(a.forward(sparse_x), b.forward(dense_x.astype(np.float32)),
                               rtol=1e-5)
    a.backward(g)
    b.backward(g)
    np.testing.assert_allclose(a.grads["W"], b.grads["W"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(a.grads["b"], b.grads["b"], rtol=1e-5)


def test_dropout_inverted_scaling_and_inference_identity(rng):
    layer = Dropout(0.25, rng=0)
    x = np.ones((2000, 50), dtype=np.float32)
    np.testing.assert_array_equal(layer.forward(x, training=False), x)
    y = layer.forward(x, training=True)
    kept = y != 0
    assert 0.72 < kept.mean() < 0.78
    np.testing.assert_allclose(y[kept], 1 / 0.75, rtol=1e-6)
    assert abs(y.mean() - 1) < 0.02  # inverted dropout keeps the expected activation
    g = np.ones_like(x)
    np.testing.assert_array_equal(layer.backward(g), y)  # same mask, same scale


def test_dropout_gradcheck_with_fixed_mask(rng):
    model = Sequential([Dense(4, 6), Tanh(), Dropout(0.3), Dense(6, 2)], seed=3)
    X, y = rng.normal(size=(7, 4)), rng.normal(size=(7, 2))
    errors = gradcheck(model, MSELoss(), X, y, training=True)
    assert_gradcheck(errors)


def test_dropout_mask_comes_from_model_generator(rng):
    X = np.ones((5, 10))
    m1 = Sequential([Dropout(0.5)], seed=7)
    m2 = Sequential([Dropout(0.5)], seed=7)
    np.testing.assert_array_equal(m1.forward(X, training=True), m2.forward(X, training=True))
    assert m1.layers[0].rng is m1.rng


def test_dropout_rejects_bad_p():
    with pytest.raises(ValueError, match="p must be"):
        Dropout(1.0)


def test_step_forward_and_backward_error():
    s = Step()
    np.testing.assert_array_equal(s.forward(np.array([[-1.0, 0.0, 2.0]])), [[0, 1, 1]])
    with pytest.raises(RuntimeError, match="cannot backpropagate through Step"):
        s.backward(np.ones((1, 3)))


def test_softmax_rows_sum_to_one(rng):
    y = Softmax().forward(rng.normal(size=(4, 6)) * 100)
    np.testing.assert_allclose(y.sum(axis=1), 1)


def test_sparse_backward_writes_only_used_rows_and_stays_exact(rng):
    """Consecutive sparse batches with different words, and a dense batch between them: the
    weight gradient always equals the dense x.T @ g (stale rows are cleared)."""
    layer = Dense(50, 4, rng=0, dtype=np.float64)
    for density in (0.05, 0.2, None, 0.02, 0.1):
        x = rng.random((3, 50)) * (rng.random((3, 50)) < (density or 1.0))
        g = rng.normal(size=(3, 4))
        layer.forward(x if density is None else sp.csr_matrix(x))
        layer.backward(g)
        np.testing.assert_allclose(layer.grads["W"], x.T @ g, atol=1e-12)
        if density is None:
            assert layer.grad_rows is None
        else:
            np.testing.assert_array_equal(layer.grad_rows, np.flatnonzero(x.any(axis=0)))


def test_sparse_backward_accepts_csc_input(rng):
    x = rng.random((4, 6)) * (rng.random((4, 6)) < 0.4)
    g = rng.normal(size=(4, 2))
    layer = Dense(6, 2, rng=0, dtype=np.float64)
    layer.forward(sp.csc_matrix(x))
    layer.backward(g)
    np.testing.assert_allclose(layer.grads["W"], x.T @ g, atol=1e-12)
