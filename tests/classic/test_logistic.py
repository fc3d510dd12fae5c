import contextlib
import io

import numpy as np
import pytest

from glassnet.classic import logistic as L
from glassnet.datasets.lessons import load_gradient_descent_lab

# The lab's published printout: log-loss at epochs 0, 10, ..., 90, and the final weights.
LAB_LOSSES = [0.713584519538, 0.622583521045, 0.554874408367, 0.501606141872, 0.459333464186,
              0.425255434335, 0.397346157167, 0.374146976524, 0.354599733682, 0.337927365888]
LAB_W = [-3.67329516, -3.02049558]
LAB_B = 3.28035459


def test_lab_weights_replay_global_seeding_without_touching_it():
    """The one documented use of NumPy's legacy global seeding in glassnet's tests: it checks
    that the private RandomState replays ``np.random.seed(44)`` exactly. The global state is
    saved and restored, so no other test is affected."""
    saved = np.random.get_state()  # noqa: NPY002 - the documented legacy replay check
    try:
        np.random.seed(44)  # noqa: NPY002
        expected = np.random.normal(scale=1 / 2**0.5, size=2)  # noqa: NPY002
        np.random.seed(7)  # noqa: NPY002
        before = np.random.get_state()[1].copy()  # noqa: NPY002
        got = L.lab_initial_weights(2, seed=44)
        after = np.random.get_state()[1]  # noqa: NPY002
    finally:
        np.random.set_state(saved)  # noqa: NPY002
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(before, after)  # lab_initial_weights left it alone


@pytest.fixture(scope="module")
def lab():
    X, y = load_gradient_descent_lab()
    return L.train_logistic(X, y, epochs=100, learn_rate=0.01,
                            weights=L.lab_initial_weights(2, seed=44), bias=0.0)


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    """The lesson, run once: its printout and its returned numbers."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        res = L.lesson(out=tmp_path_factory.mktemp("logistic"))
    return res, buf.getvalue()


def test_golden_lab_losses(lab):
    np.testing.assert_allclose(lab.loss[::10], LAB_LOSSES, rtol=0, atol=1e-7)


def test_golden_lab_weights(lab):
    np.testing.assert_allclose(lab.weights, LAB_W, rtol=0, atol=1e-7)
    assert lab.bias == pytest.approx(LAB_B, abs=1e-7)
    # the engine's model holds the same numbers
    np.testing.assert_allclose(lab.model.layers[0].params["W"][:, 0], LAB_W, atol=1e-7)


def test_lab_accuracy_reaches_094(lab):
    assert lab.accuracy[0] == pytest.approx(0.4)
    assert max(lab.accuracy) == pytest.approx(0.94)
    assert lab.accuracy[-1] == pytest.approx(0.94)


def test_engine_step_is_the_lab_update():
    """One per-sample step on the engine equals w += lr (y - y_hat) x, b += lr (y - y_hat)."""
    X = np.array([[0.3, -1.2]])
    w, b, lr = np.array([0.5, 0.25]), 0.1, 0.7
    res = L.train_logistic(X, [1], epochs=1, learn_rate=lr, weights=w, bias=b)
    y_hat = L.output_formula(X[0], w, b)
    np.testing.assert_allclose(res.weights, w + lr * (1 - y_hat) * X[0], atol=1e-15)
    assert res.bias == pytest.approx(b + lr * (1 - y_hat), abs=1e-15)


def test_full_batch_averages_the_gradient():
    X = np.array([[1.0, 0.0], [0.0, 2.0]])
    y = np.array([1, 0])
    w, lr = np.array([0.1, -0.2]), 0.5
    res = L.train_logistic(X, y, epochs=1, learn_rate=lr, batch="full", weights=w)
    err = y - L.output_formula(X, w, 0.0)
    np.testing.assert_allclose(res.weights, w + lr * (err @ X) / 2, atol=1e-15)


def test_log_loss_matches_the_engine():
    from glassnet.nn import BinaryCrossEntropy

    p, y = np.array([0.9, 0.2, 0.6]), np.array([1, 0, 0])
    assert np.mean(L.log_loss(y, p)) == pytest.approx(BinaryCrossEntropy()(p[:, None], y))


def test_bad_input():
    with pytest.raises(ValueError, match="batch"):
        L.train_logistic(np.zeros((2, 2)), [0, 1], batch="mini")
    with pytest.raises(ValueError, match="weights must have shape"):
        L.train_logistic(np.zeros((2, 2)), [0, 1], weights=[1.0])
    with pytest.raises(ValueError, match="y must have shape"):
        L.train_logistic(np.zeros((2, 2)), [0, 1, 1])


def test_lesson_prints_the_lab(lesson_run):
    res, text = lesson_run
    assert "========== Epoch 90 ==========" in text
    assert "Train loss:  0.71358451953" in text
    assert "Accuracy:  0.94" in text
    np.testing.assert_allclose(res["weights"], LAB_W, atol=1e-7)
    np.testing.assert_allclose(res["loss"][::10], LAB_LOSSES, rtol=0, atol=1e-7)
    assert str(res["figure"]) in text


def test_lesson_figure(lesson_run, check_png):
    res, _ = lesson_run
    assert res["figure"].name == "logistic.png"
    check_png(res["figure"])
