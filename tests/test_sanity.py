"""Divergence is always reported: a loss that exploded is one error line and exit code 2; a
model no better than a constant is a warning."""

import json
import re

import numpy as np
import pandas as pd
import pytest

from glassnet.cli import main
from glassnet.config import TrainConfig, fit_config
from glassnet.nn import DivergenceError
from glassnet.sanity import BaselineWarning, baseline_loss


@pytest.fixture
def table(tmp_path):
    rng = np.random.default_rng(0)
    n = 300
    df = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    df["y"] = np.where(df.a + 0.3 * rng.normal(size=n) > 0, "up", "down")
    df.to_csv(tmp_path / "d.csv", index=False)
    df.assign(y=rng.permutation(df.y)).to_csv(tmp_path / "noise.csv", index=False)
    return tmp_path


def test_baseline_losses_are_the_variance_and_the_class_entropy():
    assert baseline_loss("regression", np.array([1.0, 3.0])) == 1.0
    assert baseline_loss("classification", np.array([0, 1, 1, 0])) == pytest.approx(np.log(2))


@pytest.mark.parametrize("flags, message", [
    (["--lr", "1e6"], "training diverged: the loss on the training rows went from"),
    (["--l2", "1e30"], r"smaller penalties \(l1 0, l2 1e\+30\)"),
    (["--lr", "1e6", "--optimizer", "sgd"], "diverged"),
])
def test_a_diverged_run_is_one_error_line_and_exit_code_2(table, capsys, flags, message):
    code = main(["train", str(table / "d.csv"), "-t", "y", "--out", str(table / "o"),
                 "--epochs", "5", "--no-plots", *flags])
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 2
    errors = [line for line in err if line.startswith("glassnet: error: ")]
    assert len(errors) == 1 and err[-1] == errors[0]
    assert not [line for line in err if "warning" in line and "overflow" in line]
    assert re.search(message, errors[0])
    assert not (table / "o").exists()  # nothing written for a diverged run


def test_fit_config_raises_for_an_exploded_loss_that_stays_finite():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 3)).astype(np.float32)
    y = (X[:, 0] + rng.normal(size=300) > 0).astype(np.int64)  # noisy: saturation costs
    with pytest.raises(DivergenceError, match="worse than always predicting the class"):
        fit_config(TrainConfig(lr=1e6, epochs=5, hidden=[16]), X, y, "classification", 2)
    fitted = fit_config(TrainConfig(epochs=30, hidden=[16], lr=0.01), X, y, "classification", 2)
    assert fitted.model.evaluate(X, y)["loss"] < baseline_loss("classification", y)


def test_a_model_no_better_than_the_baseline_is_a_warning(table):
    with pytest.warns(BaselineWarning, match="validation rows: the model is no better than "
                                             "always predicting the training class frequencies"):
        code = main(["train", str(table / "noise.csv"), "-t", "y", "--out", str(table / "o"),
                     "--epochs", "2", "--no-plots", "--lr", "1e-6"])  # stays untrained
    assert code == 0
    warnings = json.loads((table / "o" / "metrics.json").read_text())["warnings"]
    assert len(warnings) == 1 and "no better" in warnings[0]
