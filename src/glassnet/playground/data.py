"""The playground's data: six toy data sets on the plane, the input features, and CSV upload.

Points live in the square [-6, 6]^2 (``DOMAIN``), as in TensorFlow Playground, whose data sets
these follow: circle, exclusive-or, two Gaussians and spiral for classification (labels 0 and
1), plane and multi-Gaussian for regression (targets in [-1, 1]). Every draw comes from a
``numpy.random.Generator`` built from a seed, so a seed and the settings fix the points.

Shapes: ``X`` (n, 2) holds the coordinates (x1, x2); ``y`` (n,) the label or target.
``make_features(X, names)`` turns the coordinates into the network's inputs, (n, len(names)).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "CLASSIFICATION", "DATASETS", "DOMAIN", "FEATURES", "REGRESSION", "CsvTable",
    "csv_points", "grid_points", "make_features", "make_points", "read_csv_text", "shuffle",
    "split",
]

#: the input plane is [-DOMAIN, DOMAIN] on both axes
DOMAIN = 6.0
CLASSIFICATION = ("circle", "xor", "gauss", "spiral")
REGRESSION = ("plane", "multigauss")
DATASETS = CLASSIFICATION + REGRESSION

#: input features: name -> (label shown on the page, function of the coordinates)
FEATURES = {
    "x1": ("X₁", lambda a, b: a),
    "x2": ("X₂", lambda a, b: b),
    "x1sq": ("X₁²", lambda a, b: a * a),
    "x2sq": ("X₂²", lambda a, b: b * b),
    "x1x2": ("X₁X₂", lambda a, b: a * b),
    "sinx1": ("sin(X₁)", lambda a, b: np.sin(a)),
    "sinx2": ("sin(X₂)", lambda a, b: np.sin(b)),
}


def _circle(n, noise, rng):
    """Class 1 inside radius 2.5, class 0 in the ring 3.5..5; the label is that of the point
    moved by the noise, so noise puts points on the wrong side of the circle."""
    radius = 5.0
    half = n // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, half), rng.uniform(radius * 0.7, radius,
                                                                         n - half)])
    angle = rng.uniform(0, 2 * math.pi, n)
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    moved = X + rng.uniform(-radius, radius, (n, 2)) * noise
    y = (np.hypot(moved[:, 0], moved[:, 1]) < radius * 0.5).astype(np.float64)
    return X, y


def _xor(n, noise, rng):
    """Class 1 where x1 x2 >= 0 (first and third quadrants); a 0.3 gap keeps the axes clear."""
    X = rng.uniform(-5, 5, (n, 2))
    X += np.where(X > 0, 0.3, -0.3)
    moved = X + rng.uniform(-5, 5, (n, 2)) * noise
    return X, (moved[:, 0] * moved[:, 1] >= 0).astype(np.float64)


def _gauss(n, noise, rng):
    """Two Gaussian blobs at (2, 2) (class 1) and (-2, -2) (class 0); noise widens them: the
    variance goes linearly from 0.5 at noise 0 to 4 at noise 0.5."""
    variance = 0.5 + 7.0 * noise
    half = n // 2
    centers = np.repeat([[2.0, 2.0], [-2.0, -2.0]], [half, n - half], axis=0)
    X = centers + rng.normal(0, math.sqrt(variance), (n, 2))
    y = np.repeat([1.0, 0.0], [half, n - half])
    return X, y


def _spiral(n, noise, rng):
    """Two interleaved arms, 1.75 turns each, the second rotated by pi."""
    half = n // 2
    parts = []
    for count, delta, label in ((half, 0.0, 1.0), (n - half, math.pi, 0.0)):
        i = np.arange(count)
        r = i / count * 5
        t = 1.75 * i / count * 2 * math.pi + delta
        x = np.column_stack([r * np.sin(t), r * np.cos(t)])
        x += rng.uniform(-1, 1, (count, 2)) * noise
        parts.append((x, np.full(count, label)))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _plane(n, noise, rng):
    """y = (x1 + x2) / 10, read at the point moved by the noise."""
    X = rng.uniform(-DOMAIN, DOMAIN, (n, 2))
    moved = X + rng.uniform(-DOMAIN, DOMAIN, (n, 2)) * noise
    return X, (moved[:, 0] + moved[:, 1]) / 10


_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1],
                   [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]], dtype=np.float64)


def _multigauss(n, noise, rng):
    """Six bumps of height +-1 falling linearly to 0 at distance 2; y is the tallest in
    absolute value where the bumps meet."""
    X = rng.uniform(-DOMAIN, DOMAIN, (n, 2))
    moved = X + rng.uniform(-DOMAIN, DOMAIN, (n, 2)) * noise
    d = np.hypot(moved[:, None, 0] - _BUMPS[:, 0], moved[:, None, 1] - _BUMPS[:, 1])
    heights = _BUMPS[:, 2] * np.clip(1 - d / 2, 0, 1)  # (n, 6)
    pick = np.argmax(np.abs(heights), axis=1)
    return X, heights[np.arange(n), pick]


_GENERATORS = {"circle": _circle, "xor": _xor, "gauss": _gauss, "spiral": _spiral,
               "plane": _plane, "multigauss": _multigauss}


def make_points(dataset, n=500, noise=0.0, seed=0):
    """``n`` points of ``dataset`` (one of ``DATASETS``) with ``noise`` in [0, 0.5].

    Returns X (n, 2) and y (n,), shuffled, all drawn from ``default_rng(seed)``.
    """
    if dataset not in _GENERATORS:
        raise ValueError(f"unknown dataset {dataset!r}; choose one of {list(DATASETS)}")
    if not 0 <= noise <= 0.5:
        raise ValueError(f"noise must be in [0, 0.5], got {noise!r}")
    rng = np.random.default_rng(seed)
    X, y = _GENERATORS[dataset](int(n), float(noise), rng)
    order = rng.permutation(len(y))
    return X[order], y[order]


def shuffle(X, y, seed):
    """X and y with their rows in the order of ``default_rng(seed).permutation``."""
    order = np.random.default_rng(seed).permutation(len(y))
    return X[order], y[order]


def split(X, y, train_percent):
    """The first ``train_percent`` % of the (already shuffled) rows train, the rest test:
    X_train, y_train, X_test, y_test."""
    cut = int(len(y) * train_percent / 100)
    return X[:cut], y[:cut], X[cut:], y[cut:]


def make_features(X, names):
    """The network's inputs for coordinates X (n, 2): one column per feature name, in order."""
    unknown = [name for name in names if name not in FEATURES]
    if unknown:
        raise ValueError(f"unknown features {unknown}; choose from {list(FEATURES)}")
    a, b = X[:, 0], X[:, 1]
    return np.column_stack([FEATURES[name][1](a, b) for name in names]).astype(X.dtype)


def grid_points(size):
    """The (size * size, 2) points of a size x size grid over the plane, in image order: row r
    (top to bottom) has x2 = DOMAIN ... -DOMAIN, column c has x1 = -DOMAIN ... DOMAIN."""
    ticks = np.linspace(-DOMAIN, DOMAIN, size)
    x1, x2 = np.meshgrid(ticks, ticks[::-1])
    return np.column_stack([x1.ravel(), x2.ravel()])


# ---------------------------------------------------------------- your own data (CSV)
@dataclass
class CsvTable:
    """The numeric columns of an uploaded CSV file."""

    name: str
    columns: dict  # column name -> float64 array (NaN where a value is missing)
    n_rows: int

    def describe(self):
        return {"name": self.name, "rows": self.n_rows, "columns": list(self.columns)}


def read_csv_text(text, name="data.csv", *, max_bytes=1_000_000, max_rows=2000):
    """Parse CSV ``text`` (with a header row) and keep its numeric columns.

    Errors name the file and say what to change: too large, too many rows, no numeric columns.
    """
    import pandas as pd

    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise ValueError(f"{name} is {size / 1e6:.1f} MB; the playground takes CSV files up to "
                         f"{max_bytes / 1e6:.1f} MB")
    if not text.strip():
        raise ValueError(f"{name} is empty")
    frame = None
    for sep in (",", ";", "\t"):  # the first separator that gives more than one column
        try:
            frame = pd.read_csv(io.StringIO(text), sep=sep)
        except Exception as e:  # pandas raises many types for malformed text: all say "not CSV"
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise ValueError(f"{name} could not be read as CSV: {first}") from None
        if frame.shape[1] > 1:
            break
    if len(frame) > max_rows:
        raise ValueError(f"{name} has {len(frame):,} rows; the playground takes at most "
                         f"{max_rows:,} (take a sample of your data first)")
    if len(frame) < 10:
        raise ValueError(f"{name} has {len(frame)} data rows; the playground needs at least 10")
    columns = {}
    for col in frame.columns:
        values = np.array(pd.to_numeric(frame[col], errors="coerce"), dtype=np.float64)
        values[~np.isfinite(values)] = np.nan
        # a column counts as numeric when most of its values are numbers
        if np.count_nonzero(~np.isnan(values)) >= max(2, 0.9 * len(values)):
            columns[str(col)[:100]] = values
    if len(columns) < 2:
        found = ", ".join(columns) or "none"
        raise ValueError(f"{name} needs at least two numeric columns (a feature and the "
                         f"target); numeric columns found: {found}")
    return CsvTable(name=str(name)[:200], columns=columns, n_rows=len(frame))


def csv_points(table, x1, x2, target, problem="auto"):
    """Points of an uploaded table: features ``x1`` and ``x2`` scaled onto [-5, 5] (so the
    plane, the features sin(X) and X^2 and the default learning rate all fit), and the target:
    its two values as labels 0 and 1 (classification) or scaled onto [-1, 1] (regression).

    Rows with a missing value in any of the three columns are dropped. Returns X (n, 2),
    y (n,), the problem and a dict describing the scaling (for the Python panel and the page).
    """
    for role, col in (("x1", x1), ("x2", x2), ("target", target)):
        if col not in table.columns:
            raise ValueError(f"{role}: {table.name} has no numeric column {col!r}; numeric "
                             f"columns: {list(table.columns)}")
    if target in (x1, x2):
        raise ValueError(f"the target column {target!r} cannot also be a feature")
    raw = np.column_stack([table.columns[x1], table.columns[x2], table.columns[target]])
    keep = ~np.isnan(raw).any(axis=1)
    raw = raw[keep]
    if len(raw) < 10:
        raise ValueError(f"only {len(raw)} rows of {table.name} have all three columns filled; "
                         "the playground needs at least 10")
    scaling = {"dropped_rows": int(np.count_nonzero(~keep)), "features": {}}
    X = np.empty((len(raw), 2))
    for j, col in enumerate((x1, x2)):
        lo, hi = float(raw[:, j].min()), float(raw[:, j].max())
        if hi == lo:
            raise ValueError(f"column {col!r} is constant ({lo:g}): it cannot be a feature")
        X[:, j] = (raw[:, j] - lo) / (hi - lo) * 10 - 5
        scaling["features"][col] = [lo, hi]
    t = raw[:, 2]
    values = np.unique(t)
    if problem == "auto":
        problem = "classification" if len(values) == 2 else "regression"
    if problem == "classification":
        if len(values) != 2:
            raise ValueError(f"target {target!r} has {len(values)} distinct values; "
                             "classification here needs exactly two (or choose regression)")
        y = (t == values[1]).astype(np.float64)
        scaling["classes"] = [float(values[0]), float(values[1])]
    elif problem == "regression":
        lo, hi = float(values[0]), float(values[-1])
        if hi == lo:
            raise ValueError(f"target {target!r} is constant ({lo:g}): nothing to learn")
        y = (t - lo) / (hi - lo) * 2 - 1
        scaling["target"] = [lo, hi]
    else:
        raise ValueError(f"problem must be 'auto', 'classification' or 'regression', "
                         f"got {problem!r}")
    return X, y, problem, scaling
