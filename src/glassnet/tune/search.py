"""``search``: run a study to ``n_trials`` finished trials, here or in ``jobs`` processes.

Everything a user can get wrong (space, metric, data, storage, a study created with other
settings) is checked before the first trial, so a bad call leaves an existing study untouched.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import sys
import time
from dataclasses import dataclass

import numpy as np

from ..errors import UsageError
from ..tracking import check_spec
from .objective import SECOND_METRICS, Objective, check_metric, make_folds
from .prepare import ArrayStandardizer
from .space import SearchSpace
from .study import (
    count_trials,
    make_pruner,
    make_sampler,
    open_storage,
    open_study,
    redact,
    run_worker,
)

__all__ = ["SearchJob", "search"]

DEFAULT_STORAGE = "sqlite:///glassnet-search.db"


@dataclass
class SearchJob:
    """Everything a worker process needs to run trials (picklable, sent to each worker)."""

    X: object
    y: object
    space: SearchSpace
    task: str
    metric: str
    n_trials: int
    storage: str
    study_name: str
    sampler: str
    folds: list
    make_prep: object
    seed: int
    prune: bool
    heartbeat: int
    n_classes: int | None
    verbose: bool
    log: tuple = ()

    def objective(self):
        return Objective(self.space, self.X, self.y, self.folds, self.task, self.metric,
                         self.make_prep, self.seed, self.n_classes, self.log)


def _trial_printer(metric, prefix=""):
    def report(study, trial):
        attrs = trial.user_attrs
        params = ", ".join(f"{k}={_short(v)}" for k, v in trial.params.items())
        if trial.state.name == "COMPLETE":
            also = "".join(f", {name} {attrs[name]:.4g}" for name in SECOND_METRICS
                           if name in attrs and name != metric)
            line = f"{metric} {trial.value:.4g}{also} ({attrs.get('epochs', '?')} epochs)"
        elif trial.state.name == "PRUNED":
            line = attrs.get("stopped", "pruned")
        else:
            line = f"failed: {attrs.get('stopped', 'error')}"
        say(f"{prefix}trial {trial.number:>3}: {line[:72]}  [{params}]")

    return report


def say(line):
    """Print ``line`` with one write of the whole line, so that the lines of worker processes
    sharing a terminal or a pipe never interleave (a write of up to 4 KiB to a pipe is atomic,
    and so is one to a terminal in practice; ``print`` may write a line in pieces)."""
    data = (line + "\n").encode(sys.stdout.encoding or "utf-8", errors="replace")
    sys.stdout.flush()
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # a captured stream (tests, notebooks)
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
        return
    os.write(fd, data)


def _short(v):
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def _worker_main(job, index):
    """Entry point of a worker process (also used in-process with ``index = 0``)."""
    storage = open_storage(job.storage, job.heartbeat)
    import optuna

    study = optuna.load_study(study_name=job.study_name, storage=storage,
                              sampler=make_sampler(job.sampler, job.space, job.seed, index),
                              pruner=make_pruner(job.prune))
    on_trial = _trial_printer(job.metric, f"[w{index}] " if index else "") if job.verbose \
        else None
    parent = os.getppid() if index else None
    run_worker(study, job.objective(), job.n_trials, on_trial=on_trial,
               poll=min(1.0, job.heartbeat), parent=parent)


def one_blas_thread():
    """A context with BLAS limited to one thread (a no-op without threadpoolctl).

    The networks a search trains multiply small matrices, where BLAS threads only add
    synchronisation: measured here, one epoch of an 11-25-106-86-1 network at batch 64 on 16k
    rows took 0.15 s with one OpenBLAS thread and 10.8 s with two on a busy 2-core machine.
    Parallel workers, one per core, are the better use of the cores.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return contextlib.nullcontext()
    return threadpool_limits(1)


def _child(job, index):
    import warnings

    warnings.formatwarning = lambda message, *a, **k: f"glassnet: warning: {message}\n"
    try:
        with one_blas_thread():
            _worker_main(job, index)
    except KeyboardInterrupt:
        sys.exit(130)


def search(X, y, space, *, task=None, metric=None, n_trials=30, jobs=1,
           storage=DEFAULT_STORAGE, study_name="glassnet", resume=False, sampler="random",
           cv=0, val_fraction=0.2, seed=0, prune=True, heartbeat=5, make_prep=None,
           classes=None, verbose=True, log=()):
    """Search ``space`` for the network that scores best on validation rows of (X, y).

    X: (n, n_features) numbers (or whatever ``make_prep()`` objects take); y: (n,) targets.
    ``task``: "regression" or "classification", which must be said (0/1 labels searched as a
    regression would be optimized by MAE); "auto" infers it from y as ``glassnet search``
    does, and prints the decision.
    ``metric`` defaults to MAE for regression and log-loss for classification (classification
    trials record the accuracy too, and log-loss when the metric is accuracy). Validation is
    one shuffled hold-out of ``val_fraction`` of the rows, or ``cv``-fold cross-validation.
    ``n_trials`` counts the whole study: a resumed study runs only the missing trials.
    ``log``: ``--log`` values (``glassnet.tracking``) under which each trial is logged as a run.
    Returns ``(study, job)``; ``job`` carries what ``report`` needs to retrain the best model.
    """
    if not isinstance(space, SearchSpace):
        space = SearchSpace.from_dict(space)
    if task is None:
        raise UsageError("say which task the search is for: task='regression' or "
                         "task='classification' (task='auto' infers it from y)")
    if task == "auto":
        from ..data import infer_task

        task, why = infer_task(np.asarray(y), return_reason=True)
        if verbose:
            print(f"task {task} (auto: {why})")
    if task not in ("regression", "classification"):
        raise UsageError(f"task must be 'regression', 'classification' or 'auto', got {task!r}")
    for spec in log:
        check_spec(spec)
    metric, direction = check_metric(metric or ("mae" if task == "regression" else "log_loss"),
                                     task)
    for name, value in (("n_trials", n_trials), ("jobs", jobs), ("heartbeat", heartbeat)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise UsageError(f"{name} must be a positive integer, got {value!r}")
    if jobs > 1 and ":memory:" in str(storage):
        raise UsageError("--jobs > 1 needs a storage that processes share (a file or a server), "
                         "not an in-memory database")
    if sampler == "grid":
        size = space.grid_size()
        if n_trials > size:
            if verbose:
                print(f"grid has {size} points: running {size} trials, not {n_trials}")
            n_trials = size
    make_sampler(sampler, space, seed)  # unknown sampler / grid problems: fail before storage
    n = len(y)
    if len(X) != n:
        raise UsageError(f"X has {len(X)} rows but y has {n}")
    n_classes = None
    if task == "classification":
        classes = np.unique(np.asarray(y)) if classes is None else np.asarray(classes)
        n_classes = len(classes)
        if n_classes < 2:
            raise UsageError("classification needs at least two classes in the target")
    folds = make_folds(n, val_fraction, cv, seed)
    make_prep = make_prep or functools.partial(ArrayStandardizer, task, classes)
    settings = {"space": space.to_dict(), "metric": metric, "task": task, "cv": int(cv or 0),
                "val_fraction": float(val_fraction), "seed": int(seed), "n_rows": int(n)}

    store = open_storage(storage, heartbeat)
    study = open_study(store, study_name, direction, settings, resume,
                       sampler=make_sampler(sampler, space, seed), pruner=make_pruner(prune))
    job = SearchJob(X, y, space, task, metric, n_trials, storage, study_name, sampler, folds,
                    make_prep, seed, prune, heartbeat, n_classes, verbose, tuple(log))
    finished, running, failed = count_trials(study)
    if verbose:
        where = f"study {study_name!r} in {redact(storage)}"
        if finished or running or failed:
            print(f"{where}: {finished} finished, {running} running, {failed} failed; "
                  f"target {n_trials} finished trials")
        else:
            print(f"{where}: new; running {n_trials} trials ({sampler} sampler, {metric}, "
                  f"{jobs} job{'s' if jobs > 1 else ''})")
    t0 = time.perf_counter()
    if jobs == 1:
        with one_blas_thread():
            _worker_main(job, 0)
    else:
        _run_processes(job, jobs)
    job.wall_time = time.perf_counter() - t0
    return study, job


def _run_processes(job, jobs):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_child, args=(job, i + 1), daemon=False) for i in range(jobs)]
    try:
        for p in procs:
            p.start()
        for p in procs:
            p.join()
    except KeyboardInterrupt:
        for p in procs:
            p.join(timeout=10)  # they got the Ctrl-C too: let them mark their trials failed
            if p.is_alive():
                p.terminate()
        raise
    bad = [p.exitcode for p in procs if p.exitcode]
    if bad:
        raise RuntimeError(f"{len(bad)} of {jobs} search workers failed (exit codes {bad})")
