"""What fit looks for that would make a model silently wrong: duplicate names, target copies,
identifiers, many rare categories, rows far outside the training range."""

import warnings

import numpy as np
import pandas as pd
import pytest

from glassnet.data import TabularPreprocessor
from glassnet.data.checks import IdentifierWarning, TargetLeakWarning
from glassnet.data.columns import OutOfRangeWarning
from glassnet.errors import DataError


def quiet_fit(prep, df):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return prep.fit(df)


def test_two_columns_of_one_name_are_refused_in_one_line():
    df = pd.DataFrame([[1, 2, 0, 0], [3, 4, 1, 1]], columns=["a", "b", "y", "y"])
    with pytest.raises(DataError, match="more than one column named 'y'") as info:
        TabularPreprocessor(target="y").fit(df)
    assert "\n" not in str(info.value)


def test_a_feature_that_is_the_target_relabelled_is_warned_about():
    rng = np.random.default_rng(0)
    y = rng.choice(["a", "b", "c"], 60)
    df = pd.DataFrame({"x": rng.normal(size=60), "code": pd.Series(y).map(
        {"a": 10, "b": 20, "c": 30}), "y": y})
    with pytest.warns(TargetLeakWarning, match="feature 'code' reproduces the target 'y'"):
        prep = TabularPreprocessor(target="y").fit(df)
    assert prep.report_["reproduces_target"] == {
        "code": "one value per class and one class per value"}
    # a feature that merely helps is not a copy
    with warnings.catch_warnings():
        warnings.simplefilter("error", TargetLeakWarning)
        TabularPreprocessor(target="y").fit(df.drop(columns="code"))


def test_a_numeric_feature_perfectly_correlated_with_a_regression_target_is_warned_about():
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"x": rng.normal(size=50)})
    df["y"] = 3 * df["x"] + rng.normal(0, 1, 50)
    df["y_cents"] = df["y"] * 100 - 7
    with pytest.warns(TargetLeakWarning, match="'y_cents'.*correlation \\+1.000000"):
        prep = TabularPreprocessor(target="y").fit(df)
    assert list(prep.report_["reproduces_target"]) == ["y_cents"]


def test_near_unique_strings_are_identifiers_and_reported():
    rng = np.random.default_rng(2)
    names = [f"car {i % 311}" for i in range(406)]  # 311 distinct names in 406 rows
    df = pd.DataFrame({"name": names, "w": rng.normal(size=406), "y": rng.normal(size=406)})
    prep = TabularPreprocessor(target="y").fit(df)
    assert prep.roles_["name"] == "id"
    assert prep.report_["identifiers"] == {"name": "311 distinct values in 406 rows: not used"}
    assert prep.n_features_ == 1
    assert "identifier? name: 311 distinct values in 406 rows" in prep.summary()


def test_a_whole_number_column_without_gaps_is_reported_as_a_row_number():
    df = pd.DataFrame({"instant": np.arange(1, 41), "x": np.linspace(0, 1, 40),
                       "y": np.sin(np.arange(40))})
    with pytest.warns(IdentifierWarning, match="'instant' looks like a row number"):
        prep = TabularPreprocessor(target="y").fit(df)
    assert "1..40 without gaps" in prep.report_["identifiers"]["instant"]
    assert prep.roles_["instant"] == "numeric"  # reported, still used: it may mean something
    with warnings.catch_warnings():  # a role the user gave is never second-guessed
        warnings.simplefilter("error", IdentifierWarning)
        TabularPreprocessor(target="y", roles={"instant": "numeric"}).fit(df)


def test_rare_categories_share_one_other_column():
    maker = ["ford"] * 30 + ["fiat"] * 20 + ["vw"] * 5 + [f"rare{i}" for i in range(25)]
    df = pd.DataFrame({"maker": maker, "y": np.arange(80.0)})
    prep = TabularPreprocessor(target="y", max_categories=3).fit(df)
    assert prep.feature_names_ == ["maker=fiat", "maker=ford", "maker=<other>"]
    assert prep.report_["grouped"] == {"maker": {"categories": 26, "rows": 30}}
    X = prep.transform(pd.DataFrame({"maker": ["ford", "vw", "rare3", "never seen"]}),
                       with_target=False)
    np.testing.assert_array_equal(X, [[0, 1, 0], [0, 0, 1], [0, 0, 1], [0, 0, 1]])
    # the default keeps the 19 most frequent seen twice or more; singletons go to <other>
    default = TabularPreprocessor(target="y").fit(df)
    assert default.feature_names_ == ["maker=fiat", "maker=ford", "maker=vw", "maker=<other>"]
    unlimited = TabularPreprocessor(target="y", max_categories=None).fit(df)
    assert unlimited.n_features_ == 28
    again = TabularPreprocessor.from_dict(prep.to_dict())
    np.testing.assert_array_equal(again.transform(df, with_target=False),
                                  prep.transform(df, with_target=False))
    with pytest.raises(ValueError, match="max_categories"):
        TabularPreprocessor(target="y", max_categories=1)


def test_rows_far_outside_the_training_range_are_counted_per_column():
    train = pd.DataFrame({"year": [2007, 2008, 2009, 2008] * 5, "x": np.arange(20.0),
                          "y": [0, 1] * 10})
    prep = quiet_fit(TabularPreprocessor(target="y"), train)
    new = pd.DataFrame({"year": [2008, 2012, 2024, 2005], "x": [5.0, 50.0, 1.0, 2.0]})
    with pytest.warns(OutOfRangeWarning, match="per column: year 2, x 1"):
        prep.transform(new, with_target=False)
    assert prep.transform_report_["out_of_range"] == {"year": 2, "x": 1}
    with warnings.catch_warnings():  # inside the range (or one range beyond): no warning
        warnings.simplefilter("error", OutOfRangeWarning)
        prep.transform(pd.DataFrame({"year": [2010.5], "x": [30.0]}), with_target=False)
