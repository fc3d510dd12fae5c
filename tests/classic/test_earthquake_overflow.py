import numpy as np
import pytest

from glassnet.classic import earthquake_overflow as Q


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    return Q.lesson(quick=True, verbose=False, out=tmp_path_factory.mktemp("overflow"))


def test_the_tutorials_network_overflows_and_saturates(lesson_run):
    tut = lesson_run["tutorial"]
    assert tut["warnings"] >= 1
    messages = {m for e in tut["epochs"] for m in e["warnings"]}
    assert messages == {"RuntimeWarning: overflow encountered in exp"}
    first, last = tut["epochs"][0], tut["epochs"][-1]
    assert first["max_abs_z"] > 100 and first["saturated"] > 0.5  # raw inputs: z in hundreds
    assert last["overflowing"] > 0
    assert last["output_range"] == (1.0, 1.0)  # stuck at the sigmoid's ceiling, below 5.5


def test_the_fix_trains_without_a_warning(lesson_run):
    fix = lesson_run["fixed"]
    assert fix["warnings"] == []
    assert fix["max_abs_z"] < 5 and fix["saturated"] == 0.0
    assert fix["after"]["train"] < fix["before"]["train"]


def test_standardization_is_fitted_on_the_training_rows_only(lesson_run):
    X, _ = Q.load_slice()
    mean, std = lesson_run["fixed"]["scaling"]
    np.testing.assert_allclose(mean, X[:80].mean(axis=0))
    np.testing.assert_allclose(std, X[:80].std(axis=0))


def test_naive_against_stable_sigmoid(lesson_run):
    demo = lesson_run["sigmoid_at_-800"]
    assert demo["naive"] == 0.0 and demo["naive_warnings"] == [
        "RuntimeWarning: overflow encountered in exp"]
    assert demo["stable"] == 0.0 and demo["stable_warnings"] == []
    assert demo["log_sigmoid"] == -800.0
    assert Q.OVERFLOW_AT == pytest.approx(-709.78, abs=0.01)


def test_lesson_figure(lesson_run, check_png):
    check_png(lesson_run["figure"])
