import numpy as np
import pandas as pd
import pytest

from glassnet.data import infer_role, infer_roles, infer_task


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
    ([f"car {i % 30}" for i in range(40)], "id"),  # near-unique: 30 names in 40 rows
    ([f"city {i % 15}" for i in range(40)], "categorical"),
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


def test_a_saved_row_index_is_not_a_feature():
    df = pd.DataFrame({"x": [0.5, 1.5, 2.5], "y": [0, 1, 0]}, index=[7, 3, 9])
    indexed = df.reset_index(names="").rename(columns={"": "Unnamed: 0"})
    assert infer_roles(indexed, target="y") == {"Unnamed: 0": "id", "x": "numeric"}
    assert infer_roles(indexed, target="y", roles={"Unnamed: 0": "numeric"})["Unnamed: 0"] == \
        "numeric"


def test_a_string_target_with_many_classes_and_few_rows_each_is_refused():
    from glassnet.errors import DataError

    names = pd.Series([f"name{i % 60}" for i in range(150)])  # 60 classes, 2.5 rows each
    with pytest.raises(DataError, match=r"60 different strings in 150 rows \(2.5 rows per "
                                        r"class\).*--task regression.*--task classification"):
        infer_task(names)
    commas = pd.Series([f"{i % 70},{i % 7}" for i in range(100)])
    with pytest.raises(DataError, match=r"decimal comma.*--decimal ,"):
        infer_task(commas)
    assert infer_task(pd.Series([f"c{i % 30}" for i in range(300)])) == "classification"
