"""glassnet's scikit-learn estimators side by side with MLPClassifier / MLPRegressor.

Same splits, same preprocessing (StandardScaler on X; on y too for regression, through
TransformedTargetRegressor), same network (one hidden layer of 100 ReLU units), the same
hyperparameters (Adam, lr 0.001, alpha 1e-4, batch min(200, n), tol 1e-4, 10 epochs without
improvement stop) and the same epoch budget ``max_iter``. The score is each estimator's own
``score`` on the held-out quarter: accuracy for the classifiers, R^2 for the regressors.

    python benchmarks/sklearn_compare.py                     # budgets 20 and 200, 5 splits
    python benchmarks/sklearn_compare.py --epochs 50 --seeds 3 --json scores.json
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from glassnet.sklearn import GlassNetClassifier, GlassNetRegressor

DATASETS = {
    "digits": (load_digits, "classification"),
    "breast_cancer": (load_breast_cancer, "classification"),
    "diabetes": (load_diabetes, "regression"),
}


def make_estimators(task, epochs, seed):
    """(name, estimator) pairs with identical settings for glassnet and scikit-learn."""
    common = dict(hidden_layer_sizes=(100,), max_iter=epochs, random_state=seed)
    if task == "classification":
        pairs = [("glassnet", GlassNetClassifier(**common)),
                 ("sklearn MLP", MLPClassifier(**common))]
        return [(name, make_pipeline(StandardScaler(), est)) for name, est in pairs]
    pairs = [("glassnet", GlassNetRegressor(**common)), ("sklearn MLP", MLPRegressor(**common))]
    return [(name, make_pipeline(StandardScaler(), TransformedTargetRegressor(
        regressor=est, transformer=StandardScaler()))) for name, est in pairs]


def _n_iter(pipeline):
    est = pipeline[-1]
    return getattr(est, "regressor_", est).n_iter_


def compare(dataset, epochs, seeds):
    """Test scores of both estimators over ``seeds`` random 75/25 splits.

    Returns {name: {"scores": [...], "epochs": [...], "seconds": [...]}}.
    """
    loader, task = DATASETS[dataset]
    X, y = loader(return_X_y=True)
    results = {}
    for seed in seeds:
        stratify = y if task == "classification" else None
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=seed,
                                                  stratify=stratify)
        for name, est in make_estimators(task, epochs, seed):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                t0 = time.perf_counter()
                est.fit(X_tr, y_tr)
                seconds = time.perf_counter() - t0
            row = results.setdefault(name, {"scores": [], "epochs": [], "seconds": []})
            row["scores"].append(est.score(X_te, y_te))
            row["epochs"].append(_n_iter(est))
            row["seconds"].append(seconds)
    return results


def markdown_table(all_results):
    """A Markdown table: one row per (data set, budget), both estimators side by side.

    The difference is paired (same split, same seed): its mean and standard error over splits.
    """
    lines = ["| data set | metric | max_iter | glassnet | sklearn MLP | glassnet - MLP "
             "(paired, ± s.e.) | epochs run (glassnet / MLP) | fit s (glassnet / MLP) |",
             "|---|---|---|---|---|---|---|---|"]
    for (dataset, epochs), results in all_results.items():
        metric = "accuracy" if DATASETS[dataset][1] == "classification" else "R^2"
        ours, theirs = results["glassnet"], results["sklearn MLP"]
        a, b = np.asarray(ours["scores"]), np.asarray(theirs["scores"])
        diff = a - b
        se = diff.std(ddof=1) / np.sqrt(diff.size) if diff.size > 1 else float("nan")
        lines.append(
            f"| {dataset} | {metric} | {epochs} | {a.mean():.4f} ± {a.std():.4f} | "
            f"{b.mean():.4f} ± {b.std():.4f} | {diff.mean():+.4f} ± {se:.4f} | "
            f"{np.mean(ours['epochs']):.0f} / {np.mean(theirs['epochs']):.0f} | "
            f"{np.mean(ours['seconds']):.2f} / {np.mean(theirs['seconds']):.2f} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, nargs="+", default=[20, 200])
    parser.add_argument("--seeds", type=int, default=5, help="number of random splits")
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=list(DATASETS))
    parser.add_argument("--json", help="also write every score to this JSON file")
    args = parser.parse_args(argv)
    all_results = {}
    for dataset in args.datasets:
        for epochs in args.epochs:
            all_results[dataset, epochs] = compare(dataset, epochs, range(args.seeds))
    print(markdown_table(all_results))
    if args.json:
        rows = [{"dataset": d, "max_iter": e, "estimator": name, **row}
                for (d, e), results in all_results.items() for name, row in results.items()]
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return all_results


if __name__ == "__main__":
    main()
