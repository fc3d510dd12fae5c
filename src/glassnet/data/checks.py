"""What ``TabularPreprocessor.fit`` looks for that would make a model silently wrong: columns
of the same name, a feature that is the target in disguise, identifiers posing as features.

Each finding is a warning (one line) and an entry in the preprocessor's ``report_``; only
duplicate column names are an error, since no one can tell which of the two is meant.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from ..errors import DataError

__all__ = ["IdentifierWarning", "TargetLeakWarning", "check_unique_names", "identifier_notes",
           "target_copies"]

_ID_NAME = re.compile(r"(^|[_\W])(id|idx|index|key|no|nr|number|row)$", re.IGNORECASE)
_MIN_ROWS = 20  # fewer rows say too little to call a column an identifier


class TargetLeakWarning(UserWarning):
    """A feature reproduces the target on the training rows: a copy of it, or known only
    after the fact (a model trained on it is useless on new rows)."""


class IdentifierWarning(UserWarning):
    """A whole-number feature looks like a row number or an identifier."""


def check_unique_names(df, source="the data"):
    """Refuse a table with two columns of the same name (after ``str``)."""
    names = [str(c) for c in df.columns]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise DataError(f"{source} has more than one column named "
                        f"{', '.join(map(repr, twice))}; rename them so that every column has "
                        "its own name")


def identifier_notes(df, roles, given):
    """``{column: why}`` for the columns that look like identifiers: string columns inferred
    as ``id`` (not used; why: how many distinct values), and whole-number columns kept as
    numbers whose values are all different and either run without gaps (1..n in any order)
    or whose name says id/index/number. ``given``: roles the user set (never second-guessed).
    """
    notes = {}
    for name, role in roles.items():
        if name in given:
            continue
        s = df[name].dropna()
        if role == "id" and not str(name).startswith("Unnamed: "):
            notes[name] = f"{s.nunique():,} distinct values in {len(s):,} rows: not used"
        elif role == "numeric" and len(s) >= _MIN_ROWS and s.is_unique and _whole(s):
            v = s.to_numpy(dtype=np.float64)
            gapless = v.max() - v.min() + 1 == len(v)
            if gapless or _ID_NAME.search(str(name)):
                what = (f"every value different, {v.min():.0f}..{v.max():.0f} without gaps"
                        if gapless else "every value different, and its name")
                notes[name] = f"looks like an identifier ({what}): still used as a number"
                warnings.warn(f"column {name!r} looks like a row number or identifier ({what}); "
                              f"it is used as a number: drop it (--drop {name}) unless its "
                              "value means something", IdentifierWarning, stacklevel=4)
    return notes


def _whole(s):
    if pd.api.types.is_integer_dtype(s):
        return True
    if not pd.api.types.is_float_dtype(s):
        return False
    v = s.to_numpy(dtype=np.float64)
    return bool(np.all(np.isfinite(v)) and np.all(v == np.round(v)))


def target_copies(df, target, task, roles):
    """``{column: how}`` for the features that reproduce the target on these rows, warned as
    ``TargetLeakWarning``.

    Classification: the feature's values and the classes map one to one (each value occurs
    with one class only and each class with one value only). Regression: a numeric feature
    whose correlation with the target is 1 or -1 (to 1e-9). Columns with one value, and tables
    of fewer than 20 rows, are skipped.
    """
    y = df[target]
    found = {}
    if len(df) < _MIN_ROWS:  # on a handful of rows any feature can pair up with the target
        return found
    for name, role in roles.items():
        if role in ("text", "id"):
            continue
        x = df[name]
        if x.nunique(dropna=True) < 2:
            continue
        if task == "classification":
            pair = pd.DataFrame({"x": x.astype(str).where(x.notna()), "y": y.astype(str)})
            pair = pair.dropna()
            if len(pair) and pair.groupby("x")["y"].nunique().max() == 1 \
                    and pair.groupby("y")["x"].nunique().max() == 1:
                found[name] = "one value per class and one class per value"
        elif role == "numeric" and pd.api.types.is_numeric_dtype(x):
            both = pd.DataFrame({"x": x, "y": pd.to_numeric(y, errors="coerce")}).dropna()
            if len(both) > 2 and both["x"].std() > 0 and both["y"].std() > 0:
                r = float(np.corrcoef(both["x"], both["y"])[0, 1])
                if abs(r) > 1 - 1e-9:
                    found[name] = f"correlation {r:+.6f}"
    for name, how in found.items():
        warnings.warn(f"feature {name!r} reproduces the target {target!r} on the training rows "
                      f"({how}): a copy of the target, or something known only afterwards? "
                      f"Drop it (--drop {name}) unless it is really known when predicting",
                      TargetLeakWarning, stacklevel=4)
    return found
