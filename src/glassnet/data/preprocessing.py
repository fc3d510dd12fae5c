"""``TabularPreprocessor``: one fitted object that turns a raw table into a network's inputs.

Every statistic (means, scales, medians, categories, target scale, class labels) is learned in
``fit`` from the training rows only, and ``transform`` only applies it: validation, test and
prediction rows never change what the preprocessor knows. The fitted state is plain JSON
(``to_dict``), saved inside the model file, so ``glassnet predict`` on a raw CSV applies exactly
the training transform.

Per column role (see ``glassnet.data.tabular.infer_role``):

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

from .tabular import _FALSE, _TRUE, first_bad, infer_roles, infer_task, parse_numeric

__all__ = ["TabularPreprocessor"]

_STATE_VERSION = 1
_SECONDS_PER_DAY = 86400.0


def _frame(df, name="df"):
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    if any(not isinstance(c, str) for c in df.columns):
        df = df.rename(columns=str)
    return df


def _category_strings(s):
    """Values as the strings categories are stored under (so 3, 3.0 and "3" agree)."""
    out = pd.Series(np.nan, index=s.index, dtype=object)
    present = s.notna().to_numpy()
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        v = s.to_numpy(dtype=np.float64)
        whole = present & (np.mod(np.where(present, v, 0), 1) == 0)
        out[whole] = v[whole].astype(np.int64).astype(str)
        other = present & ~whole
        out[other] = [repr(float(x)) for x in v[other]]
    else:
        out[present] = s[present].astype(str).str.strip().to_numpy()
    return out


def _label(v):
    """A class label as a JSON value: whole numbers as int, then float, bool, else str."""
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return int(v) if float(v).is_integer() else float(v)
    return str(v).strip()


def _parse_boolean(s, column):
    if pd.api.types.is_bool_dtype(s):
        return s.astype(np.float64)
    if pd.api.types.is_numeric_dtype(s):
        values = s.astype(np.float64)
        bad = values.notna() & ~values.isin([0.0, 1.0])
    else:
        lowered = s.map(lambda v: str(v).strip().lower(), na_action="ignore")
        values = pd.Series(np.nan, index=s.index)
        values[lowered.isin(_TRUE | {"1", "1.0"})] = 1.0
        values[lowered.isin(_FALSE | {"0", "0.0"})] = 0.0
        bad = values.isna() & lowered.notna()
    if bad.any():
        row, value = first_bad(s, bad)
        raise ValueError(f"column {column!r} is boolean but row {row} holds {value!r}")
    return values


def _parse_datetime(s, column):
    if pd.api.types.is_datetime64_any_dtype(s):
        parsed = s if s.dt.tz is None else s.dt.tz_convert("UTC").dt.tz_localize(None)
    else:
        parsed = pd.to_datetime(s, errors="coerce", format="mixed", utc=True)
        parsed = parsed.dt.tz_localize(None)
        bad = parsed.isna() & s.notna() & (s.astype(str).str.strip() != "")
        if bad.any():
            row, value = first_bad(s, bad)
            raise ValueError(f"column {column!r} holds dates but row {row} holds {value!r}")
    return parsed


def _cyclic(values, period):
    angle = 2 * np.pi * values / period
    return np.sin(angle), np.cos(angle)


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

    Fitted attributes: ``task_``, ``roles_``, ``columns_`` (per-column statistics),
    ``feature_names_``, ``classes_`` (classification), ``target_mean_``/``target_scale_``
    (regression), ``report_`` (what fit found: imputed counts, missing categories, ignored and
    constant columns, rows dropped for a missing target) and, after each ``transform``,
    ``transform_report_`` (imputed and unseen-category counts of that call).
    """

    def __init__(self, target=None, task="auto", roles=None, drop=None,
                 standardize_target=True, dtype="float32"):
        if task not in ("auto", "regression", "classification"):
            raise ValueError(f"task must be 'auto', 'regression' or 'classification', got {task!r}")
        if dtype not in ("float32", "float64"):
            raise ValueError(f"dtype must be 'float32' or 'float64', got {dtype!r}")
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

    # ---------------------------------------------------------------- fitting
    @property
    def is_fitted(self):
        return hasattr(self, "columns_")

    def _check_fitted(self):
        if not self.is_fitted:
            raise ValueError("this TabularPreprocessor is not fitted yet; call fit_transform first")

    def fit(self, df):
        """Learn every statistic from ``df`` (the training rows only); returns ``self``."""
        df = _frame(df)
        if len(df) == 0:
            raise ValueError("cannot fit on an empty table")
        report = {"rows": len(df), "rows_without_target": 0, "imputed": {},
                  "missing_category": {}, "ignored": {}, "constant": []}
        if self.target is not None:
            if self.target not in df.columns:
                raise ValueError(
                    f"target column {self.target!r} is not in the data; columns: {list(df.columns)}"
                )
            missing = df[self.target].isna()
            if missing.any():
                report["rows_without_target"] = int(missing.sum())
                df = df[~missing]
                if len(df) == 0:
                    raise ValueError(f"target column {self.target!r} has no values")
            self._fit_target(df[self.target])
        roles = infer_roles(df, self.target, self.roles, self.drop)
        columns = []
        for name, role in roles.items():
            spec = self._fit_column(df[name], name, role, report)
            if spec is not None:
                columns.append(spec)
        if not columns:
            raise ValueError("no feature columns are left to learn from "
                             f"(roles: {roles}); override roles or drop fewer columns")
        self.roles_ = roles
        self.columns_ = columns
        self.feature_names_ = [f for spec in columns for f in self._names(spec)]
        report["n_features"] = len(self.feature_names_)
        self.report_ = report
        return self

    def _fit_target(self, y):
        name = self.target
        task = self.task
        if task == "auto":
            task = infer_task(y)
        if task == "classification":
            labels = [_label(v) for v in y.to_numpy()]
            classes = sorted(set(labels), key=lambda v: (type(v).__name__, v))
            if len(classes) < 2:
                raise ValueError(
                    f"target column {name!r} has a single value ({classes[0]!r}) in the training "
                    "rows: there is nothing to learn"
                )
            self.classes_ = classes
        else:
            values = parse_numeric(y, name).to_numpy()
            if np.ptp(values) == 0:
                raise ValueError(
                    f"target column {name!r} has a single value ({values[0]:g}) in the training "
                    "rows: there is nothing to learn"
                )
            if self.standardize_target:
                self.target_mean_, self.target_scale_ = float(values.mean()), float(values.std())
            else:
                self.target_mean_, self.target_scale_ = 0.0, 1.0
        self.task_ = task

    def _fit_column(self, s, name, role, report):
        n_missing = int(s.isna().sum())
        if role in ("text", "id"):
            report["ignored"][name] = role
            return None
        if role == "categorical":
            values = _category_strings(s)
            categories = sorted(values.dropna().unique().tolist())
            if n_missing:
                report["missing_category"][name] = n_missing
            return {"name": name, "role": role, "categories": categories,
                    "missing": bool(n_missing)}
        if role == "boolean":
            values = _parse_boolean(s, name)
            observed = values.dropna()
            fill = float(observed.mean() >= 0.5) if len(observed) else 0.0
            spec = {"name": name, "role": role, "fill": fill}
        elif role == "numeric":
            values = parse_numeric(s, name)
            spec = {"name": name, "role": role, **self._numeric_stats(values, name, report)}
        elif role == "datetime":
            parsed = _parse_datetime(s, name)
            seconds = self._seconds(parsed)
            spec = {"name": name, "role": role, **self._numeric_stats(seconds, name, report)}
            times = parsed.dropna()
            spec["time_of_day"] = bool(
                (times.dt.hour * 3600 + times.dt.minute * 60 + times.dt.second).any()
            )
        else:  # pragma: no cover - infer_roles validates roles
            raise ValueError(f"unknown role {role!r}")
        spec["indicator"] = bool(n_missing)
        if n_missing:
            report["imputed"][name] = n_missing
        return spec

    @staticmethod
    def _seconds(parsed):
        return (parsed - pd.Timestamp("1970-01-01")).dt.total_seconds()

    @staticmethod
    def _numeric_stats(values, name, report):
        v = values.to_numpy(dtype=np.float64)
        observed = v[~np.isnan(v)]
        if observed.size == 0:
            report["constant"].append(name)
            return {"mean": 0.0, "scale": 1.0, "median": 0.0}
        mean, std = float(observed.mean()), float(observed.std())
        if std == 0:
            report["constant"].append(name)
            std = 1.0
        return {"mean": mean, "scale": std, "median": float(np.median(observed))}

    @staticmethod
    def _names(spec):
        name, role = spec["name"], spec["role"]
        if role == "categorical":
            cats = spec["categories"] + (["<missing>"] if spec["missing"] else [])
            return [f"{name}={c}" for c in cats]
        if role == "datetime":
            parts = ["timestamp", *(["hour_sin", "hour_cos"] if spec["time_of_day"] else []),
                     "weekday_sin", "weekday_cos", "dayofyear_sin", "dayofyear_cos"]
            names = [f"{name}__{p}" for p in parts]
        else:
            names = [name]
        return names + ([f"{name}__missing"] if spec["indicator"] else [])

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
        df = _frame(df)
        with_target = with_target and self.target is not None
        report = {"rows": len(df), "rows_without_target": 0, "imputed": {}, "unseen": {}}
        y = None
        if with_target:
            if self.target not in df.columns:
                raise ValueError(
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
            raise ValueError(f"the data lacks columns the model was trained on: {absent}")
        blocks = []
        for spec in self.columns_:  # a loop, not a comprehension: warnings' stacklevel is fixed
            blocks.append(self._transform_column(df[spec["name"]], spec, report))
        X = np.concatenate(blocks, axis=1).astype(self.dtype, copy=False) if len(df) else \
            np.zeros((0, len(self.feature_names_)), dtype=self.dtype)
        self.transform_report_ = report
        return (X, y) if with_target else X

    def _transform_column(self, s, spec, report):
        name, role = spec["name"], spec["role"]
        n = len(s)
        if role == "categorical":
            values = _category_strings(s)
            cats = spec["categories"]
            width = len(cats) + spec["missing"]
            out = np.zeros((n, width))
            is_missing = values.isna().to_numpy()
            # -1 marks both missing and unseen values; they are told apart just below.
            codes = pd.Index(cats, dtype=object).get_indexer(values).astype(np.int64)
            codes[is_missing] = -1
            values = values.to_numpy()
            if spec["missing"]:
                codes[is_missing] = len(cats)
            else:
                new_missing = int(is_missing.sum())
                if new_missing:
                    report["unseen"][name] = {"count": new_missing, "values": ["<missing>"]}
                    warnings.warn(
                        f"column {name!r}: {new_missing} missing value(s), but training had none: "
                        "encoded as all zeros", UserWarning, stacklevel=3,
                    )
            unseen = (codes < 0) & ~is_missing
            if unseen.any():
                examples = sorted({str(v) for v in values[unseen]})[:5]
                entry = report["unseen"].setdefault(name, {"count": 0, "values": []})
                entry["count"] += int(unseen.sum())
                entry["values"] = examples + entry["values"]
                warnings.warn(
                    f"column {name!r}: {int(unseen.sum())} value(s) never seen in training "
                    f"{examples} are encoded as all zeros", UserWarning, stacklevel=3,
                )
            rows = np.nonzero(codes >= 0)[0]
            out[rows, codes[rows]] = 1.0
            return out
        if role == "boolean":
            v = _parse_boolean(s, name).to_numpy(dtype=np.float64)
            missing = np.isnan(v)
            v = np.where(missing, spec["fill"], v)
            cols = [v]
        else:
            if role == "numeric":
                raw = parse_numeric(s, name).to_numpy(dtype=np.float64)
            else:
                parsed = _parse_datetime(s, name)
                raw = self._seconds(parsed).to_numpy(dtype=np.float64)
            missing = np.isnan(raw)
            filled = np.where(missing, spec["median"], raw)
            cols = [(filled - spec["mean"]) / spec["scale"]]
            if role == "datetime":
                cols += self._calendar(parsed, missing, spec)
        if missing.any():
            report["imputed"][name] = int(missing.sum())
        if spec["indicator"]:
            cols.append(missing.astype(np.float64))
        return np.column_stack(cols)

    @staticmethod
    def _calendar(parsed, missing, spec):
        # Missing dates take the median timestamp's calendar position, as the timestamp does.
        median = pd.Timestamp("1970-01-01") + pd.Timedelta(seconds=spec["median"])
        filled = parsed.where(~missing, median)
        cols = []
        if spec["time_of_day"]:
            hours = (filled.dt.hour + filled.dt.minute / 60 + filled.dt.second / 3600).to_numpy()
            cols += _cyclic(hours.astype(np.float64), 24.0)
        cols += _cyclic(filled.dt.day_of_week.to_numpy(dtype=np.float64), 7.0)
        cols += _cyclic(filled.dt.day_of_year.to_numpy(dtype=np.float64) - 1, 365.25)
        return list(cols)

    # ---------------------------------------------------------------- the target
    def transform_target(self, y):
        """Target values as the network trains on them (class indices or standardized values)."""
        self._check_fitted()
        y = y if isinstance(y, pd.Series) else pd.Series(np.asarray(y))
        if y.isna().any():
            raise ValueError(f"target column {self.target!r} has missing values")
        if self.task_ == "classification":
            index = {c: i for i, c in enumerate(self.classes_)}
            labels = [_label(v) for v in y.to_numpy()]
            unknown = sorted({str(v) for v in labels if v not in index})
            if unknown:
                raise ValueError(
                    f"target column {self.target!r} holds labels never seen in training: "
                    f"{unknown[:5]}; the model knows {self.classes_}"
                )
            return np.array([index[v] for v in labels], dtype=np.int64)
        values = parse_numeric(y, self.target).to_numpy(dtype=np.float64)
        return ((values - self.target_mean_) / self.target_scale_).astype(self.dtype)

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
            raise ValueError(f"class indices must lie in [0, {len(self.classes_)})")
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
                       "dtype": self.dtype},
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
            raise ValueError(f"not a TabularPreprocessor state of version {_STATE_VERSION} "
                             f"(got version {version!r})")
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
                raise ValueError(f"unknown task {prep.task_!r}")
            expected = [f for spec in prep.columns_ for f in cls._names(spec)]
        except (KeyError, TypeError, AttributeError) as e:
            raise ValueError(f"TabularPreprocessor state is incomplete or malformed ({e!r})") from e
        if expected != prep.feature_names_:
            raise ValueError("TabularPreprocessor state is inconsistent: the column statistics "
                             "do not give the stored feature names")
        return prep

    def summary(self):
        """A short text: roles, features and what fit imputed or ignored."""
        self._check_fitted()
        lines = [f"task: {self.task_}   target: {self.target}   features: {self.n_features_}"]
        for role in ("numeric", "boolean", "categorical", "datetime", "text", "id"):
            cols = [c for c, r in self.roles_.items() if r == role]
            if cols:
                lines.append(f"{role:>11}: {', '.join(cols)}")
        r = self.report_
        if r["imputed"]:
            lines.append("imputed (median/majority + indicator): "
                         + ", ".join(f"{c} {k}" for c, k in r["imputed"].items()))
        if r["missing_category"]:
            lines.append("missing as own category: "
                         + ", ".join(f"{c} {k}" for c, k in r["missing_category"].items()))
        if r["ignored"]:
            lines.append("not used: " + ", ".join(f"{c} ({k})" for c, k in r["ignored"].items()))
        if r["constant"]:
            lines.append("constant in training: " + ", ".join(r["constant"]))
        if r["rows_without_target"]:
            lines.append(f"rows without a target left out: {r['rows_without_target']}")
        return "\n".join(lines)

    def __repr__(self):
        state = "fitted" if self.is_fitted else "not fitted"
        return f"TabularPreprocessor(target={self.target!r}, task={self.task!r}) [{state}]"
