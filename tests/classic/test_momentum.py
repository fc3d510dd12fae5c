import numpy as np
import pytest

from glassnet.classic import momentum as M


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    return M.lesson(quick=True, verbose=False, out=tmp_path_factory.mktemp("momentum"))


def test_momentum_runs_down_the_curved_valley(lesson_run):
    runs = lesson_run["valley"]["runs"]
    assert runs[0.9]["distance"] < 1e-3 and runs[0.9]["steps_to_tol"] is not None
    assert runs[0.0]["distance"] > 0.5 and runs[0.0]["steps_to_tol"] is None


def test_momentum_escapes_the_local_minimum(lesson_run):
    runs = lesson_run["local_minimum"]["runs"]
    assert runs[0.0]["end"] == pytest.approx(1.1309, abs=1e-3)  # the shallow minimum
    assert runs[0.8]["end"] == pytest.approx(1.1309, abs=1e-3)  # not enough momentum
    assert runs[0.9]["end"] == pytest.approx(-1.3008, abs=1e-3)  # over the hump
    assert runs[0.9]["f_end"] < runs[0.0]["f_end"] - 2


def test_descend_is_the_engines_sgd_rule():
    # v = beta v + g, p = p - lr v, on f(x) = x^2 / 2 (gradient x)
    path = M.descend(lambda p: p.copy(), (1.0,), lr=0.1, beta=0.5, steps=2)[:, 0]
    v1 = 1.0
    p1 = 1.0 - 0.1 * v1
    v2 = 0.5 * v1 + p1
    np.testing.assert_allclose(path, [1.0, p1, p1 - 0.1 * v2], rtol=1e-15)


@pytest.mark.parametrize("beta", [1.0, -0.1, 1.5])
def test_beta_must_be_in_0_1(beta):
    with pytest.raises(ValueError, match=r"beta must be in \[0, 1\)"):
        M.descend(M.bumpy_grad, (2.0,), 0.01, beta)


def test_lesson_figure(lesson_run, check_png):
    check_png(lesson_run["figure"])
