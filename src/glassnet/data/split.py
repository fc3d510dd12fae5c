"""Train / validation / test splits: random (seeded), stratified, and time-ordered.

Every function returns three tables ``(train, val, test)`` of the rows of ``data`` (a pandas
DataFrame or Series, or a NumPy array), each in the original row order. Sizes are fractions of
all rows (``0.2``) or row counts (``50``); a size of 0 gives an empty part.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError
from .reading import row_name

__all__ = ["split_indices", "time_split", "train_val_test_split"]


def _take(data, idx):
    return data.iloc[idx] if isinstance(data, (pd.DataFrame, pd.Series)) else np.asarray(data)[idx]


def _count(size, n, name):
    """Rows meant by ``size``: a fraction in [0, 1) of ``n``, or a whole count."""
    if isinstance(size, bool) or not isinstance(size, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a fraction or a row count, got {size!r}")
    if size < 0:
        raise DataError(f"{name} must be >= 0, got {size!r}")
    if size < 1:
        return round(float(size) * n)
    if not float(size).is_integer():
        raise DataError(f"{name} must be a fraction below 1 or a whole row count, got {size!r}")
    if size >= n:
        raise DataError(f"{name}={size} rows leaves no training rows out of {n}")
    return int(size)


def split_indices(n, val_size=0.2, test_size=0.2, seed=0, stratify=None, shuffle=True):
    """Row indices ``(train, val, test)`` (each sorted) for ``n`` rows.

    ``stratify``: labels (n,) whose class proportions every part keeps: each class is shuffled
    on its own and gives the part its share of rows, rounded so that the part has exactly the
    rows asked for (``test_size=11`` gives 11 test rows) and every class keeps at least one
    training row.
    ``shuffle=False`` cuts the rows in order: train first, then val, then test.
    """
    n_test = _count(test_size, n, "test_size")
    n_val = _count(val_size, n, "val_size")
    if n_test + n_val >= n:
        raise DataError(f"val_size and test_size leave no training rows out of {n}")
    if not shuffle:
        if stratify is not None:
            raise DataError("stratify needs shuffle=True")
        idx = np.arange(n)
        return idx[: n - n_val - n_test], idx[n - n_val - n_test: n - n_test], idx[n - n_test:]
    rng = np.random.default_rng(seed)
    if stratify is None:
        order = rng.permutation(n)
        parts = order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
    else:
        labels = np.asarray(stratify)
        if labels.shape != (n,):
            raise DataError(f"stratify must hold one label per row ({n}), got {labels.shape}")
        if pd.isna(labels).any():
            raise DataError("stratify labels must not be missing")
        test, val, train = [], [], []
        _, codes = np.unique(labels.astype(str), return_inverse=True)
        sizes = np.bincount(codes)
        # Every class keeps at least one training row; the rest is shared out exactly.
        k_test = _apportion(n_test, sizes, sizes - 1, rng)
        k_val = _apportion(n_val, sizes, sizes - 1 - k_test, rng)
        for c in range(len(sizes)):
            members = rng.permutation(np.nonzero(codes == c)[0])
            test.append(members[:k_test[c]])
            val.append(members[k_test[c]:k_test[c] + k_val[c]])
            train.append(members[k_test[c] + k_val[c]:])
        parts = np.concatenate(test), np.concatenate(val), np.concatenate(train)
    test_idx, val_idx, train_idx = (np.sort(p).astype(np.int64) for p in parts)
    return train_idx, val_idx, test_idx


def _apportion(total, sizes, room, rng):
    """Whole counts per class summing to ``total``, each as close to its share
    ``total * size / n`` as whole numbers allow (largest remainders first, ties in a seeded
    random order) and none above ``room`` (what a class can give)."""
    if total > room.sum():
        raise DataError(f"cannot take {total} rows and still leave every class a training row "
                        f"(classes of sizes {sorted(sizes.tolist())}); take fewer rows")
    share = total * sizes / sizes.sum()
    counts = np.minimum(np.floor(share).astype(np.int64), room)
    tie = rng.permutation(len(sizes))
    while counts.sum() < total:
        # the class furthest below its share that can still give a row
        gap = np.where(counts < room, share - counts, -np.inf)
        best = max(range(len(sizes)), key=lambda c: (gap[c], -tie[c]))
        counts[best] += 1
    return counts


def train_val_test_split(data, val_size=0.2, test_size=0.2, *, seed=0, stratify=None,
                         shuffle=True):
    """``(train, val, test)`` parts of ``data``: random with ``seed``, or stratified.

    ``stratify`` is a column name of ``data`` or an array of labels (n,).
    """
    n = len(data)
    if n < 3:
        raise DataError(f"need at least 3 rows to split, got {n}")
    if isinstance(stratify, str):
        if not isinstance(data, pd.DataFrame) or stratify not in data.columns:
            raise DataError(f"stratify column {stratify!r} is not in the data")
        stratify = data[stratify].to_numpy()
    parts = split_indices(n, val_size, test_size, seed, stratify, shuffle)
    return tuple(_take(data, idx) for idx in parts)


def time_split(data, test_size=None, val_size=None, *, test_days=None, val_days=None,
               time_column=None):
    """``(train, val, test)`` in time order: the last rows (or days) are the test part, the
    ones just before are validation, everything earlier is training.

    With ``time_column`` the rows are first put in time order (stable) and ``test_days`` /
    ``val_days`` count calendar days back from the last timestamp: ``test_days=21`` puts the
    final 21 days in test. Without it rows are taken as already in order and only row counts
    or fractions (``test_size``, ``val_size``) apply.
    """
    n = len(data)
    if (test_size is None) == (test_days is None):
        raise DataError("give exactly one of test_size (rows) and test_days (days)")
    if val_size is not None and val_days is not None:
        raise DataError("give at most one of val_size and val_days")
    if time_column is not None:
        if not isinstance(data, pd.DataFrame) or time_column not in data.columns:
            raise DataError(f"time_column {time_column!r} is not in the data")
        times = pd.to_datetime(data[time_column], errors="coerce", format="mixed", utc=True)
        if times.isna().any():
            row = data.index[int(np.argmax(times.isna().to_numpy()))]
            raise DataError(f"time_column {time_column!r}: {row_name(row)} is not a date/time")
        order = np.argsort(times.to_numpy(), kind="stable")
        data, times = _take(data, order), times.iloc[order].reset_index(drop=True)
    elif test_days is not None or val_days is not None:
        raise DataError("test_days/val_days need time_column")
    if test_days is not None or val_days is not None:
        days = times.dt.normalize()
        last = days.iloc[-1]
        if test_days is not None:
            if test_days < 1:
                raise DataError(f"test_days must be >= 1, got {test_days}")
            test_start = last - pd.Timedelta(days=test_days - 1)
            n_test = int((days >= test_start).sum())
        else:
            n_test = _count(test_size, n, "test_size")
        if val_days is not None:
            if val_days < 1:
                raise DataError(f"val_days must be >= 1, got {val_days}")
            before = days.iloc[: n - n_test]
            if len(before) == 0:
                raise DataError("no rows are left before the test days")
            val_start = before.iloc[-1] - pd.Timedelta(days=val_days - 1)
            n_val = int((before >= val_start).sum())
        else:
            n_val = _count(val_size or 0, n, "val_size")
    else:
        n_test = _count(test_size, n, "test_size")
        n_val = _count(val_size or 0, n, "val_size")
    if n_test + n_val >= n:
        raise DataError(f"the test and validation parts take all {n} rows")
    cut_val, cut_test = n - n_test - n_val, n - n_test
    idx = np.arange(n)
    return (_take(data, idx[:cut_val]), _take(data, idx[cut_val:cut_test]),
            _take(data, idx[cut_test:]))
