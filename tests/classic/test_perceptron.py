import contextlib
import io

import numpy as np
import pytest

from glassnet.classic import perceptron as P


def test_step_is_one_at_zero():
    np.testing.assert_array_equal(P.step([-1e-9, 0.0, 1e-9]), [0.0, 1.0, 1.0])


def test_step_moves_line_only_for_mistakes():
    X = np.array([[1.0, 2.0], [3.0, -1.0]])
    W, b = np.array([1.0, 1.0]), -10.0  # h < 0 for both: both predicted 0
    # both labelled 0: nothing is wrong, nothing moves
    W1, b1 = P.perceptron_step(X, [0, 0], W, b, learn_rate=0.1)
    np.testing.assert_array_equal(W1, W)
    assert b1 == b
    # first point labelled 1: W += lr x, b += lr for it alone
    W2, b2 = P.perceptron_step(X, [1, 0], W, b, learn_rate=0.1)
    np.testing.assert_allclose(W2, W + 0.1 * X[0])
    assert b2 == pytest.approx(b + 0.1)
    np.testing.assert_array_equal(W, [1.0, 1.0])  # input not modified


def test_negative_mistake_moves_away():
    X = np.array([[2.0, 1.0]])
    W2, b2 = P.perceptron_step(X, [0], [1.0, 1.0], 0.0, learn_rate=0.5)
    np.testing.assert_allclose(W2, [0.0, 0.5])
    assert b2 == pytest.approx(-0.5)


def test_boundary_line_points_have_zero_score():
    W, b = np.array([0.3, -0.7]), 0.2
    m, c = P.boundary_line(W, b)
    for x1 in (-1.0, 0.0, 2.5):
        assert np.array([x1, m * x1 + c]) @ W + b == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 42])
def test_trick_separates_separable_data(seed):
    X, y = P.make_separable(100, seed=seed)
    res = P.train_perceptron(X, y, learn_rate=0.01, epochs=100, seed=seed)
    assert res.errors[-1] == 0
    np.testing.assert_array_equal(res.predict(X), y)
    assert len(res.lines) == len(res.errors) == len(res.weights) == 100


def test_make_separable_has_a_margin():
    X, y = P.make_separable(200, margin=0.05, seed=3)
    dist = (X[:, 1] - 0.5 * X[:, 0] - 0.25) / np.hypot(0.5, 1.0)
    assert np.all(np.abs(dist) >= 0.05)
    np.testing.assert_array_equal(y, dist > 0)


def test_as_model_runs_the_same_rule_on_the_engine():
    X, y = P.make_separable(50, seed=5)
    res = P.train_perceptron(X, y, epochs=30, seed=5)
    model = P.as_model(res.W, res.b)
    np.testing.assert_array_equal(model.predict(X)[:, 0].astype(int), res.predict(X))


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="y must have shape"):
        P.perceptron_step(np.zeros((3, 2)), [0, 1], [0.0, 0.0], 0.0)
    with pytest.raises(ValueError, match="labels 0 and 1"):
        P.train_perceptron(np.zeros((2, 2)), [0, 2])
    with pytest.raises(ValueError, match="W must have shape"):
        P.perceptron_step(np.zeros((2, 2)), [0, 1], [0.0], 0.0)
    with pytest.raises(ValueError, match="epochs"):
        P.train_perceptron(np.zeros((2, 2)), [0, 1], epochs=0)


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("perceptron")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        res = P.lesson(out=out, quick=True)
    return res, buf.getvalue(), out


def test_lesson_runs_and_separates(lesson_run):
    res, text, _ = lesson_run
    assert res["errors"][-1] == 0
    assert "misclassified 0/100" in text
    assert f"figure: {res['figure']}" in text


def test_lesson_figure(lesson_run, check_png):
    res, _, out = lesson_run
    assert res["figure"] == out / "perceptron.png"
    check_png(res["figure"])
