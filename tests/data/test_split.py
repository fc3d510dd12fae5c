import numpy as np
import pandas as pd
import pytest

from glassnet.data import split_indices, time_split, train_val_test_split


def frame(n=100):
    return pd.DataFrame({"x": np.arange(n), "label": np.where(np.arange(n) % 10 < 3, "a", "b")})


def test_random_split_is_disjoint_complete_and_seeded():
    df = frame()
    train, val, test = train_val_test_split(df, val_size=0.2, test_size=0.1, seed=3)
    assert (len(train), len(val), len(test)) == (70, 20, 10)
    together = np.concatenate([train.x, val.x, test.x])
    assert sorted(together) == list(range(100))
    again = train_val_test_split(df, val_size=0.2, test_size=0.1, seed=3)
    other = train_val_test_split(df, val_size=0.2, test_size=0.1, seed=4)
    assert list(again[2].x) == list(test.x)
    assert list(other[2].x) != list(test.x)
    assert list(train.x) == sorted(train.x)  # rows keep their original order


def test_sizes_can_be_row_counts_and_arrays_split_too():
    train, val, test = train_val_test_split(np.arange(50), val_size=5, test_size=7, seed=0)
    assert (len(train), len(val), len(test)) == (38, 5, 7)
    assert len(set(train) | set(val) | set(test)) == 50


def test_stratified_split_keeps_class_proportions():
    df = frame(200)  # 30% "a"
    for seed in range(3):
        train, val, test = train_val_test_split(df, 0.25, 0.25, seed=seed, stratify="label")
        for part in (train, val, test):
            assert (part.label == "a").mean() == pytest.approx(0.3, abs=0.01)
    # without stratification small parts drift from 30%
    drift = [abs((train_val_test_split(df, 0.1, 0.1, seed=s)[2].label == "a").mean() - 0.3)
             for s in range(20)]
    assert max(drift) > 0.05


def test_time_split_by_rows_keeps_order():
    df = frame(30)
    train, val, test = time_split(df, test_size=5, val_size=5)
    assert list(test.x) == list(range(25, 30))
    assert list(val.x) == list(range(20, 25))
    assert list(train.x) == list(range(20))


def test_time_split_by_days_sorts_by_the_time_column():
    hours = pd.date_range("2024-01-01", periods=24 * 10, freq="h")
    df = pd.DataFrame({"when": hours.astype(str), "y": np.arange(240)})
    df = df.sample(frac=1.0, random_state=0)  # shuffled on disk
    train, val, test = time_split(df, test_days=2, val_days=3, time_column="when")
    assert len(test) == 48 and len(val) == 72 and len(train) == 120
    assert test.when.min() == "2024-01-09 00:00:00"
    assert val.when.min() == "2024-01-06 00:00:00" and val.when.max() == "2024-01-08 23:00:00"
    assert pd.to_datetime(train.when).is_monotonic_increasing


def test_split_errors_name_the_problem():
    df = frame(10)
    with pytest.raises(ValueError, match="no training rows"):
        train_val_test_split(df, val_size=0.5, test_size=0.5)
    with pytest.raises(ValueError, match="stratify column 'nope'"):
        train_val_test_split(df, stratify="nope")
    with pytest.raises(ValueError, match="exactly one of test_size"):
        time_split(df)
    with pytest.raises(ValueError, match="need time_column"):
        time_split(df, test_days=2)
    with pytest.raises(TypeError, match="test_size"):
        split_indices(10, test_size="half")
    with pytest.raises(ValueError, match="whole row count"):
        split_indices(10, test_size=2.5)


@pytest.mark.parametrize("n_test", [1, 2, 3, 11, 25])
def test_stratified_row_counts_are_exact(n_test):
    labels = np.array(["a"] * 40 + ["b"] * 35 + ["c"] * 2 + ["d"])
    train, val, test = split_indices(len(labels), 9, n_test, seed=3, stratify=labels)
    assert len(test) == n_test and len(val) == 9
    assert set(labels[train]) == {"a", "b", "c", "d"}  # every class keeps a training row
    if n_test >= 11:  # proportions as close as whole rows allow
        share = n_test * 40 / len(labels)
        assert abs(int((labels[test] == "a").sum()) - share) < 1


def test_stratified_split_refuses_what_would_empty_a_class():
    labels = np.array(["a", "b", "c", "d"])
    with pytest.raises(ValueError, match="leave every class a training row"):
        split_indices(4, 0, 1, seed=0, stratify=labels)
