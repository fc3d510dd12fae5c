"""Contrasts inside a network: tanh against sigmoid, zero against random starts, parameters
against hyperparameters, and the parameter-count check.

* **tanh against sigmoid for hidden units.** tanh(x) = 2 sigmoid(2x) - 1 has the sigmoid's
  shape but is centred on 0: its outputs average about 0 where the sigmoid's average about 1/2,
  and its slope at 0 is 1 where the sigmoid's is 1/4. The next layer's weight gradient is
  (its input).T @ delta; with all-positive inputs (sigmoid) every weight of a unit moves in the
  same direction at each step, so the path zig-zags. Hidden tanh units usually learn faster.
* **Zero initialization.** Logistic regression from w = 0 is fine: its loss is convex and the
  gradient x (y_hat - y) differs per weight. In a network, hidden units that start equal get
  equal gradients and stay equal for ever (symmetry): a layer of n units is one unit copied n
  times. Random starts break the symmetry.
* **Parameters and hyperparameters.** Parameters (every W and b) are learned by gradient
  descent; hyperparameters (learning rate, epochs, layers, units, activation, batch size,
  initialization, regularization) are chosen by us before training, by trial or by search.
  The 9-step tutorial calls its 47 weights "hyperparameters": they are parameters.
* **The parameter-count check** of the 9-step tutorial: a dense network with layer sizes
  N[0..L] has sum over l of (N[l-1] + 1) N[l] parameters (weights and biases); when that
  exceeds the number of training points, the network can memorise them.
"""

from __future__ import annotations

import itertools

import numpy as np

from ..nn import SGD, BinaryCrossEntropy, Dense, Sequential, Sigmoid, Tanh
from ._figures import DEFAULT_OUT, new_figure, save_figure, speaker

__all__ = ["HYPERPARAMETERS", "LESSON_NETWORKS", "SEED", "count_parameters", "lesson",
           "parameter_table", "plot", "report", "tanh_vs_sigmoid", "zero_initialization"]

#: The seed of the data and of the random starts.
SEED = 0

#: What we choose before training (not learned by gradient descent).
HYPERPARAMETERS = ("learning rate", "epochs", "batch size", "number of layers",
                   "units per layer", "activation", "initialization", "L1/L2 strength",
                   "dropout rate", "momentum")

#: The lessons' networks: name -> (layer sizes, has biases, training points).
LESSON_NETWORKS = {
    "eleven-lines 3-4-1": ([3, 4, 1], False, 4),
    "gates: XOR 2-2-1": ([2, 2, 1], True, 4),
    "admissions: 6-2-1": ([6, 2, 1], False, 360),
    "deep-networks: 2-8-4-1": ([2, 8, 4, 1], True, 200),
    "digits: 64-128-64-10": ([64, 128, 64, 10], True, 1348),
    "overfitting: 2-64-64-1": ([2, 64, 64, 1], True, 60),
    "vanishing-gradients: 2-32x9-1": ([2, *[32] * 9, 1], True, 1000),
    "nine-steps tutorial: 2-4-4-3": ([2, 4, 4, 3], True, 7000),
    "nine-step project: 2-64-64-3": ([2, 64, 64, 3], True, 7000),
}


def count_parameters(sizes, bias=True):
    """sum over l of (N[l-1] + 1) N[l] (weights and biases), or N[l-1] N[l] without biases.

    >>> count_parameters([2, 4, 4, 3])
    47
    """
    return int(sum((a + (1 if bias else 0)) * b for a, b in itertools.pairwise(sizes)))


def parameter_table():
    """For each lesson network: the formula's count (with biases, as the tutorial writes it),
    the engine's ``n_params``, the training points and whether parameters outnumber them."""
    rows = {}
    for name, (sizes, bias, n_train) in LESSON_NETWORKS.items():
        layers = []
        for a, b in itertools.pairwise(sizes):
            layers += [Dense(a, b, bias=bias), Tanh()]
        engine = Sequential(layers, seed=SEED).n_params
        rows[name] = {"formula": count_parameters(sizes), "engine": engine,
                      "training points": n_train, "memorise": engine > n_train}
    return rows


def _moons(seed):
    from ..datasets import make_moons

    return make_moons(300, noise=0.2, seed=seed)


def tanh_vs_sigmoid(epochs=300, hidden=8, lr=0.5, seed=SEED):
    """The same 2-H-H-1 network with sigmoid and with tanh hidden units, the same data and
    optimizer (full-batch SGD). Returns per activation: the loss curve, the mean hidden
    activation at the start and the final accuracy."""
    X, y = _moons(seed)
    out = {}
    for name, act in (("sigmoid", Sigmoid), ("tanh", Tanh)):
        model = Sequential([Dense(2, hidden), act(), Dense(hidden, hidden), act(),
                            Dense(hidden, 1), Sigmoid()], seed=seed, dtype="float64")
        h = model.layers[1].forward(model.layers[0].forward(X))
        history = model.fit(X, y, loss=BinaryCrossEntropy(), optimizer=SGD(lr=lr),
                            epochs=epochs, shuffle=False, verbose=0)
        out[name] = {"loss": list(history.history["loss"]), "mean_activation": float(h.mean()),
                     "activations": h.ravel(),
                     "accuracy": float(np.mean(model.predict_classes(X) == y))}
    return out


def zero_initialization(steps=500, hidden=4, lr=0.5, seed=SEED):
    """Logistic regression and a 2-4-1 sigmoid network, each from all-zero weights and from a
    random start, trained by ``train_step`` (full batch). Returns accuracies and the spread
    of the hidden units' incoming weights (0 = every unit identical)."""
    X, y = _moons(seed)
    Y = y.reshape(-1, 1).astype(np.float64)

    def train(model):
        loss, opt = BinaryCrossEntropy(), SGD(lr=lr)
        for _ in range(steps):
            model.train_step(X, Y, loss, opt)
        return float(np.mean(model.predict_classes(X) == y))

    out = {}
    for start in ("zeros", "random"):
        logistic = Sequential([Dense(2, 1), Sigmoid()], seed=seed, dtype="float64")
        net = Sequential([Dense(2, hidden), Sigmoid(), Dense(hidden, 1), Sigmoid()], seed=seed,
                         dtype="float64")
        if start == "zeros":
            for model in (logistic, net):
                for layer in model.layers:
                    for p in layer.params.values():
                        p[...] = 0.0
        acc_log, acc_net = train(logistic), train(net)
        W1 = net.layers[0].params["W"].copy()
        out[start] = {"logistic_accuracy": acc_log, "network_accuracy": acc_net,
                      "hidden_weights": W1,
                      "hidden_spread": float(np.max(np.ptp(W1, axis=1)))}
    return out


def report(result):
    """The four contrasts as text."""
    ts, zi, pt = result["tanh_vs_sigmoid"], result["zero_init"], result["parameters"]
    lines = ["tanh against sigmoid hidden units (the same 2-8-8-1 network, data and SGD):"]
    for name, r in ts.items():
        lines.append(f"  {name:<8} mean hidden output at the start {r['mean_activation']:+.3f}, "
                     f"loss {r['loss'][0]:.4f} -> {r['loss'][-1]:.4f}, accuracy "
                     f"{r['accuracy']:.3f}")
    lines.append("zero initialization (SGD from all-zero weights against a random start):")
    for start, r in zi.items():
        lines.append(f"  {start:<6} logistic regression accuracy {r['logistic_accuracy']:.3f}; "
                     f"2-4-1 network accuracy {r['network_accuracy']:.3f}, spread of its "
                     f"hidden units' weights {r['hidden_spread']:.3g}")
    lines.append("  from zeros the four hidden units stay identical (spread 0): one unit, "
                 "copied.")
    lines.append("parameters (learned): every W and b; hyperparameters (chosen): "
                 + ", ".join(HYPERPARAMETERS))
    lines.append("the 9-step check, sum (N[l-1] + 1) N[l] against the training points:")
    for name, r in pt.items():
        verdict = "more parameters than points: can memorise" if r["memorise"] else "fewer"
        lines.append(f"  {name:<32} formula {r['formula']:>6,}  engine {r['engine']:>6,}  "
                     f"points {r['training points']:>5,}  {verdict}")
    lines.append("  (the formula counts a bias per unit; the 11-line and admissions networks have "
                 "none, so the engine counts fewer)")
    return "\n".join(lines)


def plot(result):
    """Loss curves and start activations for tanh/sigmoid; the zero-start network's hidden
    weights; parameters against training points for every lesson network."""
    fig, axes = new_figure(2, 2, figsize=(12, 8.5))
    ts = result["tanh_vs_sigmoid"]
    for name, r in ts.items():
        axes[0, 0].plot(r["loss"], label=f"{name} hidden units")
        axes[0, 1].hist(r["activations"], bins=40, alpha=0.6,
                        label=f"{name}: mean {r['mean_activation']:+.2f}")
    axes[0, 0].set_xlabel("epoch")
    axes[0, 0].set_ylabel("training loss (cross-entropy)")
    axes[0, 0].set_title("tanh against sigmoid: the same network and SGD", fontsize=10)
    axes[0, 0].legend(fontsize=8)
    axes[0, 1].axvline(0, color="k", lw=0.8)
    axes[0, 1].set_title("First hidden layer's outputs at the start", fontsize=10)
    axes[0, 1].legend(fontsize=8)
    zi = result["zero_init"]
    both = np.hstack([zi["zeros"]["hidden_weights"], np.full((2, 1), np.nan),
                      zi["random"]["hidden_weights"]])
    image = axes[1, 0].imshow(both, cmap="coolwarm")
    fig.colorbar(image, ax=axes[1, 0], fraction=0.03)
    n = zi["zeros"]["hidden_weights"].shape[1]
    axes[1, 0].set_xticks(list(range(n)) + list(range(n + 1, 2 * n + 1)),
                          [f"u{k + 1}" for k in range(n)] * 2)
    axes[1, 0].set_yticks([0, 1], ["from x1", "from x2"])
    for (i, j), v in np.ndenumerate(both):
        if np.isfinite(v):
            axes[1, 0].text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=8)
    axes[1, 0].set_title("Hidden weights after training:\nfrom zeros (left: identical units) "
                         "| from a random start (right)", fontsize=10)
    pt = result["parameters"]
    names = list(pt)
    y = np.arange(len(names))
    axes[1, 1].barh(y - 0.2, [pt[k]["engine"] for k in names], height=0.4, label="parameters")
    axes[1, 1].barh(y + 0.2, [pt[k]["training points"] for k in names], height=0.4,
                    label="training points")
    axes[1, 1].set_yticks(y, names, fontsize=8)
    axes[1, 1].set_xscale("log")
    axes[1, 1].invert_yaxis()
    axes[1, 1].set_title("The 9-step check: parameters against training points", fontsize=10)
    axes[1, 1].legend(fontsize=8)
    fig.tight_layout()
    return fig


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson network-contrasts``: tanh vs sigmoid, zero vs random starts,
    parameters vs hyperparameters, and the parameter count of every lesson network."""
    say = speaker(verbose)
    result = {"tanh_vs_sigmoid": tanh_vs_sigmoid(epochs=150 if quick else 300),
              "zero_init": zero_initialization(steps=250 if quick else 500),
              "parameters": parameter_table()}
    say(report(result))
    result["figure"] = save_figure(plot(result), out, "network-contrasts.png")
    say(f"figure: {result['figure']}")
    return result
