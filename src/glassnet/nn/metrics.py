"""Metrics on predictions: classification (labels) and regression (values).

Classification metrics take integer labels, shape (n,); regression metrics take arrays of the
same shape (n,) or (n, k), averaged over all outputs unless ``multioutput="raw_values"``.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "accuracy",
    "confusion_matrix",
    "mae",
    "mse",
    "precision_recall_f1",
    "r2",
    "rmse",
]


def _labels(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has {y_true.size} labels but y_pred has {y_pred.size}")
    if y_true.size == 0:
        raise ValueError("metrics need at least one sample")
    return y_true, y_pred


def accuracy(y_true, y_pred):
    """Fraction of labels predicted exactly."""
    y_true, y_pred = _labels(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true, y_pred, n_classes=None):
    """C[i, j] = number of samples of true class i predicted as class j (integer labels)."""
    y_true, y_pred = _labels(y_true, y_pred)
    y_true, y_pred = y_true.astype(np.int64), y_pred.astype(np.int64)
    if n_classes is None:
        n_classes = int(max(y_true.max(), y_pred.max())) + 1
    return np.bincount(y_true * n_classes + y_pred, minlength=n_classes * n_classes).reshape(
        n_classes, n_classes
    )


def precision_recall_f1(y_true, y_pred, average="binary", n_classes=None):
    """Precision, recall and F1.

    ``average="binary"``: of class 1 (two classes); ``"macro"``: unweighted mean over the
    classes present in ``y_true`` or ``y_pred`` (scikit-learn's definition: a class absent
    from both, as a rare class can be from a small test set, does not count as 0);
    ``"weighted"``: mean weighted by class support; ``None``: per-class arrays (all
    ``n_classes``). A class never predicted has precision 0 (and one never present, recall 0),
    not NaN, as scikit-learn's ``zero_division=0``.
    """
    if average == "binary" and n_classes is None:
        n_classes = 2  # the positive class is 1 even when no sample has it
    cm = confusion_matrix(y_true, y_pred, n_classes).astype(np.float64)
    tp = np.diag(cm)
    predicted, actual = cm.sum(axis=0), cm.sum(axis=1)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, actual, out=np.zeros_like(tp), where=actual > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(tp), where=denom > 0)
    if average == "binary":
        if cm.shape[0] > 2:
            raise ValueError("average='binary' needs two classes; use 'macro' or 'weighted'")
        return float(precision[1]), float(recall[1]), float(f1[1])
    if average == "macro":
        seen = (actual > 0) | (predicted > 0)
        return (float(precision[seen].mean()), float(recall[seen].mean()),
                float(f1[seen].mean()))
    if average == "weighted":
        w = actual / actual.sum()
        return float(precision @ w), float(recall @ w), float(f1 @ w)
    if average is None:
        return precision, recall, f1
    raise ValueError(f"average must be 'binary', 'macro', 'weighted' or None, got {average!r}")


def _values(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_true.ndim == 1 and y_pred.ndim == 2 and y_pred.shape[1] == 1:
        y_pred = y_pred[:, 0]
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true shape {y_true.shape} != y_pred shape {y_pred.shape}")
    if y_true.size == 0:
        raise ValueError("metrics need at least one sample")
    return y_true, y_pred


def _output_average(per_output, multioutput):
    if multioutput == "raw_values":
        return per_output
    return float(np.mean(per_output))


def mse(y_true, y_pred, multioutput="uniform_average"):
    """Mean squared error."""
    y_true, y_pred = _values(y_true, y_pred)
    return _output_average(np.mean((y_true - y_pred) ** 2, axis=0), multioutput)


def rmse(y_true, y_pred, multioutput="uniform_average"):
    """Root mean squared error, in the target's own units."""
    y_true, y_pred = _values(y_true, y_pred)
    return _output_average(np.sqrt(np.mean((y_true - y_pred) ** 2, axis=0)), multioutput)


def mae(y_true, y_pred, multioutput="uniform_average"):
    """Mean absolute error."""
    y_true, y_pred = _values(y_true, y_pred)
    return _output_average(np.mean(np.abs(y_true - y_pred), axis=0), multioutput)


def r2(y_true, y_pred, multioutput="uniform_average"):
    """Coefficient of determination 1 - SS_res / SS_tot (1 is perfect, 0 is the mean's score).

    A constant target has SS_tot = 0: its R² is 1 if predicted exactly, else 0 (as scikit-learn).
    """
    y_true, y_pred = _values(y_true, y_pred)
    ss_res = np.sum((y_true - y_pred) ** 2, axis=0)
    ss_tot = np.sum((y_true - y_true.mean(axis=0)) ** 2, axis=0)
    safe = np.where(ss_tot > 0, ss_tot, 1.0)
    score = np.where(ss_tot > 0, 1 - ss_res / safe, np.where(ss_res == 0, 1.0, 0.0))
    return _output_average(score, multioutput)
