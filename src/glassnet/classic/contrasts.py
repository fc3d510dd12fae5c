"""The contrasts the course draws between error functions and ways of learning, computed.

* **Step against sigmoid: discrete against continuous error.** Counting misclassified points
  gives an error that jumps: moving the line a little changes the count by whole points or
  not at all, so its derivative is 0 almost everywhere and gradient descent has no direction.
  The sigmoid's log-loss changes smoothly with every weight: it always has a slope to follow.
* **The perceptron trick against logistic regression by gradient descent**, from the same
  line on the same points: only misclassified points move the perceptron's line (by lr x);
  every point moves the gradient-descent line, by lr (y - y_hat) x, the most for badly wrong
  points and a little even for correct ones near the line.
* **Two linear models combined** by a weighted sum and a sigmoid, p = sigmoid(w1 p1 + w2 p2
  + b), draw a curved boundary neither line can: the first step to a hidden layer. The quiz:
  models giving a point 0.4 and 0.6, combined with w1 = 3, w2 = 5, b = -2.2, give
  sigmoid(2.0) = 0.8808.
* **Squared against absolute error**: E = 1/2 (y - y_hat)^2 has the derivative -(y - y_hat),
  which shrinks as the error does, so steps get smaller near the minimum; |y - y_hat| has a
  derivative of constant size 1 (undefined at 0), so a fixed-rate descent keeps overshooting.
  Squaring also weighs large errors more. The 1/2 only cancels the 2 of the power rule: it
  scales the gradient, not where the minimum lies.
"""

from __future__ import annotations

import numpy as np

from ..nn import MAELoss, SSELoss
from ..nn import functional as F
from ._figures import DEFAULT_OUT, new_figure, save_figure, speaker
from .perceptron import boundary_line, plot_lines

__all__ = ["COMBINE_QUIZ", "TWO_LINES", "combine", "combined_models", "discrete_vs_continuous",
           "fit_constant", "lesson", "perceptron_vs_gradient_descent", "plot", "report",
           "squared_vs_absolute"]

#: The quiz: two models' probabilities for a point, and three candidate (w1, w2, b).
COMBINE_QUIZ = {"p": (0.4, 0.6), "options": ((2.0, 6.0, -2.0), (3.0, 5.0, -2.2),
                                             (5.0, 4.0, -3.0))}

#: Two linear models (w1, w2, b) for the combination picture, and the weights combining them.
TWO_LINES = {"first": (12.0, 2.0, -7.0), "second": (-3.0, 12.0, -5.0), "combine": (7.0, 5.0, -9.0)}


def _lab_start():
    from ..datasets.lessons import load_gradient_descent_lab
    from .logistic import lab_initial_weights

    X, y = load_gradient_descent_lab()
    return X, y, lab_initial_weights(2, seed=44), 0.0


def _good_line(X, y, steps=500, lr=1.0):
    """A well-placed line for the lab's points: full-batch logistic regression."""
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(steps):
        err = F.sigmoid(X @ w + b) - y
        w, b = w - lr * X.T @ err / len(y), b - lr * float(np.mean(err))
    return w, b


def discrete_vs_continuous(n=401):
    """Sweep a good line's bias over +-1 on the lab's points: the number of misclassified
    points (step) and the mean log-loss (sigmoid) at each bias, and the share of the sweep
    where each error is flat (slope exactly 0)."""
    X, y, _, _ = _lab_start()
    w, b0 = _good_line(X, y)
    biases = b0 + np.linspace(-1, 1, n)
    h = X @ w
    counts = np.array([int(np.sum(F.step(h + b) != y)) for b in biases])
    p = F.sigmoid(h[None, :] + biases[:, None])
    logloss = -np.mean(y * np.log(p) + (1 - y) * np.log1p(-p), axis=1)
    return {"biases": biases, "misclassified": counts, "log_loss": logloss, "w": w, "b": b0,
            "flat_share_step": float(np.mean(np.diff(counts) == 0)),
            "flat_share_sigmoid": float(np.mean(np.diff(logloss) == 0)),
            "distinct_counts": len(np.unique(counts))}


def perceptron_vs_gradient_descent(learn_rate=0.01):
    """One pass over the lab's points from its starting line, by each method.

    Returns each method's new (W, b) and, per point, how far it pulled the line: the
    perceptron's |y - step(h)| (0 or 1) and gradient descent's |y - sigmoid(h)|, each judged
    by the line as it stood when the point was visited.
    """
    X, y, w0, b0 = _lab_start()
    W, b, pulls_p = w0.copy(), b0, np.zeros(len(y))
    for i, (x_i, y_i) in enumerate(zip(X, y)):
        miss = y_i - int(x_i @ W + b >= 0)
        pulls_p[i] = abs(miss)
        W, b = W + learn_rate * miss * x_i, b + learn_rate * miss
    V, c, pulls_g = w0.copy(), b0, np.zeros(len(y))
    for i, (x_i, y_i) in enumerate(zip(X, y)):
        err = y_i - float(F.sigmoid(x_i @ V + c))
        pulls_g[i] = abs(err)
        V, c = V + learn_rate * err * x_i, c + learn_rate * err
    return {"X": X, "y": y, "start": (w0, b0), "perceptron": (W, b), "gradient": (V, c),
            "perceptron_pulls": pulls_p, "gradient_pulls": pulls_g,
            "perceptron_moved_by": int(np.count_nonzero(pulls_p)),
            "gradient_moved_by": int(np.count_nonzero(pulls_g))}


def combine(p, weights):
    """sigmoid(w1 p1 + w2 p2 + b) for two models' probabilities p = (p1, p2).

    >>> round(combine((0.4, 0.6), (3.0, 5.0, -2.2)), 4)
    0.8808
    """
    w1, w2, b = weights
    return float(F.sigmoid(np.float64(w1 * p[0] + w2 * p[1] + b)))


def combined_models(x1, x2, lines=TWO_LINES):
    """Each linear model's probability and their combination, on points (x1, x2) of any shape."""
    def model(w):
        return F.sigmoid(w[0] * np.asarray(x1) + w[1] * np.asarray(x2) + w[2])

    p1, p2 = model(lines["first"]), model(lines["second"])
    w1, w2, b = lines["combine"]
    return p1, p2, F.sigmoid(w1 * p1 + w2 * p2 + b)


def fit_constant(values, loss, lr=0.1, steps=60, start=0.0):
    """Gradient descent on one number c predicting every value, with an engine loss; returns
    c after each step (the engine's ``loss.backward()`` gives dE/dc per value, summed)."""
    y = np.asarray(values, dtype=np.float64).reshape(-1, 1)
    c, path = float(start), [float(start)]
    for _ in range(steps):
        loss.forward(np.full_like(y, c), y)
        c -= lr * float(np.sum(loss.backward()))
        path.append(c)
    return np.array(path)


def squared_vs_absolute(values=(1.3, 2.1, 3.65, 4.2, 10.0), lr=0.1, steps=60):
    """Both errors and their derivatives against the error, and a constant fitted to
    ``values`` with each (squared -> the mean, absolute -> the median)."""
    e = np.linspace(-2, 2, 401)
    sse = fit_constant(values, SSELoss(), lr / len(values), steps)
    mae = fit_constant(values, MAELoss(reduction="sum"), lr, steps)
    return {"error": e, "squared": 0.5 * e ** 2, "squared_slope": e, "absolute": np.abs(e),
            "absolute_slope": np.sign(e), "values": np.asarray(values), "squared_path": sse,
            "absolute_path": mae, "mean": float(np.mean(values)),
            "median": float(np.median(values)),
            "absolute_last_steps": np.abs(np.diff(mae[-6:])).tolist()}


def report(result):
    """Every contrast's numbers, as text."""
    dc, pg, sa = result["discrete"], result["perceptron_vs_gd"], result["squared_vs_absolute"]
    quiz = "; ".join(f"(w1, w2, b) = {w}: {p:.4f}" for w, p in result["quiz"])
    return "\n".join([
        f"discrete against continuous: over {len(dc['biases'])} biases of a good line the "
        "misclassified "
        f"count takes {dc['distinct_counts']} values and is flat on {dc['flat_share_step']:.0%}"
        f" of the steps; the log-loss is flat on {dc['flat_share_sigmoid']:.0%}",
        f"one pass from the same line: {pg['perceptron_moved_by']} of {len(pg['y'])} points "
        f"moved the perceptron's line, {pg['gradient_moved_by']} of {len(pg['y'])} moved the "
        f"gradient-descent line (pulls |y - y_hat| from "
        f"{pg['gradient_pulls'].min():.3f} to {pg['gradient_pulls'].max():.3f})",
        f"combining two models that give a point {COMBINE_QUIZ['p']}: {quiz}",
        f"fitting one number to {sa['values'].tolist()}: squared error -> "
        f"{sa['squared_path'][-1]:.4f} (the mean {sa['mean']:g}); absolute error -> "
        f"{sa['absolute_path'][-1]:.4f} (the median {sa['median']:g}), still stepping by "
        f"{sa['absolute_last_steps'][-1]:.2g} at the end: its slope never shrinks",
    ])


def plot(result):
    """Six panels: the two errors against the bias, the two lines after one pass, each
    point's pull, two models combined, the two losses with their slopes, the fitted constant."""
    fig, axes = new_figure(2, 3, figsize=(16, 9.5))
    dc = result["discrete"]
    ax = axes[0, 0]
    ax.step(dc["biases"], dc["misclassified"], where="mid", color="tab:red",
            label="misclassified points (step)")
    ax.set_xlabel("bias b")
    ax.set_ylabel("misclassified points")
    ax2 = ax.twinx()
    ax2.plot(dc["biases"], dc["log_loss"], color="tab:blue", label="mean log-loss (sigmoid)")
    ax2.set_ylabel("mean log-loss")
    ax.legend(handles=ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0],
              fontsize=8, loc="upper center")
    ax.set_title("Discrete error (steps) against continuous (smooth)", fontsize=10)
    pg = result["perceptron_vs_gd"]
    X, y = pg["X"], pg["y"]
    lines = [boundary_line(*pg["start"]), boundary_line(*pg["perceptron"]),
             boundary_line(*pg["gradient"])]
    plot_lines(axes[0, 1], X, y, [])
    for (m, c), label, style in zip(lines, ("start", "perceptron, one pass",
                                            "gradient descent, one pass"), (":", "-", "--")):
        xs = np.array([X[:, 0].min(), X[:, 0].max()])
        axes[0, 1].plot(xs, m * xs + c, ls=style, lw=2, label=label)
    moved = pg["perceptron_pulls"] > 0
    axes[0, 1].scatter(*X[moved].T, s=90, facecolor="none", edgecolor="k",
                       label="moved the perceptron")
    axes[0, 1].legend(fontsize=7, loc="lower right")
    axes[0, 1].set_title("The same start, one pass over the points", fontsize=10)
    order = np.argsort(pg["gradient_pulls"])
    axes[0, 2].bar(np.arange(len(y)), pg["gradient_pulls"][order], color="tab:blue",
                   label=f"gradient descent: {pg['gradient_moved_by']} points pull")
    axes[0, 2].bar(np.arange(len(y)), pg["perceptron_pulls"][order], color="tab:red",
                   alpha=0.5, label=f"perceptron: {pg['perceptron_moved_by']} points pull")
    axes[0, 2].set_xlabel("points, sorted by their gradient pull")
    axes[0, 2].set_ylabel("|y - y_hat| (the pull's size, times lr x)")
    axes[0, 2].legend(fontsize=8)
    axes[0, 2].set_title("Who moves the line", fontsize=10)
    xx, yy = np.meshgrid(np.linspace(-0.25, 1.25, 241), np.linspace(-0.25, 1.25, 241))
    _, _, p = combined_models(xx, yy)
    axes[1, 0].contourf(xx, yy, p, levels=np.linspace(0, 1, 11), cmap="RdBu", alpha=0.5)
    axes[1, 0].contour(xx, yy, p, levels=[0.5], colors="k", linewidths=2)
    for key, color in (("first", "tab:green"), ("second", "tab:purple")):
        w1, w2, b = TWO_LINES[key]
        xs = np.linspace(-0.25, 1.25, 2)
        axes[1, 0].plot(xs, -(w1 * xs + b) / w2, ls="--", color=color,
                        label=f"{w1:g} x1 {w2:+g} x2 {b:+g} = 0")
    axes[1, 0].set_ylim(-0.25, 1.25)
    axes[1, 0].legend(fontsize=8, loc="upper left")
    w = TWO_LINES["combine"]
    axes[1, 0].set_title(f"sigmoid({w[0]:g} p1 + {w[1]:g} p2 {w[2]:+g}): a curved boundary "
                         "(black)", fontsize=10)
    sa = result["squared_vs_absolute"]
    ax = axes[1, 1]
    ax.plot(sa["error"], sa["squared"], color="tab:blue", label="1/2 e^2")
    ax.plot(sa["error"], sa["squared_slope"], color="tab:blue", ls="--", label="its slope e")
    ax.plot(sa["error"], sa["absolute"], color="tab:orange", label="|e|")
    ax.plot(sa["error"], sa["absolute_slope"], color="tab:orange", ls="--",
            label="its slope sign(e)")
    ax.axhline(0, color="gray", lw=0.6)
    ax.set_xlabel("error e = y_hat - y")
    ax.legend(fontsize=8)
    ax.set_title("Squared against absolute error, and their slopes", fontsize=10)
    ax = axes[1, 2]
    ax.plot(sa["squared_path"], marker=".", label="squared error")
    ax.plot(sa["absolute_path"], marker=".", label="absolute error")
    ax.axhline(sa["mean"], color="tab:blue", ls=":", label=f"mean {sa['mean']:g}")
    ax.axhline(sa["median"], color="tab:orange", ls=":", label=f"median {sa['median']:g}")
    ax.set_xlabel("gradient-descent step")
    ax.set_ylabel("c")
    ax.legend(fontsize=8)
    ax.set_title(f"One number c fitted to {sa['values'].tolist()}", fontsize=10)
    fig.tight_layout()
    return fig


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson contrasts``: step vs sigmoid, perceptron vs gradient descent, two
    models combined, squared vs absolute error."""
    say = speaker(verbose)
    result = {"discrete": discrete_vs_continuous(),
              "perceptron_vs_gd": perceptron_vs_gradient_descent(),
              "quiz": [(w, combine(COMBINE_QUIZ["p"], w)) for w in COMBINE_QUIZ["options"]],
              "squared_vs_absolute": squared_vs_absolute()}
    say(report(result))
    result["figure"] = save_figure(plot(result), out, "contrasts.png")
    say(f"figure: {result['figure']}")
    return result
