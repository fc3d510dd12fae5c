"""``average_networks``: k networks as one network k times as wide that averages their outputs."""

import numpy as np
import pytest

import glassnet.nn as gn


def logits(model, X):
    """The output before the output activation (what average_networks averages)."""
    h = X
    layers = model.layers[:-1] if isinstance(model.layers[-1], (gn.Sigmoid, gn.Softmax)) \
        else model.layers
    for layer in layers:
        h = layer.forward(h, training=False)
    return h


@pytest.mark.parametrize("sizes, out", [
    ([5, 1], None), ([5, 7, 1], None), ([5, 7, 4, 3], None),
    ([5, 6, 3], "softmax"), ([5, 6, 2, 1], "sigmoid"),
])
def test_the_merged_network_outputs_the_members_mean(sizes, out):
    X = np.random.default_rng(0).normal(size=(40, 5))
    members = [gn.mlp(sizes, "tanh", out, seed=s, dtype="float64") for s in range(4)]
    merged = gn.average_networks(members)
    np.testing.assert_allclose(logits(merged, X), np.mean([logits(m, X) for m in members], 0),
                               rtol=1e-12, atol=1e-14)
    if out is None:  # regression: the prediction itself is the members' mean
        np.testing.assert_allclose(merged.predict(X),
                                   np.mean([m.predict(X) for m in members], 0), rtol=1e-12)
    hidden = [lay.n_out for lay in merged.layers if isinstance(lay, gn.Dense)][:-1]
    assert hidden == [4 * h for h in sizes[1:-1]]


def test_the_merged_network_is_an_ordinary_model_that_saves_and_loads(tmp_path):
    X = np.random.default_rng(1).normal(size=(10, 3)).astype(np.float32)
    y = np.arange(10) % 2
    members = [gn.mlp([3, 4, 2], "relu", "softmax", seed=s) for s in (0, 1)]
    for m in members:
        m.fit(X, y, loss=gn.CrossEntropy(), epochs=1, verbose=0)
    merged = gn.average_networks(members)
    assert isinstance(merged.loss_, gn.CrossEntropy)  # what the members trained with
    gn.save(merged, tmp_path / "m.npz")
    loaded = gn.load(tmp_path / "m.npz")[0]
    np.testing.assert_array_equal(loaded.predict(X), merged.predict(X))
    assert isinstance(loaded.loss_, gn.CrossEntropy)


def test_networks_of_different_layers_inputs_or_outputs_are_refused():
    for other in (gn.mlp([3, 4, 4, 1], seed=0), gn.mlp([2, 4, 1], seed=0),
                  gn.mlp([3, 4, 2], seed=0), gn.mlp([3, 4, 1], "tanh", seed=0)):
        with pytest.raises(ValueError, match="same layers, inputs and outputs"):
            gn.average_networks([gn.mlp([3, 4, 1], seed=0), other])
    with pytest.raises(ValueError, match="positive"):
        gn.average_networks([gn.mlp([3, 4, 1], seed=0)] * 2, weights=[1, 0])
    with pytest.raises(ValueError, match="at least one"):
        gn.average_networks([])


@pytest.mark.parametrize("sizes, act, out", [
    ([4, 6, 1], "relu", None), ([4, 6, 5, 3], "relu", "softmax"), ([4, 6, 1], "leaky_relu",
                                                                    "sigmoid"),
])
def test_a_linear_model_as_a_relu_network_computes_the_same(sizes, act, out):
    X = np.random.default_rng(2).normal(size=(30, 4))
    linear = gn.mlp([4, sizes[-1]], act, out, seed=3, dtype="float64")
    like = gn.mlp(sizes, act, out, seed=4, dtype="float64")
    lifted = gn.linear_as_relu(linear, like)
    np.testing.assert_allclose(logits(lifted, X), logits(linear, X), rtol=1e-12, atol=1e-12)
    # and it averages with networks like `like`, widths differing
    mixed = gn.average_networks([like, lifted], weights=[3, 1])
    np.testing.assert_allclose(logits(mixed, X), 0.75 * logits(like, X) + 0.25 * logits(
        linear, X), rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="ReLU"):
        gn.linear_as_relu(linear, gn.mlp(sizes, "tanh", out, seed=0))
