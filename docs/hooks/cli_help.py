"""MkDocs hook: the command-line reference shows each subcommand's ``--help`` as glassnet prints
it, from the parser itself (``glassnet.cli.build_parser``), so the page cannot fall behind the
code. The ``<!-- cli-help -->`` marker of a page is replaced by one section per subcommand."""

from __future__ import annotations

import argparse
import os

MARKER = "<!-- cli-help -->"
WIDTH = "100"  # columns argparse wraps the help at (it reads COLUMNS)


def help_texts():
    """(command, help text) for ``glassnet`` and each of its subcommands, in the parser's order."""
    from glassnet.cli import build_parser

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = WIDTH
    try:
        parser = build_parser()
        texts = [("glassnet", parser.format_help())]
        for action in parser._subparsers._group_actions:  # argparse keeps no public handle
            if isinstance(action, argparse._SubParsersAction):
                texts += [(f"glassnet {name}", sub.format_help())
                          for name, sub in action.choices.items()]
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old
    return texts


def on_page_markdown(markdown, page, config, files):
    if MARKER not in markdown:
        return markdown
    sections = ["## Commands\n"]
    for command, text in help_texts():
        sections.append(f"### `{command}`\n\n```text\n{text.rstrip()}\n```\n")
    return markdown.replace(MARKER, "\n".join(sections))
