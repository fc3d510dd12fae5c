"""What every subcommand shares: the console, one-line warnings, the default output folder."""

from __future__ import annotations

from ..paths import DEFAULT_OUT

__all__ = ["DEFAULT_OUT", "console", "fmt", "one_line_warnings"]


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
