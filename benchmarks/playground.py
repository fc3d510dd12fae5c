"""The playground's live view and its server under load (a benchmark, not a timed test).

``python benchmarks/playground.py [--fps-seconds 10] [--load-seconds 30] [--sessions 8]``

* **live view**: one session playing a 2-8-8-1 network on 500 points at the default settings
  (circle, tanh, SGD lr 0.03, batch 10, 50% training points, a 50 x 50 map): frames per second
  and bytes per frame as the client receives them, and the frames per second the engine could
  make without the server's cap (``Limits.max_fps``), timing ``Session.tick`` alone.
* **load**: ``--sessions`` sessions playing at once, each sending a control message every
  ``--interval`` seconds (a learning rate, a ping, a regularization rate, in turn) for
  ``--load-seconds``; the latency of a control message (sent to answered), the median and
  95th percentile, with the count of messages sent and answered and of sessions still alive.

The server is ``glassnet playground`` itself, started in its own process on a free loopback
port; the clients are asyncio WebSocket clients (``websockets``) in this process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import struct
import subprocess
import sys
import time
import urllib.request

LIVE_VIEW = {"hidden": [8, 8]}  # everything else at its default


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port=None, timeout=30.0):
    """``glassnet playground --no-browser`` on a free port: (process, base URL)."""
    port = port or free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "glassnet", "playground", "--no-browser", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            status(url)
            return proc, url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("the playground did not start:\n" + proc.stdout.read()) \
                    from None
            time.sleep(0.2)


def stop_server(proc):
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def status(url):
    with urllib.request.urlopen(url + "/api/status", timeout=5) as r:
        return json.load(r)


def header_of(frame):
    (n,) = struct.unpack_from("<I", frame)
    return json.loads(frame[4:4 + n])


class Client:
    """One tab: connects, keeps count of frames, and times each control's reply."""

    def __init__(self, url):
        self.uri = url.replace("http://", "ws://") + "/ws"
        self.frames = 0
        self.frame_bytes = 0
        self.last_epoch = 0
        self.sent = {}  # id -> time sent
        self.latencies = []
        self.errors = []
        self.closed = None
        self.next_id = 1
        self.replied = asyncio.Event()

    async def connect(self):
        from websockets.asyncio.client import connect

        self.ws = await connect(self.uri, max_size=None)
        self.hello = json.loads(await self.ws.recv())
        assert self.hello["type"] == "hello", self.hello
        self.reader = asyncio.create_task(self._read())

    async def _read(self):
        try:
            async for message in self.ws:
                if isinstance(message, bytes):
                    header = header_of(message)
                    if header["type"] == "frame":
                        self.frames += 1
                        self.frame_bytes += len(message)
                        self.last_epoch = header["epoch"]
                    continue
                msg = json.loads(message)
                sent = self.sent.pop(msg.get("id"), None)
                if sent is not None:
                    self.latencies.append(time.perf_counter() - sent)
                    if msg["type"] == "error":
                        self.errors.append(msg["message"])
                    self.replied.set()
        except Exception as e:  # the connection dropped: the session is lost
            self.closed = repr(e)

    async def send(self, type, **fields):
        msg_id = self.next_id
        self.next_id += 1
        self.sent[msg_id] = time.perf_counter()
        await self.ws.send(json.dumps({"type": type, "id": msg_id, **fields}))
        return msg_id

    async def request(self, type, timeout=30.0, **fields):
        msg_id = await self.send(type, **fields)
        deadline = time.monotonic() + timeout
        while msg_id in self.sent:
            self.replied.clear()
            await asyncio.wait_for(self.replied.wait(), max(0.01, deadline - time.monotonic()))

    async def drain(self, timeout=30.0):
        """Wait until every message sent has its reply."""
        deadline = time.monotonic() + timeout
        while self.sent and time.monotonic() < deadline:
            await asyncio.sleep(0.02)

    async def close(self):
        await self.ws.close()
        await self.reader


CONTROLS = [("set", {"config": {"lr": 0.03}}), ("ping", {}),
            ("set", {"config": {"reg_rate": 0.001}}), ("set", {"config": {"lr": 0.01}})]


async def live_view(url, seconds):
    """Frames per second and bytes per frame of one playing session, at the client."""
    client = Client(url)
    await client.connect()
    await client.request("set", config=LIVE_VIEW)
    await client.request("play")
    await asyncio.sleep(1.0)  # warm up
    frames, nbytes, t0 = client.frames, client.frame_bytes, time.perf_counter()
    await asyncio.sleep(seconds)
    frames, nbytes = client.frames - frames, client.frame_bytes - nbytes
    elapsed = time.perf_counter() - t0
    await client.request("pause")
    await client.close()
    return {"fps": frames / elapsed, "bytes_per_frame": nbytes / max(frames, 1),
            "frames": frames, "seconds": elapsed, "max_fps": client.hello["limits"]["max_fps"]}


def engine_rate(seconds):
    """Frames per second of ``Session.tick`` (an epoch, the forward pass over training points,
    test points and grid, and the packed frame) in this process, without the server's cap."""
    from glassnet.playground.session import Session

    s = Session(config=LIVE_VIEW)
    s.tick()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        s.tick()
        n += 1
    return {"fps": n / (time.perf_counter() - t0), "bytes_per_frame": len(s.frame())}


async def load(url, sessions=8, seconds=30.0, interval=0.1):
    """``sessions`` tabs playing at once, each sending a control every ``interval`` s."""
    clients = [Client(url) for _ in range(sessions)]
    for c in clients:
        await c.connect()
        await c.request("set", config=LIVE_VIEW)
        await c.request("play")
    open_during = status(url)["sessions"]

    async def controls(c, k):
        t_end = time.monotonic() + seconds
        i = k
        while time.monotonic() < t_end:
            kind, fields = CONTROLS[i % len(CONTROLS)]
            await c.send(kind, **fields)
            i += 1
            await asyncio.sleep(interval)

    frames_before = [c.frames for c in clients]
    await asyncio.gather(*(controls(c, k) for k, c in enumerate(clients)))
    frames_during = [c.frames - f for c, f in zip(clients, frames_before)]
    for c in clients:
        await c.drain()
    sent = sum(c.next_id - 1 for c in clients)
    unanswered = sum(len(c.sent) for c in clients)
    alive = 0
    for c in clients:  # a session is alive if it still answers and has its connection
        if c.closed is None:
            await c.request("ping", timeout=10)
            alive += c.closed is None
    for c in clients:
        await c.request("pause")
        await c.close()
    latencies = sorted(t for c in clients for t in c.latencies)
    return {
        "sessions": sessions, "seconds": seconds, "open_during": open_during,
        "alive_at_end": alive, "messages": sent, "unanswered": unanswered,
        "errors": sum(len(c.errors) for c in clients),
        "latency_median_ms": 1000 * statistics.median(latencies),
        "latency_p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "latency_max_ms": 1000 * latencies[-1],
        "fps_per_session": [f / seconds for f in frames_during],
    }


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--fps-seconds", type=float, default=10.0)
    p.add_argument("--load-seconds", type=float, default=30.0)
    p.add_argument("--sessions", type=int, default=8)
    p.add_argument("--interval", type=float, default=0.1, help="seconds between controls")
    p.add_argument("--json", help="also write the results to this file")
    args = p.parse_args(argv)
    results = {"cpus": os.cpu_count(), "engine": engine_rate(min(args.fps_seconds, 5.0))}
    proc, url = start_server()
    try:
        results["live_view"] = asyncio.run(live_view(url, args.fps_seconds))
        results["load"] = asyncio.run(load(url, args.sessions, args.load_seconds,
                                           args.interval))
    finally:
        stop_server(proc)
    v, e, ld = results["live_view"], results["engine"], results["load"]
    print(f"live view, 2-8-8-1 on 500 points: {v['fps']:.1f} frames/s at the client "
          f"(server cap {v['max_fps']:g}), {v['bytes_per_frame']:,.0f} bytes per frame; the "
          "engine alone: "
          f"{e['fps']:.0f} frames/s")
    fps = ld["fps_per_session"]
    print(f"load, {ld['sessions']} sessions for {ld['seconds']:g} s: {ld['messages']} controls, "
          f"{ld['unanswered']} unanswered, {ld['errors']} errors, {ld['alive_at_end']}/"
          f"{ld['sessions']} sessions alive; latency median {ld['latency_median_ms']:.1f} ms, "
          f"p95 {ld['latency_p95_ms']:.1f} ms, max {ld['latency_max_ms']:.1f} ms; "
          f"{min(fps):.1f}-{max(fps):.1f} frames/s per session")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    ok = ld["unanswered"] == 0 and ld["alive_at_end"] == ld["sessions"] and ld["errors"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
