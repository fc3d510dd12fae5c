"""L1 and L2 weight penalties, added to the loss and to the gradient of each weight matrix.

===========  ==========================  =================
penalty      added to the loss           added to dL/dW
===========  ==========================  =================
L2(lam)      lam / 2 * sum(W^2)          lam * W
L1(lam)      lam * sum(|W|)              lam * sign(W)
===========  ==========================  =================

The L2 form makes ``L2(lam)`` identical to PyTorch's ``weight_decay=lam`` under plain SGD.
By default only weights (``"W"``) are penalised, never biases: shrinking a bias does not make a
model simpler, it only shifts its output.
"""

from __future__ import annotations

import numpy as np

__all__ = ["L1", "L1L2", "L2", "Regularizer"]


class Regularizer:
    """Penalty on parameters named in ``keys`` (default: weights only)."""

    def __init__(self, l1=0.0, l2=0.0, keys=("W",)):
        for name, value in (("l1", l1), ("l2", l2)):
            if not np.isfinite(value) or value < 0:
                raise ValueError(f"{name} penalty must be finite and >= 0, got {value!r}")
        self.l1, self.l2, self.keys = float(l1), float(l2), tuple(keys)

    def __bool__(self):
        return bool(self.l1 or self.l2)

    def penalty(self, layers):
        """The value added to the loss, summed over the penalised parameters of ``layers``."""
        total = 0.0
        for layer in layers:
            for key in self.keys:
                if key in layer.params:
                    w = layer.params[key]
                    if self.l2:
                        total += 0.5 * self.l2 * float(np.vdot(w, w))
                    if self.l1:
                        total += self.l1 * float(np.abs(w).sum())
        return total

    def add_grads(self, layers):
        """Add the penalty's gradient to each penalised parameter's gradient, in place."""
        for layer in layers:
            for key in self.keys:
                if key in layer.params:
                    w, g = layer.params[key], layer.grads[key]
                    if self.l2:
                        g += w.dtype.type(self.l2) * w
                    if self.l1:
                        g += w.dtype.type(self.l1) * np.sign(w)

    def apply(self, layers):
        """Add the penalty's gradient to the weights' gradients; returns the penalty (what
        ``train_step`` adds to the loss)."""
        self.add_grads(layers)
        return self.penalty(layers)

    def __repr__(self):
        return f"{type(self).__name__}(l1={self.l1}, l2={self.l2}, keys={self.keys})"


def L1(lam):
    """lam * sum(|W|): drives weights to exactly zero (sparse models)."""
    return Regularizer(l1=lam)


def L2(lam):
    """lam / 2 * sum(W^2): weight decay, shrinks all weights smoothly."""
    return Regularizer(l2=lam)


def L1L2(l1=0.0, l2=0.0):
    """Both penalties together (elastic net)."""
    return Regularizer(l1=l1, l2=l2)
