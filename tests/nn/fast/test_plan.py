"""``fit`` (through ``FitPlan``) trains exactly as a loop of the textbook ``train_step`` does.

Every speed decision of the plan is checked here against ``Sequential.train_step``: same
weights after three epochs of shuffled mini-batches (50 rows in batches of 16, so a short last
batch), for dense and CSR input, every optimizer, with and without penalties, clipping, dropout
and sample weights. Where no summation order changes, the weights are bitwise equal; elsewhere
within 1e-12 (see ``_assert_same_training``).
"""

import itertools

import numpy as np
import pytest
import scipy.sparse as sp

import glassnet.nn as gn
from glassnet.nn.fast import kernels
from glassnet.nn.fast.plan import FitPlan

OPTIMIZERS = {
    "sgd": lambda: gn.SGD(0.1),
    "sgd-nesterov-decay": lambda: gn.SGD(0.05, momentum=0.9, nesterov=True, weight_decay=1e-3),
    "sgd-dampening": lambda: gn.SGD(0.05, momentum=0.5, dampening=0.3),
    "rmsprop-centered-momentum": lambda: gn.RMSprop(0.01, centered=True, momentum=0.5),
    "adagrad": lambda: gn.Adagrad(0.1, lr_decay=0.01, weight_decay=1e-3),
    "adam-amsgrad-decay": lambda: gn.Adam(0.01, amsgrad=True, weight_decay=1e-3),
    "adamw": lambda: gn.AdamW(0.01),
}


def _data(n=50, d=6, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    X[np.abs(X) < 0.6] = 0  # zeros, so the CSR form is really sparse
    return X, rng.integers(0, 3, n), rng.uniform(0.5, 2.0, n)


def _network(kind, bias, seed=3):
    """"softmax": ReLU, dropout and tanh under a softmax + cross-entropy head (fused);
    "linear": ReLU and leaky ReLU under a linear MSE head; "sigmoid": a sigmoid net with a
    sigmoid + binary cross-entropy head (fused)."""
    if kind == "softmax":
        layers = [gn.Dense(6, 8, bias=bias), gn.ReLU(), gn.Dropout(0.2),
                  gn.Dense(8, 5, bias=bias), gn.Tanh(), gn.Dense(5, 3, bias=bias), gn.Softmax()]
        loss = gn.CrossEntropy
    elif kind == "linear":
        layers = [gn.Dense(6, 8, bias=bias), gn.ReLU(), gn.Dense(8, 5, bias=bias),
                  gn.LeakyReLU(0.1), gn.Dense(5, 1, bias=bias)]
        loss = gn.MSELoss
    else:
        layers = [gn.Dense(6, 8, bias=bias), gn.Sigmoid(), gn.Dense(8, 1, bias=bias),
                  gn.Sigmoid()]
        loss = gn.BinaryCrossEntropy
    return gn.Sequential(layers, seed=seed, dtype="float64"), loss


def train_step_loop(model, X, y, loss, optimizer, epochs, batch_size, sample_weight=None,
                    **step):
    """The textbook: shuffle with the model's generator, then one ``train_step`` per batch."""
    n = X.shape[0]
    for _ in range(epochs):
        order = model.rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            sw = None if sample_weight is None else sample_weight[idx]
            model.train_step(X[idx], y[idx], loss, optimizer, sample_weight=sw, **step)


def _assert_same_training(a, b, exact):
    """Bitwise equal weights when ``exact``, else within 1e-12.

    Three things legitimately change the summation order, and only those: the fast Dense
    kernel sums db = 1^T g with BLAS instead of g.sum(axis=0); the fused cross-entropy gradient
    (p - t) / n replaces the chain through -t / p and the activation's Jacobian; clipping sums
    the squared norm over one packed array instead of array by array. The Sigmoid kernel's
    tanh form differs from the exp form in the last bits too.
    """
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        for key in wa:
            if exact:
                np.testing.assert_array_equal(wa[key], wb[key])
            else:
                np.testing.assert_allclose(wa[key], wb[key], rtol=1e-12, atol=1e-12)


CASES = list(itertools.product(
    ["softmax", "linear", "sigmoid"], [True, False], list(OPTIMIZERS), [False, True]))


@pytest.mark.parametrize("kind, bias, optimizer, sparse", CASES)
@pytest.mark.parametrize("regularized, clipped, weighted",
                         [(False, False, False), (True, True, True), (True, False, False),
                          (False, True, False), (False, False, True)])
def test_fit_equals_a_loop_of_train_step(kind, bias, optimizer, sparse, regularized, clipped,
                                         weighted):
    X, y, w = _data()
    if kind != "softmax":
        y = (y % 2).astype(np.float64)
    a, loss = _network(kind, bias)
    b = a.copy()  # same weights, same generator state: the same shuffles and dropout masks
    X = sp.csr_matrix(X) if sparse else X
    step = {"regularizer": gn.L1L2(1e-3, 1e-2) if regularized else None,
            "clip_norm": 0.5 if clipped else None}
    sample_weight = w if weighted else None
    a.fit(X, y, loss=loss(), optimizer=OPTIMIZERS[optimizer](), epochs=3, batch_size=16,
          sample_weight=sample_weight, verbose=0, metrics=[], **step)
    train_step_loop(b, X, y, loss(), OPTIMIZERS[optimizer](), 3, 16, sample_weight, **step)
    exact = kind == "linear" and not bias and not clipped
    _assert_same_training(a, b, exact)
    untrained = _network(kind, bias)[0].get_weights()[0]["W"]
    assert not np.array_equal(a.get_weights()[0]["W"], untrained)


def test_fit_leaves_every_layer_attribute_as_it_was_even_when_it_raises():
    X, y, _ = _data()
    model, _ = _network("softmax", True)
    before = [dict(vars(layer)) for layer in model.layers]
    grads_before = [dict(layer.grads) for layer in model.layers]

    def unchanged():
        for layer, attrs, grads in zip(model.layers, before, grads_before):
            assert vars(layer).keys() == attrs.keys()
            for key, value in attrs.items():
                assert vars(layer)[key] is value, f"{type(layer).__name__}.{key} changed"
            assert all(layer.grads[k] is g for k, g in grads.items())

    model.fit(X, y, optimizer=gn.SGD(0.1), epochs=1, batch_size=16, verbose=0)
    unchanged()

    class Interrupt(gn.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        model.fit(X, y, optimizer=gn.SGD(0.1), epochs=2, batch_size=16,
                  callbacks=[Interrupt()], verbose=0)
    unchanged()


def test_the_plan_fuses_the_output_gradient_only_after_a_matching_cross_entropy(monkeypatch):
    def never(self, grad_out):
        raise AssertionError("the fused (p - t) / n gradient should have been used")

    monkeypatch.setattr(kernels.SoftmaxKernel, "backward", never)
    monkeypatch.setattr(kernels.SigmoidKernel, "backward", never)
    X, y, _ = _data()
    softmax, _ = _network("softmax", True)
    softmax.fit(X, y, optimizer=gn.SGD(0.1), epochs=1, batch_size=16, verbose=0)
    binary = gn.Sequential([gn.Dense(6, 1), gn.Sigmoid()], seed=0)
    binary.fit(X, y % 2, optimizer=gn.SGD(0.1), epochs=1, batch_size=16, verbose=0)
    with pytest.raises(AssertionError, match="fused"):  # MSE after a sigmoid: not fusable
        binary.fit(X, y % 2, loss="mse", optimizer=gn.SGD(0.1), epochs=1, verbose=0)
    with pytest.raises(AssertionError, match="fused"):  # a subclass may change the maths
        binary.fit(X, y % 2, loss=type("MyBCE", (gn.BinaryCrossEntropy,), {})(),
                   optimizer=gn.SGD(0.1), epochs=1, verbose=0)


def _plan(model, X, y, optimizer=None, regularizer=None):
    loss = model.default_loss()
    Y = loss.prepare_target(y, (X.shape[0], model.n_outputs), model.dtype)
    return FitPlan(model, loss, optimizer or gn.SGD(0.1), regularizer or gn.Regularizer(),
                   None, X, Y, None, 16)


def test_backprop_stops_at_the_first_layer_with_parameters_and_skips_its_dx():
    X, y, _ = _data()
    model = gn.Sequential([gn.Dropout(0.1), gn.ReLU(), gn.Dense(6, 4), gn.Tanh(), gn.Dense(4, 3),
                           gn.Softmax()], seed=0)
    plan = _plan(model, X, y)
    assert [type(k.layer) for k in plan.backprop] == [gn.Dense, gn.Tanh, gn.Dense]
    assert plan.backprop[0].input_grad is False and plan.backprop[2].input_grad is True
    plan.backprop[0].forward(X[:3].astype(np.float32))
    assert plan.backprop[0].backward(np.ones((3, 4), np.float32)) is None


def test_dense_layers_step_as_one_packed_pair_and_a_held_array_sees_every_update():
    X, y, _ = _data()
    model, _ = _network("softmax", True)
    plan = _plan(model, X, y)
    packed = model.packed_parameters()
    assert len(plan.pairs) == 1 and plan.pairs[0][0] is packed.values
    held = model.layers[0].params["W"]
    before = held.copy()
    model.fit(X, y, optimizer=gn.SGD(0.1), epochs=1, batch_size=16, verbose=0)
    assert model.layers[0].params["W"] is held and not np.array_equal(held, before)


def test_a_replaced_array_is_packed_again_at_the_next_fit():
    X, y, _ = _data()
    model, _ = _network("softmax", True)
    dense = model.layers[0]
    dense.params["W"] = dense.params["W"].copy()  # against the contract, as a user might
    assert not model._packed.intact(model.layers)
    model.fit(X, y, optimizer=gn.SGD(0.1), epochs=1, batch_size=16, verbose=0)
    assert model._packed.intact(model.layers)
    assert np.shares_memory(dense.params["W"], model.packed_parameters().values)


@pytest.mark.parametrize("make_opt, l2, hinted", [
    (lambda: gn.SGD(lr=0.1), 0.0, True),             # plain SGD: row hints, one pair per array
    (lambda: gn.SGD(lr=0.1), 1e-3, False),           # a penalty's gradient is dense: no hints
    (lambda: gn.SGD(lr=0.1, momentum=0.9), 0.0, False),
    (lambda: gn.Adam(lr=0.01), 0.0, False),
])
def test_sparse_input_takes_row_hints_only_with_plain_sgd(make_opt, l2, hinted):
    X, y, _ = _data()
    model, _ = _network("softmax", True)
    plan = _plan(model, sp.csr_matrix(X), y, make_opt(), gn.Regularizer(l2=l2))
    assert len(plan.pairs) == (len(model.parameters()) if hinted else 1)
    assert (plan.hint is not None) == hinted
    _, xb, yb, _ = next(plan.batches(np.arange(50)))
    plan.step(xb, yb)
    if hinted:  # the first layer's W: only the rows of the features this batch has
        np.testing.assert_array_equal(plan.first_kernel.rows,
                                      np.flatnonzero(np.asarray(xb.sum(axis=0)).ravel() != 0))


def test_batches_are_gathered_rows_and_a_column_major_array_is_copied_once():
    X, y, _ = _data()
    model, _ = _network("softmax", True)
    plan = _plan(model, np.asfortranarray(X.astype(np.float32)), y)
    assert plan.X.flags.c_contiguous
    order = np.random.default_rng(0).permutation(50)
    starts = []
    for start, xb, _, swb in plan.batches(order):
        np.testing.assert_array_equal(xb, X[order[start:start + 16]].astype(np.float32))
        assert swb is None
        starts.append(start)
    assert starts == [0, 16, 32, 48]


def test_column_major_and_sparse_inputs_train_like_row_major():
    X, y, _ = _data()
    X = X.astype(np.float32)
    runs = []
    for data in (X, np.asfortranarray(X), sp.csr_matrix(X)):
        model = gn.Sequential([gn.Dense(6, 8), gn.ReLU(), gn.Dense(8, 3), gn.Softmax()], seed=3)
        model.fit(data, y, optimizer=gn.SGD(lr=0.1), epochs=2, batch_size=16, verbose=0)
        runs.append(model.get_weights())
    for other in runs[1:]:
        for wa, wb in zip(runs[0], other):
            for key in wa:
                np.testing.assert_allclose(wa[key], wb[key], rtol=1e-5, atol=1e-6)


def test_fit_does_not_modify_the_callers_data():
    X, y, _ = _data()
    X = X.astype(np.float32)
    kept = X.copy()
    gn.Sequential([gn.ReLU(), gn.Dense(6, 3), gn.Softmax()], seed=0).fit(
        X, y, optimizer=gn.SGD(lr=0.1), epochs=2, batch_size=16, shuffle=False, verbose=0)
    np.testing.assert_array_equal(X, kept)


class _KeepPredictions(gn.Callback):
    def __init__(self, X):
        self.X, self.kept = X, []

    def on_epoch_end(self, epoch, logs=None):
        # batch_size 8 < 50 rows: predict concatenates several forward passes
        p = self.model.predict(self.X, batch_size=8)
        self.kept.append((p, p.copy()))


def test_predictions_made_during_fit_are_not_overwritten_by_later_batches():
    X, y, _ = _data()
    keep = _KeepPredictions(X)
    model, _ = _network("softmax", True)
    model.fit(X, y, optimizer=gn.SGD(lr=0.1), epochs=3, batch_size=16, validation_data=(X, y),
              callbacks=[keep], verbose=0)
    for p, copy in keep.kept:
        np.testing.assert_array_equal(p, copy)
    # and they are the real predictions: the last one equals a fresh predict after training
    np.testing.assert_allclose(keep.kept[-1][0], model.predict(X), rtol=1e-12)
    assert not np.allclose(keep.kept[0][0], keep.kept[-1][0])


def test_a_layer_without_a_kernel_runs_its_own_forward_and_backward():
    calls = []

    class Scale(gn.Layer):
        def forward(self, x, training=False):
            calls.append("forward")
            return 2 * x

        def backward(self, grad_out):
            calls.append("backward")
            return 2 * grad_out

    X, y, _ = _data()
    a = gn.Sequential([gn.Dense(6, 4), Scale(), gn.Tanh(), gn.Dense(4, 3), gn.Softmax()],
                      seed=1, dtype="float64")
    b = a.copy()
    a.fit(X, y, optimizer=gn.SGD(0.1), epochs=2, batch_size=16, verbose=0, metrics=[])
    train_step_loop(b, X, y, gn.CrossEntropy(), gn.SGD(0.1), 2, 16)
    assert calls.count("forward") == calls.count("backward") == 2 * 2 * 4
    _assert_same_training(a, b, exact=False)
