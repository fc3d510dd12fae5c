import ast
from pathlib import Path

import numpy as np
import pytest

from glassnet.classic import earthquake_search as S


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    return S.lesson(quick=True, verbose=False, out=tmp_path_factory.mktemp("search"))


def test_search_reaches_the_optuna_searchs_ballpark(lesson_run):
    assert len(lesson_run["trials"]) == 3
    best = lesson_run["trials"][lesson_run["best"]]
    assert best["val_mae"] == min(t["val_mae"] for t in lesson_run["trials"])
    # at or below the training mean, within 0.01 of the project's 30-trial Optuna search
    assert lesson_run["test_mae"] < lesson_run["mean_baseline"]
    assert abs(lesson_run["test_mae"] - S.OPTUNA_REFERENCE["optuna_30_trials"]) < 0.01
    assert lesson_run["mean_baseline"] == pytest.approx(S.OPTUNA_REFERENCE["training_mean"],
                                                        abs=0.002)


def test_same_test_rows_as_the_project(lesson_run):
    assert lesson_run["n_rows"] == {"train": 16388, "val": 3512, "test": 3512}


def test_configurations_come_from_the_generator():
    a = [S.sample_config(np.random.default_rng(5)) for _ in range(2)]
    assert a[0] == a[1]
    c = a[0]
    assert 1e-4 <= c["lr"] <= 1e-2 and 1 <= c["hidden_layers"] <= 3
    assert 8 <= c["hidden_units"] <= 128 and c["activation"] in S.ACTIVATIONS


def test_numpy_only_no_optuna():
    tree = ast.parse(Path(S.__file__).read_text())
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any("optuna" in name for name in names)


def test_bad_trials():
    with pytest.raises(ValueError, match="n_trials"):
        S.random_search(n_trials=0)


def test_lesson_figure(lesson_run, check_png):
    check_png(lesson_run["figure"])
