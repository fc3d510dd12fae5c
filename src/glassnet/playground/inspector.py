"""The step inspector: one training step with every number it computes kept for the page.

``inspect_step`` performs exactly what ``Sequential.train_step`` performs, in the same order on
the same engine objects (each layer's ``forward`` and ``backward``, the loss, the penalties,
the optimizer's ``step``), written out one layer at a time so that each layer's output and the
gradient arriving at it can be kept. A test checks that it leaves the model and optimizer in the
same state as ``train_step`` and that its numbers match ``Sequential.forward``/``backward``.

``describe_step`` reads that record neuron by neuron for the drawing: for every neuron its
pre-activation z and activation a (forward), dL/da and dL/dz (backward); for every weight and
bias its value before the step, its gradient and its update.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..nn import Dense, Dropout

__all__ = ["StepRecord", "describe_step", "inspect_step"]


@dataclass
class StepRecord:
    """What one step computed; index i is ``model.layers[i]``.

    outputs[i]       layer i's output in the forward pass          (n, width of layer i)
    grad_outputs[i]  dL/d(output of layer i) in the backward pass   same shape
    grads[i]         layer i's gradients, penalties included        {"W": (n_in, n_out), ...}
    before[i]        layer i's parameters before the step           {"W": ..., "b": ...}
    updates[i]       after - before                                 {"W": ..., "b": ...}
    """

    x: np.ndarray
    loss: float
    outputs: list
    grad_outputs: list
    grad_input: np.ndarray  # dL/dx
    grads: list
    before: list
    updates: list


def inspect_step(model, x, y, loss, optimizer, regularizer=None):
    """One step of backpropagation on (x, y), the steps of ``Sequential.train_step`` one layer at
    a time: returns a ``StepRecord`` of every intermediate value. x (n, n_features)."""
    layers = model.layers
    before = [{k: p.copy() for k, p in layer.params.items()} for layer in layers]
    outputs, h = [], x
    for layer in layers:  # forward, keeping each layer's cache (training: dropout is on)
        h = layer.forward(h, training=True)
        outputs.append(h.copy())
    value = loss.forward(h, y)
    grad = loss.backward()  # dL/d(output of the network)
    grad_outputs = [None] * len(layers)
    for i in reversed(range(len(layers))):  # backward, filling each layer's grads
        grad_outputs[i] = grad.copy()
        grad = layers[i].backward(grad)
    if regularizer:
        regularizer.add_grads(layers)
        value += regularizer.penalty(layers)
    grads = [{k: g.copy() for k, g in layer.grads.items()} for layer in layers]
    optimizer.step(model.parameters())
    updates = [{k: layer.params[k] - before[i][k] for k in layer.params}
               for i, layer in enumerate(layers)]
    return StepRecord(x.copy(), float(value), outputs, grad_outputs, grad, grads, before,
                      updates)


def _numbers(a):
    """A float or a nested list of floats, with None for NaN and infinity (JSON has neither)."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 0:
        v = float(a)
        return v if np.isfinite(v) else None
    return [_numbers(v) for v in a]


def describe_step(model, record, row=0):
    """The numbers of sample ``row`` of a ``StepRecord``, neuron by neuron, as JSON values.

    ``layers`` has one entry per layer of neurons (hidden layers, then the output), each a list
    of neurons {z, a, dL_da, dL_dz, dropped}; ``weights`` one entry per Dense layer with
    ``W``/``b`` before the step, their gradients ``dW``/``db`` and updates ``uW``/``ub``.
    """
    layers = model.layers
    dense = [i for i, layer in enumerate(layers) if isinstance(layer, Dense)]
    neurons = []
    for k, d in enumerate(dense):
        last = k == len(dense) - 1
        nxt = dense[k + 1] if not last else len(layers)
        # the activation follows the Dense layer; a linear output has none (a = z)
        act = d + 1 if d + 1 < nxt else d
        drop = next((j for j in range(d + 1, nxt) if isinstance(layers[j], Dropout)), None)
        z, a = record.outputs[d][row], record.outputs[act][row]
        dz, da = record.grad_outputs[d][row], record.grad_outputs[act][row]
        dropped = (np.zeros(z.shape, bool) if drop is None
                   else (record.outputs[drop][row] == 0) & (a != 0))
        neurons.append([{"z": _numbers(z[j]), "a": _numbers(a[j]), "dL_da": _numbers(da[j]),
                         "dL_dz": _numbers(dz[j]), "dropped": bool(dropped[j])}
                        for j in range(z.shape[0])])
    weights = [{"W": _numbers(record.before[d]["W"]), "dW": _numbers(record.grads[d]["W"]),
                "uW": _numbers(record.updates[d]["W"]), "b": _numbers(record.before[d]["b"]),
                "db": _numbers(record.grads[d]["b"]), "ub": _numbers(record.updates[d]["b"])}
               for d in dense]
    return {"loss": _numbers(record.loss), "input": _numbers(record.x[row]),
            "layers": neurons, "weights": weights}
