"""Layers: each one a forward pass, the backward pass that differentiates it, and nothing hidden.

The contract every layer keeps (samples are rows):

* ``params`` and ``grads``: dicts of arrays with the same keys and shapes (``"W"``, ``"b"``).
  Both are updated in place, so an optimizer can hold on to them.
* ``forward(x, training=False)``: returns the output and caches what ``backward`` needs.
* ``backward(grad_out)``: given dL/d(output), fills ``grads`` and returns dL/d(input).

Speed without hidden state: while ``Sequential.fit`` runs, each layer gets a ``workspace`` dict
and writes its per-batch outputs and gradients into arrays kept there (``_scratch``) instead of
allocating new ones every batch; activations then also scale the incoming gradient in place.
Outside ``fit`` (``workspace`` is None) every call returns a fresh array, so an output a caller
keeps is never overwritten by a later call.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from . import functional as F
from . import initializers

__all__ = [
    "Dense",
    "Dropout",
    "Identity",
    "Layer",
    "LeakyReLU",
    "ReLU",
    "Sigmoid",
    "Softmax",
    "Step",
    "Tanh",
    "get_activation",
    "layer_from_config",
]


def _dot(a, b, out=None):
    """a @ b, written into ``out`` when given.

    ``np.dot`` skips ``np.matmul``'s ufunc machinery (a few microseconds a call, which is much
    of a small layer's time) but accepts only an ``out`` of exactly its result's dtype and
    C-contiguous; anything else goes to ``matmul``, which casts.
    """
    if out is None or (a.dtype == b.dtype == out.dtype and out.flags.c_contiguous):
        return np.dot(a, b, out=out)
    return np.matmul(a, b, out=out)


class Layer:
    """Base class. A layer without parameters keeps ``params`` and ``grads`` empty."""

    #: scratch arrays reused from batch to batch; a dict only while ``Sequential.fit`` runs
    workspace: dict | None = None

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

    def forward(self, x, training=False):  # pragma: no cover - interface
        raise NotImplementedError

    def backward(self, grad_out):  # pragma: no cover - interface
        raise NotImplementedError

    def __call__(self, x, training=False):
        """``layer(x)`` is ``layer.forward(x, training)``."""
        return self.forward(x, training)

    def _scratch(self, name, shape, dtype, training=True):
        """An array of ``shape`` kept in the workspace; None (NumPy allocates) outside fit and
        in inference, whose outputs callers keep (``predict`` during fit, for validation).

        The array is sized for the first (full) batch; a shorter last batch gets a view of its
        leading rows, so one allocation serves a whole fit.
        """
        if self.workspace is None or not training:
            return None
        buf = self.workspace.get(name)
        if buf is None or buf.shape[0] < shape[0] or buf.shape[1:] != shape[1:] or \
                buf.dtype != dtype:
            buf = self.workspace[name] = np.empty(shape, dtype)
        return buf[:shape[0]]

    def _grad_out_buffer(self, grad_out):
        """Where an activation may write dL/dx: over grad_out itself inside fit, whose gradients
        are the engine's own scratch arrays; a new array otherwise (the caller's is not ours)."""
        return grad_out if self.workspace is not None else None

    def reset_parameters(self, rng, dtype):
        """Draw fresh parameters from ``rng``; layers without parameters do nothing."""

    def astype(self, dtype):
        """Cast parameters and gradients to ``dtype`` in place of the old arrays."""
        for key in self.params:
            self.params[key] = self.params[key].astype(dtype)
            self.grads[key] = np.zeros_like(self.params[key])
        return self

    def get_config(self):
        """Constructor arguments as JSON-able values (used by save/load and ``summary``)."""
        return {}

    @property
    def n_params(self):
        return sum(p.size for p in self.params.values())

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class Dense(Layer):
    """Fully connected layer: y = x @ W + b.

    Shapes: x (n, n_in) dense or ``scipy.sparse`` CSR, W (n_in, n_out), b (n_out,), y (n, n_out).
    Backward: dW = x.T @ g, db = sum over rows of g, dx = g @ W.T.
    With sparse x, both x @ W and x.T @ g are sparse products: only the non-zero entries of each
    row are touched, which is what makes bag-of-words input fast.
    """

    def __init__(self, n_in, n_out, *, bias=True, init=None, bias_init="zeros", rng=None,
                 dtype=np.float32):
        super().__init__()
        for name, value in (("n_in", n_in), ("n_out", n_out)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
                raise ValueError(f"Dense {name} must be a positive integer, got {value!r}")
        self.n_in, self.n_out, self.bias = int(n_in), int(n_out), bool(bias)
        self.init_name = init if isinstance(init, str) or init is None else type(init).__name__
        self._init = None if init is None else initializers.get(init)
        self._bias_init = initializers.get(bias_init)
        # The first layer of a model never needs dL/dx; the model switches this off to save a
        # matrix product per batch.
        self.needs_input_grad = True
        # Rows of grads["W"] that the last sparse backward wrote (None: the whole array may hold
        # values). Plain SGD reads it to update only those rows: the course's sparse updates.
        self.grad_rows = None
        self._x, self._sparse = None, False
        self._ones_cache = None
        self.reset_parameters(np.random.default_rng(rng), dtype)

    def reset_parameters(self, rng, dtype, init=None):
        init = init or self._init or initializers.GlorotUniform()
        self.params["W"] = np.ascontiguousarray(init((self.n_in, self.n_out), rng, dtype))
        self.grads["W"] = np.zeros_like(self.params["W"])
        if self.bias:
            self.params["b"] = self._bias_init((self.n_out,), rng, dtype)
            self.grads["b"] = np.zeros_like(self.params["b"])

    def forward(self, x, training=False):
        # (the isinstance test first: sp.issparse is an ABC check, slow enough to notice when
        # a small network runs thousands of batches a second)
        self._sparse = sparse = not isinstance(x, np.ndarray) and sp.issparse(x)
        if sparse and x.format != "csr":
            x = x.tocsr()  # backward reads x's row structure (indptr/indices) directly
        self._x = x
        W = self.params["W"]
        if sparse:
            out = np.asarray(x @ W)  # CSR @ dense: only each row's non-zero entries are touched
        else:
            buf = self._scratch("out", (x.shape[0], self.n_out), W.dtype, training)
            out = _dot(x, W, out=buf)
        if self.bias:
            out += self.params["b"]
        return out

    def backward(self, grad_out):
        x = self._x
        if self._sparse:
            self._sparse_weight_grad(x, grad_out)
        else:
            _dot(x.T, grad_out, out=self.grads["W"])  # x.T is a view: BLAS reads it as is
            self.grad_rows = None
        if self.bias:
            # db = 1^T g: a BLAS matrix-vector product, several times faster than np.sum(axis=0)
            _dot(self._ones(grad_out.shape[0], grad_out.dtype), grad_out, out=self.grads["b"])
        if not self.needs_input_grad:
            return None
        return _dot(grad_out, self.params["W"].T,
                    out=self._scratch("dx", (grad_out.shape[0], self.n_in), grad_out.dtype))

    def _sparse_weight_grad(self, x, g):
        """dW = x.T @ g for CSR x, written only into the rows of the columns x uses.

        Row j of dW is sum_i x[i, j] g[i], zero unless some sample has feature j. For one review
        of ~100 distinct words out of an 80,000-word vocabulary, computing those rows on a compact
        matrix of just the used columns, and clearing only the rows the previous batch wrote,
        costs the review's words instead of the whole vocabulary. The array stays the exact,
        full gradient (zeros elsewhere), so every optimizer still reads it as usual.
        """
        gW = self.grads["W"]
        rows, local = np.unique(x.indices, return_inverse=True)
        compact = sp.csr_matrix((x.data, local.reshape(-1), x.indptr),
                                shape=(x.shape[0], rows.size))
        if self.grad_rows is None:  # the array may hold a dense gradient: clear it once
            gW[...] = 0
        else:
            gW[self.grad_rows] = 0
        gW[rows] = compact.T @ g
        self.grad_rows = rows

    def _ones(self, n, dtype):
        """A vector of n ones (kept: it is the same every batch)."""
        ones = self._ones_cache
        if ones is None or ones.shape[0] < n or ones.dtype != dtype:
            ones = self._ones_cache = np.ones(n, dtype)
        return ones[:n]

    def get_config(self):
        return {"n_in": self.n_in, "n_out": self.n_out, "bias": self.bias}


class Identity(Layer):
    """y = x (a linear output, named so a model's structure reads plainly)."""

    def forward(self, x, training=False):
        return x

    def backward(self, grad_out):
        return grad_out


class Sigmoid(Layer):
    """y = 1 / (1 + exp(-x)); dy/dx = y (1 - y), computed from the cached output."""

    def forward(self, x, training=False):
        self._y = F.sigmoid_tanh(x, out=self._scratch("y", x.shape, x.dtype, training))
        return self._y

    def backward(self, grad_out):
        y = self._y
        slope = np.subtract(1, y, out=self._scratch("slope", y.shape, y.dtype))
        slope *= y
        return np.multiply(grad_out, slope, out=self._grad_out_buffer(grad_out))


class Tanh(Layer):
    """y = tanh(x); dy/dx = 1 - y^2."""

    def forward(self, x, training=False):
        self._y = np.tanh(x, out=self._scratch("y", x.shape, x.dtype, training))
        return self._y

    def backward(self, grad_out):
        slope = np.square(self._y, out=self._scratch("slope", self._y.shape, self._y.dtype))
        np.subtract(1, slope, out=slope)
        return np.multiply(grad_out, slope, out=self._grad_out_buffer(grad_out))


class ReLU(Layer):
    """y = max(x, 0); dy/dx = 1 where x > 0, else 0 (0 at x = 0, as PyTorch)."""

    def forward(self, x, training=False):
        self._y = np.maximum(x, 0, out=self._scratch("y", x.shape, x.dtype, training))
        return self._y

    def backward(self, grad_out):
        # the mask goes to a kept buffer: a new (256, 1024) bool array each batch is fresh
        # memory from the OS, page faults and all (10-20% of this pass)
        mask = np.greater(self._y, 0, out=self._scratch("mask", self._y.shape, np.bool_))
        return np.multiply(grad_out, mask, out=self._grad_out_buffer(grad_out))


class LeakyReLU(Layer):
    """y = x for x > 0, alpha x otherwise; dy/dx = 1 or alpha."""

    def __init__(self, alpha=0.01):
        super().__init__()
        if not 0 <= alpha < 1:
            raise ValueError(f"LeakyReLU alpha must be in [0, 1), got {alpha!r}")
        self.alpha = float(alpha)

    def forward(self, x, training=False):
        self._pos = x > 0
        return np.where(self._pos, x, x * x.dtype.type(self.alpha))

    def backward(self, grad_out):
        return np.where(self._pos, grad_out, grad_out * grad_out.dtype.type(self.alpha))

    def get_config(self):
        return {"alpha": self.alpha}


class Softmax(Layer):
    """Row-wise softmax y_i = exp(x_i) / sum_j exp(x_j).

    Backward (Jacobian-vector product): dx = y * (g - sum_j g_j y_j), one row at a time.
    Paired with CrossEntropy the model skips this and uses the fused gradient (y - t) / n.
    """

    def forward(self, x, training=False):
        self._y = F.softmax(x, axis=1, out=self._scratch("y", x.shape, x.dtype, training))
        return self._y

    def backward(self, grad_out):
        y = self._y
        return y * (grad_out - np.sum(grad_out * y, axis=1, keepdims=True))


class Step(Layer):
    """The perceptron's activation: 1 where x >= 0, else 0. It has no useful gradient."""

    def forward(self, x, training=False):
        return F.step(x)

    def backward(self, grad_out):
        raise RuntimeError(
            "cannot backpropagate through Step: its derivative is 0 everywhere (and undefined at "
            "0), so no gradient would flow. Train with Sigmoid (or use the perceptron trick in "
            "glassnet.classic.perceptron) and threshold the output afterwards."
        )


class Dropout(Layer):
    """Inverted dropout: in training, zero each input with probability p and scale the rest by
    1 / (1 - p), so inference needs no rescaling and is the identity.

    The mask comes from ``self.rng``, which the model sets to its own generator.
    """

    def __init__(self, p=0.5, rng=None):
        super().__init__()
        if not 0 <= p < 1:
            raise ValueError(f"Dropout p must be in [0, 1), got {p!r}")
        self.p = float(p)
        self.rng = np.random.default_rng(rng)
        self._mask = None

    def forward(self, x, training=False):
        if not training or self.p == 0:
            self._mask = None
            return x
        keep = self.rng.random(x.shape, dtype=np.float32) >= self.p
        self._mask = keep.astype(x.dtype)
        self._mask /= x.dtype.type(1 - self.p)
        return x * self._mask

    def backward(self, grad_out):
        return grad_out if self._mask is None else grad_out * self._mask

    def get_config(self):
        return {"p": self.p}


_ACTIVATIONS = {
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "leakyrelu": LeakyReLU,
    "softmax": Softmax,
    "identity": Identity,
    "linear": Identity,
    "step": Step,
}

_LAYERS = {cls.__name__: cls for cls in
           (Dense, Identity, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax, Step, Dropout)}


def get_activation(name):
    """An activation layer from its name: sigmoid, tanh, relu, leaky_relu, softmax, identity."""
    if isinstance(name, Layer):
        return name
    if name is None:
        return Identity()
    try:
        return _ACTIVATIONS[str(name).lower()]()
    except KeyError:
        raise ValueError(
            f"unknown activation {name!r}; choose one of {sorted(set(_ACTIVATIONS))}"
        ) from None


def layer_from_config(kind, config, dtype=np.float32):
    """Rebuild a layer from ``type(layer).__name__`` and ``layer.get_config()``."""
    try:
        cls = _LAYERS[kind]
    except KeyError:
        raise ValueError(f"unknown layer type {kind!r}; known: {sorted(_LAYERS)}") from None
    if cls is Dense:
        return Dense(**config, dtype=dtype)
    return cls(**config)
