"""``TrainConfig`` checks every setting's type and range, from Python, TOML or flags; the
network's memory is estimated before it is built."""

import os

import numpy as np
import pytest

from glassnet.config import MAX_TRAINING_BYTES, TrainConfig, check_network_size, fit_config
from glassnet.errors import UsageError


@pytest.mark.parametrize("settings, message", [
    ({"activation": 5}, "activation must be a string, got 5"),
    ({"optimizer": ["adam"]}, "optimizer must be a string, got ['adam']"),
    ({"standardize_target": "no"}, "standardize_target must be true or false, got 'no'"),
    ({"hidden": [[1]]}, "hidden must be a list of layer sizes"),
    ({"hidden": [True]}, "hidden must be a list of layer sizes"),
    ({"lr": "0.1"}, "lr must be a number, got '0.1'"),
    ({"lr": float("inf")}, "lr must be a number, got inf"),
    ({"epochs": 2.5}, "epochs must be a whole number, got 2.5"),
    ({"seed": -1}, "seed must be a whole number in [0, 2**63), got -1"),
    ({"momentum": 2}, "momentum must be in [0, 1), got 2.0"),
    ({"dropout": float("nan")}, "dropout must be a number, got nan"),
    ({"batch_size": "64"}, "batch_size must be a whole number, got '64'"),
    ({"hidden": [[0] * 10_000]}, "hidden must be a list of layer sizes"),  # shown cut
])
def test_a_setting_of_the_wrong_type_or_range_is_one_error_naming_it(settings, message):
    with pytest.raises(UsageError) as e:
        TrainConfig(**settings)
    assert message in str(e.value) and len(str(e.value)) < 200


def test_whole_numbers_for_real_settings_become_floats():
    config = TrainConfig(lr=1, l2=0)
    assert config.lr == 1.0 and isinstance(config.lr, float) and isinstance(config.l2, float)


@pytest.mark.parametrize("text, message", [
    ("[train]\nhidden = " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply|hidden must"),
    ("train = 5\n", "training settings must be a table"),
    ('[train]\nactivation = 5\n', "activation must be a string"),
])
def test_settings_files_that_are_wrong_say_so_in_one_line(tmp_path, text, message):
    (tmp_path / "run.toml").write_text(text)
    with pytest.raises(UsageError, match=message):
        TrainConfig.from_toml(tmp_path / "run.toml")


def test_a_settings_file_that_is_a_pipe_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "run.toml")
    with pytest.raises(UsageError, match="not a regular file"):
        TrainConfig.from_toml(tmp_path / "run.toml")


def test_a_network_too_large_to_train_is_refused_with_its_estimate():
    config = TrainConfig(hidden=[20000, 20000])
    with pytest.raises(UsageError, match=r"400,\d{3},\d{3} parameters .* needs about \d+\.\d "
                                         r"GiB to train.*--hidden"):
        check_network_size(config, 10, 1, 1000)
    check_network_size(TrainConfig(hidden=[256, 256]), 1000, 10, 10**5)  # 0.3M: fine
    X = np.zeros((10, 3), np.float32)
    with pytest.raises(UsageError, match="needs about"):  # before any weight is allocated
        fit_config(config.replace(hidden=[10**6, 10**6]), X, np.zeros(10), "regression")
    assert MAX_TRAINING_BYTES == 2 * 2**30
