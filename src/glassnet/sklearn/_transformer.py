"""``TabularTransformer``: glassnet's column handling as a scikit-learn transformer."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted, validate_data

from ..data import TabularPreprocessor
from ..data.columns import column_names

__all__ = ["TabularTransformer"]


class TabularTransformer(TransformerMixin, BaseEstimator):
    """``glassnet.data.TabularPreprocessor`` as a scikit-learn transformer, for a ``Pipeline``.

    ``fit`` judges each column's role from its values (numeric, boolean, categorical,
    datetime; text and id columns are left out) and learns its statistics; ``transform`` gives
    the float matrix ``glassnet train`` feeds its network: numbers standardized, missing
    values imputed with an indicator column, categories one-hot (unseen ones all zero),
    booleans 0/1, dates as scaled timestamps with cyclic calendar features.

    Parameters
    ----------
    roles : dict, optional
        ``{column: role}`` overriding inference (``"numeric"``, ``"categorical"``, ...).
    drop : list, optional
        Columns to leave out.
    dtype : "float32" or "float64"
        The dtype of the output.

    Attributes
    ----------
    preprocessor_ : TabularPreprocessor
        The fitted glassnet object (``summary()``, ``report_``, ``roles_``).
    n_features_in_, feature_names_in_ : as every scikit-learn estimator.

    A DataFrame keeps its column names and dtypes; an array's columns are named ``x0``,
    ``x1``, ... Output columns are named by ``get_feature_names_out`` (``city=Paris``,
    ``age__missing``), and ``set_output(transform="pandas")`` returns a DataFrame.
    """

    def __init__(self, roles=None, drop=None, dtype="float32"):
        self.roles = roles
        self.drop = drop
        self.dtype = dtype

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.transformer_tags.preserves_dtype = []  # the output has ``dtype``, whatever came in
        return tags

    def _frame(self, X, reset):
        if isinstance(X, pd.DataFrame):
            validate_data(self, X, reset=reset, skip_check_array=True)
            if reset:
                self._columns = [str(c) for c in X.columns]
            return X.rename(columns=str)
        try:  # numbers (objects holding numbers too); text stays text
            X = validate_data(self, X, reset=reset, ensure_all_finite="allow-nan")
        except ValueError as e:
            if "convert" not in str(e):
                raise
            X = validate_data(self, X, reset=reset, dtype=None, ensure_all_finite="allow-nan")
        if reset:
            self._columns = [f"x{i}" for i in range(X.shape[1])]
        return pd.DataFrame(X, columns=self._columns)  # by position, as scikit-learn does

    def fit(self, X, y=None):
        """Learn every column's role and statistics from X (n_samples, n_features); y is
        ignored."""
        df = self._frame(X, reset=True)
        self.preprocessor_ = TabularPreprocessor(roles=self.roles, drop=self.drop,
                                                 dtype=self.dtype).fit(df)
        return self

    def transform(self, X):
        """The (n_samples, n_features_out) matrix of X with the fitted statistics."""
        check_is_fitted(self)
        return self.preprocessor_.transform(self._frame(X, reset=False), with_target=False)

    def get_feature_names_out(self, input_features=None):
        """Output column names: the input column's name, with ``=category`` for one-hot
        columns and ``__missing``, ``__timestamp``, ``__hour_sin``... for derived ones."""
        check_is_fitted(self)
        given = _check_feature_names_in(self, input_features)
        rename = dict(zip(self._columns, map(str, given)))
        return np.asarray([f for spec in self.preprocessor_.columns_
                           for f in column_names({**spec, "name": rename[spec["name"]]})],
                          dtype=object)
