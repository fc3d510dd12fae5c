"""The playground's web API through Starlette's test client: sessions, every control, bad
messages, training, the step inspector over the wire and the downloads."""

import copy
import json
import time

import numpy as np
import pytest

pytest.importorskip("starlette", reason="the playground extra (Starlette) is not installed")

from pg_helpers import BAD, Tab
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from glassnet.cli import main
from glassnet.io import load_model
from glassnet.nn import BinaryCrossEntropy
from glassnet.playground.protocol import Limits
from glassnet.playground.session import Session


def sessions(client):
    return client.get("/api/status").json()["sessions"]


def test_session_life_cycle(client):
    assert sessions(client) == 0
    with client.websocket_connect("/ws") as ws1, client.websocket_connect("/ws") as ws2:
        a, b = Tab(ws1), Tab(ws2)
        assert a.hello["session"] != b.hello["session"]  # each tab its own session
        assert a.hello["limits"]["max_layers"] == 6 and a.hello["limits"]["max_neurons"] == 8
        assert sessions(client) == 2
        a.ok("set", config={"lr": 0.3})
        assert b.ok("ping")["type"] == "pong"
        assert b.ok("step")["epoch"] == 1 and a.last_frame()[0]["epoch"] == 0
        assert client.get(f"/api/session/{a.hello['session']}/script.py").status_code == 200
    deadline = time.monotonic() + 5
    while sessions(client) and time.monotonic() < deadline:  # closed tabs free their sessions
        time.sleep(0.02)
    assert sessions(client) == 0
    assert client.get(f"/api/session/{a.hello['session']}/model.npz").status_code == 404


def test_session_cap_refuses_then_reclaims_the_idle(make_app):
    with TestClient(make_app(Limits(max_sessions=2), reclaim_after=3600)) as client:
        with client.websocket_connect("/ws") as w1, client.websocket_connect("/ws") as w2:
            Tab(w1), Tab(w2)
            with client.websocket_connect("/ws") as w3:
                refused = w3.receive_json()
                assert refused["type"] == "error" and "limit" in refused["message"]
                with pytest.raises(WebSocketDisconnect) as info:
                    w3.receive_text()
                assert info.value.code == 1013
    with TestClient(make_app(Limits(max_sessions=2), reclaim_after=0.0)) as client:
        with client.websocket_connect("/ws") as w1, client.websocket_connect("/ws") as w2:
            first, second = Tab(w1), Tab(w2)
            second.ok("ping")  # the first tab is now the one idle longest
            with client.websocket_connect("/ws") as w3:
                third = Tab(w3)
                assert first.text()["type"] == "closed"
                assert third.ok("ping")["type"] == "pong" and second.ok("ping")
                assert sessions(client) == 2


def test_idle_sessions_are_closed(make_app):
    with TestClient(make_app(Limits(idle_timeout=0.3), sweep_interval=0.1)) as client:
        with client.websocket_connect("/ws") as ws:
            tab = Tab(ws)
            msg = tab.text()
            assert msg["type"] == "closed" and "without activity" in msg["message"]
            assert sessions(client) == 0


def test_every_control(client, tmp_path):
    with client.websocket_connect("/ws") as ws:
        tab = Tab(ws)
        sid = tab.hello["session"]
        # each setting, one message at a time
        changes = {"dataset": "xor", "noise": 15, "train_ratio": 70, "batch_size": 5,
                   "points": 300, "features": ["x1", "x2", "x1x2"], "hidden": [3, 2, 2],
                   "activation": "relu", "lr": 0.1, "regularization": "L2", "reg_rate": 0.01,
                   "optimizer": "momentum", "dropout": 0.2, "seed": 9, "data_seed": 3,
                   "grid": 30, "problem": "regression"}
        for key, value in changes.items():
            reply = tab.ok("set", config={key: value})
            assert reply["config"][key] == value, key
        assert reply["config"]["dataset"] == "plane"  # regression switched the data set
        setup = tab.setups[-1][0]
        assert setup["layers"] == [3, 3, 2, 2, 1] and setup["n_train"] == 210
        assert tab.frames[-1][1]["output"].shape == (30, 30)
        # play streams frames with growing epochs; pause stops them
        tab.ok("set", config={"dataset": "circle", "lr": 0.03, "dropout": 0.0})
        assert tab.ok("play")["playing"] is True
        seen = len(tab.frames)
        while len(tab.frames) < seen + 5:
            tab.receive()
        epochs = [h["epoch"] for h, _ in tab.frames[seen:]]
        assert epochs == sorted(epochs) and epochs[-1] >= 5
        assert tab.ok("pause")["playing"] is False
        before = tab.ok("step")["epoch"]
        assert tab.ok("step")["epoch"] == before + 1
        assert tab.last_frame()[0]["epoch"] == before + 1
        assert tab.ok("reset")["epoch"] == 0 and tab.last_frame()[0]["epoch"] == 0
        seed = tab.ok("regenerate")["config"]["data_seed"]
        assert seed != 3
        tab.ok("set_weight", layer=1, source=2, target=0, value=1.5)
        tab.ok("set_bias", layer=0, neuron=1, value=-2.0)
        w = tab.last_frame()[1]["weights"]
        assert w[3 * 3 + 3 + 2 * 2 + 0] == 1.5 and w[3 * 3 + 1] == -2.0
        inspection = tab.ok("inspect", point=4)["inspection"]
        assert inspection["point"] == 4 and len(inspection["layers"]) == 4
        # your own data
        rows = "\n".join(f"{i % 13},{(i * 7) % 11},{int(i % 13 > 6)}" for i in range(60))
        up = tab.ok("upload", name="mine.csv", text="u,v,label\n" + rows)
        assert up["csv"] == {"name": "mine.csv", "rows": 60, "columns": ["u", "v", "label"]}
        used = tab.ok("use_csv", x1="u", x2="v", target="label", problem="auto")
        assert used["config"]["dataset"] == "csv" and used["csv_in_use"]["target"] == "label"
        assert tab.setups[-1][0]["n_train"] == 42  # 70% of 60 rows
        # downloads
        history = client.get(f"/api/session/{sid}/history.csv")
        assert history.status_code == 200 and history.text.startswith("epoch,train_loss")
        script = client.get(f"/api/session/{sid}/script.py").text
        assert "read_csv_text(open('mine.csv'" in script
        model = client.get(f"/api/session/{sid}/model.npz")
        assert model.headers["content-disposition"].endswith('.npz"')
        (tmp_path / "m.npz").write_bytes(model.content)
        assert load_model(tmp_path / "m.npz").n_features == 3


def test_malformed_messages_get_errors_and_the_session_goes_on(client):
    with client.websocket_connect("/ws") as ws, client.websocket_connect("/ws") as other_ws:
        tab, other = Tab(ws), Tab(other_ws)
        tab.ok("set", config={"hidden": [3, 3]})
        bad = [raw for raw, _ in BAD] + [
            # valid JSON, refused by the session: indices and columns it does not have
            '{"type": "set_weight", "id": 1, "layer": 3, "source": 0, "target": 0, "value": 1}',
            '{"type": "set_weight", "id": 2, "layer": 1, "source": 3, "target": 0, "value": 1}',
            '{"type": "set_bias", "id": 3, "layer": 0, "neuron": 3, "value": 1}',
            '{"type": "inspect", "id": 4, "point": 250}',
            '{"type": "use_csv", "id": 5, "x1": "a", "x2": "b", "target": "c", '
            '"problem": "auto"}',
            '{"type": "upload", "id": 6, "name": "x.csv", "text": "no,numbers\\nat,all\\n"}',
            '{"type": "set", "id": 7, "config": {"dataset": "csv"}}',
            '{"type": "set", "id": 8, "config": {"dataset": "plane", '
            '"problem": "classification"}}',
            json.dumps({"type": "upload", "id": 9, "name": "big.csv",
                        "text": "a,b\n" + "1,2\n" * 600_000}),
        ]
        assert len(bad) >= 30
        for raw in bad:
            reply = tab.raw(raw)
            assert reply["type"] == "error" and reply["message"], raw[:60]
        tab.ws.send_bytes(b"\x00\x01binary")
        assert tab.text()["type"] == "error"
        # the same session still serves, unchanged by what it refused
        reply = tab.ok("step")
        assert reply["epoch"] == 1 and tab.ok("ping")["type"] == "pong"
        assert tab.ok("set", config={"lr": 0.1})["config"]["hidden"] == [3, 3]
        assert other.ok("ping")["type"] == "pong"
        assert sessions(client) == 2


def test_a_session_learns_the_circle(tab):
    first = tab.last_frame()[0]["loss"]["test"]
    for _ in range(50):
        tab.ok("step")
    header = tab.last_frame()[0]
    assert header["epoch"] == 50
    assert header["loss"]["test"] < 0.5 * first and header["accuracy"]["test"] > 0.9


def test_inspector_numbers_over_the_wire_are_the_engines(client, tmp_path):
    """The model file before the step gives the weights; the engine's Sequential, run here,
    must give the numbers the server sent."""
    with client.websocket_connect("/ws") as ws:
        tab = Tab(ws)
        sid = tab.hello["session"]
        tab.ok("set", config={"hidden": [4, 3], "activation": "sigmoid"})
        for _ in range(3):
            tab.ok("step")
        (tmp_path / "before.npz").write_bytes(client.get(f"/api/session/{sid}/model.npz")
                                              .content)
        ins = tab.ok("inspect", point=17)["inspection"]
    model = load_model(tmp_path / "before.npz")
    local = Session(config={"hidden": [4, 3], "activation": "sigmoid"})  # the same points
    x, y = local.F_train[17:18], local.Y_train[17:18]
    np.testing.assert_allclose(ins["input"], x[0], atol=1e-12)
    loss = BinaryCrossEntropy()
    ref = copy.deepcopy(model)
    out = ref.forward(x, training=True)
    assert ins["loss"] == pytest.approx(loss.forward(out, y), abs=1e-6)
    ref.backward(loss.backward())
    h = x
    for k, d in enumerate(i for i, layer in enumerate(model.layers) if layer.params):
        z = model.layers[d].forward(h)
        a = model.layers[d + 1].forward(z)
        np.testing.assert_allclose([n["z"] for n in ins["layers"][k]], z[0], atol=1e-6)
        np.testing.assert_allclose([n["a"] for n in ins["layers"][k]], a[0], atol=1e-6)
        np.testing.assert_allclose(ins["weights"][k]["dW"], ref.layers[d].grads["W"], atol=1e-6)
        np.testing.assert_allclose([n["dL_dz"] for n in ins["layers"][k]],
                                   ref.layers[d].grads["b"], atol=1e-6)
        h = a


def test_exported_model_predicts_as_the_session(client, tmp_path, capsys):
    config = {"hidden": [5, 4], "activation": "relu", "features": ["x1", "x2", "x1sq"]}
    with client.websocket_connect("/ws") as ws:
        tab = Tab(ws)
        tab.ok("set", config=config)
        for _ in range(8):
            tab.ok("step")
        content = client.get(f"/api/session/{tab.hello['session']}/model.npz").content
    path = tmp_path / "net.npz"
    path.write_bytes(content)
    local = Session(config=config)  # the same seeds and steps: the same network
    for _ in range(8):
        local.train_epoch()
    model = load_model(path)
    grid = local._inputs
    np.testing.assert_array_equal(model.predict(grid), local.model.predict(grid))
    assert main(["info", str(path)]) == 0
    assert "total parameters: 49" in capsys.readouterr().out  # (3+1)5 + (5+1)4 + (4+1)1


def test_one_sessions_training_does_not_hold_up_another(client):
    with client.websocket_connect("/ws") as ws_a, client.websocket_connect("/ws") as ws_b:
        busy, calm = Tab(ws_a), Tab(ws_b)
        busy.ok("set", config={"hidden": [8] * 6, "batch_size": 1, "points": 2000,
                               "train_ratio": 90})
        busy.ok("play")
        start = len(busy.frames)
        for i in range(20):  # every control of the other tab answered while the first trains
            assert calm.ok("set", config={"lr": [0.1, 0.3][i % 2]})["type"] == "ack"
            assert calm.ok("ping")["type"] == "pong"
        busy.ok("pause")
        while len(busy.frames) <= start:
            busy.receive()
        assert busy.frames[-1][0]["epoch"] >= 1


def test_the_page_loads_nothing_from_outside(client):
    page = client.get("/")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    from glassnet.playground.server import STATIC

    assets = sorted(p for p in STATIC.rglob("*") if p.is_file())
    assert {p.name for p in assets} >= {"index.html", "app.js", "network.js", "style.css"}
    for path in assets:
        text = path.read_text(encoding="utf-8")
        for scheme in ("http://", "https://", "//cdn", "@import"):
            uses = text.replace("http://www.w3.org/2000/svg", "").count(scheme)
            assert uses == 0, f"{path.name} refers to {scheme}"
        if path.suffix in (".js", ".css", ".svg") or path.name == "index.html":
            assert client.get(f"/static/{path.relative_to(STATIC)}").status_code == 200


def test_a_page_from_another_site_cannot_open_a_session(client):
    with pytest.raises(WebSocketDisconnect) as info:
        with client.websocket_connect("/ws", headers={"origin": "http://evil.example"}):
            pass
    assert info.value.code == 1008
    with client.websocket_connect("/ws", headers={"origin": "http://testserver"}) as ws:
        assert Tab(ws).ok("ping")["type"] == "pong"


def test_frames_are_compact(tab):
    tab.ok("set", config={"hidden": [8, 8]})
    frame = tab.last_frame()
    _header, arrays = frame
    body = sum(a.nbytes for a in arrays.values())
    assert arrays["output"].dtype == np.uint8 and arrays["neurons"].dtype == np.uint8
    assert body == 50 * 50 + 16 * 25 * 25 + 4 * (2 * 8 + 8 + 64 + 8 + 8 + 1)
