"""Loss functions: ``forward(pred, target) -> float`` caches, ``backward() -> dL/dpred``.

Reductions follow PyTorch so numbers can be compared with it directly:

=====================  ==========================================  ===========================
loss                   value (mean reduction)                      dL/dpred
=====================  ==========================================  ===========================
MSELoss                mean over all elements of (p - y)^2         2 (p - y) / N
SSELoss                1/2 sum of (p - y)^2 (the lessons' SSE)     p - y
MAELoss                mean |p - y|                                sign(p - y) / N
HuberLoss(delta)       mean of 1/2 d^2 or delta (|d| - delta/2)    d or delta sign(d), / N
BinaryCrossEntropy     mean over elements of -[y log p + (1-y)     (p - y) / (p (1 - p)) / N
                       log(1-p)]
CrossEntropy           mean over samples of -sum_c t_c log p_c     -t / p / n
=====================  ==========================================  ===========================

Both cross-entropies accept logits (``from_logits=True``: computed in log space, never
exponentiating a large number) or probabilities (clipped to [eps, 1 - eps] with the dtype's
machine epsilon). After a Sigmoid or Softmax layer, ``fit`` uses ``grad_wrt_logits`` instead of
the loss's and the activation's backward passes: the fused gradient (p - t) / n, which is both
cheaper and exact where the clip would bite.
"""

from __future__ import annotations

import numpy as np

from . import functional as F

__all__ = [
    "BinaryCrossEntropy",
    "CrossEntropy",
    "HuberLoss",
    "Loss",
    "MAELoss",
    "MSELoss",
    "SSELoss",
    "get",
]


def _as_float(a, dtype):
    a = np.asarray(a)
    return a if a.dtype == dtype else a.astype(dtype)


def _validate_weights(name, weights, n, dtype):
    weights = np.asarray(weights, dtype=dtype)
    if weights.ndim != 1 or weights.shape[0] != n:
        raise ValueError(f"{name} must have shape ({n},), got {weights.shape}")
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise ValueError(f"{name} must be finite and non-negative")
    return weights


class Loss:
    """Base class. ``reduction`` is ``"mean"`` (as documented per loss) or ``"sum"``."""

    def __init__(self, reduction="mean"):
        if reduction not in ("mean", "sum"):
            raise ValueError(f"reduction must be 'mean' or 'sum', got {reduction!r}")
        self.reduction = reduction

    def prepare_target(self, target, pred_shape, dtype):
        """Target in the dense float form ``forward`` works on, shaped like the prediction."""
        target = _as_float(target, dtype)
        if target.ndim == 1 and len(pred_shape) == 2 and pred_shape[1] == 1:
            target = target.reshape(-1, 1)
        if target.shape != tuple(pred_shape):
            raise ValueError(
                f"target shape {target.shape} does not match prediction shape {tuple(pred_shape)}"
            )
        return target

    def __call__(self, pred, target):
        return self.forward(pred, target)

    def forward(self, pred, target, sample_weight=None):
        """The loss of ``pred`` against ``target`` (a float); caches what ``backward`` needs.

        ``sample_weight`` (n,) scales each row's contribution (see each loss for how the mean
        is then taken).
        """
        pred = np.asarray(pred)
        target = self.prepare_target(target, pred.shape, pred.dtype)
        if sample_weight is not None:
            sample_weight = _validate_weights("sample_weight", sample_weight, pred.shape[0],
                                              pred.dtype)
        return self.forward_prepared(pred, target, sample_weight)

    def forward_prepared(self, pred, target, sample_weight=None):
        """``forward`` on a target already in ``prepare_target``'s form and checked weights.

        ``fit`` prepares and checks its targets once, so its batch loop calls this and skips
        re-validating every batch. A user's loss that defines only ``forward`` (the documented
        contract) is called through it.
        """
        if type(self).forward is Loss.forward:
            raise NotImplementedError(f"{type(self).__name__} must define forward or "
                                      "forward_prepared")
        kwargs = {} if sample_weight is None else {"sample_weight": sample_weight}
        return self.forward(pred, target, **kwargs)

    def _reduce(self, total, n):
        return float(total / n) if self.reduction == "mean" else float(total)

    def get_config(self):
        return {"reduction": self.reduction}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class _Elementwise(Loss):
    """Regression losses: the mean reduction divides by the number of elements N.

    ``sample_weight`` (n,) counts every element of row i w_i times: sum_ij w_i l(d_ij) / N,
    so integer weights act like repeated rows (up to the N of the mean).
    """

    def forward_prepared(self, pred, target, sample_weight=None):
        self._diff = pred - target
        self._scale = 1.0 / self._diff.size if self.reduction == "mean" else 1.0
        self._w = None
        if sample_weight is None:
            return self._value(self._diff) * self._scale
        self._w = sample_weight.reshape((-1,) + (1,) * (pred.ndim - 1))
        return float(np.sum(self._elementwise(self._diff) * self._w)) * self._scale

    def backward(self):
        # the scale is folded into the gradient's one pass (in the array's dtype: no upcast)
        grad = self._grad(self._diff, self._diff.dtype.type(self._scale))
        if self._w is not None:
            grad *= self._w
        return grad


class MSELoss(_Elementwise):
    """Mean squared error."""

    def _value(self, d):
        return float(np.vdot(d, d))

    def _elementwise(self, d):
        return d * d

    def _grad(self, d, scale):
        return d * (2 * scale)


class SSELoss(_Elementwise):
    """Half the sum of squared errors, E = 1/2 sum (y - p)^2, so dE/dp = p - y (the lessons')."""

    def __init__(self):
        super().__init__("sum")

    def _value(self, d):
        return 0.5 * float(np.vdot(d, d))

    def _elementwise(self, d):
        return 0.5 * d * d

    def _grad(self, d, scale):
        return d * scale

    def get_config(self):
        return {}


class MAELoss(_Elementwise):
    """Mean absolute error (PyTorch's L1Loss); its gradient at d = 0 is 0."""

    def _value(self, d):
        return float(np.abs(d).sum())

    def _elementwise(self, d):
        return np.abs(d)

    def _grad(self, d, scale):
        g = np.sign(d)
        g *= scale
        return g


class HuberLoss(_Elementwise):
    """Quadratic within ``delta`` of the target, linear beyond it: robust to outliers."""

    def __init__(self, delta=1.0, reduction="mean"):
        super().__init__(reduction)
        if delta <= 0:
            raise ValueError(f"HuberLoss delta must be positive, got {delta!r}")
        self.delta = float(delta)

    def _value(self, d):
        return float(np.sum(self._elementwise(d)))

    def _elementwise(self, d):
        a = np.abs(d)
        return np.where(a <= self.delta, 0.5 * d * d, self.delta * (a - 0.5 * self.delta))

    def _grad(self, d, scale):
        g = np.clip(d, -self.delta, self.delta)
        g *= scale
        return g

    def get_config(self):
        return {"delta": self.delta, "reduction": self.reduction}


class BinaryCrossEntropy(Loss):
    """-[y log p + (1 - y) log(1 - p)], mean over all elements.

    ``from_logits=True``: pred is z and the loss is max(z, 0) - z y + log1p(exp(-|z|)), the same
    quantity without ever forming p. ``class_weight`` = (w0, w1) or {0: w0, 1: w1} scales each
    element by the weight of its true class (PyTorch's ``weight`` with the mean over elements).
    ``forward(..., sample_weight=)`` scales each row.
    """

    def __init__(self, from_logits=False, class_weight=None, reduction="mean"):
        super().__init__(reduction)
        self.from_logits = bool(from_logits)
        if isinstance(class_weight, dict):
            class_weight = (class_weight.get(0, 1.0), class_weight.get(1, 1.0))
        if class_weight is not None and len(class_weight) != 2:
            raise ValueError("BinaryCrossEntropy class_weight needs two values (w0, w1)")
        self.class_weight = None if class_weight is None else tuple(map(float, class_weight))

    def prepare_target(self, target, pred_shape, dtype):
        target = super().prepare_target(target, pred_shape, dtype)
        if np.any((target < 0) | (target > 1)):
            raise ValueError("BinaryCrossEntropy targets must lie in [0, 1]")
        return target

    def forward_prepared(self, pred, t, sample_weight=None):
        w = None
        if self.class_weight is not None:
            w0, w1 = self.class_weight
            w = w0 + (w1 - w0) * t
        if sample_weight is not None:
            sw = sample_weight.reshape((-1,) + (1,) * (pred.ndim - 1))
            w = sw if w is None else w * sw
        if self.from_logits:
            z = pred
            elem = np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))
            self._p = F.sigmoid(z)
        else:
            eps = np.finfo(pred.dtype).eps
            p = np.clip(pred, eps, 1 - eps)
            elem = -(t * np.log(p) + (1 - t) * np.log1p(-p))
            self._p, self._p_clipped = pred, p
        self._t, self._w = t, w
        self._n = pred.size if self.reduction == "mean" else 1
        total = np.sum(elem if w is None else elem * w)
        return self._reduce(total, self._n)

    def grad_wrt_logits(self):
        """dL/dz where p = sigmoid(z): (p - y) w / N."""
        g = self._p - self._t
        if self._w is not None:
            g *= self._w
        g *= g.dtype.type(1.0 / self._n)
        return g

    def backward(self):
        if self.from_logits:
            return self.grad_wrt_logits()
        p = self._p_clipped
        g = (p - self._t) / (p * (1 - p))
        if self._w is not None:
            g *= self._w
        g *= g.dtype.type(1.0 / self._n)
        return g

    def get_config(self):
        return {"from_logits": self.from_logits, "class_weight": self.class_weight,
                "reduction": self.reduction}


class CrossEntropy(Loss):
    """Multi-class cross-entropy -sum_c t_c log p_c, mean over samples.

    Targets: integer labels (n,) or one-hot / probability rows (n, C). ``from_logits=True``
    applies log-softmax internally (PyTorch's ``CrossEntropyLoss``); otherwise pred holds
    probabilities (after a Softmax layer; PyTorch's ``NLLLoss`` of their log).
    ``class_weight`` (C,) weights each sample by its class and, as in PyTorch, the mean divides
    by the sum of those weights. ``sample_weight`` (n,) scales each sample's loss.
    """

    def __init__(self, from_logits=False, class_weight=None, reduction="mean"):
        super().__init__(reduction)
        self.from_logits = bool(from_logits)
        self.class_weight = None if class_weight is None else [float(w) for w in class_weight]

    def prepare_target(self, target, pred_shape, dtype):
        if len(pred_shape) != 2:
            raise ValueError(f"CrossEntropy expects (n, n_classes) predictions, got "
                             f"{tuple(pred_shape)}")
        target = np.asarray(target)
        n, c = pred_shape
        if target.ndim == 1:
            if target.size and not np.issubdtype(target.dtype, np.integer):
                if not np.all(np.mod(target, 1) == 0):
                    raise ValueError("CrossEntropy integer class labels expected, got fractions")
            if target.size and (target.min() < 0 or target.max() >= c):
                raise ValueError(
                    f"class labels must lie in [0, {c}) for {c} outputs, got values from "
                    f"{target.min()} to {target.max()}"
                )
            return F.one_hot(target.astype(np.int64), c, dtype=dtype)
        if target.shape != (n, c):
            raise ValueError(f"target shape {target.shape} does not match prediction ({n}, {c})")
        return _as_float(target, dtype)

    def forward_prepared(self, pred, t, sample_weight=None):
        n = pred.shape[0]
        w, denom = None, n
        if self.class_weight is not None:
            cw = np.asarray(self.class_weight, dtype=pred.dtype)
            if cw.shape != (pred.shape[1],):
                raise ValueError(f"class_weight needs {pred.shape[1]} values, got {cw.shape[0]}")
            w = t @ cw
            denom = float(w.sum())
        if sample_weight is not None:
            w = sample_weight if w is None else w * sample_weight
        if self.from_logits:
            logp = F.log_softmax(pred, axis=1)
            self._p = np.exp(logp)
        else:
            eps = np.finfo(pred.dtype).eps
            self._p_clipped = np.clip(pred, eps, 1)
            logp = np.log(self._p_clipped)
            self._p = pred
        self._t, self._w = t, w
        self._denom = (denom if denom > 0 else 1.0) if self.reduction == "mean" else 1.0
        if w is None:
            total = -float(np.vdot(t, logp))  # sum of t * log p in one pass, no temporary
        else:
            total = np.sum(-np.sum(t * logp, axis=1) * w)
        return self._reduce(total, self._denom)

    def _weigh(self, g):
        if self._w is not None:
            g *= self._w[:, None]
        g *= g.dtype.type(1.0 / self._denom)
        return g

    def grad_wrt_logits(self):
        """dL/dz where p = softmax(z): (p - t) w / n (rows of t sum to 1)."""
        return self._weigh(self._p - self._t)

    def backward(self):
        if self.from_logits:
            return self.grad_wrt_logits()
        return self._weigh(-self._t / self._p_clipped)

    def get_config(self):
        return {"from_logits": self.from_logits, "class_weight": self.class_weight,
                "reduction": self.reduction}


REGISTRY = {
    "mse": MSELoss,
    "sse": SSELoss,
    "mae": MAELoss,
    "huber": HuberLoss,
    "bce": BinaryCrossEntropy,
    "binary_crossentropy": BinaryCrossEntropy,
    "cross_entropy": CrossEntropy,
    "crossentropy": CrossEntropy,
    "ce": CrossEntropy,
}


#: each loss class by its class name: what a model file records
CLASSES = {cls.__name__: cls for cls in (MSELoss, SSELoss, MAELoss, HuberLoss,
                                         BinaryCrossEntropy, CrossEntropy)}


def get(loss, **kwargs):
    """A loss from a name (``"mse"``, ``"bce"``, ``"cross_entropy"``, ...) or an instance."""
    if isinstance(loss, Loss):
        return loss
    if isinstance(loss, str):
        try:
            return REGISTRY[loss.lower()](**kwargs)
        except KeyError:
            raise ValueError(f"unknown loss {loss!r}; choose one of {sorted(REGISTRY)}") from None
    raise TypeError(f"loss must be a name or a Loss, got {type(loss).__name__}")
