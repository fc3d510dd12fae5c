"""Tables in: read a CSV with pandas, infer each column's role and the learning task.

Roles are ``numeric``, ``categorical``, ``boolean``, ``datetime``, ``text`` and ``id`` (a string
column whose every value is different: an identifier, which no model can learn from). Inference
looks at the values, not only the dtype pandas chose, and is always overridable by name
(``roles={"season": "categorical"}``).
"""

from __future__ import annotations

import bz2
import csv
import gzip
import lzma
import re
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["ROLES", "first_bad", "infer_role", "infer_roles", "infer_task", "parse_numeric",
           "read_csv"]

ROLES = ("numeric", "categorical", "boolean", "datetime", "text", "id")

# Spellings a CSV uses for booleans; anything else in the column makes it categorical.
_TRUE = {"true", "t", "yes", "y"}
_FALSE = {"false", "f", "no", "n"}
_DATE_LIKE = re.compile(r"^\s*\d{1,4}[-/.:]\d{1,2}([-/.:]\d{1,4})?([ T].*)?$")
TIME_ONLY = re.compile(r"^\s*\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*$")
_SAMPLE = 5000  # values examined to infer a string column's role
MAX_CLASSES = 20  # an integer target with more distinct values than this is a regression


_COMPRESSED = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}


def read_csv(path, **kwargs):
    """Read ``path`` with ``pandas.read_csv``; a missing file, an empty file or a file that is
    not a CSV (binary, one column of prose, ragged rows) raises one clear error naming it.

    Keyword arguments go to ``pandas.read_csv`` (``sep``, ``na_values``, ...).
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"data file not found: {path}")
    if path.is_dir():
        raise ValueError(f"{path} is a folder, not a CSV file")
    # Compressed CSVs (.gz, .bz2, .xz) are sniffed decompressed and read by pandas' own codecs.
    compressed = path.suffix.lower() in _COMPRESSED
    opener = _COMPRESSED.get(path.suffix.lower(), open)
    try:
        with opener(path, "rb") as f:
            head = f.read(4096)
    except (OSError, EOFError, lzma.LZMAError) as e:
        raise ValueError(f"{path} is not a readable {path.suffix} file: {e}") from None
    if compressed:
        kwargs.setdefault("compression", "infer")
    if not head.strip():
        raise ValueError(f"{path} is empty")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError(f"{path} is not a CSV file (it holds binary data)")
    try:
        df = pd.read_csv(path, **kwargs)
    except UnicodeDecodeError:
        raise ValueError(
            f"{path} is not a UTF-8 text CSV; if it is in another encoding pass it, "
            "e.g. encoding='latin-1'"
        ) from None
    except (pd.errors.ParserError, csv.Error) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ValueError(f"{path} is not a well-formed CSV: {first}") from e
    except pd.errors.EmptyDataError:
        raise ValueError(f"{path} holds no columns") from None
    if df.shape[1] < 2:
        raise ValueError(
            f"{path} has {df.shape[1]} column after parsing: not a CSV with features and a target "
            "(if its separator is not ',', say which: sep=';' in Python, --sep ';' in the shell)"
        )
    if len(df) == 0:
        raise ValueError(f"{path} has a header but no rows")
    unnamed = [str(c) for c in df.columns if str(c).startswith("Unnamed: ")]
    if len(unnamed) == df.shape[1]:
        raise ValueError(f"{path} has no header row")
    return df


def _is_stringish(s):
    return pd.api.types.is_string_dtype(s) or pd.api.types.is_object_dtype(s)


def first_bad(s, mask):
    """``(row label, value)`` of the first True in ``mask``: the row as the data frame (and,
    for a freshly read CSV, the file's data rows counted from 0) names it."""
    pos = int(np.asarray(mask).nonzero()[0][0])
    return s.index[pos], s.iloc[pos]


def parse_numeric(s, column):
    """``s`` as float64; a value that is not a number (``"12,5"``, ``"n/a!"``) or is infinite
    raises a ``ValueError`` naming the column, the row label and the value."""
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        parsed = s.astype(np.float64)
    else:
        parsed = pd.to_numeric(s, errors="coerce").astype(np.float64)
        bad = parsed.isna() & s.notna() & (s.astype(str).str.strip() != "")
        if bad.any():
            row, value = first_bad(s, bad)
            raise ValueError(
                f"column {column!r} is numeric but row {row} holds {value!r}"
                f" ({int(bad.sum())} such value{'s' if bad.sum() > 1 else ''}); fix the data, "
                "declare missing-value markers (na_values, --na-values) or make the column "
                "categorical (roles, --role)"
            )
    infinite = np.isinf(parsed.to_numpy())
    if infinite.any():
        row, value = first_bad(s, infinite)
        raise ValueError(f"column {column!r} holds {value!r} (infinite) at row {row}")
    return parsed


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
            raise ValueError(f"column {name!r} is not in the data; columns: {columns}")
    for name, role in roles.items():
        if role not in ROLES:
            raise ValueError(f"role {role!r} for column {name!r} is not one of {ROLES}")
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
        raise ValueError("the target has no values")
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
        whole = bool(np.all(np.mod(values, 1) == 0))
        if whole and k <= MAX_CLASSES and k <= max(2, len(values) // 2):
            task, why = "classification", f"the target has {k} distinct whole-number values"
        else:
            kind = "whole-number" if whole else "real"
            task, why = "regression", f"the target has {k} distinct {kind} values"
    return (task, why) if return_reason else task
