import contextlib
import io

import numpy as np
import pytest

from glassnet.classic import steps as S


def test_single_neuron_step_golden():
    # the quiz: x = [0.1, 0.3], y = 0.2, w = [-0.8, 0.5], learning rate 0.5
    r = S.gradient_step(**S.SINGLE_NEURON_EXAMPLE)
    assert r["output"] == pytest.approx(0.5174928577, abs=1e-10)
    assert r["error"] == pytest.approx(-0.3174928577, abs=1e-10)
    np.testing.assert_allclose(r["del_w"], [-0.0039638, -0.0118914], rtol=0, atol=1e-7)
    # the same numbers from the formulas: h = x @ w, output = sigmoid(h), del_w = lr e y(1-y) x
    x, w = np.array([0.1, 0.3]), np.array([-0.8, 0.5])
    out = 1 / (1 + np.exp(-(x @ w)))
    np.testing.assert_allclose(r["del_w"], 0.5 * (0.2 - out) * out * (1 - out) * x,
                               rtol=1e-13)


def test_gradient_step_golden():
    r = S.gradient_step(**S.GRADIENT_EXAMPLE)
    assert r["output"] == pytest.approx(0.6899744811, abs=1e-7)
    assert r["error"] == pytest.approx(-0.1899744811, abs=1e-7)
    np.testing.assert_allclose(r["del_w"], [-0.02031869, -0.04063738, -0.06095608, -0.08127477],
                               rtol=0, atol=1e-7)
    # the engine's model has taken the step
    np.testing.assert_allclose(r["model"].layers[0].params["W"][:, 0],
                               np.add(S.GRADIENT_EXAMPLE["w"], r["del_w"]), atol=1e-15)


def test_backprop_step_golden():
    r = S.backprop_step(**S.BACKPROP_EXAMPLE)
    np.testing.assert_allclose(r["hidden"], [0.55971365, 0.38698582], rtol=0, atol=1e-7)
    assert r["output"] == pytest.approx(0.48497343, abs=1e-7)
    np.testing.assert_allclose(r["delta_W_ho"], [0.00804047, 0.00555918], rtol=0, atol=1e-7)
    np.testing.assert_allclose(
        r["delta_W_ih"],
        [[1.77005547e-04, -5.11178506e-04], [3.54011093e-05, -1.02235701e-04],
         [-7.08022187e-05, 2.04471402e-04]], rtol=1e-7, atol=1e-12)


def test_forward_pass_golden():
    r = S.forward_pass(*S.forward_pass_example())
    np.testing.assert_allclose(r["hidden"], [0.41492192, 0.42604313, 0.5002434], rtol=0,
                               atol=1e-7)
    np.testing.assert_allclose(r["output"], [0.49815196, 0.48539772], rtol=0, atol=1e-7)


def test_forward_pass_example_leaves_global_state():
    before = np.random.get_state()[1].copy()  # noqa: NPY002 - checking it is untouched
    S.forward_pass_example()
    np.testing.assert_array_equal(np.random.get_state()[1], before)  # noqa: NPY002


LESSONS = {
    "gradient-step": (S.lesson_gradient_step,
                      ["0.6899744811", "-0.1899744811",
                       "[-0.02031869 -0.04063738 -0.06095608 -0.08127477]",
                       "0.51749285766", "-0.31749285766", "[-0.0039638  -0.01189141]"]),
    "backprop-step": (S.lesson_backprop_step,
                      ["[0.00804047 0.00555918]", "1.77005547e-04", "[0.55971365 0.38698582]"]),
    "forward-pass": (S.lesson_forward_pass,
                     ["[0.41492192 0.42604313 0.5002434 ]", "[0.49815196 0.48539772]"]),
}


@pytest.fixture(scope="module", params=list(LESSONS))
def lesson_run(request, tmp_path_factory):
    func, numbers = LESSONS[request.param]
    out = tmp_path_factory.mktemp(request.param)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        res = func(out=out)
    return request.param, res, buf.getvalue(), numbers, out


def test_lesson_prints_the_numbers(lesson_run):
    _, res, text, numbers, _ = lesson_run
    for number in numbers:
        assert number in text
    assert f"figure: {res['figure']}" in text


def test_lesson_figure(lesson_run, check_png):
    name, res, _, _, out = lesson_run
    assert res["figure"] == out / f"{name}.png"
    check_png(res["figure"])


def test_mismatched_input_is_named():
    with pytest.raises(ValueError, match="x has 3 values but the first weight matrix has 4"):
        S.gradient_step([1.0, 2.0, 3.0], 0.5, [0.5, -0.5, 0.3, 0.1], 0.5)
