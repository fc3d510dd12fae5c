"""Synthetic data sets drawn from a ``numpy.random.Generator`` (pass ``seed`` or ``rng``)."""

from __future__ import annotations

import numpy as np

__all__ = ["make_blobs", "make_moons", "make_spirals", "make_xor"]


def make_xor(dtype=np.float64):
    """The four rows of the XOR truth table: X (4, 2), y (4,) = x1 XOR x2."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=dtype)
    return X, np.array([0, 1, 1, 0])


def make_spirals(n_per_class=100, n_classes=3, noise=0.2, seed=None, rng=None):
    """Interleaved 2-D spiral arms, one per class (CS231n's toy problem; not linearly separable).

    Returns X (n_per_class * n_classes, 2) float64 and integer labels y.
    """
    rng = rng if rng is not None else np.random.default_rng(seed)
    X = np.empty((n_per_class * n_classes, 2))
    y = np.repeat(np.arange(n_classes), n_per_class)
    r = np.linspace(0.0, 1.0, n_per_class)
    for c in range(n_classes):
        t = np.linspace(c * 4.0, (c + 1) * 4.0, n_per_class) + rng.normal(0, noise, n_per_class)
        X[c * n_per_class:(c + 1) * n_per_class] = np.c_[r * np.sin(t), r * np.cos(t)]
    return X, y


def make_moons(n_samples=200, noise=0.1, seed=None, rng=None):
    """Two interleaving half circles (binary labels), with Gaussian noise."""
    rng = rng if rng is not None else np.random.default_rng(seed)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    X = np.r_[np.c_[np.cos(t_out), np.sin(t_out)], np.c_[1 - np.cos(t_in), 0.5 - np.sin(t_in)]]
    X += rng.normal(0, noise, X.shape)
    y = np.r_[np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)]
    return X, y


def make_blobs(n_samples=300, centers=3, n_features=2, spread=1.0, seed=None, rng=None):
    """Gaussian clusters around random centres in [-10, 10]^n_features."""
    rng = rng if rng is not None else np.random.default_rng(seed)
    means = rng.uniform(-10, 10, size=(centers, n_features))
    y = rng.integers(0, centers, size=n_samples)
    return means[y] + rng.normal(0, spread, size=(n_samples, n_features)), y
