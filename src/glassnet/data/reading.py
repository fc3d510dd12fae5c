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
import os
import stat
import sys
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError, UsageError, shorten, shown
from .decimals import convert_decimal_commas

__all__ = ["ENCODINGS", "MAX_NAME", "MAX_STDIN_BYTES", "READ_OPTIONS", "STDIN",
           "bounded_decompression", "check_column_names", "check_read_options",
           "check_regular_file", "first_bad", "parse_numeric", "read_csv", "read_stdin",
           "row_name"]

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
    opener = None
    if str(path) == STDIN:  # a pipe: read whole here, never through check_regular_file
        path, source = "standard input", io.BytesIO(read_stdin())
        head = source.getvalue()[:4096]
    else:
        path = source = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"data file not found: {path}")
        if path.is_dir():
            raise DataError(f"{path} is a folder, not a CSV file")
        check_regular_file(path)
        # Compressed CSVs (.gz, .bz2, .xz) are sniffed decompressed, then read through a
        # stream that stops at a size limit (a 1 MB file can expand to gigabytes).
        if path.suffix.lower() in _COMPRESSED:
            opener = _COMPRESSED[path.suffix.lower()]
        try:
            with (opener or open)(path, "rb") as f:
                head = f.read(4096)
        except (OSError, EOFError, lzma.LZMAError) as e:
            raise DataError(f"{path} is not a readable {path.suffix} file: {e}") from None
    if not head.strip():
        raise DataError(f"{path} is empty")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(f"{path} is not a CSV file (it holds binary data)")
    if opener is not None:
        kwargs.pop("compression", None)
    df = _parse(path, source, opener, kwargs)
    if df.shape[1] < 2:
        raise DataError(
            f"{path} has {df.shape[1]} column after parsing: not a CSV with features and a target "
            "(if its separator is not ',', say which: sep=';' in Python, --sep ';' in the shell)"
        )
    if len(df) == 0:
        raise DataError(f"{path} has a header but no rows")
    check_column_names(df, path)
    if not any(k in kwargs for k in ("header", "names")) and _maybe_renamed(df.columns):
        _refuse_duplicate_names(path, source, opener, kwargs)
    if df.shape[1] > 100:
        # pandas' parser returns one block per column; a copy joins them, or every later row
        # or column selection would cost a pandas call per column (seconds at 20,000 columns)
        df = df.copy()
    unnamed = [str(c) for c in df.columns if str(c).startswith("Unnamed: ")]
    if len(unnamed) == df.shape[1]:
        raise DataError(f"{path} has no header row")
    df, converted = convert_decimal_commas(df, decimal, source=str(path))
    if converted:
        df.attrs["read_options"] = {"decimal": ","}
    return df


def _parse(path, source, opener, kwargs, **extra):
    """``pandas.read_csv`` of ``source`` (through ``bounded_decompression`` when ``opener``
    decompresses it), every parser failure one ``DataError`` naming ``path``."""
    if isinstance(source, io.BytesIO):
        source.seek(0)
    try:
        if opener is not None:
            with bounded_decompression(source, opener) as stream:
                return pd.read_csv(stream, **{**kwargs, **extra})
        return pd.read_csv(source, **{**kwargs, **extra})
    except (EOFError, lzma.LZMAError, zlib.error, OSError) as e:
        if isinstance(e, FileNotFoundError):
            raise
        raise DataError(f"{path} is not a readable {Path(str(path)).suffix} file: {e}") from None
    except LookupError as e:  # an unknown encoding name
        raise DataError(f"cannot read {path}: {e}") from None
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


def _maybe_renamed(columns):
    # pandas renames a second "y" to "y.1" (a feature that may be the target itself): only a
    # name of that form next to its stem needs the header read again to tell.
    names = set(map(str, columns))
    return any(stem in names for stem, dot, tail in (n.rpartition(".") for n in names)
               if dot and tail.isdigit())


def _refuse_duplicate_names(path, source, opener, kwargs):
    options = {k: v for k, v in kwargs.items() if k not in ("usecols", "dtype", "nrows")}
    header = _parse(path, source, opener, options, header=None, nrows=1, dtype=str)
    names = [str(v).strip() for v in header.iloc[0] if isinstance(v, str)] if len(header) else []
    seen, twice = set(), set()
    for n in names:
        (twice if n in seen else seen).add(n)
    if twice:
        raise DataError(f"{shorten(path)} has more than one column named "
                        f"{', '.join(repr(shorten(n, 60)) for n in sorted(twice)[:5])}; "
                        "rename them so that every column has its own name")


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
    return f"row {shorten(repr(label), 60)}"


def parse_numeric(s, column):
    """``s`` as float64; a value that is not a number (``"12,5"``, ``"n/a!"``) or is infinite
    raises a ``DataError`` naming the column, the row and the value."""
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
                f"column {shorten(column, 60)!r} is numeric but {row_name(row)} holds "
                f"{shorten(repr(value), 60)} ({int(bad.sum())} such "
                f"value{'s' if bad.sum() > 1 else ''}); {hint}fix the data, declare "
                "missing-value markers (na_values, --na-values) or make the column "
                "categorical (roles, --role)"
            )
    infinite = np.isinf(parsed.to_numpy())
    if infinite.any():
        row, value = first_bad(s, infinite)
        value = value.item() if isinstance(value, np.generic) else value
        raise DataError(f"column {shorten(column, 60)!r} holds {value!r} (infinite) at "
                        f"{row_name(row)}")
    return parsed


# ---------------------------------------------------------------------------- bounds
#: the longest column name accepted (a longer header cell is data, not a name)
MAX_NAME = 10_000


def check_column_names(df, path):
    """Refuse a header cell longer than ``MAX_NAME`` characters: every feature name, message
    and model file would carry it."""
    for i, c in enumerate(df.columns):
        if len(str(c)) > MAX_NAME:
            raise DataError(f"{shorten(path)}: column {i + 1} has a name of {len(str(c)):,} "
                            f"characters ({shorten(c, 40)!r}); names are at most {MAX_NAME:,} "
                            "(is the first line really a header?)")


#: standard input is read whole into memory, at most this many bytes of it
MAX_STDIN_BYTES = 1 << 30


def read_stdin(limit=None, stream=None):
    """The bytes of standard input (or ``stream``), at most ``limit`` (``MAX_STDIN_BYTES``)
    of them: past it, a ``DataError`` after reading one byte more, not the whole stream (a
    pipe may never end)."""
    limit = MAX_STDIN_BYTES if limit is None else limit
    data = (stream or sys.stdin.buffer).read(limit + 1)
    if len(data) > limit:
        raise DataError(f"standard input holds more than {limit / 2**20:,.0f} MB: save the data "
                        "to a file and pass its path instead")
    return data


def check_regular_file(path):
    """Refuse a data path that is not a regular file: reading a FIFO blocks until something
    writes to it, a device never ends."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise DataError(f"{shorten(path)} is not a regular file (a pipe or a device?); save the "
                        "data to a file first")


#: a compressed CSV may expand to this many times its size (at least ``_MIN_EXPANDED`` bytes)
MAX_EXPANSION = 100
_MIN_EXPANDED = 64 * 2**20


class _Bounded(io.RawIOBase):
    """A decompressing stream that raises ``DataError`` past ``limit`` bytes of output."""

    def __init__(self, f, limit, path):
        self.f, self.limit, self.path, self.total = f, limit, path, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = self.f.readinto(buffer)
        self.total += n
        if self.total > self.limit:
            raise DataError(
                f"{shorten(self.path)} expands to more than {self.limit / 2**20:,.0f} MB, over "
                f"{MAX_EXPANSION} times its size: refusing a possible decompression bomb; "
                "decompress it yourself if it is genuine")
        return n


class bounded_decompression:
    """``with bounded_decompression(path, opener) as stream``: the decompressed bytes of
    ``path``, at most ``max(MAX_EXPANSION x its size, 64 MB)`` of them."""

    def __init__(self, path, opener):
        self.path, self.opener = path, opener

    def __enter__(self):
        limit = max(_MIN_EXPANDED, MAX_EXPANSION * os.stat(self.path).st_size)
        self.raw = self.opener(self.path, "rb")
        return io.BufferedReader(_Bounded(self.raw, limit, self.path), 1 << 16)

    def __exit__(self, *exc):
        self.raw.close()
        return False


#: the reading options a model file may carry (``glassnet predict`` reads new files with them)
READ_OPTIONS = ("sep", "na_values", "decimal", "encoding")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "ascii", "latin-1",
             "iso-8859-1", "iso-8859-15", "cp1250", "cp1251", "cp1252", "mac-roman", "gbk",
             "gb18030", "big5", "shift_jis", "euc-jp", "euc-kr")


def check_read_options(options, source="reading options", error=UsageError):
    """``options`` checked against the whitelist ``READ_OPTIONS`` (a copy); anything else, or
    a value of the wrong kind, raises ``error`` naming ``source``. The separator and decimal
    mark are single characters, ``na_values`` at most 100 strings of at most 100 characters,
    the encoding one of ``ENCODINGS``."""
    if not isinstance(options, dict):
        raise error(f"{source} must be a table, got {shown(options)}")
    unknown = sorted(set(options) - set(READ_OPTIONS))
    if unknown:
        raise error(f"{source}: {shown(unknown)} are not reading options glassnet keeps; "
                    f"allowed: {', '.join(READ_OPTIONS)}")
    out = {}
    for key, value in options.items():
        if key == "decimal" and value == "auto":  # found by read_csv (data/decimals.py)
            pass
        elif key in ("sep", "decimal"):
            if value == "\\t":
                value = "\t"
            if not (isinstance(value, str) and len(value) == 1 and value not in "\r\n\"") or \
                    (key == "decimal" and value not in ".,"):
                mark = " (. or ,) or auto" if key == "decimal" else ""
                raise error(f"{source}: {key} must be one character{mark}, got {shown(value)}")
        elif key == "na_values":
            value = [value] if isinstance(value, str) else value
            if not (isinstance(value, (list, tuple)) and len(value) <= 100 and
                    all(isinstance(v, str) and len(v) <= 100 for v in value)):
                raise error(f"{source}: na_values must be at most 100 strings of at most 100 "
                            f"characters, got {shown(value)}")
            value = list(value)
        elif key == "encoding":
            if not isinstance(value, str) or value.lower().replace("_", "-") not in \
                    {e.replace("_", "-") for e in ENCODINGS}:
                raise error(f"{source}: encoding {shown(value)} is not one glassnet reads; "
                            f"choose {', '.join(ENCODINGS)}")
        out[key] = value
    return out
