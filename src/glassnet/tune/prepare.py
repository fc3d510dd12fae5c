"""How a search prepares each training part: the two preparations a trial can use.

A search fits a fresh preparation on each training part (once per worker and fold) and needs
``fit(X, y)``, ``transform(X)``, ``transform_target(y)``, ``inverse_transform_target(z)`` and
``to_dict()``:

* ``ArrayStandardizer``: numeric arrays, each feature (and a regression target) standardized
  with the training part's mean and standard deviation;
* ``TableEncoder``: a table with columns of any kind, through ``glassnet.data``'s
  ``TabularPreprocessor``.

``load_table`` reads the CSV a ``glassnet search`` runs on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import TabularPreprocessor, infer_task, read_csv
from ..errors import DataError

__all__ = ["ArrayStandardizer", "TableEncoder", "load_table"]


class ArrayStandardizer:
    """Standardize numeric features (and a regression target) with training statistics.

    ``fit`` on training rows only; ``transform`` applies the same centring and scaling to any
    rows. Classification targets become integer codes 0..C-1 of ``classes``.
    """

    def __init__(self, task, classes=None):
        self.task, self.classes = task, None if classes is None else np.asarray(classes)

    def fit(self, X, y):
        X = np.asarray(X, dtype=np.float64)
        self.mean_, self.scale_ = X.mean(axis=0), X.std(axis=0)
        self.scale_[self.scale_ == 0] = 1.0  # a constant column stays constant (zero)
        if self.task == "regression":
            y = np.asarray(y, dtype=np.float64)
            self.y_mean_, self.y_scale_ = float(y.mean()), float(y.std()) or 1.0
        elif self.classes is None:
            self.classes = np.unique(y)
        return self

    def transform(self, X):
        return (np.asarray(X, dtype=np.float64) - self.mean_) / self.scale_

    def transform_target(self, y):
        if self.task == "regression":
            return (np.asarray(y, dtype=np.float64) - self.y_mean_) / self.y_scale_
        codes = np.searchsorted(self.classes, y)
        if np.any(codes >= len(self.classes)) or np.any(self.classes[codes] != y):
            raise DataError("the target holds a class the search was not told about")
        return codes

    def inverse_transform_target(self, z):
        z = np.asarray(z, dtype=np.float64)
        return z * self.y_scale_ + self.y_mean_

    def to_dict(self):
        out = {"kind": "standardize", "task": self.task, "mean": self.mean_.tolist(),
               "scale": self.scale_.tolist()}
        if self.task == "regression":
            out.update(y_mean=self.y_mean_, y_scale=self.y_scale_)
        else:
            out["classes"] = self.classes.tolist()
        return out


class TableEncoder:
    """``glassnet.data.TabularPreprocessor`` for ``target``, fitted on (features frame, target
    values): the data path of ``glassnet train`` (roles, imputation, one-hot, standardization
    on training rows only) is the search's too, and the retrained model works with
    ``glassnet predict`` / ``evaluate`` / ``info``."""

    def __init__(self, target, task, dtype="float32"):
        self.target, self.task, self.dtype = target, task, dtype

    def fit(self, X, y):
        if not isinstance(X, pd.DataFrame):
            raise TypeError(f"TableEncoder takes a DataFrame, got {type(X).__name__}")
        df = X.assign(**{self.target: np.asarray(y)})
        self.tabular = TabularPreprocessor(target=self.target, task=self.task,
                                           dtype=self.dtype).fit(df)
        return self

    def transform(self, X):
        return self.tabular.transform(X, with_target=False)

    def transform_target(self, y):
        return self.tabular.transform_target(pd.Series(np.asarray(y)))

    def inverse_transform_target(self, z):
        return self.tabular.inverse_transform_target(z)

    def to_dict(self):
        return self.tabular.to_dict()


def load_table(path, target, task="auto", read_options=None, return_counts=False):
    """``(features frame, target values, task)`` from the CSV at ``path`` (read with
    ``glassnet.data.read_csv`` and ``read_options``). Rows without a target value are left out;
    with ``return_counts`` a fourth value says how many."""
    df = read_csv(path, **(read_options or {}))
    if target not in df.columns:
        cols = ", ".join(map(str, df.columns[:20]))
        raise DataError(f"target column {target!r} is not in {path} (columns: {cols})")
    without = int(df[target].isna().sum())
    df = df[df[target].notna()]
    if len(df) < 10:
        raise DataError(f"{path} has {len(df)} rows with a {target!r} value; a search needs "
                        "at least 10")
    if task == "auto":
        task = infer_task(df[target])
    out = df.drop(columns=[target]).reset_index(drop=True), df[target].to_numpy(), task
    return (*out, without) if return_counts else out
