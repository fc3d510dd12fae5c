"""Each layer kernel computes what its textbook layer computes: the same outputs, input
gradients and parameter gradients, batch after batch through its kept buffers."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

import glassnet.nn as gn
from glassnet.nn import functional as F
from glassnet.nn.fast.kernels import (
    DenseKernel,
    LayerCall,
    SigmoidKernel,
    kernel_for,
    sigmoid_tanh,
)

ACTIVATIONS = [gn.Tanh, gn.ReLU, lambda: gn.LeakyReLU(0.1), gn.Softmax, gn.Identity]


def _batches(rng, shape, dtype):
    """Three batches: full, short (the last batch of an epoch), full again."""
    rows, cols = shape
    return [rng.standard_normal((n, cols)).astype(dtype) for n in (rows, 3, rows)]


@pytest.mark.parametrize("make", ACTIVATIONS, ids=["tanh", "relu", "leaky", "softmax", "id"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("owns_grad", [True, False])
def test_activation_kernels_are_bitwise_the_layer(make, dtype, owns_grad):
    rng = np.random.default_rng(0)
    layer = make()
    kernel = kernel_for(make(), owns_grad)
    for x in _batches(rng, (8, 5), dtype):
        g = rng.standard_normal(x.shape).astype(dtype)
        expected_y, y = layer.forward(x, training=True), kernel.forward(x)
        np.testing.assert_array_equal(y, expected_y)
        kept = g.copy()
        dx = kernel.backward(g)
        np.testing.assert_array_equal(dx, layer.backward(kept.copy()))
        if not owns_grad:  # not the fit's own array: left as it was
            np.testing.assert_array_equal(g, kept)


def test_an_owned_gradient_is_overwritten_in_place():
    rng = np.random.default_rng(1)
    kernel = kernel_for(gn.Tanh(), owns_grad=True)
    kernel.forward(rng.standard_normal((4, 3)))
    g = rng.standard_normal((4, 3))
    assert kernel.backward(g) is g


@pytest.mark.parametrize("dtype, atol", [(np.float32, 6e-8), (np.float64, 2.3e-16)])
def test_sigmoid_kernel_is_the_layer_to_float_resolution(dtype, atol):
    rng = np.random.default_rng(2)
    layer, kernel = gn.Sigmoid(), SigmoidKernel(gn.Sigmoid())
    for x in _batches(rng, (8, 5), dtype):
        x = x * 8
        g = rng.standard_normal(x.shape).astype(dtype)
        np.testing.assert_allclose(kernel.forward(x), layer.forward(x), rtol=0, atol=atol)
        np.testing.assert_allclose(kernel.backward(g), layer.backward(g), rtol=0,
                                   atol=4 * atol * np.abs(g).max())


def test_sigmoid_tanh_matches_the_exact_form_to_float_resolution_without_warnings():
    x64 = np.linspace(-40, 40, 20001)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for dtype, atol in ((np.float32, 6e-8), (np.float64, 2.3e-16)):
            x = x64.astype(dtype)
            y = sigmoid_tanh(x)
            assert y.dtype == dtype
            # compared with the exact value at the same (rounded) input
            np.testing.assert_allclose(y, F.sigmoid(x.astype(np.float64)), rtol=0, atol=atol)
        y = sigmoid_tanh(np.array([-1000.0, 1000.0], np.float32))
    np.testing.assert_array_equal(y, [0.0, 1.0])
    assert sigmoid_tanh(0.0) == 0.5 and np.isscalar(sigmoid_tanh(0.0))
    np.testing.assert_allclose(sigmoid_tanh([0, 1]), F.sigmoid([0.0, 1.0]))  # integers: exact
    out = np.empty(3, np.float32)
    assert sigmoid_tanh(np.zeros(3, np.float32), out=out) is out
    # the exact form keeps the tail that the fast one rounds to 0
    assert F.sigmoid(np.float32(-50)) > 0 and sigmoid_tanh(np.float32(-50)) == 0


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dense_kernel_is_the_layer(bias, dtype):
    """y and dx bitwise; dW bitwise; db to rounding (BLAS sums 1^T g in another order)."""
    rng = np.random.default_rng(3)
    layer = gn.Dense(5, 4, bias=bias, rng=0, dtype=dtype)
    twin = gn.Dense(5, 4, bias=bias, rng=0, dtype=dtype)
    kernel = DenseKernel(twin)
    for x in _batches(rng, (8, 5), dtype):
        g = rng.standard_normal((x.shape[0], 4)).astype(dtype)
        np.testing.assert_array_equal(kernel.forward(x), layer.forward(x))
        np.testing.assert_array_equal(kernel.backward(g), layer.backward(g))
        np.testing.assert_array_equal(twin.grads["W"], layer.grads["W"])
        if bias:
            tol = 1e-6 if dtype == np.float32 else 1e-14
            np.testing.assert_allclose(twin.grads["b"], layer.grads["b"], rtol=tol, atol=tol)


def test_the_first_dense_kernel_skips_dx():
    rng = np.random.default_rng(4)
    kernel = DenseKernel(gn.Dense(5, 4, rng=0), input_grad=False)
    kernel.forward(rng.standard_normal((6, 5)).astype(np.float32))
    assert kernel.backward(np.ones((6, 4), np.float32)) is None


def test_sparse_backward_writes_only_used_rows_and_stays_exact(rng):
    """Consecutive sparse batches with different words, and a dense batch between them: the
    weight gradient always equals the dense x.T @ g (stale rows are cleared)."""
    layer = gn.Dense(50, 4, rng=0, dtype=np.float64)
    kernel = DenseKernel(layer)
    for density in (0.05, 0.2, None, 0.02, 0.1):
        x = rng.random((3, 50)) * (rng.random((3, 50)) < (density or 1.0))
        g = rng.normal(size=(3, 4))
        kernel.forward(x if density is None else sp.csr_matrix(x))
        kernel.backward(g)
        np.testing.assert_allclose(layer.grads["W"], x.T @ g, atol=1e-12)
        if density is None:
            assert kernel.rows is None
        else:
            np.testing.assert_array_equal(kernel.rows, np.flatnonzero(x.any(axis=0)))


def test_sparse_dense_kernel_equals_the_textbook_sparse_layer(rng):
    x = sp.csr_matrix(rng.random((6, 20)) * (rng.random((6, 20)) < 0.3))
    g = rng.normal(size=(6, 3))
    layer, twin = gn.Dense(20, 3, rng=1, dtype=np.float64), gn.Dense(20, 3, rng=1,
                                                                    dtype=np.float64)
    kernel = DenseKernel(twin)
    np.testing.assert_array_equal(kernel.forward(x), layer.forward(x))
    np.testing.assert_array_equal(kernel.backward(g), layer.backward(g))
    np.testing.assert_array_equal(twin.grads["W"], layer.grads["W"])


def test_dropout_kernel_draws_the_layers_mask():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((40, 6))
    g = rng.standard_normal((40, 6))
    layer, twin = gn.Dropout(0.3, rng=7), gn.Dropout(0.3, rng=7)
    kernel = kernel_for(twin, owns_grad=False)
    np.testing.assert_array_equal(kernel.forward(x), layer.forward(x, training=True))
    np.testing.assert_array_equal(kernel.backward(g), layer.backward(g))


def test_a_user_layer_runs_as_itself():
    class Double(gn.Layer):
        def forward(self, x, training=False):
            self.seen_training = training
            return 2 * x

        def backward(self, grad_out):
            return 2 * grad_out

    layer = Double()
    kernel = kernel_for(layer, owns_grad=True)
    assert isinstance(kernel, LayerCall) and kernel.returns_owned is False
    np.testing.assert_array_equal(kernel.forward(np.ones((2, 2))), 2 * np.ones((2, 2)))
    assert layer.seen_training is True
