import numpy as np
import pytest
from tests.conftest import assert_gradcheck

import glassnet.nn as gn
from glassnet.nn import (
    BinaryCrossEntropy,
    CrossEntropy,
    Dense,
    HuberLoss,
    Identity,
    MAELoss,
    MSELoss,
    Sequential,
    Sigmoid,
    Softmax,
    SSELoss,
    Tanh,
    gradcheck,
)
from glassnet.nn import functional as F

#: inputs at +-1000, where a naive exp overflows
EXTREME = np.array([[-1000.0, 0.0, 1000.0], [1000.0, 1000.0, -1000.0]])


def numeric_loss_grad(loss, pred, target, eps=1e-6, **kw):
    grad = np.zeros_like(pred)
    for idx in np.ndindex(pred.shape):
        p = pred.copy()
        p[idx] += eps
        plus = loss.forward(p, target, **kw)
        p[idx] -= 2 * eps
        minus = loss.forward(p, target, **kw)
        grad[idx] = (plus - minus) / (2 * eps)
    return grad


def rel(a, b):
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


@pytest.mark.parametrize("n", [1, 7])
@pytest.mark.parametrize(
    "loss,kind",
    [
        (MSELoss(), "reg"), (SSELoss(), "reg"), (MAELoss(), "reg"), (HuberLoss(0.5), "reg"),
        (MSELoss(reduction="sum"), "reg"),
        (BinaryCrossEntropy(), "prob"), (BinaryCrossEntropy(from_logits=True), "logit"),
        (BinaryCrossEntropy(class_weight=(0.3, 2.0)), "prob"),
        (CrossEntropy(), "softmax"), (CrossEntropy(from_logits=True), "logits3"),
        (CrossEntropy(from_logits=True, class_weight=[1.0, 2.0, 0.5]), "logits3"),
        (CrossEntropy(class_weight=[1.0, 2.0, 0.5]), "softmax"),
    ],
    ids=repr,
)
def test_loss_backward_matches_finite_differences(rng, loss, kind, n):
    if kind in ("reg", "logit"):
        pred = rng.normal(size=(n, 2))
        target = rng.normal(size=(n, 2)) if kind == "reg" else (rng.random((n, 2)) < 0.5) * 1.0
    elif kind == "prob":
        pred = rng.uniform(0.05, 0.95, size=(n, 2))
        target = (rng.random((n, 2)) < 0.5) * 1.0
    elif kind == "softmax":
        pred = F.softmax(rng.normal(size=(n, 3)), axis=1)
        target = rng.integers(0, 3, n)
    else:
        pred = rng.normal(size=(n, 3))
        target = rng.integers(0, 3, n)
    loss.forward(pred, target)
    analytic = loss.backward()
    assert rel(analytic, numeric_loss_grad(loss, pred, target)) < 1e-6


def test_reductions_follow_pytorch_definitions():
    p = np.array([[1.0, 2.0], [3.0, 5.0]])
    t = np.array([[0.0, 2.0], [1.0, 1.0]])
    assert MSELoss().forward(p, t) == pytest.approx((1 + 0 + 4 + 16) / 4)
    assert SSELoss().forward(p, t) == pytest.approx(0.5 * 21)
    assert MAELoss().forward(p, t) == pytest.approx((1 + 0 + 2 + 4) / 4)
    huber = HuberLoss(delta=1.0).forward(p, t)
    assert huber == pytest.approx((0.5 + 0 + 1.5 + 3.5) / 4)


def test_lesson_cross_entropy_examples():
    # Sum of -log of the true-label probabilities, as the lesson computes it.
    bce = BinaryCrossEntropy(reduction="sum")
    assert bce.forward(np.array([0.6, 0.2, 0.1, 0.7]), np.ones(4)) == pytest.approx(4.78, abs=0.01)
    assert bce.forward(np.array([0.7, 0.9, 0.8, 0.6]), np.ones(4)) == pytest.approx(1.20, abs=0.01)


def test_logits_and_probability_forms_agree(rng):
    z = rng.normal(size=(6, 1)) * 3
    y = (rng.random((6, 1)) < 0.5) * 1.0
    a = BinaryCrossEntropy(from_logits=True).forward(z, y)
    b = BinaryCrossEntropy().forward(F.sigmoid(z), y)
    assert a == pytest.approx(b, rel=1e-10)
    z3 = rng.normal(size=(6, 4))
    labels = rng.integers(0, 4, 6)
    assert CrossEntropy(from_logits=True).forward(z3, labels) == pytest.approx(
        CrossEntropy().forward(F.softmax(z3, axis=1), labels), rel=1e-10)


def test_integer_labels_and_one_hot_targets_agree(rng):
    z = rng.normal(size=(5, 3))
    labels = np.array([0, 2, 1, 1, 0])
    ce = CrossEntropy(from_logits=True)
    a = ce.forward(z, labels)
    ga = ce.backward()
    b = ce.forward(z, F.one_hot(labels, 3, dtype=np.float64))
    np.testing.assert_allclose(a, b)
    np.testing.assert_allclose(ga, ce.backward())


@pytest.mark.parametrize("loss", [BinaryCrossEntropy(), BinaryCrossEntropy(from_logits=True),
                                  CrossEntropy(), CrossEntropy(from_logits=True)], ids=repr)
def test_cross_entropies_finite_at_extreme_logits(loss):
    z = np.array([[1000.0, -1000.0], [-1000.0, 1000.0]])
    if loss.from_logits:
        pred = z if isinstance(loss, CrossEntropy) else z[:, :1]
    else:
        pred = F.softmax(z, axis=1) if isinstance(loss, CrossEntropy) else F.sigmoid(z[:, :1])
    right = np.array([0, 1]) if isinstance(loss, CrossEntropy) else np.array([[1.0], [0.0]])
    wrong = np.array([1, 0]) if isinstance(loss, CrossEntropy) else np.array([[0.0], [1.0]])
    good = loss.forward(pred, right)
    assert np.all(np.isfinite(loss.backward()))
    bad = loss.forward(pred, wrong)
    assert np.all(np.isfinite(loss.backward()))
    assert good == pytest.approx(0, abs=1e-12)
    assert np.isfinite(bad) and bad > 30  # confident and wrong: large but finite
    if loss.from_logits:
        assert bad == pytest.approx(1000 if isinstance(loss, BinaryCrossEntropy) else 2000)


def test_sample_weights_scale_per_sample_loss(rng):
    z = rng.normal(size=(4, 3))
    labels = np.array([0, 1, 2, 1])
    ce = CrossEntropy(from_logits=True)
    per = -F.log_softmax(z, axis=1)[np.arange(4), labels]
    w = np.array([1.0, 0.0, 2.0, 0.5])
    assert ce.forward(z, labels, sample_weight=w) == pytest.approx(np.sum(w * per) / 4)
    numeric = numeric_loss_grad(ce, z, labels, sample_weight=w)
    ce.forward(z, labels, sample_weight=w)
    assert rel(ce.backward(), numeric) < 1e-6
    bce = BinaryCrossEntropy(from_logits=True)
    zb, yb = rng.normal(size=(4, 1)), np.array([1.0, 0.0, 1.0, 1.0])
    elem = np.logaddexp(0, zb[:, 0]) - zb[:, 0] * yb
    assert bce.forward(zb, yb, sample_weight=w) == pytest.approx(np.sum(w * elem) / 4)


def test_class_weight_normalises_by_weight_sum_as_pytorch(rng):
    z = rng.normal(size=(4, 3))
    labels = np.array([0, 1, 2, 1])
    cw = np.array([1.0, 3.0, 0.5])
    per = -F.log_softmax(z, axis=1)[np.arange(4), labels]
    expected = np.sum(cw[labels] * per) / cw[labels].sum()
    assert CrossEntropy(from_logits=True, class_weight=cw).forward(z, labels) == pytest.approx(
        expected)


def test_target_errors_are_clear():
    with pytest.raises(ValueError, match=r"class labels must lie in \[0, 3\)"):
        CrossEntropy().forward(np.full((2, 3), 1 / 3), np.array([0, 3]))
    with pytest.raises(ValueError, match="does not match"):
        MSELoss().forward(np.zeros((3, 2)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\]"):
        BinaryCrossEntropy().forward(np.full((2, 1), 0.5), np.array([0.0, 2.0]))
    with pytest.raises(ValueError, match="reduction"):
        MSELoss(reduction="none")


# ------------------------------------------------ activation / loss pairings through a network
PAIRINGS = [
    ("sigmoid+bce", Sigmoid, BinaryCrossEntropy(), 1),
    ("linear+bce_logits", Identity, BinaryCrossEntropy(from_logits=True), 1),
    ("softmax+ce", Softmax, CrossEntropy(), 3),
    ("linear+ce_logits", Identity, CrossEntropy(from_logits=True), 3),
    ("linear+mse", Identity, MSELoss(), 2),
    ("linear+sse", Identity, SSELoss(), 2),
    ("linear+mae", Identity, MAELoss(), 2),
    ("linear+huber", Identity, HuberLoss(), 2),
    ("sigmoid+mse", Sigmoid, MSELoss(), 2),
    ("tanh+mse", Tanh, MSELoss(), 2),
]


def _targets(rng, loss, n, k):
    if isinstance(loss, CrossEntropy):
        return rng.integers(0, k, n)
    if isinstance(loss, BinaryCrossEntropy):
        return (rng.random((n, k)) < 0.5) * 1.0
    return rng.normal(size=(n, k))


@pytest.mark.parametrize("name,act,loss,k", PAIRINGS, ids=[p[0] for p in PAIRINGS])
@pytest.mark.parametrize("n", [1, 7])
@pytest.mark.parametrize("penalty", [None, (0.01, 0.0), (0.0, 0.05), (0.01, 0.05)],
                         ids=["none", "l1", "l2", "l1l2"])
def test_network_gradcheck_every_pairing(rng, name, act, loss, k, n, penalty):
    from glassnet.nn import Regularizer

    model = Sequential([Dense(3, 5), Tanh(), Dense(5, k), act()], seed=11, dtype="float64")
    X = rng.normal(size=(n, 3))
    y = _targets(rng, loss, n, k)
    reg = Regularizer(*penalty) if penalty else None
    assert_gradcheck(gradcheck(model, loss, X, y, regularizer=reg))


@pytest.mark.parametrize("act,loss,k", [(Sigmoid, BinaryCrossEntropy(), 1),
                                        (Softmax, CrossEntropy(), 4)])
def test_fused_output_gradient_equals_chain_rule(rng, act, loss, k):
    model = Sequential([Dense(3, 4), Tanh(), Dense(4, k), act()], seed=2, dtype="float64")
    X = rng.normal(size=(6, 3))
    y = _targets(rng, loss, 6, k)
    out = model.forward(X, training=True)
    loss.forward(out, y)
    model.backward(loss.backward())
    chained = [g.copy() for _, g in model.parameters()]
    g = loss.grad_wrt_logits()
    for layer in reversed(model.layers[:-1]):
        g = layer.backward(g)
    for a, (_, b) in zip(chained, model.parameters()):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_a_user_loss_with_only_forward_and_backward_trains():
    """The documented contract (forward -> float, backward -> dL/dpred) is enough for fit."""
    from glassnet.nn import Adam, Loss

    class QuarticLoss(Loss):
        def forward(self, pred, target):
            self._d = pred - np.asarray(target, dtype=pred.dtype).reshape(pred.shape)
            return float(np.mean(self._d ** 4))

        def backward(self):
            return 4 * self._d ** 3 / self._d.size

    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 2))
    y = X @ np.array([1.0, -1.0])
    model = Sequential([Dense(2, 1)], seed=0)
    h = model.fit(X, y, loss=QuarticLoss(), optimizer=Adam(0.05), epochs=100, verbose=0)
    assert h.history["loss"][-1] < 0.01 * h.history["loss"][0]


@pytest.mark.parametrize("loss", [gn.MSELoss(), gn.SSELoss(), gn.MAELoss(), gn.HuberLoss(),
                                  gn.BinaryCrossEntropy(), gn.CrossEntropy(),
                                  gn.CrossEntropy(from_logits=True)])
def test_loss_gradients_keep_the_prediction_dtype(loss):
    rng = np.random.default_rng(1)
    p = rng.uniform(0.1, 0.9, (6, 3)).astype(np.float32)
    p /= p.sum(axis=1, keepdims=True)
    t = np.eye(3, dtype=np.float32)[rng.integers(0, 3, 6)]
    loss.forward(p, t)
    assert loss.backward().dtype == np.float32
    if hasattr(loss, "grad_wrt_logits"):
        assert loss.grad_wrt_logits().dtype == np.float32


def test_forward_prepared_equals_forward():
    rng = np.random.default_rng(2)
    p = rng.uniform(0.05, 0.95, (8, 1)).astype(np.float32)
    y = rng.integers(0, 2, 8)
    w = rng.uniform(0, 2, 8).astype(np.float32)
    loss = gn.BinaryCrossEntropy()
    t = loss.prepare_target(y, p.shape, p.dtype)
    assert loss.forward(p, y, sample_weight=w) == loss.forward_prepared(p, t, sample_weight=w)
    ce = gn.CrossEntropy(class_weight=[1.0, 2.0])
    q = np.hstack([p, 1 - p])
    assert ce.forward(q, y) == pytest.approx(ce.forward_prepared(q, ce.prepare_target(
        y, q.shape, q.dtype)))


@pytest.mark.parametrize("loss_cls", [MSELoss, MAELoss, HuberLoss, SSELoss])
def test_integer_weights_equal_repeated_rows(loss_cls):
    rng = np.random.default_rng(0)
    pred, target = rng.normal(size=(6, 2)), rng.normal(size=(6, 2))
    w = np.array([0, 1, 2, 3, 1, 2])
    weighted, repeated = loss_cls(), loss_cls()
    value_w = weighted.forward(pred, target, sample_weight=w)
    value_r = repeated.forward(pred.repeat(w, axis=0), target.repeat(w, axis=0))
    # the mean divides by the number of elements, which repetition changes
    scale = w.sum() / w.size if weighted.reduction == "mean" else 1.0
    assert value_w == pytest.approx(value_r * scale)
    grad_w = weighted.backward()
    grad_r = repeated.backward() * scale
    # the gradient of a repeated row is the sum over its copies
    summed = np.zeros_like(pred)
    np.add.at(summed, np.arange(6).repeat(w), grad_r)
    np.testing.assert_allclose(grad_w, summed, rtol=1e-10, atol=1e-12)


def test_bad_weights_are_rejected():
    with pytest.raises(ValueError, match="sample_weight"):
        MSELoss().forward(np.zeros((3, 1)), np.zeros((3, 1)), sample_weight=[1.0, -1.0, 1.0])
    with pytest.raises(ValueError, match="sample_weight"):
        MSELoss().forward(np.zeros((3, 1)), np.zeros((3, 1)), sample_weight=[1.0, 1.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.usefixtures("numpy_errors")
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
