"""``glassnet search`` end to end, and bad input that must leave an existing study untouched."""

import hashlib

import numpy as np
import pandas as pd
import pytest
from tune_helpers import finished, run_cli, trials_of, write_toy

from glassnet.config import TrainConfig
from glassnet.io import load_bundle
from glassnet.tabular import predict_frame
from glassnet.tune import Float, SearchSpace, search


def test_search_cli_end_to_end(toy, tmp_path):
    data, space = toy
    r = run_cli(data, "--target", "y", "--space", space, "--trials", 5, "--study", "toy",
                "--out", "out", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    # default storage: an SQLite file in the --out folder, with the search's other files
    assert (tmp_path / "out" / "glassnet-search.db").is_file()
    assert not (tmp_path / "glassnet-search.db").exists()
    trials = trials_of(f"sqlite:///{tmp_path / 'out' / 'glassnet-search.db'}", "toy")
    assert len(finished(trials)) == 5
    assert "best trials of 'toy'" in r.stdout and r.stdout.count("trial ") >= 5
    out = tmp_path / "out"
    for name in ("optimization_history.png", "param_importances.png", "metric_vs_params.png"):
        assert (out / name).read_bytes().startswith(b"\x89PNG"), name
    cfg = TrainConfig.from_toml(out / "best.toml")
    best = min((t for t in trials if t.state.name == "COMPLETE"), key=lambda t: t.value)
    assert cfg.lr == pytest.approx(best.params["lr"]) and cfg.activation == best.params[
        "activation"]
    bundle = load_bundle(out / "best_model.npz")
    assert bundle.extra["best_trial"] == best.number and bundle.extra["target"] == "y"
    assert bundle.config.lr == pytest.approx(best.params["lr"])
    # the data path of glassnet train: a and b standardized, the string column c one-hot
    assert bundle.preprocessor.roles_["c"] == "categorical"
    assert bundle.model.n_features == bundle.preprocessor.n_features_ >= 5
    assert "test mae" in r.stdout
    # and the saved model works with the commands of glassnet train (predict, evaluate)
    frame = pd.read_csv(data)
    pred, _ = predict_frame(bundle.model, bundle.preprocessor, frame)
    truth = frame["y"].to_numpy()
    assert np.mean(np.abs(pred - truth)) < np.mean(np.abs(truth - truth.mean()))


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def existing(tmp_path_factory):
    """A finished two-trial study that every bad call below must leave as it is."""
    folder = tmp_path_factory.mktemp("existing")
    data = write_toy(folder)
    frame = pd.read_csv(data)
    space = SearchSpace({"lr": Float(1e-3, 1e-1, log=True)}, fixed={"epochs": 3})
    db = folder / "glassnet-out" / "search-s" / "glassnet-search.db"  # where the CLI looks
    db.parent.mkdir(parents=True)
    search(frame[["a", "b"]].to_numpy(), frame["y"].to_numpy(), space, task="regression",
           n_trials=2, storage=f"sqlite:///{db}", study_name="s", verbose=False)
    return folder, data


BAD_SPACES = {
    "unknown": ('[space]\nlearning_rate = { low = 0.001, high = 0.1 }\n',
                "unknown hyperparameter 'learning_rate'"),
    "inverted": ('[space]\nlr = { low = 0.1, high = 0.001, log = true }\n',
                 "lr range is inverted"),
    "empty": ('[space]\nl2 = { low = 0.01, high = 0.01 }\n', "l2 range is empty"),
}


@pytest.mark.parametrize("case", [*BAD_SPACES, "target", "storage"])
def test_bad_input_is_one_line_exit_2_and_study_untouched(existing, case):
    folder, data = existing
    db = folder / "glassnet-out" / "search-s" / "glassnet-search.db"
    before = _digest(db)
    args = [data, "--target", "y", "--trials", 4, "--study", "s", "--resume"]
    if case in BAD_SPACES:
        (folder / f"{case}.toml").write_text(BAD_SPACES[case][0])
        args += ["--space", folder / f"{case}.toml"]
        expected = BAD_SPACES[case][1]
    elif case == "target":
        args[2] = "magnitude"
        expected = "target column 'magnitude' is not in"
    else:
        args += ["--storage", "postgresql://glassnet:secret@127.0.0.1:1/nowhere"]
        expected = "cannot open storage postgresql://glassnet:***@127.0.0.1:1/nowhere"
    r = run_cli(*args, cwd=folder)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("glassnet: error:"), r.stderr
    assert expected in lines[0]
    assert "secret" not in r.stderr
    assert _digest(db) == before
    assert len(finished(trials_of(f"sqlite:///{db}", "s"))) == 2


def test_existing_study_needs_resume(existing):
    folder, data = existing
    r = run_cli(data, "--target", "y", "--trials", 3, "--study", "s", cwd=folder)
    assert r.returncode == 2 and "pass --resume" in r.stderr
