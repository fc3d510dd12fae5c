"""``Sequential``: a stack of layers, and one step of backpropagation (``train_step``).

``train_step`` is the whole of training on one batch, in the order a textbook writes it:
forward through every layer keeping caches, the loss and its gradient at the output, backward
through the layers in reverse, the penalties' gradients, one optimizer step. ``fit``
(``glassnet.nn.training``) runs the same step over mini-batches and epochs, through the fast
kernels of ``glassnet.nn.fast``, tested to give the same weights.
"""

from __future__ import annotations

import copy
import itertools

import numpy as np

from . import initializers, lr_finder, training
from . import losses as losses_mod
from .activations import Sigmoid, Softmax, get_activation
from .checks import check_data, check_dtype, check_features
from .display import html_table
from .layers import Dense, Dropout, Layer
from .optimizers import clip_grad_norm
from .parameters import PackedParameters

__all__ = ["Sequential", "mlp"]


class Sequential:
    """Layers applied in order: y = layer_L(... layer_2(layer_1(x))).

    ``seed`` builds the model's ``numpy.random.Generator``, which draws every layer's initial
    weights (so one seed fixes the whole model), the dropout masks and the shuffling order.
    Parameters live in ``dtype`` (float32 by default; float64 for gradient checks).
    ``initialize=False`` keeps the layers' own parameters (cast to ``dtype``), as a loader or a
    lesson with hand-set weights wants.
    """

    def __init__(self, layers, seed=None, dtype="float32", *, initialize=True):
        layers = list(layers)
        if not layers:
            raise ValueError("Sequential needs at least one layer")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"layers[{i}] is a {type(layer).__name__}, not a glassnet Layer")
        self.layers = layers
        self.dtype = check_dtype(dtype)
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.stop_training = False
        self.loss_ = None
        self.history_ = None
        for layer in layers:
            if isinstance(layer, Dropout):
                layer.rng = self.rng
        if initialize:
            self.reset_parameters()
        else:
            self.astype(self.dtype)

    # ---------------------------------------------------------------- structure
    @classmethod
    def from_sizes(cls, layer_dims, activation="relu", output_activation=None, dropout=0.0,
                   init=None, seed=None, dtype="float32"):
        """Dense layers of the given sizes, as the deep-learning course writes them.

        ``layer_dims = [n_x, 4, 3, 1]`` gives Dense(n_x, 4), activation, Dense(4, 3), activation,
        Dense(3, 1), then ``output_activation`` ("sigmoid", "softmax" or None for linear).
        """
        dims = list(layer_dims)
        if len(dims) < 2:
            raise ValueError(f"layer_dims needs an input and an output size, got {dims}")
        layers: list[Layer] = []
        for i, (n_in, n_out) in enumerate(itertools.pairwise(dims)):
            layers.append(Dense(n_in, n_out, init=init))
            if i < len(dims) - 2:
                layers.append(get_activation(activation))
                if dropout:
                    layers.append(Dropout(dropout))
        if output_activation not in (None, "linear", "identity"):
            layers.append(get_activation(output_activation))
        return cls(layers, seed=seed, dtype=dtype)

    def reset_parameters(self):
        """Draw all weights afresh from the model's generator; a layer without an initializer
        of its own gets the default for the activation after it (Dropout looked through)."""
        for i, layer in enumerate(self.layers):
            following = next((lay for lay in self.layers[i + 1:]
                              if not isinstance(lay, Dropout)), None)
            layer.reset_parameters(self.rng, self.dtype,
                                   init=initializers.default_for_activation(following))
            if any(p.dtype != self.dtype for p in layer.params.values()):
                layer.astype(self.dtype)  # a layer that draws nothing keeps its own arrays
        self._packed = PackedParameters(self.layers)
        return self

    def astype(self, dtype):
        """Cast every parameter to ``dtype`` (in place; returns the model)."""
        self.dtype = check_dtype(dtype)
        for layer in self.layers:
            if any(p.dtype != self.dtype for p in layer.params.values()):
                layer.astype(self.dtype)
        self._packed = PackedParameters(self.layers)
        return self

    def packed_parameters(self):
        """The Dense layers' parameters in one flat array (``PackedParameters``), packed
        afresh if an array was replaced since (writing into arrays keeps the packing)."""
        if not self._packed.intact(self.layers):
            self._packed = PackedParameters(self.layers)
        return self._packed

    def copy(self):
        """An independent deep copy (weights, generator state and all)."""
        return copy.deepcopy(self)

    def __deepcopy__(self, memo):
        new = object.__new__(type(self))
        memo[id(self)] = new
        for key, value in vars(self).items():
            if key != "_packed":
                setattr(new, key, copy.deepcopy(value, memo))
        # deepcopy turns each view into an array of its own: lay the copies out afresh
        new._packed = PackedParameters(new.layers)
        return new

    @property
    def param_layers(self):
        return [layer for layer in self.layers if layer.params]

    @property
    def n_features(self):
        first = next((lay for lay in self.layers if isinstance(lay, Dense)), None)
        return None if first is None else first.n_in

    @property
    def n_outputs(self):
        last = next((lay for lay in reversed(self.layers) if isinstance(lay, Dense)), None)
        return None if last is None else last.n_out

    @property
    def n_params(self):
        return sum(layer.n_params for layer in self.layers)

    def parameters(self):
        """``(param, grad)`` pairs of every layer, in order: what an optimizer steps."""
        return [(layer.params[k], layer.grads[k]) for layer in self.layers for k in layer.params]

    def get_weights(self):
        """A copy of every layer's parameters: a list of dicts, one per layer."""
        return [{k: v.copy() for k, v in layer.params.items()} for layer in self.layers]

    def set_weights(self, weights):
        """Copy ``weights`` (as from ``get_weights``) into the layers' arrays, in place."""
        if len(weights) != len(self.layers):
            raise ValueError(f"weights has {len(weights)} entries, the model {len(self.layers)}")
        for i, (layer, w) in enumerate(zip(self.layers, weights)):
            if set(w) != set(layer.params):
                raise ValueError(
                    f"layer {i}: expected keys {sorted(layer.params)}, got {sorted(w)}"
                )
            for k, v in w.items():
                if np.shape(v) != layer.params[k].shape:
                    raise ValueError(
                        f"layer {i} {k}: expected shape {layer.params[k].shape}, got {np.shape(v)}"
                    )
                layer.params[k][...] = v

    def summary(self, n_samples=None):
        """A table of layers, output shapes and parameter counts.

        Given ``n_samples`` (or after ``fit``), it warns when trainable parameters outnumber
        training samples: such a network can memorise its data instead of learning from it.
        """
        rows, width = [], None
        for i, layer in enumerate(self.layers):
            width = getattr(layer, "n_out", width)
            shape = f"(n, {width})" if width else "(n, ...)"
            rows.append((f"{i}", repr(layer), shape, f"{layer.n_params:,}"))
        head = ("#", "layer", "output", "params")
        widths = [max(len(r[j]) for r in [head, *rows]) for j in range(4)]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        out = [line.format(*head), "  ".join("-" * w for w in widths)]
        out += [line.format(*r) for r in rows]
        out.append(f"total parameters: {self.n_params:,}   dtype: {self.dtype}")
        n_samples = n_samples or getattr(self, "n_train_samples_", None)
        if n_samples:
            out.append(f"training samples: {n_samples:,}")
            if self.n_params > n_samples:
                out.append(
                    f"WARNING: {self.n_params:,} parameters > {n_samples:,} training samples: the "
                    "network can memorise the data; use fewer units, regularization or more data."
                )
        return "\n".join(out)

    def __repr__(self):
        inner = ",\n  ".join(repr(layer) for layer in self.layers)
        return f"Sequential([\n  {inner}\n], dtype={self.dtype})"

    def _repr_html_(self):
        """A notebook's view: the ``summary()`` table as HTML."""
        rows, width = [], None
        for i, layer in enumerate(self.layers):
            width = getattr(layer, "n_out", width)
            rows.append((i, repr(layer), f"(n, {width})" if width else "(n, ...)",
                         f"{layer.n_params:,}"))
        return html_table(("#", "layer", "output", "params"), rows,
                          f"Sequential: {self.n_params:,} parameters, {self.dtype}")

    # ---------------------------------------------------------------- forward / backward
    def forward(self, x, training=False):
        """Output of the network for x (n, n_features); every layer caches for ``backward``."""
        for layer in self.layers:
            x = layer.forward(x, training)
        return x

    def __call__(self, x, training=False):
        """``model(x)`` is ``model.forward(x, training)``."""
        return self.forward(x, training)

    def backward(self, grad_out):
        """Backpropagate dL/d(output) through every layer; fills grads, returns dL/dx."""
        for layer in reversed(self.layers):
            grad_out = layer.backward(grad_out)
        return grad_out

    def train_step(self, x, y, loss, optimizer, *, regularizer=None, clip_norm=None,
                   sample_weight=None):
        """One step of backpropagation on the batch (x, y); returns the batch loss.

        x (n, n_features), y as ``loss`` takes it (``loss`` and ``optimizer`` are instances:
        the optimizer keeps its state from step to step). ``regularizer`` adds its penalty to
        the loss and its gradient to the weights' gradients; ``clip_norm`` caps the global
        gradient norm; ``sample_weight`` (n,) weighs each row's loss.
        """
        weights = {} if sample_weight is None else {"sample_weight": sample_weight}
        value = loss.forward(self.forward(x, training=True), y, **weights)  # forward, caches
        self.backward(loss.backward())                     # dL/dW, dL/db of every layer
        if regularizer:
            value += regularizer.apply(self.layers)        # L1/L2: penalty, and its gradient
        if clip_norm is not None:
            clip_grad_norm(self.parameters(), clip_norm)
        optimizer.step(self.parameters())                  # p <- p - lr * (the rule's step)
        return value

    def default_loss(self):
        """The loss for this output: BinaryCrossEntropy after Sigmoid, CrossEntropy after
        Softmax, MSE otherwise."""
        last = self.layers[-1]
        if isinstance(last, Sigmoid):
            return losses_mod.BinaryCrossEntropy()
        if isinstance(last, Softmax):
            return losses_mod.CrossEntropy()
        return losses_mod.MSELoss()

    fit = training.fit  # model.fit(X, y, ...): the loop over batches and epochs
    lr_find = lr_finder.lr_find  # model.lr_find(X, y): the learning-rate range test

    # ---------------------------------------------------------------- inference
    def predict(self, X, batch_size=8192):
        """Network output for X (inference mode: no dropout), computed in batches."""
        X = check_features(X, "X", self.n_features, self.dtype)
        return self.predict_checked(X, batch_size)

    def predict_checked(self, X, batch_size=8192):
        """``predict`` for X already checked (``fit`` validates once, then calls this)."""
        n = X.shape[0]
        if n <= batch_size:
            return self.forward(X).copy()
        return np.concatenate([self.forward(X[s:s + batch_size]) for s in range(0, n, batch_size)])

    def output_kind(self):
        """What the output is: "sigmoid_probs", "softmax_probs", "sigmoid_logits" (a linear
        output trained with a from_logits BCE), "softmax_logits", or None (not probabilities)."""
        last, loss = self.layers[-1], self.loss_
        if isinstance(last, Sigmoid):
            return "sigmoid_probs"
        if isinstance(last, Softmax):
            return "softmax_probs"
        if isinstance(loss, losses_mod.BinaryCrossEntropy) and loss.from_logits:
            return "sigmoid_logits"
        if isinstance(loss, losses_mod.CrossEntropy) and loss.from_logits:
            return "softmax_logits"
        return None

    def predict_proba(self, X, batch_size=8192):
        """Class probabilities: (n, 1) for a sigmoid output, (n, C) for softmax.

        Works after a Sigmoid/Softmax layer, or on a linear output trained with a
        ``from_logits=True`` cross-entropy (the link is applied here).
        """
        from .functional import sigmoid, softmax

        kind = self.output_kind()
        if kind is None:
            raise ValueError(
                "predict_proba needs a Sigmoid or Softmax output layer, or a model trained with a "
                "from_logits cross-entropy; this model's output is not a probability"
            )
        out = self.predict(X, batch_size)
        if kind == "sigmoid_logits":
            return sigmoid(out)
        if kind == "softmax_logits":
            return softmax(out, axis=1)
        return out

    def predict_classes(self, X, batch_size=8192):
        """Predicted class labels (n,): threshold 0.5 for one output, argmax for several."""
        proba = self.predict_proba(X, batch_size)
        if proba.shape[1] == 1:
            return (proba[:, 0] >= 0.5).astype(np.int64)
        return np.argmax(proba, axis=1)

    def evaluate(self, X, y, loss=None, metrics=None):
        """Loss and metrics on (X, y) without training: a dict like {"loss": .., "accuracy": ..}."""
        loss = losses_mod.get(loss) if loss is not None else self.loss_ or self.default_loss()
        X, Y = check_data(X, y, loss, self.n_features, self.n_outputs, self.dtype)
        return training.evaluate_checked(self, X, Y, loss, training.resolve_metrics(metrics, loss))


def mlp(layer_dims, activation="relu", output_activation=None, **kwargs):
    """Shorthand for ``Sequential.from_sizes``."""
    return Sequential.from_sizes(layer_dims, activation, output_activation, **kwargs)
