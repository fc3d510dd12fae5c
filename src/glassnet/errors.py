"""Every error glassnet raises for something a user can fix, in one place.

All of them derive from ``GlassnetError``: the command line prints such an error as one line
(``glassnet: error: ...``) and exits with code 2; any other exception is a bug and shows its
traceback. ``UsageError`` and ``DataError`` are also ``ValueError``s, so code that catches
``ValueError`` keeps working.
"""

from __future__ import annotations

import importlib

from .nn.errors import DivergenceError, GlassnetError, ModelFileError

__all__ = ["DataError", "DivergenceError", "GlassnetError", "MissingExtraError",
           "ModelFileError", "UsageError", "require", "shorten", "shown"]


class UsageError(GlassnetError, ValueError):
    """An option, setting or argument that cannot be used as given."""


class DataError(GlassnetError, ValueError):
    """A data file or table that cannot be used as it is (a missing column, a bad value)."""


class MissingExtraError(GlassnetError, ImportError):
    """A feature needs an optional dependency that is not installed."""


def require(module, extra, what):
    """Import ``module``, or raise ``MissingExtraError`` saying which extra brings it:
    ``glassnet search needs optuna: pip install 'glassnet[tune]'``."""
    try:
        return importlib.import_module(module)
    except ImportError:
        top = module.split(".")[0]
        raise MissingExtraError(f"{what} needs {top}: pip install 'glassnet[{extra}]'") from None


def shorten(text, limit=80):
    """``text`` cut to at most ``limit`` characters, keeping both ends: user text (a 10 MB
    column name, a cell) goes into messages and tables in bounded space."""
    text = str(text)
    if len(text) <= limit:
        return text
    keep = max(1, (limit - 1) // 2)
    return f"{text[:keep]}…{text[-keep:]}"


def shown(value, limit=80):
    """``repr(value)`` for a message, at most ``limit`` characters (a deeply nested or huge
    value is cut, never formatted whole: ``reprlib`` stops at a few items per level)."""
    import reprlib

    r = reprlib.Repr()
    r.maxstring, r.maxother, r.maxlist, r.maxdict, r.maxlevel = limit, limit, 6, 6, 3
    return shorten(r.repr(value), limit)
