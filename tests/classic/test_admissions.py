import contextlib
import io

import numpy as np
import pytest

from glassnet.classic import admissions as A
from glassnet.datasets.lessons import load_student_admissions


@pytest.fixture(scope="module")
def course_split():
    return A.prepare(replay_course=True)


def test_prepare_one_hot_and_standardize(course_split):
    X, y, Xt, yt, columns = course_split
    assert columns == ["gre", "gpa", "rank_1", "rank_2", "rank_3", "rank_4"]
    assert X.shape == (360, 6) and Xt.shape == (40, 6)
    assert y.shape == (360,) and yt.shape == (40,)
    both = np.vstack([X, Xt])
    np.testing.assert_allclose(both[:, :2].mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(both[:, :2].std(axis=0, ddof=1), 1, atol=1e-12)
    np.testing.assert_array_equal(both[:, 2:].sum(axis=1), 1)  # exactly one rank each
    raw = load_student_admissions()
    assert sorted(np.r_[y, yt]) == sorted(raw["admit"])


def test_seeded_split_is_reproducible_and_disjoint():
    a, b = A.prepare(seed=3), A.prepare(seed=3)
    np.testing.assert_array_equal(a[0], b[0])
    c = A.prepare(seed=4)
    assert not np.array_equal(a[2], c[2])
    # each split is a partition of the same 400 rows: every row used exactly once
    def all_rows(split):
        rows = np.column_stack([np.vstack([split[0], split[2]]), np.r_[split[1], split[3]]])
        return rows[np.lexsort(rows.T[::-1])]

    np.testing.assert_array_equal(all_rows(a), all_rows(c))
    np.testing.assert_array_equal(all_rows(a), all_rows(A.prepare(replay_course=True)))


def test_prepare_rejects_missing_columns():
    with pytest.raises(ValueError, match="rank"):
        A.prepare(load_student_admissions().drop(columns="rank"))


def test_course_logistic_regression_replays_0725(course_split):
    X, y, Xt, yt, _ = course_split
    model = A.train_logistic(X, y, replay_course=True)
    assert A.accuracy(model, Xt, yt) == pytest.approx(0.725)  # the course's 29 of 40
    losses = [loss for _, loss in model.course_losses_]
    assert len(losses) == 10 and losses[-1] < losses[0] < 0.3


def test_network_matches_hand_written_backprop(course_split):
    """Ten epochs of the engine equal ten epochs of the course's hand-written loop."""
    X, y, *_ = course_split
    model = A.train_network(X, y, epochs=10, learn_rate=0.5, replay_course=True)
    rs = np.random.RandomState(21)
    w_ih = rs.normal(scale=6 ** -0.5, size=(6, 2))
    w_ho = rs.normal(scale=6 ** -0.5, size=2)
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    for _ in range(10):
        h = sig(X @ w_ih)
        out = sig(h @ w_ho)
        d_out = (y - out) * out * (1 - out)
        d_hid = np.outer(d_out, w_ho) * h * (1 - h)
        w_ho = w_ho + 0.5 * (d_out @ h) / len(X)
        w_ih = w_ih + 0.5 * (X.T @ d_hid) / len(X)
    np.testing.assert_allclose(model.layers[0].params["W"], w_ih, atol=1e-12)
    np.testing.assert_allclose(model.layers[2].params["W"][:, 0], w_ho, atol=1e-12)


def test_warning_when_loss_increases(course_split, capsys):
    X, y, *_ = course_split
    A.train_logistic(X, y, epochs=100, learn_rate=100.0, replay_course=True, verbose=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 10
    values = [float(line.split()[2]) for line in lines]
    for prev, line, value in zip(values, lines[1:], values[1:]):
        assert ("WARNING - Loss Increasing" in line) == (value > prev)
    assert any("WARNING" in line for line in lines)


def test_majority_baseline():
    assert A.majority_baseline(np.array([0, 0, 1]), np.array([0, 1, 0, 0])) == 0.75
    assert A.majority_baseline(np.array([1, 1, 0]), np.array([0, 1, 0, 0])) == 0.25


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        res = A.lesson(out=tmp_path_factory.mktemp("admissions"), quick=True)
    return res, buf.getvalue()


def test_lesson_numbers(lesson_run):
    res, text = lesson_run
    assert res["logistic"] == pytest.approx(0.725)
    assert res["majority"] == pytest.approx(0.75)  # this split's 40 rows hold 10 admits
    assert "Prediction accuracy: 0.725" in text
    assert "on all 400 rows: 0.6825" in text
    for name in ("logistic", "network", "majority"):
        a = res["spread"][name]
        assert a.shape == (3,)
        assert np.all((a >= 0.4) & (a <= 1.0))
    assert 0.6 <= res["spread"]["logistic"].mean() <= 0.85
    assert 0.55 <= res["spread"]["majority"].mean() <= 0.8


def test_lesson_figure(lesson_run, check_png):
    check_png(lesson_run[0]["figure"])


def test_tour_row():
    row = A.run(quick=True, verbose=False)
    assert row["project"] == "Student admissions"
    assert row["metric"] == "test accuracy"
    # the baseline of the same split the lesson reports (0.75: the split holds few admits),
    # not the 0.68 of all 400 rows
    assert row["reference"] == "course ~0.725 (majority 0.750 on this split)"
    assert row["result"].startswith("0.725 (")
