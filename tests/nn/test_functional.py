import warnings

import numpy as np
import pytest

from glassnet.nn import functional as F


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_extremes_are_finite_and_exact(dtype):
    x = np.array([-1000, -50, 0, 50, 1000], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = F.sigmoid(x)
    assert y.dtype == dtype
    np.testing.assert_allclose(y, [0, 1 / (1 + np.exp(50.0)), 0.5, 1 / (1 + np.exp(-50.0)), 1],
                               rtol=1e-6)


def test_sigmoid_single_neuron_golden():
    # The lessons' neuron: inputs [0.7, -0.3], weights [0.1, 0.8], bias -0.1.
    h = np.dot([0.7, -0.3], [0.1, 0.8]) - 0.1
    assert abs(F.sigmoid(h) - 0.43290709503) < 1e-10


def test_log_sigmoid_and_softplus_stable():
    x = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
    np.testing.assert_allclose(F.log_sigmoid(x), [-1000, np.log(1 / (1 + np.e)), np.log(0.5),
                                                  np.log(1 / (1 + np.exp(-1))), 0], atol=1e-12)
    np.testing.assert_allclose(F.softplus(x), -F.log_sigmoid(-x))
    assert np.all(np.isfinite(F.softplus(x)))


def test_softmax_golden_and_shift_invariance():
    np.testing.assert_allclose(F.softmax([1.0, 2.0, 3.0]), [0.09003057, 0.24472847, 0.66524096],
                               atol=1e-8)
    z = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -999.0, -998.0]])
    p = F.softmax(z, axis=1)
    np.testing.assert_allclose(p, np.tile([0.09003057, 0.24472847, 0.66524096], (2, 1)),
                               atol=1e-8)
    np.testing.assert_allclose(F.log_softmax(z, axis=1), np.log(p), atol=1e-12)


def test_log_softmax_where_softmax_underflows():
    z = np.array([[0.0, -2000.0]])
    np.testing.assert_allclose(F.log_softmax(z), [[0.0, -2000.0]])


def test_logsumexp_matches_naive_and_handles_minus_inf():
    x = np.array([[1.0, 2.0, 3.0], [-np.inf, -np.inf, -np.inf]])
    out = F.logsumexp(x, axis=1)
    assert out[0] == pytest.approx(np.log(np.exp(1) + np.exp(2) + np.exp(3)))
    assert out[1] == -np.inf
    assert F.logsumexp(np.array([1000.0, 1000.0])) == pytest.approx(1000 + np.log(2))


def test_relu_leaky_step_tanh():
    x = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(F.relu(x), [0, 0, 3])
    np.testing.assert_allclose(F.leaky_relu(x, 0.1), [-0.2, 0, 3])
    np.testing.assert_array_equal(F.step(x), [0, 1, 1])  # h >= 0 fires, as the lessons define it
    np.testing.assert_allclose(F.tanh(x), np.tanh(x))


def test_one_hot():
    np.testing.assert_array_equal(F.one_hot([2, 0], 3), [[0, 0, 1], [1, 0, 0]])
    assert F.one_hot([1, 0]).shape == (2, 2)
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        F.one_hot([0, 3], 3)
    with pytest.raises(ValueError, match="1-D"):
        F.one_hot([[0]], 2)
