"""What a trial does: train the configuration it drew and score it on validation rows.

The score is the user's metric in the target's own units (MAE in magnitudes, not in standardized
units). Preparation (standardization, encoding) is fitted on each training part only, once per
worker, and reused by every trial. A trial with one validation split reports the metric after
every epoch (``OptunaPruning``), so the median pruner can stop it; with k-fold cross-validation
it reports the running mean after each fold.
"""

from __future__ import annotations

import math
import os
import socket

import numpy as np

from ..config import fit_config
from ..errors import UsageError
from ..nn import Callback, DivergenceError
from ..nn import metrics as M
from ..tracking import finish, open_trackers
from .study import draw_of

__all__ = ["METRICS", "Objective", "OptunaPruning", "make_folds",
           "score"]


def _log_loss(y, proba):
    proba = np.asarray(proba, dtype=np.float64)
    eps = np.finfo(np.float64).eps
    if proba.shape[1] == 1:
        p = np.clip(proba[:, 0], eps, 1 - eps)
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))
    p = np.clip(proba[np.arange(len(y)), y.astype(np.int64)], eps, 1.0)
    return float(-np.mean(np.log(p)))


def _accuracy(y, proba):
    pred = (proba[:, 0] >= 0.5).astype(np.int64) if proba.shape[1] == 1 else proba.argmax(1)
    return M.accuracy(y.astype(np.int64), pred)


# name -> (function(y_true, prediction), direction, task). Regression metrics take predictions
# in the target's units; classification metrics take class probabilities.
METRICS = {
    "mae": (M.mae, "minimize", "regression"),
    "mse": (M.mse, "minimize", "regression"),
    "rmse": (M.rmse, "minimize", "regression"),
    "r2": (M.r2, "maximize", "regression"),
    "accuracy": (_accuracy, "maximize", "classification"),
    "log_loss": (_log_loss, "minimize", "classification"),
}


def check_metric(metric, task):
    """The metric's direction; ValueError if unknown or made for the other task."""
    key = metric.lower().replace("-", "_")
    if key not in METRICS:
        raise UsageError(f"unknown metric {metric!r}; choose one of {sorted(METRICS)}")
    if METRICS[key][2] != task:
        ok = sorted(k for k, v in METRICS.items() if v[2] == task)
        raise UsageError(f"metric {metric!r} is for {METRICS[key][2]}, but the task is {task}; "
                         f"choose one of {ok}")
    return key, METRICS[key][1]


def make_folds(n, val_fraction=0.2, cv=0, seed=0):
    """Row indices ``[(train, val), ...]``: one shuffled hold-out split, or ``cv`` folds."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(n)
    if cv and cv > 1:
        if cv > n:
            raise UsageError(f"cv={cv} folds need at least {cv} rows, got {n}")
        parts = np.array_split(order, cv)
        return [(np.concatenate(parts[:k] + parts[k + 1:]), parts[k]) for k in range(cv)]
    if not 0 < val_fraction < 1:
        raise UsageError(f"val_fraction must be in (0, 1), got {val_fraction}")
    n_val = max(1, round(n * val_fraction))
    if n_val >= n:
        raise UsageError(f"{n} rows are too few for a validation split")
    return [(order[n_val:], order[:n_val])]


def predict_for_metric(model, task, X, prep):
    """Predictions in the form the metrics take: target units, or class probabilities."""
    if task == "regression":
        return prep.inverse_transform_target(model.predict(X)[:, 0])
    return model.predict_proba(X)


def score(metric, y_true, prediction):
    return float(METRICS[metric][0](y_true, prediction))


class OptunaPruning(Callback):
    """Report the validation metric to an Optuna trial after every epoch; stop if it should prune.

    Raises ``optuna.TrialPruned`` out of ``fit``, which ends the trial as PRUNED. The pruner is
    asked every ``check_every`` epochs only: each question reads every trial of the study from
    the storage (about 20 ms on SQLite), while a report is one small write.
    """

    def __init__(self, trial, metric, task, X_val, y_val, prep, check_every=1):
        self.trial, self.metric, self.task = trial, metric, task
        self.X_val, self.y_val, self.prep = X_val, y_val, prep
        self.check_every = max(1, int(check_every))

    def on_epoch_end(self, epoch, logs=None):
        import optuna

        value = score(self.metric, self.y_val,
                      predict_for_metric(self.model, self.task, self.X_val, self.prep))
        if not math.isfinite(value):
            return
        self.trial.report(value, epoch)
        if (epoch + 1) % self.check_every == 0 and self.trial.should_prune():
            self.trial.set_user_attr("stopped", f"pruned at epoch {epoch + 1}")
            raise optuna.TrialPruned(f"pruned at epoch {epoch + 1} ({self.metric} {value:.4g})")


class Objective:
    """The function Optuna calls per trial: draw a config, train on each fold, return the mean
    validation metric. Fold preparation happens once, on first use, in the worker process."""

    def __init__(self, space, X, y, folds, task, metric, make_prep, seed=0, n_classes=None,
                 log=()):
        self.space, self.X, self.y, self.folds = space, X, y, folds
        self.task, self.metric, self.make_prep = task, metric, make_prep
        self.seed, self.n_classes, self.log = seed, n_classes, tuple(log)
        self._prepared = None

    def prepared(self):
        if self._prepared is None:
            self._prepared = []
            for tr, va in self.folds:
                prep = self.make_prep().fit(_rows(self.X, tr), _rows(self.y, tr))
                self._prepared.append((
                    prep.transform(_rows(self.X, tr)), prep.transform_target(_rows(self.y, tr)),
                    prep.transform(_rows(self.X, va)), prep.transform_target(_rows(self.y, va)),
                    np.asarray(_rows(self.y, va)) if self.task == "regression"
                    else prep.transform_target(_rows(self.y, va)),
                    prep,
                ))
        return self._prepared

    def __call__(self, trial):
        import optuna

        config = self.space.suggest(trial).replace(seed=self.seed + draw_of(trial))
        trial.set_user_attr("worker", f"{socket.gethostname()}:{os.getpid()}")
        values, epochs = [], []
        folds = self.prepared()
        for k, (Xtr, ytr, Xv, yv, yv_true, prep) in enumerate(folds):
            cbs = ([OptunaPruning(trial, self.metric, self.task, Xv, yv_true, prep, 5)]
                   if len(folds) == 1 else [])
            trackers = self._trackers(trial, config, k if len(folds) > 1 else None)
            try:
                fitted = fit_config(config, Xtr, ytr, self.task, self.n_classes, (Xv, yv),
                                    trackers + cbs)
            except DivergenceError as e:
                # Hopeless rather than broken: record why and count it as pruned.
                finish(trackers, status="KILLED")
                trial.set_user_attr("stopped", f"diverged: {e}")
                raise optuna.TrialPruned(f"diverged (lr={config.lr:.3g})") from None
            except optuna.TrialPruned:
                finish(trackers, status="KILLED")
                raise
            except BaseException:
                finish(trackers, status="FAILED")
                raise
            values.append(score(self.metric, yv_true,
                                predict_for_metric(fitted.model, self.task, Xv, prep)))
            finish(trackers, {f"val_{self.metric}": values[-1]})
            epochs.append(fitted.epochs)
            if len(folds) > 1:
                trial.report(float(np.mean(values)), k)
                if trial.should_prune():
                    trial.set_user_attr("stopped", f"pruned after fold {k + 1}")
                    raise optuna.TrialPruned(f"pruned after fold {k + 1}")
        trial.set_user_attr("epochs", round(float(np.mean(epochs))))
        trial.set_user_attr("hidden", list(config.hidden))
        value = float(np.mean(values))
        if not math.isfinite(value):
            trial.set_user_attr("stopped", "non-finite validation metric")
            raise optuna.TrialPruned("non-finite validation metric")
        return value


    def _trackers(self, trial, config, fold):
        """The trial's (or fold's) runs in the ``--log`` trackers, given its settings."""
        if not self.log:
            return []
        name = f"trial-{trial.number:04d}" + ("" if fold is None else f"-fold-{fold + 1}")
        study = trial.study.study_name
        return open_trackers(self.log, params={**config.to_dict(), **trial.params,
                                               "trial": trial.number, "study": study},
                             experiment=study, run_name=name, per_run=True,
                             tags={"study": study, "trial": str(trial.number)})


def _rows(a, idx):
    return a.iloc[idx] if hasattr(a, "iloc") else a[idx]
