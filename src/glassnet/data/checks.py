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

from ..errors import DataError, shorten
from .columns import plain_numbers

__all__ = ["IdentifierWarning", "TargetLeakWarning", "as_frame", "check_unique_names",
           "identifier_notes", "target_copies"]

_ID_NAME = re.compile(r"(^|[_\W])(id|idx|index|key|no|nr|number|row)$", re.IGNORECASE)
_MIN_ROWS = 20  # fewer rows say too little to call a column an identifier


class TargetLeakWarning(UserWarning):
    """A feature reproduces the target on the training rows: a copy of it, or known only
    after the fact (a model trained on it is useless on new rows)."""


class IdentifierWarning(UserWarning):
    """A whole-number feature looks like a row number or an identifier."""


def check_unique_names(df, source="the data"):
    """Refuse a table with two columns of the same name (after ``str``)."""
    if df.columns.is_unique and all(isinstance(c, str) for c in df.columns):
        return
    seen, twice = set(), set()
    for name in map(str, df.columns):
        (twice if name in seen else seen).add(name)
    if twice:
        raise DataError(f"{source} has more than one column named "
                        f"{', '.join(repr(shorten(n, 60)) for n in sorted(twice)[:5])}; "
                        "rename them so that every column has its own name")


def as_frame(df, name="df"):
    """``df`` checked to be a DataFrame with unique column names, the names made ``str``."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    check_unique_names(df)
    if any(not isinstance(c, str) for c in df.columns):
        df = df.rename(columns=str)
    return df


def _distinct_counts(df, names):
    """``{name: number of distinct present values}`` of the columns ``names``; columns of a
    plain number dtype are counted together from one sorted array (a table of 20,000 columns
    would otherwise cost a pandas call per column)."""
    plain = plain_numbers(df, names)
    counts = {}
    if plain:
        v = np.sort(df[plain].to_numpy(dtype=np.float64), axis=0)  # NaN sorts last
        present = ~np.isnan(v)
        changes = (np.diff(v, axis=0) != 0) & present[1:]
        counts = dict(zip(plain, (present[0] + changes.sum(axis=0)).tolist()))
    plain = set(plain)
    for name in names:
        if name not in plain:
            counts[name] = int(df[name].nunique(dropna=True))
    return counts


def identifier_notes(df, roles, given):
    """``{column: why}`` for the columns that look like identifiers: string columns inferred
    as ``id`` (not used; why: how many distinct values), and whole-number columns kept as
    numbers whose values are all different and either run without gaps (1..n in any order)
    or whose name says id/index/number. ``given``: roles the user set (never second-guessed).
    """
    notes = {}
    numeric = [n for n, r in roles.items() if r == "numeric" and n not in given]
    distinct = _distinct_counts(df, numeric) if len(df) >= _MIN_ROWS else {}
    fraction = _with_fractions(df, numeric)
    for name, role in roles.items():
        if name in given:
            continue
        if role == "id" and not str(name).startswith("Unnamed: "):
            s = df[name].dropna()
            notes[name] = f"{s.nunique():,} distinct values in {len(s):,} rows: not used"
        elif role == "numeric" and distinct.get(name, 0) >= _MIN_ROWS and name not in fraction:
            s = df[name].dropna()
            if distinct[name] != len(s) or not _whole(s):
                continue
            v = s.to_numpy(dtype=np.float64)
            gapless = v.max() - v.min() + 1 == len(v)
            if gapless or _ID_NAME.search(str(name)):
                what = (f"every value different, {v.min():.0f}..{v.max():.0f} without gaps"
                        if gapless else "every value different, and its name")
                notes[name] = f"looks like an identifier ({what}): still used as a number"
                warnings.warn(f"column {shorten(name, 60)!r} looks like a row number or "
                              f"identifier ({what}); it is used as a number: drop it "
                              f"(--drop {shorten(name, 60)}) unless its value means something",
                              IdentifierWarning, stacklevel=4)
    return notes


def _with_fractions(df, names):
    """Those of ``names`` (plain number columns only, tested together) holding a value that is
    not a whole number: they cannot be identifiers."""
    plain = plain_numbers(df, names)
    if not plain:
        return set()
    v = df[plain].to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore"):
        fractional = (np.isfinite(v) & (v != np.round(v))).any(axis=0)
    return {name for name, f in zip(plain, fractional) if f}


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
    names = [n for n, r in roles.items() if r not in ("text", "id")]
    distinct = _distinct_counts(df, names)
    if task == "classification":
        # one to one: as many values as classes, and as many (value, class) pairs as either
        k = int(y.nunique(dropna=True))
        y_codes = pd.factorize(y.astype(str))[0]
        for name in names:
            if distinct[name] != k or k < 2:
                continue
            x = df[name]
            x_codes = pd.factorize(x.astype(str).where(x.notna()))[0]
            kept = x_codes >= 0
            pairs = np.unique(x_codes[kept] * k + y_codes[kept]).size
            if pairs == k and np.unique(y_codes[kept]).size == k:
                found[name] = "one value per class and one class per value"
    else:
        target = pd.to_numeric(y, errors="coerce").to_numpy(dtype=np.float64)
        for name in plain_numbers(df, [n for n in names if roles[n] == "numeric"]):
            if distinct[name] < 2:
                continue
            x = df[name].to_numpy(dtype=np.float64)
            both = ~(np.isnan(x) | np.isnan(target))
            if both.sum() > 2 and x[both].std() > 0 and target[both].std() > 0:
                r = float(np.corrcoef(x[both], target[both])[0, 1])
                if abs(r) > 1 - 1e-9:
                    found[name] = f"correlation {r:+.6f}"
    for name, how in found.items():
        warnings.warn(f"feature {shorten(name, 60)!r} reproduces the target "
                      f"{shorten(y.name, 60)!r} on the training rows ({how}): a copy of the "
                      f"target, or something known only afterwards? Drop it (--drop "
                      f"{shorten(name, 60)}) unless it is really known when predicting",
                      TargetLeakWarning, stacklevel=4)
    return found
