"""The files a training run writes into its folder: the model, ``metrics.json``, ``run.toml``
and the plots, as one unit (``glassnet.run_folder.RunFolder``)."""

from __future__ import annotations

import json

from .errors import shorten
from .run_folder import RunFolder

__all__ = ["RUN_FILES", "write_outputs"]


#: the files a training run writes (a previous run's copies are replaced as one unit)
RUN_FILES = ("model.npz", "metrics.json", "run.toml", "learning_curve.png",
             "confusion_matrix.png", "predicted_vs_actual.png", "residuals.png")


def write_outputs(out_dir, model, prep, config, result, history, arrays, plots=True):
    """Write the model file, ``metrics.json``, ``run.toml`` (the settings, to repeat the run)
    and the plots into ``out_dir`` (a folder or an open ``RunFolder``) as one unit: the folder
    holds the previous run's files until all of these are written; returns their paths."""
    if not isinstance(out_dir, RunFolder):
        with RunFolder(out_dir, RUN_FILES) as run:
            return write_outputs(run, model, prep, config, result, history, arrays, plots)
    run = out_dir
    result = {**result, "run": run.run_id}
    written = _write_run_files(run, model, prep, config, result, history, arrays, plots)
    run.commit()
    return {key: run.final(name) for key, name in written.items()}


def _write_run_files(run, model, prep, config, result, history, arrays, plots):
    """Write the run's files into the run folder's temporary folder; ``{key: file name}``."""
    from . import plots as plotting
    from .io import save_model

    written = {}

    def out(key, name):
        written[key] = name
        return run.file(name)

    save_model(model, out("model", "model.npz"), preprocessor=prep, config=config,
               extra={"metrics": {"test": result.get("test")}, "source": result.get("source"),
                      "read_options": result.get("read_options", {}), "run": run.run_id})
    text = json.dumps(result, indent=2, allow_nan=False) + "\n"
    out("metrics", "metrics.json").write_text(text, encoding="utf-8")
    out("config", "run.toml").write_text(f"# glassnet train, run {run.run_id}\n"
                                         + config.to_toml(), encoding="utf-8")
    if not plots:
        return written
    best = None if result["best_epoch"] is None else result["best_epoch"] - 1
    ylabel = (("MSE of the standardized target" if prep.standardize_target else "MSE")
              if prep.task_ == "regression"
              else "cross-entropy")
    label = shorten(prep.target, 60)
    plotting.learning_curve(history, out("learning_curve", "learning_curve.png"),
                            f"Learning curve: {label}", best, ylabel)
    y_true, y_pred = arrays["test"]
    if prep.task_ == "classification":
        plotting.confusion_matrix_plot(result["test"]["confusion_matrix"],
                                       [shorten(c, 30) for c in prep.classes_],
                                       out("confusion_matrix", "confusion_matrix.png"))
    else:
        plotting.predicted_vs_actual(y_true, y_pred,
                                     out("predicted_vs_actual", "predicted_vs_actual.png"),
                                     label=label)
        plotting.residuals_plot(y_true, y_pred, out("residuals", "residuals.png"), label=label)
    return written
