"""Experiment tracking, read back with each library's own reader: ``csv``, TensorBoard's
``EventAccumulator`` and ``MlflowClient`` on an SQLite store in a temporary folder."""

import csv
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from glassnet.cli import main
from glassnet.errors import UsageError
from glassnet.tracking import check_spec

pytest.importorskip("tensorboard")
pytest.importorskip("mlflow")
sys.path.insert(0, str(Path(__file__).parent / "tune"))


def write_data(path, n=200, seed=0):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"a": rng.normal(size=n), "b": rng.choice(["x", "y"], n)})
    df["label"] = np.where(df.a + (df.b == "x") > 0.5, "up", "down")
    df.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """One MLflow SQLite store for the module: creating its tables takes seconds."""
    folder = tmp_path_factory.mktemp("mlflow")
    return folder, f"sqlite:///{folder / 'mlflow.db'}"


def test_train_logs_every_epoch_the_settings_and_the_model(tmp_path, monkeypatch, store):
    from mlflow.tracking import MlflowClient
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    monkeypatch.chdir(tmp_path)  # MLflow keeps a local store's artifacts in ./mlruns
    data = write_data(tmp_path / "toys.csv")
    uri = store[1]
    assert main(["train", str(data), "--target", "label", "--hidden", "8", "--epochs", "6",
                 "--patience", "0", "--no-plots", "--out", "out",
                 "--log", "csv:logs/run.csv", "--log", "tensorboard:tb",
                 "--log", f"mlflow:{uri}"]) == 0
    test_accuracy = json.loads(Path("out/metrics.json").read_text())["test"]["accuracy"]

    with open("logs/run.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr"]
    assert [int(r["epoch"]) for r in rows] == [1, 2, 3, 4, 5, 6]
    assert {float(r["lr"]) for r in rows} == {0.001}
    losses = np.array([float(r["loss"]) for r in rows])
    summary = json.loads(Path("logs/run.json").read_text())
    assert summary["params"]["hidden"] == [8] and summary["params"]["target"] == "label"
    assert summary["final"]["test_accuracy"] == test_accuracy
    assert summary["status"] == "FINISHED"
    assert Path(summary["artifacts"][0]) == (tmp_path / "out" / "model.npz").resolve()

    events = EventAccumulator("tb")
    events.Reload()
    assert {"loss", "val_loss", "accuracy", "val_accuracy", "lr",
            "final/test_accuracy"} <= set(events.Tags()["scalars"])
    scalars = events.Scalars("loss")
    assert [s.step for s in scalars] == [1, 2, 3, 4, 5, 6]
    np.testing.assert_allclose([s.value for s in scalars], losses, rtol=1e-6)
    config = events.Tensors("config")[0].tensor_proto.string_val[0].decode()
    assert "| hidden | [8] |" in config
    assert "_hparams_/session_start_info" in events.Tags()["tensors"]

    client = MlflowClient(tracking_uri=uri)
    experiment = client.get_experiment_by_name("toys")
    (run,) = client.search_runs([experiment.experiment_id])
    assert run.info.status == "FINISHED"
    assert run.data.params["hidden"] == "[8]" and run.data.params["optimizer"] == "adam"
    history = client.get_metric_history(run.info.run_id, "loss")
    assert [m.step for m in history] == [1, 2, 3, 4, 5, 6]
    np.testing.assert_allclose([m.value for m in history], losses, rtol=1e-12)
    assert run.data.metrics["test_accuracy"] == pytest.approx(test_accuracy)
    names = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert {"model.npz", "metrics.json"} <= names


def test_each_search_trial_is_a_run_of_its_own(tmp_path, monkeypatch, store):
    from mlflow.tracking import MlflowClient
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    from tune_helpers import write_space, write_toy

    monkeypatch.chdir(tmp_path)
    data, space = write_toy(tmp_path, n=120), write_space(tmp_path, epochs=4, patience=0)
    uri = store[1]
    assert main(["search", str(data), "--target", "y", "--space", str(space), "--trials", "2",
                 "--study", "toy", "--out", "out", "--quiet", "--no-prune",
                 "--log", "csv:trials", "--log", "tensorboard:tb", "--log", f"mlflow:{uri}"]) == 0
    for n in (0, 1):
        with open(f"trials/trial-000{n}.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        assert [int(r["epoch"]) for r in rows] == [1, 2, 3, 4]
        params = json.loads(Path(f"trials/trial-000{n}.json").read_text())["params"]
        assert params["trial"] == n and params["study"] == "toy" and params["epochs"] == 4
        events = EventAccumulator(f"tb/trial-000{n}")
        events.Reload()
        assert [s.step for s in events.Scalars("val_loss")] == [1, 2, 3, 4]
    client = MlflowClient(tracking_uri=uri)
    runs = client.search_runs([client.get_experiment_by_name("toy").experiment_id])
    assert sorted(r.info.run_name for r in runs) == ["trial-0000", "trial-0001"]
    for run in runs:
        assert run.data.tags["study"] == "toy"
        assert "val_mae" in run.data.metrics and "lr" in run.data.params
        assert len(client.get_metric_history(run.info.run_id, "val_loss")) == 4


def test_a_bad_log_value_is_a_usage_error():
    with pytest.raises(UsageError, match="--log takes csv:FILE"):
        check_spec("wandb:project")
    with pytest.raises(UsageError, match="--log takes"):
        check_spec("csv:")
    assert check_spec("mlflow:sqlite:///x.db") == ("mlflow", "sqlite:///x.db")
