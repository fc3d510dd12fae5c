"""Scores of a trained network on raw rows, in the user's terms: predictions as labels or in
the target's units, metrics on labelled rows, and the baseline a model must beat.

Regression predictions are transformed back from the standardized scale the network trained
on before any error is computed, so every number a user sees is in the target's own units.
"""

from __future__ import annotations

import numpy as np

from .data.reading import parse_numeric
from .errors import DataError
from .nn import metrics

__all__ = ["baseline_metrics", "evaluate_frame", "predict_frame"]


def _network_outputs(model, X, task):
    if task == "classification":
        proba = model.predict_proba(X).astype(np.float64)
        if proba.shape[1] == 1:  # one sigmoid unit: P(class 1); make both columns explicit
            proba = np.column_stack([1 - proba[:, 0], proba[:, 0]])
        return proba
    return model.predict(X).astype(np.float64)


def predict_frame(model, prep, df):
    """``(predictions, probabilities)`` for the raw rows of ``df``.

    Predictions are original class labels or values in the target's units (n,);
    probabilities are (n, C) in the order of ``prep.classes_`` (``None`` for regression).
    """
    X = prep.transform(df, with_target=False)
    out = _network_outputs(model, X, prep.task_)
    if prep.task_ == "classification":
        return prep.inverse_transform_target(out.argmax(axis=1)), out
    return prep.inverse_transform_target(out), None


def evaluate_frame(model, prep, df):
    """Metrics of ``model`` on the labelled rows of ``df``, in the target's own units.

    Regression: rmse, mae, r2, mse and ``loss`` (the MSE on the standardized scale training
    minimised). Classification: accuracy, macro precision/recall/F1 (scikit-learn's: over the
    classes present in the truth or the predictions), ``log_loss`` and the confusion matrix
    (rows true, columns predicted, in ``prep.classes_`` order). Both count ``rows`` and the
    ``rows_without_target`` left out.
    Returns ``(metrics, y_true, y_pred)``; y_true/y_pred in the target's units or label indices.
    """
    X, y = prep.transform(df)
    without_target = prep.transform_report_["rows_without_target"]
    out = _network_outputs(model, X, prep.task_)
    n = len(y)
    if n == 0:
        raise DataError(f"no row has a value in the target column {prep.target!r}")
    if prep.task_ == "classification":
        k = len(prep.classes_)
        pred = out.argmax(axis=1)
        p_true = np.clip(out[np.arange(n), y], 1e-12, 1.0)
        precision, recall, f1 = metrics.precision_recall_f1(y, pred, "macro", n_classes=k)
        result = {
            "rows": n,
            "rows_without_target": without_target,
            "accuracy": metrics.accuracy(y, pred),
            "precision_macro": precision, "recall_macro": recall, "f1_macro": f1,
            "log_loss": float(-np.mean(np.log(p_true))),
            "confusion_matrix": metrics.confusion_matrix(y, pred, n_classes=k).tolist(),
        }
        return result, y, pred
    target = df[prep.target]
    y_true = parse_numeric(target[target.notna()], prep.target).to_numpy(dtype=np.float64)
    y_pred = prep.inverse_transform_target(out)
    result = {
        "rows": n,
        "rows_without_target": without_target,
        "rmse": metrics.rmse(y_true, y_pred),
        "mae": metrics.mae(y_true, y_pred),
        "r2": metrics.r2(y_true, y_pred),
        "mse": metrics.mse(y_true, y_pred),
        "loss": metrics.mse(y, out[:, 0]),
    }
    return result, y_true, y_pred


def baseline_metrics(prep, train, test):
    """What a model with no inputs scores on ``test``: the majority class, or the train mean."""
    if prep.task_ == "classification":
        y_train, y_test = prep.transform_target(train[prep.target]), \
            prep.transform_target(test[prep.target])
        majority = int(np.bincount(y_train, minlength=len(prep.classes_)).argmax())
        return {"rule": f"always {prep.classes_[majority]!r}",
                "accuracy": metrics.accuracy(y_test, np.full_like(y_test, majority))}
    y_train = parse_numeric(train[prep.target], prep.target).to_numpy(dtype=np.float64)
    y_test = parse_numeric(test[prep.target], prep.target).to_numpy(dtype=np.float64)
    guess = np.full_like(y_test, y_train.mean())
    return {"rule": f"always the training mean {y_train.mean():.6g}",
            "rmse": metrics.rmse(y_test, guess), "r2": metrics.r2(y_test, guess)}
