
import numpy as np
import pytest

import glassnet.nn as gn
from glassnet.datasets import make_xor
from glassnet.nn import (
    Adam,
    BinaryCrossEntropy,
    Dense,
    ReLU,
    Sequential,
    Sigmoid,
    mlp,
)


def test_from_sizes_structure_and_default_init():
    m = Sequential.from_sizes([5, 4, 3, 2], "relu", "softmax", seed=0)
    kinds = [type(layer).__name__ for layer in m.layers]
    assert kinds == ["Dense", "ReLU", "Dense", "ReLU", "Dense", "Softmax"]
    assert m.n_params == 5 * 4 + 4 + 4 * 3 + 3 + 3 * 2 + 2
    big = Sequential.from_sizes([2000, 500], "relu", None, seed=0)
    # Last layer (no ReLU after it) gets Glorot: U(+-sqrt(6 / 2500)) bounds
    assert np.abs(big.layers[0].params["W"]).max() <= np.sqrt(6 / 2500)
    he = Sequential([Dense(2000, 500), ReLU()], seed=0).layers[0].params["W"]
    assert he.std() == pytest.approx(np.sqrt(2 / 2000), rel=0.02)


def test_summary_warns_when_parameters_outnumber_samples():
    m = mlp([10, 50, 1], seed=0)
    text = m.summary(n_samples=100)
    assert "601" in text and "WARNING" in text
    assert "WARNING" not in m.summary(n_samples=10_000)


def test_set_weights_keeps_arrays_in_place():
    m = mlp([2, 3, 1], seed=0)
    ids = [id(p) for p, _ in m.parameters()]
    w = m.get_weights()
    w[0]["W"] += 1
    m.set_weights(w)
    assert [id(p) for p, _ in m.parameters()] == ids
    np.testing.assert_array_equal(m.layers[0].params["W"], w[0]["W"])
    with pytest.raises(ValueError, match="shape"):
        m.set_weights([{"W": np.zeros((5, 5)), "b": np.zeros(3)}, {}, w[2]])


# ------------------------------------------------------------------ bad input, before training


def test_non_layer_rejected():
    with pytest.raises(TypeError, match=r"layers\[1\]"):
        Sequential([Dense(2, 2), "relu"])


def test_train_step_alone_learns_xor_and_layers_are_callable():
    X, y = make_xor()
    model = Sequential([Dense(2, 4), gn_tanh(), Dense(4, 1), Sigmoid()], seed=0)
    loss, opt = BinaryCrossEntropy(), Adam(lr=0.05)
    first = model.train_step(X, y, loss, opt)
    for _ in range(500):
        last = model.train_step(X, y, loss, opt)
    assert last < first / 10
    assert np.array_equal(model.predict_classes(X), y)
    layer = Dense(3, 2, rng=0)
    np.testing.assert_array_equal(layer(np.ones((1, 3))), layer.forward(np.ones((1, 3))))


def gn_tanh():
    from glassnet.nn import Tanh

    return Tanh()


def _data(n=50, d=6, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)).astype(np.float32)
    return X, rng.integers(0, classes, n)


def _model(activation="relu", seed=3, dtype="float32"):
    return gn.Sequential([gn.Dense(6, 8), gn.get_activation(activation), gn.Dense(8, 5),
                          gn.Tanh(), gn.Dense(5, 3), gn.Softmax()], seed=seed, dtype=dtype)


def test_outputs_kept_across_calls_stay_valid():
    X, y = _data()
    model = _model()
    model.fit(X, y, optimizer=gn.SGD(lr=0.1), epochs=1, batch_size=16, verbose=0)
    for training in (False, True):
        first = model.forward(X[:16], training)
        kept = first.copy()
        model.forward(X[16:32], training)
        np.testing.assert_array_equal(first, kept)
    p1 = model.predict(X[:20])
    kept = p1.copy()
    model.predict(X[20:40])
    np.testing.assert_array_equal(p1, kept)
