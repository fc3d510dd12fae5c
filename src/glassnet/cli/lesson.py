"""``glassnet lesson NAME`` and ``glassnet lesson --list``: the classic lessons from a shell;
``glassnet lesson NAME --notebook DIR [--lang zh]`` writes the lesson's Jupyter notebook."""

from __future__ import annotations

from ..errors import UsageError
from .output import DEFAULT_OUT

__all__ = ["add_notebook_arguments", "cmd_lesson", "register", "write_notebook"]


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
    add_notebook_arguments(p, "lesson")
    p.set_defaults(func=cmd_lesson)


def add_notebook_arguments(p, what):
    """``--notebook DIR`` and ``--lang``, shared by ``lesson`` and ``example``."""
    p.add_argument("--notebook", metavar="DIR",
                   help=f"write the {what}'s Jupyter notebook (.ipynb) into DIR instead of "
                        "running it (needs jupytext: pip install 'glassnet[notebooks]')")
    p.add_argument("--lang", choices=("en", "zh"), default=None,
                   help="the notebook's language: en (English, the default) or zh (简体中文)")


def write_notebook(args):
    """With ``--notebook``: write the notebook of ``args.name``, print its path; else False."""
    if args.notebook is None:
        if args.lang is not None:
            raise UsageError("--lang chooses the language of --notebook; add --notebook DIR")
        return False
    from ..classic.notebooks import write_notebook

    path = write_notebook(args.name, args.notebook, args.lang or "en")
    print(f"notebook: {path}")
    return True


def cmd_lesson(args):
    from ..classic.lessons import LESSONS, describe, run_lesson

    if args.list:
        print(describe())
        return 0
    if not args.name:
        raise UsageError("name a lesson (glassnet lesson NAME) or list them with --list")
    if args.name not in LESSONS:
        raise UsageError(f"unknown lesson {args.name!r}; run 'glassnet lesson --list' to see them")
    if write_notebook(args):
        return 0
    run_lesson(args.name, quick=args.quick, verbose=True, out=args.out)
    return 0
