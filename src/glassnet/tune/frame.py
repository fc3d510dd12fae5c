"""Tables for the search CLI: ``glassnet.data``'s ``TabularPreprocessor`` as a search preparer.

The search fits a fresh preparer on each training part (once per worker and fold) and needs
``fit(X, y)``, ``transform(X)``, ``transform_target(y)``, ``inverse_transform_target(z)`` and
``to_dict()``; ``TabularPreparer`` gives the preprocessor that shape, so the data path of
``glassnet train`` (roles, imputation, one-hot, standardization on training rows only) is the
search's too, and the retrained model works with ``glassnet predict`` / ``evaluate`` / ``info``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["TabularPreparer"]


class TabularPreparer:
    """A ``TabularPreprocessor`` for ``target``, fitted on (features frame, target values)."""

    def __init__(self, target, task, dtype="float32"):
        self.target, self.task, self.dtype = target, task, dtype

    def fit(self, X, y):
        from ..data import TabularPreprocessor

        if not isinstance(X, pd.DataFrame):
            raise TypeError(f"TabularPreparer takes a DataFrame, got {type(X).__name__}")
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
