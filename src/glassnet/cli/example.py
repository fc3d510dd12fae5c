"""``glassnet example NAME`` (a worked project; ``--notebook DIR`` writes its notebook) and
``glassnet tour`` (all of them, quick)."""

from __future__ import annotations

from ..errors import UsageError
from .lesson import add_notebook_arguments, write_notebook
from .output import DEFAULT_OUT

__all__ = ["cmd_example", "cmd_tour", "register"]


def register(subparsers):
    """Add the ``example`` and ``tour`` subcommands."""
    p = subparsers.add_parser("example", help="run a worked project (--list shows them)")
    p.add_argument("name", nargs="?", help="project name, e.g. bike-sharing")
    p.add_argument("--list", action="store_true", help="list the worked projects")
    p.add_argument("--quick", action="store_true", help="shorter settings (as in the tour)")
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR",
                   help=f"folder for the project's files (default: ./{DEFAULT_OUT}/)")
    add_notebook_arguments(p, "project")
    p.set_defaults(func=cmd_example)

    p = subparsers.add_parser("tour", help="run the classic networks and print a table of results")
    p.add_argument("--quick", action="store_true", help="shorter settings where available")
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR",
                   help=f"folder for the projects' files (default: ./{DEFAULT_OUT}/)")
    p.set_defaults(func=cmd_tour)


def cmd_example(args):
    from .. import projects

    if args.list or not args.name:
        from rich.table import Table

        from .output import console

        table = Table(title="glassnet worked projects (run with: glassnet example NAME)")
        table.add_column("name")
        table.add_column("what it does")
        for name, desc in projects.available().items():
            table.add_row(name, desc)
        console().print(table)
        return 0 if args.list else 2
    if args.name not in projects.PROJECTS:
        raise UsageError(f"unknown project {args.name!r}; choose one of "
                         f"{', '.join(projects.PROJECTS)}")
    if write_notebook(args):
        return 0
    row = projects.run(args.name, quick=args.quick, verbose=True, out=args.out)
    print(f"\n{row['project']}: {row['metric']} = {row['result']} (reference {row['reference']})")
    return 0


def cmd_tour(args):
    from ..tour import run_tour

    run_tour(quick=args.quick, out=args.out)
    return 0
