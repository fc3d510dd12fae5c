"""Layer kernels: each built-in layer's forward and backward as ``fit`` runs them.

A kernel computes what its layer's ``forward``/``backward`` compute (``tests/nn/fast/
test_kernels.py`` proves each equal), with these differences, all of them speed:

* outputs and gradients go into arrays kept for the whole fit (sized for the first batch; the
  shorter last batch uses their leading rows), so no batch allocates;
* an activation multiplies the incoming gradient in place when that array is the fit's own;
* ``Dense`` calls ``np.dot`` (no ``matmul`` dispatch), sums db as the BLAS product 1^T g, skips
  dx in the first layer, and with sparse input writes dW only in the rows of the columns the
  batch uses (``rows``: the row hints plain SGD reads);
* ``Sigmoid`` evaluates (1 + tanh(x / 2)) / 2 (``sigmoid_tanh``).

A kernel never changes its layer's attributes: it reads ``params`` and writes ``grads`` (in
place, as the layer does), and keeps its caches and buffers to itself.
"""

from __future__ import annotations

import numpy as np

from .. import functional as F
from ..activations import LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
from ..layers import Dense, Dropout, Identity

__all__ = ["KERNELS", "Kernel", "LayerCall", "kernel_for", "sigmoid_tanh"]


def sigmoid_tanh(x, out=None):
    """The logistic function as (1 + tanh(x / 2)) / 2: what the Sigmoid kernel evaluates.

    NumPy's tanh is vectorized and several times faster than the exp-based form, and it
    saturates to -1 instead of overflowing. The price is absolute rather than relative accuracy:
    the error stays within a unit in the last place of 1 (6e-8 in float32), so outputs below
    about 3e-8 (x < -17 in float32, x < -37 in float64) round to 0. A network's forward pass only
    compares such values with targets of 0 or 1, where that difference is invisible; for the
    exact tail, or its logarithm, use ``functional.sigmoid`` or ``functional.log_sigmoid``.
    """
    x = np.asarray(x)
    if x.dtype.kind != "f":  # (not np.issubdtype: this runs every batch, and that is slow)
        return F.sigmoid(x, out=out)
    half = x.dtype.type(0.5)
    y = np.multiply(x, half, out=np.empty_like(x) if out is None else out)
    np.tanh(y, out=y)
    y *= half
    y += half
    return y if y.ndim else y[()]


def _dot(a, b, out=None):
    """a @ b, written into ``out`` when given.

    ``np.dot`` skips ``np.matmul``'s ufunc machinery (a few microseconds a call, which is much
    of a small layer's time) but accepts only an ``out`` of exactly its result's dtype and
    C-contiguous; anything else goes to ``matmul``, which casts.
    """
    if out is None or (a.dtype == b.dtype == out.dtype and out.flags.c_contiguous):
        return np.dot(a, b, out=out)
    return np.matmul(a, b, out=out)


class Kernel:
    """One layer's forward and backward with buffers kept for a fit.

    ``owns_grad``: the gradient ``backward`` receives is the fit's own array (a kernel's buffer
    or a built-in loss's fresh gradient), so the kernel may overwrite it. ``returns_owned``:
    the gradient this kernel returns is one the kernel below may overwrite.
    """

    returns_owned = True

    def __init__(self, layer, owns_grad=False):
        self.layer, self.owns_grad = layer, owns_grad
        self.buffers: dict[str, np.ndarray] = {}

    def buffer(self, name, shape, dtype):
        """A kept array of ``shape``: allocated for the first (full) batch, then reused; a
        shorter batch gets a view of its leading rows."""
        buf = self.buffers.get(name)
        if buf is not None and buf.dtype == dtype and buf.shape[1:] == shape[1:]:
            if buf.shape[0] == shape[0]:
                return buf
            if buf.shape[0] > shape[0]:
                return buf[:shape[0]]
        buf = self.buffers[name] = np.empty(shape, dtype)
        return buf

    def grad_buffer(self, grad_out):
        """Where dL/dx may go: over the incoming gradient when it is ours, else a new array."""
        return grad_out if self.owns_grad else None


class LayerCall(Kernel):
    """Any other layer (a user's, Step): its own ``forward(x, training=True)`` and ``backward``.
    What it returns may be an array it keeps, so the kernel below must not overwrite it."""

    returns_owned = False

    def forward(self, x):
        return self.layer.forward(x, training=True)

    def backward(self, grad_out):
        return self.layer.backward(grad_out)


class DenseKernel(Kernel):
    """``Dense``: y = x @ W + b; dW = x.T @ g, db = 1^T g, dx = g @ W.T (not in the first
    layer); dW of sparse x written only in the rows x uses (``rows``)."""

    def __init__(self, layer, owns_grad=False, input_grad=True):
        super().__init__(layer, owns_grad)
        self.input_grad = input_grad
        self.rows = None  # rows of grads["W"] the last sparse backward wrote; None: all
        self._ones = None

    def forward(self, x):
        layer = self.layer
        self.x = x
        W = layer.params["W"]
        if isinstance(x, np.ndarray):
            out = _dot(x, W, out=self.buffer("out", (x.shape[0], layer.n_out), W.dtype))
        else:  # CSR @ dense: only each row's non-zero entries are touched
            out = np.asarray(x @ W)
        if layer.bias:
            out += layer.params["b"]
        return out

    def backward(self, grad_out):
        layer, x = self.layer, self.x
        if isinstance(x, np.ndarray):
            _dot(x.T, grad_out, out=layer.grads["W"])  # x.T is a view: BLAS reads it as is
            self.rows = None
        else:
            self._sparse_weight_grad(x, grad_out)
        if layer.bias:
            # db = 1^T g: a BLAS matrix-vector product, several times faster than sum(axis=0)
            _dot(self._ones_like_rows(grad_out), grad_out, out=layer.grads["b"])
        if not self.input_grad:
            return None
        return _dot(grad_out, layer.params["W"].T,
                    out=self.buffer("dx", (grad_out.shape[0], layer.n_in), grad_out.dtype))

    def _sparse_weight_grad(self, x, g):
        """dW = x.T @ g for CSR x, written only into the rows of the columns x uses.

        Row j of dW is sum_i x[i, j] g[i], zero unless some sample has feature j. For one review
        of ~100 distinct words out of an 80,000-word vocabulary, computing those rows on a
        compact matrix of just the used columns, and clearing only the rows the previous batch
        wrote, costs the review's words instead of the whole vocabulary. The array stays the
        exact, full gradient (zeros elsewhere), so every optimizer still reads it as usual.
        """
        import scipy.sparse as sp

        gW = self.layer.grads["W"]
        rows, local = np.unique(x.indices, return_inverse=True)
        compact = sp.csr_matrix((x.data, local.reshape(-1), x.indptr),
                                shape=(x.shape[0], rows.size))
        if self.rows is None:  # the array may hold a dense gradient: clear it once
            gW[...] = 0
        else:
            gW[self.rows] = 0
        gW[rows] = compact.T @ g
        self.rows = rows

    def _ones_like_rows(self, g):
        ones = self._ones
        if ones is None or ones.shape[0] < g.shape[0] or ones.dtype != g.dtype:
            ones = self._ones = np.ones(g.shape[0], g.dtype)
        return ones[:g.shape[0]]


class IdentityKernel(Kernel):
    """``Identity``: y = x, dx = g (passed on as it came)."""

    def __init__(self, layer, owns_grad=False):
        super().__init__(layer, owns_grad)
        self.returns_owned = owns_grad

    def forward(self, x):
        return x

    def backward(self, grad_out):
        return grad_out


class SigmoidKernel(Kernel):
    """``Sigmoid``: y = (1 + tanh(x / 2)) / 2; dx = g * (1 - y) * y."""

    def forward(self, x):
        self.y = sigmoid_tanh(x, out=self.buffer("y", x.shape, x.dtype))
        return self.y

    def backward(self, grad_out):
        y = self.y
        slope = np.subtract(1, y, out=self.buffer("slope", y.shape, y.dtype))
        slope *= y
        return np.multiply(grad_out, slope, out=self.grad_buffer(grad_out))


class TanhKernel(Kernel):
    """``Tanh``: y = tanh(x); dx = g * (1 - y^2)."""

    def forward(self, x):
        self.y = np.tanh(x, out=self.buffer("y", x.shape, x.dtype))
        return self.y

    def backward(self, grad_out):
        slope = np.square(self.y, out=self.buffer("slope", self.y.shape, self.y.dtype))
        np.subtract(1, slope, out=slope)
        return np.multiply(grad_out, slope, out=self.grad_buffer(grad_out))


class ReLUKernel(Kernel):
    """``ReLU``: y = max(x, 0); dx = g * (y > 0)."""

    def forward(self, x):
        self.y = np.maximum(x, 0, out=self.buffer("y", x.shape, x.dtype))
        return self.y

    def backward(self, grad_out):
        # the mask goes to a kept buffer: a fresh (256, 1024) bool array each batch is new
        # memory from the OS, page faults and all
        mask = np.greater(self.y, 0, out=self.buffer("mask", self.y.shape, np.bool_))
        return np.multiply(grad_out, mask, out=self.grad_buffer(grad_out))


class LeakyReLUKernel(Kernel):
    """``LeakyReLU``: y = x where x > 0, else alpha x; dx = g or alpha g."""

    def forward(self, x):
        alpha = x.dtype.type(self.layer.alpha)
        self.positive = np.greater(x, 0, out=self.buffer("positive", x.shape, np.bool_))
        y = np.multiply(x, alpha, out=self.buffer("y", x.shape, x.dtype))
        np.copyto(y, x, where=self.positive)
        return y

    def backward(self, grad_out):
        alpha = grad_out.dtype.type(self.layer.alpha)
        scaled = np.multiply(grad_out, alpha, out=self.buffer("dx", grad_out.shape,
                                                              grad_out.dtype))
        np.copyto(scaled, grad_out, where=self.positive)
        return scaled


class SoftmaxKernel(Kernel):
    """``Softmax`` row by row; its backward runs only where the loss is not fused with it."""

    def forward(self, x):
        self.y = F.softmax(x, axis=1, out=self.buffer("y", x.shape, x.dtype))
        return self.y

    def backward(self, grad_out):
        y = self.y
        return y * (grad_out - np.sum(grad_out * y, axis=1, keepdims=True))


class DropoutKernel(Kernel):
    """``Dropout`` in training: the same mask from the same generator, y = x * mask."""

    def forward(self, x):
        layer = self.layer
        if layer.p == 0:
            self.mask = None
            return x
        keep = layer.rng.random(x.shape, dtype=np.float32) >= layer.p
        self.mask = keep.astype(x.dtype) / x.dtype.type(1 - layer.p)
        return x * self.mask

    def backward(self, grad_out):
        if self.mask is None:
            return grad_out
        return np.multiply(grad_out, self.mask, out=self.grad_buffer(grad_out))


#: the kernel of each built-in layer, by exact type (a subclass may change the maths)
KERNELS = {Dense: DenseKernel, Identity: IdentityKernel, Sigmoid: SigmoidKernel,
           Tanh: TanhKernel, ReLU: ReLUKernel, LeakyReLU: LeakyReLUKernel,
           Softmax: SoftmaxKernel, Dropout: DropoutKernel}


def kernel_for(layer, owns_grad, input_grad=True):
    """The kernel that runs ``layer`` in fit (``LayerCall`` for a layer without one)."""
    kind = KERNELS.get(type(layer))
    if kind is None:
        return LayerCall(layer, owns_grad)
    if kind is DenseKernel:
        return DenseKernel(layer, owns_grad, input_grad)
    return kind(layer, owns_grad)
