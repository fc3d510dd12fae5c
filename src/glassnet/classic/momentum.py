"""Momentum against plain gradient descent: a curved valley, and a local minimum escaped.

Plain gradient descent steps by the current slope only: p <- p - lr g. With momentum beta in
[0, 1) the step remembers the previous ones (the engine's ``SGD(momentum=beta)``, PyTorch's
form):

    v <- beta v + g,        p <- p - lr v,

so v is a running sum of past gradients, each older one weighted down by beta: steps that
agree add up (up to 1 / (1 - beta) times longer, 10x for beta = 0.9) and steps that flip sign
cancel. beta = 0 is plain gradient descent; beta >= 1 would never forget and is refused.

* **A curved valley** (Rosenbrock's f = (1 - x)^2 + 100 (y - x^2)^2, minimum at (1, 1)): the
  floor is flat and bent, the walls steep. Plain descent with a rate small enough for the walls
  crawls along the floor; momentum builds up speed along it.
* **A local minimum**, f(x) = x^4 - 3 x^2 + x: a shallow minimum near x = 1.13 and the deeper
  one near x = -1.30, a hump between. From x = 2 plain descent stops in the shallow one; with
  beta = 0.9 the built-up velocity carries it over the hump into the deeper one. (Momentum is
  no guarantee: with too little, beta = 0.8 here, it still stops in the first.)
"""

from __future__ import annotations

import numpy as np

from ..nn import SGD
from ._figures import DEFAULT_OUT, new_figure, save_figure, speaker

__all__ = ["BETAS", "bumpy", "bumpy_grad", "descend", "lesson", "local_minimum", "plot",
           "report", "rosenbrock", "rosenbrock_grad", "valley"]

#: The momentum values the lesson compares.
BETAS = (0.0, 0.8, 0.9)


def rosenbrock(x, y):
    """(1 - x)^2 + 100 (y - x^2)^2: a curved valley with its minimum 0 at (1, 1)."""
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def rosenbrock_grad(p):
    """The gradient of ``rosenbrock`` at p = (x, y)."""
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x ** 2), 200 * (y - x ** 2)])


def bumpy(x):
    """x^4 - 3 x^2 + x: a local minimum near 1.131 and the global one near -1.301."""
    return x ** 4 - 3 * x ** 2 + x


def bumpy_grad(p):
    """The derivative 4 x^3 - 6 x + 1 of ``bumpy`` at p = (x,)."""
    return np.array([4 * p[0] ** 3 - 6 * p[0] + 1])


def descend(grad, start, lr, beta=0.0, steps=1000):
    """``steps`` steps of ``SGD(lr, momentum=beta)`` from ``start``; the path (steps + 1, d).

    The engine's optimizer steps a parameter array p with its gradient array g, as it steps a
    network's weights.
    """
    if not 0 <= beta < 1:
        raise ValueError(f"momentum beta must be in [0, 1), got {beta!r}")
    p = np.array(start, dtype=np.float64)
    g = np.zeros_like(p)
    optimizer = SGD(lr=lr, momentum=beta)
    path = [p.copy()]
    for _ in range(steps):
        g[...] = grad(p)
        optimizer.step([(p, g)])
        path.append(p.copy())
    return np.array(path)


def valley(start=(-1.5, 2.0), lr=1e-3, steps=2000, betas=(0.0, 0.9), tol=1e-2):
    """Both methods in Rosenbrock's valley: each path, its end, its distance to (1, 1) and the
    first step within ``tol`` of it (None if never)."""
    runs = {}
    for beta in betas:
        path = descend(rosenbrock_grad, start, lr, beta, steps)
        dist = np.linalg.norm(path - [1.0, 1.0], axis=1)
        close = np.flatnonzero(dist < tol)
        runs[beta] = {"path": path, "end": path[-1], "distance": float(dist[-1]),
                      "steps_to_tol": int(close[0]) if len(close) else None}
    return {"start": start, "lr": lr, "steps": steps, "tol": tol, "runs": runs}


def local_minimum(start=2.0, lr=0.01, steps=300, betas=BETAS):
    """Each beta from x = ``start`` on ``bumpy``: the path, where it ends and f there."""
    runs = {}
    for beta in betas:
        path = descend(bumpy_grad, (start,), lr, beta, steps)[:, 0]
        runs[beta] = {"path": path, "end": float(path[-1]), "f_end": float(bumpy(path[-1]))}
    return {"start": start, "lr": lr, "steps": steps, "runs": runs}


def report(result):
    """Where each method got to, in the valley and on the bumpy curve."""
    v, b = result["valley"], result["local_minimum"]
    lines = [f"Rosenbrock's valley from {v['start']}, lr {v['lr']}, {v['steps']} steps:"]
    for beta, r in v["runs"].items():
        reach = (f"within {v['tol']} of (1, 1) after {r['steps_to_tol']} steps"
                 if r["steps_to_tol"] is not None else f"never within {v['tol']} of (1, 1)")
        lines.append(f"  beta {beta:<4}: ends at ({r['end'][0]:.4f}, {r['end'][1]:.4f}), "
                     f"distance {r['distance']:.2e}; {reach}")
    lines.append(f"f(x) = x^4 - 3x^2 + x from x = {b['start']}, lr {b['lr']}, {b['steps']} "
                 "steps:")
    for beta, r in b["runs"].items():
        where = "the deeper minimum" if r["end"] < 0 else "the shallow local minimum"
        lines.append(f"  beta {beta:<4}: ends at x = {r['end']:.4f}, f = {r['f_end']:.4f} "
                     f"({where})")
    return "\n".join(lines)


def plot(result):
    """The valley's contours with both paths; the bumpy curve with where each beta stops; and
    x against the step for each beta."""
    fig, (ax0, ax1, ax2) = new_figure(1, 3, figsize=(17, 5))
    xx, yy = np.meshgrid(np.linspace(-2, 2, 300), np.linspace(-1, 3, 300))
    ax0.contour(xx, yy, rosenbrock(xx, yy), levels=np.geomspace(0.05, 2500, 18),
                colors="gray", linewidths=0.6)
    for beta, r in sorted(result["valley"]["runs"].items(), reverse=True):
        name = "plain gradient descent" if beta == 0 else f"momentum beta = {beta}"
        style = {"lw": 4, "alpha": 0.6} if beta == 0 else {"lw": 1.2}
        ax0.plot(*r["path"].T, label=f"{name}: ends {r['distance']:.1e} from (1, 1)", **style)
        ax0.plot(*r["end"], "o", ms=8, color=ax0.lines[-1].get_color())
    ax0.plot(1, 1, "k*", ms=14, label="minimum (1, 1)")
    ax0.set_xlabel("x")
    ax0.set_ylabel("y")
    ax0.set_title(f"A curved valley, {result['valley']['steps']} steps each (dots: the ends)",
                  fontsize=10)
    ax0.legend(fontsize=8, loc="upper left")
    b = result["local_minimum"]
    xs = np.linspace(-1.9, 2.05, 400)
    ax1.plot(xs, bumpy(xs), color="k", lw=1.5)
    ax1.plot(b["start"], bumpy(b["start"]), "ks", ms=8, label=f"start x = {b['start']}")
    for beta, r in b["runs"].items():
        ax1.plot(r["end"], r["f_end"], "o", ms=16 - 4 * list(b["runs"]).index(beta),
                 label=f"beta = {beta} stops at x = {r['end']:.3f}")
        ax2.plot(r["path"], label=f"beta = {beta}")
    ax1.set_xlabel("x")
    ax1.set_ylabel("f(x)")
    ax1.set_title("f(x) = x^4 - 3x^2 + x: where each run stops", fontsize=10)
    ax1.legend(fontsize=8)
    for x_min in (1.1309, -1.3008):
        ax2.axhline(x_min, color="gray", ls=":", lw=1)
    ax2.set_xlabel("step")
    ax2.set_ylabel("x")
    ax2.set_title("x during descent: with beta = 0.9 it rolls over the hump", fontsize=10)
    ax2.legend(fontsize=8)
    fig.tight_layout()
    return fig


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson momentum``: momentum against plain SGD, two loss surfaces."""
    say = speaker(verbose)
    result = {"valley": valley(), "local_minimum": local_minimum()}
    say(report(result))
    result["figure"] = save_figure(plot(result), out, "momentum.png")
    say(f"figure: {result['figure']}")
    return result
