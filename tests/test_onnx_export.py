"""ONNX export: onnxruntime runs the exported graph and gives what glassnet gives.

Bare networks of every activation and head, in both dtypes, against ``Sequential.predict``;
models trained by ``glassnet train`` on mixed-type CSVs (numbers, categories, booleans, missing
values, unseen categories) against ``glassnet predict`` on raw CSV rows; dates as seconds
against ``predict_frame``. Every graph passes ``onnx.checker``'s full check.
"""

import json

import numpy as np
import pandas as pd
import pytest

import glassnet.nn as gn
from glassnet.cli import main
from glassnet.data import read_csv
from glassnet.errors import UsageError
from glassnet.io import export_onnx, load_bundle
from glassnet.onnx_columns import onnx_feed
from glassnet.onnx_export import input_columns
from glassnet.tabular import predict_frame

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

#: the largest difference float32 may show between NumPy's and onnxruntime's kernels
F32_TOL = 1e-6


def session(model_proto):
    onnx.checker.check_model(model_proto, full_check=True)
    return ort.InferenceSession(model_proto.SerializeToString(),
                                providers=["CPUExecutionProvider"])


HIDDEN = {
    "sigmoid": gn.Sigmoid, "tanh": gn.Tanh, "relu": gn.ReLU,
    "leaky_relu": lambda: gn.LeakyReLU(0.2), "identity": gn.Identity, "step": gn.Step,
    "softmax": gn.Softmax, "dropout": lambda: gn.Dropout(0.3),
}
HEADS = {"linear": (3, None), "sigmoid": (1, gn.Sigmoid), "softmax": (4, gn.Softmax)}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("head", sorted(HEADS))
@pytest.mark.parametrize("hidden", sorted(HIDDEN))
def test_a_random_network_runs_the_same_in_onnxruntime(hidden, head, dtype):
    units, out_layer = HEADS[head]
    layers = [gn.Dense(7, 12), HIDDEN[hidden](), gn.Dense(12, 9, bias=False), gn.ReLU(),
              gn.Dense(9, units)] + ([out_layer()] if out_layer else [])
    model = gn.Sequential(layers, seed=sum(map(ord, hidden + head)), dtype=dtype)
    X = np.random.default_rng(1).normal(0, 2, (300, 7)).astype(dtype)
    proto = export_onnx(model)
    (got,) = session(proto).run(None, {"X": X})
    expected = model.predict(X)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    tol = F32_TOL if dtype == "float32" else 1e-12
    np.testing.assert_allclose(got, expected, rtol=0, atol=tol)


def test_a_layer_without_an_onnx_form_is_one_clear_error(tmp_path, capsys):
    class ScaledByTwo(gn.Layer):
        def forward(self, x, training=False):
            return 2 * x

        def backward(self, grad_out):
            return 2 * grad_out

    model = gn.Sequential([gn.Dense(3, 2), ScaledByTwo()], seed=0)
    with pytest.raises(UsageError, match=r"layer 1 \(ScaledByTwo\) has no ONNX form"):
        export_onnx(model)
    gn.register_layer(ScaledByTwo)
    gn.save(model, tmp_path / "m.npz")
    assert main(["export", str(tmp_path / "m.npz"), str(tmp_path / "m.onnx")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "layer 1 (ScaledByTwo) has no ONNX form" in err
    assert not (tmp_path / "m.onnx").exists()


# ---------------------------------------------------------------------------- from CSVs
def mixed_frame(n, seed, target):
    """Numbers, categories, booleans (as yes/no text) and a 0/1-coded category, with missing
    values in each; ``target`` "class" (three string labels) or "price" (a number)."""
    rng = np.random.default_rng(seed)
    age = rng.normal(40, 12, n).round(1)
    city = rng.choice(["Paris", "Lyon", "Nice", "St. Denis (93)"], n)
    member = rng.choice(["yes", "no"], n)
    rooms = rng.integers(1, 6, n).astype(float)
    score = 0.05 * (age - 40) + (city == "Lyon") - (member == "yes") + 0.3 * rooms
    df = pd.DataFrame({"age": age, "city": city, "member": member, "rooms": rooms})
    for col, rate in (("age", 0.1), ("city", 0.08), ("member", 0.1), ("rooms", 0.05)):
        df.loc[rng.random(n) < rate, col] = np.nan
    if target == "class":
        df["class"] = np.array(["low", "mid", "high"])[np.digitize(score, [-0.3, 0.8])]
    else:
        df["price"] = (100 + 20 * score + rng.normal(0, 2, n)).round(2)
    return df


@pytest.fixture(scope="module", params=["class", "price", "class-grouped"])
def trained(request, tmp_path_factory):
    """A model trained by ``glassnet train`` on a mixed CSV, exported by ``glassnet export``,
    and new rows with missing values and unseen categories ("class-grouped": at most 3
    one-hot columns per category, so rare cities and unseen ones go to <other>)."""
    target = request.param.split("-")[0]
    grouped = ["--max-categories", "3"] if request.param.endswith("grouped") else []
    folder = tmp_path_factory.mktemp(request.param)
    mixed_frame(400, 0, target).to_csv(folder / "train.csv", index=False)
    new = mixed_frame(300, 1, target).drop(columns=target)
    new.loc[::17, "city"] = "Marseille"     # never seen in training
    new.loc[::23, "member"] = " YES "       # another spelling of a boolean
    new.loc[5, ["age", "city", "member", "rooms"]] = np.nan
    new.to_csv(folder / "new.csv", index=False)
    out = folder / "out"
    assert main(["train", str(folder / "train.csv"), "--target", target, "--hidden", "16",
                 "8", "--epochs", "40", "--role", "rooms=categorical", "--no-plots",
                 "--out", str(out), *grouped]) == 0
    prep = load_bundle(out / "model.npz").preprocessor
    assert any(spec.get("other") for spec in prep.columns_) == bool(grouped)
    assert main(["export", str(out / "model.npz"), str(folder / "model.onnx")]) == 0
    return target, folder


def test_glassnet_export_gives_what_glassnet_predict_gives_on_raw_csv_rows(trained, capsys):
    target, folder = trained
    capsys.readouterr()
    assert main(["predict", str(folder / "out" / "model.npz"), str(folder / "new.csv"),
                 "--output", str(folder / "pred.csv"), "--only-predictions"]) == 0
    expected = pd.read_csv(folder / "pred.csv")

    proto = onnx.load(str(folder / "model.onnx"))
    sess = session(proto)
    assert [i.name for i in sess.get_inputs()] == ["age", "city", "member", "rooms"]
    inputs = {i["name"]: i["type"] for i in input_columns(sess)}
    assert inputs == {"age": "double", "city": "string", "member": "string", "rooms": "double"}
    rows = read_csv(folder / "new.csv")
    got = dict(zip([o.name for o in sess.get_outputs()],
                   sess.run(None, onnx_feed(input_columns(sess), rows))))
    if target == "class":
        labels = json.loads({p.key: p.value for p in proto.metadata_props}["classes"])
        assert labels == ["high", "low", "mid"]
        assert list(got["prediction"]) == list(expected[f"predicted_{target}"])
        proba = expected[[f"proba_{c}" for c in labels]].to_numpy()
        gap = np.abs(got["probabilities"] - proba).max()
        assert gap <= F32_TOL, gap
    else:  # float32 on the standardized scale the network predicts
        scale = load_bundle(folder / "out" / "model.npz").preprocessor.target_scale_
        gap = np.abs(got["prediction"] - expected[f"predicted_{target}"]).max()
        assert gap <= F32_TOL * scale, gap


def test_the_csv_command_says_what_the_graph_takes(trained, capsys):
    target, folder = trained
    capsys.readouterr()
    assert main(["export", str(folder / "out" / "model.npz"), str(folder / "again.onnx")]) == 0
    out = capsys.readouterr().out
    assert "inputs: age (double), city (string), member (string), rooms (double)" in out
    kind = "string" if target == "class" else "double"
    assert f"outputs: prediction ({kind})" in out


# ---------------------------------------------------------------------------- dates
def dated_frame(n, seed):
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("1998-02-20")
    when = start + pd.to_timedelta(rng.integers(0, 40 * 365 * 86400, n), unit="s")
    clock = pd.to_timedelta(rng.integers(0, 86400, n), unit="s")
    df = pd.DataFrame({
        "when": when.strftime("%Y-%m-%d %H:%M:%S"),
        "clock": [f"{c.components.hours:02d}:{c.components.minutes:02d}" for c in clock],
        "x": rng.normal(size=n)})
    df.loc[rng.random(n) < 0.1, "when"] = np.nan
    df["y"] = df["x"] + rng.normal(size=n)
    return df


def test_dates_are_a_clear_error_unless_taken_as_seconds(tmp_path):
    from glassnet.config import TrainConfig
    from glassnet.tabular import train_frame

    df = dated_frame(300, 0)
    result = train_frame(df, "y", TrainConfig(hidden=[8], epochs=5, dtype="float64"),
                         roles={"clock": "datetime"})
    assert result.preprocessor.roles_ == {"when": "datetime", "clock": "datetime",
                                          "x": "numeric"}
    with pytest.raises(UsageError, match=r"column 'when' holds dates.*--dates-as-seconds"):
        export_onnx(_bundle(result))
    sess = session(export_onnx(_bundle(result), dates_as_seconds=True))
    rows = dated_frame(500, 1)
    rows.loc[3, "when"] = "2024-02-29 23:59:59"   # a leap day
    rows.loc[4, "when"] = "1900-03-01 00:00:00"   # before 1970, not a leap year
    expected, _ = predict_frame(result.model, result.preprocessor, rows)
    (got,) = sess.run(None, onnx_feed(input_columns(sess), rows))
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)


def _bundle(result):
    from glassnet.io import ModelBundle

    return ModelBundle(result.model, result.preprocessor)
