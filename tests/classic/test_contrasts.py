import numpy as np
import pytest

from glassnet.classic import contrasts as C
from glassnet.classic.perceptron import perceptron_step
from glassnet.nn import MAELoss, SSELoss


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    return C.lesson(verbose=False, out=tmp_path_factory.mktemp("contrasts"))


def test_step_error_is_flat_almost_everywhere_the_log_loss_nowhere(lesson_run):
    dc = lesson_run["discrete"]
    assert dc["flat_share_step"] > 0.9  # no slope to descend
    assert dc["flat_share_sigmoid"] == 0.0
    assert np.all(np.diff(dc["misclassified"]) % 1 == 0)  # whole points at a time
    # the log-loss is smooth with its minimum inside the sweep
    assert 0 < int(np.argmin(dc["log_loss"])) < len(dc["biases"]) - 1


def test_only_misclassified_points_move_the_perceptron(lesson_run):
    pg = lesson_run["perceptron_vs_gd"]
    assert pg["gradient_moved_by"] == len(pg["y"]) == 100
    assert 0 < pg["perceptron_moved_by"] < 100
    assert set(np.unique(pg["perceptron_pulls"])) <= {0.0, 1.0}
    assert np.all(pg["gradient_pulls"] > 0)
    # the pass is the perceptron module's own trick, point for point
    W, b = perceptron_step(pg["X"], pg["y"], *pg["start"], learn_rate=0.01)
    np.testing.assert_allclose(pg["perceptron"][0], W, rtol=1e-13)
    assert pg["perceptron"][1] == pytest.approx(b, abs=1e-13)


def test_combining_two_models_quiz(lesson_run):
    got = dict(lesson_run["quiz"])
    assert round(got[(3.0, 5.0, -2.2)], 4) == 0.8808
    assert round(got[(2.0, 6.0, -2.0)], 4) == 0.9168
    assert round(got[(5.0, 4.0, -3.0)], 4) == 0.8022


def test_combined_boundary_is_not_a_line():
    # where p = 0.5 crosses each vertical line x1 = const: the boundary's height at x1
    x2 = np.linspace(-0.25, 1.25, 30001)

    def height(x1):
        _, _, p = C.combined_models(np.full_like(x2, x1), x2)
        return x2[np.argmax(p > 0.5)]

    h = [height(x1) for x1 in (0.45, 0.5, 0.75, 1.0)]
    slopes = np.diff(h) / np.diff([0.45, 0.5, 0.75, 1.0])
    # steeply down, then down gently, then up: a curve, which no single line can draw
    assert slopes[0] < -3 and -1 < slopes[1] < 0 < slopes[2]


def test_squared_error_finds_the_mean_absolute_the_median(lesson_run):
    sa = lesson_run["squared_vs_absolute"]
    assert sa["squared_path"][-1] == pytest.approx(sa["mean"], abs=0.01)
    assert abs(sa["absolute_path"][-1] - sa["median"]) <= 0.1 + 1e-12
    # the absolute error's slope never shrinks: it still steps by lr at the end
    assert sa["absolute_last_steps"][-1] == pytest.approx(0.1)
    np.testing.assert_array_equal(np.abs(sa["absolute_slope"][sa["error"] != 0]), 1.0)


def test_fit_constant_uses_the_engines_loss_gradients():
    # SSE: dE/dc = sum (c - y); one step from 0 with lr 0.1 on [1, 3] moves c to 0.4
    assert C.fit_constant([1.0, 3.0], SSELoss(), lr=0.1, steps=1)[-1] == pytest.approx(0.4)
    # MAE (summed): dE/dc = sum sign(c - y) = -2
    assert C.fit_constant([1.0, 3.0], MAELoss(reduction="sum"), lr=0.1,
                          steps=1)[-1] == pytest.approx(0.2)


def test_lesson_figure(lesson_run, check_png):
    check_png(lesson_run["figure"])
