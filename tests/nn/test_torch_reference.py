"""Reference tests against PyTorch, value for value, in float64.

Skipped when torch is absent. Install it with ``pip install torch==2.13.0`` (a CPU build), never
a plain ``pip install torch``.
"""

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

from glassnet.nn import (  # noqa: E402  (after the skip)
    SGD,
    Adagrad,
    Adam,
    AdamW,
    BinaryCrossEntropy,
    CrossEntropy,
    Dense,
    HuberLoss,
    LeakyReLU,
    MAELoss,
    MSELoss,
    ReLU,
    RMSprop,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
)

ACTS = {Sigmoid: torch.nn.Sigmoid, Tanh: torch.nn.Tanh, ReLU: torch.nn.ReLU,
        LeakyReLU: lambda: torch.nn.LeakyReLU(0.01), Softmax: lambda: torch.nn.Softmax(dim=1)}


def twin(sizes, acts, seed=0):
    """A glassnet model and a torch model with identical float64 weights."""
    layers, tlayers = [], []
    for i, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
        layers.append(Dense(n_in, n_out))
        tlayers.append(torch.nn.Linear(n_in, n_out).double())
        if acts[i] is not None:
            layers.append(acts[i]() if acts[i] is not LeakyReLU else LeakyReLU(0.01))
            tlayers.append(ACTS[acts[i]]())
    model = Sequential(layers, seed=seed, dtype="float64")
    with torch.no_grad():
        dense = [lay for lay in model.layers if isinstance(lay, Dense)]
        linear = [lay for lay in tlayers if isinstance(lay, torch.nn.Linear)]
        for d, lin in zip(dense, linear):
            lin.weight.copy_(torch.from_numpy(d.params["W"].T.copy()))
            lin.bias.copy_(torch.from_numpy(d.params["b"].copy()))
    return model, torch.nn.Sequential(*tlayers)


def torch_grads(tmodel):
    linear = [lay for lay in tmodel if isinstance(lay, torch.nn.Linear)]
    return [(lin.weight.grad.numpy().T, lin.bias.grad.numpy()) for lin in linear]


def glassnet_grads(model):
    return [(d.grads["W"], d.grads["b"]) for d in model.layers if isinstance(d, Dense)]


CASES = [
    # sizes, activations, our loss, torch loss, target kind
    ([5, 7, 3], [Tanh, None], MSELoss(), torch.nn.MSELoss(), "reg"),
    ([5, 7, 6, 2], [ReLU, Sigmoid, None], MAELoss(), torch.nn.L1Loss(), "reg"),
    ([5, 8, 2], [LeakyReLU, None], HuberLoss(0.7), torch.nn.HuberLoss(delta=0.7), "reg"),
    ([5, 6, 1], [Tanh, None], BinaryCrossEntropy(from_logits=True),
     torch.nn.BCEWithLogitsLoss(), "binary"),
    ([5, 6, 1], [Tanh, Sigmoid], BinaryCrossEntropy(), torch.nn.BCELoss(), "binary"),
    ([5, 9, 4], [ReLU, None], CrossEntropy(from_logits=True), torch.nn.CrossEntropyLoss(),
     "labels"),
    ([5, 9, 4], [Sigmoid, None], CrossEntropy(from_logits=True, class_weight=[1, 2, 0.5, 3]),
     torch.nn.CrossEntropyLoss(weight=torch.tensor([1, 2, 0.5, 3], dtype=torch.float64)),
     "labels"),
]


def _data(kind, n, k, rng):
    X = rng.normal(size=(n, 5))
    if kind == "reg":
        y = rng.normal(size=(n, k))
        return X, y, torch.from_numpy(y)
    if kind == "binary":
        y = (rng.random((n, 1)) < 0.5) * 1.0
        return X, y, torch.from_numpy(y)
    y = rng.integers(0, k, n)
    return X, y, torch.from_numpy(y)


@pytest.mark.parametrize("case", range(len(CASES)))
def test_forward_loss_and_gradients_match_torch(case):
    sizes, acts, loss, tloss, kind = CASES[case]
    rng = np.random.default_rng(case)
    model, tmodel = twin(sizes, acts, seed=case)
    X, y, ty = _data(kind, 11, sizes[-1], rng)
    out = model.forward(X, training=True)
    value = loss.forward(out, y)
    model.backward(loss.backward())
    tX = torch.from_numpy(X)
    tout = tmodel(tX)
    tvalue = tloss(tout, ty)
    tvalue.backward()
    np.testing.assert_allclose(out, tout.detach().numpy(), rtol=0, atol=1e-10)
    assert abs(value - tvalue.item()) < 1e-10
    for (gw, gb), (tw, tb) in zip(glassnet_grads(model), torch_grads(tmodel)):
        np.testing.assert_allclose(gw, tw, rtol=0, atol=1e-10)
        np.testing.assert_allclose(gb, tb, rtol=0, atol=1e-10)


def test_softmax_layer_and_probability_ce_match_torch_nll():
    rng = np.random.default_rng(0)
    model, tmodel = twin([5, 6, 3], [Tanh, Softmax])
    X = rng.normal(size=(9, 5))
    y = rng.integers(0, 3, 9)
    loss = CrossEntropy()
    value = loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    tout = tmodel(torch.from_numpy(X))
    tvalue = torch.nn.NLLLoss()(torch.log(tout), torch.from_numpy(y))
    tvalue.backward()
    assert abs(value - tvalue.item()) < 1e-10
    for (gw, gb), (tw, tb) in zip(glassnet_grads(model), torch_grads(tmodel)):
        np.testing.assert_allclose(gw, tw, atol=1e-10)
        np.testing.assert_allclose(gb, tb, atol=1e-10)


OPTIMIZERS = [
    ("sgd", lambda: SGD(lr=0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
    ("sgd_wd", lambda: SGD(lr=0.1, weight_decay=0.01),
     lambda p: torch.optim.SGD(p, lr=0.1, weight_decay=0.01)),
    ("momentum", lambda: SGD(lr=0.05, momentum=0.9),
     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
    ("nesterov", lambda: SGD(lr=0.05, momentum=0.9, nesterov=True),
     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True)),
    ("rmsprop", lambda: RMSprop(lr=0.01), lambda p: torch.optim.RMSprop(p, lr=0.01)),
    ("rmsprop_centered_momentum", lambda: RMSprop(lr=0.01, momentum=0.5, centered=True),
     lambda p: torch.optim.RMSprop(p, lr=0.01, momentum=0.5, centered=True)),
    ("adagrad", lambda: Adagrad(lr=0.1, lr_decay=0.01),
     lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.01)),
    ("adam", lambda: Adam(lr=0.01), lambda p: torch.optim.Adam(p, lr=0.01)),
    ("adam_amsgrad_wd", lambda: Adam(lr=0.01, weight_decay=0.1, amsgrad=True),
     lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.1, amsgrad=True)),
    ("adamw", lambda: AdamW(lr=0.01), lambda p: torch.optim.AdamW(p, lr=0.01)),
]


@pytest.mark.parametrize("name,ours,theirs", OPTIMIZERS, ids=[o[0] for o in OPTIMIZERS])
def test_twenty_optimizer_steps_match_torch(name, ours, theirs):
    rng = np.random.default_rng(1)
    model, tmodel = twin([4, 6, 3], [Tanh, None], seed=2)
    X = rng.normal(size=(16, 4))
    y = rng.normal(size=(16, 3))
    opt, topt = ours(), theirs(tmodel.parameters())
    loss, tloss = MSELoss(), torch.nn.MSELoss()
    pairs = model.parameters()
    for _ in range(20):
        loss.forward(model.forward(X, training=True), y)
        model.backward(loss.backward())
        opt.step(pairs)
        topt.zero_grad()
        tloss(tmodel(torch.from_numpy(X)), torch.from_numpy(y)).backward()
        topt.step()
    linear = [lay for lay in tmodel if isinstance(lay, torch.nn.Linear)]
    for d, lin in zip([lay for lay in model.layers if isinstance(lay, Dense)], linear):
        np.testing.assert_allclose(d.params["W"], lin.weight.detach().numpy().T, atol=1e-8)
        np.testing.assert_allclose(d.params["b"], lin.bias.detach().numpy(), atol=1e-8)


def test_schedules_match_torch():
    from glassnet.nn import CosineAnnealingLR, ExponentialLR, StepLR

    for ours, theirs in [
        (lambda o: StepLR(o, 3, 0.5), lambda o: torch.optim.lr_scheduler.StepLR(o, 3, 0.5)),
        (lambda o: ExponentialLR(o, 0.9), lambda o: torch.optim.lr_scheduler.ExponentialLR(o, 0.9)),
        (lambda o: CosineAnnealingLR(o, 10, 0.01),
         lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, 10, 0.01)),
    ]:
        opt = SGD(lr=0.1)
        sched = ours(opt)
        topt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
        tsched = theirs(topt)
        for _ in range(12):
            topt.step()
            tsched.step()
            assert sched.step() == pytest.approx(topt.param_groups[0]["lr"], rel=1e-12)


def test_reduce_on_plateau_matches_torch():
    from glassnet.nn import ReduceLROnPlateau

    opt = SGD(lr=1.0)
    ours = ReduceLROnPlateau(opt, factor=0.5, patience=2, cooldown=1)
    topt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(topt, factor=0.5, patience=2, cooldown=1)
    for v in [5, 4, 4, 4, 4, 4, 3.9999, 4, 4, 4, 4, 2, 2, 2, 2, 2]:
        theirs.step(v)
        assert ours.step(v) == pytest.approx(topt.param_groups[0]["lr"])


def test_clip_grad_norm_matches_torch():
    from glassnet.nn import clip_grad_norm

    rng = np.random.default_rng(0)
    grads = [rng.normal(size=(3, 4)), rng.normal(size=4)]
    params = [np.zeros_like(g) for g in grads]
    tparams = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for tp, g in zip(tparams, grads):
        tp.grad = torch.from_numpy(g.copy())
    total = clip_grad_norm(list(zip(params, grads)), 0.5)
    ttotal = torch.nn.utils.clip_grad_norm_(tparams, 0.5)
    assert total == pytest.approx(ttotal.item())
    for g, tp in zip(grads, tparams):
        np.testing.assert_allclose(g, tp.grad.numpy(), atol=1e-12)
