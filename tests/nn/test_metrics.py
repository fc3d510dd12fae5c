import numpy as np
import pytest

from glassnet.nn import metrics

sk = pytest.importorskip("sklearn.metrics")


def test_classification_metrics_match_sklearn():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 3, 200), rng.integers(0, 3, 200)
    assert metrics.accuracy(y_true, y_pred) == pytest.approx(sk.accuracy_score(y_true, y_pred))
    np.testing.assert_array_equal(metrics.confusion_matrix(y_true, y_pred),
                                  sk.confusion_matrix(y_true, y_pred))
    for avg in ("macro", "weighted"):
        p, r, f = metrics.precision_recall_f1(y_true, y_pred, average=avg)
        sp, sr, sf, _ = sk.precision_recall_fscore_support(y_true, y_pred, average=avg)
        assert (p, r, f) == pytest.approx((sp, sr, sf))
    yb, pb = y_true % 2, y_pred % 2
    p, r, f = metrics.precision_recall_f1(yb, pb)
    assert (p, r, f) == pytest.approx((sk.precision_score(yb, pb), sk.recall_score(yb, pb),
                                       sk.f1_score(yb, pb)))


def test_regression_metrics_match_sklearn():
    rng = np.random.default_rng(1)
    y, p = rng.normal(size=(50, 2)), rng.normal(size=(50, 2))
    assert metrics.mse(y, p) == pytest.approx(sk.mean_squared_error(y, p))
    assert metrics.mae(y, p) == pytest.approx(sk.mean_absolute_error(y, p))
    assert metrics.r2(y, p) == pytest.approx(sk.r2_score(y, p))
    np.testing.assert_allclose(metrics.r2(y, p, multioutput="raw_values"),
                               sk.r2_score(y, p, multioutput="raw_values"))
    assert metrics.rmse(y[:, 0], p[:, 0]) == pytest.approx(np.sqrt(sk.mean_squared_error(
        y[:, 0], p[:, 0])))


def test_metric_edge_cases():
    assert metrics.r2([1.0, 1.0], [1.0, 1.0]) == 1.0
    assert metrics.r2([1.0, 1.0], [1.0, 2.0]) == 0.0
    assert metrics.precision_recall_f1([0, 0], [0, 0]) == (0.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="at least one sample"):
        metrics.accuracy([], [])
    with pytest.raises(ValueError, match="labels"):
        metrics.accuracy([1, 2], [1])


def test_macro_averages_follow_sklearn_when_classes_are_missing_from_a_split():
    """A rare class absent from a small test set (and never predicted) does not count as 0:
    scikit-learn averages over the labels in y_true or y_pred, and so does glassnet."""
    y_true = np.array([0, 0, 1, 1, 1, 2, 2])       # classes 3..6 exist but not in this split
    y_pred = np.array([0, 1, 1, 1, 4, 2, 0])       # 4: predicted, never true
    ours = metrics.precision_recall_f1(y_true, y_pred, "macro", n_classes=7)
    theirs = sk.precision_recall_fscore_support(y_true, y_pred, average="macro",
                                                zero_division=0)[:3]
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    weighted = metrics.precision_recall_f1(y_true, y_pred, "weighted", n_classes=7)
    np.testing.assert_allclose(weighted, sk.precision_recall_fscore_support(
        y_true, y_pred, average="weighted", zero_division=0)[:3], rtol=1e-12)
    # the case: 7 classes, one present in the split: 0.1429 before, 1.0 (sklearn) now
    assert metrics.precision_recall_f1([3, 3], [3, 3], "macro", n_classes=7) == (1.0, 1.0, 1.0)
