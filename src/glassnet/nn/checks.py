"""Input checks at the engine's boundary (``fit``, ``predict``, ``evaluate``): once, up front,
with messages that name the argument; nothing inside the batch loop checks again."""

from __future__ import annotations

import sys

import numpy as np

__all__ = ["check_count", "check_data", "check_dtype", "check_features", "check_sample_weight",
           "is_sparse"]


def is_sparse(x):
    """Whether x is a SciPy sparse matrix or array.

    SciPy is imported only when sparse input arrives: if ``scipy.sparse`` was never imported,
    nothing can be one of its matrices, so the engine itself needs NumPy alone.
    """
    if isinstance(x, np.ndarray):
        return False
    sparse = sys.modules.get("scipy.sparse")
    return sparse is not None and sparse.issparse(x)


def check_dtype(dtype):
    """``dtype`` as a NumPy dtype, float32 or float64."""
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    return dtype


def check_count(name, value, allow_none=False):
    """``value`` as a positive int (or None when allowed)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def check_features(X, name, n_features, dtype):
    """X as a 2-D float array (or CSR matrix) of ``dtype``; clear errors for anything else."""
    if is_sparse(X):
        import scipy.sparse as sp

        X = sp.csr_matrix(X, dtype=dtype)
        values = X.data
    else:
        try:
            X = np.asarray(X)
        except (ValueError, TypeError) as e:
            raise TypeError(f"{name} must be a 2-D numeric array: {e}") from None
        if X.dtype == object or not (np.issubdtype(X.dtype, np.number) or X.dtype == bool):
            raise TypeError(f"{name} must hold numbers, got dtype {X.dtype}")
        X = X.astype(dtype, copy=False)
        values = X
    if X.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (n_samples, n_features), got shape {X.shape}; "
            "reshape a single feature with X.reshape(-1, 1)"
        )
    if X.shape[0] == 0:
        raise ValueError(f"{name} is empty: it has no samples")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(f"{name} has {X.shape[1]} features but the model expects {n_features}")
    # A sum is finite exactly when every entry is, unless it overflows (then look closer); it
    # needs no boolean temporary the size of X, which would count against fit's peak memory.
    with np.errstate(over="ignore", invalid="ignore"):
        suspicious = not np.isfinite(np.sum(values))
    if suspicious and not np.all(np.isfinite(values)):
        bad = np.argwhere(~np.isfinite(X.toarray() if is_sparse(X) else X))[0]
        raise ValueError(
            f"{name} contains NaN or infinity (first at row {bad[0]}, column {bad[1]})"
        )
    return X


def check_data(X, y, loss, n_features, n_outputs, dtype, xname="X", yname="y"):
    """``(X, Y)``: checked features and the targets in the form ``loss`` works on."""
    X = check_features(X, xname, n_features, dtype)
    y = np.asarray(y)
    if y.ndim == 0 or y.shape[0] != X.shape[0]:
        raise ValueError(
            f"{xname} has {X.shape[0]} samples but {yname} has {0 if y.ndim == 0 else y.shape[0]}"
        )
    if not (np.issubdtype(y.dtype, np.number) or y.dtype == bool):
        raise TypeError(
            f"{yname} must be numeric (dtype {y.dtype}); encode class names as integers 0..C-1"
        )
    if not np.all(np.isfinite(y)):
        raise ValueError(f"{yname} contains NaN or infinity")
    try:
        Y = loss.prepare_target(y, (X.shape[0], n_outputs), dtype)
    except ValueError as e:
        raise ValueError(f"{yname}: {e}") from None
    return X, Y


def check_sample_weight(sample_weight, n, dtype):
    """Per-sample weights as a (n,) array of ``dtype``, finite and >= 0 (None stays None)."""
    if sample_weight is None:
        return None
    sample_weight = np.asarray(sample_weight, dtype=dtype)
    if sample_weight.shape != (n,) or not np.all(np.isfinite(sample_weight)) or \
            np.any(sample_weight < 0):
        raise ValueError(f"sample_weight must be finite and >= 0 with shape ({n},)")
    return sample_weight
