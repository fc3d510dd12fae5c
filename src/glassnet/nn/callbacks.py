"""Callbacks: small objects the fit loop calls at the start and end of training, of each epoch
and of each batch.

``logs`` is the dict of this epoch's numbers (``loss``, ``val_loss``, ``accuracy``, ``lr``,
...), or of this batch's (``size``, and after the step ``loss`` and ``lr``). A callback stops
training by setting ``model.stop_training = True``: ``fit`` stops after the epoch, or after the
batch when the callback has batch hooks.
"""

from __future__ import annotations

import csv
import math
import sys
import time
from pathlib import Path

import numpy as np

from .display import html_table

__all__ = ["CSVLogger", "Callback", "EarlyStopping", "History", "ProgressLogger", "mode_for"]


class Callback:
    """Base class; override what you need. ``self.model`` is set before training starts.

    ``fit`` calls the batch hooks only of callbacks that override them, so the others cost
    nothing per batch.
    """

    model = None

    def set_model(self, model):
        self.model = model

    def on_train_begin(self, logs=None):
        pass

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_batch_begin(self, batch, logs=None):
        """Before batch ``batch`` (0-based within the epoch); ``logs["size"]`` is its rows."""

    def on_batch_end(self, batch, logs=None):
        """After the step on batch ``batch``: ``logs`` holds ``size``, ``loss`` and ``lr``."""

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    def uses_batch_hooks(self):
        """True when this callback's class overrides ``on_batch_begin`` or ``on_batch_end``."""
        cls = type(self)
        return (cls.on_batch_begin is not Callback.on_batch_begin
                or cls.on_batch_end is not Callback.on_batch_end)


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

    def _repr_html_(self):
        """A notebook's view: each logged number's first, best and last value."""
        rows = []
        for key, values in self.history.items():
            best = (max if mode_for(key, "auto") == "max" else min)(values)
            rows.append((key, f"{values[0]:.4g}", f"{best:.4g}",
                         f"{values.index(best) + 1}", f"{values[-1]:.4g}"))
        return html_table(("", "first", "best", "best epoch", "last"), rows,
                          f"History: {len(self.epoch)} epochs")

    def plot(self, keys=None, path=None, title=None):
        """The learning curves as a ``matplotlib.figure.Figure`` (saved to ``path`` if given).

        One panel for the losses (``loss`` and ``val_loss``) and one per other metric pair
        (``accuracy`` and ``val_accuracy``, ...); ``keys`` picks the names to draw (default:
        all but ``lr``). Epochs count from 1. Builds the figure without pyplot, so the
        backend is never touched.
        """
        from matplotlib.figure import Figure

        keys = [k for k in self.history if k != "lr"] if keys is None else list(keys)
        unknown = [k for k in keys if k not in self.history]
        if unknown:
            raise KeyError(f"History has no {unknown}; it holds {sorted(self.history)}")
        panels = list(dict.fromkeys(k.removeprefix("val_") for k in keys))
        fig = Figure(figsize=(4.5 * max(1, len(panels)), 3.4), layout="constrained")
        axes = fig.subplots(1, max(1, len(panels)), squeeze=False)[0]
        epochs = np.arange(1, len(self.epoch) + 1)
        for ax, name in zip(axes, panels):
            for key, label in ((name, "train"), (f"val_{name}", "validation")):
                if key in keys:
                    ax.plot(epochs[:len(self.history[key])], self.history[key], label=label)
            ax.set_xlabel("epoch")
            ax.set_ylabel(name)
            ax.legend()
        if title:
            fig.suptitle(title)
        if path is not None:
            fig.savefig(path, dpi=100)
        return fig


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


class CSVLogger(Callback):
    """Write one row per epoch to the CSV file ``path``: ``epoch`` (from 1), then every number
    ``fit`` logged (``loss``, metrics, ``val_*``, ``lr``).

    The file is flushed after each row, so a running fit can be watched; ``append=True``
    continues an existing file (its header is kept) instead of starting it afresh.
    """

    def __init__(self, path, separator=",", append=False):
        self.path, self.separator, self.append = Path(path), separator, bool(append)
        self.file = self.writer = None

    def on_train_begin(self, logs=None):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.continued = self.append and self.path.exists() and self.path.stat().st_size > 0
        self.file = open(self.path, "a" if self.continued else "w", newline="",
                         encoding="utf-8")
        self.writer = None

    def on_epoch_end(self, epoch, logs=None):
        row = {"epoch": epoch + 1,
               **{k: v for k, v in (logs or {}).items() if np.isscalar(v)}}
        if self.writer is None:
            self.writer = csv.DictWriter(self.file, fieldnames=list(row), restval="",
                                         delimiter=self.separator, extrasaction="ignore")
            if not self.continued:
                self.writer.writeheader()
        self.writer.writerow(row)
        self.file.flush()

    def on_train_end(self, logs=None):
        if self.file is not None:
            self.file.close()
            self.file = None
