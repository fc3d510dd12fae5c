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
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import NamedTuple

from .defaults import AUTO, LINEAR_LR, PLATEAU_FACTOR, auto_settings, output_init_scale
from .errors import UsageError, shown
from .settings import (
    MAX_TRAINING_BYTES,
    check_network_size,
    check_types,
    parse_toml,
    read_settings_file,
)

__all__ = ["AUTO", "MAX_TRAINING_BYTES", "Fitted", "TrainConfig", "build_model",
           "check_network_size", "check_types", "default_settings", "fit_config", "parse_toml",
           "read_settings_file"]

TASKS = ("auto", "regression", "classification")


SCHEDULES = ("plateau", "none")


@dataclass
class TrainConfig:
    """Every setting of a training run, with defaults that work for small tabular data.

    ``"auto"`` settings (the defaults of ``hidden``, ``epochs``, ``batch_size``, ``patience``,
    ``l2``, ``ensemble`` and ``linear_share``) are chosen from the size of the training data
    when training starts (``resolved``); the rules and the measurements behind them are in
    ``docs/design.md``, "Defaults for small tables".
    """

    hidden: list[int] | str = AUTO
    activation: str = "relu"
    optimizer: str = "adam"
    lr: float = 0.001
    momentum: float = 0.0
    epochs: int | str = AUTO
    batch_size: int | str | None = AUTO
    l1: float = 0.0
    l2: float | str = AUTO
    dropout: float = 0.0
    patience: int | str = AUTO
    validation_split: float = 0.2
    schedule: str = "plateau"
    ensemble: int | str = AUTO
    linear_share: float | str = AUTO
    seed: int | None = 0
    dtype: str = "float32"
    task: str = "auto"
    standardize_target: bool = True

    def __post_init__(self):
        self.validate()

    def validate(self):
        """Raise ``ValueError`` naming the first setting that is out of range."""
        from .nn import optimizers
        from .nn.activations import HIDDEN_ACTIVATIONS

        check_types(self)
        if isinstance(self.hidden, int):
            self.hidden = [self.hidden]
        if self.hidden != AUTO:
            self.hidden = list(self.hidden)
            if any(not isinstance(h, int) or isinstance(h, bool) or h < 1 for h in self.hidden):
                raise UsageError(f"hidden sizes must be positive integers or 'auto', got "
                                 f"{self.hidden}")
        if self.linear_share != AUTO and (isinstance(self.linear_share, bool) or not isinstance(
                self.linear_share, (int, float)) or not 0 <= self.linear_share < 1):
            raise UsageError(f"linear_share must be in [0, 1) or 'auto', got "
                             f"{self.linear_share!r}")
        for name in ("epochs", "ensemble"):
            value = getattr(self, name)
            if value != AUTO and (not isinstance(value, int) or isinstance(value, bool)
                                  or value < 1):
                raise UsageError(f"{name} must be a positive integer or 'auto', got {value!r}")
        if self.schedule not in SCHEDULES:
            raise UsageError(f"schedule must be one of {SCHEDULES}, got {self.schedule!r}")
        if self.activation.lower() not in HIDDEN_ACTIVATIONS:
            raise UsageError(f"activation {self.activation!r} is not a hidden-layer activation; "
                             f"choose {', '.join(HIDDEN_ACTIVATIONS)}")
        if self.optimizer.lower() not in optimizers.REGISTRY:
            raise UsageError(f"optimizer must be one of {sorted(optimizers.REGISTRY)}, "
                             f"got {self.optimizer!r}")
        if not self.lr > 0:
            raise UsageError(f"lr must be > 0, got {self.lr!r}")
        if self.batch_size not in (None, AUTO) and (not isinstance(self.batch_size, int)
                                                    or self.batch_size < 1):
            raise UsageError(f"batch_size must be a positive integer, 'auto' or none (full "
                             f"batch), got {self.batch_size!r}")
        for name in ("l1", "l2", "momentum"):
            if name == "l2" and self.l2 == AUTO:
                continue
            if getattr(self, name) < 0:
                raise UsageError(f"{name} must be >= 0, got {getattr(self, name)!r}")
        if not self.momentum < 1:
            raise UsageError(f"momentum must be in [0, 1), got {self.momentum!r}")
        if not 0 <= self.dropout < 1:
            raise UsageError(f"dropout must be in [0, 1), got {self.dropout!r}")
        if not 0 <= self.validation_split < 1:
            raise UsageError(f"validation_split must be in [0, 1), got {self.validation_split!r}")
        if self.patience != AUTO and (not isinstance(self.patience, int) or self.patience < 0):
            raise UsageError(f"patience must be an integer >= 0 or 'auto', got "
                             f"{self.patience!r}")
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
            text = read_settings_file(path)
        except FileNotFoundError:
            raise FileNotFoundError(f"config file not found: {path}") from None
        data = parse_toml(text, path)
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

    def resolved(self, n_rows, n_features, task=None):
        """This config with every ``"auto"`` setting chosen for ``n_rows`` training rows of
        ``n_features`` features and ``task`` (see ``auto_settings``); other settings are kept."""
        chosen = auto_settings(n_rows, n_features, self, task)
        return self.replace(**{k: v for k, v in chosen.items() if getattr(self, k) == AUTO})

    # ------------------------------------------------------------------ building
    def make_optimizer(self):
        from .nn import optimizers

        kwargs = {"lr": self.lr}
        if self.momentum and self.optimizer.lower() in ("sgd", "rmsprop"):
            kwargs["momentum"] = self.momentum
        return optimizers.get(self.optimizer, **kwargs)

    def make_callbacks(self, has_validation, optimizer=None):
        """Early stopping on the validation loss (restoring the best epoch's weights) and,
        with ``schedule = "plateau"``, halving the learning rate when it stalls."""
        from .nn import EarlyStopping, ReduceLROnPlateau

        if not (self.patience and has_validation):
            return []
        callbacks = [EarlyStopping("val_loss", patience=self.patience, restore_best_weights=True)]
        if self.schedule == "plateau" and optimizer is not None:
            callbacks.append(ReduceLROnPlateau(optimizer, "val_loss", factor=PLATEAU_FACTOR,
                                               patience=max(1, self.patience // 2 - 1)))
        return callbacks


def default_settings():
    """``{setting: default}`` of ``TrainConfig``, read from its fields (no engine import)."""
    return {f.name: f.default_factory() if f.default_factory is not dataclasses.MISSING
            else f.default for f in fields(TrainConfig)}


def build_model(config, n_features, n_outputs, output_activation=None):
    """The ``Sequential`` a config describes: Dense layers of ``config.hidden`` sizes with the
    hidden activation (and dropout), then ``n_outputs`` units with ``output_activation``.

    A single network's output layer (``config.ensemble`` 1) starts with its initial weights
    times ``OUTPUT_INIT_SCALE`` (``defaults.output_init_scale``): its first predictions are
    then close to a constant, the baseline, instead of a random function of the inputs with
    twice the target's variance (docs/design.md, "Defaults for small tables")."""
    from .nn import Sequential

    model = Sequential.from_sizes(
        [n_features, *config.hidden, n_outputs], config.activation, output_activation,
        dropout=config.dropout, seed=config.seed, dtype=config.dtype,
    )
    scale = output_init_scale(config)
    if config.hidden and scale != 1:
        [lay for lay in model.layers if lay.params][-1].params["W"][...] *= scale
    return model


class Fitted(NamedTuple):
    """What ``fit_config`` returns: the trained model, its ``History``, ``best_epoch`` (the
    epoch, 0-based, whose weights early stopping restored, or None when it did not run) and
    the ``config`` it trained with, every ``"auto"`` setting resolved. For an ensemble, the
    history is the first network's and ``best_epoch`` the networks' mean."""

    model: object  # a glassnet.nn.Sequential
    history: object
    best_epoch: int | None
    config: TrainConfig

    @property
    def epochs(self):
        """How many epochs produced the model's weights (what a retrain should run)."""
        return len(self.history.epoch) if self.best_epoch is None else self.best_epoch + 1


def fit_config(config, X, y, task, n_classes=None, validation=None, callbacks=(), verbose=0,
               each=()):
    """Build the network ``config`` describes for ``task`` and train it on (X, y).

    The output follows the task (``glassnet.nn.head_for``); y holds class indices or the
    (standardized) regression values. ``"auto"`` settings are resolved for X's shape. With
    ``validation`` = (X_val, y_val) and ``config.patience``, early stopping watches the
    validation loss and restores the best epoch's weights (and the plateau schedule halves
    the learning rate when it stalls). With ``ensemble`` = k > 1, k networks from seeds
    seed, seed + 1, ... are trained alike and merged into one network that averages their
    outputs (``glassnet.nn.average_networks``); with ``linear_share`` = s > 0 a linear model
    (no hidden layer, trained to convergence on the training and validation rows) takes share
    s of that average (``glassnet.nn.linear_as_relu``). ``callbacks`` watch the first network
    (whose history ``Fitted`` reports: a tracker logs each epoch once), ``each`` every network
    of an ensemble (a progress bar). ``glassnet train``, ``glassnet search`` and their Python
    API all train through here. A network too large for ``MAX_TRAINING_BYTES`` is refused
    before it is built; a run whose loss exploded is a ``DivergenceError``
    (``glassnet.sanity``).
    """
    import numpy as np

    from .nn import average_networks, head_for, linear_as_relu
    from .sanity import check_diverged, weight_size

    config = config.resolved(X.shape[0], X.shape[1], task)
    head = head_for(task, n_classes)
    has_val = validation is not None and len(validation[1]) > 0
    check_network_size(config, X.shape[1], head.units, len(X))

    def train(cfg, seed, extra=(), watch=True, X=X, y=y):
        model = build_model(cfg.replace(seed=seed), X.shape[1], head.units, head.activation)
        optimizer = cfg.make_optimizer()
        stopper = cfg.make_callbacks(has_val, optimizer)
        initial = model.evaluate(X, y, loss=head.make_loss())["loss"]  # the data loss alone
        size = weight_size(model)
        history = model.fit(
            X, y, loss=head.make_loss(), optimizer=optimizer, epochs=cfg.epochs,
            batch_size=cfg.batch_size, validation_data=validation if has_val and watch else None,
            callbacks=stopper + list(extra), verbose=verbose, l1=cfg.l1, l2=cfg.l2,
        )
        with np.errstate(over="ignore", invalid="ignore"):  # a diverged net may overflow here
            final = model.evaluate(X, y, loss=head.make_loss())["loss"]
        growth = weight_size(model) / max(size, 1e-12)
        check_diverged(initial, final, growth, task, y, cfg, n_classes)
        return model, history, stopper[0].best_epoch if stopper else None

    runs = [train(config, None if config.seed is None else config.seed + k,
                  [*each, *(callbacks if k == 0 else ())]) for k in range(config.ensemble)]
    networks = [r[0] for r in runs]
    weights = [1.0] * len(networks)
    share = config.linear_share if config.hidden else 0.0
    if share:
        # A linear model, trained to convergence (its loss is convex: no early stopping, so the
        # validation rows train it too), then written as a ReLU network so that it averages
        # with the others exactly.
        X_all, y_all = (X, y) if not has_val else \
            (np.concatenate([X, validation[0]]), np.concatenate([y, validation[1]]))
        linear = train(config.replace(hidden=[], patience=0, schedule="none", lr=LINEAR_LR),
                       config.seed, watch=False, X=X_all, y=y_all)[0]
        networks.append(linear_as_relu(linear, networks[0]))
        weights = [(1 - share) / len(runs)] * len(runs) + [share]
    model = networks[0] if len(networks) == 1 else average_networks(networks, weights)
    bests = [r[2] for r in runs if r[2] is not None]
    best = round(sum(bests) / len(bests)) if bests else None
    return Fitted(model, runs[0][1], best, config)
