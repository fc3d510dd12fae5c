"""Helpers for the search tests: a small regression CSV and the CLI in a subprocess."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

SRC = str(Path(__file__).resolve().parents[2] / "src")

SPACE = """
[space]
lr = { low = 1e-3, high = 0.1, log = true }
hidden_layers = { low = 1, high = 2 }
hidden_units = { low = 4, high = 16 }
activation = ["relu", "tanh"]
l2 = { low = 1e-6, high = 1e-2, log = true }

[fixed]
epochs = %(epochs)d
patience = %(patience)d
batch_size = 32
"""


def cli_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONWARNINGS"] = "ignore"
    return env


def glassnet_cmd(*args):
    return [sys.executable, "-m", "glassnet", "search", *map(str, args)]


def run_cli(*args, cwd, timeout=120):
    return subprocess.run(glassnet_cmd(*args), cwd=cwd, env=cli_env(), capture_output=True,
                          text=True, timeout=timeout)


def write_toy(folder, n=240, seed=0):
    """y = 2 a + sin(3 b) + [c == "x"] + noise, with a categorical column c."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n),
                       "c": rng.choice(["x", "y", "z"], n)})
    df["y"] = 2 * df.a + np.sin(3 * df.b) + (df.c == "x") + 0.1 * rng.normal(size=n)
    path = Path(folder) / "toy.csv"
    df.to_csv(path, index=False)
    return path


def write_space(folder, epochs=20, patience=5, name="space.toml"):
    path = Path(folder) / name
    path.write_text(SPACE % {"epochs": epochs, "patience": patience})
    return path


def trials_of(url, study):
    """The study's trials as read from its storage, by a separate connection."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    storage = optuna.storages.RDBStorage(url)
    try:
        return optuna.load_study(study_name=study, storage=storage).get_trials(deepcopy=True)
    finally:
        storage.remove_session()
        storage.engine.dispose()


def finished(trials):
    return [t for t in trials if t.state.name in ("COMPLETE", "PRUNED")]
