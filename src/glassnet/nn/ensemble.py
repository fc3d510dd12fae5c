"""An ensemble of networks as one network: ``average_networks``; a linear model as a ReLU
network: ``linear_as_relu``.

k networks of the same depth (Dense layers with the same element-wise activations between
them; the widths may differ) are one wider network: the first layer's weights side by side,
each inner layer's on the diagonal of a block matrix (zeros elsewhere, so the members never
mix), and the last layer stacked, member j's rows times its weight w_j. Its output before the
output activation is the weighted mean of the members'::

    z = sum_j w_j (h_j @ W_j + b_j)      for the members' last hidden outputs h_j, sum w_j = 1

so for regression it predicts exactly the members' mean, and for classification it applies
the sigmoid or softmax to the members' mean logits. A linear model joins such an average
through ``linear_as_relu``: x = relu(x) - relu(-x), so a hidden layer of 2 ReLU units per
input carries x through unchanged. The result is an ordinary ``Sequential``: it is saved,
loaded, inspected and predicts like any other.
"""

from __future__ import annotations

import copy

import numpy as np

from .activations import LeakyReLU, ReLU
from .layers import Dense, Dropout, Layer
from .model import Sequential

__all__ = ["average_networks", "linear_as_relu"]


def _shape(model):
    """The layer sequence without the widths: what members must share."""
    out = []
    for layer in model.layers:
        if isinstance(layer, Dense):
            out.append(("Dense", layer.bias))
        elif isinstance(layer, Layer) and not layer.params:
            out.append((type(layer).__name__, repr(layer.get_config())))
        else:
            raise ValueError(f"average_networks takes Dense layers and parameter-free layers "
                             f"between them, not {type(layer).__name__}")
    return out


def _block_diagonal(blocks):
    rows = sum(b.shape[0] for b in blocks)
    cols = sum(b.shape[1] for b in blocks)
    out = np.zeros((rows, cols), dtype=blocks[0].dtype)
    r = c = 0
    for b in blocks:
        out[r:r + b.shape[0], c:c + b.shape[1]] = b
        r, c = r + b.shape[0], c + b.shape[1]
    return out


def average_networks(models, weights=None):
    """One ``Sequential`` whose output before the output activation is the average of
    ``models``' (weighted by ``weights``, which must be positive; default: equal); see the
    module docstring. The models must have the same inputs, outputs and layer sequence."""
    models = list(models)
    if not models:
        raise ValueError("average_networks needs at least one model")
    weights = np.full(len(models), 1 / len(models)) if weights is None else \
        np.asarray(weights, dtype=np.float64)
    if weights.shape != (len(models),) or not np.all(weights > 0):
        raise ValueError(f"weights must be {len(models)} positive numbers, got {weights!r}")
    weights = weights / weights.sum()
    shape = _shape(models[0])
    for m in models[1:]:
        if _shape(m) != shape or m.n_features != models[0].n_features \
                or m.n_outputs != models[0].n_outputs:
            raise ValueError("average_networks needs models with the same layers, inputs and "
                             "outputs")
    dense_at = [i for i, layer in enumerate(models[0].layers) if isinstance(layer, Dense)]
    layers, values = [], []
    for i, layer in enumerate(models[0].layers):
        if not isinstance(layer, Dense):
            layers.append(copy.deepcopy(layer) if not isinstance(layer, Dropout)
                          else Dropout(layer.p))
            continue
        members = [m.layers[i] for m in models]
        first, last = i == dense_at[0], i == dense_at[-1]
        Ws = [lay.params["W"].astype(np.float64) for lay in members]
        if first and last:  # no hidden layer: linear models, simply averaged
            W = sum(w * Wj for w, Wj in zip(weights, Ws))
        elif first:
            W = np.concatenate(Ws, axis=1)
        elif last:
            W = np.concatenate([w * Wj for w, Wj in zip(weights, Ws)], axis=0)
        else:
            W = _block_diagonal(Ws)
        b = None
        if layer.bias:
            bs = [lay.params["b"].astype(np.float64) for lay in members]
            b = sum(w * bj for w, bj in zip(weights, bs)) if last else np.concatenate(bs)
        layers.append(Dense(W.shape[0], W.shape[1], bias=layer.bias, init="zeros"))
        values.append((len(layers) - 1, W, b))
    merged = Sequential(layers, seed=models[0].seed, dtype=models[0].dtype, initialize=False)
    merged.loss_ = copy.deepcopy(models[0].loss_)  # what the members trained with, if any
    for index, W, b in values:
        merged.layers[index].params["W"][...] = W
        if b is not None:
            merged.layers[index].params["b"][...] = b
    return merged


def linear_as_relu(model, like):
    """The linear model ``model`` (one Dense layer, then the output activation ``like`` has)
    as a network with the layer sequence of ``like`` (ReLU after every hidden Dense layer; or
    leaky ReLU, with one hidden layer): the first hidden layer holds 2 units per input,
    [x, -x] through the activation, deeper ones pass those 2 n_in values on unchanged (they
    are >= 0, which ReLU keeps), and the last layer turns them back into x: f(x) - f(-x) =
    (1 + alpha) x. It computes what ``model`` computes and can be averaged with networks like
    ``like``."""
    dense = [lay for lay in model.layers if isinstance(lay, Dense)]
    if len(dense) != 1:
        raise ValueError("linear_as_relu takes a model with one Dense layer")
    like_dense = [lay for lay in like.layers if isinstance(lay, Dense)]
    acts = [lay for lay in like.layers if isinstance(lay, (ReLU, LeakyReLU))]
    depth = len(like_dense) - 1
    leaky = any(isinstance(lay, LeakyReLU) for lay in acts)
    if depth < 1 or len(acts) != depth or (leaky and depth > 1):
        raise ValueError("linear_as_relu needs ReLU after every hidden Dense layer (or leaky "
                         "ReLU after a single one)")
    alpha = acts[0].alpha if leaky else 0.0
    n = dense[0].n_in
    W = dense[0].params["W"].astype(np.float64)
    b = dense[0].params["b"].astype(np.float64) if dense[0].bias else np.zeros(W.shape[1])
    weights = [(np.concatenate([np.eye(n), -np.eye(n)], axis=1), np.zeros(2 * n))]  # [x, -x]
    weights += [(np.eye(2 * n), np.zeros(2 * n))] * (depth - 1)                  # passed on
    weights += [(np.concatenate([W, -W], axis=0) / (1 + alpha), b)]              # back to x W
    layers, at = [], []
    for layer in like.layers:
        if isinstance(layer, Dense):
            weight, _ = weights[len(at)]
            layers.append(Dense(weight.shape[0], weight.shape[1], init="zeros"))
            at.append(len(layers) - 1)
        else:
            layers.append(copy.deepcopy(layer) if not isinstance(layer, Dropout)
                          else Dropout(layer.p))
    lifted = Sequential(layers, seed=model.seed, dtype=model.dtype, initialize=False)
    for index, (weight, bias) in zip(at, weights):
        lifted.layers[index].params["W"][...] = weight
        lifted.layers[index].params["b"][...] = bias
    return lifted
