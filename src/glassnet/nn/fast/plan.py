"""``FitPlan``: the speed machinery of one ``fit``, built once and proven equal to
``Sequential.train_step``.

Each batch gets ``train_step``'s maths. What the plan does differently, all for speed, and the
test that proves it changes nothing but rounding where summation order differs:

==========================================  ===============================================
instead of                                  the plan                 (tests/nn/fast/...)
==========================================  ===============================================
``X[idx]`` per batch                        gathers rows into kept buffers; column-major
                                            data is copied row-major once  (test_plan)
each layer's ``forward``/``backward``        the layer's kernel: kept buffers, in-place
                                            gradients, BLAS for db (test_kernels)
the first layer's dx, and backward through  skipped: nothing needs them (test_plan)
layers below the first one with parameters
``loss.backward()`` then Sigmoid/Softmax    the fused gradient (p - t) / n,
``backward`` (after a cross-entropy)        ``loss.grad_wrt_logits()`` (test_plan)
``optimizer.step(model.parameters())``      one step over the packed Dense parameters
                                            (``PackedParameters``), cache-sized kernels on
                                            large arrays (test_optim); with sparse input and
                                            plain SGD, only the rows the batch's words touch
==========================================  ===============================================

The plan changes nothing on the model or its layers except their parameters' and gradients'
values (the kernels keep their own caches and buffers), so there is nothing to restore after
``fit``, whether it ends or raises. It works on its own copy of the loss, whose batch caches
point into the plan's buffers.
"""

from __future__ import annotations

import copy

import numpy as np

from .. import losses as losses_mod
from ..activations import Sigmoid, Softmax
from ..checks import is_sparse
from ..layers import Dense
from ..optimizers import clip_grad_norm
from .kernels import kernel_for
from .optim import OptimizerStep, uses_row_hints

__all__ = ["FitPlan"]

#: loss -> the output layer whose backward it fuses with (when not from_logits)
FUSED = {losses_mod.BinaryCrossEntropy: Sigmoid, losses_mod.CrossEntropy: Softmax}


class FitPlan:
    """Run ``fit``'s batches: ``batches(order)`` yields them, ``step`` trains on one."""

    def __init__(self, model, loss, optimizer, regularizer, clip_norm, X, Y, sample_weight,
                 batch_size):
        layers = model.layers
        self.loss = copy.copy(loss)
        self.regularizer, self.clip_norm = regularizer, clip_norm
        self.reg_layers = model.param_layers
        self.fused = (not getattr(loss, "from_logits", True)
                      and type(layers[-1]) is FUSED.get(type(loss)))
        first = next((i for i, layer in enumerate(layers) if layer.params), len(layers))
        # Built top down, so each kernel knows whether the gradient it gets is the fit's own
        # (a built-in loss's fresh array or a kernel's buffer) and may be overwritten.
        owned = type(loss) in losses_mod.CLASSES.values()
        kernels = []
        for i in reversed(range(len(layers))):
            kernels.insert(0, kernel_for(layers[i], owned, input_grad=i > first))
            owned = kernels[0].returns_owned
        self.kernels = kernels
        self.backprop = kernels[first:len(layers) - 1 if self.fused else len(layers)]
        # Plain SGD on sparse input updates only the rows of the words a batch has, which takes
        # one pair per array; otherwise the packed arrays step as one pair. (A penalty's
        # gradient is dense: no row hints then.)
        hinted = (is_sparse(X) and uses_row_hints(optimizer) and not regularizer
                  and first < len(layers) and isinstance(layers[first], Dense))
        if hinted:
            self.pairs = model.parameters()
            self.hint = sum(len(layer.params) for layer in layers[:first])  # its W's position
            self.first_kernel = kernels[first]
        else:
            self.pairs = model.packed_parameters().pairs(layers)
            self.hint = None
        self.optimizer_step = OptimizerStep(optimizer)
        # Row gathers need row-major data: from a column-major array (what pandas' to_numpy
        # gives) every gathered row is a strided read, 100x slower; copy such data once here.
        self.X, self.Y, self.sample_weight = (
            a if a is None or is_sparse(a) else np.ascontiguousarray(a)
            for a in (X, Y, sample_weight))
        self.batch_size = batch_size
        self.buffers = [_row_buffer(a, batch_size) for a in (self.X, self.Y, self.sample_weight)]

    def batches(self, order=None):
        """``(start, x, y, sample_weight)`` for each batch: the rows in ``order`` (gathered into
        kept buffers), or consecutive slices when ``order`` is None."""
        X, Y, W = self.X, self.Y, self.sample_weight
        bx, by, bw = self.buffers
        b = self.batch_size
        for start in range(0, X.shape[0], b):
            if order is None:
                idx = slice(start, start + b)
                yield start, X[idx], Y[idx], None if W is None else W[idx]
            else:
                idx = order[start:start + b]
                yield (start, _take_rows(X, idx, bx), _take_rows(Y, idx, by),
                       None if W is None else _take_rows(W, idx, bw))

    def step(self, xb, yb, swb=None):
        """``train_step``'s maths on one batch; returns (batch loss, network output)."""
        out = xb
        for kernel in self.kernels:
            out = kernel.forward(out)
        value = (self.loss.forward_prepared(out, yb) if swb is None
                 else self.loss.forward_prepared(out, yb, sample_weight=swb))
        grad = self.loss.grad_wrt_logits() if self.fused else self.loss.backward()
        for kernel in reversed(self.backprop):
            grad = kernel.backward(grad)
        if self.regularizer:
            value += self.regularizer.apply(self.reg_layers)
        if self.clip_norm is not None:
            clip_grad_norm(self.pairs, self.clip_norm)
        if self.hint is None:
            self.optimizer_step(self.pairs)
        else:
            rows = [None] * len(self.pairs)
            rows[self.hint] = self.first_kernel.rows
            self.optimizer_step(self.pairs, rows)
        return value, out


def _row_buffer(a, batch_size):
    """An array for one batch of a's rows, reused every batch (None where SciPy gathers)."""
    if a is None or is_sparse(a):
        return None
    return np.empty((min(batch_size, a.shape[0]), *a.shape[1:]), a.dtype)


def _take_rows(a, idx, buf):
    """Rows ``idx`` of ``a``: a view for a slice, else gathered into ``buf``."""
    if buf is None or isinstance(idx, slice):
        return a[idx]  # a view of a slice; for sparse a, SciPy builds the batch's CSR matrix
    # mode="clip" skips the bounds check and the extra copy mode="raise" makes with out=; the
    # indices come from a permutation of range(n), so they are valid.
    return a.take(idx, axis=0, out=buf[:len(idx)], mode="clip")
