"""``TabularPreprocessor``: one fitted object that turns a raw table into a network's inputs.

Every statistic (means, scales, medians, categories, target scale, class labels) is learned in
``fit`` from the training rows only, and ``transform`` only applies it: validation, test and
prediction rows never change what the preprocessor knows. The fitted state is plain JSON
(``to_dict``), saved inside the model file, so ``glassnet predict`` on a raw CSV applies exactly
the training transform.

Per column role (see ``glassnet.data.roles.infer_role``):

* numeric: ``(x - mean) / std``; missing -> training median, plus a ``col__missing`` 0/1 column
  when the training rows had missing values.
* boolean: 0/1 (not scaled); missing -> the training majority, plus a missing indicator.
* categorical: one-hot over the training categories; missing values are a category of their
  own when training had them; a value never seen in training is all zeros, with a warning.
* datetime: seconds since 1970 (standardized) plus sin/cos of the hour (when the training times
  are not all midnight), the weekday and the day of the year; missing -> median + indicator.
* text and id: not used as features (reported); ``glassnet.data.text`` vectorizes text.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..errors import DataError, UsageError, shorten, shown
from .checks import as_frame, identifier_notes, target_copies
from .columns import (
    OutOfRangeWarning,
    column_names,
    fit_column,
    fit_numeric,
    label_value,
    plain_numbers,
    transform_column,
    transform_numeric,
)
from .limits import check_finite_features, check_input_size, listed
from .reading import parse_numeric
from .roles import infer_roles, infer_task
from .state import check_state
from .summary import summary_text

__all__ = ["TabularPreprocessor"]

_STATE_VERSION = 1
MAX_CATEGORIES = 20  # one-hot columns per categorical column, <other> included (see docs)


class TabularPreprocessor:
    """Fit on training rows, then turn any table with the same columns into (X, y).

    Parameters
    ----------
    target : str or None
        The column to predict; ``None`` for features only.
    task : "auto", "regression" or "classification"
        ``"auto"`` decides from the training target (``glassnet.data.infer_task``).
    roles : dict, optional
        ``{column: role}`` overriding inference; roles are numeric, categorical, boolean,
        datetime, text and id (text and id columns are not used as features).
    drop : list, optional
        Columns left out entirely.
    standardize_target : bool
        Regression only: train on ``(y - mean) / std``; ``inverse_transform_target`` undoes it.
    dtype : "float32" or "float64"
        The dtype of X (and of a regression y).
    max_categories : int or None
        At most this many one-hot columns per categorical column: the most frequent
        categories, and ``<other>`` for the rest and for categories seen once. ``None``: one
        column per category.

    Attributes
    ----------
    task_ : "regression" or "classification"
        The task, as given or as judged from the training target.
    roles_ : dict
        ``{column: role}`` of every column, as inferred or given.
    columns_ : dict
        Per-column statistics learned in ``fit`` (the fitted encoder of each feature column).
    feature_names_ : list of str
        The name of each column of X (``city=Paris``, ``age__missing``).
    classes_ : ndarray
        Classification only: the class labels, in the order of the network's outputs.
    target_mean_, target_scale_ : float
        Regression only: what ``standardize_target`` subtracts and divides by.
    report_ : dict
        What ``fit`` found: imputed counts, missing categories, ignored and constant columns.
    transform_report_ : dict
        After each ``transform``: the imputed and unseen-category counts of that call.
    """

    def __init__(self, target=None, task="auto", roles=None, drop=None,
                 standardize_target=True, dtype="float32", max_categories=MAX_CATEGORIES):
        if task not in ("auto", "regression", "classification"):
            raise UsageError(f"task must be 'auto', 'regression' or 'classification', got {task!r}")
        if dtype not in ("float32", "float64"):
            raise UsageError(f"dtype must be 'float32' or 'float64', got {dtype!r}")
        if target is not None and not isinstance(target, str):
            raise TypeError(f"target must be a column name (str), got {type(target).__name__}")
        if roles is not None and not isinstance(roles, dict):
            raise TypeError("roles must be a dict {column: role}")
        if isinstance(drop, str):
            drop = [drop]
        self.target = target
        self.task = task
        self.roles = dict(roles or {})
        self.drop = list(drop or [])
        self.standardize_target = bool(standardize_target)
        self.dtype = dtype
        if max_categories is not None and (isinstance(max_categories, bool) or not isinstance(
                max_categories, (int, np.integer)) or max_categories < 0 or max_categories == 1):
            raise UsageError(f"max_categories must be None, 0 (no limit) or a whole number "
                             f">= 2, got {max_categories!r}")
        self.max_categories = None if not max_categories else int(max_categories)

    # ---------------------------------------------------------------- fitting
    @property
    def is_fitted(self):
        return hasattr(self, "columns_")

    def _check_fitted(self):
        if not self.is_fitted:
            raise DataError("this TabularPreprocessor is not fitted yet; call fit_transform first")

    def fit(self, df):
        """Learn every statistic from ``df`` (the training rows only); returns ``self``."""
        df = as_frame(df)
        if len(df) == 0:
            raise DataError("cannot fit on an empty table")
        report = {"rows": len(df), "rows_without_target": 0, "imputed": {},
                  "missing_category": {}, "ignored": {}, "constant": []}
        if self.target is not None:
            if self.target not in df.columns:
                raise DataError(
                    f"target column {self.target!r} is not in the data; columns: {list(df.columns)}"
                )
            missing = df[self.target].isna()
            if missing.any():
                report["rows_without_target"] = int(missing.sum())
                df = df[~missing]
                if len(df) == 0:
                    raise DataError(f"target column {self.target!r} has no values")
            self._fit_target(df[self.target])
        roles = infer_roles(df, self.target, self.roles, self.drop)
        numbers = fit_numeric(df, plain_numbers(
            df, [name for name, role in roles.items() if role == "numeric"]), self.dtype)
        columns = []
        for name, role in roles.items():
            if name in numbers:  # the same statistics, from one array for all such columns
                spec, n_missing, constant = numbers[name]
                if constant:
                    report["constant"].append(name)
                if n_missing:
                    report["imputed"][name] = n_missing
            else:
                spec = fit_column(df[name], name, role, report, self.max_categories, self.dtype)
            if spec is not None:
                columns.append(spec)
        report["identifiers"] = identifier_notes(df, roles, self.roles)
        if self.target is not None:
            report["reproduces_target"] = target_copies(df, self.target, self.task_, roles)
        if not columns:
            raise DataError("no feature columns are left to learn from "
                             f"(roles: {roles}); override roles or drop fewer columns")
        self.roles_ = roles
        self.columns_ = columns
        self.feature_names_ = [f for spec in columns for f in column_names(spec)]
        check_input_size(len(df), columns, self.dtype)
        report["n_features"] = len(self.feature_names_)
        self.report_ = report
        return self

    def _fit_target(self, y):
        name = self.target
        task = self.task
        if task == "auto":
            task = infer_task(y)
        if task == "classification":
            labels = [label_value(v) for v in y.to_numpy()]
            classes = sorted(set(labels), key=lambda v: (type(v).__name__, v))
            if len(classes) < 2:
                raise DataError(
                    f"target column {name!r} has a single value ({classes[0]!r}) in the training "
                    "rows: there is nothing to learn"
                )
            self.classes_ = classes
        else:
            values = parse_numeric(y, name).to_numpy()
            if np.ptp(values) == 0:
                raise DataError(
                    f"target column {name!r} has a single value ({values[0]:g}) in the training "
                    "rows: there is nothing to learn"
                )
            if self.standardize_target:
                with np.errstate(over="ignore", invalid="ignore"):
                    self.target_mean_ = float(values.mean())
                    self.target_scale_ = float(values.std())
                if not (np.isfinite(self.target_mean_) and np.isfinite(self.target_scale_)):
                    raise DataError(f"target column {shorten(name, 60)!r} holds values too large "
                                    f"to standardize (up to {np.abs(values).max():.3g}); "
                                    "rescale it")
            else:
                self.target_mean_, self.target_scale_ = 0.0, 1.0
        self.task_ = task

    # ---------------------------------------------------------------- transforming
    def fit_transform(self, df):
        """``fit(df)`` then ``transform(df)``: ``(X, y)`` for the training rows."""
        return self.fit(df).transform(df, with_target=self.target is not None)

    def transform(self, df, with_target=True):
        """``(X, y)`` for ``df`` with the fitted statistics (never refits); ``X`` alone when
        ``with_target`` is False (prediction) or there is no target.

        X: (n, n_features) of ``dtype``. y: class indices (n,) int64 into ``classes_``, or the
        regression target (n,) standardized with the training mean and std. Rows whose target
        is missing are left out when ``with_target`` (counted in ``transform_report_``).
        """
        self._check_fitted()
        df = as_frame(df)
        with_target = with_target and self.target is not None
        report = {"rows": len(df), "rows_without_target": 0, "imputed": {}, "unseen": {}}
        y = None
        if with_target:
            if self.target not in df.columns:
                raise DataError(
                    f"target column {self.target!r} is not in the data (to predict without "
                    "targets use with_target=False)"
                )
            missing = df[self.target].isna()
            if missing.any():
                report["rows_without_target"] = int(missing.sum())
                df = df[~missing]
            y = self.transform_target(df[self.target])
        absent = [spec["name"] for spec in self.columns_ if spec["name"] not in df.columns]
        if absent:
            raise DataError(f"the data lacks columns the model was trained on: {absent}")
        check_input_size(len(df), self.columns_, self.dtype)
        X = np.empty((len(df), len(self.feature_names_)), dtype=self.dtype)
        fast = set(plain_numbers(df, [spec["name"] for spec in self.columns_
                                      if spec["role"] == "numeric"]))
        specs = [spec for spec in self.columns_ if spec["name"] in fast]
        z, missing = transform_numeric(df, specs, report)
        block = {spec["name"]: i for i, spec in enumerate(specs)}
        j = 0
        with np.errstate(over="ignore"):  # an overflow to inf is reported just below
            for spec in self.columns_:  # a loop, not a comprehension: warnings' stacklevel
                k = len(column_names(spec))
                if spec["name"] in block:  # the numeric columns' block, computed at once
                    i = block[spec["name"]]
                    X[:, j] = z[:, i]
                    if missing[:, i].any():
                        report["imputed"][spec["name"]] = int(missing[:, i].sum())
                    if spec["indicator"]:
                        X[:, j + 1] = missing[:, i]
                else:
                    X[:, j:j + k] = transform_column(df[spec["name"]], spec, report,
                                                     X[:, j:j + k])
                j += k
        check_finite_features(X, df.index, self.feature_names_, self.dtype)
        if report.get("out_of_range"):
            counts = listed(f"{c} {k:,}" for c, k in report["out_of_range"].items())
            warnings.warn(f"rows with values far outside the training range (more than the "
                          f"training range beyond its minimum or maximum), per column: {counts}; "
                          "predictions there are extrapolations", OutOfRangeWarning, stacklevel=2)
        self.transform_report_ = report
        return (X, y) if with_target else X

    # ---------------------------------------------------------------- the target
    def transform_target(self, y):
        """Target values as the network trains on them (class indices or standardized values)."""
        self._check_fitted()
        y = y if isinstance(y, pd.Series) else pd.Series(np.asarray(y))
        if y.isna().any():
            raise DataError(f"target column {self.target!r} has missing values")
        if self.task_ == "classification":
            index = {c: i for i, c in enumerate(self.classes_)}
            labels = [label_value(v) for v in y.to_numpy()]
            unknown = sorted({str(v) for v in labels if v not in index})
            if unknown:
                raise DataError(
                    f"target column {self.target!r} holds labels never seen in training: "
                    f"{unknown[:5]}; the model knows {self.classes_}"
                )
            return np.array([index[v] for v in labels], dtype=np.int64)
        values = parse_numeric(y, self.target).to_numpy(dtype=np.float64)
        with np.errstate(over="ignore"):
            z = ((values - self.target_mean_) / self.target_scale_).astype(self.dtype)
        if not np.isfinite(z).all():
            row = y.index[int(np.argmin(np.isfinite(z)))]
            raise DataError(f"target column {shorten(self.target, 60)!r} holds "
                            f"{values[np.argmin(np.isfinite(z))]:.3g} at row {row}, beyond "
                            f"{self.dtype} once standardized; rescale it")
        return z

    def inverse_transform_target(self, y):
        """Network outputs back in the user's terms.

        Regression: ``y * std + mean`` (shape kept: (n,) or (n, 1) -> (n,)). Classification:
        class indices (n,), or probabilities (n, C) / (n, 1) for a sigmoid output, to the
        original labels (n,) (an object array when the labels are strings).
        """
        self._check_fitted()
        y = np.asarray(y)
        if self.task_ == "regression":
            y = y.astype(np.float64)
            if y.ndim == 2 and y.shape[1] == 1:
                y = y[:, 0]
            return y * self.target_scale_ + self.target_mean_
        if y.ndim == 2:
            y = (y[:, 0] >= 0.5).astype(np.int64) if y.shape[1] == 1 else y.argmax(axis=1)
        if y.size and (y.min() < 0 or y.max() >= len(self.classes_)):
            raise DataError(f"class indices must lie in [0, {len(self.classes_)})")
        classes = np.array(self.classes_, dtype=object)
        labels = classes[y.astype(np.int64)]
        if all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in self.classes_):
            return labels.astype(np.float64 if any(isinstance(c, float)
                                                   for c in self.classes_) else np.int64)
        return labels

    @property
    def n_features_(self):
        self._check_fitted()
        return len(self.feature_names_)

    @property
    def n_outputs_(self):
        """Network outputs this target needs: 1 (regression or two classes) or C."""
        self._check_fitted()
        if self.task_ == "classification":
            return 1 if len(self.classes_) == 2 else len(self.classes_)
        return 1

    # ---------------------------------------------------------------- state
    def to_dict(self):
        """The fitted state as JSON values (saved inside the model file)."""
        self._check_fitted()
        state = {
            "version": _STATE_VERSION,
            "params": {"target": self.target, "task": self.task, "roles": self.roles,
                       "drop": self.drop, "standardize_target": self.standardize_target,
                       "dtype": self.dtype, "max_categories": self.max_categories},
            "task_": self.task_,
            "roles_": self.roles_,
            "columns_": self.columns_,
            "feature_names_": self.feature_names_,
            "report_": self.report_,
        }
        if self.task_ == "classification":
            state["classes_"] = self.classes_
        else:
            state["target_mean_"] = self.target_mean_
            state["target_scale_"] = self.target_scale_
        return state

    @classmethod
    def from_dict(cls, state):
        """Rebuild a fitted preprocessor from ``to_dict()``; a malformed state is a ValueError."""
        version = state.get("version") if isinstance(state, dict) else None
        if version != _STATE_VERSION:
            raise DataError(f"not a TabularPreprocessor state of version {_STATE_VERSION} "
                             f"(got version {shown(version)})")
        check_state(state)
        try:
            prep = cls(**state["params"])
            prep.task_ = state["task_"]
            prep.roles_ = dict(state["roles_"])
            prep.columns_ = [dict(c) for c in state["columns_"]]
            prep.feature_names_ = list(state["feature_names_"])
            prep.report_ = dict(state["report_"])
            if prep.task_ == "classification":
                prep.classes_ = list(state["classes_"])
            elif prep.task_ == "regression":
                prep.target_mean_ = float(state["target_mean_"])
                prep.target_scale_ = float(state["target_scale_"])
            else:
                raise DataError(f"unknown task {prep.task_!r}")
            expected = [f for spec in prep.columns_ for f in column_names(spec)]
        except (KeyError, TypeError, AttributeError) as e:
            raise DataError(f"TabularPreprocessor state is incomplete or malformed ({e!r})") from e
        if expected != prep.feature_names_:
            raise DataError("TabularPreprocessor state is inconsistent: the column statistics "
                             "do not give the stored feature names")
        return prep

    def summary(self):
        """A short text: roles, features and what fit imputed, grouped or ignored."""
        self._check_fitted()
        return summary_text(self)

    def __repr__(self):
        state = "fitted" if self.is_fitted else "not fitted"
        return f"TabularPreprocessor(target={self.target!r}, task={self.task!r}) [{state}]"
