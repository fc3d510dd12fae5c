import numpy as np
import pytest

from glassnet.classic import network_contrasts as N


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    return N.lesson(quick=True, verbose=False, out=tmp_path_factory.mktemp("contrasts"))


def test_tanh_is_zero_centred_and_learns_faster(lesson_run):
    ts = lesson_run["tanh_vs_sigmoid"]
    assert abs(ts["tanh"]["mean_activation"]) < 0.1
    assert ts["sigmoid"]["mean_activation"] == pytest.approx(0.5, abs=0.05)
    assert ts["tanh"]["loss"][-1] < 0.5 * ts["sigmoid"]["loss"][-1]


def test_zero_start_stays_symmetric_in_a_network_not_in_logistic_regression(lesson_run):
    zi = lesson_run["zero_init"]
    assert zi["zeros"]["hidden_spread"] == 0.0  # every hidden unit identical
    assert zi["random"]["hidden_spread"] > 0.1
    W = zi["zeros"]["hidden_weights"]
    assert np.all(W == W[:, :1])
    # logistic regression from zeros learns exactly as well as from a random start
    assert zi["zeros"]["logistic_accuracy"] == pytest.approx(zi["random"]["logistic_accuracy"],
                                                            abs=0.02)
    assert zi["zeros"]["logistic_accuracy"] > 0.8


def test_parameter_counts(lesson_run):
    pt = lesson_run["parameters"]
    assert N.count_parameters([2, 4, 4, 3]) == 47  # the 9-step tutorial's check
    assert pt["nine-steps tutorial: 2-4-4-3"]["formula"] == 47
    assert pt["overfitting: 2-64-64-1"]["engine"] == 4417
    assert pt["overfitting: 2-64-64-1"]["memorise"]
    assert not pt["nine-steps tutorial: 2-4-4-3"]["memorise"]
    # the formula counts biases the 11-line network does not have: 21 against 16
    assert pt["eleven-lines 3-4-1"]["formula"] == 21 and pt["eleven-lines 3-4-1"]["engine"] == 16
    for row in pt.values():
        assert row["engine"] <= row["formula"]


def test_hyperparameters_are_not_learned():
    assert "learning rate" in N.HYPERPARAMETERS and "W" not in N.HYPERPARAMETERS


def test_lesson_figure(lesson_run, check_png):
    check_png(lesson_run["figure"])
