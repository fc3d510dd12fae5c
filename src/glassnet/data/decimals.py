"""Numbers written with a decimal comma (``24,0``, ``1.234,5``), as many European CSV files
(``;``-separated) hold them.

pandas reads such a column as text, and text columns become categories: a table of 229
measurements would train a 229-class classifier. ``read_csv`` finds these columns and turns
them into numbers, saying so; ``decimal=","`` converts them without asking and ``decimal="."``
leaves them as text.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

__all__ = ["DecimalCommaWarning", "convert_decimal_commas", "decimal_comma_columns"]

# A whole number, optionally grouped in thousands by dots, optionally with a comma and decimals.
_NUMBER = re.compile(r"^[-+]?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?$")
_COMMA = re.compile(r",\d+$")
_SHARE = 0.9  # of the present values that must look like numbers (the rest is reported later)
_SAMPLE = 5000


class DecimalCommaWarning(UserWarning):
    """Columns written with decimal commas were read as numbers."""


def _text(s):
    return s.dropna().astype(str).str.strip()


def decimal_comma_columns(df):
    """Names of the text columns of ``df`` whose values are numbers with a decimal comma: at
    least 90% of the present values look like ``24,0`` / ``-3`` / ``1.234,5`` and at least one
    holds a comma."""
    found = []
    for name in df.columns:
        s = df[name]
        if not (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)):
            continue
        values = _text(s)
        if values.empty:
            continue
        if len(values) > _SAMPLE:
            values = values.sample(_SAMPLE, random_state=np.random.default_rng(0))
        if values.str.match(_NUMBER).mean() >= _SHARE and values.str.contains(_COMMA).any():
            found.append(name)
    return found


def _convert(s):
    text = s.astype(str).str.strip()
    ok = s.notna() & text.str.match(_NUMBER)
    numbers = pd.to_numeric(text[ok].str.replace(".", "", regex=False)
                            .str.replace(",", ".", regex=False))
    if ok.all():
        return numbers.reindex(s.index)
    out = s.astype(object).copy()  # the odd value that is not a number stays as it was,
    out[ok] = numbers              # for parse_numeric to report by row
    return out


def convert_decimal_commas(df, decimal="auto", source="the data"):
    """``df`` with its decimal-comma columns as numbers, and the names converted.

    ``decimal="auto"``: convert the columns ``decimal_comma_columns`` finds and warn
    (``DecimalCommaWarning``) naming them; ``","``: convert them silently (the user said so);
    ``"."``: change nothing.
    """
    if decimal not in ("auto", ",", "."):
        raise ValueError(f"decimal must be 'auto', ',' or '.', got {decimal!r}")
    if decimal == ".":
        return df, []
    columns = decimal_comma_columns(df)
    if not columns:
        return df, []
    values = _text(df[columns[0]])
    example = values[values.str.contains(_COMMA)].iloc[0]
    df = df.copy()
    for name in columns:
        df[name] = _convert(df[name])
    if decimal == "auto":
        shown = ", ".join(map(repr, columns[:5])) + (" ..." if len(columns) > 5 else "")
        warnings.warn(
            f"{source}: column(s) {shown} hold numbers with a decimal comma (like {example!r}): "
            "read them as numbers; pass decimal='.' (--decimal .) to keep them as text",
            DecimalCommaWarning, stacklevel=3)
    return df, columns
