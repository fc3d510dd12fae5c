"""A short load test on loopback: 8 sessions training at once against ``glassnet playground``
run as a user runs it, every control answered, no session lost. The 30-second version with
latencies is ``benchmarks/playground.py``; this one asserts behaviour, never timings."""

import asyncio
import importlib.util
import time
from pathlib import Path

import pytest

pytest.importorskip("websockets", reason="the playground extra (websockets) is not installed")
pytest.importorskip("uvicorn", reason="the playground extra (uvicorn) is not installed")

# loaded from its file, so the benchmarks folder never lands on sys.path of the test run
_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "playground.py"
_spec = importlib.util.spec_from_file_location("glassnet_bench_playground", _PATH)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def test_eight_sessions_train_at_once_and_every_control_is_answered(live_server):
    result = asyncio.run(bench.load(live_server, sessions=8, seconds=3.0, interval=0.1))
    assert result["open_during"] == 8
    assert result["messages"] >= 8 * 3 * 5  # set-up messages and the controls while training
    assert result["unanswered"] == 0 and result["errors"] == 0
    assert result["alive_at_end"] == 8
    assert all(fps > 0 for fps in result["fps_per_session"])  # every session kept training
    deadline = time.monotonic() + 10
    while bench.status(live_server)["sessions"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert bench.status(live_server)["sessions"] == 0  # closing the tabs freed every session


def test_the_live_view_streams_frames(live_server):
    result = asyncio.run(bench.live_view(live_server, seconds=1.0))
    assert result["frames"] > 0
    # 2-8-8-1 at the default 50 x 50 grid: the maps and weights in bytes, plus a small header
    body = 50 * 50 + 16 * 25 * 25 + 4 * 105
    assert body < result["bytes_per_frame"] < body + 1500
