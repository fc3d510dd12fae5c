"""SGD's blockwise update (lr * g formed a cache-sized block at a time) is exactly p - lr * g."""

import numpy as np
import pytest

import glassnet.nn as gn


@pytest.mark.parametrize("shape", [(3,), (300, 300), (65536,), (65537,)])
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
