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
    assert Pr.cross_entropy([1, 1, 0, 0], [0.6, 0.2, 0.9, 0.3]) == pytest.approx(4.7795, abs=5e-5)
    assert Pr.cross_entropy([1, 1, 0, 0], [0.7, 0.9, 0.2, 0.4]) == pytest.approx(1.1960, abs=5e-5)


def test_course_figures_come_from_adding_rounded_terms():
    numbers = Pr.probability_numbers()
    bad, good = numbers["models"]["bad model"], numbers["models"]["good model"]
    assert (bad["course_cross_entropy"], good["course_cross_entropy"]) == (4.78, 1.19)
    assert round(bad["cross_entropy"], 4) == 4.7795
    assert round(good["cross_entropy"], 4) == 1.1960
    # the course's terms are the exact ones, rounded: -ln(0.9) = 0.1054 written as 0.1
    np.testing.assert_allclose(good["terms"], [0.3567, 0.1054, 0.2231, 0.5108], atol=5e-5)
    np.testing.assert_allclose(good["course_terms"], good["terms"], atol=0.006)
    assert round(good["cross_entropy"], 2) == 1.20  # the exact value rounds to 1.20, not 1.19
    assert bad["likelihood"] == pytest.approx(0.0084) and good["likelihood"] == pytest.approx(
        0.3024)


def test_softmax_of_the_lesson_scores():
    np.testing.assert_allclose(
        Pr.softmax(Pr.SOFTMAX_EXAMPLE),
        [0.02364054, 0.06426166, 0.1746813, 0.474833, 0.02364054, 0.06426166, 0.1746813],
        atol=1e-8)


def test_lesson_prints_both_values_and_saves_its_figure(tmp_path, capsys, check_png):
    res = Pr.lesson(out=tmp_path)
    text = capsys.readouterr().out
    for number in ("4.7795", "1.1960", "= 4.78", "= 1.19", "0.474833", "2.1893"):
        assert number in text, number
    check_png(res["figure"])


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
