"""Where glassnet writes and reads by default: the output folder and the download cache.

A module of constants and no imports beyond the standard library, so the command line can name
them in its help text without loading the engine.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["CACHE_VARIABLE", "DEFAULT_OUT", "cache_dir"]

#: where commands, lessons and projects write their files unless told otherwise
DEFAULT_OUT = "glassnet-out"

#: the environment variable that names the download cache folder
CACHE_VARIABLE = "GLASSNET_CACHE"


def cache_dir():
    """The user cache folder for downloaded data (created on first use, not here):
    ``$GLASSNET_CACHE``, else ``$XDG_CACHE_HOME/glassnet``, else ``~/.cache/glassnet``."""
    if os.environ.get(CACHE_VARIABLE):
        return Path(os.environ[CACHE_VARIABLE]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "glassnet"
