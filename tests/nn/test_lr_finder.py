"""The learning-rate range test: a suggestion below the rate where training blows up, and a
model (and optimizer) left exactly as they were."""

import copy

import numpy as np
import pytest

import glassnet.nn as gn
from glassnet.nn.lr_finder import LRFinder, suggest


def data(n=512, seed=0, classify=True):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 5))
    z = X @ np.array([1.0, -2.0, 0.5, 0.0, 1.5])
    return X, (z > 0).astype(int) if classify else z + 0.1 * rng.normal(size=n)


def test_the_suggestion_lies_below_the_divergence_and_trains_well():
    X, y = data(classify=False)
    model = gn.mlp([5, 16, 1], "relu", None, seed=0)
    result = model.lr_find(X, y, optimizer=gn.SGD(0.1), start_lr=1e-6, end_lr=100.0,
                           num_it=120, batch_size=32)
    assert result.diverged_lr is not None, "plain SGD on MSE should blow up by lr = 100"
    assert len(result.lrs) < 120  # it stopped there
    assert result.suggestion < result.diverged_lr and result.lr_min < result.diverged_lr
    # the rates grew exponentially, batch after batch
    ratios = result.lrs[1:] / result.lrs[:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-9)
    # where the suggestion lies, the loss is falling
    at = int(np.searchsorted(result.lrs, result.suggestion))
    assert 0 < at and result.losses[at + 1] < result.losses[at - 1]

    # and it trains: five epochs at the suggestion beat five at the start rate
    def final_loss(lr):
        m = gn.mlp([5, 16, 1], "relu", None, seed=0)
        return m.fit(X, y, optimizer=gn.SGD(lr), epochs=5, batch_size=32,
                     verbose=0).history["loss"][-1]

    assert final_loss(result.suggestion) < 0.2 * final_loss(1e-6)
    fig = result.plot()
    assert fig.axes[0].get_xscale() == "log"


def test_the_model_and_the_optimizer_are_unchanged_afterwards():
    X, y = data()
    model = gn.mlp([5, 16, 8, 1], "tanh", "sigmoid", seed=3)
    optimizer = gn.Adam(0.01)
    model.fit(X, y, optimizer=optimizer, epochs=2, batch_size=64, verbose=0)  # Adam has state
    twin, twin_optimizer = copy.deepcopy(model), copy.deepcopy(optimizer)
    weights, rng_state = model.get_weights(), copy.deepcopy(model.rng.bit_generator.state)
    moments = [{k: v.copy() for k, v in s.items()} for s in optimizer.state]
    history = model.history_

    model.lr_find(X, y, optimizer=optimizer, end_lr=50.0, num_it=60)

    for before, after in zip(weights, model.get_weights()):
        for key in before:
            np.testing.assert_array_equal(after[key], before[key])
    assert model.rng.bit_generator.state == rng_state
    assert model.history_ is history
    assert optimizer.lr == 0.01 and optimizer.t == twin_optimizer.t
    for before, after in zip(moments, optimizer.state):
        for key in before:
            np.testing.assert_array_equal(after[key], before[key])
    # so training on gives bitwise what it gives without the range test
    a = model.fit(X, y, optimizer=optimizer, epochs=2, batch_size=64, verbose=0)
    b = twin.fit(X, y, optimizer=twin_optimizer, epochs=2, batch_size=64, verbose=0)
    assert a.history == b.history


def test_the_finder_stops_fit_at_num_it_batches_mid_epoch():
    X, y = data(200)
    model = gn.mlp([5, 4, 1], "relu", "sigmoid", seed=0)
    optimizer = gn.SGD(0.1)
    finder = LRFinder(optimizer, 1e-4, 1e-2, num_it=9, diverge=1e9)
    model.fit(X, y, optimizer=optimizer, epochs=3, batch_size=20, callbacks=[finder],
              verbose=0)
    assert len(finder.lrs) == 9 and len(model.history_.epoch) == 1  # stopped in epoch 1
    assert finder.lrs[0] == pytest.approx(1e-4) and finder.lrs[-1] == pytest.approx(1e-2)


def test_suggest_picks_the_steepest_fall_before_the_minimum():
    lrs = np.logspace(-5, 0, 11)
    losses = np.array([1.0, 1.0, 0.99, 0.95, 0.6, 0.3, 0.25, 0.24, 0.5, 2.0, 9.0])
    steepest, lr_min = suggest(lrs, losses)
    assert steepest == lrs[4] and lr_min == pytest.approx(lrs[7] / 10)
