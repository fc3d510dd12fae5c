"""Studies that persist, resume and run in parallel: storage, samplers and the worker loop.

A study lives in an Optuna storage (any SQLAlchemy URL: ``sqlite:///glassnet-search.db`` by
default, ``postgresql://user:pass@host/db`` for several machines). Every worker, in this process,
in another process or on another machine, runs the same loop:

1. fail trials whose worker died (no heartbeat for ``grace`` seconds),
2. count finished trials (COMPLETE or PRUNED) and trials still running elsewhere,
3. stop when ``finished >= n_trials`` and nothing runs; wait while the running ones would reach
   it (a dead worker's trial is failed after the grace period); otherwise run one trial.

So ``n_trials`` is the size of the whole study, not of one run: a resumed run only makes up the
difference, and a killed worker's unfinished trial is marked FAIL (never counted) and redone.

Each trial has a **draw index** (user attribute ``draw``): the sampler's draws and the model's
seed depend on it, not on the trial number. A fresh trial's draw is its number minus the retries
numbered before it; a trial whose worker died (found by the heartbeat) or was interrupted is
queued again with its parameters and its draw (``retry_of`` names it). So a study killed and
resumed ends with exactly the configurations, seeds and scores of an uninterrupted one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
import warnings

import numpy as np

from ..errors import UsageError

__all__ = ["SeededRandomSampler", "count_trials", "draw_of", "make_sampler", "open_storage",
           "open_study", "retry_trial", "run_worker"]

FINISHED = ("COMPLETE", "PRUNED")


def redact(url):
    """The URL with any password replaced by ``***`` (for messages)."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", str(url))


def open_storage(url, heartbeat=5):
    """An ``optuna.storages.RDBStorage`` at ``url``, connected now: an unreachable server, a bad
    URL or a missing driver raises one ValueError naming the URL."""
    import optuna
    import sqlalchemy.exc

    given = url
    if "://" not in str(url):
        raise UsageError(f"storage must be a database URL such as sqlite:///search.db or "
                         f"postgresql://user:pass@host/db, got {url!r}")
    if str(url).startswith("sqlite"):
        path = str(url).split(":///", 1)[-1]
        if path and path != ":memory:" and not os.path.isdir(os.path.dirname(path) or "."):
            raise UsageError(f"cannot open storage {redact(given)}: folder "
                             f"{os.path.dirname(path)!r} does not exist")
        engine_kwargs = {"connect_args": {"timeout": 60}}
    elif str(url).startswith("postgresql"):
        url = _postgres_driver(str(url))
        engine_kwargs = {"connect_args": {"connect_timeout": 10}, "pool_pre_ping": True}
    else:
        engine_kwargs = {"pool_pre_ping": True}
    try:
        for attempt in range(5):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # heartbeat is "experimental" in Optuna
                    storage = optuna.storages.RDBStorage(
                        str(url), engine_kwargs=engine_kwargs, heartbeat_interval=heartbeat,
                        grace_period=3 * heartbeat, **_on_stale(optuna),
                    )
                break
            except (sqlalchemy.exc.IntegrityError, sqlalchemy.exc.ProgrammingError):
                # Workers starting together on an empty database race to create Optuna's
                # tables; the loser sees "already exists" and only has to try again.
                if attempt == 4:
                    raise
                time.sleep(0.5 + attempt)
        if str(url).startswith("sqlite"):
            _fast_sqlite(storage)
        return storage
    except ImportError:
        raise UsageError(f"cannot open storage {redact(given)}: its database driver is not "
                         "installed (for PostgreSQL: pip install psycopg2-binary)") from None
    except (sqlalchemy.exc.SQLAlchemyError, ValueError, OSError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        first = re.sub(r"^\([^)]*\)\s*", "", first)
        raise UsageError(f"cannot open storage {redact(given)}: {first}") from None


def draw_of(trial):
    """The trial's draw index: what its configuration and seed come from (see module doc)."""
    return trial.user_attrs.get("draw", trial.number)


def retry_trial(study, trial):
    """Queue ``trial`` (killed or interrupted) to run again with its parameters and draw."""
    # Even without parameters (killed before its first suggestion) the draw fixes them.
    study.enqueue_trial(dict(trial.params), user_attrs={"draw": draw_of(trial),
                                                        "retry_of": trial.number})


def _on_stale(optuna):
    """RDBStorage's argument for a callback on trials the heartbeat fails (renamed in 4.9)."""
    import inspect

    names = inspect.signature(optuna.storages.RDBStorage).parameters
    key = "heartbeat_stale_trial_callback" if "heartbeat_stale_trial_callback" in names \
        else "failed_trial_callback"
    return {key: retry_trial}


def _sqlite_pragmas(dbapi_connection, record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _fast_sqlite(storage):
    """Write-ahead log, and no fsync per commit: a trial reports every epoch, and with the
    default journal each report costs an fsync (~20 ms here, ~1.5 ms in WAL). WAL lets readers
    and one writer work at once, which parallel workers on one machine need; a power cut may
    lose the last commits, never corrupt the file (SQLite's guarantee for synchronous=NORMAL)."""
    import sqlalchemy

    sqlalchemy.event.listen(storage.engine, "connect", _sqlite_pragmas)
    storage.engine.dispose()  # pooled connections predate the listener


def _postgres_driver(url):
    """SQLAlchemy 2.1 reads a bare ``postgresql://`` as psycopg 3; where only psycopg2 (the
    ``test`` extra's ``psycopg2-binary``) is installed, name that driver explicitly."""
    import importlib.util

    if url.startswith("postgresql://") and importlib.util.find_spec("psycopg") is None \
            and importlib.util.find_spec("psycopg2") is not None:
        return "postgresql+psycopg2://" + url[len("postgresql://"):]
    return url


class SeededRandomSampler:
    """Random search whose draws depend on (seed, trial number, parameter) only.

    Optuna's ``RandomSampler`` draws from one generator per process, so two workers seeded alike
    would try the same configurations, and a resumed run would replay the first run's. Here the
    trial with draw index k (``draw_of``: its number, unless retries came before it) gets the same
    configuration whichever worker runs it and whenever: a search killed and resumed, or spread
    over processes, samples exactly what one uninterrupted run would.
    """

    def __new__(cls, seed=0):
        import optuna

        class _Sampler(optuna.samplers.BaseSampler):
            def __init__(self, seed):
                self.seed = int(seed or 0)

            def infer_relative_search_space(self, study, trial):
                return {}

            def sample_relative(self, study, trial, search_space):
                return {}

            def sample_independent(self, study, trial, param_name, dist):
                key = int.from_bytes(param_name.encode()[:16].ljust(16, b"\0"), "little")
                rng = np.random.default_rng([self.seed, draw_of(trial), key])
                return _draw(rng, dist)

        return _Sampler(seed)


def _draw(rng, dist):
    from optuna.distributions import CategoricalDistribution, FloatDistribution

    if isinstance(dist, CategoricalDistribution):
        return dist.choices[int(rng.integers(len(dist.choices)))]
    low, high = dist.low, dist.high
    if isinstance(dist, FloatDistribution):
        if dist.log:
            return float(np.exp(rng.uniform(np.log(low), np.log(high))))
        if dist.step:
            k = int(rng.integers(round((high - low) / dist.step) + 1))
            return float(low + k * dist.step)
        return float(rng.uniform(low, high))
    if dist.log:  # integer, log-uniform as Optuna does: uniform in [log(low-0.5), log(high+0.5)]
        v = round(float(np.exp(rng.uniform(np.log(low - 0.5), np.log(high + 0.5)))))
        return int(min(max(v, low), high))
    return int(low + dist.step * int(rng.integers((high - low) // dist.step + 1)))


def make_sampler(name, space, seed=0, worker=0):
    """``random`` (default), ``tpe`` or ``grid``."""
    import optuna

    if name == "random":
        return SeededRandomSampler(seed)
    if name == "tpe":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return optuna.samplers.TPESampler(seed=seed + 7919 * worker, constant_liar=True)
    if name == "grid":
        return optuna.samplers.GridSampler(space.grid(), seed=seed + worker)
    raise UsageError(f"unknown sampler {name!r}; choose random, tpe or grid")


def make_pruner(prune=True, warmup_epochs=5):
    import optuna

    if not prune:
        return optuna.pruners.NopPruner()
    # A trial is compared with others only after a few epochs, and only once 5 trials finished.
    return optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=warmup_epochs)


def open_study(storage, name, direction, settings, resume, sampler=None, pruner=None):
    """Create the study ``name``, or with ``resume`` continue it (creating it if absent).

    ``settings`` (the space, metric, target, ...) is stored with the study; resuming with
    different settings is an error that names the first difference, and changes nothing.
    """
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    existing = set(optuna.get_all_study_names(storage))
    if name in existing:
        if not resume:
            raise UsageError(f"study {name!r} already exists in the storage; pass --resume to "
                             "continue it, or choose another --study name")
        study = optuna.load_study(study_name=name, storage=storage, sampler=sampler,
                                  pruner=pruner)
        stored = study.user_attrs.get("glassnet")
        if stored is not None and stored != settings:
            diff = next(k for k in sorted(set(stored) | set(settings))
                        if stored.get(k) != settings.get(k))
            raise UsageError(f"study {name!r} was created with a different {diff} "
                             f"({stored.get(diff)!r}, now {settings.get(diff)!r}); "
                             "use a new --study name for a new search")
        if study.direction.name.lower() != direction:
            raise UsageError(f"study {name!r} {study.direction.name.lower()}s; this search "
                             f"would {direction}")
        return study
    study = optuna.create_study(storage=storage, study_name=name, direction=direction,
                                sampler=sampler, pruner=pruner, load_if_exists=True)
    study.set_user_attr("glassnet", settings)
    return study


def count_trials(study):
    """``(finished, running, failed)`` trial counts of the study, read fresh from storage."""
    from optuna.trial import TrialState

    states = [t.state for t in study.get_trials(deepcopy=False)]
    finished = sum(s in (TrialState.COMPLETE, TrialState.PRUNED) for s in states)
    running = sum(s == TrialState.RUNNING for s in states)
    failed = sum(s == TrialState.FAIL for s in states)
    return finished, running, failed


class BudgetReached(Exception):
    """A trial started after others had already taken up the whole budget (a race)."""


def _within_budget(objective, n_trials):
    """Wrap the objective: a trial whose predecessors (finished or running) fill the budget ends
    at once as FAIL, so parallel workers never overshoot ``n_trials``."""
    from optuna.trial import TrialState

    def run(trial):
        trials = trial.study.get_trials(deepcopy=False)
        if "draw" not in trial.user_attrs:  # a fresh trial; a retry keeps the draw it had
            retries = sum(t.number < trial.number and "retry_of" in t.user_attrs for t in trials)
            trial.set_user_attr("draw", trial.number - retries)
        ahead = sum(t.number < trial.number and t.state in (
            TrialState.COMPLETE, TrialState.PRUNED, TrialState.RUNNING) for t in trials)
        if ahead >= n_trials:
            trial.set_user_attr("stopped", "budget already reached by other workers")
            raise BudgetReached()
        try:
            return objective(trial)
        except KeyboardInterrupt:  # Optuna fails the trial; run its configuration again later
            retry_trial(trial.study, trial)
            raise

    return run


def run_worker(study, objective, n_trials, on_trial=None, poll=1.0, parent=None):
    """Run trials of ``study`` until it holds ``n_trials`` finished ones (see module doc)."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    logging.getLogger("optuna").setLevel(logging.ERROR)
    wrapped = _within_budget(objective, n_trials)
    callbacks = [on_trial] if on_trial else None
    while True:
        if parent is not None and os.getppid() != parent:
            return  # the process that started this worker is gone: stop with it
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            optuna.storages.fail_stale_trials(study)
        finished, running, _ = count_trials(study)
        if finished >= n_trials and not running:
            return
        if finished + running >= n_trials:
            # Others are finishing the last trials, or died and will be failed after the grace
            # period; either way the study is complete only when none is left RUNNING.
            time.sleep(poll)
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with contextlib.suppress(optuna.exceptions.UpdateFinishedTrialError):
                study.optimize(wrapped, n_trials=1, catch=(BudgetReached,), callbacks=callbacks)
