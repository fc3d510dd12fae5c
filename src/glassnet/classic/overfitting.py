"""Underfitting next to overfitting, and three cures for the latter: L2, dropout, early stopping.

A model too simple for the data *underfits*: logistic regression draws one straight line
through the two moons, and its training and validation losses stay high together (high bias).
A network with far more weights than training points *overfits*: it can fit the noise, its
training loss keeps falling while the loss on unseen (validation) points turns and rises (high
variance). Three ways to keep the big network honest, all on the same data, network and
optimizer:

* **L2 penalty**: minimise loss + lam/2 sum W^2 (gradient: + lam W). Large weights, which make
  sharp, noise-following boundaries, cost more.
* **Dropout(p)**: in training, zero each hidden unit with probability p and scale the rest by
  1/(1-p). No unit can rely on another, so the network learns redundant, smoother features; at
  inference dropout is off and nothing is rescaled.
* **Early stopping**: watch the validation loss and stop when it has not improved for
  ``patience`` epochs, keeping the weights of the best epoch.

The curves plotted are the plain cross-entropy on each set (no penalty term), recorded by a
``fit`` callback at the end of every epoch, so the four panels compare like with like.
"""

from __future__ import annotations

import itertools

import numpy as np

from ..datasets import make_moons
from ..nn import Adam, BinaryCrossEntropy, Callback, EarlyStopping, Sequential
from ._figures import DEFAULT_OUT, new_figure, print_table, save_figure

__all__ = ["SEED", "HIDDEN", "VARIANTS", "lesson", "make_data", "plot", "run_variants",
           "train_variant"]

#: Hidden layer sizes: 4,417 parameters for 60 training points, plenty to memorise them.
HIDDEN = (64, 64)

#: The runs: name -> (dropout p, L2 lambda, early stopping); "too simple" has no hidden layer.
VARIANTS = {
    "too simple": (0.0, 0.0, False),
    "none": (0.0, 0.0, False),
    "L2": (0.0, 3e-3, False),
    "dropout": (0.5, 0.0, False),
    "early stopping": (0.0, 0.0, True),
}


def make_data(n_train=60, n_val=400, noise=0.35, seed=0):
    """Two noisy half-moons: a small training set and a large validation set from one draw."""
    X, y = make_moons(n_train + n_val, noise=noise, seed=seed)
    order = np.random.default_rng(seed).permutation(len(X))
    train, val = order[:n_train], order[n_train:]
    return X[train], y[train], X[val], y[val]


class _Curves(Callback):
    """Records the data loss and accuracy on the training and validation sets every epoch."""

    def __init__(self, X, y, Xv, yv):
        self.sets = {"train": (X, y), "val": (Xv, yv)}
        self.curves = {f"{s}_{m}": [] for s in self.sets for m in ("loss", "accuracy")}

    def on_epoch_end(self, epoch, logs=None):
        for name, (X, y) in self.sets.items():
            p = self.model.predict(X)
            self.curves[f"{name}_loss"].append(BinaryCrossEntropy()(p, y))
            self.curves[f"{name}_accuracy"].append(float(np.mean((p[:, 0] >= 0.5) == y)))


def train_variant(name, data, epochs=300, hidden=HIDDEN, lr=0.003, seed=0, patience=40):
    """Train the 2-64-64-1 ReLU network one way (see ``VARIANTS``; "too simple" is logistic
    regression, 2-1); returns the curves dict.

    The dict holds per-epoch ``train_loss``, ``val_loss``, ``train_accuracy``,
    ``val_accuracy``, plus ``epochs_run``, ``best_epoch`` (early stopping only) and the
    trained ``model``.
    """
    if name not in VARIANTS:
        raise ValueError(f"unknown variant {name!r}; choose one of {list(VARIANTS)}")
    p, l2, early = VARIANTS[name]
    hidden = () if name == "too simple" else hidden
    X, y, Xv, yv = data
    model = Sequential.from_sizes([X.shape[1], *hidden, 1], "relu", "sigmoid", dropout=p,
                                  seed=seed)
    curves = _Curves(X, y, Xv, yv)
    callbacks = [curves]
    stopper = None
    if early:
        stopper = EarlyStopping("val_loss", patience=patience, restore_best_weights=True)
        callbacks.append(stopper)
    # only early stopping needs the engine's own validation pass; the curves come from _Curves
    model.fit(X, y, optimizer=Adam(lr=lr), epochs=epochs, l2=l2, verbose=0,
              validation_data=(Xv, yv) if early else None, callbacks=callbacks)
    out = dict(curves.curves)
    out["epochs_run"] = len(out["train_loss"])
    out["best_epoch"] = None if stopper is None else stopper.best_epoch + 1
    # after early stopping the model holds its best weights: report those, not the last epoch's
    final = {}
    for s, (A, b) in curves.sets.items():
        prob = model.predict(A)
        final[f"{s}_loss"] = BinaryCrossEntropy()(prob, b)
        final[f"{s}_accuracy"] = float(np.mean((prob[:, 0] >= 0.5) == b))
    out["final"] = final
    out["model"] = model
    return out


#: The seed of the lesson's data and starting weights.
SEED = 0

_DETAIL = {"too simple": "too simple (logistic regression)", "none": "no regularization",
           "L2": "L2, lambda = {l2:g}", "dropout": "dropout p = {p:g}",
           "early stopping": "early stopping, patience 40"}


def run_variants(quick=False, seed=SEED):
    """Every variant on the same data: {"data", "runs", "rows"} (rows: the printed table)."""
    data = make_data(seed=seed)
    epochs = 150 if quick else 300
    runs = {name: train_variant(name, data, epochs=epochs, seed=seed) for name in VARIANTS}
    rows = []
    for name, r in runs.items():
        f = r["final"]
        rows.append([name, r["epochs_run"], f"{f['train_loss']:.3f}", f"{f['val_loss']:.3f}",
                     f"{min(r['val_loss']):.3f}", f"{f['train_accuracy']:.3f}",
                     f"{f['val_accuracy']:.3f}"])
    return {"data": data, "runs": runs, "rows": rows}


def _boundaries(ax, result):
    X, y, Xv, yv = result["data"]
    xx, yy = np.meshgrid(np.linspace(-1.8, 2.8, 200), np.linspace(-1.3, 1.8, 160))
    grid = np.c_[xx.ravel(), yy.ravel()]
    for name, color in (("too simple", "tab:purple"), ("none", "tab:red")):
        z = result["runs"][name]["model"].predict(grid)[:, 0].reshape(xx.shape)
        ax.contour(xx, yy, z, levels=[0.5], colors=color, linewidths=2)
        ax.plot([], [], color=color, label=_DETAIL[name])
    ax.scatter(*Xv[yv == 0].T, s=6, color="tab:red", alpha=0.25)
    ax.scatter(*Xv[yv == 1].T, s=6, color="tab:blue", alpha=0.25)
    ax.scatter(*X[y == 0].T, s=25, color="tab:red", edgecolor="k", label="training, label 0")
    ax.scatter(*X[y == 1].T, s=25, color="tab:blue", edgecolor="k", label="training, label 1")
    ax.set_title("Boundaries: a line underfits, 4,417 weights bend to the noise", fontsize=10)
    ax.legend(fontsize=7, loc="lower left")


def plot(result):
    """Train against validation loss for every variant, and the boundaries of the too simple
    and the unregularized network."""
    runs = result["runs"]
    fig, axes = new_figure(2, 3, figsize=(16, 8.5))
    top = max(1.0, min(2.0, max(runs["none"]["val_loss"]) * 1.05))
    for ax, (name, r) in zip(axes.ravel(), runs.items()):
        ep = np.arange(1, r["epochs_run"] + 1)
        ax.plot(ep, r["train_loss"], label="train")
        ax.plot(ep, r["val_loss"], label="validation")
        best = int(np.argmin(r["val_loss"]))
        ax.axvline(best + 1, color="gray", ls=":", lw=1, label=f"best val epoch {best + 1}")
        p, l2, _ = VARIANTS[name]
        ax.set_title(f"{_DETAIL[name].format(p=p, l2=l2)}: val loss "
                     f"{r['final']['val_loss']:.3f}", fontsize=10)
        ax.set_xlabel("epoch")
        ax.set_ylabel("cross-entropy")
        ax.set_ylim(0, top)
        ax.legend(fontsize=8)
    _boundaries(axes[1, 2], result)
    fig.suptitle("Underfitting next to overfitting: training vs validation loss")
    fig.tight_layout()
    return fig


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson overfitting``: underfitting next to overfitting, and train vs
    validation loss with L2, dropout and early stopping."""
    result = run_variants(quick)
    data = result["data"]
    sizes = [data[0].shape[1], *HIDDEN, 1]
    n_weights = sum(a * b + b for a, b in itertools.pairwise(sizes))
    if verbose:
        print(f"Two noisy moons: {len(data[0])} training points, {len(data[2])} validation "
              f"points; {'-'.join(map(str, sizes))} ReLU network ({n_weights:,} parameters) "
              "and, too simple, logistic regression (3); Adam lr 0.003, full batch")
        print_table("Underfitting, overfitting and its cures (losses: binary cross-entropy)",
                    ["variant", "epochs", "train loss", "val loss", "best val loss",
                     "train acc", "val acc"], result["rows"])
    result["figure"] = save_figure(plot(result), out, "overfitting.png")
    if verbose:
        print(f"figure: {result['figure']}")
    return result
