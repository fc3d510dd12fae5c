import numpy as np
import pytest

from glassnet.datasets import make_moons
from glassnet.nn import (
    SGD,
    Adagrad,
    Adam,
    AdamW,
    CosineAnnealingLR,
    Dense,
    ExponentialLR,
    ReduceLROnPlateau,
    RMSprop,
    Sequential,
    Sigmoid,
    StepLR,
    clip_grad_norm,
    optimizers,
)


def quadratic_descent(opt, steps=300):
    """Minimise f(p) = 1/2 ||p - 3||^2 (gradient p - 3) from p = 0."""
    p = np.zeros(4)
    g = np.zeros(4)
    for _ in range(steps):
        g[...] = p - 3
        opt.step([(p, g)])
    return p


@pytest.mark.parametrize("opt", [SGD(0.1), SGD(0.05, momentum=0.9), SGD(0.05, momentum=0.9,
                                 nesterov=True), RMSprop(0.05), Adagrad(0.5), Adam(0.1),
                                 AdamW(0.1, weight_decay=0.0)], ids=repr)
def test_every_optimizer_reaches_the_minimum(opt):
    np.testing.assert_allclose(quadratic_descent(opt), 3, atol=1e-2)


def test_sgd_step_is_plain_gradient_descent():
    p, g = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    SGD(0.1).step([(p, g)])
    np.testing.assert_allclose(p, [0.95, 2.1])


def test_adam_first_step_moves_each_weight_by_lr():
    # With bias correction, Adam's first step is lr * sign(g) (up to eps).
    p, g = np.zeros(3), np.array([1e-3, -5.0, 20.0])
    Adam(0.01).step([(p, g)])
    np.testing.assert_allclose(p, [-0.01, 0.01, -0.01], rtol=1e-4)


def test_float32_parameters_stay_float32():
    for opt in (SGD(0.1, momentum=0.9), RMSprop(), Adagrad(), Adam(), AdamW()):
        p = np.ones(3, dtype=np.float32)
        g = np.full(3, 0.5, dtype=np.float32)
        opt.step([(p, g)])
        assert p.dtype == np.float32
        assert all(v.dtype == np.float32 for v in opt.state[0].values())


@pytest.mark.parametrize(
    "build,pattern",
    [
        (lambda: SGD(lr=0), "lr"),
        (lambda: SGD(lr="0.1"), "lr"),
        (lambda: SGD(0.1, momentum=-1), "momentum"),
        (lambda: SGD(0.1, nesterov=True), "nesterov"),
        (lambda: Adam(betas=(1.0, 0.9)), "betas"),
        (lambda: RMSprop(alpha=1.5), "alpha"),
        (lambda: optimizers.get("lbfgs"), "unknown optimizer"),
    ],
)
def test_bad_optimizer_settings(build, pattern):
    with pytest.raises((ValueError, TypeError), match=pattern):
        build()


def test_clip_grad_norm_scales_globally():
    g1, g2 = np.array([3.0, 0.0]), np.array([0.0, 4.0])
    total = clip_grad_norm([(None, g1), (None, g2)], 1.0)
    assert total == pytest.approx(5.0)
    assert np.sqrt(np.sum(g1**2) + np.sum(g2**2)) == pytest.approx(1.0, rel=1e-5)
    g3 = np.array([0.1])
    clip_grad_norm([(None, g3)], 1.0)
    assert g3[0] == 0.1  # below the bound: untouched


def test_schedules_closed_forms():
    opt = SGD(1.0)
    s = StepLR(opt, step_size=2, gamma=0.5)
    assert [s.step() for _ in range(5)] == [1.0, 0.5, 0.5, 0.25, 0.25]
    opt = SGD(1.0)
    e = ExponentialLR(opt, 0.9)
    assert [round(e.step(), 6) for _ in range(2)] == [0.9, 0.81]
    opt = SGD(1.0)
    c = CosineAnnealingLR(opt, T_max=4, eta_min=0.0)
    lrs = [c.step() for _ in range(4)]
    assert lrs[1] == pytest.approx(0.5) and lrs[3] == pytest.approx(0.0, abs=1e-12)


def test_reduce_on_plateau_in_fit():
    X, y = make_moons(60, seed=0)
    m = Sequential([Dense(2, 1)], seed=0)
    opt = SGD(1e-6)  # so slow that the loss plateaus at once
    sched = ReduceLROnPlateau(opt, monitor="loss", factor=0.5, patience=1)
    h = m.fit(X, y * 1.0, loss="mse", optimizer=opt, epochs=6, callbacks=[sched], verbose=0)
    assert h.history["lr"][-1] < 1e-6


def test_schedule_as_callback_changes_lr_each_epoch():
    X, y = make_moons(40, seed=0)
    m = Sequential([Dense(2, 1)], seed=0)
    opt = SGD(0.1)
    h = m.fit(X, y * 1.0, loss="mse", optimizer=opt, epochs=3, verbose=0,
              callbacks=[StepLR(opt, 1, 0.5)])
    assert h.history["lr"] == [0.1, 0.05, 0.025]


def test_row_hint_gives_the_same_sgd_step():
    rng = np.random.default_rng(0)
    p1 = rng.normal(size=(8, 3))
    p2 = p1.copy()
    g = np.zeros((8, 3))
    rows = np.array([1, 5])
    g[rows] = rng.normal(size=(2, 3))
    SGD(0.1).step([(p1, g)])
    SGD(0.1).step([(p2, g)], rows=[rows])
    np.testing.assert_array_equal(p1, p2)
    # momentum moves every row (its buffer decays), so the hint must not change its result
    p3, p4 = p1.copy(), p1.copy()
    m3, m4 = SGD(0.1, momentum=0.9), SGD(0.1, momentum=0.9)
    for _ in range(3):
        m3.step([(p3, g)])
        m4.step([(p4, g)], rows=[rows])
    np.testing.assert_array_equal(p3, p4)


def test_fit_on_csr_with_plain_sgd_matches_dense_fit():
    """One sample at a time, the sparse path (row-wise gradient and update) reproduces the
    dense computation."""
    import scipy.sparse as sp

    rng = np.random.default_rng(1)
    X = (rng.random((40, 30)) < 0.1) * 1.0
    y = (X[:, :3].sum(1) > 0).astype(float)
    weights = []
    for data in (X, sp.csr_matrix(X)):
        m = Sequential([Dense(30, 4), Sigmoid(), Dense(4, 1), Sigmoid()], seed=0, dtype="float64")
        m.fit(data, y, optimizer=SGD(0.5), epochs=3, batch_size=1, verbose=0)
        weights.append(m.get_weights())
    for a, b in zip(*weights):
        for k in a:
            np.testing.assert_allclose(a[k], b[k], rtol=1e-12, atol=1e-14)
