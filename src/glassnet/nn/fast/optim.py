"""The optimizers' rules as cache-sized kernels, and the step ``fit`` takes with them.

Written as a formula, Adam's update of a 2-million-weight array makes a handful of
array-sized temporaries that go out to memory and back; the kernels below compute the same
operations in the same order (so the same bits: ``tests/nn/fast/test_optim.py``) a block of
``BLOCK`` elements at a time into scratch arrays kept between steps, which stay in cache.
``OptimizerStep`` uses a kernel only for arrays of at least ``min_size(optimizer)`` elements,
where it measurably pays (docs/design.md, "Optimizer kernels"), and the optimizer's own ``update``
elsewhere. With row hints (sparse input, plain SGD) it updates only the rows a batch touched.
"""

from __future__ import annotations

import math

import numpy as np

from ..optimizers import SGD, Adagrad, Adam, AdamW, RMSprop

__all__ = ["BLOCK", "KERNELS", "OptimizerStep", "min_size", "sgd_rows", "uses_row_hints"]

BLOCK = 1 << 17  # 512 KB of float32 per temporary


def uses_row_hints(optimizer):
    """Whether ``optimizer`` is plain SGD, whose update is exactly zero wherever the gradient
    is: then only the rows a sparse batch touched need updating. (Momentum and weight decay
    move every weight, so they need the whole array.)"""
    return type(optimizer) is SGD and not (optimizer.momentum or optimizer.weight_decay)


def sgd_rows(p, g, lr, rows):
    """p <- p - lr g on ``rows`` only: plain SGD where g is zero outside those rows."""
    p[rows] -= p.dtype.type(lr) * g[rows]


def _blocks(arrays, n_scratch):
    """Views of same-shaped C-contiguous arrays (None passes through), one tuple per block of
    ``BLOCK`` elements, each followed by ``n_scratch`` temporaries of the block's size: the
    arguments of a kernel's block function, made once per array and kept."""
    first = arrays[0]
    dtype, size = first.dtype, min(first.size, BLOCK)
    scratch = np.empty((n_scratch, size), dtype)
    if first.size <= BLOCK:  # one block: the arrays themselves, no slicing each step
        return [(*arrays, *(s.reshape(first.shape) for s in scratch))]
    flat = [None if a is None else a.reshape(-1) for a in arrays]
    blocks = []
    for start in range(0, first.size, BLOCK):
        stop = min(start + BLOCK, first.size)
        blocks.append((*(None if a is None else a[start:stop] for a in flat),
                       *(s[:stop - start] for s in scratch)))
    return blocks


def sgd_block(opt, p, g, buf, t1, t2):
    """SGD's rule (``SGD.update``) on one block (after the first step, which made ``buf``)."""
    dt = p.dtype.type
    if opt.weight_decay:
        g = np.add(np.multiply(p, dt(opt.weight_decay), out=t1), g, out=t1)
    if opt.momentum:
        buf *= dt(opt.momentum)
        buf += np.multiply(g, dt(1 - opt.dampening), out=t2)
        g = np.add(np.multiply(buf, dt(opt.momentum), out=t2), g, out=t2) if opt.nesterov \
            else buf
    p -= np.multiply(g, dt(opt.lr), out=t2 if g is t1 else t1)


def rmsprop_block(opt, p, g, v, m, buf, decayed, t1, t2):
    """RMSprop's rule (``RMSprop.update``) on one block."""
    dt = p.dtype.type
    a = dt(opt.alpha)
    if opt.weight_decay:
        g = np.add(np.multiply(p, dt(opt.weight_decay), out=decayed), g, out=decayed)
    v *= a
    np.multiply(g, dt(1 - opt.alpha), out=t1)
    t1 *= g
    v += t1
    if m is not None:  # centered: avg = sqrt(v - m^2) + eps
        m *= a
        m += np.multiply(g, dt(1 - opt.alpha), out=t1)
        avg = np.subtract(v, np.multiply(m, m, out=t1), out=t1)
        np.sqrt(avg, out=avg)
    else:
        avg = np.sqrt(v, out=t1)
    avg += dt(opt.eps)
    if buf is not None:
        buf *= dt(opt.momentum)
        buf += np.divide(g, avg, out=t2)
        p -= np.multiply(buf, dt(opt.lr), out=t2)
    else:
        step = np.multiply(g, dt(opt.lr), out=t2)
        step /= avg
        p -= step


def adagrad_block(opt, p, g, acc, decayed, t1, t2):
    """Adagrad's rule (``Adagrad.update``) on one block."""
    dt = p.dtype.type
    if opt.weight_decay:
        g = np.add(np.multiply(p, dt(opt.weight_decay), out=decayed), g, out=decayed)
    clr = opt.lr / (1 + (opt.t - 1) * opt.lr_decay)
    acc += np.multiply(g, g, out=t1)
    denom = np.sqrt(acc, out=t1)
    denom += dt(opt.eps)
    step = np.multiply(g, dt(clr), out=t2)
    step /= denom
    p -= step


def adam_block(opt, p, g, m, v, vmax, decayed, t1, t2):
    """Adam's and AdamW's rule (``Adam.update``) on one block."""
    dt = p.dtype.type
    b1, b2 = opt.betas
    if opt.weight_decay and opt.decoupled:
        p *= dt(1 - opt.lr * opt.weight_decay)
    elif opt.weight_decay:
        g = np.add(np.multiply(p, dt(opt.weight_decay), out=decayed), g, out=decayed)
    m *= dt(b1)
    m += np.multiply(g, dt(1 - b1), out=t1)
    v *= dt(b2)
    np.multiply(g, dt(1 - b2), out=t1)
    t1 *= g
    v += t1
    if vmax is not None:
        v = np.maximum(vmax, v, out=vmax)
    denom = np.sqrt(v, out=t1)
    denom /= dt(math.sqrt(1 - b2 ** opt.t))
    denom += dt(opt.eps)
    np.multiply(m, dt(opt.lr / (1 - b1 ** opt.t)), out=t2)
    t2 /= denom
    p -= t2


#: each rule's block function and the state arrays it takes, by the optimizer's exact type
#: (a subclass may change the rule)
KERNELS = {
    SGD: (sgd_block, ("momentum",), 2),
    RMSprop: (rmsprop_block, ("square_avg", "grad_avg", "momentum"), 3),
    Adagrad: (adagrad_block, ("sum",), 3),
    Adam: (adam_block, ("exp_avg", "exp_avg_sq", "max_exp_avg_sq"), 3),
    AdamW: (adam_block, ("exp_avg", "exp_avg_sq", "max_exp_avg_sq"), 3),
}


def min_size(optimizer):
    """The least array size (elements) at which the kernel beats the formula, as measured on
    this project's machines (docs/design.md, "Optimizer kernels"): plain SGD's two operations
    gain only once blocks keep the temporary in cache; the longer rules gain from a few
    thousand weights on, where the kept scratch arrays save allocations."""
    kind = type(optimizer)
    if kind is SGD:
        return 1 << 12 if optimizer.momentum or optimizer.weight_decay else 1 << 17
    return 1 << 14 if kind is Adagrad else 1 << 12


class OptimizerStep:
    """``optimizer.step(pairs)`` as ``fit`` takes it: the kernel of the optimizer's rule on
    C-contiguous arrays of at least ``min_size(optimizer)`` elements, its ``update`` on the
    rest, and ``sgd_rows`` where a row hint says which rows a sparse batch's gradient touched.

    The first step of a state runs the formula, which creates the state's arrays (PyTorch's
    SGD starts its momentum buffer at the first gradient); the kernels' block views over those
    arrays are made then and kept for the fit.
    """

    def __init__(self, optimizer):
        self.optimizer = optimizer
        self.kernel = KERNELS.get(type(optimizer))
        self.min_size = min_size(optimizer)
        self.row_hints = uses_row_hints(optimizer)  # other rules move rows whose g is 0
        # the optimizer's state list and the list of pairs the block views below were made for
        self._states = self._pairs = None
        self._blocks: list = []  # per pair: the block functions' arguments, or None (formula)

    def __call__(self, pairs, rows=None):
        opt = self.optimizer
        states = opt.begin_step(pairs)
        if rows is not None and self.row_hints:
            for (p, g), state, hint in zip(pairs, states, rows):
                if hint is None:
                    opt.update(p, g, state)
                else:
                    sgd_rows(p, g, opt.lr, hint)
            return
        if self._states is not states:  # a new state: the formula makes its arrays
            for (p, g), state in zip(pairs, states):
                opt.update(p, g, state)
            self._states, self._pairs = states, None
            return
        if self._pairs is not pairs:  # (fit passes one list for the whole fit)
            self._pairs = pairs
            self._blocks = [self._block_args(p, g, state) for (p, g), state in
                            zip(pairs, states)]
        block = self.kernel[0] if self.kernel is not None else None
        for (p, g), state, blocks in zip(pairs, states, self._blocks):
            if blocks is None:
                opt.update(p, g, state)
            else:
                for args in blocks:
                    block(opt, *args)

    def _block_args(self, p, g, state):
        """The kernel's arguments for each block of (p, g) and its state, or None where the
        formula is the faster (or the only) way."""
        if self.kernel is None or p.size < self.min_size or not (
                p.flags.c_contiguous and g.flags.c_contiguous):
            return None
        _, keys, n_scratch = self.kernel
        return _blocks((p, g, *(state.get(k) for k in keys)), n_scratch)
