"""The learning-rate range test (Smith 2015; fastai's ``lr_find``): train briefly while the
learning rate grows exponentially, watch the loss, and pick a rate where it falls fastest.

Batch i of ``num_it`` trains at ``lr_i = start_lr * (end_lr / start_lr) ** (i / (num_it - 1))``.
The recorded loss is smoothed by an exponential moving average with bias correction,

    avg_i = beta avg_{i-1} + (1 - beta) loss_i,    smoothed_i = avg_i / (1 - beta^(i+1)),

and the run stops once the smoothed loss exceeds ``diverge`` times its minimum (or turns
non-finite): the rate has become too large. The suggestion is the rate of the steepest descent
of the smoothed loss against log(lr), looked for before the minimum. The run trains a copy of
the model with a copy of the optimizer, so the model (weights, generator, fitted attributes)
and the optimizer's state are exactly as they were.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np

from . import optimizers as optimizers_mod
from .callbacks import Callback
from .errors import DivergenceError

__all__ = ["LRFinder", "LRFinderResult", "lr_find"]


class LRFinder(Callback):
    """The range test as a batch-level callback on ``optimizer``: sets each batch's rate and
    records its smoothed loss; stops ``fit`` after ``num_it`` batches or on divergence."""

    def __init__(self, optimizer, start_lr=1e-7, end_lr=10.0, num_it=100, beta=0.98,
                 diverge=4.0):
        if not 0 < start_lr < end_lr:
            raise ValueError(f"need 0 < start_lr < end_lr, got {start_lr!r} and {end_lr!r}")
        if num_it < 2:
            raise ValueError(f"num_it must be >= 2, got {num_it!r}")
        self.optimizer, self.start_lr, self.end_lr = optimizer, float(start_lr), float(end_lr)
        self.num_it, self.beta, self.diverge = int(num_it), float(beta), float(diverge)

    def lr_at(self, i):
        return self.start_lr * (self.end_lr / self.start_lr) ** (i / (self.num_it - 1))

    def on_train_begin(self, logs=None):
        self.lrs, self.losses, self.raw = [], [], []
        self.avg, self.best, self.diverged = 0.0, math.inf, False
        self.optimizer.lr = self.lr_at(0)

    def on_batch_end(self, batch, logs=None):
        i = len(self.lrs)
        loss = float(logs["loss"])
        self.avg = self.beta * self.avg + (1 - self.beta) * loss
        smoothed = self.avg / (1 - self.beta ** (i + 1))
        self.lrs.append(self.optimizer.lr)
        self.raw.append(loss)
        self.losses.append(smoothed)
        if not math.isfinite(smoothed) or smoothed > self.diverge * self.best:
            self.diverged = True
            self.model.stop_training = True
            return
        self.best = min(self.best, smoothed)
        if i + 1 >= self.num_it:
            self.model.stop_training = True
        else:
            self.optimizer.lr = self.lr_at(i + 1)


@dataclass
class LRFinderResult:
    """What ``lr_find`` found: the rates tried, their smoothed (and raw) losses, the
    ``suggestion`` (steepest descent), ``lr_min`` (the rate at the lowest loss, divided by
    10: fastai's other rule of thumb) and ``diverged_lr`` (the rate at which the loss blew up,
    or None if it never did)."""

    lrs: np.ndarray
    losses: np.ndarray
    raw_losses: np.ndarray
    suggestion: float
    lr_min: float
    diverged_lr: float | None

    def plot(self, path=None):
        """Smoothed loss against the learning rate (log axis), the suggestion marked, as a
        ``matplotlib.figure.Figure`` (saved to ``path`` if given)."""
        from matplotlib.figure import Figure

        fig = Figure(figsize=(5.5, 3.6), layout="constrained")
        ax = fig.subplots()
        ax.plot(self.lrs, self.losses)
        ax.set_xscale("log")
        ax.axvline(self.suggestion, color="tab:red", linestyle="--",
                   label=f"suggestion {self.suggestion:.2g}")
        ax.set_xlabel("learning rate")
        ax.set_ylabel("loss (smoothed)")
        ax.legend()
        if path is not None:
            fig.savefig(path, dpi=100)
        return fig


def suggest(lrs, losses, skip_start=0.1):
    """``(steepest, lr_min)``: the rate where the smoothed loss falls fastest against log(lr),
    before its minimum, and a tenth of the rate at the minimum.

    The first ``skip_start`` of the points are left out (as fastai does): there the moving
    average has seen few batches and its wobbles would pass for a steep fall.
    """
    lrs, losses = np.asarray(lrs, dtype=np.float64), np.asarray(losses, dtype=np.float64)
    finite = np.isfinite(losses)
    lrs, losses = lrs[finite], losses[finite]
    low = int(np.argmin(losses))
    lr_min = float(lrs[low]) / 10
    first = min(int(len(lrs) * skip_start), max(low - 2, 0))
    if low - first < 2:
        return lr_min, lr_min
    slope = np.gradient(losses[first:low + 1], np.log(lrs[first:low + 1]))
    return float(lrs[first + int(np.argmin(slope))]), lr_min


def lr_find(model, X, y, *, loss=None, optimizer=None, start_lr=1e-7, end_lr=10.0,
            num_it=100, batch_size=32, beta=0.98, diverge=4.0, **fit_kwargs):
    """Run the learning-rate range test for ``model`` on (X, y); returns ``LRFinderResult``.

    Trains a copy of ``model`` for ``num_it`` batches of ``batch_size`` rows (as many epochs
    as that takes) with a copy of ``optimizer`` (default Adam), the rate growing from
    ``start_lr`` to ``end_lr``; ``model`` and ``optimizer`` are left untouched. Other keyword
    arguments (``l2``, ``clip_norm``, ``sample_weight``, ...) go to ``fit``.
    """
    optimizer = optimizers_mod.Adam() if optimizer is None else optimizers_mod.get(optimizer)
    trial, opt = copy.deepcopy(model), copy.deepcopy(optimizer)
    finder = LRFinder(opt, start_lr, end_lr, num_it, beta, diverge)
    n = X.shape[0] if hasattr(X, "shape") else len(X)
    epochs = math.ceil(num_it / math.ceil(n / min(batch_size, n)))
    try:
        # The test drives training to blow up on purpose: overflow there is expected.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            trial.fit(X, y, loss=loss, optimizer=opt, epochs=epochs, batch_size=batch_size,
                      callbacks=[finder], verbose=0, **fit_kwargs)
    except DivergenceError:
        # a non-finite batch loss: the rate of that batch is where training blew up
        finder.lrs.append(opt.lr)
        finder.losses.append(math.inf)
        finder.raw.append(math.inf)
        finder.diverged = True
    if len(finder.lrs) < 2:
        raise ValueError("the range test stopped after one batch; lower start_lr")
    steepest, lr_min = suggest(finder.lrs, finder.losses)
    return LRFinderResult(np.array(finder.lrs), np.array(finder.losses), np.array(finder.raw),
                          steepest, lr_min, finder.lrs[-1] if finder.diverged else None)
