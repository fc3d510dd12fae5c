"""The perceptron: a line that classifies points, and the trick that moves it toward its mistakes.

A perceptron with weights W (d,) and bias b labels a point x (d,) by

    h = x @ W + b,        y_hat = step(h) = 1 if h >= 0 else 0.

In two dimensions the boundary h = 0 is the line x2 = -(W[0] / W[1]) x1 - b / W[1].

The perceptron trick visits the points one at a time and moves the line only for a mistake:

* a positive point labelled 0 (y - y_hat = +1): W <- W + lr x,  b <- b + lr  (line moves toward it)
* a negative point labelled 1 (y - y_hat = -1): W <- W - lr x,  b <- b - lr
* a correct point changes nothing.

Both cases are W <- W + lr (y - y_hat) x, the update that gradient descent later generalises. On
linearly separable data the trick stops making mistakes after a finite number of updates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..nn import functional as F
from ._figures import DEFAULT_OUT, new_figure, save_figure

__all__ = [
    "PerceptronResult",
    "as_model",
    "boundary_line",
    "SEED",
    "lesson",
    "make_separable",
    "perceptron_step",
    "predict",
    "step",
    "train_perceptron",
]


def step(h):
    """The perceptron's activation: 1 where h >= 0, else 0.

    >>> step([-0.5, 0.0, 2.0])
    array([0., 1., 1.])
    """
    return F.step(h)


def _check_xy(X, y):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_features), got shape {X.shape}")
    if X.shape[0] == 0:
        raise ValueError("X is empty: it has no samples")
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) to match X, got {y.shape}")
    if not np.all(np.isin(y, (0, 1))):
        raise ValueError("y must hold the labels 0 and 1 only")
    if not np.all(np.isfinite(X)):
        raise ValueError("X contains NaN or infinity")
    return X, y.astype(np.int64)


def predict(X, W, b):
    """Labels step(X @ W + b) for X (n, d), W (d,), b scalar; returns (n,) ints in {0, 1}.

    >>> predict([[1.0, 1.0], [0.0, 1.0]], [1.0, 1.0], -2.0)
    array([1, 0])
    """
    X = np.atleast_2d(np.asarray(X, dtype=np.float64))
    return step(X @ np.asarray(W, dtype=np.float64) + float(b)).astype(np.int64)


def perceptron_step(X, y, W, b, learn_rate=0.01):
    """One pass of the perceptron trick over the rows of X, in order; returns new (W, b).

    Each point is judged by the line as it stands after the previous points' updates, as in
    the lesson. Inputs are not modified.
    """
    X, y = _check_xy(X, y)
    W = np.array(W, dtype=np.float64)
    if W.shape != (X.shape[1],):
        raise ValueError(f"W must have shape ({X.shape[1]},), got {W.shape}")
    b = float(b)
    for x_i, y_i in zip(X, y):
        miss = y_i - int(x_i @ W + b >= 0)  # +1, -1 or 0
        if miss:
            W += learn_rate * miss * x_i
            b += learn_rate * miss
    return W, b


def boundary_line(W, b):
    """(slope, intercept) of the line W[0] x1 + W[1] x2 + b = 0, i.e. x2 = slope x1 + intercept.

    >>> boundary_line([1.0, 2.0], -2.0)
    (-0.5, 1.0)
    """
    W = np.asarray(W, dtype=np.float64)
    if W.shape != (2,):
        raise ValueError(f"a boundary line needs 2 weights, got shape {W.shape}")
    if W[1] == 0:
        return (np.inf, np.inf)  # a vertical line: not a function of x1
    return (float(-W[0] / W[1]), float(-b / W[1]))


@dataclass
class PerceptronResult:
    """What ``train_perceptron`` returns: the final line and its history, one entry per epoch."""

    W: np.ndarray
    b: float
    weights: list = field(default_factory=list)  # (W, b) after each epoch
    lines: list = field(default_factory=list)  # (slope, intercept) after each epoch (2-D only)
    errors: list = field(default_factory=list)  # misclassified points after each epoch

    def predict(self, X):
        return predict(X, self.W, self.b)


def train_perceptron(X, y, learn_rate=0.01, epochs=25, seed=None, rng=None, W=None, b=None):
    """Run ``epochs`` passes of the perceptron trick; returns a ``PerceptronResult``.

    The start is the lab's: W uniform in [0, 1) and b = U[0, 1) + max(x1), drawn from a
    ``numpy.random.Generator`` (``rng``, or one built from ``seed``), unless W and b are given.
    """
    X, y = _check_xy(X, y)
    if not learn_rate > 0:
        raise ValueError(f"learn_rate must be > 0, got {learn_rate!r}")
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
    rng = rng if rng is not None else np.random.default_rng(seed)
    W = rng.random(X.shape[1]) if W is None else np.array(W, dtype=np.float64)
    b = float(rng.random() + X[:, 0].max()) if b is None else float(b)
    result = PerceptronResult(W=W, b=b)
    for _ in range(epochs):
        W, b = perceptron_step(X, y, W, b, learn_rate)
        result.weights.append((W.copy(), b))
        if X.shape[1] == 2:
            result.lines.append(boundary_line(W, b))
        result.errors.append(int(np.count_nonzero(predict(X, W, b) != y)))
    result.W, result.b = W, b
    return result


def as_model(W, b, dtype="float64"):
    """The perceptron as a glassnet model: ``Sequential([Dense(d, 1), Step()])`` holding W and b.

    The engine's forward pass then computes exactly ``predict``: step(x @ W + b).
    """
    from ..nn import Dense, Sequential, Step

    W = np.asarray(W, dtype=np.float64)
    W = W.reshape(-1, 1) if W.ndim == 1 else W
    b = np.atleast_1d(np.asarray(b, dtype=np.float64))
    model = Sequential([Dense(W.shape[0], W.shape[1]), Step()], dtype=dtype)
    model.set_weights([{"W": W, "b": b}, {}])
    return model


def make_separable(n_samples=100, margin=0.05, seed=None, rng=None):
    """Points in the unit square labelled by the line x2 = 0.5 x1 + 0.25, with no point closer
    than ``margin`` to it: a linearly separable set for the perceptron. Returns X (n, 2), y (n,).
    """
    rng = rng if rng is not None else np.random.default_rng(seed)
    points = np.empty((0, 2))
    while len(points) < n_samples:
        cand = rng.random((2 * n_samples, 2))
        dist = (cand[:, 1] - 0.5 * cand[:, 0] - 0.25) / np.hypot(0.5, 1.0)
        points = np.vstack([points, cand[np.abs(dist) >= margin]])
    X = points[:n_samples]
    y = (X[:, 1] > 0.5 * X[:, 0] + 0.25).astype(np.int64)
    return X, y


def plot_lines(ax, X, y, lines, title=None):
    """Points coloured by label, the boundary after each epoch (faint) and the last one bold."""
    ax.scatter(*X[y == 0].T, s=18, color="tab:red", edgecolor="k", lw=0.3, label="label 0")
    ax.scatter(*X[y == 1].T, s=18, color="tab:blue", edgecolor="k", lw=0.3, label="label 1")
    lo, hi = X[:, 0].min() - 0.1, X[:, 0].max() + 0.1
    xs = np.array([lo, hi])
    for k, (m, c) in enumerate(lines):
        last = k == len(lines) - 1
        if np.isfinite(m):
            ax.plot(xs, m * xs + c, color="black" if last else "tab:green",
                    lw=2.5 if last else 0.8, alpha=1.0 if last else 0.25 + 0.5 * k / len(lines),
                    ls="-" if last else "--", label="final line" if last else None)
    ax.set_xlim(lo, hi)
    ax.set_ylim(X[:, 1].min() - 0.1, X[:, 1].max() + 0.1)
    if title:
        ax.set_title(title)


#: The seed of the lesson's data and starting weights.
SEED = 42


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson perceptron``: the perceptron trick separating 100 points, line by line."""
    seed = SEED
    X, y = make_separable(100, seed=seed)
    epochs = 25  # the lab's; cheap enough that quick changes nothing
    result = train_perceptron(X, y, learn_rate=0.01, epochs=epochs, seed=seed)
    if verbose:
        print(f"Perceptron trick on {len(X)} linearly separable points, learn rate 0.01")
        for k, (errors, (m, c)) in enumerate(zip(result.errors, result.lines)):
            if k % max(1, epochs // 10) == 0 or k == epochs - 1:
                print(f"  epoch {k + 1:>3}: line x2 = {m:+.4f} x1 {c:+.4f}   "
                      f"misclassified {errors}/{len(X)}")
        print(f"final W = {np.round(result.W, 6)}, b = {result.b:.6f}")
    fig, ax = new_figure(figsize=(6, 5))
    plot_lines(ax, X, y, result.lines,
               title=f"Perceptron trick: boundary after each of {epochs} epochs")
    ax.legend(loc="lower right", fontsize=8)
    path = save_figure(fig, out, "perceptron.png")
    if verbose:
        print(f"figure: {path}")
    return {"errors": result.errors, "W": result.W, "b": result.b, "figure": path}
