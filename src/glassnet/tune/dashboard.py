"""optuna-dashboard on a study's own storage, served on the loopback address only.

The dashboard can change a study (delete trials, add notes), so it listens on 127.0.0.1 and
nowhere else; to watch a search on another machine, forward the port (``ssh -L``).
"""

from __future__ import annotations

import socketserver
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from ..errors import UsageError, require
from .study import open_storage, redact

__all__ = ["Dashboard", "start_dashboard"]

HOST = "127.0.0.1"


class _Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a request still open never keeps the process alive


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # one line per request would drown the trials
        pass


class Dashboard:
    """A running dashboard: ``url`` to open, ``close()`` to stop it."""

    def __init__(self, server, thread):
        self.server, self.thread = server, thread
        self.port = server.server_address[1]
        self.url = f"http://{HOST}:{self.port}/dashboard/"

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def start_dashboard(storage, port=8080):
    """Serve optuna-dashboard for the studies in ``storage`` (a database URL) on
    127.0.0.1:``port`` (0: any free port) in a background thread; returns a ``Dashboard``."""
    require("optuna_dashboard", "dashboard", "glassnet search --dashboard")
    from optuna_dashboard import wsgi

    app = wsgi(open_storage(storage))
    try:
        server = _Server((HOST, int(port)), _QuietHandler)
    except OSError as e:
        raise UsageError(f"cannot serve the dashboard on {HOST}:{port}: {e.strerror}; choose "
                         "another --dashboard-port") from None
    server.set_app(app)
    thread = threading.Thread(target=server.serve_forever, name="optuna-dashboard",
                              daemon=True)
    thread.start()
    dashboard = Dashboard(server, thread)
    dashboard.storage = redact(storage)
    return dashboard
