"""Optimizers update a cache-sized block at a time (SGD, Adam, RMSprop, Adagrad): exactly the
whole-array maths, bit for bit."""

import numpy as np
import pytest

import glassnet.nn as gn
from glassnet.nn.optimizers import _BLOCK, _WHOLE


@pytest.mark.parametrize("shape", [(3,), (300, 300), (_BLOCK,), (_BLOCK + 1,), (3 * _BLOCK - 5,)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sgd_update_is_exactly_p_minus_lr_g(shape, dtype):
    rng = np.random.default_rng(0)
    p = rng.standard_normal(shape).astype(dtype)
    g = rng.standard_normal(shape).astype(dtype)
    expected = p - dtype(0.05) * g
    param = p  # the same object must be updated (the layer's dict holds it)
    gn.SGD(lr=0.05).step([(param, g)])
    assert param is p
    np.testing.assert_array_equal(p, expected)


def test_sgd_updates_a_non_contiguous_parameter_in_place():
    rng = np.random.default_rng(1)
    base = rng.standard_normal((400, 400)).astype(np.float32)
    p = base[:, ::2]  # a strided view: reshape(-1) would copy it
    g = rng.standard_normal(p.shape).astype(np.float32)
    expected = p - np.float32(0.1) * g
    gn.SGD(lr=0.1).step([(p, g)])
    np.testing.assert_array_equal(base[:, ::2], expected)
    np.testing.assert_array_equal(p, expected)


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
@pytest.mark.parametrize("shape", [(7, 3), (300, 700), (600, 900), (_WHOLE + 1,)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_blockwise_adam_is_exactly_whole_array_adam(make, kwargs, shape, dtype):
    rng = np.random.default_rng(2)
    p = rng.standard_normal(shape).astype(dtype)
    grads = [rng.standard_normal(shape).astype(dtype) for _ in range(4)]
    expected = _adam_reference(p.copy(), grads, 0.01, (0.9, 0.999), 1e-8, **kwargs)
    opt, param = make(), p
    for g in grads:
        opt.step([(param, g)])
    assert param is p
    np.testing.assert_array_equal(p, expected)
    if len(shape) == 2:  # a non-contiguous parameter takes the whole-array path: same result
        q = np.asfortranarray(rng.standard_normal(shape).astype(dtype))
        q_expected = _adam_reference(q.copy(), grads, 0.01, (0.9, 0.999), 1e-8, **kwargs)
        opt = make()
        for g in grads:
            opt.step([(q, np.asfortranarray(g))])
        np.testing.assert_array_equal(q, q_expected)


@pytest.mark.parametrize("make", [
    lambda: gn.RMSprop(lr=0.01),
    lambda: gn.RMSprop(lr=0.01, centered=True, momentum=0.9, weight_decay=0.1),
    lambda: gn.Adagrad(lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.1),
    lambda: gn.Adam(lr=0.01, amsgrad=True),
], ids=["rmsprop", "rmsprop-centered-momentum-wd", "adagrad-decay-wd", "adam-amsgrad"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_blockwise_update_equals_the_whole_array_update(make, dtype):
    """A C-ordered parameter of 540,000 weights (5 blocks) is updated block by block, a
    Fortran-ordered one (not C-contiguous) in one piece: the same maths, the same bits."""
    rng = np.random.default_rng(3)
    shape = (600, 900)
    assert np.prod(shape) > _WHOLE
    p_blocks = rng.standard_normal(shape).astype(dtype)
    p_whole = np.asfortranarray(p_blocks)
    opt_blocks, opt_whole = make(), make()
    for _ in range(4):
        g = rng.standard_normal(shape).astype(dtype)
        opt_blocks.step([(p_blocks, g)])
        opt_whole.step([(p_whole, np.asfortranarray(g))])
    assert p_blocks.flags.c_contiguous and not p_whole.flags.c_contiguous
    np.testing.assert_array_equal(p_blocks, p_whole)
