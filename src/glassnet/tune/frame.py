"""Tables for the search CLI: read a CSV, infer the task, turn a DataFrame into numbers.

``FramePreparer`` follows the preparer protocol of ``glassnet.tune.objective`` (``fit`` on
training rows only, ``transform``, ``transform_target``, ``inverse_transform_target``,
``to_dict``): numeric columns are imputed with the training median and standardized; string
columns with few values are one-hot encoded; other string columns (identifiers, free text) are
left out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .objective import ArrayPreparer

MAX_LEVELS = 50  # more distinct strings than this: an identifier or text, not a category
MAX_CLASSES = 20


def read_table(path):
    try:
        from ..data import read_csv
    except ImportError:  # pragma: no cover - before glassnet.data
        read_csv = None
    if read_csv is not None:
        return read_csv(path)
    try:
        return pd.read_csv(path)
    except FileNotFoundError:
        raise FileNotFoundError(f"data file not found: {path}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        raise ValueError(f"{path} is not a readable CSV: {str(e).splitlines()[0]}") from None


def infer_task(y):
    """``classification`` for strings, booleans and integers with few values, else regression."""
    y = np.asarray(y)
    if y.dtype == object or y.dtype == bool:
        return "classification"
    values = np.unique(y[~pd.isna(y)])
    integral = np.all(np.equal(np.mod(values, 1), 0))
    return "classification" if integral and len(values) <= MAX_CLASSES else "regression"


class FramePreparer:
    """DataFrame rows -> standardized numeric features; see the module docstring."""

    def __init__(self, task, classes=None):
        self.task, self.classes = task, classes

    def fit(self, X, y):
        if not isinstance(X, pd.DataFrame):
            raise TypeError(f"FramePreparer takes a DataFrame, got {type(X).__name__}")
        self.numeric_, self.levels_ = [], {}
        for col in X.columns:
            s = X[col]
            if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
                levels = sorted(map(str, s.dropna().unique()))
                if 0 < len(levels) <= MAX_LEVELS:
                    self.levels_[col] = levels
            elif s.notna().any():
                self.numeric_.append(col)
        if not self.numeric_ and not self.levels_:
            raise ValueError("no usable feature columns: every column is an identifier, free "
                             "text or empty")
        self.median_ = X[self.numeric_].median().to_numpy(dtype=np.float64)
        self.inner_ = ArrayPreparer(self.task, self.classes).fit(self._encode(X), y)
        return self

    def _encode(self, X):
        missing = [c for c in [*self.numeric_, *self.levels_] if c not in X.columns]
        if missing:
            raise ValueError(f"feature columns {missing} are missing")
        num = X[self.numeric_].to_numpy(dtype=np.float64)
        num = np.where(np.isnan(num), self.median_, num)
        parts = [num]
        for col, levels in self.levels_.items():
            values = X[col].astype(str).to_numpy()
            parts.append((values[:, None] == np.array(levels)[None, :]).astype(np.float64))
        return np.hstack(parts)

    def transform(self, X):
        return self.inner_.transform(self._encode(X))

    def transform_target(self, y):
        return self.inner_.transform_target(y)

    def inverse_transform_target(self, z):
        return self.inner_.inverse_transform_target(z)

    @property
    def classes_(self):
        return self.inner_.classes

    def to_dict(self):
        return {"numeric": list(map(str, self.numeric_)), "median": self.median_.tolist(),
                "categories": {str(k): v for k, v in self.levels_.items()},
                **self.inner_.to_dict()}
