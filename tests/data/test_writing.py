"""CSV cells that a spreadsheet would run as formulas are written as text, reversibly."""

import pandas as pd

from glassnet.data.writing import spreadsheet_safe, unescape_cell


def test_formula_cells_are_quoted_and_the_raw_value_is_recoverable():
    raw = ["=1+1", "+A1", "-2+3", "@SUM(A1)", "\tx", "'quoted", "plain", "-5", "+1.5e3", None]
    df = pd.DataFrame({"label": raw, "n": [-1.5] * 10, "=col": ["a"] * 10})
    safe = spreadsheet_safe(df)
    assert safe["label"].tolist()[:7] == ["'=1+1", "'+A1", "'-2+3", "'@SUM(A1)", "'\tx",
                                          "''quoted", "plain"]
    assert safe["label"].tolist()[7:9] == ["-5", "+1.5e3"]  # numbers stay numbers
    assert safe["n"].tolist() == [-1.5] * 10 and list(safe.columns) == ["label", "n", "'=col"]
    assert [unescape_cell(v) for v in safe["label"].dropna()] == raw[:-1]
    assert df["label"].tolist()[0] == "=1+1"  # a copy: the caller's frame is untouched
