"""Activation layers: y = f(x) element by element (softmax row by row), and dL/dx = dL/dy * f'(x).

Each backward pass uses what its forward pass cached: the output y where f' is a function of
y (sigmoid, tanh, ReLU, softmax), the sign of x otherwise (leaky ReLU).

=============  ==============================  ======================================
layer          y                               dy/dx
=============  ==============================  ======================================
Sigmoid        1 / (1 + exp(-x))               y (1 - y)   (at most 1/4, at x = 0)
Tanh           tanh(x)                         1 - y^2
ReLU           max(x, 0)                       1 where x > 0, else 0
LeakyReLU      x, or alpha x where x <= 0      1, or alpha
Softmax        exp(x_i) / sum_j exp(x_j)       Jacobian diag(y) - y y^T (one row at a time)
Step           1 where x >= 0, else 0          none (0 almost everywhere)
=============  ==============================  ======================================
"""

from __future__ import annotations

import numpy as np

from . import functional as F
from .layers import Identity, Layer, register_layer

__all__ = ["LeakyReLU", "ReLU", "Sigmoid", "Softmax", "Step", "Tanh", "get_activation"]


@register_layer
class Sigmoid(Layer):
    """y = 1 / (1 + exp(-x)); dy/dx = y (1 - y), from the cached output."""

    def forward(self, x, training=False):
        self.y = F.sigmoid(x)
        return self.y

    def backward(self, grad_out):
        return grad_out * (self.y * (1 - self.y))


@register_layer
class Tanh(Layer):
    """y = tanh(x); dy/dx = 1 - y^2."""

    def forward(self, x, training=False):
        self.y = np.tanh(x)
        return self.y

    def backward(self, grad_out):
        return grad_out * (1 - self.y ** 2)


@register_layer
class ReLU(Layer):
    """y = max(x, 0); dy/dx = 1 where x > 0, else 0 (0 at x = 0, as PyTorch)."""

    def forward(self, x, training=False):
        self.y = np.maximum(x, 0)
        return self.y

    def backward(self, grad_out):
        return grad_out * (self.y > 0)


@register_layer
class LeakyReLU(Layer):
    """y = x for x > 0, alpha x otherwise; dy/dx = 1 or alpha."""

    def __init__(self, alpha=0.01):
        super().__init__()
        if not 0 <= alpha < 1:
            raise ValueError(f"LeakyReLU alpha must be in [0, 1), got {alpha!r}")
        self.alpha = float(alpha)

    def forward(self, x, training=False):
        self.positive = x > 0
        return np.where(self.positive, x, x * x.dtype.type(self.alpha))

    def backward(self, grad_out):
        return np.where(self.positive, grad_out, grad_out * grad_out.dtype.type(self.alpha))

    def get_config(self):
        return {"alpha": self.alpha}


@register_layer
class Softmax(Layer):
    """Row-wise softmax y_i = exp(x_i) / sum_j exp(x_j).

    Backward, the Jacobian-vector product row by row: dx = y * (g - sum_j g_j y_j). After a
    Softmax, cross-entropy's gradient with respect to x simplifies to (y - t) / n, which ``fit``
    uses instead of the two backward passes (``CrossEntropy.grad_wrt_logits``).
    """

    def forward(self, x, training=False):
        self.y = F.softmax(x, axis=1)
        return self.y

    def backward(self, grad_out):
        y = self.y
        return y * (grad_out - np.sum(grad_out * y, axis=1, keepdims=True))


@register_layer
class Step(Layer):
    """The perceptron's activation: 1 where x >= 0, else 0. It has no useful gradient, so its
    ``backward`` raises (the one exception to the layer contract)."""

    def forward(self, x, training=False):
        return F.step(x)

    def backward(self, grad_out):
        raise RuntimeError(
            "cannot backpropagate through Step: its derivative is 0 everywhere (and undefined at "
            "0), so no gradient would flow. Train with Sigmoid (or use the perceptron trick in "
            "glassnet.classic.perceptron) and threshold the output afterwards."
        )


ACTIVATIONS = {
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

#: the activations a hidden layer can have (softmax and step are output-only or untrainable)
HIDDEN_ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu", "identity")


def get_activation(name):
    """An activation layer from its name (sigmoid, tanh, relu, leaky_relu, softmax, identity,
    linear, step), or a layer as is; None is Identity."""
    if isinstance(name, Layer):
        return name
    if name is None:
        return Identity()
    try:
        return ACTIVATIONS[str(name).lower()]()
    except KeyError:
        raise ValueError(
            f"unknown activation {name!r}; choose one of {sorted(set(ACTIVATIONS))}"
        ) from None
