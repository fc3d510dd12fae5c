"""Column roles and the learning task, judged from the values.

Roles are ``numeric``, ``categorical``, ``boolean``, ``datetime``, ``text`` and ``id`` (a string
column whose every value is different: an identifier, which no model can learn from). Inference
looks at the values, not only the dtype pandas chose, and is always overridable by name
(``roles={"season": "categorical"}``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..errors import DataError, UsageError

__all__ = ["MAX_CLASSES", "ROLES", "TIME_ONLY", "infer_role", "infer_roles", "infer_task"]

ROLES = ("numeric", "categorical", "boolean", "datetime", "text", "id")

# Spellings a CSV uses for booleans; anything else in the column makes it categorical.
_TRUE = {"true", "t", "yes", "y"}
_FALSE = {"false", "f", "no", "n"}
_DATE_LIKE = re.compile(r"^\s*\d{1,4}[-/.:]\d{1,2}([-/.:]\d{1,4})?([ T].*)?$")
TIME_ONLY = re.compile(r"^\s*\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*$")
_SAMPLE = 5000  # values examined to infer a string column's role
MAX_CLASSES = 20  # an integer target with more distinct values than this is a regression


def _looks_boolean(values):
    lowered = set(values.str.lower().unique())
    return bool(lowered) and lowered <= (_TRUE | _FALSE) and lowered & _TRUE and lowered & _FALSE


def infer_role(s):
    """The role of column ``s`` (a ``pandas.Series``) judged from its values; see ``ROLES``.

    * bool dtype, or strings that are all true/false, yes/no, t/f, y/n: ``boolean``
    * numbers (or strings of which at least 90% parse as numbers, so the odd junk value is
      reported later rather than turning the column into categories): ``numeric``
    * datetime dtype, or date-shaped strings that pandas parses: ``datetime``
    * strings averaging 4+ words or 40+ characters: ``text``
    * strings with a different value in every one of 20+ rows: ``id``
    * any other strings: ``categorical``
    """
    if pd.api.types.is_bool_dtype(s):
        return "boolean"
    if pd.api.types.is_datetime64_any_dtype(s):
        return "datetime"
    if pd.api.types.is_numeric_dtype(s):
        return "numeric"
    if isinstance(s.dtype, pd.CategoricalDtype):
        return "categorical"
    present = s.dropna()
    if present.empty:
        return "numeric"  # an all-missing column; the preprocessor reports it as constant
    # The parse tests judge a sample: enough to decide, and cheap on a million rows.
    sample = present if len(present) <= _SAMPLE else present.sample(
        _SAMPLE, random_state=np.random.default_rng(0))
    values = sample.astype(str).str.strip()
    if set(values.unique()) <= {"True", "False"} or _looks_boolean(values):
        return "boolean"
    numeric = pd.to_numeric(values, errors="coerce").notna()
    if numeric.mean() >= 0.9:
        return "numeric"
    if values.str.match(_DATE_LIKE).mean() >= 0.9:
        parsed = pd.to_datetime(values, errors="coerce", format="mixed", utc=True)
        if parsed.notna().mean() >= 0.9:
            return "datetime"
    if values.str.split().str.len().mean() >= 4 or values.str.len().mean() >= 40:
        return "text"
    if len(present) >= 20 and present.nunique() == len(present):
        return "id"
    return "categorical"


def infer_roles(df, target=None, roles=None, drop=None):
    """``{column: role}`` for every feature column of ``df`` (target and ``drop`` left out).

    ``roles`` overrides inference by column name; a name that is not a column, or a role that
    is not one of ``ROLES``, is an error naming it.
    """
    roles = dict(roles or {})
    drop = list(drop or [])
    columns = [str(c) for c in df.columns]
    for name in [*roles, *drop]:
        if name not in columns:
            raise UsageError(f"column {name!r} is not in the data; columns: {columns}")
    for name, role in roles.items():
        if role not in ROLES:
            raise UsageError(f"role {role!r} for column {name!r} is not one of {ROLES}")
    out = {}
    for col in df.columns:
        name = str(col)
        if name == target or name in drop:
            continue
        if name not in roles and re.fullmatch(r"Unnamed: \d+", name) and \
                df[col].is_unique and pd.api.types.is_integer_dtype(df[col]):
            out[name] = "id"  # the row index a DataFrame.to_csv wrote without a header
            continue
        out[name] = roles.get(name) or infer_role(df[col])
    return out


def infer_task(y, return_reason=False):
    """``"classification"`` or ``"regression"`` for target values ``y``.

    Strings, booleans and categories are classification; numbers are classification when
    they are all whole numbers with at most ``MAX_CLASSES`` distinct values (and fewer than half
    as many distinct values as rows), else regression. With ``return_reason`` a short
    explanation comes too, for the command line to print.
    """
    s = pd.Series(np.asarray(y)) if not isinstance(y, pd.Series) else y
    s = s.dropna()
    if s.empty:
        raise DataError("the target has no values")
    if pd.api.types.is_bool_dtype(s) or isinstance(s.dtype, pd.CategoricalDtype):
        task, why = "classification", "the target is boolean/categorical"
    elif not pd.api.types.is_numeric_dtype(s):
        numeric = pd.to_numeric(s.astype(str), errors="coerce")
        if numeric.notna().all():
            return infer_task(numeric, return_reason)
        task, why = "classification", "the target holds strings"
    else:
        values = s.to_numpy(dtype=np.float64)
        k = len(np.unique(values))
        whole = bool(np.isfinite(values).all() and np.all(np.mod(values, 1) == 0))
        if whole and k <= MAX_CLASSES and k <= max(2, len(values) // 2):
            task, why = "classification", f"the target has {k} distinct whole-number values"
        else:
            kind = "whole-number" if whole else "real"
            task, why = "regression", f"the target has {k} distinct {kind} values"
    return (task, why) if return_reason else task
