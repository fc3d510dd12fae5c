"""Message checks: every malformed or out-of-range message is refused with a message that says
what is wrong; good messages come through typed."""

import json

import pytest
from pg_helpers import BAD

from glassnet.playground.protocol import Limits, ProtocolError, parse_message


@pytest.mark.parametrize("raw, message", BAD)
def test_bad_messages_are_refused_with_a_reason(raw, message):
    with pytest.raises(ProtocolError, match=message.replace("(", r"\(").replace("[", r"\[")):
        parse_message(raw)


def test_the_error_keeps_the_id_so_the_reply_can_name_it():
    with pytest.raises(ProtocolError) as info:
        parse_message('{"type": "set", "id": 41, "config": {"lr": 0}}')
    assert info.value.id == 41


def test_oversized_and_binary_messages():
    limits = Limits(max_upload_bytes=100)
    with pytest.raises(ProtocolError, match="over the limit"):
        parse_message(json.dumps({"type": "upload", "name": "a", "text": "x" * 5000}), limits)
    with pytest.raises(ProtocolError, match="not binary"):
        parse_message(b'{"type": "ping"}')


def test_good_messages_come_through_typed():
    msg_id, kind, fields = parse_message(json.dumps({
        "type": "set", "id": "abc", "config": {"lr": 1, "hidden": [8, 8, 8, 8, 8, 8],
                                               "features": ["sinx1", "x2"], "dropout": 0}}))
    assert (msg_id, kind) == ("abc", "set")
    assert fields["config"] == {"lr": 1.0, "hidden": [8] * 6, "features": ["sinx1", "x2"],
                                "dropout": 0.0}
    assert isinstance(fields["config"]["lr"], float)
    assert parse_message('{"type": "pause"}') == (None, "pause", {})
