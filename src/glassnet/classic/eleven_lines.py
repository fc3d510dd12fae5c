"""A neural network in 11 lines: the tutorial's NumPy loop, and the engine computing its numbers.

The network is 3-4-1 with sigmoid units and no biases (the third input column is always 1 and
plays the bias's part), trained on four rows whose label is x1 XOR x2:

    X (4, 3) = [[0,0,1], [0,1,1], [1,0,1], [1,1,1]],    y (4, 1) = [[0], [1], [1], [0]]
    syn0 (3, 4), syn1 (4, 1) = 2 * random((3, 4)) - 1, 2 * random((4, 1)) - 1   (U[-1, 1))

and each of the 60,000 epochs is one full-batch step:

    l1 = sigmoid(X @ syn0)                     (4, 4)  hidden layer
    l2 = sigmoid(l1 @ syn1)                    (4, 1)  output
    l2_delta = (y - l2) * l2 (1 - l2)          the tutorial's nonlin(l2, deriv=True) = x (1 - x):
                                               the sigmoid's derivative written in its output
    l1_delta = (l2_delta @ syn1.T) * l1 (1 - l1)
    syn1 += l1.T @ l2_delta,   syn0 += X.T @ l1_delta

The same step on the engine: l2_delta is -dE/dz for the summed squared error
E = 1/2 sum (y - l2)^2 (``SSELoss``), so ``+= k.T.dot(delta)`` is plain gradient descent with
learning rate 1, one ``Sequential.train_step(X, y, SSELoss(), SGD(lr=1.0))``:

=============================  ===========================================
tutorial                       engine
=============================  ===========================================
syn0 (3, 4), syn1 (4, 1)       Dense(3, 4, bias=False).W, Dense(4, 1, bias=False).W
l1, l2                         the Sigmoid layers' outputs
l2_delta, l1_delta             minus the gradients at the Dense outputs
syn1 += l1.T.dot(l2_delta)     SGD(lr=1.0) stepping W by -dE/dW
=============================  ===========================================

The tutorial's longer version seeds NumPy with ``np.random.seed(1)`` and prints the mean
absolute error every 10,000 epochs (before that epoch's update): 0.496410031903, then
0.00858452565325 ... 0.00351012256786. Both loops here reproduce those digits, the weights
drawn from a private ``RandomState(1)``.
"""

from __future__ import annotations

import numpy as np

from ..nn import SGD, Dense, Sequential, Sigmoid, SSELoss
from ._figures import DEFAULT_OUT, draw_network, new_figure, save_figure, speaker

__all__ = [
    "PUBLISHED_ERRORS",
    "X",
    "Y",
    "compare",
    "engine_loop",
    "engine_network",
    "format_errors",
    "initial_weights",
    "lesson",
    "plot",
    "tutorial_loop",
]

#: The four training rows and their labels (x1 XOR x2; the third column is a constant 1).
X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=np.float64)
Y = np.array([[0], [1], [1], [0]], dtype=np.float64)

#: The tutorial's printout: mean |y - l2| at the start of these epochs (seed 1).
PUBLISHED_ERRORS = {0: 0.496410031903, 10_000: 0.00858452565325, 20_000: 0.00578945986251,
                    30_000: 0.00462917677677, 40_000: 0.00395876528027,
                    50_000: 0.00351012256786}


def initial_weights(seed=1):
    """(syn0 (3, 4), syn1 (4, 1)): ``2 * np.random.random(shape) - 1`` after ``seed(seed)``,
    drawn from a private ``RandomState`` (the course's legacy stream; global state untouched)."""
    rs = np.random.RandomState(seed)
    syn0 = 2 * rs.random_sample((3, 4)) - 1
    syn1 = 2 * rs.random_sample((4, 1)) - 1
    return syn0, syn1


def _check_epochs(epochs, every):
    for name, value in (("epochs", epochs), ("every", every)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")


def tutorial_loop(epochs=60_000, every=10_000, seed=1, curve_every=100):
    """The tutorial's loop as it is written, in NumPy; returns its numbers.

    Returns a dict: ``errors`` {epoch: mean |y - l2|} for every ``every``-th epoch (measured
    before that epoch's update, as the tutorial prints it), ``curve`` (epochs, errors) every
    ``curve_every`` epochs, the final ``syn0``, ``syn1`` and ``output`` l2 (4, 1).
    """
    _check_epochs(epochs, every)
    syn0, syn1 = initial_weights(seed)
    errors, curve = {}, ([], [])
    for j in range(epochs):
        l1 = 1 / (1 + np.exp(-(X @ syn0)))
        l2 = 1 / (1 + np.exp(-(l1 @ syn1)))
        if j % every == 0 or j % curve_every == 0:
            err = float(np.mean(np.abs(Y - l2)))
            if j % every == 0:
                errors[j] = err
            if j % curve_every == 0:
                curve[0].append(j)
                curve[1].append(err)
        l2_delta = (Y - l2) * (l2 * (1 - l2))
        l1_delta = l2_delta.dot(syn1.T) * (l1 * (1 - l1))
        syn1 += l1.T.dot(l2_delta)
        syn0 += X.T.dot(l1_delta)
    output = 1 / (1 + np.exp(-(1 / (1 + np.exp(-(X @ syn0))) @ syn1)))
    return {"errors": errors, "curve": curve, "syn0": syn0, "syn1": syn1, "output": output}


def engine_network(syn0, syn1):
    """The 3-4-1 network on the engine (float64), holding the weights syn0 and syn1."""
    model = Sequential([Dense(3, 4, bias=False), Sigmoid(), Dense(4, 1, bias=False), Sigmoid()],
                       dtype="float64")
    model.set_weights([{"W": syn0}, {}, {"W": syn1}, {}])
    return model


def engine_loop(epochs=60_000, every=10_000, seed=1, curve_every=100):
    """The same training on the engine: one ``train_step(X, Y, SSELoss(), SGD(lr=1.0))`` per
    epoch. Returns the dict of ``tutorial_loop`` plus the ``model``."""
    _check_epochs(epochs, every)
    model = engine_network(*initial_weights(seed))
    loss, optimizer = SSELoss(), SGD(lr=1.0)
    errors, curve = {}, ([], [])
    for j in range(epochs):
        if j % every == 0 or j % curve_every == 0:
            err = float(np.mean(np.abs(Y - model.predict(X))))
            if j % every == 0:
                errors[j] = err
            if j % curve_every == 0:
                curve[0].append(j)
                curve[1].append(err)
        model.train_step(X, Y, loss, optimizer)
    return {"errors": errors, "curve": curve, "syn0": model.layers[0].params["W"].copy(),
            "syn1": model.layers[2].params["W"].copy(), "output": model.predict(X),
            "model": model}


def compare(epochs=60_000, every=10_000, seed=1):
    """Both loops side by side: {"tutorial", "engine", "max_weight_difference"}."""
    tutorial = tutorial_loop(epochs, every, seed)
    engine = engine_loop(epochs, every, seed)
    diff = max(float(np.max(np.abs(tutorial[k] - engine[k]))) for k in ("syn0", "syn1"))
    return {"tutorial": tutorial, "engine": engine, "max_weight_difference": diff}


def format_errors(result):
    """The tutorial's printout ("Error:" every 10,000 epochs) with the engine's beside it."""
    tut, eng = result["tutorial"]["errors"], result["engine"]["errors"]
    lines = [f"{'epoch':>7}  {'tutorial loop':>16}  {'engine':>16}  {'published':>16}"]
    for j in tut:
        pub = PUBLISHED_ERRORS.get(j)
        lines.append(f"{j:>7}  {tut[j]:>16.12g}  {eng[j]:>16.12g}  "
                     f"{'' if pub is None else f'{pub:.12g}':>16}")
    lines.append(f"largest difference between the two loops' weights: "
                 f"{result['max_weight_difference']:.1e}")
    lines.append("output after training: "
                 f"{np.round(result['engine']['output'][:, 0], 4).tolist()} (targets 0 1 1 0)")
    return "\n".join(lines)


def plot(result):
    """The mean absolute error of both loops against the epoch, and the trained network."""
    fig, (ax0, ax1) = new_figure(1, 2, figsize=(12, 4.5))
    for key, style in (("tutorial", {"lw": 3, "alpha": 0.5}), ("engine", {"ls": "--"})):
        epochs, errors = result[key]["curve"]
        ax0.plot(epochs, errors, label=f"{key} loop", **style)
    pub = [(j, e) for j, e in PUBLISHED_ERRORS.items() if j in result["tutorial"]["errors"]]
    ax0.scatter(*zip(*pub), color="k", zorder=3, s=18, label="the tutorial's printout")
    ax0.set_yscale("log")
    ax0.set_xlabel("epoch")
    ax0.set_ylabel("mean |y - output|")
    ax0.set_title("The 11-line network: tutorial loop and engine, the same numbers")
    ax0.legend(fontsize=8)
    eng = result["engine"]
    draw_network(ax1, [3, 4, 1], [eng["syn0"], eng["syn1"]],
                 labels=["X (3 inputs)", "l1 (4 sigmoid)", "l2 (output)"],
                 title="Trained weights syn0, syn1")
    fig.tight_layout()
    return fig


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson eleven-lines``: the 11-line network, tutorial loop beside the engine.

    ``quick`` trains 10,001 epochs instead of 60,000 (the first two printed errors).
    """
    say = speaker(verbose)
    epochs = 10_001 if quick else 60_000
    result = compare(epochs=epochs)
    say(f"The 11-line network: 3-4-1 sigmoid, no biases, {epochs:,} full-batch epochs, "
        "weights 2 * random - 1 after seed 1")
    say(format_errors(result))
    result["figure"] = save_figure(plot(result), out, "eleven-lines.png")
    say(f"figure: {result['figure']}")
    return result
