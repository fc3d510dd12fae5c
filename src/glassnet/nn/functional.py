"""Numerically stable activation and probability maths, as plain NumPy functions.

Every function accepts an array of any shape (rows are samples where an axis matters) and never
emits an overflow or divide-by-zero warning, even at inputs of +-1000. Where an ``out=`` argument
exists it lets the layers reuse a buffer instead of allocating one per batch.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "leaky_relu",
    "log_sigmoid",
    "log_softmax",
    "logsumexp",
    "one_hot",
    "relu",
    "sigmoid",
    "softmax",
    "softplus",
    "step",
    "tanh",
]


def sigmoid(x, out=None):
    """Logistic function 1 / (1 + exp(-x)), accurate across the whole range.

    Written naively, exp(-x) overflows for x << 0. With e = exp(-|x|), which lies in (0, 1] and
    never overflows, sigmoid(x) = 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0: each form
    keeps full relative accuracy on its side (sigmoid(-50) = 1.9e-22, not 0). Keeps a float
    input's dtype; anything else becomes float64.

    >>> sigmoid([0.0, 2.0]).round(8)
    array([0.5       , 0.88079708])
    """
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    e = np.exp(-np.abs(x))
    y = np.divide(np.where(x >= 0, x.dtype.type(1), e), 1 + e, out=out)
    return y if y.ndim else y[()]


def log_sigmoid(x):
    """log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), finite for every finite x."""
    x = np.asarray(x)
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


def softplus(x):
    """log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)); the smooth ReLU, and -log_sigmoid(-x)."""
    x = np.asarray(x)
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def tanh(x, out=None):
    """Hyperbolic tangent; NumPy's is already stable (saturates to +-1)."""
    return np.tanh(x, out=out)


def relu(x, out=None):
    """max(x, 0)."""
    return np.maximum(x, 0, out=out)


def leaky_relu(x, alpha=0.01):
    """x for x > 0, alpha * x otherwise."""
    x = np.asarray(x)
    return np.where(x > 0, x, x * np.asarray(alpha, dtype=x.dtype))


def step(x):
    """Heaviside step as the perceptron lessons use it: 1 where x >= 0, else 0 (same dtype)."""
    x = np.asarray(x)
    dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64
    return (x >= 0).astype(dtype)


def logsumexp(x, axis=-1, keepdims=False):
    """log(sum(exp(x))) along ``axis``, with the maximum subtracted first so exp never overflows."""
    x = np.asarray(x)
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)  # an all -inf row must not produce inf - inf = nan
    with np.errstate(divide="ignore"):  # log(0) = -inf is the right answer for such a row
        s = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return s if keepdims else np.squeeze(s, axis=axis)


def softmax(x, axis=-1, out=None):
    """exp(x) / sum(exp(x)) along ``axis`` (each row a probability vector for 2-D input).

    Subtracting the row maximum leaves the result unchanged (it cancels in the ratio) but keeps
    every exponent <= 0, so nothing overflows.

    >>> softmax([1.0, 2.0, 3.0]).round(8)
    array([0.09003057, 0.24472847, 0.66524096])
    """
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    out = np.subtract(x, np.max(x, axis=axis, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= np.sum(out, axis=axis, keepdims=True)
    return out


def log_softmax(x, axis=-1):
    """log(softmax(x)) = x - logsumexp(x), exact even where softmax underflows to 0."""
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def one_hot(labels, n_classes=None, dtype=np.float32):
    """Integer class labels of shape (n,) -> one-hot matrix (n, n_classes).

    >>> one_hot([0, 2, 1], 3, dtype=int)
    array([[1, 0, 0],
           [0, 0, 1],
           [0, 1, 0]])
    """
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must be 1-D, got shape {labels.shape}")
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        as_int = labels.astype(np.int64)
        if not np.array_equal(as_int, labels):
            raise ValueError("labels must be integers 0..n_classes-1")
        labels = as_int
    if n_classes is None:
        n_classes = int(labels.max()) + 1 if labels.size else 0
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"labels must lie in [0, {n_classes}), got values from {labels.min()} to {labels.max()}"
        )
    out = np.zeros((labels.shape[0], n_classes), dtype=dtype)
    out[np.arange(labels.shape[0]), labels] = 1
    return out
