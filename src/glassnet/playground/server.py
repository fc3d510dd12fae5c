"""The playground's web server: a Starlette app, one WebSocket (one session) per browser tab.

What runs where:

* The event loop only moves messages: it reads a tab's messages in order, checks each one
  (``protocol.parse_message``) and sends replies and frames.
* Work on a session (training, maps, weight edits, uploads, exports) runs in a worker thread
  holding that session's lock (taken in the worker, never on the loop), so it never touches a
  session that is mid-epoch and never blocks the loop. Training and controls use two separate
  thread pools: a control waits at most for its own session's epoch if one is running, never
  behind other sessions' training. One training thread: under the GIL a second one only adds
  contention (docs/design.md, "Playground", has the measurements).
* A playing session has one task that trains an epoch, sends the frame, and sleeps out the
  rest of the frame period (``Limits.max_fps``); ``pause`` takes effect at the next frame.

Bounds: at most ``Limits.max_sessions`` sessions (at the cap, the one idle longest is reclaimed
if it has been idle for ``reclaim_after`` seconds); a session idle for ``idle_timeout``
seconds is closed; sizes and ranges are capped by ``protocol.Limits``. A bad message gets an
error reply and the session goes on; an unexpected exception is logged and answered the same
way, so no input takes the server down.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from .exports import history_csv, model_file, python_script
from .protocol import Limits, ProtocolError, parse_message
from .session import Session

__all__ = ["Hub", "create_app"]

log = logging.getLogger("glassnet.playground")
STATIC = Path(__file__).parent / "static"
# Everything the page loads comes from this server: no CDN, no inline script.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data: blob:; connect-src 'self'; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
DIVERGED = ("training diverged: the loss is no longer a finite number. Lower the learning "
            "rate and press reset.")


@dataclass(eq=False)
class Live:
    """A session and the connection of the tab that owns it."""

    id: str
    session: Session
    websocket: object
    guard: threading.Lock = field(default_factory=threading.Lock)  # held by work on it
    send_lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # one send at a time
    playing: bool = False
    player: asyncio.Task | None = None
    last_seen: float = field(default_factory=time.monotonic)
    closed: bool = False

    async def send(self, payload):
        """Send text (a dict, as JSON) or bytes; a connection that has gone is marked closed."""
        if self.closed:
            return
        try:
            async with self.send_lock:
                if isinstance(payload, bytes):
                    await self.websocket.send_bytes(payload)
                else:
                    await self.websocket.send_text(json.dumps(payload, allow_nan=False))
        except Exception:  # the tab went away mid-send (each server raises its own type)
            self.closed = True
            self.playing = False


class Hub:
    """All sessions of one server, the worker threads, and the rules for each message."""

    def __init__(self, limits=None, *, workers=1, reclaim_after=120.0):
        self.limits = limits or Limits()
        self.reclaim_after = reclaim_after
        self.sessions: dict[str, Live] = {}
        self.train_pool = ThreadPoolExecutor(workers, thread_name_prefix="playground-train")
        # controls of several tabs may each wait for their own session's epoch: room for them
        self.control_pool = ThreadPoolExecutor(4, thread_name_prefix="playground-control")
        self._thumbnails = None

    async def _run(self, pool, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)

    async def work(self, live, pool, fn, *args):
        """``fn(*args)`` in a thread of ``pool``, holding the session's lock while it runs."""
        return await self._run(pool, _locked, live.guard, fn, *args)

    # ---------------------------------------------------------------- life cycle
    async def open(self, websocket):
        """A new session for a new tab, or None when the server is full."""
        if len(self.sessions) >= self.limits.max_sessions:
            idle = min(self.sessions.values(), key=lambda live: live.last_seen)
            if time.monotonic() - idle.last_seen >= self.reclaim_after:
                await self.close(idle, "reclaimed: the server needed room for a new tab and "
                                       "this session had been idle longest")
        if len(self.sessions) >= self.limits.max_sessions:
            return None
        session = await self._run(self.control_pool, Session, self.limits)
        live = Live(secrets.token_urlsafe(16), session, websocket)
        self.sessions[live.id] = live
        return live

    async def close(self, live, reason=None):
        if self.sessions.get(live.id) is live:
            del self.sessions[live.id]
        live.playing = False
        if reason and not live.closed:
            await live.send({"type": "closed", "message": reason})
            with contextlib.suppress(Exception):
                await live.websocket.close(code=1001)
        live.closed = True
        if live.player is not None and not live.player.done():
            live.player.cancel()

    async def sweep(self):
        """Close every session idle for longer than ``idle_timeout``."""
        now = time.monotonic()
        for live in list(self.sessions.values()):
            if now - live.last_seen > self.limits.idle_timeout:
                await self.close(live, f"closed after {self.limits.idle_timeout / 60:g} minutes "
                                       "without activity; reload the page to start again")

    def shutdown(self):
        self.train_pool.shutdown(wait=False, cancel_futures=True)
        self.control_pool.shutdown(wait=False, cancel_futures=True)

    async def greet(self, live):
        """What a new tab receives: its session id and limits, then pictures and a first frame."""
        if self._thumbnails is None:
            self._thumbnails = await self._run(self.control_pool, Session.thumbnails)
        setup, frame = await self.work(live, self.control_pool, _setup_and_frame, live.session)
        await live.send({"type": "hello", "session": live.id, "limits": self.limits.to_dict(),
                         "defaults": live.session.state()["config"], "playing": False})
        for payload in (self._thumbnails, setup, frame):
            await live.send(payload)

    # ---------------------------------------------------------------- messages
    async def receive(self, live, text=None, data=None):
        """Handle one message from the tab: a reply always goes back, an error or otherwise."""
        live.last_seen = time.monotonic()
        msg_id = None
        try:
            if data is not None:
                raise ProtocolError("messages must be JSON text, not binary")
            msg_id, kind, fields = parse_message(text, self.limits)
            await self._dispatch(live, msg_id, kind, fields)
        except ProtocolError as e:
            await live.send({"type": "error", "id": getattr(e, "id", msg_id),
                             "message": str(e)})
        except Exception:  # a bug, not the user: log it, answer, and keep the session
            log.exception("playground: error while handling a message")
            await live.send({"type": "error", "id": msg_id, "message": "internal error while "
                             "handling this message (logged on the server); the session goes on"})

    async def _dispatch(self, live, msg_id, kind, fields):
        reply = {"type": "ack", "id": msg_id, "of": kind}
        if kind == "ping":
            await live.send({"type": "pong", "id": msg_id})
            return
        if kind in ("play", "pause"):
            live.playing = kind == "play"
            if live.playing and (live.player is None or live.player.done()):
                live.player = asyncio.create_task(self._play(live))
            await live.send({**reply, "playing": live.playing})
            return
        result, binaries = await self.work(live, self.control_pool, _apply, live.session, kind,
                                           fields)
        if result.pop("restarted", False):
            live.playing = False  # a new run starts paused, as in TensorFlow Playground
        for payload in binaries:  # first, so a page that has the reply has what it changed
            await live.send(payload)
        await live.send({**reply, **result, "playing": live.playing})

    async def _play(self, live):
        """Train an epoch, send its frame, wait out the frame period; until paused."""
        loop = asyncio.get_running_loop()
        period = 1.0 / self.limits.max_fps
        while live.playing and not live.closed:
            started = loop.time()
            frame, diverged = await self.work(live, self.train_pool, _tick, live.session)
            await live.send(frame)
            if diverged:
                live.playing = False
                await live.send({"type": "status", "playing": False, "message": DIVERGED})
                break
            await asyncio.sleep(max(0.0, period - (loop.time() - started)))


def _locked(guard, fn, *args):
    with guard:
        return fn(*args)


def _tick(session):
    return session.tick(), session.diverged


def _setup_and_frame(session):
    return session.setup(), session.frame()


def _apply(session, kind, fields):
    """Run one control on a session (in a worker thread, under its lock): (reply fields,
    binary messages to send after the reply)."""
    if kind == "set":
        change = session.update(fields["config"])
        grid = "grid" in fields["config"]
        binaries = (_setup_and_frame(session) if change == "restart" or grid
                    else (session.frame(),) if change == "live" else ())
        return {**session.state(), "restarted": change == "restart"}, binaries
    if kind in ("reset", "regenerate", "use_csv"):
        if kind == "reset":
            session.restart()
        elif kind == "regenerate":
            session.regenerate()
        else:
            session.use_csv(**fields)
        return {**session.state(), "restarted": True}, _setup_and_frame(session)
    if kind == "step":
        frame = session.tick()
        return {"epoch": session.epoch}, (frame,)
    if kind == "set_weight":
        session.set_weight(**fields)
        return {}, (session.frame(),)
    if kind == "set_bias":
        session.set_bias(**fields)
        return {}, (session.frame(),)
    if kind == "inspect":
        return {"inspection": session.inspect(fields["point"])}, (session.frame(),)
    if kind == "upload":
        return {"csv": session.load_csv(fields["name"], fields["text"])}, ()
    raise ProtocolError(f"unknown message type {kind!r}")  # pragma: no cover - parse checks


def _same_origin(websocket):
    """A browser names the page that opened the socket: only this server's own pages may (a
    site in another tab must not drive the playground). Non-browser clients send no Origin."""
    origin = websocket.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == websocket.headers.get("host")


def create_app(limits=None, *, workers=1, sweep_interval=30.0, reclaim_after=120.0):
    """The Starlette application: the page, its static files, ``/ws`` and the downloads."""
    hub = Hub(limits, workers=workers, reclaim_after=reclaim_after)
    index = (STATIC / "index.html").read_bytes()

    async def page(request):
        return HTMLResponse(index, headers=SECURITY_HEADERS)

    async def status(request):
        return JSONResponse({"sessions": len(hub.sessions),
                             "playing": sum(live.playing for live in hub.sessions.values()),
                             "max_sessions": hub.limits.max_sessions})

    async def socket(websocket):
        if not _same_origin(websocket):
            await websocket.close(code=1008)
            return
        await websocket.accept()
        live = await hub.open(websocket)
        if live is None:
            await websocket.send_text(json.dumps({
                "type": "error", "id": None, "message": f"the playground has "
                f"{hub.limits.max_sessions} sessions open, its limit: close another tab or "
                "try again later"}))
            await websocket.close(code=1013)
            return
        try:
            await hub.greet(live)
            while not live.closed:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    break
                await hub.receive(live, message.get("text"), message.get("bytes"))
        except Exception as e:  # a connection torn down mid-read ends only its own session
            if not live.closed:
                log.debug("playground: connection ended: %r", e)
        finally:
            await hub.close(live)

    def download(make, filename, media_type):
        async def endpoint(request):
            live = hub.sessions.get(request.path_params["sid"])
            if live is None:
                return JSONResponse({"error": "no such session (it may have been closed)"},
                                    status_code=404)
            live.last_seen = time.monotonic()
            content = await hub.work(live, hub.control_pool, make, live.session)
            return Response(content, media_type=media_type, headers={
                **SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'})
        return endpoint

    @contextlib.asynccontextmanager
    async def lifespan(app):
        async def sweeper():
            while True:
                await asyncio.sleep(sweep_interval)
                await hub.sweep()

        task = asyncio.create_task(sweeper())
        try:
            yield
        finally:
            task.cancel()
            for live in list(hub.sessions.values()):
                await hub.close(live, "the playground server is shutting down")
            hub.shutdown()

    routes = [
        Route("/", page),
        Route("/api/status", status),
        Route("/api/session/{sid}/model.npz",
              download(model_file, "glassnet-playground.npz", "application/octet-stream")),
        Route("/api/session/{sid}/history.csv",
              download(history_csv, "loss-history.csv", "text/csv")),
        Route("/api/session/{sid}/script.py",
              download(python_script, "playground_run.py", "text/x-python")),
        WebSocketRoute("/ws", socket),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.hub = hub
    return app
