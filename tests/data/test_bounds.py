"""The data path's bounds: files that are not regular, decompression bombs, the reading
options a model may keep, the size of the input matrix, values beyond the dtype's range, and
the state a model file may hold."""

import gzip
import os
import time
import zlib

import numpy as np
import pandas as pd
import pytest

from glassnet.data import TabularPreprocessor, read_csv
from glassnet.data.limits import MAX_INPUT_BYTES, listed
from glassnet.data.reading import check_read_options
from glassnet.data.state import check_state
from glassnet.errors import DataError, UsageError


def test_a_fifo_or_a_device_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")
    os.symlink("/dev/zero", tmp_path / "zero.csv")
    for name in ("pipe.csv", "zero.csv"):
        start = time.monotonic()
        with pytest.raises(DataError, match="not a regular file"):
            read_csv(tmp_path / name)
        assert time.monotonic() - start < 5


def test_a_compressed_csv_reads_and_a_decompression_bomb_is_refused(tmp_path):
    (tmp_path / "ok.csv.gz").write_bytes(gzip.compress(b"a,b\n1,2\n3,4\n"))
    assert read_csv(tmp_path / "ok.csv.gz").shape == (2, 2)
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"1,2\n" * 2**18
    bomb = packer.compress(b"a,b\n") + b"".join(packer.compress(chunk) for _ in range(80))
    (tmp_path / "bomb.csv.gz").write_bytes(bomb + packer.flush())  # 80 MB in ~80 KB
    with pytest.raises(DataError, match="decompression bomb"):
        read_csv(tmp_path / "bomb.csv.gz")


@pytest.mark.parametrize("options, message", [
    ({"skiprows": 10**9}, "not reading options glassnet keeps"),
    ({"sep": ";;"}, "sep must be one character"),
    ({"sep": ""}, "sep must be one character"),
    ({"decimal": ";"}, r"decimal must be one character \(. or ,\)"),
    ({"encoding": "rot13"}, "encoding 'rot13' is not one glassnet reads"),
    ({"na_values": ["x"] * 1000}, "na_values must be at most 100 strings"),
    ([1], "must be a table"),
])
def test_reading_options_are_a_whitelist(options, message):
    with pytest.raises(UsageError, match=message):
        check_read_options(options)


def test_valid_reading_options_pass():
    assert check_read_options({"sep": "\\t", "na_values": "?", "encoding": "latin-1",
                               "decimal": ","}) == \
        {"sep": "\t", "na_values": ["?"], "encoding": "latin-1", "decimal": ","}


def test_twenty_thousand_categories_are_refused_before_one_hot_encoding():
    n = 40_000
    df = pd.DataFrame({"code": [f"k{i % 20_000}" for i in range(n)], "x": np.arange(n) % 7,
                       "y": np.arange(n) % 2})
    start = time.monotonic()
    with pytest.raises(DataError, match=r"40,000 rows x 20,00\d features.*column 'code' alone "
                                        r"makes 20,000.*--drop.*--role COL=id"):
        TabularPreprocessor(target="y").fit(df)
    assert time.monotonic() - start < 10
    assert MAX_INPUT_BYTES == 512 * 2**20


@pytest.mark.parametrize("value, dtype, message", [
    ("1e39", "float32", r"holds 1e\+39 at row 5, beyond the range of float32"),
    ("1e308", "float64", "beyond what float64 can average"),
])
def test_a_value_beyond_the_dtype_is_one_error_naming_column_and_row(value, dtype, message):
    df = pd.DataFrame({"z": [1.0, 2, 3, 4, 5, float(value), 7, 8], "y": [0, 1] * 4})
    if value == "1e308":
        df["z"] = [1e308] * 4 + [-1e308] * 4
        message = "column 'z' holds"
    with pytest.raises(DataError, match=message):
        TabularPreprocessor(target="y", dtype=dtype).fit(df)


def test_a_value_that_overflows_after_scaling_is_an_error_at_prediction():
    train = pd.DataFrame({"z": np.linspace(0, 1, 20), "y": [0, 1] * 10})
    prep = TabularPreprocessor(target="y").fit(train)
    new = pd.DataFrame({"z": [0.5, 3e38, 0.2]}, index=[10, 11, 12])
    with pytest.raises(DataError, match="feature 'z' of data row 11 overflows float32"):
        prep.transform(new, with_target=False)


def test_a_state_from_a_damaged_file_is_checked_field_by_field():
    df = pd.DataFrame({"a": [1.0, 2, 3, 4], "c": ["x", "y", "x", "y"], "y": [0, 1, 0, 1]})
    state = TabularPreprocessor(target="y").fit(df).to_dict()
    check_state(state)
    for change, message in [
        (lambda s: s["roles_"].update(a="weird"), "roles_ must be"),
        (lambda s: s["columns_"][0].update(scale=0.0), r"columns_\[0\].scale must be a positive"),
        (lambda s: s["columns_"][0].update(name=5), r"columns_\[0\].name must be a string"),
        (lambda s: s["columns_"][1].update(categories=["x", "x"]), "must be distinct"),
        (lambda s: s.update(classes_=[{"a": 1}, 2]), "classes_ must be"),
        (lambda s: s["columns_"][0].update(evil=1), "must be the keys"),
    ]:
        broken = TabularPreprocessor(target="y").fit(df).to_dict()
        change(broken)
        with pytest.raises(DataError, match=message):
            TabularPreprocessor.from_dict(broken)


def test_long_lists_in_summaries_are_cut():
    assert listed([f"c{i}" for i in range(20_000)], 3) == "c0, c1, c2 ... and 19,997 more"
    assert len(listed(["n" * 10**7])) < 80
