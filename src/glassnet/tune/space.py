"""Search spaces: which training settings a search varies, over which ranges.

A space names ``TrainConfig`` settings and gives each a range or a list of choices; everything it
does not name comes from a base config (``[fixed]`` in a file). Declared in code::

    space = SearchSpace({
        "lr": Float(1e-4, 1e-1, log=True),
        "hidden_layers": Int(1, 3),
        "hidden_units": Int(16, 256, log=True),
        "activation": Categorical(["relu", "tanh"]),
        "l2": Float(1e-7, 1e-2, log=True),
    })

or in TOML (YAML takes the same keys)::

    [space]
    lr = { low = 1e-4, high = 0.1, log = true }
    hidden_layers = { low = 1, high = 3 }
    hidden_units = { low = 16, high = 256, log = true }   # drawn per layer: hidden_units_1, ...
    activation = ["relu", "tanh"]                          # a list is a set of choices
    batch_size = [32, 64, 128]

    [fixed]
    epochs = 200
    patience = 15

``hidden_layers`` (depth) and ``hidden_units`` (width) together make ``hidden``: one width per
layer by default (trial parameters ``hidden_units_1`` .. ``hidden_units_k``), or one width for
all layers with ``per_layer = false`` (the grid sampler needs a fixed set of parameters, so it
asks for that). Every range and choice is checked against ``TrainConfig`` before any trial runs.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np

from ..config import TrainConfig, read_settings_file
from ..errors import UsageError, shown

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["Categorical", "Float", "Int", "SearchSpace"]

# Settings a trial may vary, by kind. seed, dtype, task and the split are properties of the
# search itself, not of a trial.
FLOAT_SETTINGS = ("lr", "momentum", "l1", "l2", "dropout")
INT_SETTINGS = ("epochs", "batch_size", "patience", "hidden_layers", "hidden_units")
CHOICE_SETTINGS = ("activation", "optimizer", "hidden")
SEARCHABLE = FLOAT_SETTINGS + INT_SETTINGS + CHOICE_SETTINGS
_NOT_SEARCHABLE = ("seed", "dtype", "task", "validation_split", "standardize_target")


@dataclass(frozen=True)
class Float:
    """A real setting drawn from [low, high]; ``log=True`` draws log-uniformly."""

    low: float
    high: float
    log: bool = False
    grid: tuple | None = None  # values for the grid sampler (default: 3 points over the range)


@dataclass(frozen=True)
class Int:
    """An integer setting drawn from [low, high] (``log=True``: log-uniformly)."""

    low: int
    high: int
    log: bool = False
    grid: tuple | None = None
    per_layer: bool = True  # only for hidden_units


@dataclass(frozen=True)
class Categorical:
    """One of a list of choices (strings, numbers, or lists of hidden sizes for ``hidden``)."""

    choices: tuple = field(default_factory=tuple)


def _check_value(name, value):
    """Raise ValueError if ``value`` is not a valid ``name`` for TrainConfig."""
    if name == "hidden_layers":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
        if not ok:
            raise UsageError(f"hidden_layers must be a positive integer, got {shown(value)}")
        return
    if name == "hidden_units":
        name, value = "hidden", [value]
    try:
        TrainConfig(**{name: value})
    except (ValueError, TypeError) as e:
        raise UsageError(f"search space: {e}") from None


class SearchSpace:
    """A set of named ranges and choices over ``TrainConfig`` settings."""

    def __init__(self, params, fixed=None):
        if not isinstance(params, dict) or not params:
            raise UsageError("search space is empty: name at least one setting to search")
        self.params = {}
        for name, spec in params.items():
            self.params[name] = self._validate(name, spec)
        if fixed is not None and not isinstance(fixed, dict):
            raise UsageError(f"search space: [fixed] must be a table of settings, got "
                             f"{shown(fixed)}")
        base = dict(fixed or {})
        overlap = sorted(set(base) & set(self.params))
        if overlap:
            raise UsageError(f"search space: {overlap} are both searched and fixed")
        known = {f.name for f in fields(TrainConfig)}
        unknown = sorted(set(base) - known)
        if unknown:
            raise UsageError(f"search space: unknown fixed settings {unknown}; "
                             f"known: {sorted(known)}")
        self.fixed = base
        self.base = TrainConfig(**base)

    @staticmethod
    def _validate(name, spec):
        if name not in SEARCHABLE:
            hint = (" (set it on the search, not per trial)" if name in _NOT_SEARCHABLE else "")
            raise UsageError(f"unknown hyperparameter {shown(name)} in search space{hint}; "
                             f"searchable: {', '.join(SEARCHABLE)}")
        if isinstance(spec, (list, tuple)):
            spec = Categorical(tuple(spec))
        elif isinstance(spec, dict):
            spec = _spec_from_dict(name, spec)
        if isinstance(spec, Categorical):
            choices = tuple(tuple(c) if isinstance(c, list) else c for c in spec.choices)
            if not choices:
                raise UsageError(f"search space: {name} has an empty list of choices")
            for c in choices:
                _check_value(name, list(c) if isinstance(c, tuple) else c)
            return Categorical(choices)
        if not isinstance(spec, (Float, Int)):
            raise UsageError(f"search space: {name} must be a range (low/high), a list of "
                             f"choices, or Float/Int/Categorical, got {shown(spec)}")
        if name in CHOICE_SETTINGS:
            raise UsageError(f"search space: {name} takes a list of choices, not a range")
        if name in INT_SETTINGS and isinstance(spec, Float):
            raise UsageError(f"search space: {name} is an integer setting; give integer bounds")
        if name in FLOAT_SETTINGS and isinstance(spec, Int):
            spec = Float(float(spec.low), float(spec.high), spec.log, spec.grid)
        for bound in (spec.low, spec.high):
            if isinstance(bound, bool) or not isinstance(bound, (int, float)) or not math.isfinite(
                    bound):
                raise UsageError(f"search space: {name} bounds must be finite numbers, "
                                 f"got low={shown(spec.low)} high={shown(spec.high)}")
        if spec.low > spec.high:
            raise UsageError(f"search space: {name} range is inverted (low={spec.low} > "
                             f"high={spec.high})")
        if spec.low == spec.high:
            raise UsageError(f"search space: {name} range is empty (low = high = {spec.low}); "
                             "fix the value under [fixed] instead")
        if spec.log and spec.low <= 0:
            raise UsageError(f"search space: {name} is log-scaled, so low must be > 0, "
                             f"got {spec.low}")
        _check_value(name, spec.low)
        _check_value(name, spec.high)
        for g in spec.grid or ():
            if not spec.low <= g <= spec.high:
                raise UsageError(f"search space: grid value {g} of {name} is outside "
                                 f"[{spec.low}, {spec.high}]")
        return spec

    # ------------------------------------------------------------------ files
    @classmethod
    def from_dict(cls, data):
        """From ``{"space": {...}, "fixed": {...}}`` (or a bare ``{...}`` of ranges)."""
        if not isinstance(data, dict):
            raise UsageError("search space file must hold a table of settings")
        if "space" in data:
            extra = sorted(set(data) - {"space", "fixed"})
            if extra:
                raise UsageError(f"search space file: unknown sections {extra}; "
                                 "use [space] and [fixed]")
            return cls(data["space"], data.get("fixed"))
        return cls(data)

    @classmethod
    def from_file(cls, path):
        """Read a ``.toml``, ``.yaml`` or ``.yml`` file."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"search space file not found: {path}")
        text = read_settings_file(path)
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            try:
                data = _safe_yaml(yaml, text, path)
            except yaml.YAMLError as e:
                raise UsageError(f"{path} is not valid YAML: {e}") from None
        else:
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as e:
                raise UsageError(f"{path} is not valid TOML: {e}") from None
            except RecursionError:
                raise UsageError(f"{path} is nested too deeply to be a search space") from None
        return cls.from_dict(data)

    def to_dict(self):
        """A JSON-able description (stored with the study, so a resume can check it)."""
        out = {}
        for name, p in self.params.items():
            if isinstance(p, Categorical):
                out[name] = [list(c) if isinstance(c, tuple) else c for c in p.choices]
            else:
                d = {"low": p.low, "high": p.high, "log": p.log}
                if p.grid:
                    d["grid"] = list(p.grid)
                if isinstance(p, Int) and name == "hidden_units" and not p.per_layer:
                    d["per_layer"] = False
                out[name] = d
        return {"space": out, "fixed": self.fixed}

    # ------------------------------------------------------------------ sampling
    def _per_layer(self):
        p = self.params.get("hidden_units")
        return isinstance(p, Int) and p.per_layer

    def suggest(self, trial):
        """The ``TrainConfig`` for an Optuna trial: each searched setting drawn by the trial."""
        values = {}
        for name, p in self.params.items():
            if name in ("hidden_layers", "hidden_units"):
                continue
            if isinstance(p, Categorical):
                if name == "hidden":
                    labels = ["-".join(map(str, c)) for c in p.choices]
                    pick = trial.suggest_categorical(name, labels)
                    values[name] = [int(u) for u in pick.split("-")]
                else:
                    values[name] = trial.suggest_categorical(name, list(p.choices))
            elif isinstance(p, Int):
                values[name] = trial.suggest_int(name, p.low, p.high, log=p.log)
            else:
                values[name] = trial.suggest_float(name, p.low, p.high, log=p.log)
        if "hidden_layers" in self.params or "hidden_units" in self.params:
            values["hidden"] = self._suggest_hidden(trial)
        return self.base.replace(**values)

    def _suggest_hidden(self, trial):
        depth_p = self.params.get("hidden_layers")
        if isinstance(depth_p, Int):
            depth = trial.suggest_int("hidden_layers", depth_p.low, depth_p.high, log=depth_p.log)
        elif isinstance(depth_p, Categorical):
            depth = trial.suggest_categorical("hidden_layers", list(depth_p.choices))
        else:
            depth = len(self.base.hidden)
        width = self.params.get("hidden_units")
        if width is None:
            return [self.base.hidden[0]] * depth
        if isinstance(width, Categorical):
            return [trial.suggest_categorical("hidden_units", list(width.choices))] * depth
        if width.per_layer:
            return [trial.suggest_int(f"hidden_units_{i + 1}", width.low, width.high,
                                      log=width.log) for i in range(depth)]
        return [trial.suggest_int("hidden_units", width.low, width.high, log=width.log)] * depth

    def grid(self, points=3):
        """Values per trial parameter for Optuna's ``GridSampler``.

        Choices are taken as they are; a range gives its ``grid`` values, or ``points`` values
        spread evenly (geometrically when ``log``) from low to high, rounded for integers.
        """
        if self._per_layer():
            raise UsageError("grid search needs one width for all layers: set per_layer = false "
                             "on hidden_units (or list its values as choices)")
        out = {}
        for name, p in self.params.items():
            if isinstance(p, Categorical):
                vals = ["-".join(map(str, c)) for c in p.choices] if name == "hidden" else \
                    list(p.choices)
            elif p.grid:
                vals = list(p.grid)
            else:
                if p.log:
                    vals = np.geomspace(p.low, p.high, points)
                else:
                    vals = np.linspace(p.low, p.high, points)
                vals = ([int(v) for v in dict.fromkeys(np.round(vals).astype(int))]
                        if isinstance(p, Int) else [float(v) for v in vals])
            out[name] = vals
        return out

    def grid_size(self, points=3):
        return int(np.prod([len(v) for v in self.grid(points).values()]))

    def __repr__(self):
        return f"SearchSpace({self.to_dict()['space']}, fixed={self.fixed})"


def _spec_from_dict(name, d):
    d = dict(d)
    if not all(isinstance(k, str) for k in d) or not all(
            isinstance(d[k], (list, tuple)) for k in ("choices", "grid") if d.get(k) is not None):
        raise UsageError(f"search space: {name} must be a table of low, high, log, grid (a "
                         f"list) or choices (a list), got {shown(d)}")
    if "choices" in d:
        unknown = sorted(set(d) - {"choices"})
        if unknown:
            raise UsageError(f"search space: {name} has unknown keys {unknown}")
        return Categorical(tuple(d["choices"]))
    allowed = {"low", "high", "log", "grid", "per_layer"}
    unknown = sorted(set(d) - allowed)
    if unknown:
        raise UsageError(f"search space: {name} has unknown keys {unknown}; "
                         f"use low, high, log (and grid) or choices")
    if "low" not in d or "high" not in d:
        raise UsageError(f"search space: {name} needs both low and high (or a list of choices)")
    if "per_layer" in d and name != "hidden_units":
        raise UsageError(f"search space: per_layer applies to hidden_units only, not {name}")
    for key in ("low", "high"):
        v = d[key]
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise UsageError(f"search space: {name} {key} must be a number, got {shown(v)}")
    grid = tuple(d["grid"]) if d.get("grid") is not None else None
    low, high, log = d["low"], d["high"], bool(d.get("log", False))
    if name in INT_SETTINGS:
        if any(isinstance(v, float) and not float(v).is_integer() for v in (low, high)):
            raise UsageError(f"search space: {name} is an integer setting; got low={low} "
                             f"high={high}")
        return Int(int(low), int(high), log, grid, bool(d.get("per_layer", True)))
    return Float(float(low), float(high), log, grid)


#: what ``glassnet search`` explores without ``--space``: learning rate, depth, width,
#: activation and L2
DEFAULT_SPACE = {
    "lr": {"low": 1e-4, "high": 3e-2, "log": True},
    "hidden_layers": {"low": 1, "high": 3},
    "hidden_units": {"low": 8, "high": 128, "log": True},
    "activation": ["relu", "tanh"],
    "l2": {"low": 1e-7, "high": 1e-2, "log": True},
}


def default_space():
    """``DEFAULT_SPACE`` with 200 epochs and early stopping after 15 without improvement."""
    return SearchSpace(DEFAULT_SPACE, {"epochs": 200, "patience": 15})


def _safe_yaml(yaml, text, path):
    """``yaml.safe_load`` without anchors and aliases: a 431-byte file of nested aliases
    (``&a [*b, *b, ...]``) is a structure of billions of items once anything walks it, and a
    search space never needs one."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise UsageError(f"{path} uses YAML aliases (*{shown(event.anchor, 30)}); write the "
                             "values out instead")
    try:
        return yaml.safe_load(text)
    except RecursionError:
        raise UsageError(f"{path} is nested too deeply to be a search space") from None
