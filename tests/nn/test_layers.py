"""Dense, Identity and Dropout against their formulas; the layer contract and registry."""

import numpy as np
import pytest
import scipy.sparse as sp
from tests.conftest import assert_gradcheck

import glassnet.nn as gn
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


def test_sparse_backward_accepts_csc_input(rng):
    x = rng.random((4, 6)) * (rng.random((4, 6)) < 0.4)
    g = rng.normal(size=(4, 2))
    layer = Dense(6, 2, rng=0, dtype=np.float64)
    layer.forward(sp.csc_matrix(x))
    layer.backward(g)
    np.testing.assert_allclose(layer.grads["W"], x.T @ g, atol=1e-12)


def test_backward_outside_fit_leaves_the_callers_gradient_alone():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 5)).astype(np.float32)
    for layer in (gn.ReLU(), gn.Sigmoid(), gn.Tanh(), gn.Dense(5, 5)):
        layer.forward(x, training=True)
        g = rng.standard_normal((4, 5)).astype(np.float32)
        kept = g.copy()
        layer.backward(g)
        np.testing.assert_array_equal(g, kept)


def test_dense_bias_gradient_is_the_column_sum():
    rng = np.random.default_rng(2)
    layer = gn.Dense(3, 4, rng=0)
    for rows in (7, 2, 7):  # the cached ones vector serves a shorter batch, then a longer one
        layer.forward(rng.standard_normal((rows, 3)).astype(np.float32))
        g = rng.standard_normal((rows, 4)).astype(np.float32)
        layer.backward(g)
        np.testing.assert_allclose(layer.grads["b"], g.sum(axis=0), rtol=1e-6, atol=1e-6)


class ScaledTanh(gn.Layer):
    """y = s * tanh(x) with one learnable scale s: a layer of a user's own."""

    def __init__(self, scale=1.0):
        super().__init__()
        self.scale = float(scale)
        self.params["s"] = np.array([self.scale])
        self.grads["s"] = np.zeros(1)

    def reset_parameters(self, rng, dtype, init=None):
        self.params["s"] = np.array([self.scale], dtype=dtype)
        self.grads["s"] = np.zeros(1, dtype=dtype)

    def forward(self, x, training=False):
        self.t = np.tanh(x)
        return self.params["s"][0] * self.t

    def backward(self, grad_out):
        self.grads["s"][...] = np.sum(grad_out * self.t)  # dL/ds = sum g tanh(x)
        return grad_out * self.params["s"][0] * (1 - self.t ** 2)

    def get_config(self):
        return {"scale": self.scale}


def _scaled_tanh_model(seed=0):
    return gn.Sequential([Dense(2, 6), ScaledTanh(0.5), Dense(6, 1), Sigmoid()], seed=seed)


def test_a_user_layer_trains_in_fit_and_passes_gradcheck():
    from glassnet.datasets import make_moons

    X, y = make_moons(200, seed=0)
    model = _scaled_tanh_model()
    history = model.fit(X, y, optimizer=gn.Adam(0.05), epochs=60, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 2
    assert model.layers[1].params["s"][0] != 0.5  # the scale learned too
    assert model.evaluate(X, y)["accuracy"] > 0.85
    assert_gradcheck(gradcheck(model, gn.BinaryCrossEntropy(), X[:7], y[:7]))
    assert "ScaledTanh(scale=0.5)" in model.summary()


def test_a_user_layer_is_saved_and_loaded_once_registered(tmp_path):
    from glassnet.nn.layers import _LAYERS

    X = np.random.default_rng(1).standard_normal((5, 2))
    model = _scaled_tanh_model()
    model.layers[1].params["s"][...] = 1.7
    with pytest.raises(ValueError, match=r"ScaledTanh is not registered.*register_layer"):
        gn.save(model, tmp_path / "m.npz")
    assert not (tmp_path / "m.npz").exists()
    try:
        gn.register_layer(ScaledTanh)
        gn.save(model, tmp_path / "m.npz")
        loaded, _ = gn.load(tmp_path / "m.npz")
        assert isinstance(loaded.layers[1], ScaledTanh) and loaded.layers[1].params["s"][0] == 1.7
        np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
        with pytest.raises(ValueError, match="already registered"):
            gn.register_layer(type("ScaledTanh", (gn.Layer,), {}))
    finally:
        _LAYERS.pop("ScaledTanh", None)
    with pytest.raises(gn.ModelFileError, match=r"unknown layer type 'ScaledTanh'.*register"):
        gn.load(tmp_path / "m.npz")


def test_every_layer_is_callable_and_resets_by_the_same_signature():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((3, 4))
    for layer in (Dense(4, 4, rng=0), Identity(), Sigmoid(), Tanh(), ReLU(), LeakyReLU(), Softmax(),
                  Step(), Dropout(0.5)):
        np.testing.assert_array_equal(layer(x), layer.forward(x))
        layer.reset_parameters(np.random.default_rng(0), np.float64, init=None)
        assert all(p.dtype == np.float64 for p in layer.params.values())


def test_the_default_initializer_follows_the_activation_after_the_layer():
    he = gn.Sequential([Dense(2000, 500), Dropout(0.1), ReLU()], seed=0).layers[0].params["W"]
    assert he.std() == pytest.approx(np.sqrt(2 / 2000), rel=0.02)
    glorot = gn.Sequential([Dense(2000, 500), Tanh()], seed=0).layers[0].params["W"]
    assert np.abs(glorot).max() <= np.sqrt(6 / 2500)
    own = gn.Sequential([Dense(2000, 500, init="uniform"), ReLU()], seed=0).layers[0].params["W"]
    assert own.max() > 0.99  # the layer's own initializer wins over the default
