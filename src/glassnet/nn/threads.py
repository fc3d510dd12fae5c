"""How many BLAS threads ``fit`` lets NumPy use: one for small networks, the default otherwise.

A matrix product of a small network (a batch of 200 rows through 64 units) takes a few
microseconds; splitting it over threads costs more in waking and synchronising them than it
saves, and on a machine whose cores are busy with other work a thread that has to wait for a
core stalls every step. ``docs/design.md`` ("BLAS threads for small networks") has the
measurements behind the rule: products up to ``SMALL_PRODUCT`` multiply-adds run on one thread.

The thread count is set with threadpoolctl, an optional dependency (the engine needs NumPy
alone: without threadpoolctl, BLAS keeps its own setting) and restored when ``fit`` returns or
raises.
"""

from __future__ import annotations

import contextlib

__all__ = ["SMALL_PRODUCT", "blas_threads", "threads_for"]

# Multiply-adds in the largest product of one batch at or below which one thread is faster.
SMALL_PRODUCT = 2_000_000


def threads_for(threads, layers, rows):
    """The BLAS thread limit for training ``layers`` on batches of ``rows`` rows.

    ``threads``: ``"auto"`` (1 when the largest product, rows x n_in x n_out over the Dense
    layers, has at most ``SMALL_PRODUCT`` multiply-adds, else no limit), a positive int (that
    many), or None (no limit: BLAS as configured). Returns an int or None.
    """
    if threads is None:
        return None
    if threads == "auto":
        sizes = [getattr(layer, "n_in", 0) * getattr(layer, "n_out", 0) for layer in layers]
        largest = int(rows) * max(sizes, default=0)
        return 1 if largest <= SMALL_PRODUCT else None
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise ValueError(f"threads must be 'auto', a positive integer or None, got {threads!r}")
    return threads


def blas_threads(limit):
    """A context in which NumPy's BLAS uses at most ``limit`` threads (None: unchanged; also
    unchanged without threadpoolctl). The previous setting is restored on exit."""
    if limit is None:
        return contextlib.nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=limit, user_api="blas")
