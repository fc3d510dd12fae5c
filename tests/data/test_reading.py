import numpy as np
import pandas as pd
import pytest

from glassnet.data import read_csv
from glassnet.data.reading import parse_numeric


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


def test_parse_numeric_names_the_column_row_and_value():
    s = pd.Series(["1", "2.5", None, "x1"], index=[10, 11, 12, 13])
    with pytest.raises(ValueError, match=r"column 'a' is numeric but data row 14 holds 'x1'"):
        parse_numeric(s, "a")
    np.testing.assert_array_equal(parse_numeric(s[:3], "a").to_numpy(), [1.0, 2.5, np.nan])
    with pytest.raises(ValueError, match="infinite"):
        parse_numeric(pd.Series([1.0, -np.inf]), "a")


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


def test_read_csv_reads_standard_input_for_a_dash(monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x,y\n1,a\n2,b\n")))
    df = read_csv("-")
    assert list(df.columns) == ["x", "y"] and df["x"].tolist() == [1, 2]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    with pytest.raises(ValueError, match="standard input is empty"):
        read_csv("-")


def test_standard_input_is_read_up_to_a_bound(monkeypatch):
    import io
    import sys

    from glassnet.data import reading

    class Endless(io.RawIOBase):  # a pipe that never ends: only limit + 1 bytes may be read
        read_bytes = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            buffer[:] = b"1" * len(buffer)
            Endless.read_bytes += len(buffer)
            return len(buffer)

    monkeypatch.setattr(reading, "MAX_STDIN_BYTES", 1000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless(), 256)))
    with pytest.raises(ValueError, match="standard input holds more than 0 MB: save the data to "
                                         "a file") as info:
        read_csv("-")
    assert "\n" not in str(info.value) and Endless.read_bytes <= 1001 + 256
    assert reading.read_stdin(10, io.BytesIO(b"a,b\n1,2\n")) == b"a,b\n1,2\n"  # at the bound


def test_read_csv_refuses_two_columns_of_one_name(tmp_path):
    # pandas would call the second 'y' 'y.1': a feature that is the target itself
    path = write(tmp_path, "dup.csv", "a,b,y,y\n1,2,0,0\n3,4,1,1\n")
    with pytest.raises(ValueError, match=r"dup.csv has more than one column named 'y'") as info:
        read_csv(path)
    assert "\n" not in str(info.value)
    read_csv(write(tmp_path, "ok.csv", "a,b,y,y.1\n1,2,0,0\n"))  # distinct names are fine


def test_decimal_commas_are_read_as_numbers_and_said_so(tmp_path):
    from glassnet.data.decimals import DecimalCommaWarning

    text = "temp;hum;city\n" + "".join(f"{20 + i},{i % 10};{40 + i};c{i % 3}\n"
                                       for i in range(30))
    path = write(tmp_path, "eu.csv", text)
    with pytest.warns(DecimalCommaWarning, match=r"column\(s\) 'temp' hold numbers with a "
                                                 r"decimal comma \(like '20,0'\)"):
        df = read_csv(path, sep=";")
    assert df["temp"].dtype == np.float64 and df["temp"].iloc[3] == pytest.approx(23.3)
    assert df["hum"].tolist()[:2] == [40, 41] and df["city"].iloc[0] == "c0"
    assert df.attrs["read_options"] == {"decimal": ","}
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", DecimalCommaWarning)
        said = read_csv(path, sep=";", decimal=",")        # asked for: no warning
        kept = read_csv(path, sep=";", decimal=".")        # refused: stays text
    pd.testing.assert_series_equal(said["temp"], df["temp"])
    assert kept["temp"].iloc[0] == "20,0" and "read_options" not in kept.attrs
    # thousands separators, and the odd junk value left for parse_numeric to report
    grouped = write(tmp_path, "k.csv", "v;w\n1.234,5;a\n-2,25;b\n7;c\n" + "3,5;d\n" * 20
                    + "n/a!;e\n")
    with pytest.warns(DecimalCommaWarning):
        got = read_csv(grouped, sep=";")
    assert got["v"].iloc[:3].tolist() == [1234.5, -2.25, 7.0] and got["v"].iloc[-1] == "n/a!"
    with pytest.raises(ValueError, match="data row 24 holds 'n/a!'"):
        parse_numeric(got["v"], "v")
