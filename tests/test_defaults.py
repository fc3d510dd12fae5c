"""The "auto" settings follow the rules docs/design.md records ("Defaults for small tables"):
an ensemble of one-layer networks with a linear model below 1,000 training rows, one network of
two layers from there on, whose output layer starts near a constant; the linear model learns
from the validation rows too."""

import numpy as np
import pytest

from glassnet import defaults
from glassnet.config import TrainConfig, build_model, fit_config
from glassnet.nn import Dense, Sequential


@pytest.mark.parametrize("task, share, prior", [
    ("regression", defaults.REGRESSION_LINEAR_SHARE, defaults.L2_PRIOR),
    ("classification", defaults.LINEAR_SHARE, defaults.CLASSIFICATION_L2_PRIOR)])
def test_small_tables_get_an_ensemble_of_one_layer_networks_and_a_linear_model(task, share,
                                                                               prior):
    chosen = TrainConfig().resolved(300, 8, task)
    assert chosen.hidden == [16] and chosen.ensemble == defaults.ENSEMBLE == 5
    assert chosen.linear_share == share > 0
    assert chosen.batch_size == 200 and chosen.l2 == pytest.approx(prior / 300)
    # patience in optimizer steps: 400 steps are 200 epochs of 2 batches
    assert chosen.patience == 200 and chosen.epochs == 2000


def test_from_a_thousand_rows_one_network_of_two_layers():
    chosen = TrainConfig().resolved(1000, 8, "regression")
    assert chosen.hidden == [20, 10] and chosen.ensemble == 1 and chosen.linear_share == 0
    chosen = TrainConfig().resolved(20_000, 30, "classification")
    assert chosen.hidden == [128, 64] and chosen.patience == 10  # 100 steps an epoch
    # what the user sets stays set
    mine = TrainConfig(hidden=[7], ensemble=3, linear_share=0.0).resolved(20_000, 30)
    assert (mine.hidden, mine.ensemble, mine.linear_share) == ([7], 3, 0.0)


def test_no_linear_model_joins_a_network_it_cannot_be_written_in():
    assert TrainConfig(activation="tanh").resolved(300, 8, "regression").linear_share == 0


def test_a_single_networks_output_layer_starts_near_a_constant():
    single = TrainConfig(hidden=[32, 16], ensemble=1, seed=3)
    member = single.replace(ensemble=5)
    plain = Sequential.from_sizes([6, 32, 16, 1], "relu", seed=3)
    for config, scale in ((single, defaults.OUTPUT_INIT_SCALE), (member, 1.0)):
        model = build_model(config, 6, 1)
        dense = [lay for lay in model.layers if isinstance(lay, Dense)]
        reference = [lay for lay in plain.layers if isinstance(lay, Dense)]
        for mine, theirs in zip(dense[:-1], reference[:-1]):  # hidden layers: as drawn
            np.testing.assert_array_equal(mine.params["W"], theirs.params["W"])
        np.testing.assert_allclose(dense[-1].params["W"], scale * reference[-1].params["W"],
                                   rtol=1e-6)
    # its first predictions vary far less than the target (1 after standardizing)
    X = np.random.default_rng(0).standard_normal((500, 6)).astype(np.float32)
    assert build_model(single, 6, 1).predict(X).std() < 0.2 < plain.predict(X).std()


def test_the_linear_model_also_learns_from_the_validation_rows(monkeypatch):
    seen = []
    fit = Sequential.fit

    def recording(model, X, y, **kwargs):
        seen.append((len(model.layers), len(X), kwargs.get("validation_data") is not None))
        return fit(model, X, y, **kwargs)

    monkeypatch.setattr(Sequential, "fit", recording)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((80, 3)).astype(np.float32)
    y = (X @ np.array([1.0, -2.0, 0.5])).astype(np.float32)
    config = TrainConfig(hidden=[4], ensemble=2, linear_share=0.5, epochs=5, seed=0)
    fitted = fit_config(config, X[:60], y[:60], "regression", validation=(X[60:], y[60:]))
    # two networks on the 60 training rows, watching the validation rows; then the linear
    # model (one Dense layer) on all 80 rows, watching nothing
    assert seen == [(3, 60, True), (3, 60, True), (1, 80, False)]
    # merged into one network: 2 x 4 units and the linear model's 2 per input
    assert fitted.model.layers[0].n_out == 2 * 4 + 2 * 3


def test_a_wide_table_gets_no_linear_model_and_a_merged_network_too_large_is_refused():
    from glassnet.config import check_network_size
    from glassnet.errors import UsageError

    # written as a ReLU network the linear model takes 2 units per feature: 20,000 features
    # would make a first layer of 20,000 x 40,000 weights
    assert TrainConfig().resolved(300, defaults.LINEAR_FEATURES, "classification") \
        .linear_share == defaults.LINEAR_SHARE
    assert TrainConfig().resolved(300, defaults.LINEAR_FEATURES + 1, "classification") \
        .linear_share == 0
    check_network_size(TrainConfig(), 20_000, 2, 300)  # auto: no linear model, no error
    with pytest.raises(UsageError, match=r"averaging 5 networks with a linear model "
                                         r"\(linear_share = 0.5\) over 20,000 features .* "
                                         r"or linear_share = 0$") as info:
        check_network_size(TrainConfig(linear_share=0.5), 20_000, 2, 300)
    assert "\n" not in str(info.value)
    # merged, an ensemble's inner layers are block-diagonal: 5 x 5,000 squared weights
    with pytest.raises(UsageError, match=r"^averaging 5 networks over 10 features makes one "
                                         r"network of 625,\d{3},\d{3} weights, about 9.3 GiB"):
        check_network_size(TrainConfig(hidden=[5000, 5000], ensemble=5, linear_share=0.0),
                           10, 1, 300)
    check_network_size(TrainConfig(hidden=[5000, 5000], ensemble=1), 10, 1, 300)  # one: fine
