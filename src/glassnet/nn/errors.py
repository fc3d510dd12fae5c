"""The errors the engine raises that a user can meet and fix (``glassnet.errors`` re-exports
them beside the command line's own)."""

from __future__ import annotations

__all__ = ["DivergenceError", "GlassnetError", "ModelFileError"]


class GlassnetError(Exception):
    """Base of every error glassnet raises for something the user can fix (bad data, a bad
    option, a damaged file). The command line prints such an error as one line and exits 2;
    anything else is a bug and shows its traceback."""


class DivergenceError(GlassnetError, FloatingPointError):
    """Training produced a NaN or infinite loss (usually: the learning rate is too high)."""


class ModelFileError(GlassnetError, ValueError):
    """A model file is missing, truncated, tampered with, or not a glassnet model."""
