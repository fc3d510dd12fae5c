"""L1 against L2 regularization: the same network, two penalties, and where the weights end up.

Both add a penalty on the weights W (not the biases) to the loss, and its gradient to dL/dW:

===========  ======================  =========================================================
penalty      added to the loss       added to each weight's gradient
===========  ======================  =========================================================
L1(lam)      lam sum |w|             lam sign(w): the same size lam however small w is
L2(lam)      lam / 2 sum w^2         lam w: proportional to w, vanishing as w does
===========  ======================  =========================================================

So L1 pushes every weight toward 0 by a constant amount per step; a weight whose data gradient
is weaker than lam is driven to 0 and stays there (jittering within lr lam of it, since the
sign flips each time it crosses). L2 only shrinks: w loses a fraction lr lam of itself each
step, a small weight is pulled less and less, and almost none reach 0. L1 makes sparse models
(feature selection); L2 makes small, spread-out weights.

The lesson trains the same 20-8-1 tanh network on data where only 3 of the 20 inputs matter,
once with no penalty, once with L1 and once with L2, and counts the weights within 1e-3 of 0.
"""

from __future__ import annotations

import numpy as np

from ..nn import SGD, Dense, MSELoss, Sequential, Tanh
from ._figures import DEFAULT_OUT, new_figure, save_figure, speaker

__all__ = ["LAMBDA", "N_FEATURES", "NEAR_ZERO", "SEED", "compare", "lesson", "make_sparse_data",
           "plot", "report", "train_with"]

#: Inputs of the data set (only the first 3 matter).
N_FEATURES = 20

#: The strength of both penalties.
LAMBDA = 1e-2

#: A weight counts as zero within this distance.
NEAR_ZERO = 1e-3

#: The seed of the data and of the network's starting weights.
SEED = 0


def make_sparse_data(n=200, seed=SEED):
    """y = 2 x1 - 3 x2 + x3 + noise with 20 inputs ~ N(0, 1): (X, y, X_test, y_test)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2 * n, N_FEATURES))
    y = (2 * X[:, 0] - 3 * X[:, 1] + X[:, 2] + 0.1 * rng.standard_normal(2 * n)).reshape(-1, 1)
    return X[:n], y[:n], X[n:], y[n:]


def train_with(penalty, data, lam=LAMBDA, epochs=2000, lr=0.05, seed=SEED):
    """Train the 20-8-1 tanh network with ``penalty`` None, "L1" or "L2" (full-batch SGD on
    the MSE); returns its weights, the count within ``NEAR_ZERO`` of 0 and the test MSE."""
    if penalty not in (None, "L1", "L2"):
        raise ValueError(f"penalty must be None, 'L1' or 'L2', got {penalty!r}")
    X, y, Xt, yt = data
    model = Sequential([Dense(N_FEATURES, 8), Tanh(), Dense(8, 1)], seed=seed, dtype="float64")
    model.fit(X, y, loss=MSELoss(), optimizer=SGD(lr=lr), epochs=epochs, verbose=0,
              l1=lam if penalty == "L1" else 0.0, l2=lam if penalty == "L2" else 0.0)
    W1, W2 = model.layers[0].params["W"].copy(), model.layers[2].params["W"].copy()
    weights = np.concatenate([W1.ravel(), W2.ravel()])
    return {"penalty": penalty, "weights": weights, "W1": W1,
            "near_zero": int(np.sum(np.abs(weights) < NEAR_ZERO)),
            "near_zero_unused_inputs": int(np.sum(np.abs(W1[3:]) < NEAR_ZERO)),
            "n_weights": weights.size,
            "test_mse": float(np.mean((model.predict(Xt) - yt) ** 2))}


def compare(epochs=2000, lam=LAMBDA):
    """The three runs on the same data and start."""
    data = make_sparse_data()
    return {"lam": lam, "runs": {name: train_with(p, data, lam, epochs) for name, p in
                                 (("none", None), ("L1", "L1"), ("L2", "L2"))}}


def report(result):
    """The counts of zero weights, the test errors, and why."""
    lam = result["lam"]
    lines = [f"20-8-1 tanh network, only 3 of the 20 inputs matter; lambda = {lam:g}, weights "
             f"within {NEAR_ZERO:g} of 0:"]
    for name, r in result["runs"].items():
        lines.append(f"  {name:<4} {r['near_zero']:>3} of {r['n_weights']} weights at 0 "
                     f"({r['near_zero_unused_inputs']} of {17 * 8} from the 17 unused inputs); "
                     f"largest |w| {np.abs(r['weights']).max():.3f}; test MSE "
                     f"{r['test_mse']:.4f}")
    w = 1e-3
    lines.append(f"why: at w = {w:g} the L1 gradient is lam sign(w) = {lam:g} (as large as for "
                 f"any w), the L2 gradient lam w = {lam * w:g}: L1 keeps pushing small weights "
                 "to 0, L2 barely touches them.")
    return "\n".join(lines)


def plot(result):
    """Weight histograms of the three runs; |W| of the first layer for L1 and L2; the two
    penalties' gradients against w."""
    fig, axes = new_figure(1, 4, figsize=(19, 4.3))
    runs = result["runs"]
    bins = np.geomspace(1e-6, 10, 43)
    for name, r in runs.items():
        axes[0].hist(np.clip(np.abs(r["weights"]), 1e-6, None), bins=bins, histtype="step",
                     lw=1.8, label=f"{name}: {r['near_zero']} within {NEAR_ZERO:g} of 0")
    axes[0].axvline(NEAR_ZERO, color="k", ls=":", lw=1)
    axes[0].set_xscale("log")
    axes[0].set_xlabel("|weight| (log scale; dotted: 1e-3)")
    axes[0].set_ylabel("count")
    axes[0].set_title("Weight histograms: L1's pile at 0", fontsize=10)
    axes[0].legend(fontsize=8, loc="upper left")
    for ax, name in zip(axes[1:3], ("L1", "L2")):
        image = ax.imshow(np.abs(runs[name]["W1"]), aspect="auto", cmap="viridis",
                          norm=_log_norm())
        ax.set_xlabel("hidden unit")
        ax.set_ylabel("input (1-3 matter)")
        ax.set_yticks([0, 2, 5, 10, 15, 19], ["1", "3", "6", "11", "16", "20"])
        ax.set_title(f"{name}: |W| of the first layer (log colour)", fontsize=10)
    fig.colorbar(image, ax=axes[2], fraction=0.05)
    w = np.linspace(-0.05, 0.05, 401)
    lam = result["lam"]
    axes[3].plot(w, lam * np.sign(w), label="L1: lam sign(w)")
    axes[3].plot(w, lam * w, label="L2: lam w")
    axes[3].axhline(0, color="gray", lw=0.6)
    axes[3].set_xlabel("w")
    axes[3].set_ylabel("penalty's gradient")
    axes[3].set_title("Near 0, L1 still pushes; L2 fades", fontsize=10)
    axes[3].legend(fontsize=8)
    fig.tight_layout()
    return fig


def _log_norm():
    from matplotlib.colors import LogNorm

    return LogNorm(vmin=1e-5, vmax=3)


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson l1-l2``: L1 against L2, weight histograms and weights driven to 0."""
    say = speaker(verbose)
    result = compare()
    say(report(result))
    result["figure"] = save_figure(plot(result), out, "l1-l2.png")
    say(f"figure: {result['figure']}")
    return result
