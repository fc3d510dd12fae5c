"""Pictures of a training run: learning curve, confusion matrix, predicted against actual,
residuals.

Each function takes the numbers, builds a ``matplotlib.figure.Figure`` (never through pyplot,
and without touching the backend, so it is safe in a notebook, where the returned figure
shows inline, and on a headless server) and returns it; given a ``path`` it also writes the
figure there as PNG.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["confusion_matrix_plot", "learning_curve", "predicted_vs_actual", "residuals_plot"]

def _figure(figsize, nrows=1, ncols=1):
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize)
    return fig, fig.subplots(nrows, ncols)


def _finish(fig, path):
    """Lay the figure out and, given a path, write it there (creating its folder)."""
    fig.tight_layout()
    if path is not None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=110)
    return fig


def learning_curve(history, path=None, title="Learning curve", best_epoch=None, ylabel="loss"):
    """Training (and validation) loss per epoch; ``history`` is a ``History`` or its dict."""
    logs = getattr(history, "history", history)
    if "loss" not in logs or not logs["loss"]:
        raise ValueError("history has no 'loss' values to plot")
    epochs = np.arange(1, len(logs["loss"]) + 1)
    fig, ax = _figure((6.4, 4.2))
    ax.plot(epochs, logs["loss"], label="training loss")
    if logs.get("val_loss"):
        ax.plot(epochs, logs["val_loss"], label="validation loss")
    if best_epoch is not None:
        ax.axvline(best_epoch + 1, color="grey", linestyle=":",
                   label=f"best epoch {best_epoch + 1}")
    values = np.concatenate([np.asarray(logs["loss"]), np.asarray(logs.get("val_loss") or [])])
    if values.min() > 0 and values.max() / values.min() > 50:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3)
    return _finish(fig, path)


def confusion_matrix_plot(cm, labels, path=None, title="Confusion matrix (test)"):
    """Counts of true class (rows) against predicted class (columns), each cell annotated."""
    cm = np.asarray(cm)
    k = cm.shape[0]
    if cm.shape != (k, k) or len(labels) != k:
        raise ValueError(f"confusion matrix {cm.shape} and {len(labels)} labels do not agree")
    size = min(12.0, 2.5 + 0.6 * k)
    fig, ax = _figure((size, size * 0.85))
    image = ax.imshow(cm, cmap="Blues")
    fig.colorbar(image, ax=ax, fraction=0.046)
    names = [str(lab) for lab in labels]
    ax.set_xticks(range(k), names, rotation=45 if max(map(len, names)) > 3 else 0, ha="right")
    ax.set_yticks(range(k), names)
    threshold = cm.max() / 2 if cm.size else 0
    for i in range(k):
        for j in range(k):
            ax.text(j, i, str(cm[i, j]), ha="center", va="center",
                    color="white" if cm[i, j] > threshold else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    return _finish(fig, path)


def predicted_vs_actual(y_true, y_pred, path=None, title="Predicted vs actual (test)",
                        label="target"):
    """Each sample as a point (actual, predicted) with the y = x line a perfect model lies on."""
    y_true, y_pred = np.ravel(y_true), np.ravel(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true {y_true.shape} and y_pred {y_pred.shape} differ in length")
    fig, ax = _figure((5.4, 5.0))
    ax.scatter(y_true, y_pred, s=10, alpha=0.6)
    lo, hi = min(y_true.min(), y_pred.min()), max(y_true.max(), y_pred.max())
    ax.plot([lo, hi], [lo, hi], color="black", linewidth=1, label="predicted = actual")
    ax.set_xlabel(f"actual {label}")
    ax.set_ylabel(f"predicted {label}")
    ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3)
    return _finish(fig, path)


def residuals_plot(y_true, y_pred, path=None, title="Residuals (test)", label="target"):
    """Residual (actual - predicted) against the prediction, and their histogram."""
    y_true, y_pred = np.ravel(y_true), np.ravel(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true {y_true.shape} and y_pred {y_pred.shape} differ in length")
    resid = y_true - y_pred
    fig, (ax1, ax2) = _figure((9.0, 4.0), 1, 2)
    ax1.scatter(y_pred, resid, s=10, alpha=0.6)
    ax1.axhline(0, color="black", linewidth=1)
    ax1.set_xlabel(f"predicted {label}")
    ax1.set_ylabel("actual - predicted")
    ax1.grid(alpha=0.3)
    ax2.hist(resid, bins=min(40, max(5, len(resid) // 5)))
    ax2.set_xlabel("actual - predicted")
    ax2.set_ylabel("samples")
    fig.suptitle(title)
    return _finish(fig, path)
