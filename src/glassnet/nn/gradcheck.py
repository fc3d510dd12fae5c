"""Gradient checking: compare backpropagation with central differences, in float64.

For each parameter entry theta_i, the numerical derivative is
(L(theta_i + eps) - L(theta_i - eps)) / (2 eps), with error O(eps^2). The relative error of a
whole parameter array is ||analytic - numeric|| / (||analytic|| + ||numeric||), which is ~1e-10
when backward is right and ~1 when it is wrong.
"""

from __future__ import annotations

import copy

import numpy as np

from . import losses as losses_mod
from .checks import is_sparse
from .layers import Layer
from .model import Sequential
from .regularizers import Regularizer

__all__ = ["gradcheck", "relative_error"]


def relative_error(a, b):
    """||a - b|| / (||a|| + ||b||), 0 when both are 0."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def gradcheck(model_or_layer, loss, X, y, eps=1e-6, regularizer=None, training=True,
              check_input=True, sample_weight=None):
    """Worst relative error per parameter, e.g. ``{"0.W": 3e-11, "0.b": 2e-11, "input": ...}``.

    ``X`` may be a dense array or a CSR matrix (then the input gradient is not checked).
    Works on a float64 copy of ``model_or_layer`` (a ``Sequential`` or a single ``Layer``), so
    the original is untouched. ``training=True`` checks the training-mode pass; dropout masks are
    replayed identically for every evaluation by restoring the generator's state. Keys are
    ``"<layer index>.<param name>"``, plus ``"input"`` for dL/dX when ``check_input``.
    """
    if isinstance(model_or_layer, Layer):
        # the layer's own values, cast to float64 (the model keeps them: no fresh draw)
        model = Sequential([copy.deepcopy(model_or_layer)], dtype="float64", initialize=False)
    elif isinstance(model_or_layer, Sequential):
        model = copy.deepcopy(model_or_layer).astype("float64")
    else:
        raise TypeError(f"gradcheck takes a Sequential or a Layer, not {type(model_or_layer)}")
    loss = losses_mod.get(loss)
    reg = regularizer or Regularizer()
    if is_sparse(X):
        import scipy.sparse as sp

        # A CSR input is checked as the engine sees it; the input gradient is taken with
        # respect to its stored entries only (the zeros are structure, not values).
        X = sp.csr_matrix(X, dtype=np.float64, copy=True)
        check_input = False
    else:
        X = np.array(X, dtype=np.float64)
    kwargs = {} if sample_weight is None else {"sample_weight": sample_weight}
    rng_state = copy.deepcopy(model.rng.bit_generator.state)

    def objective():
        model.rng.bit_generator.state = rng_state  # same dropout mask every time
        value = loss.forward(model.forward(X, training), y, **kwargs)
        return value + reg.penalty(model.layers)

    objective()
    dx = model.backward(loss.backward())
    if reg:
        reg.add_grads(model.layers)
    analytic = {f"{i}.{k}": layer.grads[k].copy()
                for i, layer in enumerate(model.layers) for k in layer.params}

    def numeric_grad(array):
        # each entry is moved in place (array[idx] = ...), as the layer contract asks of anyone
        # setting weights, so a packed array's flat storage sees every change
        grad = np.zeros_like(array)
        it = np.nditer(array, flags=["multi_index"])
        for _ in it:
            idx = it.multi_index
            old = array[idx]
            array[idx] = old + eps
            plus = objective()
            array[idx] = old - eps
            minus = objective()
            array[idx] = old
            grad[idx] = (plus - minus) / (2 * eps)
        return grad

    errors = {}
    for i, layer in enumerate(model.layers):
        for k, p in layer.params.items():
            errors[f"{i}.{k}"] = relative_error(analytic[f"{i}.{k}"], numeric_grad(p))
    if check_input:
        errors["input"] = relative_error(dx, numeric_grad(X))
    return errors
