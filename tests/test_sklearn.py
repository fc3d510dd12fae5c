"""GlassNetClassifier / GlassNetRegressor: behaviour beyond scikit-learn's generic checks."""

import importlib.util
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy.stats import loguniform
from sklearn.base import clone
from sklearn.datasets import (
    load_digits,
    make_classification,
    make_multilabel_classification,
    make_regression,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import recall_score
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from glassnet.sklearn import GlassNetClassifier, GlassNetRegressor

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)


@pytest.fixture(scope="module")
def blobs():
    X, y = make_classification(n_samples=300, n_features=8, n_informative=5, n_classes=3,
                               random_state=0)
    return StandardScaler().fit_transform(X), y


def test_importing_glassnet_does_not_import_sklearn():
    code = "import sys, glassnet, glassnet.nn; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT / "src")}, check=True)
    assert out.stdout.strip() == "False"


def test_random_search_pipeline_on_digits(digits):
    X_tr, X_te, y_tr, y_te = digits
    pipe = make_pipeline(StandardScaler(), GlassNetClassifier(max_iter=40, random_state=0))
    search = RandomizedSearchCV(
        pipe,
        {"glassnetclassifier__learning_rate_init": loguniform(1e-3, 1e-2),
         "glassnetclassifier__hidden_layer_sizes": [(64,), (128,), (128, 64)]},
        n_iter=3, cv=3, random_state=0,
    )
    search.fit(X_tr, y_tr)
    assert set(search.best_params_) == {"glassnetclassifier__learning_rate_init",
                                        "glassnetclassifier__hidden_layer_sizes"}
    assert search.score(X_te, y_te) >= 0.97


def test_grid_search_changes_the_network():
    X, y = make_regression(n_samples=120, n_features=5, noise=1.0, random_state=0)
    y = (y - y.mean()) / y.std()
    grid = GridSearchCV(GlassNetRegressor(max_iter=30, random_state=0),
                        {"hidden_layer_sizes": [(4,), (32,)]}, cv=2).fit(X, y)
    sizes = [W.shape for W in grid.best_estimator_.coefs_]
    assert sizes[0] == (5, grid.best_params_["hidden_layer_sizes"][0])


def _load_compare():
    spec = importlib.util.spec_from_file_location("sklearn_compare",
                                                  ROOT / "benchmarks" / "sklearn_compare.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_matches_mlp_on_breast_cancer_same_splits_and_budget():
    results = _load_compare().compare("breast_cancer", epochs=30, seeds=[0, 1])
    ours = np.mean(results["glassnet"]["scores"])
    theirs = np.mean(results["sklearn MLP"]["scores"])
    assert ours >= theirs - 0.01, (ours, theirs)


def test_partial_fit_continues_the_optimizer(blobs):
    # k calls of partial_fit = fit for k epochs: same shuffles (the model's generator) and the
    # same Adam moments; a fresh optimizer per call would give other weights.
    X, y = blobs
    params = dict(hidden_layer_sizes=(8,), random_state=3, n_iter_no_change=100, max_iter=5)
    full = GlassNetClassifier(**params).fit(X, y)
    inc = GlassNetClassifier(**params)
    for _ in range(5):
        inc.partial_fit(X, y, classes=np.unique(y))
    assert inc.n_iter_ == full.n_iter_ == 5
    np.testing.assert_allclose(inc.loss_curve_, full.loss_curve_, rtol=1e-6)
    for a, b in zip(inc.coefs_, full.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="classes"):
        GlassNetClassifier().partial_fit(X, y)
    with pytest.raises(ValueError, match=r"\[7\]"):
        inc.partial_fit(X[:3], [0, 1, 7])


def test_regressor_partial_fit_continues_the_optimizer(blobs):
    X, _ = blobs
    y = X @ np.arange(X.shape[1]) / 10
    params = dict(hidden_layer_sizes=(8,), random_state=1, n_iter_no_change=100, max_iter=4,
                  batch_size=64)
    full = GlassNetRegressor(**params).fit(X, y)
    inc = GlassNetRegressor(**params)
    for _ in range(4):
        inc.partial_fit(X, y)
    np.testing.assert_allclose(inc.predict(X), full.predict(X), rtol=1e-5, atol=1e-6)


def test_class_weight_is_a_sample_weight_per_class(blobs):
    X, y = blobs
    params = dict(hidden_layer_sizes=(8,), max_iter=10, random_state=0, dtype="float64")
    by_class = GlassNetClassifier(**params, class_weight={0: 3.0, 1: 1.0, 2: 0.5}).fit(X, y)
    by_sample = GlassNetClassifier(**params).fit(X, y, sample_weight=np.array([3.0, 1, 0.5])[y])
    np.testing.assert_allclose(by_class.predict_proba(X), by_sample.predict_proba(X), rtol=1e-12)


def test_warm_start_and_stopping_rule(blobs):
    X, y = blobs
    est = GlassNetClassifier((8,), max_iter=5, warm_start=True, random_state=0)
    est.fit(X, y)
    first = est.coefs_[0].copy()
    est.fit(X, y)
    assert est.n_iter_ == 10 and len(est.loss_curve_) == 10
    assert not np.allclose(first, est.coefs_[0])  # continued, not restarted
    # the stopping rule: stop once the loss has not improved by tol for n_iter_no_change epochs
    est = GlassNetClassifier((8,), max_iter=500, tol=1e9, n_iter_no_change=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        est.fit(X, y)
    assert est.n_iter_ == 3 + 2  # one improving epoch, then 3 allowed, stop on the 4th
    assert est.best_loss_ == min(est.loss_curve_)


def test_early_stopping_keeps_the_best_epoch(blobs):
    X, y = blobs
    est = GlassNetClassifier((16,), max_iter=300, early_stopping=True, n_iter_no_change=5,
                              validation_fraction=0.2, random_state=0).fit(X, y)
    assert len(est.validation_scores_) == est.n_iter_ < 300
    assert est.best_validation_score_ == max(est.validation_scores_)
    assert est.best_loss_ is None
    # the restored weights score best_validation_score_ on the same held-out rows
    _, X_val, _, y_val = train_test_split(X, y, test_size=0.2, stratify=y, random_state=int(
        np.random.SeedSequence(0).spawn(2)[1].generate_state(1)[0]))
    assert est.score(X_val, y_val) == pytest.approx(est.best_validation_score_)
    with pytest.raises(ValueError, match="early_stopping"):
        est.partial_fit(X, y)


def test_multilabel_classification():
    X, Y = make_multilabel_classification(n_samples=300, n_classes=4, random_state=0)
    X = StandardScaler().fit_transform(X)
    est = GlassNetClassifier((32,), max_iter=200, random_state=0).fit(X, Y)
    proba = est.predict_proba(X)
    assert proba.shape == Y.shape and est.predict(X).shape == Y.shape
    np.testing.assert_array_equal(est.predict(X), (proba > 0.5).astype(int))
    assert est.score(X, Y) > 0.6  # exact match of all four labels, well above chance (1/16)
    np.testing.assert_allclose(np.exp(est.predict_log_proba(X)), proba, rtol=1e-6)


def test_multioutput_regression_and_losses():
    X, Y = make_regression(n_samples=200, n_features=6, n_targets=3, noise=0.5, random_state=0)
    Y = (Y - Y.mean(0)) / Y.std(0)
    for loss in ["squared_error", "absolute_error", "huber"]:
        est = GlassNetRegressor((32,), max_iter=200, loss=loss, learning_rate_init=0.01,
                                random_state=0).fit(X, Y)
        assert est.predict(X).shape == (200, 3)
        assert est.score(X, Y) > 0.9, loss
    with pytest.raises(ValueError, match="loss"):
        GlassNetRegressor(loss="poisson").fit(X, Y)


def test_sparse_input_matches_dense(blobs):
    X, y = blobs
    X = np.where(np.abs(X) < 0.5, 0.0, X)
    params = dict(hidden_layer_sizes=(8,), max_iter=20, random_state=0, dtype="float64")
    dense = GlassNetClassifier(**params).fit(X, y)
    sparse = GlassNetClassifier(**params).fit(sp.csr_matrix(X), y)
    np.testing.assert_allclose(sparse.predict_proba(sp.csc_matrix(X)), dense.predict_proba(X),
                               rtol=1e-8, atol=1e-10)


def test_class_weight_balanced_helps_the_minority_class():
    X, y = make_classification(n_samples=600, n_features=6, weights=[0.92, 0.08], flip_y=0.05,
                               class_sep=0.5, random_state=0)
    plain = GlassNetClassifier((16,), max_iter=100, random_state=0).fit(X, y)
    balanced = clone(plain).set_params(class_weight="balanced").fit(X, y)
    assert recall_score(y, balanced.predict(X)) > recall_score(y, plain.predict(X)) + 0.1


def test_model_is_the_glassnet_network(blobs):
    X, y = blobs
    est = GlassNetClassifier((8, 4), activation="tanh", dropout=0.2, random_state=0,
                              max_iter=20).fit(X, y)
    names = [type(layer).__name__ for layer in est.model_.layers]
    assert names == ["Dense", "Tanh", "Dropout", "Dense", "Tanh", "Dropout", "Dense", "Softmax"]
    np.testing.assert_allclose(est.predict_proba(X), est.model_.predict(X), rtol=1e-5)
    assert est.loss_curve_[-1] < est.loss_curve_[0]


def test_log_proba_does_not_underflow():
    X = np.array([[-1.0], [1.0]] * 20)
    y = np.array([0, 1] * 20)
    est = GlassNetClassifier((), learning_rate_init=0.5, max_iter=200, random_state=0).fit(X, y)
    far = np.array([[-400.0], [400.0]])
    log_p = est.predict_log_proba(far)
    assert np.all(np.isfinite(log_p))
    assert log_p[0, 1] < -100 and log_p[1, 0] < -100


def test_feature_names_and_bad_parameters():
    df = pd.DataFrame({"a": [0.0, 1, 2, 3] * 5, "b": [1.0, 0, 1, 0] * 5})
    est = GlassNetRegressor((4,), max_iter=5, random_state=0).fit(df, df["a"] * 2)
    assert list(est.feature_names_in_) == ["a", "b"] and est.n_features_in_ == 2
    for params, name in [({"alpha": -1}, "alpha"), ({"solver": "lbfgs"}, "solver"),
                         ({"hidden_layer_sizes": (0,)}, "hidden_layer_sizes"),
                         ({"dtype": "float16"}, "dtype"), ({"dropout": 1.0}, "dropout"),
                         ({"random_state": "x"}, "random_state")]:
        with pytest.raises(ValueError, match=name):
            GlassNetRegressor(**params).fit(df, df["a"])


@pytest.mark.parametrize("Est", [GlassNetClassifier, GlassNetRegressor])
def test_predictions_follow_the_input_precision_and_ignore_the_other_rows(Est):
    rng = np.random.default_rng(0)
    X = 3 * rng.uniform(size=(40, 5))
    y = (X[:, 0] > 1.5).astype(int) if Est is GlassNetClassifier else X @ rng.normal(size=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est = Est(hidden_layer_sizes=(16,), max_iter=20, random_state=0).fit(X, y)
    method = est.predict_proba if Est is GlassNetClassifier else est.predict
    full = method(X)
    assert full.dtype == np.float64
    one_by_one = np.concatenate([method(X[i:i + 1]) for i in range(len(X))])
    np.testing.assert_allclose(one_by_one, full, rtol=0, atol=1e-12)
    as32 = method(X.astype(np.float32))  # computed at the weights' own float32 precision
    assert not np.array_equal(as32, full)
    np.testing.assert_allclose(as32, full, rtol=1e-4, atol=1e-5)
