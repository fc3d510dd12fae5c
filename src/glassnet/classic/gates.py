"""Logic gates as perceptrons, and why XOR needs a second layer.

A gate on two bits is a perceptron y = step(w1 x1 + w2 x2 + b) with step(h) = 1 if h >= 0:

=====  ==========  ======  ==================================================
gate   (w1, w2)    b       why
=====  ==========  ======  ==================================================
AND    (1, 1)      -2      h >= 0 only when both inputs are 1 (h = 0 there)
OR     (1, 1)      -1      h >= 0 as soon as one input is 1
NOT    (0, -1)     0       ignores input 1; h = -x2 >= 0 only when x2 = 0
NAND   (-1, -1)    1       NOT(AND): AND's weights negated, and since the tie h = 0 must
                           flip too, b = -(-2) - 1 = 1
=====  ==========  ======  ==================================================

XOR is 1 when exactly one input is 1. Its positive points (0, 1) and (1, 0) sit on one diagonal
and its negatives on the other, so no single line separates them: a perceptron always gets at
least one of the four rows wrong. Two layers fix it: XOR(a, b) = AND(OR(a, b), NAND(a, b)), a
hidden layer of two perceptrons (OR and NAND) feeding an AND. Gradient descent finds such a
network by itself when the step is replaced by a smooth activation (``train_xor_network``).
"""

from __future__ import annotations

import numpy as np

from ..datasets import make_xor
from ..nn import Adam, Dense, Sequential, Sigmoid, Step, Tanh
from ._figures import DEFAULT_OUT, new_figure, save_figure
from .perceptron import boundary_line, predict, train_perceptron

__all__ = [
    "COLUMNS",
    "GATES",
    "INPUTS",
    "TARGETS",
    "XOR_HIDDEN_BIASES",
    "format_table",
    "gate_model",
    "learn_gate",
    "SEED",
    "lesson",
    "solve_xor",
    "train_xor_network",
    "truth_table",
    "xor_from_gates",
]

#: The four input rows, in the lesson's order.
INPUTS = make_xor(dtype=np.float64)[0]

#: Hand-set (weights, bias) of each gate, as in the lesson (activation h >= 0).
GATES = {
    "AND": ((1.0, 1.0), -2.0),
    "OR": ((1.0, 1.0), -1.0),
    "NOT": ((0.0, -1.0), 0.0),
    "NAND": ((-1.0, -1.0), 1.0),
}

#: OR's and NAND's biases in the XOR network's hidden layer (see ``xor_from_gates``).
XOR_HIDDEN_BIASES = (-0.5, 1.5)

#: The correct output of each gate for ``INPUTS`` (NOT acts on input 2).
TARGETS = {
    "AND": np.array([0, 0, 0, 1]),
    "OR": np.array([0, 1, 1, 1]),
    "NOT": np.array([1, 0, 1, 0]),
    "NAND": np.array([1, 1, 1, 0]),
    "XOR": np.array([0, 1, 1, 0]),
}

#: The lesson's truth-table columns.
COLUMNS = ["Input 1", "Input 2", "Linear Combination", "Activation Output", "Is Correct"]


def truth_table(linear, output, correct):
    """The lesson's table: one row per input with h, the activation and whether it is right.

    linear: h for each of the 4 ``INPUTS``; output: the unit's output (a 0/1 label, or a
    probability judged at 0.5); correct: the 4 target labels. Returns a pandas DataFrame.

    >>> t = truth_table([-2, -1, -1, 0], [0, 0, 0, 1], TARGETS["AND"])
    >>> print(format_table(t))
    Nice!  You got it all correct.
    <BLANKLINE>
     Input 1  Input 2  Linear Combination  Activation Output Is Correct
           0        0                -2.0                  0        Yes
           0        1                -1.0                  0        Yes
           1        0                -1.0                  0        Yes
           1        1                 0.0                  1        Yes
    """
    import pandas as pd

    output = np.asarray(output)
    labels = (output >= 0.5).astype(int) if output.dtype.kind == "f" else output.astype(int)
    right = labels == np.asarray(correct)
    return pd.DataFrame({
        COLUMNS[0]: INPUTS[:, 0].astype(int),
        COLUMNS[1]: INPUTS[:, 1].astype(int),
        COLUMNS[2]: np.asarray(linear, dtype=np.float64).round(4),
        COLUMNS[3]: output.round(4) if output.dtype.kind == "f" else labels,
        COLUMNS[4]: np.where(right, "Yes", "No"),
    })


def format_table(table):
    """The lesson's verdict line followed by the table, as the quiz prints it."""
    wrong = int((table[COLUMNS[4]] == "No").sum())
    head = ("Nice!  You got it all correct." if not wrong
            else f"You got {wrong} wrong.  Keep trying!")
    return f"{head}\n\n{table.to_string(index=False)}"


def gate_model(weights, bias):
    """A gate as a glassnet model: Dense(2, 1) holding (weights, bias), then Step."""
    model = Sequential([Dense(2, 1), Step()], dtype="float64")
    model.set_weights([{"W": np.reshape(weights, (2, 1)), "b": np.atleast_1d(bias)}, {}])
    return model


def _gate_rows(weights, bias):
    h = INPUTS @ np.asarray(weights, dtype=np.float64) + bias
    return h, gate_model(weights, bias).predict(INPUTS)[:, 0].astype(int)


def learn_gate(name, learn_rate=0.1, epochs=50, seed=None):
    """Learn a gate's weights with the perceptron trick on its 4 rows; a ``PerceptronResult``.

    ``result.errors[-1]`` is how many rows are still wrong after the last epoch.
    """
    if name not in TARGETS:
        raise ValueError(f"unknown gate {name!r}; choose one of {sorted(TARGETS)}")
    return train_perceptron(INPUTS, TARGETS[name], learn_rate=learn_rate, epochs=epochs,
                            seed=seed)


def xor_from_gates():
    """XOR as a 2-layer network of hand-set perceptrons: hidden [OR, NAND], output AND.

    Returns ``Sequential([Dense(2, 2), Step(), Dense(2, 1), Step()])``: column 0 of the first
    W is OR's weights, column 1 NAND's, and the second layer is AND of the two. With the table's
    biases OR's and NAND's lines would both be x1 + x2 = 1, passing through (0, 1) and (1, 0);
    the hidden layer moves them half a unit apart (b = -0.5 and 1.5: the same truth tables), so
    XOR's 1s are the band 0.5 <= x1 + x2 <= 1.5 and no input sits on a boundary.
    """
    (w_or, _), (w_nand, _), (w_and, b_and) = GATES["OR"], GATES["NAND"], GATES["AND"]
    b_or, b_nand = XOR_HIDDEN_BIASES
    model = Sequential([Dense(2, 2), Step(), Dense(2, 1), Step()], dtype="float64")
    model.set_weights([
        {"W": np.column_stack([w_or, w_nand]), "b": np.array([b_or, b_nand])},
        {},
        {"W": np.reshape(w_and, (2, 1)), "b": np.array([b_and])},
        {},
    ])
    return model


def train_xor_network(seed=0, epochs=1000, lr=0.05):
    """A 2-2-1 network (tanh hidden, sigmoid output) trained on XOR's 4 rows by Adam.

    Binary cross-entropy, full batch; returns the trained ``Sequential``.
    """
    X, y = make_xor(dtype=np.float64)
    model = Sequential([Dense(2, 2), Tanh(), Dense(2, 1), Sigmoid()], seed=seed, dtype="float64")
    model.fit(X, y, optimizer=Adam(lr=lr), epochs=epochs, verbose=0)
    return model


def solve_xor(seed=0, max_tries=10, epochs=1000):
    """Train 2-2-1 XOR networks from seeds ``seed``, ``seed + 1``, ... until one gets all four
    rows right; returns (model, [(seed, rows correct), ...] for every try).

    A 2-2-1 network has just enough units for XOR, and its loss surface has local minima:
    from some starting weights gradient descent settles with one row wrong (about half of the
    seeds with these settings). Restarting from other random weights is the classic remedy;
    a wider hidden layer is the other.
    """
    X, y = make_xor(dtype=np.float64)
    tries = []
    for k in range(max_tries):
        model = train_xor_network(seed=seed + k, epochs=epochs)
        correct = int(np.sum(model.predict_classes(X) == y))
        tries.append((seed + k, correct))
        if correct == 4:
            break
    return model, tries


def _output_linear(model, X):
    """h of the output unit: the last Dense layer's output on X."""
    last = max(i for i, layer in enumerate(model.layers) if isinstance(layer, Dense))
    h = X
    for layer in model.layers[:last + 1]:
        h = layer.forward(h)
    return h[:, 0]


def _grid(ax, model, proba=False):
    xx, yy = np.meshgrid(np.linspace(-0.5, 1.5, 121), np.linspace(-0.5, 1.5, 121))
    z = model.predict(np.c_[xx.ravel(), yy.ravel()])[:, 0].reshape(xx.shape)
    ax.contourf(xx, yy, z, levels=np.linspace(0, 1, 11) if proba else [-0.5, 0.5, 1.5],
                cmap="RdBu", alpha=0.35, vmin=0, vmax=1)


def _points(ax, targets, title, wrong=None):
    colors = np.where(np.asarray(targets) == 1, "tab:blue", "tab:red")
    ax.scatter(INPUTS[:, 0], INPUTS[:, 1], c=colors, s=120, edgecolor="k", zorder=3)
    if wrong is not None and np.any(wrong):
        ax.scatter(*INPUTS[wrong].T, s=420, facecolor="none", edgecolor="k", lw=2, zorder=4,
                   label="wrong")
        ax.legend(loc="upper center", fontsize=8, markerscale=0.3)
    ax.set_xlim(-0.5, 1.5)
    ax.set_ylim(-0.5, 1.5)
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])
    ax.set_title(title, fontsize=10)


def _line(ax, weights, bias, **kw):
    m, c = boundary_line(weights, bias)
    if np.isfinite(m):
        xs = np.array([-0.5, 1.5])
        ax.plot(xs, m * xs + c, **kw)
    elif weights[0] != 0:
        ax.axvline(-bias / weights[0], **kw)


#: The seed of the lesson's data and starting weights.
SEED = 0


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson gates``: AND, OR, NOT by hand and learned; XOR with one and two layers."""
    seed = SEED
    say = print if verbose else (lambda *a, **k: None)
    results = {"tables": {}, "learned_wrong": {}}
    for name in ("AND", "OR", "NOT"):
        weights, bias = GATES[name]
        h, out_ = _gate_rows(weights, bias)
        table = truth_table(h, out_, TARGETS[name])
        results["tables"][name] = table
        say(f"=== {name} perceptron: weights {weights}, bias {bias}, activation h >= 0 ===")
        say(format_table(table) + "\n")

    say("=== The same gates learned by the perceptron trick (learn rate 0.1, 50 epochs) ===")
    learned = {}
    for k, name in enumerate(("AND", "OR", "NOT", "XOR")):
        res = learn_gate(name, seed=seed + k)
        learned[name] = res
        results["learned_wrong"][name] = res.errors[-1]
        say(f"{name:>4}: weights {np.round(res.W, 3)}, bias {res.b:+.3f} -> "
            f"{4 - res.errors[-1]}/4 rows correct")
    xor_best = min(learned["XOR"].errors)
    results["xor_perceptron_wrong"] = learned["XOR"].errors[-1]
    results["xor_perceptron_best_wrong"] = xor_best
    say(f"XOR is not linearly separable: after 50 epochs {learned['XOR'].errors[-1]} of the 4 "
        f"rows stay wrong, and no epoch's line got fewer than {xor_best} wrong.\n")

    gates_net = xor_from_gates()
    h = _output_linear(gates_net, INPUTS)
    table = truth_table(h, gates_net.predict(INPUTS)[:, 0].astype(int), TARGETS["XOR"])
    results["tables"]["XOR from gates"] = table
    say("=== XOR = AND(OR(x1, x2), NAND(x1, x2)): a 2-layer network of perceptrons ===")
    say(format_table(table) + "\n")

    net, tries = solve_xor(seed=seed)
    p = net.predict(INPUTS)[:, 0]
    table = truth_table(_output_linear(net, INPUTS), p, TARGETS["XOR"])
    results["tables"]["XOR trained"] = table
    results["xor_network_correct"] = int((table["Is Correct"] == "Yes").sum())
    results["xor_network_tries"] = tries
    say("=== XOR learned by a 2-2-1 network (tanh, sigmoid; Adam lr 0.05, 1000 epochs) ===")
    for s_, correct in tries[:-1]:
        say(f"seed {s_}: stuck in a local minimum with {correct}/4 rows right; restarting")
    say(f"seed {tries[-1][0]}:")
    say(format_table(table))

    fig, axes = new_figure(2, 3, figsize=(11, 7.5))
    for ax, name in zip(axes[0], ("AND", "OR", "NOT")):
        weights, bias = GATES[name]
        _grid(ax, gate_model(weights, bias))
        _line(ax, weights, bias, color="k", lw=2)
        _points(ax, TARGETS[name], f"{name}: w = {weights}, b = {bias}")
    res = learned["XOR"]
    wrong = predict(INPUTS, res.W, res.b) != TARGETS["XOR"]
    _grid(axes[1, 0], gate_model(res.W, res.b))
    _line(axes[1, 0], res.W, res.b, color="k", lw=2)
    _points(axes[1, 0], TARGETS["XOR"], f"XOR, one perceptron: {int(wrong.sum())}/4 wrong",
            wrong)
    _grid(axes[1, 1], gates_net)
    _line(axes[1, 1], GATES["OR"][0], XOR_HIDDEN_BIASES[0], color="tab:green", lw=1.5,
          ls="--", label="OR")
    _line(axes[1, 1], GATES["NAND"][0], XOR_HIDDEN_BIASES[1], color="tab:purple", lw=1.5,
          ls="--", label="NAND")
    _points(axes[1, 1], TARGETS["XOR"], "XOR = AND(OR, NAND): 4/4")
    axes[1, 1].legend(loc="upper right", fontsize=8)
    _grid(axes[1, 2], net, proba=True)
    _points(axes[1, 2], TARGETS["XOR"],
            f"XOR, trained 2-2-1 network: {results['xor_network_correct']}/4")
    fig.suptitle("Logic gates as perceptrons (shading: the unit's output; blue = 1, red = 0)")
    fig.tight_layout()
    results["figure"] = save_figure(fig, out, "gates.png")
    say(f"\nfigure: {results['figure']}")
    return results
