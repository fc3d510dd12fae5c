"""The ``glassnet`` command: every subcommand, each a thin layer over the Python API.

============  ==========================  ==============================================
command       module                      API it runs
============  ==========================  ==============================================
train         cli/tabular.py              ``glassnet.tabular.train_frame``
evaluate      cli/tabular.py              ``glassnet.tabular.evaluate_frame``
predict       cli/tabular.py              ``glassnet.tabular.predict_frame``
info          cli/tabular.py              ``glassnet.io.load_bundle``
export        cli/export.py               ``glassnet.io.export_onnx``
search        cli/search.py               ``glassnet.tune.search``
lesson        cli/lesson.py               ``glassnet.classic.run_lesson``
example       cli/example.py              ``glassnet.projects.run``
tour          cli/example.py              ``glassnet.tour.run_tour``
playground    cli/playground.py           ``glassnet.playground.server.create_app``
============  ==========================  ==============================================

Errors: a ``GlassnetError`` (bad option, bad data, a damaged model file, a diverged run) or an
``OSError`` (a file that cannot be read or written) is printed as one line and exits with code
2; ``--verbose`` shows its traceback. Any other exception is a bug in glassnet and shows its
traceback. Subcommand modules import their heavy dependencies inside the command, so
``glassnet --help`` stays quick.
"""

from __future__ import annotations

import argparse
import sys

from ..nn.errors import GlassnetError

__all__ = ["build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``glassnet train: error: ... (see glassnet train
    --help)`` and exit code 2, instead of the whole usage block. Subcommands' parsers are of
    this class too (``add_subparsers`` makes its parsers of the parent's class)."""

    def error(self, message):
        text = " ".join(str(message).split())
        if len(text) > 300:
            text = text[:300] + "..."
        print(f"{self.prog}: error: {text} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(2)


def build_parser():
    from .. import __version__
    from . import example, export, lesson, playground, search, tabular

    parser = _Parser(
        prog="glassnet", description="A glass-box neural-network toolkit whose engine is NumPy."
    )
    parser.add_argument("--version", action="version", version=f"glassnet {__version__}")
    parser.add_argument("--verbose", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (tabular, export, search, lesson, example, playground):
        module.register(sub)
    for command in sub.choices.values():
        command.set_defaults(parser=command)
    return parser


def main(argv=None):
    parser = build_parser()
    try:
        args, unknown = parser.parse_known_args(argv)
        if unknown:  # said by the subcommand's parser, so the pointer names its --help
            sub = parser if not getattr(args, "command", None) else args.parser
            sub.error(f"unrecognized arguments: {' '.join(unknown)}")
    except SystemExit as e:  # --help, --version, or a usage error already printed
        return e.code if isinstance(e.code, int) else 2
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args) or 0
    except (GlassnetError, OSError) as e:
        if args.verbose:
            raise
        print(f"glassnet: error: {_one_line(e)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if args.verbose:
            raise
        print("glassnet: interrupted", file=sys.stderr)
        return 130


def _one_line(error):
    """The error's message on one line (an OSError names its file)."""
    if isinstance(error, OSError) and error.filename is not None and error.strerror:
        text = f"{error.filename}: {error.strerror}"
    else:
        text = str(error) or type(error).__name__
    text = " ".join(text.split())
    # Messages shorten the user text they quote; this caps what is left (a file name, say).
    return text if len(text) <= 2000 else text[:2000] + "..."


if __name__ == "__main__":
    sys.exit(main())
