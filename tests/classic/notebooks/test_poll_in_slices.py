"""``poll_in_slices``: a kernel channel's wait polls afresh every slice, so a message whose
wake-up was lost is still received, and a wait still ends at its own timeout."""

import asyncio
import time
from queue import Empty
from types import SimpleNamespace

import pytest

from glassnet.classic.notebooks import poll_in_slices


class Channel:
    """A channel whose poll misses the waiting message ``lost`` times, as a lost wake-up does
    (each miss waits its whole timeout), then sees it."""

    def __init__(self, lost):
        self.lost, self.waits = lost, []

    async def get_msg(self, timeout=None):
        self.waits.append(timeout)
        if self.lost is None or len(self.waits) <= self.lost:
            await asyncio.sleep(timeout if timeout is not None else 3600)
            raise Empty
        return {"msg_type": "execute_reply"}


def client_with(channel, hook=None):
    kc = SimpleNamespace(shell_channel=channel, iopub_channel=Channel(0),
                         control_channel=Channel(0))
    return SimpleNamespace(kc=kc, on_notebook_start=hook)


def test_a_message_behind_a_lost_wake_up_arrives_at_the_next_slice():
    channel = Channel(lost=2)
    client = poll_in_slices(client_with(channel), seconds=0.01)
    client.on_notebook_start(notebook=None)
    start = time.monotonic()
    msg = asyncio.run(client.kc.shell_channel.get_msg(timeout=60))
    assert msg["msg_type"] == "execute_reply" and time.monotonic() - start < 5
    assert channel.waits == [0.01, 0.01, 0.01]  # two missed slices, then the message
    # a wait without a timeout polls in slices too
    channel = Channel(lost=1)
    client = poll_in_slices(client_with(channel), seconds=0.01)
    client.on_notebook_start(notebook=None)
    assert asyncio.run(client.kc.shell_channel.get_msg())["msg_type"] == "execute_reply"


def test_a_wait_still_ends_at_its_own_timeout_and_an_earlier_hook_still_runs():
    seen = []
    client = poll_in_slices(client_with(Channel(lost=None), lambda notebook: seen.append(notebook)),
                            seconds=0.02)
    client.on_notebook_start(notebook="nb")
    assert seen == ["nb"]
    start = time.monotonic()
    with pytest.raises(Empty):
        asyncio.run(client.kc.shell_channel.get_msg(timeout=0.1))
    assert 0.09 < time.monotonic() - start < 2
