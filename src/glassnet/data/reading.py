"""Tables in: read a CSV with pandas, one clear error for any file that is not a usable CSV;
parse a column as numbers, naming the first bad value."""

from __future__ import annotations

import bz2
import csv
import gzip
import lzma
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError

__all__ = ["first_bad", "parse_numeric", "read_csv"]

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
        raise DataError(f"{path} is a folder, not a CSV file")
    # Compressed CSVs (.gz, .bz2, .xz) are sniffed decompressed and read by pandas' own codecs.
    compressed = path.suffix.lower() in _COMPRESSED
    opener = _COMPRESSED.get(path.suffix.lower(), open)
    try:
        with opener(path, "rb") as f:
            head = f.read(4096)
    except (OSError, EOFError, lzma.LZMAError) as e:
        raise DataError(f"{path} is not a readable {path.suffix} file: {e}") from None
    if compressed:
        kwargs.setdefault("compression", "infer")
    if not head.strip():
        raise DataError(f"{path} is empty")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(f"{path} is not a CSV file (it holds binary data)")
    try:
        df = pd.read_csv(path, **kwargs)
    except UnicodeDecodeError:
        raise DataError(
            f"{path} is not a UTF-8 text CSV; if it is in another encoding pass it, "
            "e.g. encoding='latin-1'"
        ) from None
    except (pd.errors.ParserError, csv.Error) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise DataError(f"{path} is not a well-formed CSV: {first}") from e
    except pd.errors.EmptyDataError:
        raise DataError(f"{path} holds no columns") from None
    if df.shape[1] < 2:
        raise DataError(
            f"{path} has {df.shape[1]} column after parsing: not a CSV with features and a target "
            "(if its separator is not ',', say which: sep=';' in Python, --sep ';' in the shell)"
        )
    if len(df) == 0:
        raise DataError(f"{path} has a header but no rows")
    unnamed = [str(c) for c in df.columns if str(c).startswith("Unnamed: ")]
    if len(unnamed) == df.shape[1]:
        raise DataError(f"{path} has no header row")
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
    raises a ``DataError`` naming the column, the row label and the value."""
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        parsed = s.astype(np.float64)
    else:
        parsed = pd.to_numeric(s, errors="coerce").astype(np.float64)
        bad = parsed.isna() & s.notna() & (s.astype(str).str.strip() != "")
        if bad.any():
            row, value = first_bad(s, bad)
            raise DataError(
                f"column {column!r} is numeric but row {row} holds {value!r}"
                f" ({int(bad.sum())} such value{'s' if bad.sum() > 1 else ''}); fix the data, "
                "declare missing-value markers (na_values, --na-values) or make the column "
                "categorical (roles, --role)"
            )
    infinite = np.isinf(parsed.to_numpy())
    if infinite.any():
        row, value = first_bad(s, infinite)
        raise DataError(f"column {column!r} holds {value!r} (infinite) at row {row}")
    return parsed
