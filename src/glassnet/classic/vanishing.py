"""Vanishing gradients: why deep sigmoid networks learn slowly in their first layers.

Backpropagation multiplies, layer by layer, by each activation's derivative and each weight
matrix. For hidden layer l with pre-activation z_l and output a_l = f(z_l):

    dL/dz_l = (dL/dz_{l+1} @ W_{l+1}.T) * f'(z_l),      dL/dW_l = a_{l-1}.T @ dL/dz_l.

The sigmoid's derivative s (1 - s) is at most 1/4, so ten sigmoid layers scale the signal by
up to (1/4)^10 ~ 1e-6 before the weights have their say: the first layers' gradients are orders
of magnitude smaller than the last ones', and those layers barely move. tanh's derivative
reaches 1 at z = 0, and ReLU's is exactly 1 where the unit is active (with He initialization
keeping the signal's variance steady), so their gradients stay of one size through the depth.

The lesson measures ||dL/dW_l|| (Frobenius norm) for every layer of a 10-layer network on the
whole training set, at initialization and after a few epochs; the after-training snapshot is
taken by a ``fit`` callback at the end of the last epoch.
"""

from __future__ import annotations

import numpy as np

from ..datasets import make_moons
from ..nn import SGD, BinaryCrossEntropy, Callback, Dense, Sequential
from ._figures import DEFAULT_OUT, new_figure, print_table, save_figure

__all__ = ["SEED", "ACTIVATIONS", "gradient_norms", "lesson", "measure"]

ACTIVATIONS = ("sigmoid", "tanh", "relu")


def gradient_norms(model, X, y, loss=None):
    """||dL/dW|| of each Dense layer, first to last, for one full-batch backward pass on (X, y).

    The forward pass runs in inference mode; the model's weights are not changed (its
    ``grads`` are overwritten).
    """
    loss = BinaryCrossEntropy() if loss is None else loss
    out = model.forward(np.asarray(X, dtype=model.dtype))
    loss.forward(out, y)
    model.backward(loss.backward())
    return np.array([float(np.linalg.norm(layer.grads["W"])) for layer in model.layers
                     if isinstance(layer, Dense)])


class _NormsAtEnd(Callback):
    """Measures the per-layer gradient norms on the full training set after the last epoch."""

    def __init__(self, X, y):
        self.X, self.y, self.norms = X, y, None

    def on_train_end(self, logs=None):
        self.norms = gradient_norms(self.model, self.X, self.y)


def measure(activation, X, y, depth=10, width=32, epochs=5, lr=0.1, batch_size=32, seed=0):
    """Per-layer gradient norms of a ``depth``-layer network at init and after ``epochs``.

    The network is ``depth - 1`` hidden Dense layers of ``width`` units with ``activation``
    (the engine's default initialization: Glorot for sigmoid and tanh, He for ReLU), then a
    Dense(width, 1) + Sigmoid output: ``depth`` weight matrices in all. Trained by SGD with
    binary cross-entropy. Returns (norms at init, norms after training), each (depth,).
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    model = Sequential.from_sizes([X.shape[1], *([width] * (depth - 1)), 1], activation,
                                  "sigmoid", seed=seed)
    at_init = gradient_norms(model, X, y)
    recorder = _NormsAtEnd(X, y)
    model.fit(X, y, optimizer=SGD(lr=lr), epochs=epochs, batch_size=batch_size, verbose=0,
              callbacks=[recorder])
    return at_init, recorder.norms


#: The seed of the lesson's data and starting weights.
SEED = 0


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson vanishing-gradients``: per-layer gradient norms of sigmoid, tanh, ReLU."""
    seed = SEED
    X, y = make_moons(300 if quick else 1000, noise=0.2, seed=seed)
    epochs = 3 if quick else 5
    norms = {act: measure(act, X, y, epochs=epochs, seed=seed) for act in ACTIVATIONS}
    depth = len(norms["sigmoid"][0])
    rows = [[f"{layer + 1}"] + [f"{norms[a][k][layer]:.2e}" for a in ACTIVATIONS for k in (0, 1)]
            for layer in range(depth)]
    ratio = {a: (float(norms[a][0][0] / norms[a][0][-1]), float(norms[a][1][0] / norms[a][1][-1]))
             for a in ACTIVATIONS}
    rows.append(["first / last"] + [f"{ratio[a][k]:.1e}" for a in ACTIVATIONS for k in (0, 1)])
    if verbose:
        print(f"Gradient norm ||dL/dW|| of each layer of a {depth}-layer network (width 32) on "
              f"{len(X)} two-moons points; after: {epochs} epochs of SGD (lr 0.1, batch 32)")
        print_table("Per-layer gradient norms (layer 1 is next to the input)",
                    ["layer"] + [f"{a} {k}" for a in ACTIVATIONS for k in ("init", "after")],
                    rows)
        print(f"With sigmoid the first layer's gradient is {ratio['sigmoid'][0]:.1e} times the "
              "last one's at initialization: it vanishes, and the first layers barely learn. "
              "tanh and ReLU keep every layer's gradient within a small factor of the others.")

    fig, axes = new_figure(1, 2, figsize=(12, 4.5), sharey=True)
    layers = np.arange(1, depth + 1)
    for ax, k, title in ((axes[0], 0, "at initialization"),
                         (axes[1], 1, f"after {epochs} epochs")):
        for i, act in enumerate(ACTIVATIONS):
            ax.bar(layers + (i - 1) * 0.27, norms[act][k], width=0.27, label=act)
        ax.set_yscale("log")
        ax.set_xticks(layers)
        ax.set_xlabel("layer (1 = next to the input)")
        ax.set_title(f"Gradient norm per layer, {title}")
        ax.legend(fontsize=8)
    axes[0].set_ylabel("||dL/dW||")
    fig.tight_layout()
    path = save_figure(fig, out, "vanishing-gradients.png")
    if verbose:
        print(f"figure: {path}")
    return {"norms": norms, "ratio": ratio, "figure": path}
