import contextlib
import io

import numpy as np
import pytest

from glassnet.classic import vanishing as V
from glassnet.datasets import make_moons
from glassnet.nn import Sequential


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        res = V.lesson(out=tmp_path_factory.mktemp("vanishing"), quick=True)
    return res, buf.getvalue()


def test_sigmoid_gradients_vanish(lesson_run):
    res = lesson_run[0]
    for k in (0, 1):  # at initialization and after training
        first, last = res["norms"]["sigmoid"][k][0], res["norms"]["sigmoid"][k][-1]
        assert first < 1e-3 * last
    # and they shrink layer by layer toward the input at initialization
    assert np.all(np.diff(res["norms"]["sigmoid"][0]) > 0)


@pytest.mark.parametrize("act", ["tanh", "relu"])
def test_tanh_and_relu_keep_gradients(lesson_run, act):
    res = lesson_run[0]
    for k in (0, 1):
        norms = res["norms"][act][k]
        assert norms.shape == (10,)
        assert np.all(np.isfinite(norms)) and np.all(norms > 0)
        assert norms[0] > 1e-2 * norms[-1]


def test_table_and_figure(lesson_run, check_png):
    res, text = lesson_run
    assert "first / last" in text
    assert "sigmoid init" in text
    check_png(res["figure"])


def test_gradient_norms_leave_weights_alone():
    X, y = make_moons(50, seed=1)
    model = Sequential.from_sizes([2, 8, 8, 1], "tanh", "sigmoid", seed=1)
    before = model.get_weights()
    norms = V.gradient_norms(model, X, y)
    assert norms.shape == (3,)
    for a, b in zip(before, model.get_weights()):
        for key in a:
            np.testing.assert_array_equal(a[key], b[key])


def test_unknown_activation():
    with pytest.raises(ValueError, match="activation"):
        V.measure("softplus", np.zeros((4, 2)), np.zeros(4))
