import numpy as np
import pandas as pd
import pytest

from glassnet.data import infer_role, infer_roles, infer_task, read_csv
from glassnet.data.tabular import parse_numeric


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def test_read_csv_reads_a_table(tmp_path):
    df = read_csv(write(tmp_path, "a.csv", "x,y\n1,a\n2,b\n"))
    assert list(df.columns) == ["x", "y"] and len(df) == 2
    df = read_csv(write(tmp_path, "b.csv", "x;y\n1;a\n"), sep=";")
    assert list(df.columns) == ["x", "y"]


@pytest.mark.parametrize("name, content, message", [
    ("empty.csv", "", "is empty"),
    ("binary.csv", bytes(range(256)) * 4, "binary data"),
    ("prose.csv", "Call me Ishmael.\nSome years ago - never mind how long.\n", "1 column"),
    ("ragged.csv", "a,b\n1,2\n3,4,5,6\n", "not a well-formed CSV"),
    ("header.csv", "a,b\n", "no rows"),
    ("latin.csv", "name,y\nJos\xe9,1\n".encode("latin-1"), "not a UTF-8"),
])
def test_read_csv_rejects_what_is_not_a_csv(tmp_path, name, content, message):
    with pytest.raises(ValueError, match=message) as info:
        read_csv(write(tmp_path, name, content))
    assert name in str(info.value) and "\n" not in str(info.value)


def test_read_csv_missing_file_and_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="data file not found"):
        read_csv(tmp_path / "nope.csv")
    with pytest.raises(ValueError, match="is a folder"):
        read_csv(tmp_path)


@pytest.mark.parametrize("values, role", [
    ([1.5, 2.0, np.nan], "numeric"),
    ([1, 2, 3], "numeric"),
    (["1.5", "2", "3"], "numeric"),
    (["1.5", "2", "oops"] + [str(i) for i in range(30)], "numeric"),  # junk reported later
    ([True, False, True], "boolean"),
    (["yes", "no", "Yes"], "boolean"),
    (["T", "F", None], "boolean"),
    (["red", "green", "red"], "categorical"),
    (["2024-01-01", "2024-02-03 10:00", "2023-12-31"], "datetime"),
    (["12/31/2024", "01/15/2025", "03/01/2025"], "datetime"),
    (["this film was a joy from start to end", "dull and far too long", "I loved it"], "text"),
    ([f"user{i:03d}" for i in range(25)], "id"),
])
def test_infer_role(values, role):
    assert infer_role(pd.Series(values)) == role


def test_a_date_column_from_pandas_is_datetime_and_overrides_win():
    df = pd.DataFrame({"t": pd.date_range("2024-01-01", periods=3), "k": [1, 2, 3], "y": [0, 1, 0]})
    assert infer_roles(df, target="y") == {"t": "datetime", "k": "numeric"}
    assert infer_roles(df, target="y", roles={"k": "categorical"}, drop=["t"]) == {
        "k": "categorical"}


@pytest.mark.parametrize("y, task", [
    (["cat", "dog", "cat"], "classification"),
    ([True, False, True, True], "classification"),
    ([0, 1, 2] * 10, "classification"),
    (["0", "1"] * 10, "classification"),
    ([0.5, 1.5, 2.25, 3.0], "regression"),
    (list(range(200)), "regression"),  # many distinct whole numbers: a count, not classes
    ([1, 2, 3, 4, 5, 6], "regression"),  # as many values as rows: not a label set
])
def test_infer_task(y, task):
    assert infer_task(pd.Series(y)) == task
    assert infer_task(pd.Series(y), return_reason=True)[0] == task


def test_parse_numeric_names_the_column_row_and_value():
    s = pd.Series(["1", "2.5", None, "x1"], index=[10, 11, 12, 13])
    with pytest.raises(ValueError, match=r"column 'a' is numeric but row 13 holds 'x1'"):
        parse_numeric(s, "a")
    np.testing.assert_array_equal(parse_numeric(s[:3], "a").to_numpy(), [1.0, 2.5, np.nan])
    with pytest.raises(ValueError, match="infinite"):
        parse_numeric(pd.Series([1.0, -np.inf]), "a")


def test_a_saved_row_index_is_not_a_feature():
    df = pd.DataFrame({"x": [0.5, 1.5, 2.5], "y": [0, 1, 0]}, index=[7, 3, 9])
    indexed = df.reset_index(names="").rename(columns={"": "Unnamed: 0"})
    assert infer_roles(indexed, target="y") == {"Unnamed: 0": "id", "x": "numeric"}
    assert infer_roles(indexed, target="y", roles={"Unnamed: 0": "numeric"})["Unnamed: 0"] == \
        "numeric"


@pytest.mark.parametrize("suffix,opener", [(".gz", "gzip"), (".xz", "lzma"), (".bz2", "bz2")])
def test_read_csv_reads_compressed_files(tmp_path, suffix, opener):
    import importlib

    text = "a,b,target\n1,x,0\n2,y,1\n"
    plain = tmp_path / "data.csv"
    plain.write_text(text)
    packed = tmp_path / f"data.csv{suffix}"
    with importlib.import_module(opener).open(packed, "wt") as f:
        f.write(text)
    pd.testing.assert_frame_equal(read_csv(packed), read_csv(plain))


def test_read_csv_rejects_a_broken_gzip(tmp_path):
    bad = tmp_path / "data.csv.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(ValueError, match=r"not a readable \.gz file"):
        read_csv(bad)
