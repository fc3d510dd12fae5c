"""Weight initializers: callables ``init(shape, rng, dtype) -> array``.

For a dense weight of shape (n_in, n_out), fan_in = n_in and fan_out = n_out. Each initializer
draws from the ``numpy.random.Generator`` it is given, never from NumPy's global state.

=================  =============================================  ============================
name               distribution                                    use
=================  =============================================  ============================
zeros              0                                               biases (symmetric weights!)
constant           value                                           tests, hand-set lessons
uniform            U(-limit, limit), limit = 1                     the lessons' ``2*rand - 1``
normal             N(0, scale^2)                                   the lessons' N(0, 0.1)
lecun_normal       N(0, 1/fan_in)                                  the lessons' ``1/sqrt(n_in)``
glorot_uniform     U(+-sqrt(6/(fan_in+fan_out)))                   sigmoid, tanh (default)
glorot_normal      N(0, 2/(fan_in+fan_out))                        sigmoid, tanh
he_uniform         U(+-sqrt(6/fan_in))                             ReLU
he_normal          N(0, 2/fan_in)                                  ReLU (default)
=================  =============================================  ============================
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "LecunNormal",
    "Normal",
    "Uniform",
    "Zeros",
    "default_for_activation",
    "get",
    "name_of",
]


def _fans(shape):
    if len(shape) == 1:
        return shape[0], shape[0]
    return shape[0], shape[1]


class Initializer:
    """Base class: subclasses implement ``__call__(shape, rng, dtype)``."""

    def __call__(self, shape, rng, dtype=np.float32):  # pragma: no cover - interface
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


class Zeros(Initializer):
    def __call__(self, shape, rng, dtype=np.float32):
        return np.zeros(shape, dtype=dtype)


class Constant(Initializer):
    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, rng, dtype=np.float32):
        return np.full(shape, self.value, dtype=dtype)


class Uniform(Initializer):
    """U(-limit, limit); limit 1 is the lessons' ``2 * np.random.random(shape) - 1``."""

    def __init__(self, limit=1.0):
        self.limit = limit

    def __call__(self, shape, rng, dtype=np.float32):
        return rng.uniform(-self.limit, self.limit, size=shape).astype(dtype)


class Normal(Initializer):
    """N(0, scale^2)."""

    def __init__(self, scale=0.1):
        self.scale = scale

    def __call__(self, shape, rng, dtype=np.float32):
        return rng.normal(0.0, self.scale, size=shape).astype(dtype)


class LecunNormal(Initializer):
    """N(0, 1/fan_in): the lessons' ``np.random.normal(scale=1/n_features**.5)``."""

    def __call__(self, shape, rng, dtype=np.float32):
        fan_in, _ = _fans(shape)
        return rng.normal(0.0, 1.0 / np.sqrt(fan_in), size=shape).astype(dtype)


class GlorotUniform(Initializer):
    """U(-a, a), a = sqrt(6 / (fan_in + fan_out)): keeps activation variance for tanh/sigmoid."""

    def __call__(self, shape, rng, dtype=np.float32):
        fan_in, fan_out = _fans(shape)
        a = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-a, a, size=shape).astype(dtype)


class GlorotNormal(Initializer):
    """N(0, 2 / (fan_in + fan_out))."""

    def __call__(self, shape, rng, dtype=np.float32):
        fan_in, fan_out = _fans(shape)
        return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=shape).astype(dtype)


class HeUniform(Initializer):
    """U(-a, a), a = sqrt(6 / fan_in): ReLU halves the variance, He doubles it back."""

    def __call__(self, shape, rng, dtype=np.float32):
        fan_in, _ = _fans(shape)
        a = np.sqrt(6.0 / fan_in)
        return rng.uniform(-a, a, size=shape).astype(dtype)


class HeNormal(Initializer):
    """N(0, 2 / fan_in)."""

    def __call__(self, shape, rng, dtype=np.float32):
        fan_in, _ = _fans(shape)
        return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape).astype(dtype)


REGISTRY = {
    "zeros": Zeros,
    "constant": Constant,
    "uniform": Uniform,
    "normal": Normal,
    "lecun_normal": LecunNormal,
    "glorot_uniform": GlorotUniform,
    "xavier_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal,
    "xavier_normal": GlorotNormal,
    "he_uniform": HeUniform,
    "kaiming_uniform": HeUniform,
    "he_normal": HeNormal,
    "kaiming_normal": HeNormal,
}


def get(init, **kwargs):
    """An initializer from a name (``"he_normal"``), an instance, or any callable."""
    if isinstance(init, str):
        try:
            return REGISTRY[init.lower()](**kwargs)
        except KeyError:
            raise ValueError(
                f"unknown initializer {init!r}; choose one of {sorted(REGISTRY)}"
            ) from None
    if callable(init):
        return init
    raise TypeError(f"init must be a name or a callable, got {type(init).__name__}")


def name_of(init):
    """The registry name of ``init`` if it is a registered initializer with its default
    arguments (what a model file can record), else None."""
    for name, cls in REGISTRY.items():  # the first name of a class is its canonical one
        if type(init) is cls:
            try:
                default = cls()
            except TypeError:
                return None
            return name if vars(default) == vars(init) else None
    return None


def default_for_activation(activation):
    """The initializer for weights feeding ``activation`` (a layer or its name): He for the
    ReLU family, which zeroes half its inputs; Glorot otherwise (sigmoid, tanh, linear,
    softmax). ``Sequential`` asks this for every Dense layer without an ``init`` of its own.
    """
    if activation is None:
        return GlorotUniform()
    name = activation if isinstance(activation, str) else type(activation).__name__
    return HeNormal() if name.lower() in {"relu", "leakyrelu", "leaky_relu"} else GlorotUniform()
