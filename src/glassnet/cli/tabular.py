"""``glassnet train``, ``evaluate``, ``predict`` and ``info``: a CSV in, a trained model out.

Training flags mirror ``glassnet.config.TrainConfig``; ``--config run.toml`` supplies the same
settings from a file and any flag given on the command line overrides it. Every run writes the
settings it used to ``OUT/run.toml``, so ``glassnet train DATA --target Y --config OUT/run.toml``
repeats it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import UsageError, shorten, shown
from .output import DEFAULT_OUT, check_output_path, console, fmt, one_line_warnings, plain

# Flags that map one-to-one onto TrainConfig fields (dest -> field).
_CONFIG_FLAGS = ("task", "hidden", "activation", "optimizer", "lr", "momentum", "epochs",
                 "batch_size", "l1", "l2", "dropout", "patience", "validation_split", "seed",
                 "dtype", "standardize_target")


def _batch_size(text):
    if text.lower() in ("full", "none"):
        return "full"
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive integer or 'full', got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"batch size must be >= 1, got {value}")
    return value


def _size(text):
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (0 <= value < 1 or (value >= 1 and value.is_integer() and value < 2**53)):
        raise argparse.ArgumentTypeError(
            f"expected a fraction in [0, 1) or a whole row count, got {text!r}")
    return int(value) if value >= 1 else value


def _role(text):
    column, sep, role = text.rpartition("=")
    if not sep or not column:
        raise argparse.ArgumentTypeError(f"expected COLUMN=ROLE, got {text!r}")
    return column, role


def _add_read_options(p):
    g = p.add_argument_group("reading the CSV")
    g.add_argument("--sep", help="column separator (default: ',')")
    g.add_argument("--na-values", nargs="+", metavar="TEXT",
                   help="extra markers of a missing value, e.g. '?' 'n/a'")


def _read_options(args, saved=None):
    """``read_csv`` keyword arguments: those saved with a model, then any flag given (both
    checked against ``glassnet.data.reading.READ_OPTIONS``)."""
    from ..data.reading import check_read_options

    options = dict(saved or {})
    if args.sep is not None:
        options["sep"] = args.sep
    if args.na_values:
        options["na_values"] = list(args.na_values)
    return check_read_options(options, "--sep/--na-values")


def register(subparsers):
    """Add the train, evaluate, predict and info subcommands."""
    p = subparsers.add_parser(
        "train", help="train a network on a CSV file",
        description="Train a network on DATA.csv to predict --target, and write the model, "
                    "metrics.json and plots into --out.",
    )
    p.add_argument("data", help="CSV file with a header row")
    p.add_argument("--target", "-t", required=True, help="the column to predict")
    p.add_argument("--config", metavar="TOML", help="settings file ([train] table); flags win")
    p.add_argument("--out", "-o", default=None, metavar="DIR",
                   help=f"output folder, written as one unit: this run's files replace the "
                        f"previous run's (default: {DEFAULT_OUT}/train-DATA, DATA the data "
                        "file's name)")
    from ..config import TrainConfig

    default = TrainConfig()

    def note(name, text):
        value = getattr(default, name)
        value = " ".join(map(str, value)) if isinstance(value, list) else value
        return f"{text} (default: {'full' if value is None else value})"

    g = p.add_argument_group("model and training (defaults: glassnet.config.TrainConfig)")
    g.add_argument("--task", choices=["auto", "regression", "classification"],
                   help=note("task", "auto: classification for strings or few whole-number "
                                      "labels, else regression"))
    g.add_argument("--hidden", type=int, nargs="+", metavar="N",
                   help=note("hidden", "hidden layer sizes"))
    g.add_argument("--activation",
                   help=note("activation", "relu, tanh, sigmoid, leaky_relu or identity"))
    g.add_argument("--optimizer",
                   help=note("optimizer", "sgd, adam, adamw, rmsprop or adagrad"))
    g.add_argument("--lr", type=float, help=note("lr", "learning rate"))
    g.add_argument("--momentum", type=float, help=note("momentum", "for sgd and rmsprop"))
    g.add_argument("--epochs", type=int, help=note("epochs", "passes over the training rows"))
    g.add_argument("--batch-size", type=_batch_size,
                   help=note("batch_size", "rows per step, or 'full'"))
    g.add_argument("--l1", type=float, help=note("l1", "L1 penalty on weights"))
    g.add_argument("--l2", type=float, help=note("l2", "L2 penalty on weights"))
    g.add_argument("--dropout", type=float,
                   help=note("dropout", "dropout rate after each hidden layer"))
    g.add_argument("--patience", type=int,
                   help=note("patience", "early stopping: epochs without validation "
                                          "improvement; 0 turns it off"))
    g.add_argument("--validation-split", type=float,
                   help=note("validation_split", "fraction of the non-test rows used for "
                                                  "validation"))
    g.add_argument("--seed", type=int, help=note("seed", "seeds the split and the network"))
    g.add_argument("--dtype", choices=["float32", "float64"], help=note("dtype", ""))
    g.add_argument("--no-standardize-target", dest="standardize_target", action="store_const",
                   const=False, help="regression: train on the raw target values")
    d = p.add_argument_group("data")
    d.add_argument("--test-size", type=_size, default=0.2,
                   help="test rows: a fraction or a count (default 0.2)")
    d.add_argument("--split", choices=["random", "time"], default="random",
                   help="random (stratified for classification) or time-ordered")
    d.add_argument("--test-days", type=int, help="time split: the last N days are the test set")
    d.add_argument("--time-column", help="time split: the column giving each row's time")
    d.add_argument("--drop", nargs="+", default=[], metavar="COL", help="columns to leave out")
    d.add_argument("--role", type=_role, action="append", default=[], metavar="COL=ROLE",
                   help="override a column's role (numeric, categorical, boolean, datetime, "
                        "text, id)")
    d.add_argument("--no-plots", dest="plots", action="store_false", help="skip the PNG files")
    add_log_option(p)
    _add_read_options(p)
    p.set_defaults(func=cmd_train)

    p = subparsers.add_parser("evaluate", help="score a saved model on a labelled CSV")
    p.add_argument("model", help="model file written by glassnet train")
    p.add_argument("data", help="CSV with the same columns, including the target")
    p.add_argument("--json", metavar="PATH", help="also write the metrics as JSON ('-': "
                   "standard output, the tables then go to standard error)")
    _add_read_options(p)
    p.set_defaults(func=cmd_evaluate)

    p = subparsers.add_parser("predict", help="predict the target for the rows of a CSV")
    p.add_argument("model", help="model file written by glassnet train")
    p.add_argument("data", help="CSV with the feature columns (a target column is ignored)")
    p.add_argument("--output", "-o", default="-", metavar="CSV",
                   help="where to write the predictions (default '-': standard output); text "
                        "starting with = + - @ is written as '= ... so spreadsheets do not run "
                        "it (glassnet.data.writing)")
    p.add_argument("--only-predictions", action="store_true",
                   help="write only the prediction (and probability) columns")
    _add_read_options(p)
    p.set_defaults(func=cmd_predict)

    p = subparsers.add_parser("info", help="show a model file's network, data and settings")
    p.add_argument("model", help="model file")
    p.set_defaults(func=cmd_info)


# -------------------------------------------------------------------- helpers
def add_log_option(p):
    """``--log KIND:WHERE`` (repeatable), the experiment trackers of ``glassnet.tracking``."""
    p.add_argument("--log", action="append", default=[], metavar="KIND:WHERE",
                   help="log the run (each epoch, the settings, the model): csv:FILE, "
                        "tensorboard:DIR or mlflow:URI; repeatable")


def config_from_args(args):
    """The run's ``TrainConfig``: the ``--config`` file (or defaults), then any flags given."""
    from ..config import TrainConfig

    config = TrainConfig.from_toml(args.config) if args.config else TrainConfig()
    changes = {}
    for name in _CONFIG_FLAGS:
        value = getattr(args, name, None)
        if value is not None:
            changes[name] = None if value == "full" else value
    return config.replace(**changes) if changes else config


def metrics_table(scores, title, task):
    """A rich table: one row per metric, one column per part (train, val, test...)."""
    from rich.table import Table

    parts = list(scores)
    table = Table(title=plain(title))
    table.add_column("metric" if task == "classification" else "metric (target units)")
    for name in parts:
        table.add_column(plain(name, 40), justify="right")
    keys = [k for k in scores[parts[0]] if k != "confusion_matrix"]
    for key in keys:
        label = "loss (standardized)" if key == "loss" else key
        table.add_row(label, *[fmt(scores[name].get(key, "")) for name in parts])
    return table


def _load(path):
    from ..io import load_bundle

    bundle = load_bundle(path)
    if bundle.preprocessor is None:
        raise UsageError(
            f"{path} holds a network without a fitted data preprocessor; evaluate/predict need "
            "a model written by `glassnet train`"
        )
    return bundle


def _read(path, options):
    from ..data import read_csv

    return read_csv(path, **options)


def _out_folder(args):
    """``--out``, or ``glassnet-out/train-NAME`` for data file NAME.csv: a run's own folder."""
    if args.out is not None:
        return args.out
    stem = Path(str(args.data)).name.split(".")[0] or "data"
    return str(Path(DEFAULT_OUT) / f"train-{stem}")


# -------------------------------------------------------------------- commands
def cmd_train(args):
    from ..run_folder import RunFolder
    from ..tabular import RUN_FILES

    one_line_warnings()
    config = config_from_args(args)
    read_options = _read_options(args)
    if args.split == "time" and args.test_days is not None and args.time_column is None:
        raise UsageError("--test-days needs --time-column")
    with RunFolder(_out_folder(args), RUN_FILES, "train") as run:  # checked and locked now
        return _train(args, config, read_options, run)


def _train(args, config, read_options, run):
    from rich.markup import escape

    from ..data import infer_task
    from ..data.limits import listed
    from ..tabular import resolve_task, train_frame

    term = console()
    df = _read(args.data, read_options)
    if args.target not in df.columns:
        raise UsageError(f"target column {shown(args.target)} is not in {args.data}; columns: "
                         f"{listed(map(str, df.columns))}")
    task = resolve_task(df, args.target, config.task)
    why = (f"auto: {infer_task(df[args.target].dropna(), return_reason=True)[1]}"
           if config.task == "auto" else "--task")
    term.print(f"[bold]{escape(str(args.data))}[/]: {len(df):,} rows, {df.shape[1]} "
              f"columns; task [bold]{task}[/] ({escape(why)})")
    from .. import tracking

    trackers = tracking.open_trackers(
        args.log, experiment=Path(args.data).name.split(".")[0],
        params={**config.replace(task=task).to_dict(), "data": str(args.data),
                "target": args.target})
    try:
        result = train_frame(
            df, args.target, config.replace(task=task), run, roles=dict(args.role),
            drop=args.drop, test_size=args.test_size, split=args.split,
            test_days=args.test_days, time_column=args.time_column, progress=True,
            plots=args.plots, source=args.data, read_options=read_options, callbacks=trackers,
        )
    except BaseException:
        tracking.finish(trackers, status="FAILED")
        raise
    tracking.finish(trackers, tracking.final_metrics(result.metrics),
                    [result.files[k] for k in ("model", "metrics") if k in result.files])
    m, prep = result.metrics, result.preprocessor
    rows = m["rows"]
    term.print(f"rows: train {rows['train']:,}, validation {rows['val']:,}, "
              f"test {rows['test']:,}; {prep.n_features_} input features")
    term.print("\n".join(prep.summary().splitlines()[1:]), markup=False)
    for part, columns in m["unseen_categories"].items():
        text = "; ".join(f"{shorten(col, 60)} {v['count']} ({listed(v['values'], 5)})"
                         for col, v in list(columns.items())[:10])
        term.print(f"{part} rows with categories never seen in training (all-zero "
                   f"encoded): {text}", markup=False)
    stop = (f", best epoch {m['best_epoch']} (early stopping)"
            if m["best_epoch"] is not None and m["epochs_run"] < config.epochs else "")
    term.print(f"trained {m['epochs_run']} epochs in {m['train_seconds']:.2f}s{stop}")
    term.print(metrics_table({k: m[k] for k in ("train", "val", "test") if k in m},
                             f"{shorten(args.target, 60)} ({task})", task))
    base = m["baseline_test"]
    text = ", ".join(f"{k} {fmt(v)}" for k, v in base.items() if k != "rule")
    term.print(f"baseline on test ({shorten(base['rule'], 80)}): {text}", markup=False)
    for path in result.files.values():
        term.print(f"wrote {path}", markup=False)
    return 0


def cmd_evaluate(args):
    from ..tabular import evaluate_frame

    one_line_warnings()
    if args.json:
        check_output_path(args.json, (args.model, args.data), "--json")
    bundle = _load(args.model)
    prep = bundle.preprocessor
    df = _read(args.data, _read_options(args, bundle.read_options))
    if prep.target not in df.columns:
        raise UsageError(f"{args.data} has no column {shown(prep.target)}, the target this model "
                         "was trained on; evaluate needs labelled rows (use predict otherwise)")
    scores, _, _ = evaluate_frame(bundle.model, prep, df)
    term = console(stderr=args.json == "-")  # standard output is the JSON's then
    term.print(metrics_table({Path(args.data).name: scores},
                             f"{shorten(prep.target, 60)} ({prep.task_})", prep.task_))
    if prep.task_ == "classification":
        from rich.table import Table

        term.print("confusion matrix (rows: true class, columns: predicted class)")
        table = Table()
        table.add_column("")
        for c in prep.classes_:
            table.add_column(plain(c, 30), justify="right")
        for c, row in zip(prep.classes_, scores["confusion_matrix"]):
            table.add_row(plain(c, 30), *map(str, row))
        term.print(table)
    if args.json:
        from ..io import atomic_write_text

        text = json.dumps(scores, indent=2) + "\n"
        atomic_write_text(args.json, text)
        if args.json != "-":
            term.print(f"wrote {args.json}", markup=False)
    return 0


def cmd_predict(args):
    import sys

    import pandas as pd

    from ..data.writing import spreadsheet_safe
    from ..io import atomic_write_text
    from ..tabular import predict_frame

    one_line_warnings()
    check_output_path(args.output, (args.model, args.data), "--output")
    bundle = _load(args.model)
    prep = bundle.preprocessor
    df = _read(args.data, _read_options(args, bundle.read_options))
    pred, proba = predict_frame(bundle.model, prep, df)
    out = pd.DataFrame(index=df.index) if args.only_predictions else df.copy()
    out[f"predicted_{prep.target}"] = pred
    if proba is not None:
        for j, c in enumerate(prep.classes_):
            out[f"proba_{c}"] = proba[:, j]
    atomic_write_text(args.output, spreadsheet_safe(out).to_csv(index=False))
    if args.output != "-":
        print(f"wrote {len(out):,} predictions to {args.output}", file=sys.stderr)
    return 0


def cmd_info(args):
    from rich.markup import escape

    from ..data.limits import listed
    from ..io import load_bundle

    bundle = load_bundle(args.model)
    term = console()
    meta = bundle.meta
    term.print(f"[bold]{escape(shorten(args.model))}[/]: glassnet model file (format "
               f"{meta['format_version']}, written by glassnet "
               f"{escape(shorten(meta['glassnet_version'], 40))})")
    term.print(bundle.model.summary(), markup=False)
    if bundle.preprocessor is not None:
        term.print("\n[bold]data[/]")
        term.print(bundle.preprocessor.summary(), markup=False)
        if bundle.classes is not None:
            term.print(f"classes: {listed(map(repr, bundle.classes), 20)}", markup=False)
    if bundle.config is not None:
        term.print("\n[bold]training configuration[/]")
        term.print(bundle.config.to_toml().rstrip(), markup=False)
    # extra is the writer's free-form part: shown only when it has the shape train writes
    metrics = bundle.extra.get("metrics")
    test = metrics.get("test") if isinstance(metrics, dict) else None
    if isinstance(test, dict) and test:
        text = ", ".join(f"{shorten(k, 30)} {shorten(fmt(v), 30)}" for k, v in
                         list(test.items())[:20] if k != "confusion_matrix")
        term.print(f"\n[bold]test metrics at training time[/]: {escape(text)}")
    return 0
