"""Playground fixtures: the app on Starlette's test client, a tab on it, a real server.

A test that waits for a reply that never comes would hang: a watchdog ends the run with every
thread's traceback instead (helpers live in pg_helpers, on the path for the test modules).
"""

import faulthandler
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from pg_helpers import Tab, free_port


@pytest.fixture(autouse=True)
def watchdog():
    faulthandler.dump_traceback_later(240, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture
def make_app():
    from glassnet.playground.server import create_app

    return create_app


@pytest.fixture
def client(make_app):
    from starlette.testclient import TestClient

    with TestClient(make_app()) as c:
        yield c


@pytest.fixture
def tab(client):
    with client.websocket_connect("/ws") as ws:
        yield Tab(ws)


@pytest.fixture(scope="module")
def live_server():
    """``glassnet playground`` itself, started as a user would, on a free loopback port."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "glassnet", "playground", "--no-browser", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "/api/status", timeout=2) as r:
                json.load(r)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("the playground server did not start:\n" +
                                   proc.stdout.read()) from None
            time.sleep(0.2)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
