"""``glassnet example NAME``: run a worked project at full settings (``--quick``: short run)."""

from __future__ import annotations

import inspect


def cmd_example(args):
    from ..cli import UsageError
    from . import available, get

    if args.list or not args.name:
        from rich.console import Console
        from rich.table import Table

        table = Table(title="glassnet worked projects (run with: glassnet example NAME)")
        table.add_column("name")
        table.add_column("what it does")
        for name, desc in available().items():
            table.add_row(name, desc)
        Console().print(table)
        return 0 if args.list else 2
    try:
        module = get(args.name)
    except ValueError as e:
        raise UsageError(str(e)) from None
    # Projects written elsewhere (the lessons) may not take every option: pass what they take.
    accepted = inspect.signature(module.run).parameters
    kwargs = {k: v for k, v in (("quick", args.quick), ("verbose", True), ("out_dir", args.out))
              if k in accepted}
    if args.quick and "quick" not in accepted:
        raise UsageError(f"project {args.name!r} has no --quick setting")
    row = module.run(**kwargs)
    print(f"\n{row['project']}: {row['metric']} = {row['result']} (reference {row['reference']})")
    return 0


def register(subparsers):
    """Add the ``example`` subcommand to the ``glassnet`` parser."""
    p = subparsers.add_parser("example", help="run a worked project (--list shows them)")
    p.add_argument("name", nargs="?", help="project name, e.g. bike-sharing")
    p.add_argument("--list", action="store_true", help="list the worked projects")
    p.add_argument("--quick", action="store_true", help="shorter settings (as in the tour)")
    p.add_argument("--out", default="glassnet-out", metavar="DIR",
                   help="folder for plots (default: ./glassnet-out)")
    p.set_defaults(func=cmd_example)
