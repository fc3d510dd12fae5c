"""The messages a page may send, and the checks each one passes before anything runs.

A message is a JSON object ``{"type": ..., "id": ..., ...fields}``. ``id`` (optional: an integer
or a short string) comes back in the reply, so a page can match replies to what it sent.
``parse_message`` checks the JSON, the type, that every field is known and present, and each
value's type and range; anything wrong raises ``ProtocolError`` with a one-line message that
names the field, which the server sends back as ``{"type": "error", "id": ..., "message": ...}``.
Checks that need the session (a weight's index, a point's number, a CSV column) are made there,
with the same error type.

=============  =====================================================================
type           fields
=============  =====================================================================
set            config: an object of configuration keys (``config_fields``) to change
play, pause    (none)
step           (none): one epoch
reset          (none): new weights from the seed, epoch 0
regenerate     (none): new data from a new data seed
set_weight     layer, source, target (integers), value (number)
set_bias       layer, neuron (integers), value (number)
inspect        point (integer): one training step on that training point
upload         name, text: a CSV file's text
use_csv        x1, x2, target (column names), problem (auto, classification, regression)
ping           (none): answered with pong
=============  =====================================================================
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass

from .data import DATASETS, FEATURES

__all__ = ["config_fields", "LEARNING_RATES", "Limits", "ProtocolError", "parse_message"]


class ProtocolError(ValueError):
    """A message the server will not act on; the text says why, in one line."""


@dataclass(frozen=True)
class Limits:
    """Bounds on what one server and one session may use."""

    max_sessions: int = 16
    idle_timeout: float = 1800.0  # seconds without a message before a session is closed
    max_layers: int = 6
    max_neurons: int = 8
    min_points: int = 50
    max_points: int = 2000  # generated points, and rows of an uploaded CSV
    max_upload_bytes: int = 1_000_000
    min_grid: int = 20
    max_grid: int = 100
    max_fps: float = 30.0  # frames a playing session sends per second, at most

    @property
    def max_message_chars(self):
        # an upload's text arrives JSON-escaped (quotes, newlines, tabs: two characters each)
        return 2 * self.max_upload_bytes + 4096

    def to_dict(self):
        return {"max_layers": self.max_layers, "max_neurons": self.max_neurons,
                "min_points": self.min_points, "max_points": self.max_points,
                "max_upload_bytes": self.max_upload_bytes, "min_grid": self.min_grid,
                "max_grid": self.max_grid, "max_fps": self.max_fps}


#: the learning rates the page offers (TensorFlow Playground's list); any value in range works
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)


def _show(value):
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def integer(lo, hi):
    def check(name, value):
        if not _is_int(value) or not lo <= value <= hi:
            raise ProtocolError(f"{name} must be an integer in [{lo}, {hi}], got {_show(value)}")
        return value
    return check


def number(lo, hi):
    def check(name, value):
        if not _is_number(value) or not lo <= value <= hi:
            raise ProtocolError(f"{name} must be a number in [{lo:g}, {hi:g}], "
                                f"got {_show(value)}")
        return float(value)
    return check


def choice(*options):
    def check(name, value):
        if not isinstance(value, str) or value not in options:
            raise ProtocolError(f"{name} must be one of {', '.join(options)}; got {_show(value)}")
        return value
    return check


def text(max_chars):
    def check(name, value):
        if not isinstance(value, str):
            raise ProtocolError(f"{name} must be a string, got {_show(value)}")
        if len(value) > max_chars:
            raise ProtocolError(f"{name} is {len(value):,} characters long; at most "
                                f"{max_chars:,} are accepted")
        return value
    return check


def layer_sizes(max_layers, max_neurons):
    def check(name, value):
        if not isinstance(value, list) or len(value) > max_layers or not all(
                _is_int(v) and 1 <= v <= max_neurons for v in value):
            raise ProtocolError(f"{name} must be a list of at most {max_layers} layer sizes, "
                                f"each an integer in [1, {max_neurons}]; got {_show(value)}")
        return list(value)
    return check


def feature_names(name, value):
    if not isinstance(value, list) or not value or not all(
            isinstance(v, str) and v in FEATURES for v in value) or len(set(value)) != len(value):
        raise ProtocolError(f"{name} must be a non-empty list of distinct features from "
                            f"{', '.join(FEATURES)}; got {_show(value)}")
    return list(value)


def config_fields(limits):
    """The configuration keys a ``set`` message may change, each with its check."""
    return {
        "dataset": choice(*DATASETS, "csv"),
        "problem": choice("classification", "regression"),
        "noise": integer(0, 50),  # percent
        "train_ratio": integer(10, 90),  # percent of the points used for training
        "batch_size": integer(1, limits.max_points),
        "points": integer(limits.min_points, limits.max_points),
        "features": feature_names,
        "hidden": layer_sizes(limits.max_layers, limits.max_neurons),
        "activation": choice("relu", "tanh", "sigmoid", "linear"),
        "lr": number(1e-6, 10.0),
        "regularization": choice("none", "L1", "L2"),
        "reg_rate": number(0.0, 10.0),
        "optimizer": choice("sgd", "momentum", "adam"),
        "dropout": number(0.0, 0.9),
        "seed": integer(0, 2**31 - 1),
        "data_seed": integer(0, 2**31 - 1),
        "grid": integer(limits.min_grid, limits.max_grid),
    }


def _config(limits):
    fields = config_fields(limits)

    def check(name, value):
        if not isinstance(value, dict) or not value:
            raise ProtocolError(f"{name} must be a non-empty object of settings, "
                                f"got {_show(value)}")
        unknown = sorted(set(value) - set(fields))
        if unknown:
            raise ProtocolError(f"unknown setting {_show(unknown[0])}; known: "
                                f"{', '.join(fields)}")
        return {key: fields[key](key, v) for key, v in value.items()}
    return check


@functools.lru_cache(maxsize=8)
def _messages(limits):
    index = integer(0, 10_000)
    weight = number(-1000.0, 1000.0)
    column = text(100)
    return {
        "set": {"config": _config(limits)},
        "play": {}, "pause": {}, "step": {}, "reset": {}, "regenerate": {}, "ping": {},
        "set_weight": {"layer": index, "source": index, "target": index, "value": weight},
        "set_bias": {"layer": index, "neuron": index, "value": weight},
        "inspect": {"point": integer(0, 10**6)},
        "upload": {"name": text(200), "text": text(limits.max_message_chars)},
        "use_csv": {"x1": column, "x2": column, "target": column,
                    "problem": choice("auto", "classification", "regression")},
    }


def _reject_constant(name):
    raise ProtocolError(f"{name} is not a JSON number")


def parse_message(raw, limits=Limits()):
    """``(id, type, fields)`` of a text message, checked; raises ``ProtocolError``.

    The error carries ``.id`` when the message had a usable one, so the reply can name it.
    """
    if not isinstance(raw, str):
        raise ProtocolError("messages must be JSON text, not binary")
    if len(raw) > limits.max_message_chars:
        raise ProtocolError(f"message of {len(raw):,} characters is over the limit of "
                            f"{limits.max_message_chars:,}")
    try:
        msg = json.loads(raw, parse_constant=_reject_constant)
    except ProtocolError:
        raise
    except (ValueError, RecursionError) as e:  # also very deep nesting, huge integer literals
        raise ProtocolError(f"message is not valid JSON ({type(e).__name__})") from None
    if not isinstance(msg, dict):
        raise ProtocolError(f"a message must be a JSON object, got {type(msg).__name__}")
    msg_id = msg.pop("id", None)
    if msg_id is not None and not (
            (_is_int(msg_id) and 0 <= msg_id < 2**53) or
            (isinstance(msg_id, str) and len(msg_id) <= 64)):
        raise ProtocolError("id must be an integer in [0, 2^53) or a string of at most 64 "
                            "characters")
    try:
        kind = msg.pop("type", None)
        specs = _messages(limits)
        if kind is None:
            raise ProtocolError(f"message has no type; known: {', '.join(specs)}")
        if not isinstance(kind, str) or kind not in specs:
            raise ProtocolError(f"unknown message type {_show(kind)}; known: "
                                f"{', '.join(specs)}")
        spec = specs[kind]
        unknown = sorted(set(msg) - set(spec))
        if unknown:
            raise ProtocolError(f"{kind}: unknown field {_show(unknown[0])}")
        missing = [name for name in spec if name not in msg]
        if missing:
            raise ProtocolError(f"{kind}: missing field {missing[0]!r}")
        fields = {name: check(name, msg[name]) for name, check in spec.items()}
    except ProtocolError as e:
        e.id = msg_id
        raise
    return msg_id, kind, fields
