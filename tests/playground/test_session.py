"""A playground session without the web: training, the step inspector against the engine, the
Python panel's script, the model file, the history and the rules for changing settings."""

import copy
import io
from contextlib import redirect_stdout

import numpy as np
import pytest

from glassnet.cli import main
from glassnet.io import load_model
from glassnet.nn import BinaryCrossEntropy, MSELoss, Sequential
from glassnet.playground.exports import history_csv, model_file, python_script
from glassnet.playground.protocol import ProtocolError
from glassnet.playground.session import DEFAULTS, Session
from glassnet.playground.wire import unpack


def weights_of(model):
    return [layer.params[k].copy() for layer in model.layers for k in sorted(layer.params)]


def test_training_lowers_test_loss_on_circle():
    s = Session()  # TensorFlow Playground's defaults: circle, 2-4-2-1 tanh, SGD lr 0.03
    first = s.losses["test"]
    assert 0.6 < first < 0.8 and s.epoch == 0  # about log 2: an untrained network
    for _ in range(60):
        s.train_epoch()
    assert s.epoch == 60 and s.steps == 60 * 25  # 250 training points, batches of 10
    assert s.losses["test"] < 0.3 * first
    assert s.accuracy["test"] > 0.95
    norms = s.history[-1][-3:]
    assert all(v > 0 for v in norms)  # each Dense layer's gradient norm of the last epoch


def test_gradients_vanish_in_a_deep_sigmoid_network_and_not_with_relu():
    ratios = {}
    for activation in ("sigmoid", "relu"):
        s = Session(config={"hidden": [8] * 6, "activation": activation})
        for _ in range(5):
            s.train_epoch()
        ratios[activation] = s.grad_norms[0] / s.grad_norms[-1]  # first layer / output layer
    assert ratios["sigmoid"] < 1e-2 < 0.1 < ratios["relu"]


def sub_model(layers, like):
    """A Sequential of copies of ``layers`` holding the same weights (a new Sequential draws
    its own, so they are written in afterwards)."""
    part = Sequential([copy.deepcopy(layer) for layer in layers], dtype="float64")
    part.set_weights([{k: v.copy() for k, v in layer.params.items()} for layer in layers])
    assert part.dtype == like.dtype
    return part


@pytest.mark.parametrize("config", [
    {"hidden": [3, 2], "activation": "tanh", "optimizer": "momentum", "regularization": "L2",
     "reg_rate": 0.01, "features": ["x1", "x2", "x1x2"]},
    {"hidden": [4], "activation": "relu", "optimizer": "adam", "regularization": "L1",
     "reg_rate": 0.003, "dataset": "plane"},  # regression: a linear output, MSE
    {"hidden": [], "activation": "sigmoid", "optimizer": "sgd", "dataset": "xor",
     "features": ["x1x2"]},  # no hidden layer: logistic regression
])
def test_step_inspector_numbers_are_the_engines(config):
    s = Session(config=config)
    for _ in range(3):
        s.train_epoch()
    point = 7
    before, opt_before, reg = copy.deepcopy(s.model), copy.deepcopy(s.optimizer), s.regularizer
    out = s.inspect(point)
    x, y = s.F_train[point:point + 1], s.Y_train[point:point + 1]
    loss = BinaryCrossEntropy() if s.config["problem"] == "classification" else MSELoss()

    # forward and backward of the whole network, by Sequential itself
    ref = copy.deepcopy(before)
    pred = ref.forward(x, training=True)
    value = loss.forward(pred, y)
    ref.backward(loss.backward())
    penalty = reg.penalty(ref.layers) if reg else 0.0
    assert out["loss"] == pytest.approx(value + penalty, abs=1e-6)
    assert out["layers"][-1][0]["a"] == pytest.approx(pred[0, 0], abs=1e-6)

    layers, dense = before.layers, s.dense
    for k, d in enumerate(dense):
        last = k == len(dense) - 1
        act = d + 1 if d + 1 < len(layers) else d  # a linear output has no activation layer
        z = sub_model(layers[:d + 1], before).forward(x)[0]
        a = sub_model(layers[:act + 1], before).forward(x)[0]
        # dL/dz and dL/da: the backward pass of the rest of the network, from z or from a
        grads = {}
        for name, start, value_in in (("dL_dz", d + 1, z), ("dL_da", act + 1, a)):
            if start == len(layers):  # the network's output itself: the loss's own gradient
                loss.forward(value_in[None], y)
                grads[name] = loss.backward()[0]
                continue
            rest = sub_model(layers[start:], before)
            loss.forward(rest.forward(value_in[None], training=True), y)
            grads[name] = rest.backward(loss.backward())[0]
        neurons = out["layers"][k]
        assert len(neurons) == z.shape[0]
        np.testing.assert_allclose([n["z"] for n in neurons], z, atol=1e-6, rtol=0)
        np.testing.assert_allclose([n["a"] for n in neurons], a, atol=1e-6, rtol=0)
        np.testing.assert_allclose([n["dL_dz"] for n in neurons], grads["dL_dz"], atol=1e-6,
                                   rtol=0)
        np.testing.assert_allclose([n["dL_da"] for n in neurons], grads["dL_da"], atol=1e-6,
                                   rtol=0)
        # each weight's gradient: Sequential.backward's, plus the penalty's
        w = out["weights"][k]
        W = layers[d].params["W"]
        dW = ref.layers[d].grads["W"] + (reg.l2 * W + reg.l1 * np.sign(W) if reg else 0)
        np.testing.assert_allclose(w["W"], W, atol=1e-12, rtol=0)
        np.testing.assert_allclose(w["dW"], dW, atol=1e-6, rtol=0)
        np.testing.assert_allclose(w["db"], ref.layers[d].grads["b"], atol=1e-6, rtol=0)
        # for one point, dL/db is dL/dz itself
        np.testing.assert_allclose(w["db"], [n["dL_dz"] for n in neurons], atol=1e-12, rtol=0)
        assert not last or len(neurons) == 1

    # the step itself: exactly what Sequential.train_step does from the same state
    ref2, opt2 = copy.deepcopy(before), copy.deepcopy(opt_before)
    ref2.train_step(x, y, loss, opt2, regularizer=reg)
    for mine, theirs in zip(weights_of(s.model), weights_of(ref2)):
        np.testing.assert_array_equal(mine, theirs)
    for k, d in enumerate(dense):
        update = s.model.layers[d].params["W"] - before.layers[d].params["W"]
        np.testing.assert_allclose(out["weights"][k]["uW"], update, atol=1e-15, rtol=0)


def test_step_inspector_with_dropout_equals_train_step_and_marks_dropped_neurons():
    s = Session(config={"hidden": [8, 8], "dropout": 0.5, "activation": "relu"})
    before, opt = copy.deepcopy(s.model), copy.deepcopy(s.optimizer)
    out = s.inspect(3)
    before.train_step(s.F_train[3:4], s.Y_train[3:4], BinaryCrossEntropy(), opt)
    for mine, theirs in zip(weights_of(s.model), weights_of(before)):  # same masks drawn
        np.testing.assert_array_equal(mine, theirs)
    dropped = [n["dropped"] for layer in out["layers"][:-1] for n in layer]
    assert any(dropped) and not all(dropped)


def run_scripted(session, tmp_path, monkeypatch):
    """Execute the Python panel's script in ``tmp_path``; returns its namespace."""
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__main__"}
    printed = io.StringIO()
    with redirect_stdout(printed):
        exec(compile(python_script(session), "playground_run.py", "exec"), namespace)
    namespace["printed"] = printed.getvalue()
    return namespace


def test_python_script_replays_the_run_exactly(tmp_path, monkeypatch):
    s = Session(config={"hidden": [5, 3], "features": ["x1", "x2", "x1sq", "x2sq"],
                        "dataset": "spiral", "noise": 10, "dropout": 0.1, "seed": 11,
                        "data_seed": 5, "optimizer": "adam", "lr": 0.01})
    for _ in range(4):
        s.train_epoch()
    s.update({"lr": 0.003, "batch_size": 7})
    s.train_epoch()
    s.set_weight(1, 2, 0, 0.75)
    s.set_bias(0, 4, -0.5)
    s.inspect(11)
    s.update({"regularization": "L2", "reg_rate": 0.001})
    s.train_epoch()
    s.train_epoch()
    ns = run_scripted(s, tmp_path, monkeypatch)
    for mine, theirs in zip(weights_of(s.model), weights_of(ns["model"])):
        np.testing.assert_array_equal(mine, theirs)
    assert f"epoch {s.epoch}: training loss {s.losses['train']:.4f}" in ns["printed"]


def test_python_script_of_a_csv_run(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 2))
    rows = ["height,width,label,note"] + [f"{a:.4f},{b:.4f},{int(a * b > 0)},n{i}"
                                          for i, (a, b) in enumerate(X)]
    text = "\n".join(rows) + "\n"
    (tmp_path / "shapes.csv").write_text(text)
    s = Session()
    s.load_csv("shapes.csv", text)
    s.use_csv("height", "width", "label")
    s.update({"features": ["x1x2"], "hidden": [2]})
    for _ in range(3):
        s.train_epoch()
    ns = run_scripted(s, tmp_path, monkeypatch)
    for mine, theirs in zip(weights_of(s.model), weights_of(ns["model"])):
        np.testing.assert_array_equal(mine, theirs)


def test_model_file_loads_back_with_identical_predictions(tmp_path, capsys):
    s = Session(config={"hidden": [6, 3], "activation": "relu"})
    for _ in range(5):
        s.train_epoch()
    path = tmp_path / "playground.npz"
    path.write_bytes(model_file(s))
    model, extra = load_model(path, return_extra=True)
    F = s._inputs
    np.testing.assert_array_equal(model.predict(F), s.model.predict(F))
    assert extra["playground"]["config"]["hidden"] == [6, 3]
    assert extra["playground"]["epoch"] == 5
    assert main(["info", str(path)]) == 0
    shown = capsys.readouterr().out
    assert "Dense" in shown and "ReLU" in shown and "Sigmoid" in shown


def test_live_settings_continue_the_run_and_the_rest_restart_it():
    s = Session()
    s.train_epoch()
    s.train_epoch()
    weights = weights_of(s.model)
    for live in ({"lr": 0.1}, {"batch_size": 3}, {"regularization": "L1", "reg_rate": 0.01}):
        assert s.update(live) == "live"
        assert s.epoch == 2
    assert s.optimizer.lr == 0.1 and s.regularizer.l1 == 0.01
    for a, b in zip(weights, weights_of(s.model)):
        np.testing.assert_array_equal(a, b)
    assert s.update({"grid": 30}) == "view" and s.epoch == 2
    assert unpack(s.frame())[1]["output"].shape == (30, 30)
    assert s.update({"lr": 0.1}) == "view"  # nothing changed
    for change in ({"activation": "relu"}, {"hidden": [3]}, {"features": ["x1"]},
                   {"dropout": 0.2}, {"optimizer": "adam"}, {"seed": 3}, {"noise": 20},
                   {"dataset": "xor"}):
        s.train_epoch()
        assert s.update(change) == "restart", change
        assert s.epoch == 0 and len(s.history) == 1
    # a fresh start from the same settings gives the same first weights: the seed fixes them
    again = Session(config={k: v for k, v in s.config.items() if v != DEFAULTS[k]})
    for a, b in zip(weights_of(again.model), weights_of(s.model)):
        np.testing.assert_array_equal(a, b)


def test_problem_type_and_dataset_agree():
    s = Session()
    s.update({"problem": "regression"})
    assert s.config["dataset"] == "plane" and s.config["problem"] == "regression"
    s.update({"dataset": "spiral"})
    assert s.config["problem"] == "classification"
    with pytest.raises(ProtocolError, match="regression data set"):
        s.update({"dataset": "multigauss", "problem": "classification"})
    with pytest.raises(ProtocolError, match="upload"):
        s.update({"dataset": "csv"})
    assert s.config["dataset"] == "spiral"  # a refused change leaves the session as it was


def test_regenerate_draws_new_points_repeatably():
    a, b = Session(), Session()
    a.regenerate()
    b.regenerate()
    assert a.config["data_seed"] == b.config["data_seed"] != DEFAULTS["data_seed"]
    np.testing.assert_array_equal(a.X_train, b.X_train)
    assert not np.array_equal(a.X_train, Session().X_train)


def test_frames_carry_every_neurons_map_and_the_weights():
    s = Session(config={"hidden": [8, 8], "grid": 40})
    header, arrays = unpack(s.frame())
    assert arrays["neurons"].shape == (16, 20, 20)  # every second grid point
    assert arrays["output"].shape == (40, 40)
    assert arrays["weights"].shape == (2 * 8 + 8 + 8 * 8 + 8 + 8 + 1,)
    s.set_weight(1, 3, 5, 2.5)
    s.set_bias(2, 0, -1.25)
    w = unpack(s.frame())[1]["weights"]
    assert w[2 * 8 + 8 + 3 * 8 + 5] == 2.5 and w[-1] == -1.25
    with pytest.raises(ProtocolError, match="layer must be in"):
        s.set_weight(3, 0, 0, 1.0)
    with pytest.raises(ProtocolError, match="no \\(8, 0\\)"):
        s.set_weight(1, 8, 0, 1.0)
    with pytest.raises(ProtocolError, match="point must be in"):
        s.inspect(250)
    assert header["loss"]["test"] is not None


def test_a_diverging_run_is_reported_not_raised():
    s = Session(config={"dataset": "multigauss", "activation": "relu", "lr": 10.0,
                        "hidden": [8, 8, 8]})
    for _ in range(10):
        s.train_epoch()  # pytest turns RuntimeWarnings into errors: none may escape
    assert s.diverged and s.losses["train"] is None
    header, arrays = unpack(s.frame())  # still a valid frame (JSON has no NaN)
    assert header["diverged"] is True and arrays["output"].dtype == np.uint8
    assert "train_loss" in history_csv(s)


def test_history_csv_has_one_row_per_epoch():
    s = Session(config={"hidden": [3]})
    for _ in range(4):
        s.train_epoch()
    lines = history_csv(s).strip().splitlines()
    assert lines[0] == ("epoch,train_loss,test_loss,train_accuracy,test_accuracy,"
                        "grad_norm_layer1,grad_norm_layer2")
    assert [line.split(",")[0] for line in lines[1:]] == ["0", "1", "2", "3", "4"]
    assert lines[1].endswith(",,")  # no gradient before the first step
    assert float(lines[-1].split(",")[2]) == pytest.approx(s.losses["test"], rel=1e-6)
