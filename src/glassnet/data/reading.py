"""Tables in: read a CSV with pandas, one clear error for any file that is not a usable CSV;
parse a column as numbers, naming the first bad value.

Rows are named in messages as ``data row N``: the N-th row after the header, counted from 1
(line N + 1 of a file without blank lines), whatever part of the table the row ended up in.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import lzma
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from .decimals import convert_decimal_commas

__all__ = ["STDIN", "first_bad", "parse_numeric", "read_csv", "row_name"]

_COMPRESSED = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
STDIN = "-"  # the path that means standard input


def read_csv(path, *, decimal="auto", **kwargs):
    """Read ``path`` (``"-"``: standard input) with ``pandas.read_csv``; a missing file, an
    empty file or a file that is not a CSV (binary, one column of prose, ragged rows, two
    columns of the same name) raises one clear error naming it.

    ``decimal``: ``"auto"`` turns columns of numbers written with a decimal comma (``24,0``)
    into numbers and warns (``DecimalCommaWarning``); ``","`` does so without the warning;
    ``"."`` keeps them as text. ``df.attrs["read_options"]`` holds ``{"decimal": ","}`` when
    such columns were found, so a model can read new files the same way.
    Other keyword arguments go to ``pandas.read_csv`` (``sep``, ``na_values``, ...).
    """
    if str(path) == STDIN:
        path, source = "standard input", io.BytesIO(sys.stdin.buffer.read())
        head = source.getvalue()[:4096]
    else:
        path = source = Path(path)
        head = _head(path, kwargs)
    if not head.strip():
        raise DataError(f"{path} is empty")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(f"{path} is not a CSV file (it holds binary data)")
    df = _parse(path, source, kwargs)
    if not any(k in kwargs for k in ("header", "names")):
        _refuse_duplicate_names(path, source, kwargs)
    df, converted = convert_decimal_commas(df, decimal, source=str(path))
    if converted:
        df.attrs["read_options"] = {"decimal": ","}
    return df


def _head(path, kwargs):
    """The first 4 KiB of the file, decompressed (compressed CSVs: .gz, .bz2, .xz, which
    pandas then reads with its own codecs)."""
    if not path.exists():
        raise FileNotFoundError(f"data file not found: {path}")
    if path.is_dir():
        raise DataError(f"{path} is a folder, not a CSV file")
    opener = _COMPRESSED.get(path.suffix.lower(), open)
    try:
        with opener(path, "rb") as f:
            head = f.read(4096)
    except (OSError, EOFError, lzma.LZMAError) as e:
        raise DataError(f"{path} is not a readable {path.suffix} file: {e}") from None
    if path.suffix.lower() in _COMPRESSED:
        kwargs.setdefault("compression", "infer")
    return head


def _refuse_duplicate_names(path, source, kwargs):
    # pandas renames a second "y" to "y.1": a feature that may be the target itself.
    if isinstance(source, io.BytesIO):
        source.seek(0)
    options = {k: v for k, v in kwargs.items() if k not in ("usecols", "dtype", "nrows")}
    header = pd.read_csv(source, header=None, nrows=1, dtype=str, **options)
    names = [str(v).strip() for v in header.iloc[0] if isinstance(v, str)] if len(header) else []
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise DataError(f"{path} has more than one column named {', '.join(map(repr, twice))}; "
                        "rename them so that every column has its own name")


def _parse(path, source, kwargs):
    try:
        df = pd.read_csv(source, **kwargs)
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
    _check_shape(path, df)
    return df


def _check_shape(path, df):
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


def _is_stringish(s):
    return pd.api.types.is_string_dtype(s) or pd.api.types.is_object_dtype(s)


def first_bad(s, mask):
    """``(row label, value)`` of the first True in ``mask``: the row as the data frame (and,
    for a freshly read CSV, the file's data rows counted from 0) names it."""
    pos = int(np.asarray(mask).nonzero()[0][0])
    return s.index[pos], s.iloc[pos]


def row_name(label):
    """How a message names the row with index ``label``: ``data row 8`` for label 7 of a
    table read from a CSV (the 8th row after the header), else ``row <label>``."""
    if isinstance(label, (int, np.integer)) and not isinstance(label, bool):
        return f"data row {int(label) + 1}"
    return f"row {label!r}"


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
            hint = ("numbers with a decimal comma? read the file with decimal=',' "
                    "(--decimal ,); else " if "," in str(value) else "")
            raise DataError(
                f"column {column!r} is numeric but {row_name(row)} holds {value!r}"
                f" ({int(bad.sum())} such value{'s' if bad.sum() > 1 else ''}); {hint}fix the "
                "data, declare missing-value markers (na_values, --na-values) or make the column "
                "categorical (roles, --role)"
            )
    infinite = np.isinf(parsed.to_numpy())
    if infinite.any():
        row, value = first_bad(s, infinite)
        raise DataError(f"column {column!r} holds {value!r} (infinite) at {row_name(row)}")
    return parsed
