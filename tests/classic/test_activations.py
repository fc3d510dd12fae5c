import numpy as np
import pytest

from glassnet.classic import activations as A


@pytest.mark.parametrize("name", A.NAMES)
def test_engine_derivative_matches_the_formula(name):
    x = np.linspace(-6, 6, 241)
    x = x[np.abs(x) > 1e-9]  # the kinks at 0 have no derivative
    np.testing.assert_allclose(A.derivative(name, x), A.FORMULAS[name](x), rtol=1e-12,
                               atol=1e-15)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu"])
def test_engine_derivative_matches_central_differences(name):
    x = np.array([-3.0, -0.7, 0.4, 2.5])
    h = 1e-6
    numeric = (A.evaluate(name, x + h)[0] - A.evaluate(name, x - h)[0]) / (2 * h)
    np.testing.assert_allclose(A.derivative(name, x), numeric, rtol=1e-7, atol=1e-9)


def test_table_golden_numbers():
    t = A.activation_table()
    assert t["sigmoid"]["f(0)"] == 0.5 and t["sigmoid"]["f'(0)"] == 0.25
    assert t["sigmoid"]["max f'"] == 0.25  # the 1/4 behind vanishing gradients
    assert t["tanh"]["f'(0)"] == 1.0 and t["tanh"]["max f'"] == 1.0
    assert t["relu"]["f'(5)"] == 1.0 and t["relu"]["f(-5)"] == 0.0
    assert t["leaky_relu"]["f(-5)"] == pytest.approx(-5 * A.LEAKY_ALPHA)
    assert t["step"]["max f'"] == 0.0
    assert t["sigmoid"]["f'(5)"] == pytest.approx(0.0066480567, rel=1e-8)


def test_lesson(tmp_path, capsys, check_png):
    res = A.lesson(out=tmp_path)
    assert "0.25" in capsys.readouterr().out
    check_png(res["figure"])


def test_unknown_activation():
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        A.evaluate("swish", [0.0])
