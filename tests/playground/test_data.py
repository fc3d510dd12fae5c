"""The playground's data sets, features and CSV upload."""

import numpy as np
import pytest

from glassnet.playground.data import (
    CLASSIFICATION,
    DATASETS,
    DOMAIN,
    FEATURES,
    REGRESSION,
    csv_points,
    grid_points,
    make_features,
    make_points,
    read_csv_text,
    split,
)


@pytest.mark.parametrize("name", DATASETS)
def test_each_dataset_is_repeatable_and_in_range(name):
    X, y = make_points(name, n=300, noise=0.2, seed=4)
    assert X.shape == (300, 2) and y.shape == (300,)
    np.testing.assert_array_equal(X, make_points(name, n=300, noise=0.2, seed=4)[0])
    assert not np.array_equal(X, make_points(name, n=300, noise=0.2, seed=5)[0])
    assert np.all(np.abs(X) <= DOMAIN + 3)  # noise may push a point a little past the plane
    if name in CLASSIFICATION:
        assert set(np.unique(y)) == {0.0, 1.0}
        assert 0.3 < y.mean() < 0.7
    else:
        # targets in [-1, 1], or a little past for the plane when noise moves its points
        assert name in REGRESSION and np.all(np.abs(y) <= 1.5) and y.std() > 0.1


def test_labels_follow_the_shapes_without_noise():
    X, y = make_points("circle", n=400, seed=0)
    np.testing.assert_array_equal(y, np.hypot(X[:, 0], X[:, 1]) < 2.5)
    X, y = make_points("xor", n=400, seed=0)
    np.testing.assert_array_equal(y, X[:, 0] * X[:, 1] >= 0)
    X, y = make_points("plane", n=400, seed=0)
    np.testing.assert_allclose(y, X.sum(axis=1) / 10)
    X, y = make_points("gauss", n=400, seed=0)
    assert X[y == 1].mean(axis=0) == pytest.approx([2, 2], abs=0.3)


def test_noise_flips_labels_near_the_boundary():
    X, y = make_points("circle", n=2000, noise=0.5, seed=1)
    wrong = np.mean(y != (np.hypot(X[:, 0], X[:, 1]) < 2.5))
    assert 0.05 < wrong < 0.5


def test_bad_dataset_arguments_are_named():
    with pytest.raises(ValueError, match="unknown dataset 'moons'"):
        make_points("moons")
    with pytest.raises(ValueError, match="noise must be in"):
        make_points("circle", noise=0.9)
    with pytest.raises(ValueError, match="unknown features"):
        make_features(np.zeros((2, 2)), ["x3"])


def test_features_and_split():
    X = np.array([[1.0, 2.0], [-3.0, 0.5]])
    F = make_features(X, list(FEATURES))
    np.testing.assert_allclose(F[0], [1, 2, 1, 4, 2, np.sin(1), np.sin(2)])
    a, _b, c, d = split(np.arange(10.0).reshape(5, 2), np.arange(5.0), 60)
    assert a.shape == (3, 2) and c.shape == (2, 2) and list(d) == [3.0, 4.0]


def test_grid_is_in_image_order():
    g = grid_points(3)
    np.testing.assert_array_equal(g[0], [-DOMAIN, DOMAIN])  # top left
    np.testing.assert_array_equal(g[2], [DOMAIN, DOMAIN])  # top right
    np.testing.assert_array_equal(g[-1], [DOMAIN, -DOMAIN])  # bottom right


def csv_text(n=50, sep=","):
    rng = np.random.default_rng(0)
    rows = [sep.join(["a", "b", "kind", "y", "name"])]
    for i in range(n):
        a, b = rng.normal(size=2)
        rows.append(sep.join([f"{a:.3f}", f"{b:.3f}", "7" if a > b else "3", f"{a + b:.3f}",
                              f"row{i}"]))
    return "\n".join(rows)


def test_csv_keeps_numeric_columns_and_scales_the_features():
    table = read_csv_text(csv_text(), "mine.csv")
    assert list(table.columns) == ["a", "b", "kind", "y"] and table.n_rows == 50
    X, y, problem, scaling = csv_points(table, "a", "b", "kind")
    assert problem == "classification" and scaling["classes"] == [3.0, 7.0]
    assert X.min(axis=0) == pytest.approx([-5, -5]) and X.max(axis=0) == pytest.approx([5, 5])
    np.testing.assert_array_equal(y, table.columns["kind"] == 7)
    X, y, problem, scaling = csv_points(table, "a", "b", "y")
    assert problem == "regression" and y.min() == -1 and y.max() == 1
    assert read_csv_text(csv_text(sep=";"), "semi.csv").n_rows == 50


def test_csv_rows_with_a_missing_value_are_dropped():
    text = "p,q,t\n" + "\n".join(f"{i},{i * i % 7},{i % 2}" for i in range(30)) + "\n3,,1\n"
    _X, y, _, scaling = csv_points(read_csv_text(text), "p", "q", "t")
    assert len(y) == 30 and scaling["dropped_rows"] == 1


@pytest.mark.parametrize("text, limits, message", [
    ("x" * 2000, {"max_bytes": 1000}, "up to 0.0 MB"),
    (csv_text(60), {"max_rows": 50}, "has 60 rows; the playground takes at most 50"),
    ("", {}, "is empty"),
    ("a,b\n1,2\n", {}, "at least 10"),
    ("name,city\n" + "x,y\n" * 20, {}, "at least two numeric columns"),
    ("a,b\n" + "1,2\n" * 12 + "1,2,3,4\n", {}, "could not be read as CSV"),
])
def test_csv_problems_get_a_clear_message(text, limits, message):
    with pytest.raises(ValueError, match=message):
        read_csv_text(text, "up.csv", **limits)


@pytest.mark.parametrize("args, message", [
    (("a", "b", "nope"), "no numeric column 'nope'"),
    (("a", "a", "a"), "cannot also be a feature"),
    (("a", "b", "y", "classification"), "needs exactly two"),
])
def test_csv_column_choices_are_checked(args, message):
    with pytest.raises(ValueError, match=message):
        csv_points(read_csv_text(csv_text()), *args)


def test_a_constant_feature_is_refused():
    text = "a,b,t\n" + "\n".join(f"1,{i},{i % 2}" for i in range(20))
    with pytest.raises(ValueError, match="'a' is constant"):
        csv_points(read_csv_text(text), "a", "b", "t")
