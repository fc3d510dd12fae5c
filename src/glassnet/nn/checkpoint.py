"""``ModelCheckpoint``: save the model during training (a callback built on serialization)."""

from __future__ import annotations

import math

from .callbacks import Callback, mode_for
from .serialization import save

__all__ = ["ModelCheckpoint"]


class ModelCheckpoint(Callback):
    """Save the model to ``path`` after an epoch (only when ``monitor`` improved, by default)."""

    def __init__(self, path, monitor="val_loss", save_best_only=True, mode="auto"):
        self.path, self.monitor, self.save_best_only = path, monitor, save_best_only
        self.mode = mode_for(monitor, mode)

    def on_train_begin(self, logs=None):
        self.best = math.inf if self.mode == "min" else -math.inf

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if self.save_best_only:
            if value is None:
                raise KeyError(f"ModelCheckpoint monitors {self.monitor!r}, not in the logs")
            better = value < self.best if self.mode == "min" else value > self.best
            if not better:
                return
            self.best = value
        save(self.model, self.path)
