"""The ``glassnet`` command.

Each subcommand lives in a function ``cmd_<name>(args)`` registered in ``build_parser``. Errors a
user can cause end with a one-line message and exit code 2; ``--verbose`` shows the traceback.
"""

from __future__ import annotations

import argparse
import sys

from . import __version__


class UsageError(Exception):
    """An error the user can fix (bad file, bad column, bad option): one line, exit code 2."""


def cmd_tour(args):
    from .tour import run_tour

    run_tour(quick=args.quick)
    return 0


def build_parser():
    parser = argparse.ArgumentParser(
        prog="glassnet", description="A glass-box neural-network toolkit whose engine is NumPy."
    )
    parser.add_argument("--version", action="version", version=f"glassnet {__version__}")
    parser.add_argument("--verbose", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("tour", help="run the classic networks and print a table of results")
    p.add_argument("--quick", action="store_true", help="shorter settings where available")
    p.set_defaults(func=cmd_tour)
    # Each feature area registers its own subcommands; imports stay inside so that
    # `glassnet --help` does not pay for pandas or matplotlib.
    from .classic.cli import register as register_lessons  # lesson
    from .commands.train import register as register_train  # train, evaluate, predict, info
    from .playground.cli import register as register_playground  # playground
    from .projects.cli import register as register_example  # example
    from .tune.cli import register as register_search  # search

    register_lessons(sub)
    register_train(sub)
    register_example(sub)
    register_search(sub)
    register_playground(sub)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args) or 0
    except (UsageError, ValueError, TypeError, OSError, KeyboardInterrupt) as e:
        if args.verbose:
            raise
        if isinstance(e, KeyboardInterrupt):
            print("glassnet: interrupted", file=sys.stderr)
            return 130
        print(f"glassnet: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
