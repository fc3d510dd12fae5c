"""``glassnet playground``: start the local server and open the page in the browser."""

from __future__ import annotations

import argparse
import errno
import ipaddress
import socket
import sys
import threading
import webbrowser

from ..errors import MissingExtraError, UsageError

MISSING = "glassnet playground needs Starlette and uvicorn: pip install 'glassnet[playground]'"


def _port(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be in [1, 65535], got {value}")
    return value


def register(subparsers):
    """Add the playground subcommand."""
    p = subparsers.add_parser(
        "playground", help="train a network in the browser and see every number",
        description="Start a local web server with the glassnet playground (toy data, live "
                    "decision maps, the step inspector) and open it in the browser.",
    )
    p.add_argument("--port", type=_port, default=8765, help="port to listen on (default: 8765)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--no-browser", action="store_true", help="print the address, open nothing")
    p.set_defaults(func=cmd_playground)


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cmd_playground(args):
    try:
        import uvicorn

        from ..playground.server import create_app
    except ImportError:
        raise MissingExtraError(MISSING) from None
    if not is_loopback(args.host):
        print(f"warning: listening on {args.host}: anyone who can reach this address can use "
              "the playground and its CPU; it has no authentication", file=sys.stderr)
    try:  # a taken port is the user's to fix: say so in one line before starting anything
        with socket.create_server((args.host, args.port)):
            pass
    except OSError as e:
        why = "is in use" if e.errno == errno.EADDRINUSE else f"cannot be opened ({e.strerror})"
        raise UsageError(f"{args.host}:{args.port} {why}; choose another with --port or "
                         "--host") from None
    shown = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else shown}:{args.port}/"
    print(f"glassnet playground: {url}  (Ctrl+C stops it)", flush=True)
    if not args.no_browser:
        threading.Timer(1.0, webbrowser.open, (url,)).start()
    uvicorn.run(create_app(), host=args.host, port=args.port, log_level="warning")
    return 0
