import numpy as np
import pytest

from glassnet.classic import regularization as R


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    return R.lesson(quick=True, verbose=False, out=tmp_path_factory.mktemp("l1l2"))


def test_l1_drives_weights_to_zero_l2_only_shrinks(lesson_run):
    runs = lesson_run["runs"]
    assert runs["L1"]["near_zero"] >= 50  # 65 of 168 in the lesson's run
    assert runs["L2"]["near_zero"] <= 3
    assert runs["none"]["near_zero"] <= 3
    # the zeros are mostly the weights from the 17 inputs that do not matter
    assert runs["L1"]["near_zero_unused_inputs"] >= 0.9 * runs["L1"]["near_zero"]
    # L2 keeps every weight smaller than no penalty does
    assert np.abs(runs["L2"]["weights"]).max() < np.abs(runs["none"]["weights"]).max()


def test_l1s_zeros_jitter_within_lr_times_lambda(lesson_run):
    w = lesson_run["runs"]["L1"]["weights"]
    small = np.abs(w[np.abs(w) < R.NEAR_ZERO])
    assert small.max() <= 0.05 * R.LAMBDA * 2  # lr * lambda, with the data's own pull


def test_regularized_networks_generalize_better_here(lesson_run):
    runs = lesson_run["runs"]
    assert runs["L1"]["test_mse"] < runs["none"]["test_mse"]
    assert runs["L2"]["test_mse"] < runs["none"]["test_mse"]


def test_unknown_penalty():
    with pytest.raises(ValueError, match="penalty must be"):
        R.train_with("L3", R.make_sparse_data(n=10), epochs=1)


def test_lesson_figure(lesson_run, check_png):
    check_png(lesson_run["figure"])
