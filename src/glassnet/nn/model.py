"""``Sequential``: a stack of layers with ``fit``, ``predict`` and ``evaluate``.

The training step is the whole of backpropagation, readable in one screen (``_train_step``):
forward through every layer keeping caches, the loss's gradient at the output, backward through
the layers in reverse, the penalties' gradients, optional clipping, one optimizer step.
Inputs are validated once in ``fit``; nothing inside the batch loop re-checks them.
"""

from __future__ import annotations

import copy
import inspect
import itertools
import math
import warnings

import numpy as np
import scipy.sparse as sp

from . import initializers
from . import losses as losses_mod
from . import optimizers as optimizers_mod
from .callbacks import Callback, History, ProgressLogger
from .layers import Dense, Dropout, Layer, LeakyReLU, ReLU, Sigmoid, Softmax, get_activation
from .regularizers import Regularizer

__all__ = ["DivergenceError", "Sequential", "mlp"]


class DivergenceError(FloatingPointError):
    """Training produced a NaN or infinite loss (usually: the learning rate is too high)."""


def _check_dtype(dtype):
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    return dtype


def check_features(X, name, n_features, dtype):
    """X as a 2-D float array (or CSR matrix) of ``dtype``; clear errors for anything else."""
    if sp.issparse(X):
        X = sp.csr_matrix(X, dtype=dtype)
        values = X.data
    else:
        try:
            X = np.asarray(X)
        except (ValueError, TypeError) as e:
            raise TypeError(f"{name} must be a 2-D numeric array: {e}") from None
        if X.dtype == object or not (np.issubdtype(X.dtype, np.number) or X.dtype == bool):
            raise TypeError(f"{name} must hold numbers, got dtype {X.dtype}")
        X = X.astype(dtype, copy=False)
        values = X
    if X.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (n_samples, n_features), got shape {X.shape}; "
            "reshape a single feature with X.reshape(-1, 1)"
        )
    if X.shape[0] == 0:
        raise ValueError(f"{name} is empty: it has no samples")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(f"{name} has {X.shape[1]} features but the model expects {n_features}")
    # A sum is finite exactly when every entry is, unless it overflows (then look closer); it
    # needs no boolean temporary the size of X, which would count against fit's peak memory.
    with np.errstate(over="ignore", invalid="ignore"):
        suspicious = not np.isfinite(np.sum(values))
    if suspicious and not np.all(np.isfinite(values)):
        bad = np.argwhere(~np.isfinite(X.toarray() if sp.issparse(X) else X))[0]
        raise ValueError(
            f"{name} contains NaN or infinity (first at row {bad[0]}, column {bad[1]})"
        )
    return X


def _check_count(name, value, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


class Sequential:
    """Layers applied in order: y = layer_L(... layer_2(layer_1(x))).

    ``seed`` builds the model's ``numpy.random.Generator``, which draws every layer's initial
    weights (so one seed fixes the whole model), the dropout masks and the shuffling order.
    Parameters live in ``dtype`` (float32 by default; float64 for gradient checks).
    """

    def __init__(self, layers, seed=None, dtype="float32"):
        layers = list(layers)
        if not layers:
            raise ValueError("Sequential needs at least one layer")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"layers[{i}] is a {type(layer).__name__}, not a glassnet Layer")
        self.layers = layers
        self.dtype = _check_dtype(dtype)
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.stop_training = False
        self.loss_ = None
        self.history_ = None
        self.reset_parameters()

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
        """Draw all weights afresh from the model's generator (defaults per activation)."""
        for i, layer in enumerate(self.layers):
            if isinstance(layer, Dense):
                init = layer._init
                if init is None:
                    nxt = next((lay for lay in self.layers[i + 1:] if not isinstance(lay, Dropout)),
                               None)
                    relu_like = isinstance(nxt, (ReLU, LeakyReLU))
                    init = initializers.HeNormal() if relu_like else initializers.GlorotUniform()
                layer.reset_parameters(self.rng, self.dtype, init=init)
            else:
                layer.reset_parameters(self.rng, self.dtype)
                layer.astype(self.dtype)
            if isinstance(layer, Dropout):
                layer.rng = self.rng
        self._pack_dense()
        return self

    def astype(self, dtype):
        """Cast every parameter to ``dtype`` (in place; returns the model)."""
        self.dtype = _check_dtype(dtype)
        for layer in self.layers:
            layer.astype(self.dtype)
        self._pack_dense()
        return self

    def _dense_arrays(self):
        return [(lay, k) for lay in self.layers if isinstance(lay, Dense) for k in lay.params]

    def _pack_dense(self):
        """Lay every Dense layer's W and b end to end in one flat array, and their gradients in
        another; ``params`` and ``grads`` then hold views (reshaped slices) of those arrays.

        An optimizer then updates the whole network in one pass over one array instead of a
        few NumPy calls per parameter, which is most of a step's time in a small network (10-18%
        faster at 56-10-1 and at 784-256-128-10 with batch 32). The maths is unchanged: every
        optimizer's update is element by element. Only Dense layers are packed: a user's layer
        may keep its own references to its arrays.
        """
        keys = self._dense_arrays()
        if not keys or len({lay.params[k].dtype for lay, k in keys}) != 1:
            return
        dtype = keys[0][0].params[keys[0][1]].dtype
        size = sum(lay.params[k].size for lay, k in keys)
        flat_p, flat_g = np.empty(size, dtype), np.zeros(size, dtype)
        start = 0
        for lay, k in keys:
            p = lay.params[k]
            stop = start + p.size
            flat_p[start:stop] = p.reshape(-1)
            lay.params[k] = flat_p[start:stop].reshape(p.shape)
            lay.grads[k] = flat_g[start:stop].reshape(p.shape)
            start = stop

    def _packed_pair(self):
        """(flat params, flat grads) if the Dense arrays are still views laid out by
        ``_pack_dense`` (replacing an array, as loading or casting a layer does, undoes it)."""
        keys = self._dense_arrays()
        if not keys:
            return None
        flat_p = keys[0][0].params[keys[0][1]].base
        flat_g = keys[0][0].grads[keys[0][1]].base
        if flat_p is None or flat_g is None:
            return None
        offset = 0  # in bytes: each view must start where the previous one ended
        for lay, k in keys:
            p, g = lay.params[k], lay.grads[k]
            if p.base is not flat_p or g.base is not flat_g or \
                    _address(p) - _address(flat_p) != offset or \
                    _address(g) - _address(flat_g) != offset:
                return None
            offset += p.nbytes
        return (flat_p, flat_g) if offset == flat_p.nbytes == flat_g.nbytes else None

    def _step_pairs(self, per_array=False):
        """What ``fit`` hands the optimizer: the packed Dense arrays as one pair plus any other
        layer's own pairs; one pair per array when ``per_array`` (row hints are per array)."""
        packed = None if per_array else self._packed_pair()
        if packed is None and not per_array:
            self._pack_dense()
            packed = self._packed_pair()
        if packed is None:
            return self.parameters()
        others = [(lay.params[k], lay.grads[k]) for lay in self.layers
                  if not isinstance(lay, Dense) for k in lay.params]
        return [packed, *others]

    def copy(self):
        """An independent deep copy (weights, generator state and all)."""
        return copy.deepcopy(self)

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
        """Copy ``weights`` (as from ``get_weights``) into the layers, in place."""
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
            if isinstance(layer, Dense):
                width = layer.n_out
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

    # ---------------------------------------------------------------- forward / backward
    def forward(self, x, training=False):
        """Output of the network for x (n, n_features); caches for ``backward``."""
        for layer in self.layers:
            x = layer.forward(x, training)
        return x

    __call__ = forward

    def backward(self, grad_out):
        """Backpropagate dL/d(output) through every layer; fills grads, returns dL/dx."""
        for layer in reversed(self.layers):
            grad_out = layer.backward(grad_out)
        return grad_out

    def _default_loss(self):
        last = self.layers[-1]
        if isinstance(last, Sigmoid):
            return losses_mod.BinaryCrossEntropy()
        if isinstance(last, Softmax):
            return losses_mod.CrossEntropy()
        return losses_mod.MSELoss()

    # ---------------------------------------------------------------- training
    def train_step(self, x, y, loss, optimizer, *, regularizer=None, clip_norm=None,
                   sample_weight=None):
        """One step of backpropagation on the batch (x, y); returns the batch loss.

        x (n, n_features), y as ``loss`` takes it. Forward keeping every layer's cache, the
        loss and its gradient dL/d(output), backward through the layers in reverse (filling
        each ``grads``), the penalties' gradients, then one optimizer step on every parameter.
        """
        weights = {} if sample_weight is None else {"sample_weight": sample_weight}
        value = loss.forward(self.forward(x, training=True), y, **weights)
        self.backward(loss.backward())
        if regularizer:
            regularizer.add_grads(self.layers)
            value += regularizer.penalty(self.layers)
        if clip_norm is not None:
            optimizers_mod.clip_grad_norm(self.parameters(), clip_norm)
        optimizer.step(self.parameters())
        return value

    def _train_step(self, xb, yb, swb, loss, optimizer, fused, regularizer, clip_norm, pairs):
        """One step of gradient descent on a batch; returns the batch loss (with penalties)."""
        out = self.forward(xb, training=True)
        # targets and weights were checked once in fit: skip re-validating them every batch
        value = (loss.forward_prepared(out, yb) if swb is None
                 else loss.forward_prepared(out, yb, sample_weight=swb))
        if fused:  # (p - t) / n straight into the layer under Sigmoid/Softmax
            grad, layers = loss.grad_wrt_logits(), self._backprop_layers[:-1]
        else:
            grad, layers = loss.backward(), self._backprop_layers
        for layer in reversed(layers):
            grad = layer.backward(grad)
        if regularizer:
            regularizer.add_grads(self._reg_layers)
            value += regularizer.penalty(self._reg_layers)
        if clip_norm is not None:
            optimizers_mod.clip_grad_norm(pairs, clip_norm)
        if self._row_hints:
            optimizer.step(pairs, [getattr(lay, "grad_rows", None) if k == "W" else None
                                   for lay in self.layers for k in lay.params])
        else:
            optimizer.step(pairs)
        return value, out

    def fit(self, X, y, *, loss=None, optimizer=None, epochs=1, batch_size=None, shuffle=True,
            validation_data=None, validation_split=0.0, callbacks=None, verbose=1, metrics=None,
            l1=0.0, l2=0.0, regularizer=None, clip_norm=None, sample_weight=None):
        """Train by mini-batch gradient descent; returns the ``History`` of every epoch.

        X: (n, n_features) array or CSR matrix; y: targets as the loss takes them (values
        (n,) or (n, k); integer labels or one-hot rows for cross-entropy).
        ``loss`` defaults by the output layer: BinaryCrossEntropy after Sigmoid, CrossEntropy
        after Softmax, MSE otherwise. ``optimizer`` defaults to Adam(lr=0.001).
        ``batch_size=None`` means full batch. ``validation_split`` holds out the last fraction
        of the rows (before shuffling, as Keras does). ``l1``/``l2`` penalise weights (not
        biases); ``clip_norm`` caps the global gradient norm. ``verbose``: 0 silent, 1 about ten
        lines, 2 a line per epoch.
        """
        loss = self._default_loss() if loss is None else losses_mod.get(loss)
        optimizer = optimizers_mod.Adam() if optimizer is None else optimizers_mod.get(optimizer)
        epochs = _check_count("epochs", epochs)
        if not 0 <= validation_split < 1:
            raise ValueError(f"validation_split must be in [0, 1), got {validation_split!r}")
        if clip_norm is not None and not clip_norm > 0:
            raise ValueError(f"clip_norm must be > 0, got {clip_norm!r}")
        if regularizer is None:
            regularizer = Regularizer(l1=l1, l2=l2)
        if sample_weight is not None and "sample_weight" not in inspect.signature(
                loss.forward).parameters:
            raise TypeError(f"sample_weight is not supported by {type(loss).__name__}")
        X, Y = self._check_data(X, y, loss, "X", "y")
        n = X.shape[0]
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight, dtype=self.dtype)
            if sample_weight.shape != (n,) or not np.all(np.isfinite(sample_weight)) or \
                    np.any(sample_weight < 0):
                raise ValueError(f"sample_weight must be finite and >= 0 with shape ({n},)")
        if validation_data is not None:
            if len(validation_data) != 2:
                raise ValueError("validation_data must be a tuple (X_val, y_val)")
            Xv, Yv = self._check_data(*validation_data, loss, "validation X", "validation y")
        elif validation_split:
            split = int(n * (1 - validation_split))
            if split < 1 or split == n:
                raise ValueError(f"validation_split={validation_split} leaves an empty split")
            X, Xv, Y, Yv = X[:split], X[split:], Y[:split], Y[split:]
            if sample_weight is not None:
                sample_weight = sample_weight[:split]
            n = split
        else:
            Xv = Yv = None
        batch_size = n if batch_size is None else _check_count("batch_size", batch_size)
        metrics = self._resolve_metrics(metrics, loss)
        self.loss_ = loss
        self.n_train_samples_ = n
        self._warn_symmetric()

        history = History()
        cbs: list[Callback] = [history]
        if verbose:
            logger = ProgressLogger(every=1 if verbose > 1 or epochs <= 20 else epochs // 10)
            logger.params_epochs = epochs
            cbs.append(logger)
        cbs += list(callbacks or [])
        for cb in cbs:
            if not isinstance(cb, Callback):
                raise TypeError(f"callbacks must be Callback instances, got {type(cb).__name__}")
            cb.set_model(self)

        fused = loss.fuses_with is not None and isinstance(self.layers[-1], loss.fuses_with)
        # Plain SGD on sparse input updates only the rows of the words a batch has, which takes
        # one pair per array; anything else steps the packed arrays as one pair. (A penalty's
        # gradient is dense: no row hints then.)
        self._row_hints = sp.issparse(X) and optimizer.uses_row_hints and not regularizer
        pairs = self._step_pairs(per_array=self._row_hints)
        first = next((i for i, lay in enumerate(self.layers) if lay.params), len(self.layers))
        # Layers below the first one with parameters never need a gradient: stop there, and
        # skip that layer's dL/dx (one matrix product per batch saved).
        self._backprop_layers = self.layers[first:]
        self._reg_layers = self.param_layers
        first_layer = self.layers[first] if first < len(self.layers) else None
        if isinstance(first_layer, Dense):
            first_layer.needs_input_grad = False
        # Batches are gathered into buffers allocated once, and every layer keeps its per-batch
        # arrays in a workspace while fit runs (see layers.py): no allocation per batch.
        # Row gathers need row-major data: from a column-major array (what pandas' to_numpy
        # gives) every gathered row is a strided read, 100x slower; copy such data once here.
        X, Y, sample_weight = (a if a is None or sp.issparse(a) else np.ascontiguousarray(a)
                               for a in (X, Y, sample_weight))
        xbuf, ybuf, swbuf = (_row_buffer(a, batch_size) for a in (X, Y, sample_weight))
        for layer in self.layers:
            layer.workspace = {}
        self.stop_training = False
        for cb in cbs:
            cb.on_train_begin()
        try:
            for epoch in range(epochs):
                for cb in cbs:
                    cb.on_epoch_begin(epoch)
                order = self.rng.permutation(n) if shuffle else None
                total, tracker = 0.0, _MetricTracker(metrics, loss)
                for start in range(0, n, batch_size):
                    idx = (order[start:start + batch_size] if shuffle
                           else slice(start, start + batch_size))
                    xb, yb = _take_rows(X, idx, xbuf), _take_rows(Y, idx, ybuf)
                    swb = None if sample_weight is None else _take_rows(sample_weight, idx, swbuf)
                    value, out = self._train_step(xb, yb, swb, loss, optimizer, fused, regularizer,
                                                  clip_norm, pairs)
                    if not math.isfinite(value):
                        raise DivergenceError(
                            f"loss became {value} in epoch {epoch + 1} (batch starting at row "
                            f"{start}); training stopped. Try a lower learning rate (now "
                            f"{optimizer.lr:g}), gradient clipping (clip_norm) or scaled inputs."
                        )
                    rows = out.shape[0]
                    total += value * rows
                    tracker.update(out, yb)
                logs = {"loss": total / n, **tracker.result()}
                if Xv is not None:
                    val = self._evaluate_prepared(Xv, Yv, loss, metrics, regularizer)
                    logs.update({f"val_{k}": v for k, v in val.items()})
                    if not math.isfinite(logs["val_loss"]):
                        raise DivergenceError(
                            f"validation loss became {logs['val_loss']} in epoch {epoch + 1}; "
                            f"try a lower learning rate (now {optimizer.lr:g})"
                        )
                logs["lr"] = optimizer.lr
                for cb in cbs:
                    cb.on_epoch_end(epoch, logs)
                if self.stop_training:
                    break
        finally:
            if isinstance(first_layer, Dense):
                first_layer.needs_input_grad = True
            for layer in self.layers:
                layer.workspace = None
        for cb in cbs:
            cb.on_train_end()
        self.history_ = history
        self.optimizer_ = optimizer
        return history

    def _check_data(self, X, y, loss, xname, yname):
        X = check_features(X, xname, self.n_features, self.dtype)
        y = np.asarray(y)
        if y.ndim == 0 or y.shape[0] != X.shape[0]:
            raise ValueError(
                f"{xname} has {X.shape[0]} samples but {yname} has "
                f"{0 if y.ndim == 0 else y.shape[0]}"
            )
        if not (np.issubdtype(y.dtype, np.number) or y.dtype == bool):
            raise TypeError(
                f"{yname} must be numeric (dtype {y.dtype}); encode class names as integers 0..C-1"
            )
        if not np.all(np.isfinite(y)):
            raise ValueError(f"{yname} contains NaN or infinity")
        try:
            Y = loss.prepare_target(y, (X.shape[0], self.n_outputs), self.dtype)
        except ValueError as e:
            raise ValueError(f"{yname}: {e}") from None
        return X, Y

    def _resolve_metrics(self, metrics, loss):
        if metrics is None:
            classify = isinstance(loss, (losses_mod.CrossEntropy, losses_mod.BinaryCrossEntropy))
            return ["accuracy"] if classify else []
        metrics = [metrics] if isinstance(metrics, str) else list(metrics)
        for m in metrics:
            if m not in _MetricTracker.KNOWN:
                known = sorted(_MetricTracker.KNOWN)
                raise ValueError(f"unknown metric {m!r}; choose from {known}")
        return metrics

    def _warn_symmetric(self):
        dense = [lay for lay in self.layers if isinstance(lay, Dense)]
        for i, layer in enumerate(dense[:-1]):
            w = layer.params["W"]
            if layer.n_out > 1 and np.all(w == w.flat[0]):
                warnings.warn(
                    f"hidden Dense layer {i} starts with all weights equal: every unit computes "
                    "the same thing and receives the same gradient, so they can never differ "
                    "(symmetry). Use a random initializer.",
                    stacklevel=3,
                )

    # ---------------------------------------------------------------- inference
    def predict(self, X, batch_size=8192):
        """Network output for X (inference mode: no dropout), computed in batches."""
        X = check_features(X, "X", self.n_features, self.dtype)
        return self._predict_prepared(X, batch_size)

    def _predict_prepared(self, X, batch_size=8192):
        n = X.shape[0]
        if n <= batch_size:
            return self.forward(X).copy()
        return np.concatenate([self.forward(X[s:s + batch_size]) for s in range(0, n, batch_size)])

    def _output_kind(self):
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
        kind = self._output_kind()
        if kind is None:
            raise ValueError(
                "predict_proba needs a Sigmoid or Softmax output layer, or a model trained with a "
                "from_logits cross-entropy; this model's output is not a probability"
            )
        out = self.predict(X, batch_size)
        if kind == "sigmoid_logits":
            from .functional import sigmoid
            return sigmoid(out)
        if kind == "softmax_logits":
            from .functional import softmax
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
        loss = losses_mod.get(loss) if loss is not None else self.loss_ or self._default_loss()
        X, Y = self._check_data(X, y, loss, "X", "y")
        return self._evaluate_prepared(X, Y, loss, self._resolve_metrics(metrics, loss))

    def _evaluate_prepared(self, X, Y, loss, metrics, regularizer=None):
        # A fresh instance of the loss keeps the training loss's caches untouched.
        evaluator = copy.copy(loss)
        out = self._predict_prepared(X)
        logs = {"loss": evaluator.forward(out, Y)}
        if regularizer:
            logs["loss"] += regularizer.penalty(self.param_layers)
        tracker = _MetricTracker(metrics, loss)
        tracker.update(out, Y)
        logs.update(tracker.result())
        return logs


def _address(a):
    return a.__array_interface__["data"][0]


def _row_buffer(a, batch_size):
    """An array for one batch of a's rows, reused every batch (None where scipy gathers)."""
    if a is None or sp.issparse(a):
        return None
    return np.empty((min(batch_size, a.shape[0]), *a.shape[1:]), a.dtype)


def _take_rows(a, idx, buf):
    """Rows ``idx`` of ``a``: a view for a slice, else gathered into ``buf``."""
    if buf is None or isinstance(idx, slice):
        return a[idx]  # a view of a slice; for sparse a, scipy builds the batch's CSR matrix
    # mode="clip" skips the bounds check and the extra copy mode="raise" makes with out=; the
    # indices come from a permutation of range(n), so they are valid.
    return a.take(idx, axis=0, out=buf[:len(idx)], mode="clip")


class _MetricTracker:
    """Accumulates metrics over the batches of an epoch from the network outputs."""

    KNOWN = frozenset({"accuracy", "mae", "mse"})

    def __init__(self, metrics, loss):
        self.metrics, self.loss = metrics, loss
        self.sums = dict.fromkeys(metrics, 0.0)
        self.count = 0

    def _labels(self, out, target):
        if out.shape[1] == 1:
            threshold = 0.0 if getattr(self.loss, "from_logits", False) else 0.5
            return out[:, 0] >= threshold, target[:, 0] >= 0.5
        return np.argmax(out, axis=1), np.argmax(target, axis=1)

    def update(self, out, target):
        if not self.metrics:
            return
        n = out.shape[0]
        for m in self.metrics:
            if m == "accuracy":
                pred, true = self._labels(out, target)
                self.sums[m] += float(np.count_nonzero(pred == true))
            elif m == "mae":
                self.sums[m] += float(np.abs(out - target).mean(axis=1).sum())
            elif m == "mse":
                self.sums[m] += float(np.square(out - target).mean(axis=1).sum())
        self.count += n

    def result(self):
        return {m: s / self.count for m, s in self.sums.items()} if self.count else {}


def mlp(layer_dims, activation="relu", output_activation=None, **kwargs):
    """Shorthand for ``Sequential.from_sizes``."""
    return Sequential.from_sizes(layer_dims, activation, output_activation, **kwargs)

