"""After a search: the table of best trials, the best config file, figures, the retrained model."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from ..config import fit_config
from ..errors import UsageError
from ..io import atomic_write_text, save_model
from .objective import predict_for_metric, score
from .study import draw_of

__all__ = ["best_config", "best_trials_table", "retrain_best", "save_figures",
           "write_best_config"]


def _finished(study):
    from optuna.trial import TrialState

    return [t for t in study.get_trials(deepcopy=False) if t.state == TrialState.COMPLETE]


def best_config(study, space):
    """The ``TrainConfig`` of the study's best trial (with the search's fixed settings)."""
    from optuna.trial import FixedTrial

    if not _finished(study):
        raise UsageError(f"study {study.study_name!r} has no completed trial yet")
    best = study.best_trial
    # The trial trained with seed + its draw (see Objective); keep that, so the file repeats it.
    seed = study.user_attrs.get("glassnet", {}).get("seed", 0) + draw_of(best)
    return space.suggest(FixedTrial(best.params)).replace(seed=seed)


def best_trials_table(study, metric, top=10):
    """A rich ``Table`` of the ``top`` completed trials, best first, and the pruned/failed count."""
    from rich.table import Table

    trials = _finished(study)
    reverse = study.direction.name == "MAXIMIZE"
    trials = sorted(trials, key=lambda t: t.value, reverse=reverse)[:top]
    states = [t.state.name for t in study.get_trials(deepcopy=False)]
    from rich.text import Text

    from ..errors import shorten

    table = Table(title=Text(f"best trials of {shorten(study.study_name, 60)!r}: "
                             f"{states.count('COMPLETE')} complete, {states.count('PRUNED')} "
                             f"pruned, {states.count('FAIL')} failed"), title_justify="left")
    table.add_column("trial", justify="right")
    table.add_column(metric, justify="right")
    table.add_column("epochs", justify="right")
    names = sorted({k for t in trials for k in t.params})
    for name in names:
        table.add_column(name, justify="right", overflow="fold")
    for t in trials:
        table.add_row(str(t.number), f"{t.value:.4g}", str(t.user_attrs.get("epochs", "")),
                      *[Text(_fmt(t.params.get(n, ""))) for n in names])
    return table


def _fmt(v):
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def write_best_config(study, space, path, metric):
    """Write the best configuration as a ``[train]`` TOML file for ``glassnet train --config``."""
    config = best_config(study, space)
    best = study.best_trial
    head = (f"# best trial {best.number} of study {study.study_name!r}: validation {metric} "
            f"{best.value:.6g} after {best.user_attrs.get('epochs', '?')} epochs\n")
    text = head + config.to_toml()
    atomic_write_text(path, text)
    return Path(path)


def save_figures(study, out_dir, metric):
    """Optimization history, parameter importances and the metric against each parameter, as
    PNG files in ``out_dir``; returns the paths written (a figure that cannot be drawn, e.g.
    importances with one completed trial, is skipped with a note)."""
    # Optuna's matplotlib plots draw through pyplot on whatever backend is current (glassnet
    # never switches it); each figure is closed once written, leaving pyplot as it was.
    import matplotlib.pyplot as plt
    import optuna.visualization.matplotlib as ovm

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written, notes = [], []
    plots = [("optimization_history", lambda: ovm.plot_optimization_history(
        study, target_name=metric)),
        ("param_importances", lambda: ovm.plot_param_importances(study, target_name=metric)),
        ("metric_vs_params", lambda: ovm.plot_slice(study, target_name=metric))]
    for name, draw in plots:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ax = draw()
        except (ValueError, RuntimeError, ZeroDivisionError) as e:
            notes.append(f"{name}: skipped ({e})")
            continue
        fig = (np.ravel(ax)[0] if isinstance(ax, np.ndarray) else ax).figure
        if name == "metric_vs_params":
            n = len(np.ravel(ax)) if isinstance(ax, np.ndarray) else 1
            fig.set_size_inches(max(6, 3.2 * n), 4)
        path = out_dir / f"{name}.png"
        fig.savefig(path, dpi=100, bbox_inches="tight")
        plt.close(fig)
        written.append(path)
    return written, notes


def retrain_best(study, job, path=None, X_test=None, y_test=None, extra=None):
    """Train the best configuration on every search row (train + validation) for the number of
    epochs its trial needed, save it with its preparation, and score it on a test set if given.

    Returns ``(model, prep, test_score or None)``.
    """
    config = best_config(study, job.space)
    epochs = int(study.best_trial.user_attrs.get("epochs", config.epochs))
    config = config.replace(epochs=max(1, epochs), patience=0)
    prep = job.make_prep().fit(job.X, job.y)
    X, y = prep.transform(job.X), prep.transform_target(job.y)
    from .search import one_blas_thread

    with one_blas_thread():
        model = fit_config(config, X, y, job.task, job.n_classes).model
    test = None
    if X_test is not None:
        y_true = np.asarray(y_test) if job.task == "regression" else prep.transform_target(y_test)
        test = score(job.metric, y_true,
                     predict_for_metric(model, job.task, prep.transform(X_test), prep))
    if path is not None:
        meta = {"task": job.task, "metric": job.metric, "study": study.study_name,
                "best_trial": study.best_trial.number,
                "validation_" + job.metric: study.best_value}
        if test is not None:
            meta["test_" + job.metric] = test
        meta.update(extra or {})
        tabular = getattr(prep, "tabular", None)
        if tabular is not None:  # a TabularPreprocessor: glassnet predict/evaluate can use it
            save_model(model, path, extra=meta, preprocessor=tabular, config=config)
        else:
            meta["preprocessing"] = prep.to_dict()
            save_model(model, path, extra=meta, config=config)
    return model, prep, test
