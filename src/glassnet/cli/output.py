"""What every subcommand shares: the console, one-line warnings, the default output folder."""

from __future__ import annotations

from ..io import DEFAULT_OUT

__all__ = ["DEFAULT_OUT", "check_output_path", "console", "fmt", "one_line_warnings", "plain"]


def one_line_warnings():
    """Warnings as one plain line each (``glassnet: warning: ...``), not Python's source echo."""
    import warnings

    warnings.formatwarning = lambda message, *args, **kwargs: f"glassnet: warning: {message}\n"


def console(**kwargs):
    """A rich console that prints text as given (no highlighting of numbers and paths)."""
    from rich.console import Console

    return Console(highlight=False, **kwargs)


def fmt(value):
    """A metric for a table: 4 decimals (6 significant digits when large), ints with commas."""
    if isinstance(value, float):
        text = f"{value:.4f}" if abs(value) < 1e4 else f"{value:.6g}"
        return "0.0000" if text == "-0.0000" else text
    return f"{value:,}" if isinstance(value, int) else str(value)


def plain(value, limit=200):
    """User text (a column, a label, a file name) for a rich table or title: shown as it is,
    never read as markup (a label ``[/]`` would crash rich, ``[low]`` would vanish), and cut to
    ``limit`` characters."""
    from rich.text import Text

    from ..errors import shorten

    return Text(shorten(value, limit))


def check_output_path(path, inputs=(), option="--output"):
    """Raise before any work if writing to ``path`` would fail or destroy an input: a folder,
    an unwritable place, or the same file as one of ``inputs`` (the model, the data)."""
    import os

    from ..errors import UsageError
    from ..nn.files import check_output

    if check_output(path) != "replace":
        return
    for source in inputs:
        if source is None or str(source) == "-":
            continue
        same = os.path.realpath(path) == os.path.realpath(source)
        if not same and os.path.exists(path) and os.path.exists(source):
            same = os.path.samefile(path, source)
        if same:
            raise UsageError(f"{option} {path} is the input file {source}; writing there "
                             "would destroy it: choose another path")
