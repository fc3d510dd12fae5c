"""The ``glassnet`` command through its real entry point, in a subprocess, on CSV files it has
never seen: scikit-learn's bundled wine and diabetes data exported to CSV."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_diabetes, load_wine

from glassnet.cli import main
from glassnet.io import load_bundle
from glassnet.tabular import predict_frame

SRC = Path(__file__).resolve().parents[2] / "src"


def glassnet(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(SRC), COLUMNS="120")
    return subprocess.run([sys.executable, "-m", "glassnet", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def csvs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("csv")
    wine = load_wine(as_frame=True).frame
    # Class names as strings, as a user's CSV would have them.
    wine["target"] = np.array(["barolo", "grignolino", "barbera"])[wine["target"]]
    wine.rename(columns={"target": "cultivar"}).to_csv(folder / "wine.csv", index=False)
    load_diabetes(as_frame=True, scaled=False).frame.to_csv(folder / "diabetes.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def wine_run(csvs):
    out = csvs / "wine-out"
    run = glassnet("train", csvs / "wine.csv", "--target", "cultivar", "--hidden", "16",
                   "--epochs", "150", "--patience", "30", "--out", out)
    return run, out


@pytest.fixture(scope="module")
def diabetes_run(csvs):
    out = csvs / "diabetes-out"
    run = glassnet("train", csvs / "diabetes.csv", "-t", "target", "--hidden", "16", "--lr",
                   "0.01", "--epochs", "200", "--l2", "0.001", "--out", out)
    return run, out


def test_train_classifier_on_a_csv_it_has_never_seen(wine_run):
    run, out = wine_run
    assert run.returncode == 0, run.stderr
    assert "task classification (auto: the target holds strings)" in run.stdout
    assert "accuracy" in run.stdout and "baseline on test" in run.stdout
    for name in ("model.npz", "metrics.json", "learning_curve.png", "confusion_matrix.png",
                 "run.toml"):
        assert (out / name).stat().st_size > 0, name
        assert f"wrote {out / name}" in run.stdout
    assert (out / "learning_curve.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["rows"] == {"train": 114, "val": 28, "test": 36, "without_target": 0}
    assert metrics["classes"] == ["barbera", "barolo", "grignolino"]
    # Wine is easy once standardized: a majority guess scores ~0.4, the network >= 0.9.
    assert metrics["test"]["accuracy"] >= 0.9
    assert metrics["baseline_test"]["accuracy"] < 0.5
    assert sum(map(sum, metrics["test"]["confusion_matrix"])) == 36
    assert "training" in run.stderr  # the progress bar


def test_train_regressor_reports_metrics_in_target_units(diabetes_run):
    run, out = diabetes_run
    assert run.returncode == 0, run.stderr
    assert "task regression" in run.stdout
    for name in ("predicted_vs_actual.png", "residuals.png"):
        assert (out / name).read_bytes()[:4] == b"\x89PNG"
    m = json.loads((out / "metrics.json").read_text())
    # Disease progression spans ~25-346 with std ~77; linear models reach R² ~0.45 on it.
    assert 0.25 < m["test"]["r2"] < 0.75
    assert 40 < m["test"]["rmse"] < 70  # in the target's units, not standardized ones
    assert m["test"]["rmse"] < m["baseline_test"]["rmse"]
    # "loss" is the MSE the network minimised on the standardized scale; mse is in units²
    scale = load_bundle(out / "model.npz").preprocessor.target_scale_
    assert 60 < scale < 90
    assert m["test"]["mse"] == pytest.approx(m["test"]["loss"] * scale**2, rel=1e-4)
    assert m["config"]["lr"] == 0.01 and m["config"]["hidden"] == [16]


def test_predict_writes_labels_and_probabilities(csvs, wine_run):
    _, out = wine_run
    run = glassnet("predict", out / "model.npz", csvs / "wine.csv", "-o", csvs / "pred.csv")
    assert run.returncode == 0, run.stderr
    pred = pd.read_csv(csvs / "pred.csv")
    truth = pd.read_csv(csvs / "wine.csv")
    assert len(pred) == len(truth)
    proba = pred[["proba_barbera", "proba_barolo", "proba_grignolino"]].to_numpy()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)
    best = np.array(["barbera", "barolo", "grignolino"])[proba.argmax(axis=1)]
    np.testing.assert_array_equal(pred["predicted_cultivar"], best)
    assert (pred["predicted_cultivar"] == truth["cultivar"]).mean() >= 0.9
    # Feature columns alone (no target) predict the same; standard output by default.
    features = truth.drop(columns="cultivar")
    features.to_csv(csvs / "features.csv", index=False)
    run = glassnet("predict", out / "model.npz", csvs / "features.csv", "--only-predictions")
    assert run.returncode == 0, run.stderr
    again = pd.read_csv(pd.io.common.StringIO(run.stdout))
    assert list(again.columns) == ["predicted_cultivar", "proba_barbera", "proba_barolo",
                                   "proba_grignolino"]
    np.testing.assert_array_equal(again["predicted_cultivar"], pred["predicted_cultivar"])


def test_evaluate_and_info(csvs, diabetes_run):
    _, out = diabetes_run
    run = glassnet("evaluate", out / "model.npz", csvs / "diabetes.csv", "--json",
                   csvs / "eval.json")
    assert run.returncode == 0, run.stderr
    scores = json.loads((csvs / "eval.json").read_text())
    assert scores["rows"] == 442 and "r2" in run.stdout
    # evaluate's numbers are the predictions' numbers, in target units
    bundle = load_bundle(out / "model.npz")
    data = pd.read_csv(csvs / "diabetes.csv")
    predicted, _ = predict_frame(bundle.model, bundle.preprocessor, data)
    rmse = float(np.sqrt(np.mean((data["target"] - predicted) ** 2)))
    assert scores["rmse"] == pytest.approx(rmse, rel=1e-6)
    info = glassnet("info", out / "model.npz")
    assert info.returncode == 0, info.stderr
    # the default below 1,000 rows: 5 networks of 16 units and a linear model (2 ReLU units
    # per input) averaged into one network of 5 x 16 + 2 x 10 = 100 hidden units
    assert "Dense(n_in=10, n_out=100" in info.stdout
    assert "hidden = [16]" in info.stdout and "lr = 0.01" in info.stdout
    assert "ensemble = 5" in info.stdout and "linear_share = 0.6" in info.stdout
    assert "task: regression" in info.stdout


def test_config_file_with_flags_overriding_it(csvs, tmp_path):
    (tmp_path / "run.toml").write_text('[train]\nhidden = [4]\nepochs = 7\nlr = 0.05\n'
                                       'patience = 0\n')
    # in-process: the same main() the entry point runs
    assert main(["train", str(csvs / "wine.csv"), "-t", "cultivar", "--config",
                 str(tmp_path / "run.toml"), "--epochs", "3", "--out", str(tmp_path / "o"),
                 "--no-plots"]) == 0
    m = json.loads((tmp_path / "o" / "metrics.json").read_text())
    assert m["config"]["hidden"] == [4] and m["config"]["lr"] == 0.05
    assert m["config"]["epochs"] == 3 and m["epochs_run"] == 3
    assert not (tmp_path / "o" / "learning_curve.png").exists()
    # the written run.toml repeats the run
    assert "epochs = 3" in (tmp_path / "o" / "run.toml").read_text()


def _bad_files(folder):
    (folder / "one.csv").write_text("a,y\n" + "".join(f"{i},5\n" for i in range(30)))
    (folder / "junk.csv").write_text(
        "a,b,y\n" + "".join(f"{i},{'oops' if i == 7 else i * 2},{i % 3}\n" for i in range(40)))
    (folder / "binary.csv").write_bytes(bytes(range(256)) * 8)
    (folder / "ragged.csv").write_text("a,b\n1,2\n3,4,5,6\n")


@pytest.mark.parametrize("args, message", [
    (["train", "{d}/wine.csv", "-t", "colour"], "target column 'colour' is not in"),
    (["train", "{d}/binary.csv", "-t", "y"], "is not a CSV file"),
])
def test_user_errors_are_one_line_with_exit_code_2(csvs, args, message):
    _bad_files(csvs)
    run = glassnet(*[a.format(d=csvs) for a in args])
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("glassnet: error: ") and message in last


@pytest.mark.parametrize("args, message", [
    (["train", "{d}/one.csv", "-t", "y"], "target column 'y' has a single value (5)"),
    (["train", "{d}/junk.csv", "-t", "y"], "column 'b' is numeric but data row 8 holds 'oops'"),
    (["train", "{d}/ragged.csv", "-t", "b"], "not a well-formed CSV"),
    (["train", "{d}/wine.csv", "-t", "cultivar", "--lr", "-1"], "lr must be > 0"),
    (["train", "{d}/wine.csv", "-t", "cultivar", "--config", "{d}/nope.toml"],
     "config file not found"),
    (["predict", "{d}/diabetes-out/model.npz", "{d}/wine.csv"], "lacks columns the model"),
    (["evaluate", "{d}/wine-out/model.npz", "{d}/diabetes.csv"], "no column 'cultivar'"),
    (["evaluate", "{d}/wine-out/model.npz", "{d}/missing.csv"], "data file not found"),
    (["train", "{d}/missing.csv", "-t", "y"], "data file not found"),
    (["info", "{d}/wine.csv"], "not a glassnet model file"),
    (["train", "{d}/wine.csv", "-t", "cultivar", "--task", "regression"],
     "holds text ('barolo')"),
])
def test_more_user_errors_through_main(csvs, wine_run, diabetes_run, capsys, args, message):
    """The same handler in-process (cheaper than a process per case)."""
    _bad_files(csvs)
    assert main([a.format(d=csvs) for a in args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("glassnet: error: ") and message in err[-1]


def test_verbose_shows_the_traceback(csvs):
    _bad_files(csvs)
    run = glassnet("--verbose", "train", csvs / "one.csv", "-t", "y")
    assert run.returncode != 0
    assert "Traceback" in run.stderr and "single value" in run.stderr


def test_read_options_are_remembered_by_the_model(tmp_path, capsys):
    rng = np.random.default_rng(0)
    x = rng.normal(size=60)
    rows = [f"{'?' if i % 10 == 3 else round(v, 3)};{'a' if v > 0 else 'b'};{2 * v:.3f}"
            for i, v in enumerate(x)]
    (tmp_path / "semi.csv").write_text("x;kind;y\n" + "\n".join(rows) + "\n")
    args = ["train", str(tmp_path / "semi.csv"), "-t", "y", "--epochs", "2", "--no-plots",
            "--out", str(tmp_path / "o")]
    assert main(args) == 2
    assert "--sep ';'" in capsys.readouterr().err
    assert main([*args, "--sep", ";"]) == 2  # '?' is junk in a numeric column...
    assert "declare missing-value markers" in capsys.readouterr().err
    assert main([*args, "--sep", ";", "--na-values", "?"]) == 0
    m = json.loads((tmp_path / "o" / "metrics.json").read_text())
    assert m["preprocessing"]["imputed"]["x"] >= 1
    capsys.readouterr()
    # predict reads the new file with the saved separator and markers, no flags needed
    assert main(["predict", str(tmp_path / "o" / "model.npz"), str(tmp_path / "semi.csv"),
                 "-o", str(tmp_path / "p.csv")]) == 0
    assert len(pd.read_csv(tmp_path / "p.csv")) == 60


def test_predict_reports_an_unseen_category_as_one_plain_warning_line(tmp_path):
    from glassnet.config import TrainConfig
    from glassnet.tabular import train_csv

    rng = np.random.default_rng(1)
    df = pd.DataFrame({"size": rng.uniform(1, 5, 40), "city": rng.choice(["Oslo", "Bergen"], 40)})
    df["price"] = 2 * df["size"] + (df["city"] == "Oslo")
    df.to_csv(tmp_path / "h.csv", index=False)
    train_csv(tmp_path / "h.csv", "price", TrainConfig(hidden=[4], epochs=2), tmp_path / "o",
              plots=False)
    df.assign(city=["Paris"] + ["Oslo"] * 39).to_csv(tmp_path / "new.csv", index=False)
    run = glassnet("predict", tmp_path / "o" / "model.npz", tmp_path / "new.csv", "-o",
                   tmp_path / "p.csv")
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines()[0] == ("glassnet: warning: column 'city': 1 value(s) never "
                                          "seen in training ['Paris'] are encoded as all zeros")
    assert len(pd.read_csv(tmp_path / "p.csv")) == 40


def test_a_bug_is_not_dressed_up_as_a_user_error(monkeypatch, capsys):
    """Only glassnet's user errors (and OSErrors) become one line and exit 2; a TypeError from
    a bug in a command keeps its traceback."""
    from glassnet.cli import tabular

    def broken(args):
        raise TypeError("unsupported operand type(s) for +: 'int' and 'str'")

    monkeypatch.setattr(tabular, "cmd_info", broken)
    with pytest.raises(TypeError, match="unsupported operand"):
        main(["info", "whatever.npz"])
    assert capsys.readouterr().err == ""


def test_predict_reads_standard_input_and_a_data_file_after_a_list_option(csvs, wine_run):
    _, out = wine_run
    data = (csvs / "wine.csv").read_text()
    env = dict(os.environ, PYTHONPATH=str(SRC))
    run = subprocess.run([sys.executable, "-m", "glassnet", "predict", str(out / "model.npz"),
                          "-", "--only-predictions"], input=data, capture_output=True,
                         text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    from_stdin = pd.read_csv(pd.io.common.StringIO(run.stdout))
    assert len(from_stdin) == 178
    direct = glassnet("predict", out / "model.npz", "--na-values", "?", csvs / "wine.csv",
                      "--only-predictions")  # the file after a list option: taken back
    assert direct.returncode == 0, direct.stderr
    pd.testing.assert_frame_equal(pd.read_csv(pd.io.common.StringIO(direct.stdout)), from_stdin)


def test_train_prints_columns_and_features_before_training_and_counts_rows_without_target(
        tmp_path, capsys):
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"size": rng.uniform(1, 5, 60), "city": rng.choice(["a", "b"], 60)})
    df["price"] = 2 * df["size"] + (df["city"] == "a")
    df.loc[::6, "price"] = np.nan  # 10 rows without a target
    df.to_csv(tmp_path / "h.csv", index=False)
    # --hidden written before the data file: the file is taken back from the list
    assert main(["train", "--hidden", "8", str(tmp_path / "h.csv"), "-t", "price",
                 "--epochs", "5", "--ensemble", "1", "--no-plots",
                 "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "rows without a value in 'price': 10 (left out)" in out
    features = out.index("3 input features from 50 rows")
    assert features < out.index("numeric: size") < out.index("trained 5 epochs")
    assert "network 3-8-1 (relu); adam lr 0.001" in out
    m = json.loads((tmp_path / "o" / "metrics.json").read_text())
    assert m["rows"]["without_target"] == 10 and m["rows_without_target"] == 10
    assert m["preprocessing"]["rows_without_target"] == 10
    assert sum(m["rows"][k] for k in ("train", "val", "test")) == 50
    assert main(["evaluate", str(tmp_path / "o" / "model.npz"), str(tmp_path / "h.csv"),
                 "--json", str(tmp_path / "e.json")]) == 0
    assert "rows without a value in 'price': 10 (left out)" in capsys.readouterr().out
    assert json.loads((tmp_path / "e.json").read_text())["rows_without_target"] == 10
    # a data file nowhere: one line saying where it goes
    assert main(["train", "--hidden", "8", "16", "-t", "price"]) == 2
    assert "needs a data file: put it right after 'train'" in capsys.readouterr().err


def test_a_semicolon_file_with_decimal_commas_trains_a_regression(tmp_path, capsys):
    rng = np.random.default_rng(3)
    x = rng.uniform(10, 30, 80)
    rows = [f"{a:.1f};{b:.2f}".replace(".", ",") for a, b in zip(x, 1.5 * x + rng.normal(0, 1, 80))]
    (tmp_path / "eu.csv").write_text("temp;load\n" + "\n".join(rows) + "\n")
    args = ["train", str(tmp_path / "eu.csv"), "-t", "load", "--sep", ";", "--epochs", "5",
            "--ensemble", "1", "--no-plots", "--out", str(tmp_path / "o")]
    from glassnet.data.decimals import DecimalCommaWarning

    with pytest.warns(DecimalCommaWarning, match="'temp', 'load' hold numbers with a decimal "
                                                 "comma"):
        assert main(args) == 0
    assert "task regression" in capsys.readouterr().out
    bundle = load_bundle(tmp_path / "o" / "model.npz")
    assert bundle.extra["read_options"] == {"sep": ";", "decimal": ","}
    assert bundle.preprocessor.n_features_ == 1
    # told to keep the commas as text, the target is refused rather than trained as classes
    assert main([*args, "--decimal", "."]) == 2
    assert "decimal comma" in capsys.readouterr().err


def test_duplicate_column_names_are_one_line(tmp_path, capsys):
    (tmp_path / "d.csv").write_text("a,b,y,y\n" + "1,2,0,0\n" * 30)
    assert main(["train", str(tmp_path / "d.csv"), "-t", "y"]) == 2
    assert one_line(capsys).endswith("has more than one column named 'y'; rename them so that "
                                     "every column has its own name")


def one_line(capsys):
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]
