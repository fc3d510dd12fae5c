"""Optimizers that update parameters in place from ``(param, grad)`` pairs.

Every update rule is PyTorch's (``torch.optim``), line for line, so a run can be compared with
it value for value. ``weight_decay`` is PyTorch's coupled L2 (g += wd * p) except in AdamW, which
decays the weights directly (p *= 1 - lr * wd).

State (momentum buffers, moment estimates) is kept per parameter array, keyed by its position in
the list of pairs, so the same optimizer must always be stepped with the same list.
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


# Blockwise updates: an optimizer that forms several temporaries (Adam, RMSprop, Adagrad) works
# on arrays above _WHOLE elements a block of _BLOCK at a time, so its temporaries (512 KB each
# in float32) stay in cache; smaller arrays go in one piece, where fewer calls win. Measured on
# a 2-core EPYC, same process, against whole-array NumPy with fresh temporaries: Adam and
# RMSprop 5% faster at 1 million weights and 20-30% faster at 2.1 million, within +-5% below
# half a million. SGD's two-operation update (_subtract_scaled) blocks above _BLOCK.
_BLOCK = 1 << 17
_WHOLE = 1 << 19


def _subtract_scaled(p, lr, g, state):
    """p -= lr * g, in place, one block of ``_BLOCK`` elements at a time.

    Whole-array NumPy would write lr * g to an array-sized temporary and read it back: on a
    large weight matrix that temporary goes out to memory and back, and the update takes as
    long as a batch's matrix products. Formed a block at a time in a buffer kept in ``state``,
    it stays in cache (about 2x faster). (SciPy's BLAS axpy fuses it entirely, but runs on a
    second OpenBLAS thread pool whose spinning workers fight NumPy's over the cores.)
    """
    scratch = state.get("scratch")
    if scratch is None:
        small = p.size <= _BLOCK
        scratch = state["scratch"] = np.empty_like(p) if small else np.empty(_BLOCK, p.dtype)
    if scratch.shape == p.shape:  # one block: no slicing (small layers feel every call)
        p -= np.multiply(g, lr, out=scratch)
        return
    if not (p.flags.c_contiguous and g.flags.c_contiguous):
        p -= lr * g  # reshape(-1) below would copy p, and the update would be lost
        return
    p_flat, g_flat = p.reshape(-1), g.reshape(-1)
    for start in range(0, p.size, _BLOCK):
        block = p_flat[start:start + _BLOCK]
        step = np.multiply(g_flat[start:start + _BLOCK], lr, out=scratch[:block.size])
        np.subtract(block, step, out=block)


def _blockwise(update, state, *arrays):
    """``update(*blocks, state)`` over the arrays (all shaped like the first; None passes
    through as None) a block of ``_BLOCK`` elements at a time, so each step's temporaries stay
    in cache; the whole arrays at once when small or not contiguous."""
    first = arrays[0]
    if first.size <= _WHOLE or not all(a.flags.c_contiguous for a in arrays if a is not None):
        update(*arrays, state)
        return
    flat = [None if a is None else a.reshape(-1) for a in arrays]
    for start in range(0, first.size, _BLOCK):
        update(*(None if a is None else a[start:start + _BLOCK] for a in flat), state)


def _with_decay(p, g, weight_decay, out=None):
    """g + wd * p, PyTorch's coupled L2 (into ``out`` when given; addition commutes, so the
    bits are those of ``g + wd * p``)."""
    return np.add(np.multiply(p, p.dtype.type(weight_decay), out=out), g, out=out)


def _scratch(state, k, like):
    """k arrays shaped like ``like`` (a block), kept in ``state`` for the next step."""
    buf = state.get("scratch")
    if buf is None or buf.shape[0] < k or buf.shape[1] < like.size or buf.dtype != like.dtype:
        buf = state["scratch"] = np.empty((k, like.size), like.dtype)
    return [buf[i, :like.size].reshape(like.shape) for i in range(k)]


class Optimizer:
    """Base class: ``step(pairs)`` updates every ``param`` from its ``grad`` in place."""

    def __init__(self, lr):
        _check_positive("lr (learning rate)", lr)
        self.lr = float(lr)
        self.state: list[dict] = []
        self.t = 0  # steps taken

    def step(self, pairs, rows=None):
        """Update every param from its grad. ``rows`` (optional, one entry per pair): the row
        indices outside which a gradient is known to be zero, or None; an optimizer whose update
        is then exactly zero elsewhere (plain SGD) touches only those rows."""
        if len(self.state) != len(pairs):
            self.state = [{} for _ in pairs]
        self.t += 1
        if rows is None:
            for (p, g), state in zip(pairs, self.state):
                self._update(p, g, state)
            return
        for (p, g), state, r in zip(pairs, self.state, rows):
            if r is None:
                self._update(p, g, state)
            else:
                self._update_rows(p, g, state, r)

    def _update(self, p, g, state):  # pragma: no cover - interface
        raise NotImplementedError

    @property
    def uses_row_hints(self):
        """Whether ``step``'s ``rows`` saves work (``fit`` then keeps one pair per array)."""
        return False

    def _update_rows(self, p, g, state, rows):
        """By default a row hint changes nothing: moments and decay move every weight."""
        self._update(p, g, state)

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

    def _update(self, p, g, state):
        if self.weight_decay:
            g = _with_decay(p, g, self.weight_decay)
        if self.momentum:
            mu = p.dtype.type(self.momentum)
            buf = state.get("momentum")
            if buf is None:
                buf = state["momentum"] = g.copy()
            else:
                buf *= mu
                buf += p.dtype.type(1 - self.dampening) * g
            g = g + mu * buf if self.nesterov else buf
        _subtract_scaled(p, p.dtype.type(self.lr), g, state)

    @property
    def uses_row_hints(self):
        return not (self.momentum or self.weight_decay)  # both move rows whose gradient is 0

    def _update_rows(self, p, g, state, rows):
        if not self.uses_row_hints:
            return self._update(p, g, state)
        p[rows] -= p.dtype.type(self.lr) * g[rows]  # elsewhere g = 0: the same update, exactly


class RMSprop(Optimizer):
    """v <- alpha v + (1 - alpha) g^2;  p <- p - lr g / (sqrt(v) + eps)  (PyTorch's defaults).

    ``centered`` subtracts the squared running mean of g; ``momentum`` accumulates the step.
    """

    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                 centered=False):
        super().__init__(lr)
        if not 0 <= alpha < 1:
            raise ValueError(f"alpha must be in [0, 1), got {alpha!r}")
        _check_positive("eps", eps)
        _check_positive("momentum", momentum, allow_zero=True)
        self.alpha, self.eps, self.weight_decay = float(alpha), float(eps), float(weight_decay)
        self.momentum, self.centered = float(momentum), bool(centered)

    def _update(self, p, g, state):
        v = state.setdefault("square_avg", np.zeros_like(p))
        m = state.setdefault("grad_avg", np.zeros_like(p)) if self.centered else None
        buf = state.setdefault("momentum", np.zeros_like(p)) if self.momentum else None
        _blockwise(self._update_block, state, p, g, v, m, buf)

    def _update_block(self, p, g, v, m, buf, state):
        dt = p.dtype.type
        decayed, t1, t2 = _scratch(state, 3, p)
        if self.weight_decay:
            g = _with_decay(p, g, self.weight_decay, out=decayed)
        a = dt(self.alpha)
        v *= a
        np.multiply(g, dt(1 - self.alpha), out=t1)
        t1 *= g
        v += t1
        if m is not None:  # centered: avg = sqrt(v - m^2) + eps
            m *= a
            m += np.multiply(g, dt(1 - self.alpha), out=t1)
            avg = np.subtract(v, np.multiply(m, m, out=t1), out=t1)
            np.sqrt(avg, out=avg)
        else:
            avg = np.sqrt(v, out=t1)
        avg += dt(self.eps)
        if buf is not None:
            buf *= dt(self.momentum)
            buf += np.divide(g, avg, out=t2)
            p -= np.multiply(buf, dt(self.lr), out=t2)
        else:
            step = np.multiply(g, dt(self.lr), out=t2)
            step /= avg
            p -= step


class Adagrad(Optimizer):
    """sum <- sum + g^2;  p <- p - clr g / (sqrt(sum) + eps), clr = lr / (1 + (t - 1) decay)."""

    def __init__(self, lr=0.01, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0,
                 eps=1e-10):
        super().__init__(lr)
        _check_positive("lr_decay", lr_decay, allow_zero=True)
        _check_positive("eps", eps)
        self.lr_decay, self.weight_decay = float(lr_decay), float(weight_decay)
        self.initial_accumulator_value, self.eps = float(initial_accumulator_value), float(eps)

    def _update(self, p, g, state):
        acc = state.get("sum")
        if acc is None:
            acc = state["sum"] = np.full_like(p, self.initial_accumulator_value)
        _blockwise(self._update_block, state, p, g, acc)

    def _update_block(self, p, g, acc, state):
        dt = p.dtype.type
        decayed, t1, t2 = _scratch(state, 3, p)
        if self.weight_decay:
            g = _with_decay(p, g, self.weight_decay, out=decayed)
        clr = self.lr / (1 + (self.t - 1) * self.lr_decay)
        acc += np.multiply(g, g, out=t1)
        denom = np.sqrt(acc, out=t1)
        denom += dt(self.eps)
        step = np.multiply(g, dt(clr), out=t2)
        step /= denom
        p -= step


class Adam(Optimizer):
    """Adaptive moments (Kingma and Ba), with PyTorch's bias correction and epsilon placement.

    m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
    p <- p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
    """

    def __init__(self, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        super().__init__(lr)
        b1, b2 = betas
        if not (0 <= b1 < 1 and 0 <= b2 < 1):
            raise ValueError(f"betas must be in [0, 1), got {betas!r}")
        _check_positive("eps", eps)
        _check_positive("weight_decay", weight_decay, allow_zero=True)
        self.betas, self.eps = (float(b1), float(b2)), float(eps)
        self.weight_decay, self.amsgrad = float(weight_decay), bool(amsgrad)

    def _decay(self, p, g, out):
        return _with_decay(p, g, self.weight_decay, out=out) if self.weight_decay else g

    def _update(self, p, g, state):
        m = state.setdefault("exp_avg", np.zeros_like(p))
        v = state.setdefault("exp_avg_sq", np.zeros_like(p))
        vmax = state.setdefault("max_exp_avg_sq", np.zeros_like(p)) if self.amsgrad else None
        _blockwise(self._update_block, state, p, g, m, v, vmax)

    def _update_block(self, p, g, m, v, vmax, state):
        """The Adam update of one block (any shape), with scratch arrays kept in state."""
        dt = p.dtype.type
        decayed, t1, t2 = _scratch(state, 3, p)
        g = self._decay(p, g, decayed)
        b1, b2 = self.betas
        m *= dt(b1)
        m += np.multiply(g, dt(1 - b1), out=t1)
        v *= dt(b2)
        np.multiply(g, dt(1 - b2), out=t1)
        t1 *= g
        v += t1
        if vmax is not None:
            np.maximum(vmax, v, out=vmax)
            v = vmax
        step_size = self.lr / (1 - b1 ** self.t)
        denom = np.sqrt(v, out=t1)
        denom /= dt(math.sqrt(1 - b2 ** self.t))
        denom += dt(self.eps)
        np.multiply(m, dt(step_size), out=t2)
        t2 /= denom
        p -= t2


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter): p <- p (1 - lr wd), then Adam."""

    def __init__(self, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, amsgrad=False):
        super().__init__(lr, betas, eps, weight_decay, amsgrad)

    def _decay(self, p, g, out):
        p *= p.dtype.type(1 - self.lr * self.weight_decay)
        return g


_REGISTRY = {"sgd": SGD, "rmsprop": RMSprop, "adagrad": Adagrad, "adam": Adam, "adamw": AdamW}


def get(optimizer, **kwargs):
    """An optimizer from a name (``"sgd"``, ``"adam"``, ...) with keyword settings, or as is."""
    if isinstance(optimizer, Optimizer):
        return optimizer
    if isinstance(optimizer, str):
        try:
            return _REGISTRY[optimizer.lower()](**kwargs)
        except KeyError:
            raise ValueError(
                f"unknown optimizer {optimizer!r}; choose one of {sorted(_REGISTRY)}"
            ) from None
    raise TypeError(f"optimizer must be a name or an Optimizer, got {type(optimizer).__name__}")
