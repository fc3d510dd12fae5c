"""Experiment tracking: log what ``fit`` computes to a CSV file, TensorBoard or MLflow.

Each tracker is a ``glassnet.nn.Callback`` (pass it to ``fit``, or ``callbacks=`` of
``train_frame``) that logs every epoch's numbers (``loss``, metrics, ``val_*``, ``lr``) at step
= epoch (from 1), plus ``log_params`` (the configuration), ``log_metrics`` (final numbers),
``log_artifact`` (a file, such as the model) and ``close``. On the command line::

    glassnet train data.csv --target y --log csv:runs/a.csv --log tensorboard:runs/tb \\
        --log mlflow:sqlite:///mlflow.db

==============  ===========================  =============================================
``--log``       needs                        writes
==============  ===========================  =============================================
csv:FILE        nothing                      FILE (a row per epoch) and FILE's stem +
                                             ``.json`` (configuration, final numbers, files)
tensorboard:DIR ``glassnet[tensorboard]``    event files in DIR: scalars, the
                                             configuration as text and as hparams
mlflow:URI      ``glassnet[mlflow]``         a run in tracking store URI (experiment: the
                                             data file's name, or $MLFLOW_EXPERIMENT_NAME):
                                             parameters, metrics per step, the model file
==============  ===========================  =============================================

For ``glassnet search`` every trial is a run of its own: ``csv:DIR`` and ``tensorboard:DIR``
name a folder that gets ``trial-0007.csv`` or ``trial-0007/``, and MLflow runs are named
``trial-0007`` in an experiment named after the study.
"""

from __future__ import annotations

import functools
import json
import os
import time
import warnings
from pathlib import Path

import numpy as np

from .errors import UsageError, require
from .nn.callbacks import Callback, CSVLogger
from .nn.files import atomic_write_text

__all__ = ["KINDS", "CSVTracker", "MLflowTracker", "TensorBoardTracker", "Tracker",
           "check_spec", "final_metrics", "finish", "open_trackers"]

#: ``--log`` kinds and the extra each needs (None: the standard library)
KINDS = {"csv": None, "tensorboard": "tensorboard", "mlflow": "mlflow"}


def _numbers(logs):
    return {k: float(v) for k, v in (logs or {}).items()
            if np.isscalar(v) and not isinstance(v, str)}


def _flat(params, prefix=""):
    """Nested dicts as one level of ``a.b`` keys, values as JSON text where not scalar."""
    out = {}
    for key, value in params.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


class Tracker(Callback):
    """Base class of the trackers: a callback that logs each epoch through ``log_metrics``."""

    def log_params(self, params):
        """Record the run's configuration (a dict; nested dicts become ``a.b`` keys)."""

    def log_metrics(self, metrics, step=None):
        """Record numbers (a dict), at ``step`` or as the run's final values."""

    def log_artifact(self, path):
        """Keep a copy of (or a pointer to) the file at ``path`` with the run."""

    def close(self, status="FINISHED"):
        """End the run: ``status`` is "FINISHED", "FAILED" or "KILLED" (a pruned trial)."""

    def on_epoch_end(self, epoch, logs=None):
        self.log_metrics(_numbers(logs), step=epoch + 1)


class CSVTracker(CSVLogger, Tracker):
    """``CSVLogger`` rows per epoch, and the rest as JSON beside them (``run.csv`` ->
    ``run.json``: ``params``, ``final`` numbers, ``artifacts``, ``status``)."""

    def __init__(self, path):
        super().__init__(path)
        self.summary = {"params": {}, "final": {}, "artifacts": [], "status": "RUNNING"}

    def log_params(self, params):
        self.summary["params"].update(params)

    def log_metrics(self, metrics, step=None):
        if step is None:
            self.summary["final"].update(metrics)

    def log_artifact(self, path):
        self.summary["artifacts"].append(str(Path(path).resolve()))

    def close(self, status="FINISHED"):
        self.on_train_end()
        self.summary["status"] = status
        text = json.dumps(self.summary, indent=2, default=str) + "\n"
        atomic_write_text(self.path.with_suffix(".json"), text)


class TensorBoardTracker(Tracker):
    """Event files in ``logdir`` written with the ``tensorboard`` package alone (no TensorFlow
    or PyTorch): a scalar per logged number and step, the configuration as a text summary and
    as HParams (so TensorBoard's HParams tab compares the trials of a search)."""

    def __init__(self, logdir):
        require("tensorboard", "tensorboard", "--log tensorboard")
        from tensorboard.summary.writer.event_file_writer import EventFileWriter

        self.logdir = Path(logdir)
        self.writer = EventFileWriter(str(self.logdir))

    def _write(self, summary, step):
        from tensorboard.compat.proto import event_pb2

        self.writer.add_event(event_pb2.Event(wall_time=time.time(), step=step,
                                              summary=summary))

    def log_params(self, params):
        from tensorboard.plugins.hparams import summary_v2 as hparams
        from tensorboard.plugins.text import summary_v2 as text

        flat = {k: v if isinstance(v, (bool, int, float, str)) else json.dumps(v)
                for k, v in _flat(params).items() if v is not None}
        table = "\n".join(["| setting | value |", "|---|---|",
                           *(f"| {k} | {v} |" for k, v in flat.items())])
        self._write(text.text_pb("config", table), 0)
        self._write(hparams.hparams_pb(flat), 0)

    def log_metrics(self, metrics, step=None):
        from tensorboard.compat.proto import summary_pb2

        values = [summary_pb2.Summary.Value(tag=k if step is not None else f"final/{k}",
                                            simple_value=float(v)) for k, v in metrics.items()]
        self._write(summary_pb2.Summary(value=values), 0 if step is None else step)

    def close(self, status="FINISHED"):
        self.writer.close()


def _quiet(method):
    """Run ``method`` without the deprecation warnings MLflow's own dependencies raise (they
    are not the user's to act on, and the command line shows every warning)."""
    @functools.wraps(method)
    def quiet(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", FutureWarning)
            return method(*args, **kwargs)

    return quiet


class MLflowTracker(Tracker):
    """A run in the MLflow tracking store ``uri`` (``mlflow-skinny``'s ``MlflowClient``):
    parameters, metrics per step, artifacts; created when the tracker is, so a bad URI fails
    before training."""

    @_quiet
    def __init__(self, uri, experiment="glassnet", run_name=None, tags=None):
        require("mlflow", "mlflow", "--log mlflow")
        from mlflow.exceptions import MlflowException
        from mlflow.tracking import MlflowClient

        try:
            self.client = MlflowClient(tracking_uri=uri)
            found = self.client.get_experiment_by_name(experiment)
            experiment_id = (found.experiment_id if found is not None
                             else self.client.create_experiment(experiment))
            self.run_id = self.client.create_run(experiment_id, run_name=run_name,
                                                 tags=tags or {}).info.run_id
        except (MlflowException, OSError) as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise UsageError(f"cannot open MLflow tracking store {uri!r}: {first}") from None

    @_quiet
    def log_params(self, params):
        from mlflow.entities import Param

        items = [Param(k, v if isinstance(v, str) else json.dumps(v))
                 for k, v in _flat(params).items()]
        for start in range(0, len(items), 100):  # MLflow takes at most 100 per batch
            self.client.log_batch(self.run_id, params=items[start:start + 100])

    @_quiet
    def log_metrics(self, metrics, step=None):
        from mlflow.entities import Metric

        now = int(time.time() * 1000)
        items = [Metric(k, float(v), now, step or 0) for k, v in metrics.items()]
        if items:
            self.client.log_batch(self.run_id, metrics=items)

    @_quiet
    def log_artifact(self, path):
        self.client.log_artifact(self.run_id, str(path))

    @_quiet
    def close(self, status="FINISHED"):
        self.client.set_terminated(self.run_id, status)


def check_spec(text):
    """``(kind, target)`` of a ``--log`` value such as ``csv:runs/a.csv``; UsageError when
    the kind is unknown or the target empty (the extra each kind needs is checked here too)."""
    kind, sep, target = str(text).partition(":")
    if kind not in KINDS or not sep or not target:
        raise UsageError(f"--log takes csv:FILE, tensorboard:DIR or mlflow:URI, got {text!r}")
    if KINDS[kind] is not None:
        require({"tensorboard": "tensorboard", "mlflow": "mlflow"}[kind], KINDS[kind],
                f"--log {kind}")
    return kind, target


def open_trackers(specs, *, params=None, experiment="glassnet", run_name=None, per_run=False,
                  tags=None):
    """The trackers for ``--log`` values ``specs``, each given ``params``. With ``per_run`` (a
    search's trials), a csv or tensorboard target is a folder that gets one file or folder per
    ``run_name``."""
    trackers = []
    try:
        for spec in specs:
            kind, target = check_spec(spec)
            if kind == "csv":
                trackers.append(CSVTracker(Path(target) / f"{run_name}.csv" if per_run
                                           else target))
            elif kind == "tensorboard":
                trackers.append(TensorBoardTracker(Path(target) / run_name if per_run
                                                   else target))
            else:
                trackers.append(MLflowTracker(
                    target, os.environ.get("MLFLOW_EXPERIMENT_NAME") or experiment, run_name,
                    tags))
        if params:
            for tracker in trackers:
                tracker.log_params(params)
    except BaseException:
        finish(trackers, status="FAILED")
        raise
    return trackers


def finish(trackers, metrics=None, files=(), status="FINISHED"):
    """Log the final ``metrics`` and the ``files`` (when the run finished), then close each
    tracker with ``status``."""
    for tracker in trackers:
        if status == "FINISHED":
            if metrics:
                tracker.log_metrics(metrics)
            for path in files:
                tracker.log_artifact(path)
        tracker.close(status)


def final_metrics(result):
    """The numbers of a ``train_frame`` result's parts as ``test_accuracy``, ``val_rmse``..."""
    return {f"{part}_{key}": float(value)
            for part in ("train", "val", "test") for key, value in result.get(part, {}).items()
            if isinstance(value, (int, float)) and not isinstance(value, bool)}
