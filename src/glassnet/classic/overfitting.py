"""Overfitting and three cures: an L2 penalty, dropout and early stopping.

A network with far more weights than training points can fit the noise in them: the training
loss keeps falling while the loss on unseen (validation) points turns and rises. Three ways to
keep it honest, all on the same data, network and optimizer:

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
from ._figures import DEFAULT_OUT, print_table, pyplot, save_figure

__all__ = ["HIDDEN", "VARIANTS", "lesson", "make_data", "train_variant"]

#: Hidden layer sizes: 4,417 parameters for 60 training points, plenty to memorise them.
HIDDEN = (64, 64)

#: The four runs: name -> (dropout p, L2 lambda, early stopping).
VARIANTS = {
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
    """Train the 2-64-64-1 ReLU network one way (see ``VARIANTS``); returns the curves dict.

    The dict holds per-epoch ``train_loss``, ``val_loss``, ``train_accuracy``,
    ``val_accuracy``, plus ``epochs_run`` and ``best_epoch`` (early stopping only).
    """
    if name not in VARIANTS:
        raise ValueError(f"unknown variant {name!r}; choose one of {list(VARIANTS)}")
    p, l2, early = VARIANTS[name]
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
    return out


def lesson(out=DEFAULT_OUT, quick=False, verbose=True, seed=0):
    """``glassnet lesson overfitting``: train vs validation loss with no cure, L2, dropout,
    early stopping."""
    data = make_data(seed=seed)
    epochs = 150 if quick else 300
    runs = {name: train_variant(name, data, epochs=epochs, seed=seed) for name in VARIANTS}
    rows = []
    for name, r in runs.items():
        f = r["final"]
        rows.append([name, r["epochs_run"], f"{f['train_loss']:.3f}", f"{f['val_loss']:.3f}",
                     f"{min(r['val_loss']):.3f}", f"{f['train_accuracy']:.3f}",
                     f"{f['val_accuracy']:.3f}"])
    sizes = [data[0].shape[1], *HIDDEN, 1]
    n_weights = sum(a * b + b for a, b in itertools.pairwise(sizes))
    if verbose:
        print(f"Two noisy moons: {len(data[0])} training points, {len(data[2])} validation "
              f"points; {'-'.join(map(str, sizes))} ReLU network ({n_weights:,} parameters), "
              "Adam lr 0.003, full batch")
        print_table("Overfitting and its cures (losses: binary cross-entropy)",
                    ["variant", "epochs", "train loss", "val loss", "best val loss",
                     "train acc", "val acc"], rows)

    plt = pyplot()
    fig, axes = plt.subplots(2, 2, figsize=(11, 8), sharey=True)
    for ax, (name, r) in zip(axes.ravel(), runs.items()):
        ep = np.arange(1, r["epochs_run"] + 1)
        ax.plot(ep, r["train_loss"], label="train")
        ax.plot(ep, r["val_loss"], label="validation")
        best = int(np.argmin(r["val_loss"]))
        ax.axvline(best + 1, color="gray", ls=":", lw=1, label=f"best val epoch {best + 1}")
        p, l2, _ = VARIANTS[name]
        detail = {"none": "no regularization", "L2": f"L2, lambda = {l2:g}",
                  "dropout": f"dropout p = {p:g}",
                  "early stopping": "early stopping, patience 40"}[name]
        ax.set_title(f"{detail}: val loss {r['final']['val_loss']:.3f}", fontsize=10)
        ax.set_xlabel("epoch")
        ax.set_ylabel("cross-entropy")
        ax.legend(fontsize=8)
    axes[0, 0].set_ylim(0, max(1.0, min(2.0, max(runs["none"]["val_loss"]) * 1.05)))
    fig.suptitle("Training vs validation loss")
    fig.tight_layout()
    path = save_figure(fig, out, "overfitting.png")
    if verbose:
        print(f"figure: {path}")
    return {"runs": runs, "rows": rows, "figure": path}
