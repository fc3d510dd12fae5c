import optuna
import pytest

from glassnet.config import TrainConfig
from glassnet.errors import UsageError
from glassnet.tune import Categorical, Float, Int, SearchSpace


def test_toml_and_yaml_give_the_same_space(tmp_path):
    (tmp_path / "s.toml").write_text(
        '[space]\nlr = { low = 1e-4, high = 0.1, log = true }\nactivation = ["relu", "tanh"]\n'
        "hidden_units = { low = 8, high = 64 }\n[fixed]\nepochs = 7\n")
    (tmp_path / "s.yaml").write_text(
        "space:\n  lr: {low: 1.0e-4, high: 0.1, log: true}\n  activation: [relu, tanh]\n"
        "  hidden_units: {low: 8, high: 64}\nfixed:\n  epochs: 7\n")
    a = SearchSpace.from_file(tmp_path / "s.toml")
    b = SearchSpace.from_file(tmp_path / "s.yaml")
    assert a.to_dict() == b.to_dict()
    assert a.params["lr"] == Float(1e-4, 0.1, log=True)
    assert a.params["hidden_units"] == Int(8, 64)
    assert a.base.epochs == 7


def test_suggest_builds_a_valid_config_within_the_ranges():
    space = SearchSpace({"lr": Float(1e-4, 1e-1, log=True), "hidden_layers": Int(1, 3),
                         "hidden_units": Int(4, 32), "optimizer": Categorical(["adam", "sgd"]),
                         "dropout": Float(0.0, 0.5), "batch_size": [16, 64]},
                        fixed={"epochs": 3})
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=1))
    for _ in range(20):
        trial = study.ask()
        cfg = space.suggest(trial)
        assert isinstance(cfg, TrainConfig) and cfg.epochs == 3
        assert 1e-4 <= cfg.lr <= 1e-1 and 0 <= cfg.dropout <= 0.5
        assert 1 <= len(cfg.hidden) <= 3 and all(4 <= h <= 32 for h in cfg.hidden)
        assert len(cfg.hidden) == trial.params["hidden_layers"]
        assert cfg.optimizer in ("adam", "sgd") and cfg.batch_size in (16, 64)
        study.tell(trial, 0.0)


def test_hidden_as_choices_of_lists():
    space = SearchSpace({"hidden": [[8], [16, 8]]})
    cfg = space.suggest(optuna.trial.FixedTrial({"hidden": "16-8"}))
    assert cfg.hidden == [16, 8]


@pytest.mark.parametrize("params, message", [
    ({"learning_rate": Float(0.1, 1.0)}, "unknown hyperparameter 'learning_rate'"),
    ({"seed": [1, 2]}, "unknown hyperparameter 'seed'"),
    ({"lr": Float(0.1, 0.01)}, "lr range is inverted"),
    ({"lr": {"low": 0.1, "high": 0.1}}, "lr range is empty"),
    ({"l2": Float(0.0, 1.0, log=True)}, "log-scaled, so low must be > 0"),
    ({"dropout": Float(0.0, 1.5)}, "dropout must be in [0, 1)"),
    ({"activation": ["relu", "swish"]}, "'swish'"),
    ({"activation": []}, "empty list of choices"),
    ({"epochs": {"low": 1.5, "high": 4}}, "integer setting"),
    ({"lr": {"low": 0.001}}, "needs both low and high"),
    ({"lr": {"low": "a", "high": 1}}, "lr low must be a number"),
    ({}, "search space is empty"),
])
def test_bad_spaces_name_the_problem(params, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("(", r"\(")
                       .replace(")", r"\)")):
        SearchSpace(params)


def test_grid_enumerates_choices_and_ranges():
    space = SearchSpace({"lr": Float(1e-3, 1e-1, log=True), "activation": ["relu", "tanh"],
                         "hidden_units": {"low": 4, "high": 16, "per_layer": False}})
    grid = space.grid()
    assert grid["activation"] == ["relu", "tanh"]
    assert grid["lr"] == pytest.approx([1e-3, 1e-2, 1e-1])
    assert grid["hidden_units"] == [4, 10, 16]
    assert space.grid_size() == 18
    with pytest.raises(ValueError, match="per_layer = false"):
        SearchSpace({"hidden_units": Int(4, 16)}).grid()


def test_a_yaml_alias_bomb_is_refused_before_anything_expands(tmp_path):
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]"
              for i in range(8)]
    lines.append("space: {activation: *i}")
    (tmp_path / "bomb.yaml").write_text("\n".join(lines) + "\n")  # 9**9 items once walked
    with pytest.raises(UsageError, match="uses YAML aliases"):
        SearchSpace.from_file(tmp_path / "bomb.yaml")


def test_a_space_that_is_not_a_table_of_ranges_is_one_usage_error(tmp_path):
    (tmp_path / "s.toml").write_text("[space]\nlr = 5\n[fixed]\n")
    with pytest.raises(UsageError, match="lr must be a range"):
        SearchSpace.from_file(tmp_path / "s.toml")
    (tmp_path / "s.yaml").write_text("space: {lr: {low: 1, high: 2, grid: 3}}\nfixed: [1]\n")
    with pytest.raises(UsageError, match=r"grid \(a list\)|fixed"):
        SearchSpace.from_file(tmp_path / "s.yaml")
