"""``glassnet tour``: a short run of the classic networks, each with its result and the bar it
must clear. Every entry is a function ``(quick, verbose, out)`` returning one row of the table
(the protocol of the projects and lessons), so later projects join by adding one to ``TOUR``.
"""

from __future__ import annotations

import time

import numpy as np

from .datasets import make_spirals, make_xor
from .nn import SGD, Adam, Callback, Dense, Sequential, Sigmoid, SSELoss, Tanh, initializers
from .nn.metrics import accuracy
from .paths import DEFAULT_OUT
from .projects import tour_entries


def xor_network(quick=False, verbose=True, out=None, seed=0, epochs=1000):
    """XOR with a 2-2-1 network (tanh hidden, sigmoid output), trained by Adam on the 4 rows."""
    X, y = make_xor()
    model = Sequential([Dense(2, 2), Tanh(), Dense(2, 1), Sigmoid()], seed=seed)
    model.fit(X, y, optimizer=Adam(lr=0.05), epochs=epochs, verbose=0)
    pred = model.predict_classes(X)
    if verbose:
        proba = model.predict_proba(X)[:, 0]
        print("XOR with a 2-2-1 network:")
        for xi, p, c in zip(X.astype(int), proba, pred):
            print(f"  {xi[0]} XOR {xi[1]} -> {p:.3f} -> {c}")
    return {"project": "XOR, 2-2-1 network", "metric": "rows correct",
            "result": f"{int((pred == y).sum())}/4", "reference": "4/4"}


class _PrintError(Callback):
    """Prints the mean absolute error every ``every`` epochs, as the original script does."""

    def __init__(self, X, y, every):
        self.X, self.y, self.every = X, y, every

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every == 0:
            err = np.mean(np.abs(self.y - self.model.predict(self.X)))
            print(f"  Error after {epoch + 1:>6} epochs: {err:.6f}")


def classic_341(quick=False, verbose=True, out=None, seed=1, epochs=60_000):
    """The classic 3-4-1 sigmoid network: full batch, weights U(-1, 1), no biases, and the
    original update ``W += layer.T @ delta`` (plain gradient descent on SSE with lr 1)."""
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
    y = np.array([[0], [1], [1], [0]], dtype=float)
    uniform = initializers.Uniform(1.0)
    model = Sequential([Dense(3, 4, bias=False, init=uniform), Sigmoid(),
                        Dense(4, 1, bias=False, init=uniform), Sigmoid()],
                       seed=seed, dtype="float64")
    if verbose:
        print("The 3-4-1 network (60,000 full-batch epochs):")
    cbs = [_PrintError(X, y, 10_000)] if verbose else []
    model.fit(X, y, loss=SSELoss(), optimizer=SGD(lr=1.0), epochs=epochs, shuffle=False,
              verbose=0, callbacks=cbs)
    err = float(np.mean(np.abs(y - model.predict(X))))
    if verbose:
        print(f"  output: {np.round(model.predict(X)[:, 0], 4)}")
    return {"project": "3-4-1 sigmoid network", "metric": "mean |error|",
            "result": f"{err:.4f}", "reference": "< 0.02"}


def spiral_classifier(quick=False, verbose=True, out=None, seed=0, epochs=300):
    """A 3-class spiral (not linearly separable): 2-64-64-3 ReLU network with softmax."""
    X, y = make_spirals(200, 3, seed=seed)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(X))
    train, test = order[:480], order[480:]
    model = Sequential.from_sizes([2, 64, 64, 3], "relu", "softmax", seed=seed)
    model.fit(X[train], y[train], optimizer=Adam(lr=0.01), epochs=epochs, batch_size=32,
              verbose=0)
    acc = accuracy(y[test], model.predict_classes(X[test]))
    if verbose:
        print(f"Spiral classifier (3 classes, 480 train / 120 test): test accuracy {acc:.3f}")
    return {"project": "3-class spirals, 2-64-64-3", "metric": "test accuracy",
            "result": f"{acc:.3f}", "reference": ">= 0.95"}


TOUR = [xor_network, classic_341, spiral_classifier, *tour_entries()]


def run_tour(quick=False, out=DEFAULT_OUT):
    """Run every tour entry (files into ``out``) and print one table of results."""
    from rich.console import Console
    from rich.table import Table

    from .errors import MissingExtraError

    rows = []
    for entry in TOUR:
        t0 = time.perf_counter()
        try:
            row = entry(quick=quick, verbose=True, out=out)
        except MissingExtraError as e:  # e.g. the earthquakes search without Optuna
            print(f"{entry.__name__}: skipped: {e}")
            row = {"project": entry.__name__.replace("_", " "), "metric": "-",
                   "result": "skipped", "reference": _short(str(e))}
        row["seconds"] = f"{time.perf_counter() - t0:.1f}"
        rows.append(row)
        print()
    table = Table(title="glassnet tour")
    for col in ("project", "metric", "result", "reference", "seconds"):
        table.add_column(col, justify="left" if col in ("project", "metric") else "right")
    for row in rows:
        table.add_row(*(str(row[c]) for c in ("project", "metric", "result", "reference",
                                               "seconds")))
    Console().print(table)
    return rows


def _short(message):
    """The install hint of a missing-extra message, for the table's reference column."""
    return message[message.find("pip install"):] if "pip install" in message else message
