"""Layers: each one a forward pass and the backward pass that differentiates it, nothing hidden.

The contract every layer keeps (samples are rows):

* ``params`` and ``grads``: dicts of arrays with the same keys and shapes (``"W"``, ``"b"``).
  Both are updated in place, because optimizers and the model's packed storage hold on to them:
  to set weights, write into the arrays (``layer.params["W"][...] = values``), never replace
  them.
* ``forward(x, training=False)``: returns the output and caches what ``backward`` needs;
  ``layer(x)`` is the same call.
* ``backward(grad_out)``: given dL/d(output), fills ``grads`` and returns dL/d(input). The one
  exception is ``Step``, which has no gradient and raises.
* ``reset_parameters(rng, dtype, init=None)``: fresh parameters drawn from ``rng``; ``init``
  is the initializer to use where the layer has none of its own (``Sequential`` passes the
  default for the activation that follows, see ``initializers.default_for_activation``).
* ``get_config()``: the constructor's arguments as JSON values; with ``register_layer`` that
  is all a model file needs to rebuild the layer.

This is the textbook code: every call returns fresh arrays. ``Sequential.fit`` runs the same
maths through the kernels of ``glassnet.nn.fast``, which reuse buffers and are tested equal to
these layers.
"""

from __future__ import annotations

import numpy as np

from . import initializers

__all__ = ["Dense", "Dropout", "Identity", "Layer", "layer_class", "layer_from_config",
           "layer_name", "register_layer"]


class Layer:
    """Base class. A layer without parameters keeps ``params`` and ``grads`` empty."""

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

    def forward(self, x, training=False):  # pragma: no cover - interface
        raise NotImplementedError

    def backward(self, grad_out):  # pragma: no cover - interface
        raise NotImplementedError

    def __call__(self, x, training=False):
        """``layer(x)`` is ``layer.forward(x, training)``."""
        return self.forward(x, training)

    def reset_parameters(self, rng, dtype, init=None):
        """Draw fresh parameters from ``rng``; a layer without parameters has nothing to do."""

    def astype(self, dtype):
        """Cast parameters and gradients to ``dtype`` (new arrays; ``Sequential`` repacks)."""
        for key in self.params:
            self.params[key] = self.params[key].astype(dtype)
            self.grads[key] = np.zeros_like(self.params[key])
        return self

    def get_config(self):
        """Constructor arguments as JSON-able values (used by save/load and ``summary``)."""
        return {}

    @classmethod
    def from_config(cls, config, dtype=np.float32):
        """A layer built from ``get_config()``'s arguments with parameters of ``dtype``, to be
        filled by a loader (which writes the saved values into them)."""
        return cls(**config).astype(dtype)

    @classmethod
    def param_shapes(cls, config):
        """``{key: shape}`` of the parameters ``cls(**config)`` would create, so a loader can
        check a file's arrays before building (and allocating) anything; None: unknown without
        building the layer (the default)."""
        return None

    @property
    def n_params(self):
        return sum(p.size for p in self.params.values())

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


# ---------------------------------------------------------------------------- the registry
_LAYERS: dict[str, type] = {}


def register_layer(cls=None, *, name=None):
    """Make a ``Layer`` subclass savable under ``name`` (default: its class name).

    Model files name each layer's class; loading looks the name up here. Use it as a decorator
    (``@register_layer``) or call it (``register_layer(ScaledTanh)``) before saving or loading.
    The class must rebuild itself from ``cls(**layer.get_config())`` and create every array of
    ``params`` there. Registering another class under a taken name is an error.
    """
    def register(cls):
        if not (isinstance(cls, type) and issubclass(cls, Layer)):
            raise TypeError(f"register_layer takes a Layer subclass, got {cls!r}")
        key = cls.__name__ if name is None else str(name)
        if _LAYERS.get(key, cls) is not cls:
            raise ValueError(f"a different layer class is already registered as {key!r}")
        _LAYERS[key] = cls
        return cls

    return register if cls is None else register(cls)


def layer_name(layer):
    """The name a model file uses for ``layer``'s class; ValueError if it is not registered."""
    for key, cls in _LAYERS.items():
        if type(layer) is cls:
            return key
    kind = type(layer).__name__
    raise ValueError(
        f"layer {kind} is not registered, so a model file could not name it: call "
        f"glassnet.nn.register_layer({kind}) before saving (and before loading)"
    )


def layer_class(name):
    """The registered layer class called ``name``."""
    try:
        return _LAYERS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown layer type {name!r}; known: {sorted(_LAYERS)} (a layer of "
                         "your own must be registered with glassnet.nn.register_layer)") from None


def layer_from_config(kind, config, dtype=np.float32):
    """Rebuild a layer from its registered name and ``get_config()``, parameters of ``dtype``."""
    if not isinstance(config, dict):
        raise TypeError(f"a layer config must be a dict, got {type(config).__name__}")
    return layer_class(kind).from_config(config, dtype)


# ---------------------------------------------------------------------------- layers
@register_layer
class Dense(Layer):
    """Fully connected layer: y = x @ W + b.

    Shapes: x (n, n_in), dense or a SciPy sparse matrix; W (n_in, n_out); b (n_out,);
    y (n, n_out). For g = dL/dy (n, n_out), backward computes

        dW = x.T @ g        (n_in, n_out)
        db = sum_i g[i]     (n_out,)
        dx = g @ W.T        (n, n_in)

    With sparse x both x @ W and x.T @ g touch only the non-zero entries of each row, which is
    what makes bag-of-words input fast. ``init`` (a name, an initializer or None) draws W; None
    takes the default for the activation that follows in a ``Sequential`` (Glorot uniform
    alone).
    """

    def __init__(self, n_in, n_out, *, bias=True, init=None, bias_init="zeros", rng=None,
                 dtype=np.float32):
        super().__init__()
        for name, value in (("n_in", n_in), ("n_out", n_out)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
                raise ValueError(f"Dense {name} must be a positive integer, got {value!r}")
        self.n_in, self.n_out, self.bias = int(n_in), int(n_out), bool(bias)
        self.init = None if init is None else initializers.get(init)
        self.bias_init = initializers.get(bias_init)
        self.x = None  # the input of the last forward pass (backward needs it for dW)
        self.reset_parameters(np.random.default_rng(rng), dtype)

    def reset_parameters(self, rng, dtype, init=None):
        init = self.init or init or initializers.GlorotUniform()
        self.params["W"] = np.ascontiguousarray(init((self.n_in, self.n_out), rng, dtype))
        self.grads["W"] = np.zeros_like(self.params["W"])
        if self.bias:
            self.params["b"] = self.bias_init((self.n_out,), rng, dtype)
            self.grads["b"] = np.zeros_like(self.params["b"])

    @classmethod
    def from_config(cls, config, dtype=np.float32):
        # zeros cost no random draws: the loader writes the saved values over them
        layer = cls(**{**config, "init": "zeros"}, dtype=dtype)
        layer.init = None if config.get("init") is None else initializers.get(config["init"])
        return layer

    @classmethod
    def param_shapes(cls, config):
        n_in, n_out = config.get("n_in"), config.get("n_out")
        if not all(type(v) is int and v >= 1 for v in (n_in, n_out)):
            return None  # building it raises the error that names the bad value
        return {"W": (n_in, n_out), **({"b": (n_out,)} if config.get("bias", True) else {})}

    def forward(self, x, training=False):
        self.x = x
        out = np.asarray(x @ self.params["W"])
        if self.bias:
            out += self.params["b"]
        return out

    def backward(self, grad_out):
        self.grads["W"][...] = self.x.T @ grad_out
        if self.bias:
            self.grads["b"][...] = grad_out.sum(axis=0)
        return grad_out @ self.params["W"].T

    def get_config(self):
        config = {"n_in": self.n_in, "n_out": self.n_out, "bias": self.bias}
        name = initializers.name_of(self.init)
        if name is not None:
            config["init"] = name
        return config


@register_layer
class Identity(Layer):
    """y = x (a linear output, named so a model's structure reads plainly)."""

    def forward(self, x, training=False):
        return x

    def backward(self, grad_out):
        return grad_out


@register_layer
class Dropout(Layer):
    """Inverted dropout: in training, zero each input with probability p and scale the rest by
    1 / (1 - p), so inference needs no rescaling and is the identity.

    Forward y = x * mask, backward dx = g * mask, with mask = keep / (1 - p), keep ~
    Bernoulli(1 - p). The mask comes from ``self.rng``, which ``Sequential`` sets to its own
    generator (one seed fixes the masks too).
    """

    def __init__(self, p=0.5, rng=None):
        super().__init__()
        if not 0 <= p < 1:
            raise ValueError(f"Dropout p must be in [0, 1), got {p!r}")
        self.p = float(p)
        self.rng = np.random.default_rng(rng)
        self.mask = None

    def forward(self, x, training=False):
        if not training or self.p == 0:
            self.mask = None
            return x
        keep = self.rng.random(x.shape, dtype=np.float32) >= self.p
        self.mask = keep.astype(x.dtype) / x.dtype.type(1 - self.p)
        return x * self.mask

    def backward(self, grad_out):
        return grad_out if self.mask is None else grad_out * self.mask

    def get_config(self):
        return {"p": self.p}
