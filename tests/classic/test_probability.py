import doctest

import numpy as np
import pytest

from glassnet.classic import probability as Pr
from glassnet.nn import CrossEntropy


def test_doctests_pass():
    result = doctest.testmod(Pr)
    assert result.attempted >= 10
    assert result.failed == 0


def test_softmax_golden():
    np.testing.assert_allclose(Pr.softmax([1, 2, 3]), [0.09003057, 0.24472847, 0.66524096],
                               atol=1e-8)


def test_lesson_cross_entropies():
    assert Pr.cross_entropy([1, 1, 0, 0], [0.6, 0.2, 0.9, 0.3]) == pytest.approx(4.78, abs=0.01)
    assert Pr.cross_entropy([1, 1, 0, 0], [0.7, 0.9, 0.2, 0.4]) == pytest.approx(1.20, abs=0.01)


def test_cross_entropy_is_minus_log_likelihood():
    p_true = np.array([0.6, 0.2, 0.1, 0.7])
    assert Pr.cross_entropy([1, 1, 0, 0], [0.6, 0.2, 0.9, 0.3]) == pytest.approx(
        -np.log(Pr.likelihood(p_true)))


def test_multiclass_matches_engine_sum():
    rng = np.random.default_rng(0)
    P = rng.dirichlet(np.ones(3), size=5)
    labels = rng.integers(0, 3, size=5)
    Y = np.eye(3)[labels]
    engine = CrossEntropy(reduction="sum")(P, labels)
    assert Pr.multiclass_cross_entropy(Y, P) == pytest.approx(engine, rel=1e-12)


def test_bad_input():
    with pytest.raises(ValueError, match=r"\(0, 1\)"):
        Pr.cross_entropy([1, 0], [0.5, 1.0])
    with pytest.raises(ValueError, match="not in classes"):
        Pr.one_hot(["duck", "otter"])
    with pytest.raises(ValueError, match="sum to 1"):
        Pr.multiclass_cross_entropy([[1, 0]], [[0.5, 0.6]])
    with pytest.raises(ValueError, match="shape"):
        Pr.cross_entropy([1, 0, 1], [0.5, 0.5])
