import numpy as np
import pytest

from glassnet.classic import digits as D


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    return D.lesson(quick=True, verbose=False, out=tmp_path_factory.mktemp("digits"))


def test_softmax_network_reads_the_digits(lesson_run):
    assert lesson_run["accuracy"] >= 0.97
    assert lesson_run["n_test"] == 449 and lesson_run["n_train"] == 1348
    assert lesson_run["model"].n_params == 64 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10


def test_misclassified_digits_are_the_wrong_ones(lesson_run):
    r = lesson_run
    wrong = r["wrong"]
    assert len(wrong) == r["n_test"] - round(r["accuracy"] * r["n_test"])
    assert np.all(r["predicted"][wrong] != r["y_test"][wrong])
    assert r["confusion"].sum() == r["n_test"]
    assert np.trace(r["confusion"]) == r["n_test"] - len(wrong)


def test_split_is_stratified_and_flattened():
    X, y, Xt, yt, images = D.split_digits()
    assert X.shape == (1348, 64) and Xt.shape == (449, 64) and images.shape == (449, 8, 8)
    np.testing.assert_array_equal(Xt, images.reshape(449, 64) / 16)
    assert X.max() == 1.0 and X.min() == 0.0
    share = np.bincount(yt, minlength=10) / np.bincount(np.r_[y, yt], minlength=10)
    assert np.all(np.abs(share - 0.25) < 0.02)


def test_lesson_figure_and_report(lesson_run, check_png):
    check_png(lesson_run["figure"])
    assert f"test accuracy {lesson_run['accuracy']:.4f}" in D.report(lesson_run)
