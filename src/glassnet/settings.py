"""Checks of training settings that come from files and callers: the settings file itself
(``read_settings_file``, ``parse_toml``), each setting's type (``check_types``) and the memory
the network they describe would need (``check_network_size``). ``glassnet.config`` uses them
and offers them under its own name."""

from __future__ import annotations

import itertools
import math
import stat
from dataclasses import fields
from pathlib import Path

from .defaults import AUTO
from .errors import UsageError, shown

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser as the tomli package
    import tomli as tomllib

__all__ = ["MAX_TRAINING_BYTES", "check_network_size", "check_types", "parse_toml",
           "read_settings_file"]


def parse_toml(text, source, what="a settings file"):
    """The TOML document ``text`` (read from ``source``) as a dict; invalid TOML is a
    ``UsageError`` naming the file and the place, and so is one nested too deeply for the
    parser (``what`` names what the file should have been)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise UsageError(f"{source} is not valid TOML: {e}") from None
    except RecursionError:
        raise UsageError(f"{source} is nested too deeply to be {what}") from None


# ---------------------------------------------------------------------------- checks
# What each setting must be: a TOML file or a Python caller can pass any value, and a wrong
# type must be one line naming the key, not an AttributeError deep inside training.
_REAL, _COUNT, _TEXT = "a number", "a whole number", "a string"
_KINDS = {"hidden": "sizes", "activation": _TEXT, "optimizer": _TEXT, "lr": _REAL,
          "momentum": _REAL, "epochs": _COUNT, "batch_size": _COUNT, "l1": _REAL, "l2": _REAL,
          "dropout": _REAL, "patience": _COUNT, "validation_split": _REAL, "seed": _COUNT,
          "schedule": _TEXT, "ensemble": _COUNT, "linear_share": _REAL, "dtype": _TEXT,
          "task": _TEXT, "standardize_target": "true or false"}
_OPTIONAL = ("batch_size", "seed")
# settings whose default is "auto" (chosen from the data: glassnet.defaults)
_AUTOMATIC = ("hidden", "epochs", "batch_size", "l2", "patience", "ensemble", "linear_share")


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def check_types(config):
    """Raise ``UsageError`` naming the first setting of the wrong type (``activation = 5``,
    ``optimizer = ["adam"]``, ``standardize_target = "no"``, ``lr = inf``); whole numbers
    given for real settings become floats."""
    for f in fields(config):
        name, value, kind = f.name, getattr(config, f.name), _KINDS[f.name]
        if (value is None and name in _OPTIONAL) or (value == AUTO and name in _AUTOMATIC):
            continue
        if kind == "sizes":
            # [] is a network without a hidden layer: a linear or logistic model
            sizes = [value] if _is_int(value) else value
            ok = isinstance(sizes, (list, tuple)) and all(map(_is_int, sizes))
            if not ok:
                raise UsageError(f"hidden must be a list of layer sizes (whole numbers), got "
                                 f"{shown(value)}")
            continue
        if kind == _REAL:
            ok = (_is_int(value) or isinstance(value, float)) and math.isfinite(value)
            if ok:
                setattr(config, name, float(value))
        elif kind == _COUNT:
            ok = _is_int(value) and (name != "seed" or 0 <= value < 2**63)
            kind = "a whole number in [0, 2**63)" if name == "seed" else kind
        elif kind == _TEXT:
            ok = isinstance(value, str) and len(value) <= 40
        else:
            ok = isinstance(value, bool)
        if not ok:
            raise UsageError(f"{name} must be {kind}, got {shown(value)}")


def read_settings_file(path, limit=2**20):
    """The text of a settings file (TOML, YAML): a regular file of at most ``limit`` bytes in
    UTF-8 (a FIFO would block, a huge file is not a settings file)."""
    path = Path(path)
    st = path.stat()  # FileNotFoundError names the path
    if not stat.S_ISREG(st.st_mode):
        raise UsageError(f"{path} is not a regular file (a pipe or a device?)")
    if st.st_size > limit:
        raise UsageError(f"{path} is {st.st_size:,} bytes; a settings file is at most "
                         f"{limit:,}")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text") from None


#: the most memory ``fit_config`` lets a network take to train (weights, gradients, optimizer
#: state, a best-weights copy and one batch's activations), in bytes
MAX_TRAINING_BYTES = 2 * 2**30
_STATE = {"adam": 2, "adamw": 2, "rmsprop": 2, "adagrad": 1, "sgd": 1}


def check_network_size(config, n_features, n_outputs, n_rows):
    """Raise ``UsageError`` with the estimate when training the network ``config`` describes on
    ``n_rows`` rows would need more than ``MAX_TRAINING_BYTES`` (``--hidden 20000 20000``)."""
    config = config.resolved(n_rows, n_features)
    sizes = [int(n_features), *config.hidden, int(n_outputs)]
    params = sum((a + 1) * b for a, b in itertools.pairwise(sizes))
    copies = 3 + _STATE.get(config.optimizer.lower(), 2)  # weights, grads, best copy, state
    batch = min(config.batch_size or n_rows, n_rows)
    activations = 4 * batch * sum(sizes[1:])  # outputs, their gradients, masks, workspaces
    need = (8 if config.dtype == "float64" else 4) * (copies * params + activations)
    if need > MAX_TRAINING_BYTES:
        raise UsageError(
            f"a network of {params:,} parameters ({' x '.join(map(str, sizes))}) needs about "
            f"{need / 2**30:.1f} GiB to train (weights, gradients, {config.optimizer} state and "
            f"batches of {batch:,} rows); the limit is {MAX_TRAINING_BYTES / 2**30:.0f} GiB: "
            "use fewer or smaller hidden layers (--hidden) or a smaller --batch-size")
    share = config.linear_share if config.hidden else 0
    if config.hidden and (config.ensemble > 1 or share):
        # the ensemble (and the linear model) merged into one network (nn/ensemble.py): k
        # networks side by side, inner layers as dense block-diagonal matrices, and 2 ReLU
        # units per feature carrying the linear model; built in float64
        extra = 2 * sizes[0] if share else 0
        merged = [sizes[0], *(config.ensemble * h + extra for h in config.hidden), sizes[-1]]
        weights = sum((a + 1) * b for a, b in itertools.pairwise(merged))
        if 8 * 2 * weights > MAX_TRAINING_BYTES:
            what = (f"averaging {config.ensemble} networks"
                    + (f" with a linear model (linear_share = {share})" if share else ""))
            fix = "a smaller --ensemble or --hidden" + (", or linear_share = 0" if share else "")
            raise UsageError(
                f"{what} over {sizes[0]:,} features makes one network of {weights:,} weights, "
                f"about {8 * 2 * weights / 2**30:.1f} GiB to build; the limit is "
                f"{MAX_TRAINING_BYTES / 2**30:.0f} GiB: use {fix}")
