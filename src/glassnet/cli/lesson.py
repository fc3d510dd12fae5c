"""``glassnet lesson NAME`` and ``glassnet lesson --list``: the classic lessons from a shell."""

from __future__ import annotations

from ..errors import UsageError
from .output import DEFAULT_OUT

__all__ = ["cmd_lesson", "register"]


def register(subparsers):
    """Add the ``lesson`` subcommand."""
    p = subparsers.add_parser(
        "lesson", help="run a classic lesson: print its numbers and save its figure",
        description="Run one of the classic lessons: it prints what the course prints and saves "
                    "its figure as a PNG (the path is printed).")
    p.add_argument("name", nargs="?", metavar="NAME", help="the lesson (see --list)")
    p.add_argument("--list", action="store_true", help="list the lessons, one line each")
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR",
                   help=f"folder for the figure (default: ./{DEFAULT_OUT}/)")
    p.add_argument("--quick", action="store_true", help="shorter settings where a lesson has them")
    p.set_defaults(func=cmd_lesson)


def cmd_lesson(args):
    from ..classic.lessons import LESSONS, describe, run_lesson

    if args.list:
        print(describe())
        return 0
    if not args.name:
        raise UsageError("name a lesson (glassnet lesson NAME) or list them with --list")
    if args.name not in LESSONS:
        raise UsageError(f"unknown lesson {args.name!r}; run 'glassnet lesson --list' to see them")
    run_lesson(args.name, quick=args.quick, verbose=True, out=args.out)
    return 0
