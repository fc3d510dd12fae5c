"""Batch, mini-batch and stochastic gradient descent: how many points one step looks at.

The course's picture: 24 points, split into 4 batches of 6. One *epoch* is one pass over all
24; what differs is how many steps it takes:

=================  ============  ====================  ===================================
method             batch size    steps per epoch       each step's gradient
=================  ============  ====================  ===================================
batch GD           24 (all)      1                     exact: the mean over every point
mini-batch GD      6             4                     an estimate from 6 points
stochastic GD      1             24                    an estimate from one point (noisy)
=================  ============  ====================  ===================================

With the same learning rate, smaller batches take more (cheaper, noisier) steps per epoch, so
after the same number of epochs they are usually further along; per *step*, the full batch's
exact gradient is the better one. Mini-batches are the usual compromise: vectorized work per
step and many steps per epoch.

Each step here is the engine's ``Sequential.train_step`` on one batch (a logistic unit,
binary cross-entropy, plain SGD); the batches are the same contiguous blocks of a shuffled
order every epoch.
"""

from __future__ import annotations

import numpy as np

from ..nn import SGD, BinaryCrossEntropy, Dense, Sequential, Sigmoid
from ._figures import DEFAULT_OUT, new_figure, save_figure, speaker
from .perceptron import boundary_line

__all__ = ["METHODS", "SEED", "batches", "lesson", "make_points", "plot", "report",
           "train_by_batches"]

#: Method name -> batch size, for the 24 points.
METHODS = {"batch": 24, "mini-batch": 6, "stochastic": 1}

#: The seed of the points, their order and the starting weights.
SEED = 0


def make_points(n=24, seed=SEED):
    """``n`` points in two overlapping clouds (half labelled 1): X (n, 2), y (n,)."""
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], n // 2)
    X = rng.normal(0.0, 1.0, (n, 2)) + np.where(y[:, None] == 1, [0.8, 0.8], [-0.8, -0.8])
    order = rng.permutation(n)
    return X[order], y[order]


def batches(n, batch_size):
    """Index blocks of ``batch_size`` covering range(n): 24 points in 4 batches of 6.

    >>> [b.tolist() for b in batches(12, 6)]
    [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]]
    """
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be in [1, {n}], got {batch_size!r}")
    return [np.arange(i, min(i + batch_size, n)) for i in range(0, n, batch_size)]


def train_by_batches(X, y, batch_size, epochs=30, lr=0.2, seed=SEED):
    """Train a logistic unit with ``train_step`` on each batch in turn, for ``epochs`` epochs.

    Returns the loss on all points after every step (``step_loss``) and every epoch
    (``epoch_loss``, the first entry before training), steps per epoch, the final (W, b).
    """
    model = Sequential([Dense(X.shape[1], 1), Sigmoid()], seed=seed, dtype="float64")
    loss, opt = BinaryCrossEntropy(), SGD(lr=lr)
    Y = np.asarray(y, dtype=np.float64).reshape(-1, 1)
    blocks = batches(len(X), batch_size)

    def full_loss():
        return float(BinaryCrossEntropy()(model.predict(X), Y))

    epoch_loss, step_loss = [full_loss()], []
    for _ in range(epochs):
        for idx in blocks:
            model.train_step(X[idx], Y[idx], loss, opt)
            step_loss.append(full_loss())
        epoch_loss.append(step_loss[-1])
    dense = model.layers[0]
    return {"batch_size": batch_size, "steps_per_epoch": len(blocks), "epoch_loss": epoch_loss,
            "step_loss": step_loss, "W": dense.params["W"][:, 0].copy(),
            "b": float(dense.params["b"][0])}


def compare(epochs=30, lr=0.2, seed=SEED):
    """All three methods on the same 24 points, start and learning rate."""
    X, y = make_points(seed=seed)
    runs = {name: train_by_batches(X, y, size, epochs, lr, seed) for name, size in
            METHODS.items()}
    return {"X": X, "y": y, "epochs": epochs, "lr": lr, "runs": runs}


def report(result):
    """Steps per epoch and the loss after the same epochs and after the same steps."""
    runs = result["runs"]
    k = min(len(r["step_loss"]) for r in runs.values())
    lines = [f"{len(result['X'])} points, {result['epochs']} epochs, learning rate "
             f"{result['lr']}; loss: binary cross-entropy on all points"]
    for name, r in runs.items():
        steps = f"{r['steps_per_epoch']:>2} step{'s' * (r['steps_per_epoch'] > 1)}"
        lines.append(f"  {name:<10} batches of {r['batch_size']:>2}: {steps} per epoch; loss "
                     f"{r['epoch_loss'][0]:.4f} -> "
                     f"{r['epoch_loss'][-1]:.4f} after {result['epochs']} epochs, "
                     f"{r['step_loss'][k - 1]:.4f} after {k} steps")
    return "\n".join(lines)


def plot(result):
    """Loss per epoch, loss per step, and each method's final line through the points."""
    fig, (ax0, ax1, ax2) = new_figure(1, 3, figsize=(15, 4.3))
    for name, r in result["runs"].items():
        ax0.plot(range(len(r["epoch_loss"])), r["epoch_loss"], marker=".",
                 label=f"{name} ({r['steps_per_epoch']} step{'s' * (r['steps_per_epoch'] > 1)}"
                       "/epoch)")
        ax1.plot(range(1, len(r["step_loss"]) + 1), r["step_loss"], label=name)
    ax0.set_xlabel("epoch")
    ax0.set_ylabel("loss on all 24 points")
    ax0.set_title("Per epoch: smaller batches, more steps", fontsize=10)
    ax0.legend(fontsize=8)
    ax1.set_xscale("log")
    ax1.set_xlabel("steps (log scale)")
    ax1.set_title("Per step: alike at first; smaller batches wander (noise)", fontsize=10)
    ax1.legend(fontsize=8)
    X, y = result["X"], result["y"]
    ax2.scatter(*X[y == 0].T, color="tab:red", edgecolor="k", label="label 0")
    ax2.scatter(*X[y == 1].T, color="tab:blue", edgecolor="k", label="label 1")
    for k, idx in enumerate(batches(len(X), METHODS["mini-batch"])):
        for i in idx:
            ax2.annotate(str(k + 1), X[i], fontsize=7, xytext=(4, 4),
                         textcoords="offset points")
    xs = np.array([X[:, 0].min() - 0.5, X[:, 0].max() + 0.5])
    for name, r in result["runs"].items():
        m, c = boundary_line(r["W"], r["b"])
        ax2.plot(xs, m * xs + c, label=f"{name}, final line")
    ax2.set_ylim(X[:, 1].min() - 0.8, X[:, 1].max() + 0.8)
    ax2.legend(fontsize=7)
    ax2.set_title("The 24 points (numbers: their mini-batch)", fontsize=10)
    fig.tight_layout()
    return fig


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson mini-batch``: batch, mini-batch and stochastic gradient descent."""
    say = speaker(verbose)
    result = compare()
    say(report(result))
    result["figure"] = save_figure(plot(result), out, "mini-batch.png")
    say(f"figure: {result['figure']}")
    return result
