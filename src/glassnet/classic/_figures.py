"""Plumbing for the lessons' output: figures, PNG files, network drawings, tables, printing.

Figures are built on ``matplotlib.figure.Figure`` directly, never through pyplot: glassnet
neither switches the matplotlib backend nor leaves figures in pyplot's global list, so it is
safe in a notebook (a returned ``Figure`` shows inline there) and on a headless server alike.
"""

from __future__ import annotations

from pathlib import Path

from ..paths import DEFAULT_OUT

__all__ = ["DEFAULT_OUT", "blank_figure", "draw_network", "new_figure", "print_table",
           "save_figure", "speaker"]


def new_figure(nrows=1, ncols=1, figsize=(6.4, 4.8), **subplots_kw):
    """A new ``Figure`` of ``figsize`` inches and its axes (as ``Figure.subplots`` returns them).

    >>> fig, (ax0, ax1) = new_figure(1, 2, figsize=(8, 3))
    >>> type(fig).__name__, len(fig.axes)
    ('Figure', 2)
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize)
    return fig, fig.subplots(nrows, ncols, **subplots_kw)


def blank_figure(figsize=(6.4, 4.8)):
    """A new ``Figure`` without axes (add them with ``add_subplot`` or ``add_gridspec``)."""
    from matplotlib.figure import Figure

    return Figure(figsize=figsize)


def save_figure(fig, out, name):
    """Write ``fig`` to ``out/name`` as PNG (creating ``out``); returns the path."""
    folder = Path(DEFAULT_OUT if out is None else out)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    fig.savefig(path, dpi=100, bbox_inches="tight")
    return path


def speaker(verbose):
    """``print`` when ``verbose``, else a function that prints nothing."""
    return print if verbose else (lambda *args, **kwargs: None)


def draw_network(ax, sizes, weights, values=None, labels=None, title=None):
    """Draw a fully connected network: one column of circles per layer, one line per weight.

    sizes: units per layer, e.g. [3, 2, 1]; weights[k] has shape (sizes[k], sizes[k+1]) (the
    engine's Dense W); line width grows with |w|, colour is its sign (blue +, red -).
    values[k] (optional) are printed inside layer k's circles; labels[k] names the column.
    """
    import numpy as np

    xs = np.linspace(0.0, 1.0, len(sizes))
    pos = [[(x, y) for y in (np.linspace(0.85, 0.15, n) if n > 1 else [0.5])]
           for x, n in zip(xs, sizes)]
    scale = max((float(np.max(np.abs(w))) for w in weights), default=1.0) or 1.0
    for k, w in enumerate(weights):
        w = np.asarray(w).reshape(sizes[k], sizes[k + 1])
        for i, (x0, y0) in enumerate(pos[k]):
            for j, (x1, y1) in enumerate(pos[k + 1]):
                ax.plot([x0, x1], [y0, y1], color="tab:blue" if w[i, j] >= 0 else "tab:red",
                        lw=0.5 + 3.0 * abs(w[i, j]) / scale, alpha=0.7, zorder=1)
                # stagger the labels along the lines so crossing lines keep them apart
                f = 0.22 + 0.4 * j / max(1, sizes[k + 1] - 1)
                ax.text(x0 + f * (x1 - x0), y0 + f * (y1 - y0), f"{w[i, j]:.3g}",
                        fontsize=7, ha="center", va="center", zorder=3,
                        bbox={"fc": "white", "ec": "none", "alpha": 0.7, "pad": 0.5})
    for k, column in enumerate(pos):
        for i, (x, y) in enumerate(column):
            ax.scatter([x], [y], s=900, color="white", edgecolor="black", zorder=2)
            if values is not None and values[k] is not None:
                ax.text(x, y, f"{np.ravel(values[k])[i]:.4g}", fontsize=7, ha="center",
                        va="center", zorder=4)
        if labels is not None:
            ax.text(xs[k], 0.02, labels[k], ha="center", va="bottom", fontsize=9)
    ax.set_xlim(-0.12, 1.12)
    ax.set_ylim(-0.02, 1.0)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)


def print_table(title, columns, rows):
    """Print rows (lists of strings) as a rich table; wide enough never to wrap its cells."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for i, col in enumerate(columns):
        table.add_column(col, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*map(str, row))
    Console(width=max(100, sum(len(c) + 5 for c in columns))).print(table)
