"""Logistic regression by gradient descent: one sigmoid unit, its log-loss, and its update.

For a point x (d,) with label y in {0, 1}, weights w (d,) and bias b:

    y_hat = sigmoid(x @ w + b)
    E     = -y log(y_hat) - (1 - y) log(1 - y_hat)          (log-loss, or binary cross-entropy)
    dE/dw = -(y - y_hat) x,   dE/db = -(y - y_hat)

so one step of gradient descent with learning rate lr is the lab's update

    w <- w + lr (y - y_hat) x,     b <- b + lr (y - y_hat).

The engine computes exactly this: ``Sequential([Dense(d, 1), Sigmoid()])`` trained with
``BinaryCrossEntropy`` and ``SGD(lr)``. After a Sigmoid the loss's gradient at h = x @ w + b is
(y_hat - y) / n (the sigmoid's derivative y_hat (1 - y_hat) cancels against the log-loss's), and
Dense turns it into x.T @ (y_hat - y) / n. With ``batch_size=1`` (n = 1) that is the update
above, one point at a time; full batch averages it over all points.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..nn import SGD, BinaryCrossEntropy, Callback, Dense, Sequential, Sigmoid
from ..nn import functional as F
from ._figures import DEFAULT_OUT, new_figure, save_figure
from .perceptron import boundary_line, plot_lines

__all__ = [
    "LogisticResult",
    "lab_initial_weights",
    "lesson",
    "log_loss",
    "logistic_model",
    "output_formula",
    "sigmoid",
    "train_logistic",
]


def sigmoid(x):
    """1 / (1 + exp(-x)), without overflow for large |x|.

    >>> float(sigmoid(0.0))
    0.5
    """
    return F.sigmoid(np.asarray(x, dtype=np.float64))


def output_formula(X, weights, bias):
    """The unit's prediction sigmoid(X @ w + b): (n,) for X (n, d), a scalar for x (d,)."""
    return sigmoid(np.asarray(X, dtype=np.float64) @ np.asarray(weights, dtype=np.float64) + bias)


def log_loss(y, y_hat):
    """Per-point log-loss -y log(y_hat) - (1 - y) log(1 - y_hat); average it for the mean.

    >>> round(float(log_loss(1, 0.8)), 6), round(float(log_loss(0, 0.8)), 6)
    (0.223144, 1.609438)
    """
    y, y_hat = np.asarray(y, dtype=np.float64), np.asarray(y_hat, dtype=np.float64)
    return -y * np.log(y_hat) - (1 - y) * np.log1p(-y_hat)


def lab_initial_weights(n_features, seed=44):
    """The lab's starting weights: ``np.random.seed(44)`` then
    ``np.random.normal(scale=1 / n_features**.5, size=n_features)``.

    This is glassnet's one documented use of NumPy's legacy random stream: it exists only to
    replay the course's published numbers. It draws from a private ``RandomState(seed)``, which
    produces the same numbers as the lab's global seeding without touching NumPy's global state.
    """
    return np.random.RandomState(seed).normal(scale=1 / n_features**0.5, size=n_features)


def logistic_model(weights, bias=0.0, dtype="float64"):
    """``Sequential([Dense(d, 1), Sigmoid()])`` holding the given weights (d,) and bias."""
    weights = np.asarray(weights, dtype=np.float64).reshape(-1)
    model = Sequential([Dense(weights.size, 1), Sigmoid()], dtype=dtype)
    model.set_weights([{"W": weights.reshape(-1, 1), "b": np.array([float(bias)])}, {}])
    return model


@dataclass
class LogisticResult:
    """Weights and bias after training, and per-epoch log-loss, accuracy and (w, b)."""

    weights: np.ndarray
    bias: float
    model: Sequential
    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    params: list = field(default_factory=list)

    def lines(self, every=1):
        """Boundary line (slope, intercept) after every ``every``-th epoch, ending with the last
        epoch's when ``every`` divides the number of epochs (2 features only)."""
        return [boundary_line(w, b) for w, b in self.params[every - 1::every]]


class _EpochRecorder(Callback):
    """After each epoch: the mean log-loss and accuracy on the whole training set, as the lab."""

    def __init__(self, X, y, result):
        self.X, self.y, self.result = X, y, result

    def on_epoch_end(self, epoch, logs=None):
        dense = self.model.layers[0]
        w, b = dense.params["W"][:, 0].astype(np.float64), float(dense.params["b"][0])
        out = output_formula(self.X, w, b)
        self.result.loss.append(float(np.mean(log_loss(self.y, out))))
        self.result.accuracy.append(float(np.mean((out > 0.5) == self.y)))
        self.result.params.append((w.copy(), b))


def train_logistic(X, y, epochs=100, learn_rate=0.01, batch="sample", weights=None, bias=0.0,
                   seed=None, dtype="float64"):
    """Logistic regression by gradient descent on the engine; returns a ``LogisticResult``.

    batch: ``"sample"`` updates after every point, in order (the lab's loop); ``"full"`` takes
    one step per epoch on the mean gradient. weights: the start (default: N(0, 1/d) from a
    ``numpy.random.Generator`` seeded with ``seed``; pass ``lab_initial_weights(d)`` to replay
    the lab).
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_features), got shape {X.shape}")
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
    if batch not in ("sample", "full"):
        raise ValueError(f"batch must be 'sample' or 'full', got {batch!r}")
    n_features = X.shape[1]
    if weights is None:
        weights = np.random.default_rng(seed).normal(scale=1 / n_features**0.5, size=n_features)
    weights = np.asarray(weights, dtype=np.float64)
    if weights.shape != (n_features,):
        raise ValueError(f"weights must have shape ({n_features},), got {weights.shape}")
    model = logistic_model(weights, bias, dtype=dtype)
    result = LogisticResult(weights=weights, bias=float(bias), model=model)
    model.fit(X, y, loss=BinaryCrossEntropy(), optimizer=SGD(lr=learn_rate), epochs=epochs,
              batch_size=1 if batch == "sample" else None, shuffle=False, verbose=0,
              callbacks=[_EpochRecorder(X, y, result)])
    result.weights, result.bias = result.params[-1]
    return result


def print_lab(result, epochs):
    """The lab's printout: every tenth of the epochs, the train loss (with its warning when it
    went up since the last print) and the accuracy."""
    last = None
    for e in range(0, epochs, max(1, epochs // 10)):
        loss = result.loss[e]
        print(f"\n========== Epoch {e} ==========")
        warn = "  WARNING - Loss Increasing" if last is not None and last < loss else ""
        print(f"Train loss:  {loss}{warn}")
        print(f"Accuracy:  {result.accuracy[e]}")
        last = loss


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson logistic``: the gradient-descent lab, replayed number for number."""
    from ..datasets.lessons import load_gradient_descent_lab

    X, y = load_gradient_descent_lab()
    epochs, learn_rate = 100, 0.01
    result = train_logistic(X, y, epochs=epochs, learn_rate=learn_rate,
                            weights=lab_initial_weights(X.shape[1], seed=44), bias=0.0)
    if verbose:
        print("Gradient-descent lab: 100 points, seed 44, 100 epochs, learn rate 0.01, "
              "one update per point")
        print_lab(result, epochs)
        print(f"\nfinal weights {result.weights}, bias {result.bias:.8f}")

    fig, (ax0, ax1) = new_figure(1, 2, figsize=(11, 4.5))
    plot_lines(ax0, X, y, result.lines(every=10),
               title="Boundary every 10 epochs (final: black)")
    ax0.legend(loc="lower right", fontsize=8)
    ax1.plot(np.arange(1, epochs + 1), result.loss, color="tab:orange", label="log-loss")
    ax1.set_xlabel("epoch")
    ax1.set_ylabel("mean log-loss")
    ax2 = ax1.twinx()
    ax2.plot(np.arange(1, epochs + 1), result.accuracy, color="tab:blue", label="accuracy")
    ax2.set_ylabel("accuracy")
    ax1.set_title("Error plot")
    handles = ax1.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    ax1.legend(handles=handles, loc="center right", fontsize=8)
    fig.tight_layout()
    path = save_figure(fig, out, "logistic.png")
    if verbose:
        print(f"figure: {path}")
    return {"loss": result.loss, "accuracy": result.accuracy, "weights": result.weights,
            "bias": result.bias, "figure": path}
