"""Activation functions and their derivatives: step, sigmoid, tanh, ReLU, leaky ReLU.

==========  ==============================  ===================================  =========
name        f(x)                            f'(x)                                range
==========  ==============================  ===================================  =========
step        1 if x >= 0 else 0              0 (undefined at 0): no gradient       {0, 1}
sigmoid     s = 1 / (1 + exp(-x))           s (1 - s), at most 1/4 (at x = 0)     (0, 1)
tanh        t = tanh(x)                     1 - t^2, at most 1 (at x = 0)         (-1, 1)
ReLU        max(x, 0)                       1 for x > 0, 0 for x <= 0             [0, inf)
leaky ReLU  x if x > 0 else alpha x         1 for x > 0, alpha otherwise          R
==========  ==============================  ===================================  =========

The derivatives here come from the engine: each layer's ``backward`` of a gradient of ones
after its ``forward`` is exactly f'(x), element by element (the layers compute sigmoid' and
tanh' from their cached outputs, as the formulas above are written). The step has no useful
derivative, which is why gradient descent needs the sigmoid; the sigmoid's is at most 1/4,
which is why deep sigmoid networks' gradients vanish; ReLU's is 1 wherever a unit is active.
"""

from __future__ import annotations

import numpy as np

from ..nn import LeakyReLU, ReLU, Sigmoid, Step, Tanh
from ._figures import DEFAULT_OUT, new_figure, save_figure, speaker

__all__ = ["FORMULAS", "LEAKY_ALPHA", "NAMES", "activation_table", "derivative", "evaluate",
           "lesson", "plot", "report"]

#: The activations, in the order the course meets them.
NAMES = ("step", "sigmoid", "tanh", "relu", "leaky_relu")

#: The slope of leaky ReLU for x < 0 in this lesson (the engine's default is 0.01; 0.1 shows).
LEAKY_ALPHA = 0.1

#: Each derivative written as its formula, for checking the engine's backward against.
FORMULAS = {
    "step": lambda x: np.zeros_like(x),
    "sigmoid": lambda x: (s := 1 / (1 + np.exp(-x))) * (1 - s),
    "tanh": lambda x: 1 - np.tanh(x) ** 2,
    "relu": lambda x: (x > 0).astype(x.dtype),
    "leaky_relu": lambda x: np.where(x > 0, 1.0, LEAKY_ALPHA),
}


def _layer(name):
    layers = {"step": Step, "sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU,
              "leaky_relu": lambda: LeakyReLU(LEAKY_ALPHA)}
    if name not in layers:
        raise ValueError(f"unknown activation {name!r}; choose one of {list(NAMES)}")
    return layers[name]()


def evaluate(name, x):
    """(f(x), f'(x)) of activation ``name`` at the points x (any shape, float64), by the engine.

    f'(x) is the layer's ``backward`` of ones; the step, which cannot backpropagate, has 0.

    >>> y, dy = evaluate("sigmoid", [0.0])
    >>> float(y[0]), float(dy[0])
    (0.5, 0.25)
    """
    x = np.asarray(x, dtype=np.float64)
    layer = _layer(name)
    flat = x.reshape(1, -1)
    y = np.array(layer.forward(flat, training=True))
    dy = np.zeros_like(flat) if name == "step" else np.array(layer.backward(np.ones_like(flat)))
    return y.reshape(x.shape), dy.reshape(x.shape)


def derivative(name, x):
    """f'(x) of activation ``name`` by the engine (see ``evaluate``)."""
    return evaluate(name, x)[1]


def activation_table():
    """For each activation: f(0), f'(0), the largest f' on [-10, 10], f'(5) and f(-5)."""
    x = np.linspace(-10, 10, 20001)  # includes 0 exactly
    rows = {}
    for name in NAMES:
        y, dy = evaluate(name, x)
        at = {v: int(np.argmin(np.abs(x - v))) for v in (0.0, 5.0, -5.0)}
        rows[name] = {"f(0)": float(y[at[0.0]]), "f'(0)": float(dy[at[0.0]]),
                      "max f'": float(dy.max()), "f'(5)": float(dy[at[5.0]]),
                      "f(-5)": float(y[at[-5.0]])}
    return rows


def report(table):
    """The table as text, with what it means for learning."""
    cols = ["f(0)", "f'(0)", "max f'", "f'(5)", "f(-5)"]
    lines = [f"{'':<11}" + "".join(f"{c:>10}" for c in cols)]
    for name, row in table.items():
        lines.append(f"{name:<11}" + "".join(f"{row[c]:>10.4g}" for c in cols))
    lines.append("The step's derivative is 0 wherever it exists: no gradient to descend. The "
                 "sigmoid's is at most 1/4 and nearly 0 once |x| > 5 (saturation). tanh is the "
                 "sigmoid rescaled to (-1, 1), zero-centred, with slope 1 at 0. ReLU passes a "
                 f"slope of 1 wherever a unit is active; leaky ReLU keeps alpha = {LEAKY_ALPHA} "
                 "below 0 so a unit never dies.")
    return "\n".join(lines)


def plot(x=None):
    """One panel per activation: f (solid) and its derivative f' (dashed), from the engine."""
    x = np.linspace(-5, 5, 1001) if x is None else np.asarray(x, dtype=np.float64)
    fig, axes = new_figure(1, len(NAMES), figsize=(3.2 * len(NAMES), 3.4), sharey=True)
    titles = {"step": "step", "sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU",
              "leaky_relu": f"leaky ReLU (alpha {LEAKY_ALPHA})"}
    for ax, name in zip(axes, NAMES):
        y, dy = evaluate(name, x)
        ax.plot(x, y, lw=2, label="f(x)")
        ax.plot(x, dy, lw=2, ls="--", label="f'(x)")
        ax.axhline(0, color="gray", lw=0.6)
        ax.axvline(0, color="gray", lw=0.6)
        ax.set_ylim(-1.2, 1.6)
        ax.set_title(titles[name])
        ax.set_xlabel("x")
    axes[0].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson activations``: five activations and their derivatives."""
    say = speaker(verbose)
    table = activation_table()
    say(report(table))
    result = {"table": table, "figure": save_figure(plot(), out, "activations.png")}
    say(f"figure: {result['figure']}")
    return result
