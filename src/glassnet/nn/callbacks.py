"""Callbacks: small objects the fit loop calls at the start and end of training and of each epoch.

``logs`` is the dict of this epoch's numbers (``loss``, ``val_loss``, ``accuracy``, ...). A
callback stops training by setting ``model.stop_training = True``.
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np

__all__ = ["Callback", "EarlyStopping", "History", "ProgressLogger", "mode_for"]


class Callback:
    """Base class; override what you need. ``self.model`` is set before training starts."""

    model = None

    def set_model(self, model):
        self.model = model

    def on_train_begin(self, logs=None):
        pass

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass


class History(Callback):
    """Records every epoch's logs: ``history.history["val_loss"][k]`` is epoch k's value."""

    def __init__(self):
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs=None):
        # fit() continues the same History across calls only through a new one; start clean.
        self.history, self.epoch = {}, []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)

    def __getitem__(self, key):
        return self.history[key]

    def __repr__(self):
        last = {k: round(v[-1], 6) for k, v in self.history.items()}
        return f"History(epochs={len(self.epoch)}, last={last})"


def mode_for(monitor, mode):
    """"min" or "max": how ``monitor`` improves ("auto": max for accuracy-like names)."""
    if mode not in ("auto", "min", "max"):
        raise ValueError(f"mode must be 'auto', 'min' or 'max', got {mode!r}")
    if mode != "auto":
        return mode
    higher_better = ("acc", "accuracy", "precision", "recall", "f1", "r2")
    return "max" if monitor.endswith(higher_better) else "min"


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by more than ``min_delta`` for ``patience`` epochs.

    With ``restore_best_weights`` the model ends with the weights of its best epoch, not its last.
    """

    def __init__(self, monitor="val_loss", patience=5, min_delta=0.0, mode="auto",
                 restore_best_weights=False):
        if patience < 0:
            raise ValueError(f"patience must be >= 0, got {patience!r}")
        self.monitor, self.patience, self.min_delta = monitor, int(patience), abs(min_delta)
        self.mode = mode_for(monitor, mode)
        self.restore_best_weights = restore_best_weights

    def on_train_begin(self, logs=None):
        self.wait, self.stopped_epoch, self.best_epoch = 0, None, None
        self.best = math.inf if self.mode == "min" else -math.inf
        self.best_weights = None

    def _improved(self, value):
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.monitor not in logs:
            raise KeyError(
                f"EarlyStopping monitors {self.monitor!r} but the logs hold {sorted(logs)}; "
                "pass validation data to monitor a val_ metric"
            )
        value = logs[self.monitor]
        if self._improved(value):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.stopped_epoch = epoch
                self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.restore_best_weights and self.best_weights is not None:
            self.model.set_weights(self.best_weights)


class ProgressLogger(Callback):
    """Prints one line per epoch (every ``every`` epochs, and the last of ``epochs``): epoch,
    time and each logged number."""

    def __init__(self, every=1, stream=None, epochs=None):
        self.every, self.stream, self.epochs = max(1, int(every)), stream, epochs

    def on_train_begin(self, logs=None):
        self._t0 = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        total = self.epochs
        last = total is not None and epoch + 1 == total
        if (epoch + 1) % self.every and not last and epoch:
            return
        parts = [f"epoch {epoch + 1}" + (f"/{total}" if total else "")]
        parts.append(f"{time.perf_counter() - self._t0:.1f}s")
        parts += [f"{k}: {v:.4g}" if isinstance(v, float) else f"{k}: {v}"
                  for k, v in (logs or {}).items() if np.isscalar(v)]
        print(" - ".join(parts), file=self.stream or sys.stdout)
