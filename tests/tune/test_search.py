"""The search API in one process: trials, pruning, cross-validation, reports, retraining."""

import numpy as np
import optuna
import pytest

from glassnet.config import TrainConfig
from glassnet.errors import UsageError
from glassnet.io import load_model
from glassnet.nn import Sequential
from glassnet.tune import (
    ArrayStandardizer,
    Float,
    Int,
    OptunaPruning,
    SearchSpace,
    best_trials_table,
    retrain_best,
    save_figures,
    search,
    write_best_config,
)
from glassnet.tune.objective import make_folds


def _data(n=200, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = 2 * X[:, 0] + np.sin(2 * X[:, 1]) + 0.1 * rng.normal(size=n)
    return X, y


SPACE = SearchSpace({"lr": Float(3e-3, 5e-2, log=True), "hidden_units": Int(4, 16),
                     "activation": ["relu", "tanh"]}, fixed={"epochs": 15, "patience": 4})


def test_small_search_end_to_end(tmp_path):
    X, y = _data()
    url = f"sqlite:///{tmp_path / 's.db'}"
    study, job = search(X[:160], y[:160], SPACE, task="regression",
                        n_trials=6, storage=url, study_name="e2e",
                        verbose=False)
    assert (tmp_path / "s.db").is_file()
    states = [t.state.name for t in study.get_trials()]
    assert len(states) == 6 and set(states) <= {"COMPLETE", "PRUNED"}
    done = [t for t in study.get_trials() if t.state.name == "COMPLETE"]
    # Every epoch was reported: the per-epoch values are the validation MAE, ending at the score
    # of the restored (best) epoch or above it.
    for t in done:
        steps = sorted(t.intermediate_values)
        assert steps == list(range(len(steps))) and len(steps) >= t.user_attrs["epochs"]
        # early stopping restored the epoch of lowest validation loss; its MAE is the score
        assert t.value == pytest.approx(t.intermediate_values[t.user_attrs["epochs"] - 1],
                                        rel=1e-5)
    # The mean of the training target is a floor any sensible network beats here.
    assert study.best_value < np.mean(np.abs(y - y.mean()))

    table = best_trials_table(study, "mae")
    assert table.row_count == len(done)
    cfg_path = write_best_config(study, SPACE, tmp_path / "best.toml", "mae")
    cfg = TrainConfig.from_toml(cfg_path)
    assert cfg.lr == pytest.approx(study.best_params["lr"])
    # depth is not searched: it stays the default one layer (hidden 'auto'), its width searched
    assert cfg.hidden == [study.best_params["hidden_units_1"]]
    figures, notes = save_figures(study, tmp_path / "figs", "mae")
    assert sorted(p.name for p in figures) == ["metric_vs_params.png",
                                               "optimization_history.png",
                                               "param_importances.png"], notes
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in figures)

    _, prep, test = retrain_best(study, job, tmp_path / "m.npz", X[160:], y[160:])
    loaded, extra = load_model(tmp_path / "m.npz", return_extra=True)
    assert isinstance(loaded, Sequential)
    assert extra["preprocessing"]["y_mean"] == pytest.approx(y[:160].mean())
    pred = prep.inverse_transform_target(loaded.predict(prep.transform(X[160:]))[:, 0])
    assert np.mean(np.abs(pred - y[160:])) == pytest.approx(test, rel=1e-5)


class _Trial:
    """Stands in for an Optuna trial: records reports, asks to prune from epoch ``at``."""

    def __init__(self, at):
        self.at, self.reports, self.user_attrs = at, [], {}

    def report(self, value, step):
        self.reports.append((step, value))

    def should_prune(self):
        return len(self.reports) > self.at

    def set_user_attr(self, key, value):
        self.user_attrs[key] = value


def test_pruning_callback_reports_each_epoch_and_stops_the_fit():
    X, y = _data()
    prep = ArrayStandardizer("regression").fit(X[:150], y[:150])
    Xt, yt, Xv = prep.transform(X[:150]), prep.transform_target(y[:150]), prep.transform(X[150:])
    trial = _Trial(at=2)
    model = Sequential.from_sizes([3, 8, 1], seed=0)
    cb = OptunaPruning(trial, "mae", "regression", Xv, y[150:], prep)
    with pytest.raises(optuna.TrialPruned, match="epoch 3"):
        model.fit(Xt, yt, epochs=50, callbacks=[cb], verbose=0)
    assert [s for s, _ in trial.reports] == [0, 1, 2]
    pred = prep.inverse_transform_target(model.predict(Xv)[:, 0])
    assert trial.reports[-1][1] == pytest.approx(np.mean(np.abs(pred - y[150:])), rel=1e-6)
    assert trial.user_attrs["stopped"] == "pruned at epoch 3"


def test_median_pruner_prunes_hopeless_trials(tmp_path):
    # lr spans four decades: the slow end cannot keep up with the median and is pruned.
    space = SearchSpace({"lr": Float(1e-5, 3e-2, log=True)},
                        fixed={"epochs": 20, "patience": 0, "hidden": [8]})
    X, y = _data()
    study, _ = search(X, y, space, task="regression",
                      n_trials=12, storage=f"sqlite:///{tmp_path / 'p.db'}",
                      verbose=False)
    pruned = [t for t in study.get_trials() if t.state.name == "PRUNED"]
    assert pruned, "no trial was pruned"
    for t in pruned:
        assert t.user_attrs["stopped"].startswith("pruned at epoch")
        assert len(t.intermediate_values) < 20


def test_cross_validation_reports_per_fold_and_averages(tmp_path):
    X, y = _data(120)
    study, _ = search(X, y, SPACE, task="regression",
                      n_trials=2, cv=3, storage=f"sqlite:///{tmp_path / 'c.db'}",
                      verbose=False, prune=False)
    for t in study.get_trials():
        assert sorted(t.intermediate_values) == [0, 1, 2]
        assert t.value == pytest.approx(t.intermediate_values[2])
    folds = make_folds(120, cv=3)
    assert sorted(np.concatenate([v for _, v in folds]).tolist()) == list(range(120))


def test_classification_with_accuracy(tmp_path):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(180, 2))
    y = np.where(X[:, 0] * X[:, 1] > 0, "same", "diff")
    study, _ = search(X, y, SPACE, task="classification", metric="accuracy", n_trials=3,
                      storage=f"sqlite:///{tmp_path / 'k.db'}", verbose=False)
    assert study.direction.name == "MAXIMIZE"
    assert 0.5 < study.best_value <= 1.0


def test_random_sampler_draws_depend_on_trial_number_only(tmp_path):
    X, y = _data(100)
    kw = dict(n_trials=3, verbose=False, prune=False)
    a, _ = search(X, y, SPACE, task="regression",
                  storage=f"sqlite:///{tmp_path / 'a.db'}", seed=5, **kw)
    b, _ = search(X, y, SPACE, task="regression",
                  storage=f"sqlite:///{tmp_path / 'b.db'}", seed=5, **kw)
    c, _ = search(X, y, SPACE, task="regression",
                  storage=f"sqlite:///{tmp_path / 'c.db'}", seed=6, **kw)
    assert [t.params for t in a.trials] == [t.params for t in b.trials]
    assert [t.params for t in a.trials] != [t.params for t in c.trials]
    assert len({t.params["lr"] for t in a.trials}) == 3


def test_resuming_with_another_space_or_metric_is_refused(tmp_path):
    X, y = _data(100)
    url = f"sqlite:///{tmp_path / 'r.db'}"
    search(X, y, SPACE, task="regression", n_trials=1, storage=url, study_name="s", verbose=False)
    other = SearchSpace({"lr": Float(1e-3, 1e-1, log=True)}, fixed={"epochs": 5})
    with pytest.raises(ValueError, match="different space"):
        search(X, y, other, task="regression",
               n_trials=2, storage=url, study_name="s", resume=True, verbose=False)
    with pytest.raises(ValueError, match="different metric"):
        search(X, y, SPACE, task="regression",
               metric="mse", n_trials=2, storage=url, study_name="s",
               resume=True, verbose=False)
    with pytest.raises(ValueError, match="already exists"):
        search(X, y, SPACE, task="regression",
               n_trials=2, storage=url, study_name="s", verbose=False)


def test_grid_sampler_visits_every_point_once(tmp_path):
    space = SearchSpace({"activation": ["relu", "tanh"], "hidden": [[4], [8, 4]]},
                        fixed={"epochs": 3, "lr": 0.01})
    X, y = _data(80)
    study, _ = search(X, y, space, task="regression",
                      sampler="grid", n_trials=10, verbose=False, prune=False,
                      storage=f"sqlite:///{tmp_path / 'g.db'}")
    points = sorted((t.params["activation"], t.params["hidden"]) for t in study.trials)
    assert points == [("relu", "4"), ("relu", "8-4"), ("tanh", "4"), ("tanh", "8-4")]


def test_tpe_sampler_runs_a_study(tmp_path):
    X, y = _data(80)
    study, _ = search(X, y, SPACE, task="regression", sampler="tpe", n_trials=3, verbose=False,
                      storage=f"sqlite:///{tmp_path / 't.db'}")
    assert len(study.trials) == 3
    assert all(3e-3 <= t.params["lr"] <= 5e-2 for t in study.trials)


def test_search_refuses_to_guess_the_task(tmp_path, capsys):
    """0/1 labels searched as a regression would be optimized by MAE: the task must be said."""
    X, y = _data()
    labels = (y > np.median(y)).astype(int)
    with pytest.raises(UsageError, match="say which task the search is for"):
        search(X, labels, SPACE, n_trials=1, storage=f"sqlite:///{tmp_path / 'x.db'}")
    study, job = search(X, labels, SPACE, task="auto", n_trials=2, prune=False,
                        storage=f"sqlite:///{tmp_path / 'a.db'}")
    assert job.task == "classification" and job.metric == "log_loss"
    out = capsys.readouterr().out
    assert "task classification (auto: the target has 2 distinct whole-number values)" in out
    # a classification trial shows its accuracy beside its log-loss, in its line and table
    assert "log_loss" in out and ", accuracy " in out
    done = [t for t in study.trials if t.state.name == "COMPLETE"]
    assert all(0 <= t.user_attrs["accuracy"] <= 1 for t in done)
    from rich.console import Console
    from rich.measure import Measurement

    table = best_trials_table(study, "log_loss")
    narrow = Console(width=40)
    needed = Measurement.get(narrow, narrow.options.update(max_width=10**5), table).minimum
    console = Console(width=max(40, needed), record=True)
    console.print(table)
    header = next(line for line in console.export_text().splitlines() if "log_loss" in line)
    for name in ("trial", "log_loss", "accuracy", "epochs", "activation", "hidden_units_1"):
        assert f" {name} " in header  # on one line, whole
