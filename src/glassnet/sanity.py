"""Is a trained model sane? Divergence and "no better than a constant".

A training loss that stays finite can still be useless: Adam at lr = 1e6 saturates every
output (test log-loss 16 where guessing the class frequencies gives 1.3). Two checks, on the
loss of the data alone (no penalty), on the training rows:

* ``check_diverged``: the trained network is worse than the **baseline**, the best constant
  prediction (the target's mean: loss = its variance; the class frequencies: loss = their
  entropy), and training blew it up: its loss is over ``DIVERGED`` times the freshly
  initialised network's, or its weights grew over ``GROWTH`` times their initial size (Adam
  steps about lr per step whatever the gradient, so lr = 1e6 makes weights of 1e6 that saturate
  every unit). That is a ``DivergenceError``: ``glassnet train`` exits 2, a search counts the
  trial as pruned. A loss that overflows is caught earlier, in ``fit``.
* ``no_better_than_baseline``: the validation score is not better than the constant's: a
  warning, since the model may still be what the data allows.
"""

from __future__ import annotations

import numpy as np

from .nn.errors import DivergenceError

__all__ = ["DIVERGED", "GROWTH", "BaselineWarning", "baseline_loss", "check_diverged",
           "no_better_than_baseline", "weight_size"]


class BaselineWarning(UserWarning):
    """A trained model scores no better than a constant prediction."""


#: a final training loss over this many times the untrained network's is a blow-up
DIVERGED = 1.5
#: weights grown over this many times their initial magnitude are a blow-up
GROWTH = 1e3


def baseline_loss(task, y, n_classes=None):
    """The loss of the best constant prediction on targets ``y``: their variance (MSE, y (n,)
    or (n, k) values), or the entropy of the class frequencies (cross-entropy, y (n,) class
    indices)."""
    y = np.asarray(y)
    if task == "classification":
        p = np.bincount(y.astype(np.int64).ravel(), minlength=n_classes or 0) / y.size
        p = p[p > 0]
        return float(-(p * np.log(p)).sum())
    y = y.astype(np.float64).reshape(len(y), -1)
    return float(np.mean((y - y.mean(axis=0)) ** 2))


def check_diverged(initial, final, growth, task, y, config, n_classes=None):
    """Raise ``DivergenceError`` (one line) when the trained network's loss on the training
    rows, ``final``, is over the baseline loss of targets ``y`` and either over ``DIVERGED``
    times ``initial`` (the untrained network's) or reached with weights ``growth`` times their
    initial magnitude, ``growth`` over ``GROWTH``."""
    base = baseline_loss(task, y, n_classes)
    blown = not np.isfinite(final) or final > DIVERGED * initial or growth > GROWTH
    if not (blown and not final <= base):
        return
    what = "target mean" if task == "regression" else "class frequencies"
    raise DivergenceError(
        f"training diverged: the loss on the training rows went from {initial:.4g} to "
        f"{final:.4g} (weights x{growth:.3g}), worse than always predicting the {what} "
        f"({base:.4g}); lower the learning rate (now {config.lr:g})"
        + (f" or the penalties (l1 {config.l1:g}, l2 {config.l2:g})"
           if config.l1 or config.l2 else ""))


def no_better_than_baseline(task, scores, y_true, y_train, classes=None):
    """A warning text when ``scores`` (``evaluate_frame``'s metrics on some rows, with their
    true targets ``y_true``) are no better than the constant fitted on ``y_train``; else None.

    Regression compares MSE in the target's units with always predicting the training mean;
    classification compares log-loss with predicting the training class frequencies."""
    if task == "regression":
        y_true, y_train = np.asarray(y_true, np.float64), np.asarray(y_train, np.float64)
        base = float(np.mean((y_true - y_train.mean()) ** 2))
        model, name, rule = scores["mse"], "MSE", f"the training mean {y_train.mean():.4g}"
    else:
        freq = np.bincount(np.asarray(y_train), minlength=len(classes)) / len(y_train)
        p = np.clip(freq[np.asarray(y_true)], 1e-12, 1.0)
        base = float(-np.mean(np.log(p)))
        model, name, rule = scores["log_loss"], "log-loss", "the training class frequencies"
    if model < base:
        return None
    return (f"the model is no better than always predicting {rule} ({name} {model:.4g} against "
            f"{base:.4g}): try another learning rate, fewer penalties or more epochs")


def weight_size(model):
    """The largest absolute weight of ``model``'s layers (biases included)."""
    return max((float(np.abs(p).max()) for p, _ in model.parameters() if p.size), default=0.0)
