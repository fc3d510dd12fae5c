"""Shared by the playground tests: a tab on Starlette's test client, malformed messages,
and small helpers for a real server on loopback."""

import json
import socket
import urllib.request

from glassnet.playground.wire import unpack

#: malformed or out-of-range messages, each with what its error must say
BAD = [
    ("not json", "not valid JSON"),
    ("[1, 2, 3]", "must be a JSON object"),
    ('"play"', "must be a JSON object"),
    ("{}", "message has no type"),
    ('{"type": 5}', "unknown message type 5"),
    ('{"type": "fly"}', "unknown message type 'fly'"),
    ('{"type": "play", "speed": 2}', "unknown field 'speed'"),
    ('{"type": "set"}', "missing field 'config'"),
    ('{"type": "set", "config": []}', "config must be a non-empty object"),
    ('{"type": "set", "config": {}}', "config must be a non-empty object"),
    ('{"type": "set", "config": {"colour": 1}}', "unknown setting 'colour'"),
    ('{"type": "set", "config": {"lr": "fast"}}', "lr must be a number"),
    ('{"type": "set", "config": {"lr": -1}}', "lr must be a number in"),
    ('{"type": "set", "config": {"lr": NaN}}', "NaN is not a JSON number"),
    ('{"type": "set", "config": {"lr": 1e999}}', "lr must be a number"),
    ('{"type": "set", "config": {"lr": true}}', "lr must be a number"),
    ('{"type": "set", "config": {"hidden": [9]}}', "at most 6 layer sizes"),
    ('{"type": "set", "config": {"hidden": [1, 1, 1, 1, 1, 1, 1]}}', "at most 6 layer sizes"),
    ('{"type": "set", "config": {"hidden": [2.5]}}', "hidden must be a list"),
    ('{"type": "set", "config": {"features": []}}', "non-empty list of distinct features"),
    ('{"type": "set", "config": {"features": ["x1", "x1"]}}', "distinct features"),
    ('{"type": "set", "config": {"activation": "swish"}}', "activation must be one of"),
    ('{"type": "set", "config": {"noise": 51}}', "noise must be an integer in"),
    ('{"type": "set", "config": {"batch_size": 0}}', "batch_size must be an integer in"),
    ('{"type": "set", "config": {"points": 10000000}}', "points must be an integer in"),
    ('{"type": "set", "config": {"grid": 1000}}', "grid must be an integer in"),
    ('{"type": "set_weight", "layer": 0, "source": 0, "target": 0}', "missing field 'value'"),
    ('{"type": "set_weight", "layer": -1, "source": 0, "target": 0, "value": 1}',
     "layer must be an integer"),
    ('{"type": "set_bias", "layer": 0, "neuron": 0, "value": 1e6}', "value must be a number"),
    ('{"type": "inspect", "point": "3"}', "point must be an integer"),
    ('{"type": "upload", "name": "a.csv", "text": 12}', "text must be a string"),
    ('{"type": "use_csv", "x1": "a", "x2": "b", "target": "c", "problem": "cluster"}',
     "problem must be one of"),
    ('{"type": "ping", "id": {"a": 1}}', "id must be an integer"),
    ('{"type": "ping", "id": -4}', "id must be an integer"),
    ("[" * 100_000, "not valid JSON"),
    ('{"type": "ping", "id": 1' + "0" * 5000 + "}", "not valid JSON"),
]


class Tab:
    """One browser tab's side of the WebSocket, on Starlette's test client."""

    def __init__(self, ws):
        self.ws = ws
        self.next_id = 1
        self.frames, self.setups, self.other = [], [], []
        self.hello = self.text()
        assert self.hello["type"] == "hello"
        kinds = [self.binary()[0]["type"] for _ in range(3)]
        assert kinds == ["thumbs", "setup", "frame"]

    def receive(self):
        """The next message: ("text", dict) or ("binary", (header, arrays)); binaries kept."""
        m = self.ws.receive()
        if m["type"] == "websocket.close":
            raise ConnectionError(f"closed by the server (code {m.get('code')})")
        if m.get("bytes") is not None:
            header, arrays = unpack(m["bytes"])
            {"frame": self.frames, "setup": self.setups}.get(header["type"], self.other).append(
                (header, arrays))
            return "binary", (header, arrays)
        return "text", json.loads(m["text"])

    def text(self):
        while True:
            kind, msg = self.receive()
            if kind == "text":
                return msg

    def binary(self):
        while True:
            kind, msg = self.receive()
            if kind == "binary":
                return msg

    def send(self, type, **fields):
        msg_id = self.next_id
        self.next_id += 1
        self.ws.send_text(json.dumps({"type": type, "id": msg_id, **fields}))
        return msg_id

    def request(self, type, **fields):
        """Send and return the reply with the same id (an ack, pong or error)."""
        msg_id = self.send(type, **fields)
        while True:
            msg = self.text()
            if msg.get("id") == msg_id:
                return msg
            self.other.append(msg)

    def ok(self, type, **fields):
        reply = self.request(type, **fields)
        assert reply["type"] != "error", reply
        return reply

    def raw(self, text):
        """Send raw text; return the next text message (the reply to it)."""
        self.ws.send_text(text)
        return self.text()

    def last_frame(self):
        return self.frames[-1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(url):
    with urllib.request.urlopen(url + "/api/status", timeout=5) as r:
        return json.load(r)
