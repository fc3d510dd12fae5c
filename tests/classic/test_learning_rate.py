import numpy as np
import pytest

from glassnet.classic import learning_rate as L


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    return L.lesson(quick=True, verbose=False, out=tmp_path_factory.mktemp("lr"))


def test_too_small_crawls_right_converges_too_large_diverges(lesson_run):
    runs = lesson_run["runs"]
    small, right, large = (runs[k]["loss"] for k in ("too small", "about right", "too large"))
    assert np.all(np.diff(small) < 0) and small[-1] > 0.5 * small[0]  # falls, slowly
    assert right[-1] < 0.05 * right[0]
    assert large[-1] > 1e3 * large[0]  # diverged
    assert np.all(np.isfinite(large))


def test_the_critical_rate_is_two_over_the_largest_curvature(lesson_run):
    x, y = lesson_run["x"], lesson_run["y"]
    crit = lesson_run["critical"]
    just_below = L.train_line(x, y, 0.98 * crit, steps=400)["loss"]
    just_above = L.train_line(x, y, 1.02 * crit, steps=400)["loss"]
    assert just_below[-1] < just_below[0] and just_above[-1] > just_above[0]


def test_if_it_fails_lower_the_learning_rate(lesson_run):
    tries = lesson_run["halving"]
    assert len(tries) >= 2
    assert tries[0][1] > 1 and tries[-1][1] < 1
    assert tries[1][0] == pytest.approx(tries[0][0] / 2)


def test_lesson_figure(lesson_run, check_png):
    check_png(lesson_run["figure"])
