"""``glassnet playground`` on the command line: the missing extra, the host warning, ports."""

import socket
import sys
import threading

import pytest
from pg_helpers import free_port

from glassnet.cli import main
from glassnet.cli import playground as cli

pytest.importorskip("uvicorn", reason="the playground extra (uvicorn) is not installed")


@pytest.mark.parametrize("missing", ["uvicorn", "starlette"])
def test_a_missing_extra_is_one_line_and_exit_2(missing, monkeypatch, capsys):
    import uvicorn

    def serve(*args, **kwargs):
        raise AssertionError("the server must not start without its extra")

    monkeypatch.setattr(uvicorn, "run", serve)
    # `import` of the package or any of its modules now raises ImportError
    for name in [n for n in sys.modules if n == missing or n.startswith(missing + ".")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, missing, None)
    monkeypatch.delitem(sys.modules, "glassnet.playground.server", raising=False)
    assert main(["playground", "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [f"glassnet: error: {cli.MISSING}"]
    assert "pip install 'glassnet[playground]'" in err


@pytest.fixture
def no_server(monkeypatch):
    """uvicorn.run records its arguments instead of serving; browser openings are recorded."""
    import uvicorn

    runs, timers = [], []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: runs.append((app, kw)))

    class Timer:
        def __init__(self, delay, fn, args):
            timers.append((fn, args))

        def start(self):
            pass

    monkeypatch.setattr(threading, "Timer", Timer)
    return runs, timers


def test_loopback_by_default_and_the_browser_opens(no_server, capsys):
    runs, timers = no_server
    port = free_port()
    assert main(["playground", "--port", str(port)]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == f"glassnet playground: http://127.0.0.1:{port}/  (Ctrl+C stops it)"
    assert err == ""
    assert runs[0][1]["host"] == "127.0.0.1" and runs[0][1]["port"] == port
    assert timers[0][1] == (f"http://127.0.0.1:{port}/",)


def test_another_host_warns_that_there_is_no_authentication(no_server, capsys):
    runs, timers = no_server
    assert main(["playground", "--host", "0.0.0.0", "--port", str(free_port()),
                 "--no-browser"]) == 0
    err = capsys.readouterr().err
    assert "warning: listening on 0.0.0.0" in err and "no authentication" in err
    assert runs[0][1]["host"] == "0.0.0.0" and timers == []


def test_a_port_in_use_is_a_one_line_error(no_server, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert main(["playground", "--port", str(port), "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [f"glassnet: error: 127.0.0.1:{port} is in use; choose another "
                                "with --port or --host"]
    assert no_server[0] == []


def test_a_bad_port_is_refused_by_the_parser(capsys):
    assert main(["playground", "--port", "70000"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "port must be in [1, 65535]" in err


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True),
                                            ("::1", True), ("0.0.0.0", False),
                                            ("192.168.1.4", False), ("example.org", False)])
def test_is_loopback(host, loopback):
    assert cli.is_loopback(host) is loopback
