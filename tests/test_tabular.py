import json

import numpy as np
import pandas as pd
import pytest

from glassnet.config import TrainConfig, fit_config
from glassnet.data import TabularPreprocessor
from glassnet.io import load_bundle
from glassnet.nn import metrics
from glassnet.tabular import evaluate_frame, predict_frame, train_csv, train_frame


def demand(n=400, seed=0):
    """Hourly demand with a daily cycle, a weekend effect, a category and a trend."""
    rng = np.random.default_rng(seed)
    when = pd.date_range("2024-01-01", periods=n, freq="h")
    hour = when.hour.to_numpy()
    weekend = (when.day_of_week >= 5).astype(float)
    kind = rng.choice(["a", "b"], n)
    y = (100 + 40 * np.sin(2 * np.pi * hour / 24) - 20 * weekend + 15 * (kind == "b")
         + 0.05 * np.arange(n) + rng.normal(0, 3, n))
    return pd.DataFrame({"when": when.astype(str), "kind": kind, "demand": y})


FAST = TrainConfig(hidden=[32], epochs=150, lr=0.01, batch_size=32, seed=0, patience=20)


def test_regression_metrics_are_in_the_targets_units_and_match_the_predictions():
    df = demand()
    result = train_frame(df, "demand", FAST)
    model, prep, m = result.model, result.preprocessor, result.metrics
    assert m["task"] == "regression"
    assert m["rows"] == {"train": 256, "val": 64, "test": 80}
    pred, proba = result.predict(df)
    assert proba is None and pred.shape == (400,)
    # the hour and weekday features let the net learn the cycle: far better than the mean
    assert m["test"]["r2"] > 0.8
    assert m["test"]["rmse"] < 0.5 * m["baseline_test"]["rmse"]
    # evaluate's numbers are the numbers of the user-unit predictions on the raw rows
    scores, y_true, y_pred = evaluate_frame(model, prep, df)
    np.testing.assert_array_equal(y_pred, pred)
    np.testing.assert_allclose(y_true, df["demand"])
    assert scores["rmse"] == pytest.approx(metrics.rmse(df["demand"], pred), rel=1e-9)
    assert scores["r2"] == pytest.approx(metrics.r2(df["demand"], pred), rel=1e-9)


def test_time_split_tests_on_the_last_days_and_early_stopping_restores_the_best_epoch():
    df = demand(24 * 20)
    config = FAST.replace(epochs=400, patience=5)
    result = train_frame(df, "demand", config, split="time", test_days=3, time_column="when")
    m = result.metrics
    assert m["rows"]["test"] == 72
    assert m["epochs_run"] < 400 and m["best_epoch"] == m["epochs_run"] - 5
    val_loss = result.history.history["val_loss"]
    assert m["val"]["loss"] == pytest.approx(min(val_loss), rel=1e-4)


def test_classification_with_string_labels_and_probabilities():
    df = demand()
    df["busy"] = np.where(df["demand"] > df["demand"].median(), "busy", "quiet")
    result = train_frame(df.drop(columns="demand"), "busy", FAST)
    m = result.metrics
    assert m["classes"] == ["busy", "quiet"]
    assert m["test"]["accuracy"] > 0.85 and m["baseline_test"]["accuracy"] < 0.6
    labels, proba = result.predict(df)
    assert proba.shape == (400, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1, atol=1e-6)
    np.testing.assert_array_equal(labels, np.array(["busy", "quiet"])[proba.argmax(axis=1)])
    assert m["test"]["log_loss"] < np.log(2)


def test_train_csv_writes_a_model_that_predicts_the_same_after_loading(tmp_path):
    df = demand(200)
    df.to_csv(tmp_path / "d.csv", index=False)
    result = train_csv(tmp_path / "d.csv", "demand", FAST.replace(epochs=20), tmp_path / "out")
    assert set(result.files) == {"model", "metrics", "config", "learning_curve",
                                 "predicted_vs_actual", "residuals"}
    bundle = load_bundle(result.files["model"])
    np.testing.assert_array_equal(predict_frame(bundle.model, bundle.preprocessor, df)[0],
                                  result.predict(df)[0])
    saved = json.loads(result.files["metrics"].read_text())
    assert saved["test"] == pytest.approx(result.metrics["test"])
    assert saved["source"] == str(tmp_path / "d.csv")


def test_fit_config_is_reproducible_from_the_seed():
    df = demand(120)
    prep = TabularPreprocessor(target="demand")
    X, y = prep.fit_transform(df)
    config = FAST.replace(epochs=5, patience=0)
    a = fit_config(config, X, y, "regression").model.predict(X)
    b = fit_config(config, X, y, "regression").model.predict(X)
    c = fit_config(config.replace(seed=1), X, y, "regression").model.predict(X)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_a_class_only_in_the_test_period_is_reported_before_training():
    df = demand(24 * 10)
    df["level"] = np.where(np.arange(len(df)) < 225, np.where(df["demand"] > 100, "hi", "lo"),
                           "new")
    with pytest.raises(ValueError, match=r"\['new'\] of 'level' occur in the test rows"):
        train_frame(df.drop(columns="demand"), "level", FAST, split="time", test_size=24)
