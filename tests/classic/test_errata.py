import numpy as np
import pytest

from glassnet.classic import errata as E


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    return E.lesson(quick=True, verbose=False, out=tmp_path_factory.mktemp("errata"))


def test_backprop_lab_prints_the_last_records_loss(lesson_run):
    lab = lesson_run["backprop_lab"]
    assert lab["epochs"] == list(range(0, 900, 90))
    # what the lab prints, and what the training MSE over every record really is
    assert (round(lab["printed"][0], 4), round(lab["printed"][-1], 4)) == E.COURSE_PRINTED \
        == (0.2763, 0.2647)
    assert (round(lab["correct"][0], 4), round(lab["correct"][-1], 4)) == E.CORRECT \
        == (0.2659, 0.2529)


def test_correct_loss_is_the_admissions_lessons_own(lesson_run):
    from glassnet.classic.admissions import prepare, train_network

    X, y, *_ = prepare(replay_course=True)
    model = train_network(X, y, replay_course=True)
    engine = [loss for _, loss in model.course_losses_]
    np.testing.assert_allclose(lesson_run["backprop_lab"]["correct"], engine, rtol=1e-12)


def test_vanishing_is_the_sigmoids_slope_not_a_minimum(lesson_run):
    van = lesson_run["vanishing"]
    assert van["max_sigmoid_slope"] == 0.25
    s = van["sigmoid"]
    # far from any minimum: the loss is about a coin's, the last layer's gradient large ...
    assert s["loss"] > 0.6 and s["norms"][-1] > 0.1
    # ... while the first layer's is a millionth of it, within the (1/4)^9 bound's reach
    assert s["ratio"] < 1e-4
    assert np.all(np.diff(np.log(s["norms"])) > 0)  # shrinking layer after layer toward the input
    assert van["tanh"]["ratio"] > 0.1


def test_lesson_figure(lesson_run, check_png):
    check_png(lesson_run["figure"])
    assert "0.2763" in E.report(lesson_run) and "0.2529" in E.report(lesson_run)
