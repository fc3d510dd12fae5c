"""Optimizers: each update rule written as its formula, on whole arrays, in place.

``step(pairs)`` applies the rule to every ``(param, grad)`` pair. The rules are PyTorch's
(``torch.optim``) line for line, so a run can be compared with it value for value.
``weight_decay`` is PyTorch's coupled L2 (g <- g + wd p) except in AdamW, which decays the
weights directly (p <- p (1 - lr wd)).

State (momentum buffers, moment estimates) is kept per parameter array, by its position in the
list of pairs: step an optimizer with the same list every time (a list of another length starts
the state afresh). ``Sequential.fit`` steps the same rules through ``glassnet.nn.fast.optim``,
whose cache-sized kernels are tested to give the same bits.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop", "clip_grad_norm", "get"]


def _check_positive(name, value, allow_zero=False):
    if not isinstance(value, (int, float, np.floating, np.integer)) or isinstance(value, bool):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be {bound}, got {value!r}")


def clip_grad_norm(pairs, max_norm):
    """Scale all gradients together so their global L2 norm is at most ``max_norm``.

    Same rule as ``torch.nn.utils.clip_grad_norm_``: factor = max_norm / (norm + 1e-6), applied
    only when below 1. Returns the norm before clipping.
    """
    total = math.sqrt(sum(float(np.vdot(g, g)) for _, g in pairs))
    factor = max_norm / (total + 1e-6)
    if factor < 1:
        for _, g in pairs:
            g *= g.dtype.type(factor)
    return total


class Optimizer:
    """Base class: ``step(pairs)`` updates every ``param`` from its ``grad`` in place."""

    def __init__(self, lr):
        _check_positive("lr (learning rate)", lr)
        self.lr = float(lr)
        self.state: list[dict] = []
        self.t = 0  # steps taken

    def step(self, pairs):
        """One update of every ``(param, grad)`` pair by the rule in the class docstring."""
        for (p, g), state in zip(pairs, self.begin_step(pairs)):
            self.update(p, g, state)

    def begin_step(self, pairs):
        """Count one step; the state dict of each pair (fresh ones for a new list)."""
        if len(self.state) != len(pairs):
            self.state = [{} for _ in pairs]
        self.t += 1
        return self.state

    def update(self, p, g, state):  # pragma: no cover - interface
        """The rule on one array: p (and the arrays in ``state``) updated in place from g."""
        raise NotImplementedError

    def reset(self):
        """Forget all state (momentum, moments, step count)."""
        self.state, self.t = [], 0

    def get_config(self):
        return {k: v for k, v in vars(self).items() if k not in ("state", "t")}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum.

    g <- g + wd p;  buf <- mu buf + (1 - dampening) g  (buf = g on the first step);
    g <- g + mu buf if nesterov else buf;  p <- p - lr g.
    """

    def __init__(self, lr=0.01, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
        super().__init__(lr)
        _check_positive("momentum", momentum, allow_zero=True)
        _check_positive("weight_decay", weight_decay, allow_zero=True)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("nesterov momentum needs momentum > 0 and dampening = 0")
        self.momentum, self.dampening = float(momentum), float(dampening)
        self.nesterov, self.weight_decay = bool(nesterov), float(weight_decay)

    def update(self, p, g, state):
        if self.weight_decay:
            g = g + self.weight_decay * p
        if self.momentum:
            buf = state.get("momentum")
            if buf is None:
                buf = state["momentum"] = g.copy()
            else:
                buf[...] = self.momentum * buf + (1 - self.dampening) * g
            g = g + self.momentum * buf if self.nesterov else buf
        p -= self.lr * g


class RMSprop(Optimizer):
    """Divide each step by a running root mean square of the gradient (PyTorch's defaults).

    g <- g + wd p;  v <- alpha v + (1 - alpha) g^2;  avg = sqrt(v) + eps;
    centered: m <- alpha m + (1 - alpha) g and avg = sqrt(v - m^2) + eps;
    momentum: buf <- mu buf + g / avg and p <- p - lr buf;  else p <- p - lr g / avg.
    """

    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                 centered=False):
        super().__init__(lr)
        if not 0 <= alpha < 1:
            raise ValueError(f"alpha must be in [0, 1), got {alpha!r}")
        _check_positive("eps", eps)
        _check_positive("momentum", momentum, allow_zero=True)
        _check_positive("weight_decay", weight_decay, allow_zero=True)
        self.alpha, self.eps, self.weight_decay = float(alpha), float(eps), float(weight_decay)
        self.momentum, self.centered = float(momentum), bool(centered)

    def init_state(self, p):
        """The running averages, all zero: v, and m (centered) and buf (momentum)."""
        state = {"square_avg": np.zeros_like(p)}
        if self.centered:
            state["grad_avg"] = np.zeros_like(p)
        if self.momentum:
            state["momentum"] = np.zeros_like(p)
        return state

    def update(self, p, g, state):
        if not state:
            state.update(self.init_state(p))
        a = self.alpha
        if self.weight_decay:
            g = g + self.weight_decay * p
        v = state["square_avg"]
        v[...] = a * v + (1 - a) * g * g
        if self.centered:
            m = state["grad_avg"]
            m[...] = a * m + (1 - a) * g
            avg = np.sqrt(v - m * m) + self.eps
        else:
            avg = np.sqrt(v) + self.eps
        if self.momentum:
            buf = state["momentum"]
            buf[...] = self.momentum * buf + g / avg
            p -= self.lr * buf
        else:
            p -= self.lr * g / avg


class Adagrad(Optimizer):
    """Steps shrink with the sum of every squared gradient so far.

    g <- g + wd p;  s <- s + g^2;  p <- p - clr g / (sqrt(s) + eps),
    clr = lr / (1 + (t - 1) lr_decay).
    """

    def __init__(self, lr=0.01, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0,
                 eps=1e-10):
        super().__init__(lr)
        _check_positive("lr_decay", lr_decay, allow_zero=True)
        _check_positive("weight_decay", weight_decay, allow_zero=True)
        _check_positive("eps", eps)
        self.lr_decay, self.weight_decay = float(lr_decay), float(weight_decay)
        self.initial_accumulator_value, self.eps = float(initial_accumulator_value), float(eps)

    def init_state(self, p):
        return {"sum": np.full_like(p, self.initial_accumulator_value)}

    def update(self, p, g, state):
        if not state:
            state.update(self.init_state(p))
        if self.weight_decay:
            g = g + self.weight_decay * p
        clr = self.lr / (1 + (self.t - 1) * self.lr_decay)
        s = state["sum"]
        s += g * g
        p -= clr * g / (np.sqrt(s) + self.eps)


class Adam(Optimizer):
    """Adaptive moments (Kingma and Ba), with PyTorch's bias correction and epsilon placement.

    g <- g + wd p;  m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
    (amsgrad: v <- max(v_max, v));
    p <- p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
    """

    #: weight decay as AdamW's p <- p (1 - lr wd) instead of the coupled g <- g + wd p
    decoupled = False

    def __init__(self, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        super().__init__(lr)
        b1, b2 = betas
        if not (0 <= b1 < 1 and 0 <= b2 < 1):
            raise ValueError(f"betas must be in [0, 1), got {betas!r}")
        _check_positive("eps", eps)
        _check_positive("weight_decay", weight_decay, allow_zero=True)
        self.betas, self.eps = (float(b1), float(b2)), float(eps)
        self.weight_decay, self.amsgrad = float(weight_decay), bool(amsgrad)

    def init_state(self, p):
        """The moment estimates m and v (and v's running maximum with amsgrad), all zero."""
        state = {"exp_avg": np.zeros_like(p), "exp_avg_sq": np.zeros_like(p)}
        if self.amsgrad:
            state["max_exp_avg_sq"] = np.zeros_like(p)
        return state

    def update(self, p, g, state):
        if not state:
            state.update(self.init_state(p))
        b1, b2 = self.betas
        if self.weight_decay and self.decoupled:
            p *= 1 - self.lr * self.weight_decay
        elif self.weight_decay:
            g = g + self.weight_decay * p
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m[...] = b1 * m + (1 - b1) * g
        v[...] = b2 * v + (1 - b2) * g * g
        if self.amsgrad:
            v = np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
        step_size = self.lr / (1 - b1 ** self.t)
        p -= step_size * m / (np.sqrt(v) / math.sqrt(1 - b2 ** self.t) + self.eps)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter): p <- p (1 - lr wd), then Adam."""

    decoupled = True

    def __init__(self, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, amsgrad=False):
        super().__init__(lr, betas, eps, weight_decay, amsgrad)


REGISTRY = {"sgd": SGD, "rmsprop": RMSprop, "adagrad": Adagrad, "adam": Adam, "adamw": AdamW}


def get(optimizer, **kwargs):
    """An optimizer from a name (``"sgd"``, ``"adam"``, ...) with keyword settings, or as is."""
    if isinstance(optimizer, Optimizer):
        return optimizer
    if isinstance(optimizer, str):
        try:
            return REGISTRY[optimizer.lower()](**kwargs)
        except KeyError:
            raise ValueError(
                f"unknown optimizer {optimizer!r}; choose one of {sorted(REGISTRY)}"
            ) from None
    raise TypeError(f"optimizer must be a name or an Optimizer, got {type(optimizer).__name__}")
