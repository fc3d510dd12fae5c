"""Earthquake magnitudes with a random search written on NumPy alone (the challenge's bonus).

The challenge: predict an earthquake's magnitude from its date, time and place, and "optimize
at least one hyperparameter using random search", for the bonus "using only numpy". The search
here is a dozen lines: each trial draws a configuration from a ``numpy.random.Generator``,

    lr ~ log-uniform [1e-4, 1e-2]     hidden layers ~ {1, 2, 3}     units ~ log-uniform [8, 128]
    activation ~ {relu, tanh, leaky_relu}   L2 ~ log-uniform [1e-7, 1e-2]   batch ~ {64, 128, 256}

trains the network on the training rows with early stopping on the validation rows, and keeps
the configuration with the lowest validation MAE; the winner is scored once on the test rows.
The features and the test rows are the earthquake project's (``glassnet example
earthquakes``: 15% of the rows, the same shuffle), so the test MAE compares with its Optuna
search and its baselines; the rest is split 70/15 into training and validation rows.

**When to use which.** A NumPy loop like this is enough for a few dozen trials on one machine:
no dependency, every line visible. Optuna earns its place when trials are expensive or many:
its TPE sampler proposes better configurations after the first ones, pruning stops hopeless
trials early, and a study kept in SQLite or PostgreSQL can be resumed, shared by parallel
workers and inspected (``glassnet search``).
"""

from __future__ import annotations

import numpy as np

from ..nn import Adam, EarlyStopping, Sequential
from ._figures import DEFAULT_OUT, new_figure, save_figure, speaker

__all__ = ["ACTIVATIONS", "OPTUNA_REFERENCE", "SEED", "earthquake_split", "lesson", "plot",
           "random_search", "report", "sample_config", "train_config"]

#: Hidden activations the search draws from.
ACTIVATIONS = ("relu", "tanh", "leaky_relu")

#: The project's 30-trial Optuna search and its training-mean baseline, test MAE (README).
OPTUNA_REFERENCE = {"optuna_30_trials": 0.3140, "training_mean": 0.3176,
                    "gradient_boosting": 0.3068}

#: The seed of the split (the project's) and of the search.
SEED = 0


def earthquake_split(seed=SEED):
    """The project's features and split: standardized X and the magnitude y for the train,
    validation and test rows (70/15/15), the scaling fitted on the training rows only."""
    from ..datasets.earthquakes import earthquake_features, load_earthquakes

    df = load_earthquakes()
    X, _ = earthquake_features(df)
    y = df["magnitude"].to_numpy(np.float64)
    order = np.random.default_rng(seed).permutation(len(y))
    n_test = round(0.15 * len(y))
    test, dev = order[:n_test], order[n_test:]
    n_val = round(0.15 * len(y))
    val, train = dev[:n_val], dev[n_val:]
    mean, std = X[train].mean(axis=0), X[train].std(axis=0)
    y_mean, y_std = y[train].mean(), y[train].std()
    parts = {name: ((X[rows] - mean) / std, y[rows]) for name, rows in
             (("train", train), ("val", val), ("test", test))}
    return parts, (y_mean, y_std)


def sample_config(rng):
    """One configuration drawn from ``rng`` (a ``numpy.random.Generator``)."""
    return {"lr": float(10 ** rng.uniform(-4, -2)),
            "hidden_layers": int(rng.integers(1, 4)),
            "hidden_units": round(2 ** rng.uniform(3, 7)),
            "activation": str(rng.choice(ACTIVATIONS)),
            "l2": float(10 ** rng.uniform(-7, -2)),
            "batch_size": int(rng.choice([64, 128, 256]))}


def train_config(config, parts, y_scale, epochs=60, patience=6, seed=SEED):
    """Train one configuration with early stopping on the validation rows; returns the model,
    its validation and test MAE (magnitude units) and the epochs it ran."""
    (X, y), (Xv, yv), (Xt, yt) = parts["train"], parts["val"], parts["test"]
    y_mean, y_std = y_scale
    model = Sequential.from_sizes(
        [X.shape[1], *[config["hidden_units"]] * config["hidden_layers"], 1],
        config["activation"], seed=seed)
    stop = EarlyStopping("val_loss", patience=patience, restore_best_weights=True)
    history = model.fit(X, (y - y_mean) / y_std, optimizer=Adam(lr=config["lr"]),
                        epochs=epochs, batch_size=config["batch_size"], l2=config["l2"],
                        validation_data=(Xv, (yv - y_mean) / y_std), callbacks=[stop],
                        verbose=0)

    def mae(A, b):
        return float(np.mean(np.abs(model.predict(A)[:, 0] * y_std + y_mean - b)))

    return {"model": model, "val_mae": mae(Xv, yv), "test_mae": mae(Xt, yt),
            "epochs": len(history.history["loss"])}


def random_search(n_trials=12, epochs=60, patience=6, seed=SEED, parts=None):
    """``n_trials`` random configurations; returns every trial and the best by validation
    MAE, with the training-mean baseline's test MAE."""
    if isinstance(n_trials, bool) or not isinstance(n_trials, int) or n_trials < 1:
        raise ValueError(f"n_trials must be a positive integer, got {n_trials!r}")
    parts, y_scale = earthquake_split(seed) if parts is None else parts
    rng = np.random.default_rng(seed)
    trials = []
    for k in range(n_trials):
        config = sample_config(rng)
        result = train_config(config, parts, y_scale, epochs, patience, seed=seed + k)
        trials.append({"config": config, **{key: v for key, v in result.items()
                                            if key != "model"}})
    best = min(range(n_trials), key=lambda k: trials[k]["val_mae"])
    y_train, y_test = parts["train"][1], parts["test"][1]
    return {"trials": trials, "best": best, "test_mae": trials[best]["test_mae"],
            "mean_baseline": float(np.mean(np.abs(y_test - y_train.mean()))),
            "n_rows": {k: len(v[1]) for k, v in parts.items()}}


def _describe(config):
    return (f"{config['hidden_layers']} x {config['hidden_units']} {config['activation']}, "
            f"lr {config['lr']:.2g}, L2 {config['l2']:.2g}, batch {config['batch_size']}")


def report(result):
    """Every trial, the winner's test MAE and the references."""
    lines = [f"random search on NumPy alone: {len(result['trials'])} trials; rows "
             + ", ".join(f"{k} {v:,}" for k, v in result["n_rows"].items())]
    for k, t in enumerate(result["trials"]):
        mark = "  <- best" if k == result["best"] else ""
        lines.append(f"  trial {k:>2}: {_describe(t['config'])}: validation MAE "
                     f"{t['val_mae']:.4f} ({t['epochs']} epochs){mark}")
    ref = OPTUNA_REFERENCE
    lines.append(f"best by validation, on the test rows: MAE {result['test_mae']:.4f}; "
                 f"training mean {result['mean_baseline']:.4f}; the project's Optuna search "
                 f"{ref['optuna_30_trials']:.4f}, gradient boosting "
                 f"{ref['gradient_boosting']:.4f} (README)")
    lines.append("the same ballpark: on these features every model sits within a few "
                 "thousandths of the mean's MAE. A NumPy loop suffices for a few dozen cheap "
                 "trials; Optuna pays off with costly or many trials (TPE sampling, pruning, "
                 "resumable and parallel studies).")
    return "\n".join(lines)


def plot(result):
    """Validation MAE of every trial in order, the running best, and the test references."""
    fig, ax = new_figure(figsize=(8, 4.5))
    val = [t["val_mae"] for t in result["trials"]]
    ax.plot(range(len(val)), val, "o", label="trial's validation MAE")
    ax.plot(range(len(val)), np.minimum.accumulate(val), "-", label="best so far")
    ax.axhline(result["test_mae"], color="tab:green", ls="--",
               label=f"best trial on the test rows: {result['test_mae']:.4f}")
    ax.axhline(result["mean_baseline"], color="gray", ls=":",
               label=f"training mean on the test rows: {result['mean_baseline']:.4f}")
    ax.axhline(OPTUNA_REFERENCE["optuna_30_trials"], color="tab:purple", ls="-.",
               label=f"project's Optuna search (30 trials): "
                     f"{OPTUNA_REFERENCE['optuna_30_trials']:.4f}")
    ax.set_xlabel("trial")
    ax.set_ylabel("MAE (magnitude)")
    ax.set_title("Random search on NumPy alone: earthquake magnitude", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson earthquake-search``: a NumPy-only random search (``quick``: 3 short
    trials)."""
    say = speaker(verbose)
    result = (random_search(n_trials=3, epochs=8, patience=3) if quick
              else random_search())
    say(report(result))
    result["figure"] = save_figure(plot(result), out, "earthquake-search.png")
    say(f"figure: {result['figure']}")
    return result
