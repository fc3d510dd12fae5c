"""Tables out: CSV cells that a spreadsheet will not run as formulas.

A spreadsheet (Excel, LibreOffice, Google Sheets) runs a cell that starts with ``=``, ``+``,
``-`` or ``@`` (or a tab or carriage return) as a formula: a predicted label or a copied input
value such as ``=HYPERLINK(...)`` would execute when a user opens the predictions. Following
OWASP's advice, ``spreadsheet_safe`` prefixes such text cells with a single quote ``'``, which
spreadsheets show as text. A cell that already starts with ``'`` gets one more, so the rule is
reversible: ``unescape_cell`` drops one leading ``'`` and gives the raw value back. Numbers
(``-1.5`` in a numeric column, or a text cell that is a plain number) are written as they are.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["spreadsheet_safe", "unescape_cell"]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _escape(value):
    if isinstance(value, str) and value.startswith(_TRIGGERS) and not _NUMBER.match(value):
        return "'" + value
    return value


def spreadsheet_safe(df):
    """A copy of ``df`` whose text cells (and column names) cannot run as formulas."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s):
            out[col] = s.map(_escape, na_action="ignore")
    out.columns = [_escape(str(c)) for c in out.columns]
    return out


def unescape_cell(value):
    """The raw value of a cell ``spreadsheet_safe`` wrote (one leading ``'`` removed)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(_TRIGGERS):
        return value[1:]
    return value
