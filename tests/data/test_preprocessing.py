import json
import warnings

import numpy as np
import pandas as pd
import pytest

from glassnet.data import TabularPreprocessor


def table(n=60, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "size": rng.normal(100.0, 20.0, n),
        "rooms": rng.integers(1, 6, n),
        "city": rng.choice(["Oslo", "Bergen", "Tromsø"], n),
        "garden": rng.choice(["yes", "no"], n),
        "price": rng.normal(300.0, 50.0, n),
    })


def test_numeric_columns_are_standardized_with_training_statistics():
    train = table()
    prep = TabularPreprocessor(target="price")
    X, _ = prep.fit_transform(train)
    j = prep.feature_names_.index("size")
    spec = prep.columns_[[c["name"] for c in prep.columns_].index("size")]
    assert spec["mean"] == pytest.approx(train["size"].mean())
    assert spec["scale"] == pytest.approx(train["size"].std(ddof=0))
    assert X[:, j].mean() == pytest.approx(0.0, abs=1e-6)
    assert X[:, j].std() == pytest.approx(1.0, abs=1e-5)


def test_no_leakage_validation_rows_never_change_what_was_learned():
    """The proof the issue asks for: fitted statistics equal the training rows' own, and the
    transform of one validation row does not depend on the other validation rows."""
    train, val = table(80, seed=1), table(40, seed=2)
    prep = TabularPreprocessor(target="price").fit(train)
    state = json.dumps(prep.to_dict(), sort_keys=True)
    X_val, y_val = prep.transform(val)

    # Wildly different validation data: scaled, shifted, new rows appended.
    other = val.copy()
    other["size"] = other["size"] * 1000 + 5e6
    other["price"] = other["price"] * -7
    X_other, _ = prep.transform(pd.concat([val.iloc[:10], other]))
    assert json.dumps(prep.to_dict(), sort_keys=True) == state  # nothing refitted
    np.testing.assert_array_equal(X_other[:10], X_val[:10])  # same rows, same features

    # The learned statistics are the training rows' and would differ on train + val.
    size = prep.columns_[0]
    assert size["mean"] == pytest.approx(train["size"].mean())
    assert size["mean"] != pytest.approx(pd.concat([train, val])["size"].mean())
    assert prep.target_mean_ == pytest.approx(train["price"].mean())
    assert prep.target_scale_ == pytest.approx(train["price"].std(ddof=0))
    # ...and the validation target is scaled with them, not with its own.
    np.testing.assert_allclose(y_val, (val["price"] - train["price"].mean())
                               / train["price"].std(ddof=0), rtol=1e-5)


def test_categorical_one_hot_uses_training_categories_and_unseen_is_all_zeros():
    train = pd.DataFrame({"city": ["Oslo", "Bergen", "Oslo", "Bergen"], "y": [1.0, 2, 3, 4]})
    prep = TabularPreprocessor(target="y")
    X, _ = prep.fit_transform(train)
    assert prep.feature_names_ == ["city=Bergen", "city=Oslo"]
    np.testing.assert_array_equal(X, [[0, 1], [1, 0], [0, 1], [1, 0]])
    with pytest.warns(UserWarning, match="never seen in training"):
        X_new = prep.transform(pd.DataFrame({"city": ["Paris", "Oslo"]}), with_target=False)
    np.testing.assert_array_equal(X_new, [[0, 0], [0, 1]])
    assert prep.transform_report_["unseen"]["city"] == {"count": 1, "values": ["Paris"]}


def test_missing_numeric_gets_training_median_and_an_indicator():
    train = pd.DataFrame({"x": [1.0, np.nan, 3.0, 10.0, np.nan], "y": [0.0, 1, 2, 3, 4]})
    prep = TabularPreprocessor(target="y")
    X, _ = prep.fit_transform(train)
    assert prep.feature_names_ == ["x", "x__missing"]
    assert prep.report_["imputed"] == {"x": 2}
    spec = prep.columns_[0]
    assert spec["median"] == 3.0  # median of the observed 1, 3, 10
    expected = (np.array([1, 3, 3, 10, 3]) - spec["mean"]) / spec["scale"]
    np.testing.assert_allclose(X[:, 0], expected, rtol=1e-6)
    np.testing.assert_array_equal(X[:, 1], [0, 1, 0, 0, 1])
    X_new = prep.transform(pd.DataFrame({"x": [np.nan]}), with_target=False)
    np.testing.assert_allclose(X_new[0], [(3 - spec["mean"]) / spec["scale"], 1], rtol=1e-6)
    assert prep.transform_report_["imputed"] == {"x": 1}


def test_missing_categorical_is_its_own_category():
    train = pd.DataFrame({"c": ["a", None, "b", None], "y": [0.0, 1, 2, 3]})
    prep = TabularPreprocessor(target="y")
    X, _ = prep.fit_transform(train)
    assert prep.feature_names_ == ["c=a", "c=b", "c=<missing>"]
    assert prep.report_["missing_category"] == {"c": 2}
    np.testing.assert_array_equal(X, [[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1]])


def test_missing_categorical_unseen_in_training_warns_and_is_zero():
    prep = TabularPreprocessor(target="y").fit(pd.DataFrame({"c": ["a", "b"], "y": [0.0, 1]}))
    with pytest.warns(UserWarning, match="training had none"):
        X = prep.transform(pd.DataFrame({"c": [None]}), with_target=False)
    np.testing.assert_array_equal(X, [[0, 0]])


def test_boolean_columns_become_zero_one_and_missing_takes_the_majority():
    train = pd.DataFrame({"g": ["yes", "no", "yes", None, "Yes"], "y": [0.0, 1, 2, 3, 4]})
    prep = TabularPreprocessor(target="y")
    X, _ = prep.fit_transform(train)
    assert prep.roles_ == {"g": "boolean"}
    assert prep.feature_names_ == ["g", "g__missing"]
    np.testing.assert_array_equal(X, [[1, 0], [0, 0], [1, 0], [1, 1], [1, 0]])
    with pytest.raises(ValueError, match="column 'g' is boolean but data row 1 holds 'maybe'"):
        prep.transform(pd.DataFrame({"g": ["maybe"]}), with_target=False)


def test_datetime_becomes_timestamp_and_cyclic_hour_weekday_dayofyear():
    times = ["2024-01-01 00:00", "2024-01-01 06:00", "2024-03-15 18:00", "2024-07-04 12:30"]
    train = pd.DataFrame({"when": times, "y": [0.0, 1, 2, 3]})
    prep = TabularPreprocessor(target="y")
    X, _ = prep.fit_transform(train)
    assert prep.roles_ == {"when": "datetime"}
    names = [n.split("__")[1] for n in prep.feature_names_]
    assert names == ["timestamp", "hour_sin", "hour_cos", "weekday_sin", "weekday_cos",
                     "dayofyear_sin", "dayofyear_cos"]
    t = pd.to_datetime(pd.Series(times))
    seconds = (t - pd.Timestamp("1970-01-01")).dt.total_seconds().to_numpy()
    np.testing.assert_allclose(X[:, 0], (seconds - seconds.mean()) / seconds.std(), rtol=1e-5)
    hours = np.array([0, 6, 18, 12.5])
    np.testing.assert_allclose(X[:, 1], np.sin(2 * np.pi * hours / 24), atol=1e-6)
    np.testing.assert_allclose(X[:, 2], np.cos(2 * np.pi * hours / 24), atol=1e-6)
    weekday = t.dt.day_of_week.to_numpy()  # 2024-01-01 is a Monday (0)
    assert weekday[0] == 0
    np.testing.assert_allclose(X[:, 3], np.sin(2 * np.pi * weekday / 7), atol=1e-6)
    doy = t.dt.day_of_year.to_numpy() - 1
    np.testing.assert_allclose(X[:, 6], np.cos(2 * np.pi * doy / 365.25), atol=1e-6)


def test_dates_without_times_skip_the_hour_features():
    train = pd.DataFrame({"day": ["2024-01-01", "2024-02-01", "2024-03-01"], "y": [0.0, 1, 2]})
    prep = TabularPreprocessor(target="y").fit(train)
    assert not any("hour" in n for n in prep.feature_names_)
    with pytest.raises(ValueError, match="holds dates but data row 2 holds 'soon'"):
        prep.transform(pd.DataFrame({"day": ["2024-01-05", "soon"]}), with_target=False)


def test_role_overrides_drop_and_ignored_columns():
    df = table(30)
    df["note"] = [f"a rather long free text remark number {i}" for i in range(30)]
    df["uid"] = [f"id{i:04d}" for i in range(30)]
    prep = TabularPreprocessor(target="price", roles={"rooms": "categorical"}, drop=["size"])
    prep.fit(df)
    assert prep.roles_["rooms"] == "categorical"
    assert "size" not in prep.roles_
    assert prep.report_["ignored"] == {"note": "text", "uid": "id"}
    assert [n for n in prep.feature_names_ if n.startswith("rooms=")] == [
        f"rooms={k}" for k in sorted(df["rooms"].astype(str).unique())]
    # A whole-number float (as a column with NaN reads) finds the same category.
    X = prep.transform(pd.DataFrame({"rooms": [3.0], "city": ["Oslo"], "garden": ["no"],
                                     "note": ["x"], "uid": ["y"]}), with_target=False)
    assert X[0, prep.feature_names_.index("rooms=3")] == 1
    with pytest.raises(ValueError, match="role 'colour'"):
        TabularPreprocessor(target="price", roles={"city": "colour"}).fit(df)
    with pytest.raises(ValueError, match="'nope' is not in the data"):
        TabularPreprocessor(target="price", drop=["nope"]).fit(df)


def test_regression_target_round_trip_and_no_standardization_option():
    df = table()
    prep = TabularPreprocessor(target="price")
    _, y = prep.fit_transform(df)
    assert y.mean() == pytest.approx(0, abs=1e-5) and y.std() == pytest.approx(1, abs=1e-5)
    np.testing.assert_allclose(prep.inverse_transform_target(y), df["price"], rtol=1e-6)
    np.testing.assert_allclose(prep.inverse_transform_target(y[:, None]), df["price"], rtol=1e-6)
    raw = TabularPreprocessor(target="price", standardize_target=False)
    _, y_raw = raw.fit_transform(df)
    np.testing.assert_allclose(y_raw, df["price"], rtol=1e-6)


def test_classification_labels_map_to_indices_and_back():
    df = table()
    df["kind"] = np.where(df["size"] > 100, "big", "small")
    prep = TabularPreprocessor(target="kind", drop=["price"])
    _, y = prep.fit_transform(df)
    assert prep.task_ == "classification" and prep.classes_ == ["big", "small"]
    assert y.dtype == np.int64
    assert list(prep.inverse_transform_target(y)) == list(df["kind"])
    proba = np.column_stack([1.0 - y, y]).astype(float)
    assert list(prep.inverse_transform_target(proba)) == list(df["kind"])
    assert list(prep.inverse_transform_target(y[:, None].astype(float))) == list(df["kind"])
    with pytest.raises(ValueError, match="never seen in training"):
        prep.transform(df.assign(kind="medium"))


def test_integer_class_labels_come_back_as_integers():
    df = pd.DataFrame({"x": np.arange(12.0), "y": [3, 5, 7] * 4})
    prep = TabularPreprocessor(target="y")
    _, y = prep.fit_transform(df)
    assert prep.classes_ == [3, 5, 7]
    back = prep.inverse_transform_target(y)
    assert back.dtype == np.int64
    np.testing.assert_array_equal(back, df["y"])


def test_state_round_trips_through_json_exactly():
    df = table(50)
    df.loc[3, "size"] = np.nan
    df["when"] = pd.date_range("2024-01-01", periods=50, freq="5h").astype(str)
    prep = TabularPreprocessor(target="price")
    X, y = prep.fit_transform(df)
    copy = TabularPreprocessor.from_dict(json.loads(json.dumps(prep.to_dict(), allow_nan=False)))
    X2, y2 = copy.transform(df)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert copy.feature_names_ == prep.feature_names_
    state = prep.to_dict()
    state["feature_names_"] = state["feature_names_"][:-1]
    with pytest.raises(ValueError, match="inconsistent"):
        TabularPreprocessor.from_dict(state)
    with pytest.raises(ValueError, match="version"):
        TabularPreprocessor.from_dict({"version": 99})


def test_clear_errors_for_bad_input():
    df = table(20)
    with pytest.raises(ValueError, match="not fitted"):
        TabularPreprocessor(target="price").transform(df)
    with pytest.raises(ValueError, match="target column 'cost' is not in the data"):
        TabularPreprocessor(target="cost").fit(df)
    with pytest.raises(ValueError, match="single value"):
        TabularPreprocessor(target="price").fit(df.assign(price=4.0))
    with pytest.raises(ValueError, match="single value"):
        TabularPreprocessor(target="garden", task="classification").fit(df.assign(garden="no"))
    prep = TabularPreprocessor(target="price").fit(df)
    with pytest.raises(ValueError, match=r"lacks columns the model was trained on: \['city'\]"):
        prep.transform(df.drop(columns="city"))
    with pytest.raises(ValueError, match="use with_target=False"):
        prep.transform(df.drop(columns="price"))
    junk = df.astype({"size": object})
    junk.loc[7, "size"] = "12,5"
    with pytest.raises(ValueError, match=r"column 'size' is numeric but data row 8 holds "
                                         r"'12,5'.*decimal comma"):
        prep.transform(junk)
    with pytest.raises(ValueError, match="infinite"):
        prep.transform(df.assign(size=np.inf))
    with pytest.raises(TypeError, match="DataFrame"):
        prep.transform(df.to_numpy())
    with pytest.raises(ValueError, match="task"):
        TabularPreprocessor(target="price", task="clustering")


def test_rows_without_a_target_are_left_out_and_counted():
    df = table(20)
    df.loc[[2, 5], "price"] = np.nan
    prep = TabularPreprocessor(target="price")
    X, y = prep.fit_transform(df)
    assert X.shape[0] == y.shape[0] == 18
    assert prep.report_["rows_without_target"] == 2
    assert prep.transform(df, with_target=False).shape[0] == 20


def test_float64_on_request_and_constant_columns_are_reported():
    df = table(20).assign(flat=1.5)
    prep = TabularPreprocessor(target="price", dtype="float64")
    X, _ = prep.fit_transform(df)
    assert X.dtype == np.float64
    assert prep.report_["constant"] == ["flat"]
    assert np.all(X[:, prep.feature_names_.index("flat")] == 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        prep.transform(df)  # known data: no warning


def test_times_of_day_mixed_formats_and_time_zones():
    """The quirks of real files (USGS earthquakes): a bare time column, dates as MM/DD/YYYY
    with the odd ISO timestamp among them, and offsets that differ from row to row."""
    iso = "1975-02-23T02:58:41.000Z"
    df = pd.DataFrame({
        "date": [iso] + [f"{m:02d}/{d:02d}/1965" for m, d in zip(range(1, 13), range(3, 27))]
                * 2,
        "time": [iso] + ["13:44:18", "11:29:49", "00:00:00"] * 8,
        "stamp": ["2024-01-01T10:00:00+01:00", "2024-01-01T10:00:00-05:00",
                  "2024-01-01 09:00:00", "2024-01-02T00:00:00Z", "2024-01-03T12:00:00Z"] * 5,
        "y": np.arange(25.0),
    })
    prep = TabularPreprocessor(target="y")
    X, _ = prep.fit_transform(df)
    assert prep.roles_ == {"date": "datetime", "time": "datetime", "stamp": "datetime"}
    names = prep.feature_names_
    # a bare time has no weekday or day of year; a date column with one timestamp no hours
    assert [n for n in names if n.startswith("time__")] == [
        "time__timestamp", "time__hour_sin", "time__hour_cos"]
    assert not any(n.startswith("date__hour") for n in names)
    hours = np.array([2 + 58 / 60 + 41 / 3600, 13 + 44 / 60 + 18 / 3600,
                      11 + 29 / 60 + 49 / 3600, 0])
    np.testing.assert_allclose(X[:4, names.index("time__hour_sin")],
                               np.sin(2 * np.pi * hours / 24), atol=1e-5)
    # offsets are converted to UTC: 10:00+01:00 is 09:00Z, 10:00-05:00 is 15:00Z
    stamp_hours = np.array([9, 15, 9, 0, 12])
    np.testing.assert_allclose(X[:5, names.index("stamp__hour_cos")],
                               np.cos(2 * np.pi * stamp_hours / 24), atol=1e-5)
    # the bare times mean the same thing on any day the model is used
    json.dumps(prep.to_dict(), allow_nan=False)
    again = TabularPreprocessor.from_dict(prep.to_dict()).transform(df)[0]
    np.testing.assert_array_equal(again, X)
