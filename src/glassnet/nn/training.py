"""``fit``: mini-batch gradient descent over epochs, with validation, metrics and callbacks.

Each batch gets exactly ``Sequential.train_step``'s maths; the loop runs it through a
``FitPlan`` (``glassnet.nn.fast``), which reuses buffers, fuses the output layer's gradient with
the loss's and steps the packed parameters, and is tested to give the same weights as a loop of
``train_step`` calls (``tests/nn/fast/test_plan.py``). Inputs are checked once, here.
"""

from __future__ import annotations

import copy
import inspect
import math
import warnings

import numpy as np

from . import losses as losses_mod
from . import optimizers as optimizers_mod
from .callbacks import Callback, History, ProgressLogger
from .checks import check_count, check_data, check_sample_weight
from .errors import DivergenceError
from .fast.plan import FitPlan
from .layers import Dense
from .regularizers import Regularizer

__all__ = ["evaluate_checked", "fit", "resolve_metrics"]


def fit(model, X, y, *, loss=None, optimizer=None, epochs=1, batch_size=None, shuffle=True,
        validation_data=None, validation_split=0.0, callbacks=None, verbose=1, metrics=None,
        l1=0.0, l2=0.0, regularizer=None, clip_norm=None, sample_weight=None):
    """Train ``model`` by mini-batch gradient descent; returns the ``History`` of every epoch.

    X: (n, n_features) array or CSR matrix; y: targets as the loss takes them (values (n,) or
    (n, k); integer labels or one-hot rows for cross-entropy). ``loss`` defaults by the output
    layer (``Sequential.default_loss``); ``optimizer`` defaults to Adam(lr=0.001).
    ``batch_size=None`` means full batch. Each epoch draws a new order of the rows from the
    model's generator (unless ``shuffle=False``). ``validation_split`` holds out the last
    fraction of the rows (before shuffling, as Keras does). ``l1``/``l2`` penalise weights (not
    biases); ``clip_norm`` caps the global gradient norm; ``sample_weight`` (n,) weighs rows.
    ``verbose``: 0 silent, 1 about ten lines, 2 a line per epoch. ``callbacks``: ``Callback``
    objects called at the start and end of training, of each epoch and (those that override
    the batch hooks) of each batch.
    """
    loss = model.default_loss() if loss is None else losses_mod.get(loss)
    optimizer = optimizers_mod.Adam() if optimizer is None else optimizers_mod.get(optimizer)
    epochs = check_count("epochs", epochs)
    if not 0 <= validation_split < 1:
        raise ValueError(f"validation_split must be in [0, 1), got {validation_split!r}")
    if clip_norm is not None and not clip_norm > 0:
        raise ValueError(f"clip_norm must be > 0, got {clip_norm!r}")
    if regularizer is None:
        regularizer = Regularizer(l1=l1, l2=l2)
    if sample_weight is not None and "sample_weight" not in inspect.signature(
            loss.forward).parameters:
        raise TypeError(f"sample_weight is not supported by {type(loss).__name__}")
    X, Y = check_data(X, y, loss, model.n_features, model.n_outputs, model.dtype)
    n = X.shape[0]
    sample_weight = check_sample_weight(sample_weight, n, model.dtype)
    if validation_data is not None:
        if len(validation_data) != 2:
            raise ValueError("validation_data must be a tuple (X_val, y_val)")
        Xv, Yv = check_data(*validation_data, loss, model.n_features, model.n_outputs,
                            model.dtype, "validation X", "validation y")
    elif validation_split:
        split = int(n * (1 - validation_split))
        if split < 1 or split == n:
            raise ValueError(f"validation_split={validation_split} leaves an empty split")
        X, Xv, Y, Yv = X[:split], X[split:], Y[:split], Y[split:]
        if sample_weight is not None:
            sample_weight = sample_weight[:split]
        n = split
    else:
        Xv = Yv = None
    batch_size = n if batch_size is None else check_count("batch_size", batch_size)
    metrics = resolve_metrics(metrics, loss)
    model.loss_ = loss
    model.n_train_samples_ = n
    _warn_symmetric(model)
    cbs = _callbacks(model, callbacks, verbose, epochs)

    plan = FitPlan(model, loss, optimizer, regularizer, clip_norm, X, Y, sample_weight,
                   batch_size)
    model.stop_training = False
    batch_cbs = [cb for cb in cbs if cb.uses_batch_hooks()]  # most fits: none, no calls
    for cb in cbs:
        cb.on_train_begin()
    for epoch in range(epochs):
        for cb in cbs:
            cb.on_epoch_begin(epoch)
        order = model.rng.permutation(n) if shuffle else None
        total, seen, tracker = 0.0, 0, MetricTracker(metrics, loss)
        # An overflow is divergence: raised at once, not printed as NumPy warnings before the
        # non-finite loss shows.
        with _diverging(epoch, optimizer, regularizer):
            for batch, (start, xb, yb, swb) in enumerate(plan.batches(order)):
                if batch_cbs:
                    for cb in batch_cbs:
                        cb.on_batch_begin(batch, {"size": xb.shape[0]})
                value, out = plan.step(xb, yb, swb)
                if not math.isfinite(value):
                    raise DivergenceError(
                        f"loss became {value} in epoch {epoch + 1} (batch starting at row "
                        f"{start}); training stopped. Try a lower learning rate (now "
                        f"{optimizer.lr:g}), gradient clipping (clip_norm) or scaled inputs."
                    )
                total += value * out.shape[0]
                seen += out.shape[0]
                tracker.update(out, yb)
                if batch_cbs:
                    batch_logs = {"size": out.shape[0], "loss": value, "lr": optimizer.lr}
                    for cb in batch_cbs:
                        cb.on_batch_end(batch, batch_logs)
                    if model.stop_training:
                        break
            logs = {"loss": total / seen, **tracker.result()}  # seen < n: stopped mid-epoch
            if Xv is not None:
                val = evaluate_checked(model, Xv, Yv, loss, metrics, regularizer)
                logs.update({f"val_{k}": v for k, v in val.items()})
                if not math.isfinite(logs["val_loss"]):
                    raise DivergenceError(f"validation loss became {logs['val_loss']} in epoch "
                                          f"{epoch + 1}; try a lower learning rate (now "
                                          f"{optimizer.lr:g})")
        logs["lr"] = optimizer.lr
        for cb in cbs:
            cb.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
    for cb in cbs:
        cb.on_train_end()
    model.history_ = cbs[0]
    model.optimizer_ = optimizer
    return cbs[0]


class _diverging:
    """Floating-point overflow and invalid results raise inside the block; they leave it as one
    ``DivergenceError`` naming the epoch and the learning rate."""

    def __init__(self, epoch, optimizer, regularizer):
        self.epoch, self.optimizer, self.regularizer = epoch, optimizer, regularizer
        self.state = np.errstate(over="raise", invalid="raise", divide="raise")

    def __enter__(self):
        self.state.__enter__()

    def __exit__(self, kind, error, tb):
        self.state.__exit__(kind, error, tb)
        if kind is not None and issubclass(kind, FloatingPointError) and \
                not issubclass(kind, DivergenceError):
            reg = self.regularizer
            penalties = (f", smaller penalties (l1 {reg.l1:g}, l2 {reg.l2:g})"
                         if getattr(reg, "l1", 0) or getattr(reg, "l2", 0) else "")
            raise DivergenceError(
                f"training diverged in epoch {self.epoch + 1}: the numbers overflowed ({error});"
                f" try a lower learning rate (now {self.optimizer.lr:g}){penalties}, gradient "
                "clipping (clip_norm) or scaled inputs") from None
        return False


def _callbacks(model, callbacks, verbose, epochs):
    """History first, then the progress printer, then the user's callbacks, each bound."""
    cbs: list[Callback] = [History()]
    if verbose:
        cbs.append(ProgressLogger(every=1 if verbose > 1 or epochs <= 20 else epochs // 10,
                                  epochs=epochs))
    cbs += list(callbacks or [])
    for cb in cbs:
        if not isinstance(cb, Callback):
            raise TypeError(f"callbacks must be Callback instances, got {type(cb).__name__}")
        cb.set_model(model)
    return cbs


def _warn_symmetric(model):
    dense = [lay for lay in model.layers if isinstance(lay, Dense)]
    for i, layer in enumerate(dense[:-1]):
        w = layer.params["W"]
        if layer.n_out > 1 and np.all(w == w.flat[0]):
            warnings.warn(
                f"hidden Dense layer {i} starts with all weights equal: every unit computes the "
                "same thing and receives the same gradient, so they can never differ "
                "(symmetry). Use a random initializer.",
                stacklevel=4,
            )


def resolve_metrics(metrics, loss):
    """The metric names to track: accuracy for a cross-entropy by default, else none."""
    if metrics is None:
        classify = isinstance(loss, (losses_mod.CrossEntropy, losses_mod.BinaryCrossEntropy))
        return ["accuracy"] if classify else []
    metrics = [metrics] if isinstance(metrics, str) else list(metrics)
    for m in metrics:
        if m not in MetricTracker.KNOWN:
            raise ValueError(f"unknown metric {m!r}; choose from {sorted(MetricTracker.KNOWN)}")
    return metrics


def evaluate_checked(model, X, Y, loss, metrics, regularizer=None):
    """Loss (with penalties) and metrics of ``model`` on checked (X, Y)."""
    evaluator = copy.copy(loss)  # its caches stay apart from the training loss's
    out = model.predict_checked(X)
    logs = {"loss": evaluator.forward_prepared(out, Y)}
    if regularizer:
        logs["loss"] += regularizer.penalty(model.param_layers)
    tracker = MetricTracker(metrics, loss)
    tracker.update(out, Y)
    logs.update(tracker.result())
    return logs


class MetricTracker:
    """Accumulates metrics over the batches of an epoch from the network outputs."""

    KNOWN = frozenset({"accuracy", "mae", "mse"})

    def __init__(self, metrics, loss):
        self.metrics, self.loss = metrics, loss
        self.sums = dict.fromkeys(metrics, 0.0)
        self.count = 0

    def _labels(self, out, target):
        if out.shape[1] == 1:
            threshold = 0.0 if getattr(self.loss, "from_logits", False) else 0.5
            return out[:, 0] >= threshold, target[:, 0] >= 0.5
        return np.argmax(out, axis=1), np.argmax(target, axis=1)

    def update(self, out, target):
        if not self.metrics:
            return
        for m in self.metrics:
            if m == "accuracy":
                pred, true = self._labels(out, target)
                self.sums[m] += float(np.count_nonzero(pred == true))
            elif m == "mae":
                self.sums[m] += float(np.abs(out - target).mean(axis=1).sum())
            elif m == "mse":
                self.sums[m] += float(np.square(out - target).mean(axis=1).sum())
        self.count += out.shape[0]

    def result(self):
        return {m: s / self.count for m, s in self.sums.items()} if self.count else {}
