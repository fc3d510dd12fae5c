"""Train a network on a table: split, preprocess, fit, score in the user's units, save.

``train_csv`` is what ``glassnet train`` runs; its parts are public so a search or a notebook
can reuse them on data already in memory::

    from glassnet.config import TrainConfig
    from glassnet.tabular import train_csv

    result = train_csv("wine.csv", target="class", config=TrainConfig(epochs=100), out_dir="out")
    result.metrics["test"]["accuracy"]
    result.model, result.preprocessor        # ready for result.predict(new_rows)

Every metric a user sees is in the target's own units: regression predictions are transformed
back from the standardized scale the network trained on before any error is computed.
"""

from __future__ import annotations

import time
import warnings
from typing import NamedTuple

import numpy as np
import pandas as pd

from .config import TrainConfig, fit_config
from .data import (
    TabularPreprocessor,
    UnseenCategoryWarning,
    infer_task,
    read_csv,
    split_indices,
    time_split,
)
from .data.reading import parse_numeric
from .errors import DataError, UsageError
from .nn import metrics
from .run_folder import RunFolder
from .run_outputs import RUN_FILES, write_outputs
from .sanity import BaselineWarning, no_better_than_baseline

__all__ = ["RUN_FILES", "TrainResult", "evaluate_frame", "kept_read_options", "predict_frame",
           "split_frame", "train_csv", "train_frame", "write_outputs"]


class TrainResult(NamedTuple):
    """What ``train_csv``/``train_frame`` return (a tuple: ``model, prep, metrics, ...``)."""

    model: object
    preprocessor: TabularPreprocessor
    metrics: dict
    history: object
    files: dict

    def predict(self, df):
        """Predictions for the rows of ``df`` in the user's terms (see ``predict_frame``)."""
        return predict_frame(self.model, self.preprocessor, df)


# -------------------------------------------------------------------- pieces
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
    minimised). Classification: accuracy, macro precision/recall/F1, ``log_loss`` and the
    confusion matrix (rows true, columns predicted, in ``prep.classes_`` order).
    Returns ``(metrics, y_true, y_pred)``; y_true/y_pred in the target's units or label indices.
    """
    X, y = prep.transform(df)
    out = _network_outputs(model, X, prep.task_)
    n = len(y)
    if prep.task_ == "classification":
        k = len(prep.classes_)
        pred = out.argmax(axis=1)
        p_true = np.clip(out[np.arange(n), y], 1e-12, 1.0)
        precision, recall, f1 = metrics.precision_recall_f1(y, pred, "macro", n_classes=k)
        result = {
            "rows": n,
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
        "rmse": metrics.rmse(y_true, y_pred),
        "mae": metrics.mae(y_true, y_pred),
        "r2": metrics.r2(y_true, y_pred),
        "mse": metrics.mse(y_true, y_pred),
        "loss": metrics.mse(y, out[:, 0]),
    }
    return result, y_true, y_pred


def resolve_task(df, target, task="auto"):
    """The task for ``target`` in ``df`` (``"auto"`` decides from all of its values)."""
    if target not in df.columns:
        raise DataError(f"target column {target!r} is not in the data; columns: "
                         f"{[str(c) for c in df.columns]}")
    values = df[target].dropna()
    if values.nunique() < 2:
        shown = str(values.iloc[0]) if len(values) else "none"
        raise DataError(f"target column {target!r} has a single value ({shown}): there is "
                         "nothing to learn")
    if task == "regression" and not pd.api.types.is_numeric_dtype(values):
        numbers = pd.to_numeric(values, errors="coerce")
        if numbers.isna().any():
            first = values[numbers.isna()].iloc[0]
            raise DataError(f"target column {target!r} holds text ({first!r}); a regression "
                             "target must be numbers (is this a classification task?)")
    return infer_task(values) if task == "auto" else task


def _rows(size, n):
    if isinstance(size, bool) or not isinstance(size, (int, float)) or size < 0:
        raise UsageError(f"test_size must be a fraction in [0, 1) or a row count, got {size!r}")
    return round(size * n) if size < 1 else int(size)


def split_frame(df, target, task, config, test_size=0.2, split="random", test_days=None,
                time_column=None):
    """``(train, val, test)`` rows of ``df`` for a run.

    ``split="random"``: seeded by ``config.seed``, stratified by the target for classification.
    ``split="time"``: rows in time order (by ``time_column`` if given); the last ``test_size``
    rows (or ``test_days`` days) are the test part. Validation is ``config.validation_split``
    of the rows left after the test part (for a time split, the ones just before it).
    """
    df = df[df[target].notna()]
    n = len(df)
    if split == "time":
        if test_days is not None:
            n_test = len(time_split(df, test_days=test_days, time_column=time_column)[2])
        else:
            n_test = _rows(test_size, n)
        n_val = round(config.validation_split * (n - n_test))
        return time_split(df, test_size=n_test, val_size=n_val, time_column=time_column)
    if split != "random":
        raise UsageError(f"split must be 'random' or 'time', got {split!r}")
    n_test = _rows(test_size, n)
    n_val = round(config.validation_split * (n - n_test))
    labels = df[target].astype(str).to_numpy() if task == "classification" else None
    parts = split_indices(n, n_val, n_test, seed=config.seed, stratify=labels)
    return tuple(df.iloc[idx] for idx in parts)


def _check_labels_seen(prep, parts):
    # Say so before training, not after it when scoring fails on a label the net never saw.
    from .data.columns import label_value

    known = set(map(str, prep.classes_))
    for name, part in parts.items():
        labels = {str(label_value(v)) for v in part[prep.target].dropna().unique()}
        if labels - known:
            raise DataError(
                f"class(es) {sorted(labels - known)} of {prep.target!r} occur in the {name} rows "
                "but never in the training rows; drop those rows or use a random split"
            )


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


# -------------------------------------------------------------------- the whole run
def train_frame(df, target, config=None, out_dir=None, *, roles=None, drop=None, test_size=0.2,
                split="random", test_days=None, time_column=None, progress=False, plots=True,
                source=None, read_options=None, callbacks=()):
    """Split ``df``, fit the preprocessor on the training rows, train, score and (with
    ``out_dir``) write ``model.npz``, ``metrics.json``, ``run.toml`` and the plots; returns
    ``TrainResult``.

    ``out_dir``: a folder (or an open ``RunFolder``), written as one unit: it is checked and
    locked before any work and holds the previous run's files until this run's are all written.
    ``config``: a ``TrainConfig`` (defaults if None). ``progress``: show a rich progress bar.
    ``read_options``: the ``read_csv`` arguments the data was read with; those of
    ``glassnet.data.reading.READ_OPTIONS`` (``sep``, ``na_values``, ``decimal``, ``encoding``)
    are saved in the model file so predictions read new files the same way.
    ``test_size``: fraction or row count; see ``split_frame`` for ``split``/``test_days``.
    ``callbacks``: more ``fit`` callbacks, such as the trackers of ``glassnet.tracking``.
    A run whose loss exploded raises ``DivergenceError`` and writes nothing; a model no better
    than a constant on the validation rows warns (``BaselineWarning``).
    """
    config = TrainConfig() if config is None else config
    if not isinstance(config, TrainConfig):
        raise TypeError(f"config must be a TrainConfig, got {type(config).__name__}")
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    read_options = kept_read_options(read_options)
    # The output folder is checked and locked before any work (a second run on it fails now).
    run = out_dir if isinstance(out_dir, RunFolder) or out_dir is None else \
        RunFolder(out_dir, RUN_FILES).open()
    try:
        return _train(df, target, config, run, roles, drop, test_size, split, test_days,
                      time_column, progress, plots, source, read_options, callbacks)
    finally:
        if run is not None and not run.committed:
            run.abort()


def _train(df, target, config, run, roles, drop, test_size, split, test_days, time_column,
           progress, plots, source, read_options, extra_callbacks=()):
    df = df.rename(columns=str)
    task = resolve_task(df, target, config.task)
    train, val, test = split_frame(df, target, task, config, test_size, split, test_days,
                                   time_column)
    if len(test) == 0:
        raise DataError("the test part is empty; raise test_size")
    prep = TabularPreprocessor(target=target, task=task, roles=roles, drop=drop,
                               standardize_target=config.standardize_target, dtype=config.dtype)
    X_train, y_train = prep.fit_transform(train)
    if task == "classification":
        _check_labels_seen(prep, {"validation": val, "test": test})
    with warnings.catch_warnings():
        # Counted per part in the metrics ("unseen_categories") instead of warned per call.
        warnings.simplefilter("ignore", UnseenCategoryWarning)
        validation = prep.transform(val) if len(val) else None
        prep.transform(test)  # a bad value in the test rows stops the run now, not after it
    n_classes = len(prep.classes_) if task == "classification" else None

    callbacks, bar = [], None
    if progress:
        from .progress import RichProgress

        bar = RichProgress(config.epochs)
        callbacks.append(bar)
    callbacks += list(extra_callbacks)
    start = time.perf_counter()
    try:
        fitted = fit_config(config, X_train, y_train, task, n_classes, validation, callbacks)
        if bar is not None:
            bar.print_final()  # not for a run that diverged: its error stands alone
    finally:
        if bar is not None and getattr(bar, "progress", None) is not None:
            bar.progress.stop()
    seconds = time.perf_counter() - start
    model = fitted.model

    parts = {"train": train, "val": val, "test": test}
    scores, arrays, unseen = {}, {}, {}
    for name, part in parts.items():
        if len(part):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UnseenCategoryWarning)
                scores[name], y_true, y_pred = evaluate_frame(model, prep, part)
            arrays[name] = (y_true, y_pred)
            if prep.transform_report_["unseen"]:
                unseen[name] = prep.transform_report_["unseen"]
    history = fitted.history
    result = {
        "task": task,
        "target": target,
        "source": None if source is None else str(source),
        "rows": {name: len(part) for name, part in parts.items()},
        "n_features": prep.n_features_,
        "epochs_run": len(history.epoch),
        "best_epoch": None if fitted.best_epoch is None else fitted.best_epoch + 1,
        "train_seconds": round(seconds, 3),
        **{name: s for name, s in scores.items()},
        "baseline_test": baseline_metrics(prep, train, test),
        "config": config.to_dict(),
        "preprocessing": prep.report_,
        "unseen_categories": unseen,
        "read_options": dict(read_options or {}),
    }
    if task == "classification":
        result["classes"] = prep.classes_
    ref = "val" if "val" in scores else "train"
    warning = no_better_than_baseline(task, scores[ref], arrays[ref][0], arrays["train"][0],
                                      getattr(prep, "classes_", None))
    if warning:
        result["warnings"] = [f"{'validation' if ref == 'val' else 'training'} rows: {warning}"]
        warnings.warn(result["warnings"][0], BaselineWarning, stacklevel=3)
    files = {}
    if run is not None:
        files = write_outputs(run, model, prep, config.replace(task=task), result, history,
                              arrays, plots)
    return TrainResult(model, prep, result, history, files)


def kept_read_options(options):
    """The reading options a model keeps (``glassnet.data.reading.READ_OPTIONS``, checked):
    ``predict`` reads new files with them; any other ``read_csv`` argument is not saved."""
    from .data.reading import READ_OPTIONS, check_read_options

    options = {k: v for k, v in (options or {}).items() if k in READ_OPTIONS}
    return check_read_options(options, "read_options")


def train_csv(path, target, config=None, out_dir=None, read_options=None, **kwargs):
    """``train_frame`` on the CSV at ``path`` (read with ``glassnet.data.read_csv`` and
    ``read_options`` such as ``{"sep": ";", "na_values": ["?"]}``)."""
    df = read_csv(path, **(read_options or {}))
    return train_frame(df, target, config, out_dir, source=path, read_options=read_options,
                       **kwargs)
