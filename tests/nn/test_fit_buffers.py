"""The speed mechanisms of fit (reused batch buffers, gathered rows, in-place activation
gradients) must give exactly what the plain public API gives, and never overwrite an array a
caller holds."""

import numpy as np
import pytest
import scipy.sparse as sp

import glassnet.nn as gn


def _data(n=50, d=6, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)).astype(np.float32)
    return X, rng.integers(0, classes, n)


def _model(activation="relu", seed=3, dtype="float32"):
    return gn.Sequential([gn.Dense(6, 8), gn.get_activation(activation), gn.Dense(8, 5),
                          gn.Tanh(), gn.Dense(5, 3), gn.Softmax()], seed=seed, dtype=dtype)


def _manual_fit(model, X, y, epochs, batch_size, lr, shuffle):
    """Reference training loop through the public forward/backward API (no workspaces)."""
    loss, opt = gn.CrossEntropy(), gn.SGD(lr=lr)
    pairs = model.parameters()
    Y = loss.prepare_target(y, (X.shape[0], 3), model.dtype)
    for _ in range(epochs):
        order = model.rng.permutation(X.shape[0]) if shuffle else np.arange(X.shape[0])
        for start in range(0, X.shape[0], batch_size):
            idx = order[start:start + batch_size]
            loss.forward(model.forward(X[idx], training=True), Y[idx])
            model.backward(loss.backward())
            opt.step(pairs)


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("shuffle", [True, False])
def test_fit_matches_a_plain_loop_including_the_short_last_batch(activation, shuffle):
    X, y = _data()  # 50 rows in batches of 16: the last batch has 2 rows
    a = _model(activation)
    b = a.copy()  # same weights and same generator state, so the same permutations
    a.fit(X, y, optimizer=gn.SGD(lr=0.1), epochs=3, batch_size=16, shuffle=shuffle, verbose=0)
    _manual_fit(b, X, y, epochs=3, batch_size=16, lr=0.1, shuffle=shuffle)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        for key in wa:
            # the fused softmax + CE gradient differs from the chained one by rounding only
            np.testing.assert_allclose(wa[key], wb[key], rtol=1e-5, atol=1e-6)
    assert not np.array_equal(a.get_weights()[0]["W"], _model(activation).get_weights()[0]["W"])


def test_fit_leaves_no_workspace_behind_even_when_it_fails():
    X, y = _data()
    model = _model()
    model.fit(X, y, optimizer=gn.SGD(lr=0.1), epochs=1, batch_size=16, verbose=0)
    assert all(layer.workspace is None for layer in model.layers)

    class Interrupt(gn.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        model.fit(X, y, optimizer=gn.SGD(lr=0.1), epochs=2, batch_size=16,
                  callbacks=[Interrupt()], verbose=0)
    assert all(layer.workspace is None for layer in model.layers)
    assert all(layer.needs_input_grad for layer in model.layers if isinstance(layer, gn.Dense))


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


class _KeepPredictions(gn.Callback):
    def __init__(self, X):
        self.X, self.kept = X, []

    def on_epoch_end(self, epoch, logs=None):
        # batch_size 8 < 50 rows: predict concatenates several forward passes
        p = self.model.predict(self.X, batch_size=8)
        self.kept.append((p, p.copy()))


def test_predictions_made_during_fit_are_not_overwritten_by_later_batches():
    X, y = _data()
    keep = _KeepPredictions(X)
    model = _model()
    model.fit(X, y, optimizer=gn.SGD(lr=0.1), epochs=3, batch_size=16, validation_data=(X, y),
              callbacks=[keep], verbose=0)
    for p, copy in keep.kept:
        np.testing.assert_array_equal(p, copy)
    # and they are the real predictions: the last one equals a fresh predict after training
    np.testing.assert_allclose(keep.kept[-1][0], model.predict(X), rtol=1e-6)
    assert not np.allclose(keep.kept[0][0], keep.kept[-1][0])


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


def test_column_major_and_sparse_inputs_train_like_row_major():
    X, y = _data()
    runs = []
    for data in (X, np.asfortranarray(X), sp.csr_matrix(X)):
        model = _model()
        model.fit(data, y, optimizer=gn.SGD(lr=0.1), epochs=2, batch_size=16, verbose=0)
        runs.append(model.get_weights())
    for other in runs[1:]:
        for wa, wb in zip(runs[0], other):
            for key in wa:
                np.testing.assert_allclose(wa[key], wb[key], rtol=1e-5, atol=1e-6)


def test_fit_does_not_modify_the_callers_data():
    X, y = _data()
    kept = X.copy()
    gn.Sequential([gn.ReLU(), gn.Dense(6, 3), gn.Softmax()], seed=0).fit(
        X, y, optimizer=gn.SGD(lr=0.1), epochs=2, batch_size=16, shuffle=False, verbose=0)
    np.testing.assert_array_equal(X, kept)


def test_fit_starts_backprop_at_the_logits_after_softmax_and_sigmoid(monkeypatch):
    def never(self, grad_out):
        raise AssertionError("the fused (p - t) / n gradient should have been used")

    monkeypatch.setattr(gn.Softmax, "backward", never)
    monkeypatch.setattr(gn.Sigmoid, "backward", never)
    X, y = _data()
    _model().fit(X, y, optimizer=gn.SGD(lr=0.1), epochs=1, batch_size=16, verbose=0)
    binary = gn.Sequential([gn.Dense(6, 1), gn.Sigmoid()], seed=0)
    binary.fit(X, y % 2, optimizer=gn.SGD(lr=0.1), epochs=1, batch_size=16, verbose=0)
    with pytest.raises(AssertionError, match="fused"):  # MSE after a sigmoid: not fusable
        binary.fit(X, y % 2, loss="mse", optimizer=gn.SGD(lr=0.1), epochs=1, verbose=0)


def test_dense_parameters_live_in_one_flat_array_and_fit_steps_it_as_one_pair():
    model = _model()
    dense = [lay for lay in model.layers if isinstance(lay, gn.Dense)]
    flat_p, flat_g = model._packed_pair()
    assert flat_p.size == model.n_params
    for lay in dense:
        for key in lay.params:
            assert np.shares_memory(lay.params[key], flat_p)
            assert np.shares_memory(lay.grads[key], flat_g)
    X, y = _data()
    held = dense[0].params["W"]  # a reference taken before fit sees every update
    before = held.copy()
    model.fit(X, y, optimizer=gn.SGD(lr=0.1), epochs=1, batch_size=16, verbose=0)
    assert dense[0].params["W"] is held and not np.array_equal(held, before)
    assert len(model._step_pairs()) == 1


@pytest.mark.parametrize("make_opt", [lambda: gn.Adam(lr=0.01, weight_decay=0.01),
                                      lambda: gn.SGD(lr=0.05, momentum=0.9, nesterov=True),
                                      lambda: gn.RMSprop(lr=0.01, centered=True)])
def test_one_flat_step_equals_a_step_per_array(make_opt):
    X, y = _data()
    packed, separate = _model(dtype="float64"), _model(dtype="float64")
    loss = gn.CrossEntropy()
    opt_packed, opt_separate = make_opt(), make_opt()
    Y = loss.prepare_target(y, (X.shape[0], 3), np.float64)
    for start in range(0, 48, 16):
        xb, yb = X[start:start + 16].astype(np.float64), Y[start:start + 16]
        for model, opt, pairs in ((packed, opt_packed, [packed._packed_pair()]),
                                  (separate, opt_separate, separate.parameters())):
            loss.forward(model.forward(xb, training=True), yb)
            model.backward(loss.backward())
            gn.clip_grad_norm(pairs, 0.5)  # a global norm: the same over one pair or many
            opt.step(pairs)
    for a, b in zip(packed.get_weights(), separate.get_weights()):
        for key in a:
            np.testing.assert_allclose(a[key], b[key], rtol=1e-12, atol=1e-14)


def test_a_replaced_array_is_packed_again_at_the_next_fit():
    model = _model()
    X, y = _data()
    dense = model.layers[0]
    dense.params["W"] = dense.params["W"].copy()  # as a user or a loader might do
    assert model._packed_pair() is None
    model.fit(X, y, optimizer=gn.SGD(lr=0.1), epochs=1, batch_size=16, verbose=0)
    assert model._packed_pair() is not None
    assert np.shares_memory(dense.params["W"], model._packed_pair()[0])


@pytest.mark.parametrize("make_opt, l2, per_array", [
    (lambda: gn.SGD(lr=0.1), 0.0, True),             # plain SGD: row hints, one pair per array
    (lambda: gn.SGD(lr=0.1), 1e-3, False),           # a penalty's gradient is dense: no hints
    (lambda: gn.SGD(lr=0.1, momentum=0.9), 0.0, False),
    (lambda: gn.Adam(lr=0.01), 0.0, False),
])
def test_sparse_input_keeps_one_pair_per_array_only_for_row_hints(monkeypatch, make_opt, l2,
                                                                  per_array):
    model = _model()
    X, y = _data()
    Xs = sp.csr_matrix(np.where(np.abs(X) > 1, X, 0))
    steps = []
    opt = make_opt()
    real_step = opt.step
    monkeypatch.setattr(opt, "step", lambda pairs, rows=None: (steps.append((len(pairs), rows)),
                                                               real_step(pairs, rows))[1])
    model.fit(Xs, y, optimizer=opt, epochs=1, batch_size=16, verbose=0, l2=l2)
    n_pairs, rows = steps[0]
    assert n_pairs == (len(model.parameters()) if per_array else 1)
    assert (rows is not None) == per_array
    assert np.all(np.isfinite(model.predict(Xs)))
