import numpy as np
import pytest

from glassnet.nn import (
    SGD,
    Adagrad,
    Adam,
    AdamW,
    RMSprop,
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


@pytest.mark.parametrize("lr", [0, -0.1, float("nan")])
def test_non_positive_learning_rate_rejected(lr):
    with pytest.raises(ValueError, match="lr"):
        SGD(lr=lr)
