"""``glassnet search DATA.csv --target COL --space space.toml --trials N --jobs J``.

Reads the CSV, holds out a test split, searches on the rest (Optuna study in ``--storage``),
then prints the best trials, writes the best config as TOML, draws the figures, retrains the
best network on train + validation and saves it (with its preprocessing) in ``--out``.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import numpy as np

from ..errors import UsageError
from ..run_folder import RunFolder
from .output import DEFAULT_OUT, one_line_warnings
from .tabular import add_log_option


def register(subparsers):
    p = subparsers.add_parser(
        "search", help="hyperparameter search (Optuna): resumable, parallel, multi-machine",
        description="Search network settings for DATA.csv; the study persists in --storage, so "
                    "an interrupted search continues with --resume.")
    p.add_argument("data", metavar="DATA.csv", help="CSV file with a header row")
    p.add_argument("--target", required=True, help="column to predict")
    p.add_argument("--space", metavar="FILE", help="search space (.toml or .yaml); default: lr, "
                   "depth, width, activation and L2")
    p.add_argument("--trials", type=int, default=30, help="finished trials the study should "
                   "hold (a resumed study runs only the missing ones; default 30)")
    p.add_argument("--jobs", type=int, default=1, help="worker processes on this machine")
    p.add_argument("--storage", default=None, help="SQLAlchemy URL of the study database "
                   "(default sqlite:///glassnet-search.db in the current folder; "
                   "postgresql://user:pass@host/db to share a study between machines)")
    p.add_argument("--study", default=None, help="study name (default: DATA file's stem)")
    p.add_argument("--resume", action="store_true",
                   help="continue the study if it exists (or join it from another machine)")
    p.add_argument("--sampler", choices=("random", "tpe", "grid"), default="random")
    p.add_argument("--metric", default=None,
                   help="mae, mse, rmse, r2 (regression); accuracy, log_loss (classification)")
    p.add_argument("--task", choices=("auto", "regression", "classification"), default="auto")
    p.add_argument("--cv", type=int, default=0, help="k-fold cross-validation instead of one "
                   "validation split")
    p.add_argument("--val-size", type=float, default=0.15, help="validation fraction of all rows")
    p.add_argument("--test-size", type=float, default=0.15, help="test fraction of all rows")
    p.add_argument("--no-prune", action="store_true", help="turn off median pruning")
    p.add_argument("--heartbeat", type=int, default=5, help="seconds between a worker's "
                   "heartbeats; a trial silent for 3x this is taken as dead")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=None, help="output folder (default glassnet-out/search-STUDY)")
    p.add_argument("--quiet", action="store_true", help="no line per trial")
    add_log_option(p)
    p.add_argument("--dashboard", action="store_true", help="serve optuna-dashboard on the "
                   "study's storage at 127.0.0.1 while searching, and after it until Ctrl-C")
    p.add_argument("--dashboard-port", type=int, default=8080, metavar="PORT",
                   help="the dashboard's port (default 8080; 0 picks a free one)")
    p.set_defaults(func=cmd_search)


def cmd_search(args):
    from ..errors import require

    require("optuna", "tune", "glassnet search")
    from ..tune import SearchSpace, default_space

    one_line_warnings()
    space = (SearchSpace.from_file(args.space) if args.space
             else default_space())
    if not 0 < args.val_size < 1 or not 0 <= args.test_size < 1 or \
            args.val_size + args.test_size >= 1:
        raise UsageError(f"--val-size {args.val_size} and --test-size {args.test_size} must be "
                         "fractions that leave rows for training")
    study_name = args.study or Path(args.data).name.split(".")[0]
    out = Path(args.out or Path(DEFAULT_OUT) / f"search-{study_name}")
    with RunFolder(out, SEARCH_FILES, "search") as run:  # checked and locked before any work
        return _search(args, run, space, study_name)


#: the files a search writes into --out (replaced as one unit when it ends)
SEARCH_FILES = ("best.toml", "best_model.npz", "optimization_history.png",
                "param_importances.png", "metric_vs_params.png")


def _search(args, run, space, study_name):
    from ..data import split_indices
    from ..tune import (
        DEFAULT_STORAGE,
        TableEncoder,
        best_trials_table,
        load_table,
        retrain_best,
        save_figures,
        search,
        write_best_config,
    )

    X, y, task = load_table(args.data, args.target, args.task)
    train, _, test = split_indices(len(y), val_size=0.0, test_size=args.test_size,
                                   seed=args.seed,
                                   stratify=y if task == "classification" else None)
    dev = np.sort(train)
    make_prep = functools.partial(TableEncoder, args.target, task)
    probe = make_prep().fit(X.iloc[dev], y[dev])  # no usable column, one class: fail here
    classes = probe.tabular.classes_ if task == "classification" else None
    dashboard = None
    if args.dashboard:
        from ..tune.dashboard import start_dashboard

        dashboard = start_dashboard(args.storage or DEFAULT_STORAGE, args.dashboard_port)
        print(f"dashboard: {dashboard.url}", flush=True)
    try:
        study, job = search(
            X.iloc[dev], y[dev], space, task=task, metric=args.metric, n_trials=args.trials,
            jobs=args.jobs, storage=args.storage or DEFAULT_STORAGE, study_name=study_name,
            resume=args.resume, sampler=args.sampler, cv=args.cv,
            val_fraction=args.val_size / (1 - args.test_size), seed=args.seed,
            prune=not args.no_prune, heartbeat=args.heartbeat, make_prep=make_prep,
            classes=classes, verbose=not args.quiet, log=args.log)
    except KeyboardInterrupt:
        print("search interrupted: finished trials are kept; run the same command with "
              "--resume to continue", file=sys.stderr)
        raise
    from .output import console

    term = console()
    term = console(width=max(100, term.width))
    term.print(best_trials_table(study, job.metric))
    print(f"search wall time: {job.wall_time:.1f} s")
    write_best_config(study, space, run.file("best.toml"), job.metric)
    figures, notes = save_figures(study, run.staging, job.metric)
    for path in figures:
        run.file(path.name)
    _, _, test_score = retrain_best(study, job, run.file("best_model.npz"),
                                    X.iloc[test] if len(test) else None,
                                    y[test] if len(test) else None,
                                    extra={"target": args.target, "data": str(args.data)})
    run.commit()
    cfg = run.final("best.toml")
    print(f"best config: {cfg}  (glassnet train --config {cfg})")
    for path in figures:
        print(f"figure: {run.final(path.name)}")
    for note in notes:
        print(f"figure {note}")
    model_path = run.final("best_model.npz")
    line = f"best model (retrained on train + validation): {model_path}"
    if test_score is not None:
        line += f"; test {job.metric} {test_score:.4g} on {len(test)} rows"
    print(line)
    if dashboard is not None:
        _keep_serving(dashboard)
    return 0


def _keep_serving(dashboard):
    import time

    print(f"the dashboard keeps serving at {dashboard.url}; press Ctrl-C to stop it", flush=True)
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        dashboard.close()
