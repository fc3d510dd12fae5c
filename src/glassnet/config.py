"""Training configuration: one object that says how to build and train a network.

The same settings come from the command line (``glassnet train --hidden 64 32 --lr 0.01``), from a
TOML file (``glassnet train --config run.toml``) or from a hyperparameter search's best trial, so a
run can always be written down and repeated::

    [train]
    hidden = [64, 32]
    activation = "relu"
    optimizer = "adam"
    lr = 0.001
    epochs = 100
    batch_size = 64
    l2 = 0.0001
    patience = 10          # early stopping on validation loss; 0 turns it off
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import stat
import sys
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import NamedTuple

from .errors import UsageError, shown
from .nn import EarlyStopping, Sequential, head_for, optimizers
from .nn.activations import HIDDEN_ACTIVATIONS
from .sanity import check_diverged, weight_size

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["MAX_TRAINING_BYTES", "Fitted", "TrainConfig", "build_model", "check_network_size",
           "check_types", "fit_config", "read_settings_file"]

TASKS = ("auto", "regression", "classification")


@dataclass
class TrainConfig:
    """Every setting of a training run, with defaults that work for small tabular data."""

    hidden: list[int] = field(default_factory=lambda: [64, 32])
    activation: str = "relu"
    optimizer: str = "adam"
    lr: float = 0.001
    momentum: float = 0.0
    epochs: int = 200
    batch_size: int | None = 64
    l1: float = 0.0
    l2: float = 0.0
    dropout: float = 0.0
    patience: int = 20
    validation_split: float = 0.2
    seed: int | None = 0
    dtype: str = "float32"
    task: str = "auto"
    standardize_target: bool = True

    def __post_init__(self):
        self.validate()

    def validate(self):
        """Raise ``ValueError`` naming the first setting that is out of range."""
        check_types(self)
        if isinstance(self.hidden, int):
            self.hidden = [self.hidden]
        self.hidden = list(self.hidden)
        if any(not isinstance(h, int) or isinstance(h, bool) or h < 1 for h in self.hidden):
            raise UsageError(f"hidden sizes must be positive integers, got {self.hidden}")
        if self.activation.lower() not in HIDDEN_ACTIVATIONS:
            raise UsageError(f"activation {self.activation!r} is not a hidden-layer activation; "
                             f"choose {', '.join(HIDDEN_ACTIVATIONS)}")
        if self.optimizer.lower() not in optimizers.REGISTRY:
            raise UsageError(f"optimizer must be one of {sorted(optimizers.REGISTRY)}, "
                             f"got {self.optimizer!r}")
        if not self.lr > 0:
            raise UsageError(f"lr must be > 0, got {self.lr!r}")
        if not isinstance(self.epochs, int) or self.epochs < 1:
            raise UsageError(f"epochs must be a positive integer, got {self.epochs!r}")
        if self.batch_size is not None and (not isinstance(self.batch_size, int)
                                            or self.batch_size < 1):
            raise UsageError(f"batch_size must be a positive integer, got {self.batch_size!r}")
        for name in ("l1", "l2", "momentum"):
            if getattr(self, name) < 0:
                raise UsageError(f"{name} must be >= 0, got {getattr(self, name)!r}")
        if not self.momentum < 1:
            raise UsageError(f"momentum must be in [0, 1), got {self.momentum!r}")
        if not 0 <= self.dropout < 1:
            raise UsageError(f"dropout must be in [0, 1), got {self.dropout!r}")
        if not 0 <= self.validation_split < 1:
            raise UsageError(f"validation_split must be in [0, 1), got {self.validation_split!r}")
        if self.patience < 0:
            raise UsageError(f"patience must be >= 0, got {self.patience!r}")
        if self.dtype not in ("float32", "float64"):
            raise UsageError(f"dtype must be float32 or float64, got {self.dtype!r}")
        if self.task not in TASKS:
            raise UsageError(f"task must be one of {TASKS}, got {self.task!r}")

    # ------------------------------------------------------------------ I/O
    @classmethod
    def from_dict(cls, data):
        """From a plain dict; unknown keys are an error naming them (typos must not pass)."""
        if not isinstance(data, dict):
            raise UsageError(f"training settings must be a table of name = value, got "
                             f"{shown(data)}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise UsageError(f"unknown training settings {unknown}; known: {sorted(known)}")
        return cls(**data)

    @classmethod
    def from_toml(cls, path):
        """Read the ``[train]`` table (or the top level) of a TOML file."""
        path = Path(path)
        try:
            data = tomllib.loads(read_settings_file(path))
        except FileNotFoundError:
            raise FileNotFoundError(f"config file not found: {path}") from None
        except tomllib.TOMLDecodeError as e:
            raise UsageError(f"{path} is not valid TOML: {e}") from None
        except RecursionError:
            raise UsageError(f"{path} is nested too deeply to be a settings file") from None
        return cls.from_dict(data.get("train", data))

    def to_dict(self):
        return asdict(self)

    def to_toml(self):
        """The ``[train]`` table as TOML text (``None`` values are left out)."""
        lines = ["[train]"]
        for key, value in self.to_dict().items():
            if value is None:
                continue
            if isinstance(value, bool):
                text = "true" if value else "false"
            elif isinstance(value, str):
                text = f'"{value}"'
            else:
                text = repr(value)
            lines.append(f"{key} = {text}")
        return "\n".join(lines) + "\n"

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)

    # ------------------------------------------------------------------ building
    def make_optimizer(self):
        kwargs = {"lr": self.lr}
        if self.momentum and self.optimizer.lower() in ("sgd", "rmsprop"):
            kwargs["momentum"] = self.momentum
        return optimizers.get(self.optimizer, **kwargs)

    def make_callbacks(self, has_validation):
        if self.patience and has_validation:
            return [EarlyStopping("val_loss", patience=self.patience, restore_best_weights=True)]
        return []


def build_model(config, n_features, n_outputs, output_activation=None):
    """The ``Sequential`` a config describes: Dense layers of ``config.hidden`` sizes with the
    hidden activation (and dropout), then ``n_outputs`` units with ``output_activation``."""
    return Sequential.from_sizes(
        [n_features, *config.hidden, n_outputs], config.activation, output_activation,
        dropout=config.dropout, seed=config.seed, dtype=config.dtype,
    )


class Fitted(NamedTuple):
    """What ``fit_config`` returns: the trained model, its ``History``, and ``best_epoch``, the
    epoch (0-based) whose weights early stopping restored, or None when it did not run."""

    model: Sequential
    history: object
    best_epoch: int | None

    @property
    def epochs(self):
        """How many epochs produced the model's weights (what a retrain should run)."""
        return len(self.history.epoch) if self.best_epoch is None else self.best_epoch + 1


def fit_config(config, X, y, task, n_classes=None, validation=None, callbacks=(), verbose=0):
    """Build the network ``config`` describes for ``task`` and train it on (X, y).

    The output follows the task (``glassnet.nn.head_for``); y holds class indices or the
    (standardized) regression values. With ``validation`` = (X_val, y_val) and
    ``config.patience``, early stopping watches the validation loss and restores the best
    epoch's weights. ``glassnet train``, ``glassnet search`` and their Python API all train
    through here. A network too large for ``MAX_TRAINING_BYTES`` is refused before it is
    built; a run whose loss exploded is a ``DivergenceError`` (``glassnet.sanity``).
    """
    head = head_for(task, n_classes)
    check_network_size(config, X.shape[1], head.units, len(X))
    model = build_model(config, X.shape[1], head.units, head.activation)
    has_val = validation is not None and len(validation[1]) > 0
    stopper = config.make_callbacks(has_val)
    initial = model.evaluate(X, y, loss=head.make_loss())["loss"]  # the data loss, no penalty
    size = weight_size(model)
    history = model.fit(
        X, y, loss=head.make_loss(), optimizer=config.make_optimizer(), epochs=config.epochs,
        batch_size=config.batch_size, validation_data=validation if has_val else None,
        callbacks=stopper + list(callbacks), verbose=verbose, l1=config.l1, l2=config.l2,
    )
    best = stopper[0].best_epoch if stopper else None
    import numpy as np

    with np.errstate(over="ignore", invalid="ignore"):  # a diverged net may overflow here
        final = model.evaluate(X, y)["loss"]
    growth = weight_size(model) / max(size, 1e-12)
    check_diverged(initial, final, growth, task, y, config, n_classes)
    return Fitted(model, history, best)


# ---------------------------------------------------------------------------- checks
# What each setting must be: a TOML file or a Python caller can pass any value, and a wrong
# type must be one line naming the key, not an AttributeError deep inside training.
_REAL, _COUNT, _TEXT = "a number", "a whole number", "a string"
_KINDS = {"hidden": "sizes", "activation": _TEXT, "optimizer": _TEXT, "lr": _REAL,
          "momentum": _REAL, "epochs": _COUNT, "batch_size": _COUNT, "l1": _REAL, "l2": _REAL,
          "dropout": _REAL, "patience": _COUNT, "validation_split": _REAL, "seed": _COUNT,
          "dtype": _TEXT, "task": _TEXT, "standardize_target": "true or false"}
_OPTIONAL = ("batch_size", "seed")


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def check_types(config):
    """Raise ``UsageError`` naming the first setting of the wrong type (``activation = 5``,
    ``optimizer = ["adam"]``, ``standardize_target = "no"``, ``lr = inf``); whole numbers
    given for real settings become floats."""
    for f in fields(config):
        name, value, kind = f.name, getattr(config, f.name), _KINDS[f.name]
        if value is None and name in _OPTIONAL:
            continue
        if kind == "sizes":
            sizes = [value] if _is_int(value) else value
            ok = isinstance(sizes, (list, tuple)) and bool(sizes) and all(map(_is_int, sizes))
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
