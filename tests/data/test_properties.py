"""Properties of the data path (Hypothesis): random tables with mixed types and missing values
either fit with a clean ``DataError`` or round-trip through ``TabularPreprocessor``, its state
and a model file, giving bitwise the same inputs and predictions."""

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from glassnet.data import TabularPreprocessor
from glassnet.errors import DataError
from glassnet.io import load_bundle, save_model
from glassnet.nn import Sequential, head_for

WORDS = ["a", "b", "Oslo", "[/]", "=1+1", " spaced ", "ñ", "yes", "no", "3", "-2"]


@st.composite
def column(draw, n):
    kind = draw(st.sampled_from(["float", "int", "word", "bool", "date", "numeric text"]))
    if kind == "float":
        values = draw(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=n, max_size=n))
    elif kind == "int":
        values = draw(st.lists(st.integers(-1000, 1000), min_size=n, max_size=n))
    elif kind == "word":
        values = draw(st.lists(st.sampled_from(WORDS), min_size=n, max_size=n))
    elif kind == "bool":
        values = draw(st.lists(st.sampled_from(["true", "false"]), min_size=n, max_size=n))
    elif kind == "date":
        days = draw(st.lists(st.integers(0, 20000), min_size=n, max_size=n))
        values = [str(pd.Timestamp("1970-01-01") + pd.Timedelta(days=d))[:10] for d in days]
    else:
        values = [str(v) for v in draw(st.lists(st.integers(0, 99), min_size=n, max_size=n))]
    holes = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return [None if h and draw(st.booleans()) else v for v, h in zip(values, holes)]


@st.composite
def tables(draw):
    n = draw(st.integers(6, 30))
    k = draw(st.integers(1, 4))
    df = pd.DataFrame({f"c{j}": draw(column(n)) for j in range(k)})
    if draw(st.booleans()):
        df["y"] = draw(st.lists(st.sampled_from(["p", "q", "[r]"]), min_size=n, max_size=n))
    else:
        df["y"] = draw(st.lists(st.floats(-100, 100, allow_nan=False), min_size=n, max_size=n))
    return df


@settings(max_examples=60, deadline=None)
@given(tables(), st.sampled_from(["float32", "float64"]))
def test_random_tables_round_trip_through_the_preprocessor_and_the_model_file(df, dtype):
    try:
        prep = TabularPreprocessor(target="y", dtype=dtype).fit(df)
    except DataError:
        return  # e.g. a target with a single value: refused with one clean message
    X, y = prep.transform(df)
    assert X.dtype == dtype and np.isfinite(X).all() and X.shape[1] == prep.n_features_
    again = TabularPreprocessor.from_dict(prep.to_dict())
    np.testing.assert_array_equal(again.transform(df)[0], X)
    head = head_for(prep.task_, len(prep.classes_) if prep.task_ == "classification" else None)
    model = Sequential.from_sizes([prep.n_features_, 3, head.units], "tanh", head.activation,
                                  seed=0, dtype=dtype)
    with tempfile.TemporaryDirectory() as folder:
        bundle = load_bundle(save_model(model, Path(folder) / "m.npz", preprocessor=prep))
    X2, y2 = bundle.preprocessor.transform(df)
    np.testing.assert_array_equal(X2, X)
    np.testing.assert_array_equal(y2, y)
    assert bundle.preprocessor.to_dict() == prep.to_dict()
    np.testing.assert_array_equal(bundle.model.predict(X2), model.predict(X))
