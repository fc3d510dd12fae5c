"""The optimizer kernels are the optimizers' formulas, bit for bit: block by block on large
arrays, in one piece on small ones, with row hints for plain SGD on sparse batches."""

import numpy as np
import pytest

import glassnet.nn as gn
from glassnet.nn.fast.optim import BLOCK, KERNELS, OptimizerStep, min_size, uses_row_hints

OPTIMIZERS = {
    "sgd": lambda: gn.SGD(0.05),
    "sgd-decay": lambda: gn.SGD(0.05, weight_decay=0.1),
    "sgd-momentum": lambda: gn.SGD(0.05, momentum=0.9),
    "sgd-nesterov-decay": lambda: gn.SGD(0.05, momentum=0.9, nesterov=True, weight_decay=0.1),
    "sgd-dampening": lambda: gn.SGD(0.05, momentum=0.8, dampening=0.3),
    "rmsprop": lambda: gn.RMSprop(0.01),
    "rmsprop-centered-momentum-decay": lambda: gn.RMSprop(0.01, centered=True, momentum=0.9,
                                                          weight_decay=0.1),
    "adagrad-decay": lambda: gn.Adagrad(0.1, lr_decay=0.01, weight_decay=0.1,
                                        initial_accumulator_value=0.1),
    "adam": lambda: gn.Adam(0.01),
    "adam-amsgrad-decay": lambda: gn.Adam(0.01, weight_decay=0.1, amsgrad=True),
    "adamw": lambda: gn.AdamW(0.01, weight_decay=0.05),
}


def _run(make, shape, dtype, kernel, steps=4, seed=0):
    """p after ``steps`` updates by ``OptimizerStep`` (kernel forced on or off)."""
    rng = np.random.default_rng(seed)
    p = rng.standard_normal(shape).astype(dtype)
    grads = [rng.standard_normal(shape).astype(dtype) for _ in range(steps)]
    g = np.empty_like(p)
    stepper = OptimizerStep(make())
    stepper.min_size = 0 if kernel else np.inf
    for grad in grads:
        g[...] = grad  # the same gradient array every step, as a layer's grads are
        stepper([(p, g)])
    return p, stepper


@pytest.mark.parametrize("name", list(OPTIMIZERS))
@pytest.mark.parametrize("shape", [(7, 3), (BLOCK,), (BLOCK + 1,), (600, 900)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_kernel_is_bitwise_the_formula(name, shape, dtype):
    make = OPTIMIZERS[name]
    with_kernel, stepper = _run(make, shape, dtype, kernel=True)
    assert stepper.kernel is KERNELS[type(stepper.optimizer)]
    formula, _ = _run(make, shape, dtype, kernel=False)
    np.testing.assert_array_equal(with_kernel, formula)
    # and the formula is what Optimizer.step computes, outside fit
    rng = np.random.default_rng(0)
    p = rng.standard_normal(shape).astype(dtype)
    opt = make()
    for _ in range(4):
        opt.step([(p, rng.standard_normal(shape).astype(dtype))])
    np.testing.assert_array_equal(p, formula)


def _adam_reference(p, grads, lr, betas, eps, wd, amsgrad, decoupled):
    """Adam written out on whole arrays, in the optimizer's order of operations."""
    dt = p.dtype.type
    m, v, vmax = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    b1, b2 = betas
    for t, g in enumerate(grads, start=1):
        if decoupled:
            p = p * dt(1 - lr * wd)
        elif wd:
            g = g + dt(wd) * p
        m = m * dt(b1) + dt(1 - b1) * g
        v = v * dt(b2) + dt(1 - b2) * g * g
        if amsgrad:
            vmax = np.maximum(vmax, v)
        denom = np.sqrt(vmax if amsgrad else v) / dt(np.sqrt(1 - b2 ** t)) + dt(eps)
        p = p - dt(lr / (1 - b1 ** t)) * m / denom
    return p


@pytest.mark.parametrize("make, kwargs", [
    (lambda: gn.Adam(lr=0.01), dict(wd=0.0, amsgrad=False, decoupled=False)),
    (lambda: gn.Adam(lr=0.01, weight_decay=0.1, amsgrad=True),
     dict(wd=0.1, amsgrad=True, decoupled=False)),
    (lambda: gn.AdamW(lr=0.01, weight_decay=0.05), dict(wd=0.05, amsgrad=False, decoupled=True)),
])
@pytest.mark.parametrize("kernel", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_adam_kernel_and_formula_are_adam_written_out(make, kwargs, kernel, dtype):
    rng = np.random.default_rng(2)
    shape = (600, 900)
    p0 = rng.standard_normal(shape).astype(dtype)
    grads = [rng.standard_normal(shape).astype(dtype) for _ in range(4)]
    expected = _adam_reference(p0.copy(), grads, 0.01, (0.9, 0.999), 1e-8, **kwargs)
    p = p0.copy()
    stepper = OptimizerStep(make())
    stepper.min_size = 0 if kernel else np.inf
    for g in grads:
        stepper([(p, g.copy())])
    np.testing.assert_array_equal(p, expected)


@pytest.mark.parametrize("shape", [(3,), (300, 300), (BLOCK,), (BLOCK + 1,), (3 * BLOCK - 5,)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sgd_is_exactly_p_minus_lr_g_in_place(shape, dtype):
    rng = np.random.default_rng(0)
    for kernel in (True, False):
        p = rng.standard_normal(shape).astype(dtype)
        g = rng.standard_normal(shape).astype(dtype)
        expected = p - dtype(0.05) * g
        held = p  # the same object must be updated (the layer's dict holds it)
        stepper = OptimizerStep(gn.SGD(lr=0.05))
        stepper.min_size = 0 if kernel else np.inf
        stepper([(held, g)])
        assert held is p
        np.testing.assert_array_equal(p, expected)


@pytest.mark.parametrize("name", ["sgd", "adam", "rmsprop-centered-momentum-decay"])
def test_a_non_contiguous_parameter_takes_the_formula_in_place(name):
    rng = np.random.default_rng(1)
    base = rng.standard_normal((400, 400)).astype(np.float32)
    p = base[:, ::2]  # a strided view: the kernel's flat blocks would copy it
    g = rng.standard_normal(p.shape).astype(np.float32)
    twin = p.copy()
    stepper = OptimizerStep(OPTIMIZERS[name]())
    stepper.min_size = 0
    reference = OPTIMIZERS[name]()
    for _ in range(3):
        stepper([(p, g)])
        reference.step([(twin, g)])
    np.testing.assert_array_equal(base[:, ::2], twin)


def test_row_hints_give_the_same_sgd_step():
    rng = np.random.default_rng(0)
    p1 = rng.normal(size=(8, 3))
    p2 = p1.copy()
    g = np.zeros((8, 3))
    rows = np.array([1, 5])
    g[rows] = rng.normal(size=(2, 3))
    gn.SGD(0.1).step([(p1, g)])
    OptimizerStep(gn.SGD(0.1))([(p2, g)], rows=[rows])
    np.testing.assert_array_equal(p1, p2)
    # momentum moves every row (its buffer decays), so a hint must not change its result
    p3, p4 = p1.copy(), p1.copy()
    m3, m4 = gn.SGD(0.1, momentum=0.9), OptimizerStep(gn.SGD(0.1, momentum=0.9))
    for _ in range(3):
        m3.step([(p3, g)])
        m4([(p4, g)], rows=[rows])
    np.testing.assert_array_equal(p3, p4)


def test_only_plain_sgd_takes_row_hints():
    assert uses_row_hints(gn.SGD(0.1))
    for opt in (gn.SGD(0.1, momentum=0.9), gn.SGD(0.1, weight_decay=0.1), gn.Adam(),
                type("MySGD", (gn.SGD,), {})(0.1)):
        assert not uses_row_hints(opt)


def test_kernels_start_above_the_measured_sizes_and_never_for_a_subclass():
    assert min_size(gn.SGD(0.1)) == BLOCK  # plain SGD gains only from blocking
    assert min_size(gn.SGD(0.1, momentum=0.9)) < min_size(gn.SGD(0.1))
    assert OptimizerStep(type("MyAdam", (gn.Adam,), {})()).kernel is None


def test_a_fresh_state_list_gets_fresh_blocks():
    """After ``reset`` the state arrays are new: the kernel's block views must follow them."""
    rng = np.random.default_rng(3)
    p, g = rng.standard_normal(BLOCK * 2), rng.standard_normal(BLOCK * 2)
    twin = p.copy()
    opt, reference = gn.Adam(0.01), gn.Adam(0.01)
    stepper = OptimizerStep(opt)
    stepper.min_size = 0
    for step in range(5):
        if step == 2:
            opt.reset()
            reference.reset()
        stepper([(p, g)])
        reference.step([(twin, g)])
    np.testing.assert_array_equal(p, twin)
