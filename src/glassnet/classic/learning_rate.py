"""The learning rate: too small crawls, about right converges, too large diverges.

A line y_hat = w x + b fitted to 24 points by full-batch gradient descent on the mean squared
error E(w, b) = 1/n sum (w x_i + b - y_i)^2. E is a bowl whose curvature is its Hessian
H = 2/n sum [x_i, 1]^T [x_i, 1]; along the direction of H's largest eigenvalue lambda_max one
step multiplies the distance to the minimum by (1 - lr lambda_max). So

* lr << 1/lambda_max: each step removes a sliver of the error (too small: it crawls);
* 0 < lr < 2/lambda_max: the error shrinks every step (fastest near 1/lambda_max);
* lr > 2/lambda_max: |1 - lr lambda_max| > 1 and every step overshoots further (it diverges).

The course's rule follows: **if training fails (the loss grows or jumps about), lower the
learning rate** (``first_working_rate`` halves it until the loss falls). Every step is the
engine's ``Sequential.train_step`` with ``MSELoss`` and ``SGD(lr)``.
"""

from __future__ import annotations

import numpy as np

from ..nn import SGD, Dense, MSELoss, Sequential
from ._figures import DEFAULT_OUT, new_figure, save_figure, speaker

__all__ = ["RATES", "SEED", "START", "critical_rate", "first_working_rate", "lesson",
           "make_line_data", "plot", "report", "train_line"]

#: The seed of the points.
SEED = 0

#: Learning rates as multiples of 2 / lambda_max: too small, about right, too large.
RATES = {"too small": 0.01, "about right": 0.4, "too large": 1.15}


def make_line_data(n=24, seed=SEED):
    """``n`` points near the line y = 3 x + 2 (x ~ N(1, 1), noise 0.5): x (n, 1), y (n, 1)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(1.0, 1.0, (n, 1))
    return x, 3.0 * x + 2.0 + rng.normal(0, 0.5, (n, 1))


def critical_rate(x):
    """2 / lambda_max of the MSE's Hessian 2/n [x, 1]^T [x, 1]: the rate above which plain
    gradient descent diverges."""
    A = np.hstack([x, np.ones_like(x)])
    lam = np.linalg.eigvalsh(2.0 / len(x) * A.T @ A)
    return float(2.0 / lam.max())


#: Where every run starts, (w, b).
START = (0.0, 6.0)


def train_line(x, y, lr, steps=40, start=START):
    """Fit y_hat = w x + b by ``steps`` full-batch ``train_step`` calls; returns the MSE before
    each step and after the last, and the (w, b) path."""
    model = Sequential([Dense(1, 1)], dtype="float64")
    model.set_weights([{"W": [[start[0]]], "b": [start[1]]}])
    loss, opt = MSELoss(), SGD(lr=lr)
    losses, path = [], [tuple(start)]
    for _ in range(steps):
        losses.append(float(model.train_step(x, y, loss, opt)))
        path.append((float(model.layers[0].params["W"][0, 0]),
                     float(model.layers[0].params["b"][0])))
    losses.append(float(np.mean((model.predict(x) - y) ** 2)))
    return {"lr": lr, "loss": losses, "path": np.array(path)}


def first_working_rate(x, y, lr, steps=40, factor=0.5, max_tries=20):
    """The course's rule: while the loss ends above where it began, multiply lr by ``factor``.
    Returns [(lr, final loss / initial loss), ...] for every rate tried, the last one working."""
    tried = []
    for _ in range(max_tries):
        run = train_line(x, y, lr, steps)
        tried.append((lr, run["loss"][-1] / run["loss"][0]))
        if run["loss"][-1] < run["loss"][0]:
            break
        lr *= factor
    return tried


def compare(steps=40, seed=SEED):
    """The three rates of ``RATES`` (times the critical rate) and the halving rule."""
    x, y = make_line_data(seed=seed)
    crit = critical_rate(x)
    runs = {name: train_line(x, y, f * crit, steps) for name, f in RATES.items()}
    return {"x": x, "y": y, "critical": crit, "runs": runs,
            "halving": first_working_rate(x, y, RATES["too large"] * crit, steps)}


def report(result):
    """Each rate's loss after the steps, and the halving rule's tries."""
    lines = [f"line fitted to {len(result['x'])} points; the MSE diverges above "
             f"lr = 2 / lambda_max = {result['critical']:.4f}"]
    for name, r in result["runs"].items():
        lines.append(f"  {name:<12} lr {r['lr']:.4f}: MSE {r['loss'][0]:.4g} -> "
                     f"{r['loss'][-1]:.4g} after {len(r['loss']) - 1} steps")
    tries = ", ".join(f"lr {lr:.4f} (loss x {ratio:.3g})" for lr, ratio in result["halving"])
    lines.append(f"if it fails, lower the learning rate: {tries}")
    return "\n".join(lines)


def plot(result):
    """Loss against step (log scale) for each rate, and each rate's path over the loss bowl."""
    fig, (ax0, ax1) = new_figure(1, 2, figsize=(12, 4.6))
    for name, r in result["runs"].items():
        ax0.semilogy(r["loss"], marker=".", label=f"{name} (lr {r['lr']:.3f})")
    ax0.set_xlabel("step")
    ax0.set_ylabel("MSE")
    ax0.set_title("If it fails, lower the learning rate", fontsize=10)
    ax0.legend(fontsize=8)
    x, y = result["x"], result["y"]
    ww, bb = np.meshgrid(np.linspace(-1, 7, 161), np.linspace(-3, 7, 161))
    mse = np.mean((ww[..., None] * x[:, 0] + bb[..., None] - y[:, 0]) ** 2, axis=-1)
    ax1.contour(ww, bb, mse, levels=np.geomspace(mse.min() + 1e-3, mse.max(), 14),
                colors="gray", linewidths=0.6)
    for name, r in result["runs"].items():
        path = r["path"]
        inside = np.flatnonzero((path[:, 0] < -1) | (path[:, 0] > 7) | (path[:, 1] < -3)
                                | (path[:, 1] > 7))
        end = inside[0] + 1 if len(inside) else len(path)  # the diverging path leaves
        ax1.plot(*path[:end].T, marker=".", label=name)
    ax1.set_xlim(-1, 7)
    ax1.set_ylim(-3, 7)
    ax1.set_xlabel("w")
    ax1.set_ylabel("b")
    ax1.set_title(f"Each rate's path from (w, b) = {START} over the MSE bowl", fontsize=10)
    ax1.legend(fontsize=8)
    fig.tight_layout()
    return fig


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson learning-rate``: too small, about right, too large (diverging)."""
    say = speaker(verbose)
    result = compare()
    say(report(result))
    result["figure"] = save_figure(plot(result), out, "learning-rate.png")
    say(f"figure: {result['figure']}")
    return result
