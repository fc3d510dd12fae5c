"""Earthquake magnitude from date, time and place: a random search over the network, then an
honest comparison with the training mean, linear regression and gradient boosting.

The challenge: "build a neural network to predict the magnitude of an earthquake given the date,
time, latitude and longitude as features; optimize at least one hyperparameter using random
search". Rows are split 70/15/15 (train/validation/test, shuffled with a fixed seed). Each trial
standardizes with its training rows only, trains with early stopping on the validation rows
and is scored by validation MAE; the best configuration is retrained on train + validation and
judged once on the test rows, next to baselines fitted on the same train + validation rows.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np

from ..paths import DEFAULT_OUT

NAME = "earthquakes"
TITLE = "Earthquake magnitude (USGS 1965-2016): random search vs baselines"

SPACE = {
    "space": {
        "lr": {"low": 1e-4, "high": 1e-2, "log": True},
        "hidden_layers": {"low": 1, "high": 3},
        "hidden_units": {"low": 8, "high": 128, "log": True},
        "activation": ["relu", "tanh", "leaky_relu"],
        "l2": {"low": 1e-7, "high": 1e-2, "log": True},
        "batch_size": [64, 128, 256],
    },
    "fixed": {"epochs": 120, "patience": 12},
}
QUICK = {"epochs": 25, "patience": 5}


NETWORK = "network (best of search)"


def _bootstrap_gaps(y, predictions, seed, n_boot=1000):
    """95% intervals of (network MAE - baseline MAE) over bootstrap resamples of the test rows:
    is the gap larger than what the choice of test rows alone would make?"""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(y), size=(n_boot, len(y)))
    err = {k: np.abs(p - y) for k, p in predictions.items()}
    out = {}
    for k in predictions:
        if k == NETWORK:
            continue
        diff = (err[NETWORK] - err[k])[idx].mean(axis=1)
        lo, hi = np.percentile(diff, [2.5, 97.5])
        out[k] = (float(lo), float(hi))
    return out


def _baselines(X_dev, y_dev, X_test, seed):
    """Test predictions of the training mean, linear regression and gradient boosting."""
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.linear_model import LinearRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    out = {"training mean": np.full(len(X_test), y_dev.mean())}
    linear = make_pipeline(StandardScaler(), LinearRegression()).fit(X_dev, y_dev)
    out["linear regression"] = linear.predict(X_test)
    hgb = HistGradientBoostingRegressor(random_state=seed).fit(X_dev, y_dev)
    out["HistGradientBoostingRegressor"] = hgb.predict(X_test)
    return out


def run(quick=False, verbose=True, out=DEFAULT_OUT, trials=None, jobs=None, seed=0):
    """Search, retrain, compare; returns the tour row (network test MAE vs the baselines).

    Writes the study (``earthquakes-search.db``) and the retrained network
    (``earthquakes-model.npz``) into ``out``.
    """
    from ..errors import require

    for module in ("optuna", "sklearn"):  # the search, then the baselines
        require(module, "tune,sklearn", "the earthquakes example")
    from ..datasets.earthquakes import earthquake_features, load_earthquakes
    from ..nn.metrics import mae, rmse
    from ..tune import SearchSpace, best_config, retrain_best, search

    t_start = time.perf_counter()
    df, skipped = load_earthquakes(return_skipped=True)
    if verbose:
        print(f"earthquakes: {len(df):,} rows parsed, {len(skipped)} skipped"
              + (f" ({skipped['reason'].value_counts().to_dict()})" if len(skipped) else ""))
    X, names = earthquake_features(df)
    y = df["magnitude"].to_numpy(dtype=np.float64)
    order = np.random.default_rng(seed).permutation(len(y))
    n_test = round(0.15 * len(y))
    dev, test = order[n_test:], order[:n_test]

    spec = {"space": dict(SPACE["space"]), "fixed": dict(SPACE["fixed"])}
    if quick:
        spec["fixed"].update(QUICK)
    space = SearchSpace.from_dict(spec)
    n_trials = trials or (8 if quick else 30)
    jobs = jobs or (1 if quick else min(2, os.cpu_count() or 1))
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    db = out / "earthquakes-search.db"
    for suffix in ("", "-wal", "-shm"):  # a fresh study each run: this is a measurement
        Path(str(db) + suffix).unlink(missing_ok=True)
    if verbose:
        print(f"random search: {n_trials} trials, {jobs} process{'es' if jobs > 1 else ''}, "
              f"validation MAE on 15% of the rows; study in {db}")
    t0 = time.perf_counter()
    study, job = search(X[dev], y[dev], space, task="regression", n_trials=n_trials, jobs=jobs,
                        storage=f"sqlite:///{db}", study_name="earthquakes",
                        val_fraction=0.15 / 0.85, seed=seed, verbose=verbose)
    search_time = time.perf_counter() - t0
    model, prep, _ = retrain_best(study, job, out / "earthquakes-model.npz",
                                  extra={"features": names, "target": "magnitude"})
    pred = prep.inverse_transform_target(model.predict(prep.transform(X[test]))[:, 0])
    results = {NETWORK: pred, **_baselines(X[dev], y[dev], X[test], seed)}
    rows = {k: (mae(y[test], p), rmse(y[test], p)) for k, p in results.items()}
    gaps = _bootstrap_gaps(y[test], results, seed)
    total = time.perf_counter() - t_start
    cfg = best_config(study, space)
    if verbose:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"test set: {len(test):,} earthquakes (magnitude std "
                            f"{y[test].std():.3f})", title_justify="left")
        for col in ("model", "test MAE", "test RMSE"):
            table.add_column(col, justify="left" if col == "model" else "right")
        for k, (a, r) in rows.items():
            table.add_row(k, f"{a:.4f}", f"{r:.4f}")
        Console().print(table)
        for k, (lo, hi) in gaps.items():
            print(f"test MAE, network minus {k}: {rows[NETWORK][0] - rows[k][0]:+.4f} "
                  f"(95% bootstrap interval {lo:+.4f} to {hi:+.4f})")
        print(f"best network: hidden {cfg.hidden}, {cfg.activation}, lr {cfg.lr:.3g}, "
              f"l2 {cfg.l2:.3g}, batch {cfg.batch_size}, "
              f"{study.best_trial.user_attrs.get('epochs')} epochs "
              f"(trial {study.best_trial.number}, validation MAE {study.best_value:.4f})")
        print(f"search wall time {search_time:.1f} s ({n_trials} trials, {jobs} "
              f"worker{'s' if jobs > 1 else ''}); "
              f"whole example {total:.1f} s")
    net_mae = rows[NETWORK][0]
    return {
        "project": "Earthquake magnitude, random search",
        "metric": "test MAE (magnitude)",
        "result": f"{net_mae:.4f}",
        "reference": (f"mean {rows['training mean'][0]:.4f}, linear "
                      f"{rows['linear regression'][0]:.4f}, gradient boosting "
                      f"{rows['HistGradientBoostingRegressor'][0]:.4f}"),
        "rows": {k: {"mae": a, "rmse": r} for k, (a, r) in rows.items()},
        "mae_gap_intervals": gaps,
        "search_seconds": search_time,
        "seconds": total,
    }
