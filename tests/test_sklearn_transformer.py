"""``TabularTransformer``: glassnet's column handling passes scikit-learn's transformer checks
and drops into a ``Pipeline`` on a mixed-type DataFrame."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from glassnet.data import TabularPreprocessor
from glassnet.sklearn import TabularTransformer


@parametrize_with_checks([TabularTransformer()])
def test_sklearn_transformer_checks(estimator, check):
    check(estimator)


def frame(n=120, seed=0):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "age": rng.normal(40, 10, n), "city": rng.choice(["Paris", "Lyon", "Nice"], n),
        "member": rng.choice([True, False], n), "day": pd.date_range("2024-01-01", periods=n),
    })
    df.loc[::7, "age"] = np.nan
    df.loc[::11, "city"] = np.nan
    y = ((df["age"].fillna(40) - 40) / 10 + 2 * (df["city"] == "Lyon") > 0.5).astype(int)
    return df, y


def test_it_transforms_as_the_tabular_preprocessor_does():
    df, _ = frame()
    t = TabularTransformer().fit(df)
    prep = TabularPreprocessor().fit(df)
    np.testing.assert_array_equal(t.transform(df), prep.transform(df, with_target=False))
    names = list(t.get_feature_names_out())
    assert names == prep.feature_names_
    assert {"age__missing", "city=Lyon", "city=<missing>", "member",
            "day__timestamp"} <= set(names)
    assert list(t.feature_names_in_) == ["age", "city", "member", "day"]


def test_set_output_gives_a_dataframe_and_a_pipeline_learns():
    df, y = frame()
    t = TabularTransformer(dtype="float64").set_output(transform="pandas")
    out = t.fit_transform(df)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == list(
        t.get_feature_names_out()) and out.index.equals(df.index)
    pipe = make_pipeline(TabularTransformer(drop=["day"]), LogisticRegression(max_iter=500))
    assert cross_val_score(pipe, df, y, cv=3).mean() > 0.7


def test_arrays_get_x_names_and_input_features_rename_them():
    X = np.column_stack([np.arange(30.0), np.tile(["a", "b", "c"], 10)]).astype(object)
    X[3, 0] = np.nan
    t = TabularTransformer().fit(X)
    assert list(t.get_feature_names_out()) == ["x0", "x0__missing", "x1=a", "x1=b", "x1=c"]
    assert list(t.get_feature_names_out(["n", "letter"]))[2:] == [
        "letter=a", "letter=b", "letter=c"]
    with pytest.raises(ValueError, match="input_features"):
        t.get_feature_names_out(["just_one"])
