"""Hyperparameter search on Optuna: spaces, trials that prune, studies that resume and scale out.

    from glassnet.tune import SearchSpace, Float, Int, Categorical, search

    space = SearchSpace({"lr": Float(1e-4, 1e-1, log=True), "hidden_units": Int(8, 128)})
    study, job = search(X, y, space, n_trials=30, storage="sqlite:///search.db")

Optuna is imported on first use (it is the ``tune`` extra), so ``import glassnet`` stays light.
"""

from .objective import METRICS, Objective, OptunaPruning, make_folds
from .prepare import ArrayStandardizer, TableEncoder, load_table
from .report import (
    best_config,
    best_trials_table,
    retrain_best,
    save_figures,
    write_best_config,
)
from .search import DEFAULT_STORAGE, SearchJob, search
from .space import DEFAULT_SPACE, Categorical, Float, Int, SearchSpace, default_space
from .study import SeededRandomSampler, count_trials, open_storage, open_study, run_worker

__all__ = [
    "DEFAULT_SPACE", "DEFAULT_STORAGE", "METRICS", "ArrayStandardizer", "Categorical", "Float",
    "Int", "Objective", "OptunaPruning", "SearchJob", "SearchSpace", "SeededRandomSampler",
    "TableEncoder", "best_config", "best_trials_table", "count_trials", "default_space",
    "load_table", "make_folds", "open_storage", "open_study", "retrain_best", "run_worker",
    "save_figures", "search", "write_best_config",
]
