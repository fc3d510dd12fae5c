import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from glassnet.datasets import make_moons, make_spirals, make_xor
from glassnet.nn import (
    SGD,
    Adam,
    BinaryCrossEntropy,
    Callback,
    CrossEntropy,
    Dense,
    DivergenceError,
    EarlyStopping,
    ModelCheckpoint,
    MSELoss,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    SSELoss,
    initializers,
    mlp,
)


def test_xor_learned_from_nearly_every_seed():
    """A 2-2-1 network (tanh hidden, linear output, the default MSE loss and initializers).

    The 2-2-1 XOR network has well-known stuck regions (a saturated hidden unit leaves two rows
    at 0.5): measured over seeds 0-99 this setting solves 84 (a sigmoid output with
    cross-entropy only about 50), so the lessons restart from another seed when stuck.
    """
    X, y = make_xor()
    solved = 0
    for seed in range(20):
        model = mlp([2, 2, 1], "tanh", None, seed=seed)
        model.fit(X, y, optimizer=Adam(lr=0.05), epochs=1000, verbose=0)
        solved += np.array_equal((model.predict(X)[:, 0] >= 0.5).astype(int), y)
    assert solved >= 19, f"XOR solved from only {solved}/20 seeds"


def test_classic_341_network(capsys):
    from glassnet.tour import classic_341

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning in 60,000 epochs
        row = classic_341()
    printed = capsys.readouterr().out
    assert printed.count("Error after") == 6
    assert float(row["result"]) < 0.02


def test_same_seed_same_training():
    X, y = make_moons(100, seed=0)
    runs = []
    for _ in range(2):
        m = mlp([2, 8, 1], "tanh", "sigmoid", dropout=0.2, seed=42)
        h = m.fit(X, y, epochs=5, batch_size=16, verbose=0)
        runs.append((h.history["loss"], m.get_weights()))
    assert runs[0][0] == runs[1][0]
    for a, b in zip(runs[0][1], runs[1][1]):
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])


def test_from_sizes_structure_and_default_init():
    m = Sequential.from_sizes([5, 4, 3, 2], "relu", "softmax", seed=0)
    kinds = [type(layer).__name__ for layer in m.layers]
    assert kinds == ["Dense", "ReLU", "Dense", "ReLU", "Dense", "Softmax"]
    assert m.n_params == 5 * 4 + 4 + 4 * 3 + 3 + 3 * 2 + 2
    big = Sequential.from_sizes([2000, 500], "relu", None, seed=0)
    # Last layer (no ReLU after it) gets Glorot: U(+-sqrt(6 / 2500)) bounds
    assert np.abs(big.layers[0].params["W"]).max() <= np.sqrt(6 / 2500)
    he = Sequential([Dense(2000, 500), ReLU()], seed=0).layers[0].params["W"]
    assert he.std() == pytest.approx(np.sqrt(2 / 2000), rel=0.02)


def test_spirals_multiclass_fit_predict_evaluate():
    X, y = make_spirals(100, 3, seed=1)
    order = np.random.default_rng(0).permutation(len(X))  # the split takes the last rows
    X, y = X[order], y[order]
    m = mlp([2, 64, 64, 3], "relu", "softmax", seed=0)
    h = m.fit(X, y, optimizer=Adam(0.01), epochs=150, batch_size=32, verbose=0,
              validation_split=0.2)
    assert set(h.history) >= {"loss", "accuracy", "val_loss", "val_accuracy", "lr"}
    assert h.history["loss"][-1] < h.history["loss"][0] / 3
    result = m.evaluate(X, y)
    assert result["accuracy"] > 0.9
    proba = m.predict_proba(X)
    np.testing.assert_allclose(proba.sum(1), 1, rtol=1e-5)
    assert m.predict(X).dtype == np.float32


def test_logit_output_predict_proba():
    X, y = make_moons(200, seed=0)
    m = mlp([2, 16, 1], "tanh", None, seed=0)
    m.fit(X, y, loss=BinaryCrossEntropy(from_logits=True), optimizer=Adam(0.02), epochs=200,
          verbose=0)
    p = m.predict_proba(X)
    assert np.all((p >= 0) & (p <= 1))
    assert np.mean(m.predict_classes(X) == y) > 0.95
    reg = mlp([2, 4, 1], seed=0)
    reg.fit(X, y * 1.0, loss="mse", epochs=1, verbose=0)
    with pytest.raises(ValueError, match="not a probability"):
        reg.predict_proba(X)


def test_sparse_input_trains():
    rng = np.random.default_rng(0)
    dense = (rng.random((300, 40)) < 0.1).astype(np.float32)
    y = (dense[:, :5].sum(1) > 0).astype(int)
    m = mlp([40, 8, 1], "relu", "sigmoid", seed=0)
    m.fit(sp.csr_matrix(dense), y, optimizer=Adam(0.05), epochs=60, verbose=0)
    assert np.mean(m.predict_classes(sp.csr_matrix(dense)) == y) > 0.95


def test_early_stopping_restores_best_weights():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 10))
    y = X[:, 0] + rng.normal(0, 1.0, 40)  # tiny, noisy: a wide net overfits fast
    Xv = rng.normal(size=(40, 10))
    yv = Xv[:, 0] + rng.normal(0, 1.0, 40)
    m = mlp([10, 256, 256, 1], "relu", None, seed=0)
    stop = EarlyStopping("val_loss", patience=3, restore_best_weights=True)
    h = m.fit(X, y, optimizer=Adam(0.01), epochs=500, validation_data=(Xv, yv), callbacks=[stop],
              verbose=0)
    assert stop.stopped_epoch is not None and len(h.epoch) < 500
    best = min(h.history["val_loss"])
    assert h.history["val_loss"][stop.best_epoch] == best
    assert m.evaluate(Xv, yv)["loss"] == pytest.approx(best, rel=1e-5)


def test_early_stopping_needs_monitored_value():
    X, y = make_moons(50, seed=0)
    with pytest.raises(KeyError, match="val_loss"):
        mlp([2, 3, 1], "tanh", "sigmoid").fit(X, y, callbacks=[EarlyStopping()], verbose=0)


def test_model_checkpoint_saves_best(tmp_path):
    from glassnet.io import load_model

    X, y = make_moons(100, seed=0)
    m = mlp([2, 8, 1], "tanh", "sigmoid", seed=0)
    path = tmp_path / "best.npz"
    m.fit(X, y, epochs=5, validation_split=0.3, callbacks=[ModelCheckpoint(path)], verbose=0)
    loaded = load_model(path)
    assert loaded.predict(X).shape == (100, 1)


def test_nan_loss_stops_with_clear_error():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3)) * 1e3
    y = X @ np.array([1e3, -1e3, 1e3])
    m = mlp([3, 32, 1], "relu", None, seed=0)
    with pytest.raises(DivergenceError, match=r"epoch \d+.*lower learning rate"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # the overflow is what we detect
            m.fit(X, y, optimizer=SGD(lr=10.0), epochs=50, verbose=0)


def test_symmetric_zero_init_warns():
    m = Sequential([Dense(2, 3, init="zeros"), Sigmoid(), Dense(3, 1), Sigmoid()], seed=0)
    X, y = make_xor()
    with pytest.warns(UserWarning, match="symmetry"):
        m.fit(X, y, epochs=1, verbose=0)


def test_summary_warns_when_parameters_outnumber_samples():
    m = mlp([10, 50, 1], seed=0)
    text = m.summary(n_samples=100)
    assert "601" in text and "WARNING" in text
    assert "WARNING" not in m.summary(n_samples=10_000)


def test_progress_lines_and_silence(capsys):
    X, y = make_moons(40, seed=0)
    mlp([2, 4, 1], "tanh", "sigmoid", seed=0).fit(X, y, epochs=3, verbose=1)
    out = capsys.readouterr().out
    assert out.count("epoch ") == 3 and "loss:" in out
    mlp([2, 4, 1], "tanh", "sigmoid", seed=0).fit(X, y, epochs=3, verbose=0)
    assert capsys.readouterr().out == ""


def test_custom_callback_can_stop_training():
    class StopAt2(Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.stop_training = True

    X, y = make_moons(40, seed=0)
    h = mlp([2, 4, 1], "tanh", "sigmoid", seed=0).fit(X, y, epochs=10, callbacks=[StopAt2()],
                                                      verbose=0)
    assert h.epoch == [0, 1]


def test_l2_shrinks_weights():
    X, y = make_moons(200, seed=0)
    norms = []
    for l2 in (0.0, 0.1):
        m = mlp([2, 32, 1], "tanh", "sigmoid", seed=0)
        m.fit(X, y, optimizer=Adam(0.01), epochs=100, l2=l2, verbose=0)
        norms.append(sum(float(np.sum(layer.params["W"] ** 2)) for layer in m.param_layers))
    assert norms[1] < 0.5 * norms[0]


def test_l1_drives_useless_weights_towards_zero():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 10))
    y = X[:, 0] * 2.0
    m = Sequential([Dense(10, 1)], seed=0)
    m.fit(X, y, optimizer=SGD(0.05), epochs=300, l1=0.05, verbose=0)
    w = m.layers[0].params["W"][:, 0]
    assert abs(w[0]) > 1.5 and np.all(np.abs(w[1:]) < 0.02)


def test_sample_weight_changes_the_fit():
    X = np.array([[0.0], [1.0]] * 10)
    y = np.array([0, 1] * 10)
    w = np.tile([1.0, 0.0], 10)  # positives weigh nothing: the model should lean to 0
    m = Sequential([Dense(1, 1), Sigmoid()], seed=0)
    m.fit(X, y, optimizer=Adam(0.1), epochs=200, sample_weight=w, verbose=0)
    assert m.predict_proba(np.array([[1.0]]))[0, 0] < 0.5
    # Regression: same input, targets 0 (weight 1) and 5 (weight 0): the fit must ignore the 5s.
    reg = Sequential([Dense(1, 1)], seed=0)
    reg.fit(np.ones((20, 1)), y * 5.0, loss="mse", optimizer=Adam(0.1), epochs=300,
            sample_weight=w, verbose=0)
    assert abs(reg.predict(np.array([[1.0]]))[0, 0]) < 0.1


def test_float64_model_keeps_float64():
    X, y = make_moons(30, seed=0)
    m = mlp([2, 4, 1], "tanh", "sigmoid", seed=0, dtype="float64")
    m.fit(X, y, epochs=2, verbose=0)
    assert all(p.dtype == np.float64 for p, _ in m.parameters())
    assert m.predict(X).dtype == np.float64


def test_set_weights_keeps_arrays_in_place():
    m = mlp([2, 3, 1], seed=0)
    ids = [id(p) for p, _ in m.parameters()]
    w = m.get_weights()
    w[0]["W"] += 1
    m.set_weights(w)
    assert [id(p) for p, _ in m.parameters()] == ids
    np.testing.assert_array_equal(m.layers[0].params["W"], w[0]["W"])
    with pytest.raises(ValueError, match="shape"):
        m.set_weights([{"W": np.zeros((5, 5)), "b": np.zeros(3)}, {}, w[2]])


# ------------------------------------------------------------------ bad input, before training
@pytest.fixture
def small():
    X, y = make_moons(20, seed=0)
    return mlp([2, 3, 1], "tanh", "sigmoid", seed=0), X, y


@pytest.mark.parametrize(
    "mutate,exc,pattern",
    [
        (lambda X, y: (X[:, :1], y), ValueError, "X has 1 features but the model expects 2"),
        (lambda X, y: (X[:-1], y), ValueError, "X has 19 samples but y has 20"),
        (lambda X, y: (X[:0], y[:0]), ValueError, "X is empty"),
        (lambda X, y: (X.ravel(), y), ValueError, "X must be 2-D"),
        (lambda X, y: (np.where(np.arange(40).reshape(20, 2) == 7, np.nan, X), y), ValueError,
         "X contains NaN or infinity .*row 3, column 1"),
        (lambda X, y: (X, np.where(np.arange(20) == 2, np.inf, y)), ValueError,
         "y contains NaN or infinity"),
        (lambda X, y: (X, y + 2), ValueError, r"y: BinaryCrossEntropy targets must lie in"),
        (lambda X, y: (X.astype(str), y), TypeError, "X must hold numbers"),
        (lambda X, y: (X, np.array(["a"] * 20)), TypeError, "y must be numeric"),
    ],
)
def test_bad_data_is_rejected_before_training(small, mutate, exc, pattern):
    model, X, y = small
    before = model.get_weights()
    with pytest.raises(exc, match=pattern):
        model.fit(*mutate(X, y), epochs=1, verbose=0)
    for a, b in zip(before, model.get_weights()):
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])


def test_labels_outside_classes_rejected():
    X, _ = make_spirals(10, 3, seed=0)
    m = mlp([2, 4, 3], "relu", "softmax", seed=0)
    with pytest.raises(ValueError, match=r"y: class labels must lie in \[0, 3\)"):
        m.fit(X, np.full(30, 3), epochs=1, verbose=0)


@pytest.mark.parametrize(
    "kwargs,pattern",
    [
        ({"epochs": 0}, "epochs must be a positive integer"),
        ({"batch_size": 0}, "batch_size must be a positive integer"),
        ({"batch_size": 2.5}, "batch_size must be a positive integer"),
        ({"optimizer": "nope"}, "unknown optimizer"),
        ({"loss": "nope"}, "unknown loss"),
        ({"validation_split": 1.0}, "validation_split"),
        ({"clip_norm": 0}, "clip_norm"),
        ({"metrics": ["auc"]}, "unknown metric"),
        ({"l2": -1}, "l2 penalty"),
    ],
)
def test_bad_settings_rejected(small, kwargs, pattern):
    model, X, y = small
    with pytest.raises(ValueError, match=pattern):
        model.fit(X, y, verbose=0, **kwargs)


@pytest.mark.parametrize("lr", [0, -0.1, float("nan")])
def test_non_positive_learning_rate_rejected(lr):
    with pytest.raises(ValueError, match="lr"):
        SGD(lr=lr)


def test_non_layer_rejected():
    with pytest.raises(TypeError, match=r"layers\[1\]"):
        Sequential([Dense(2, 2), "relu"])


def test_clip_norm_bounds_the_update():
    X = np.array([[1e3, 1e3]])
    y = np.array([0.0])
    m = Sequential([Dense(2, 1)], seed=0, dtype="float64")
    w0 = m.layers[0].params["W"].copy()
    m.fit(X, y, loss=SSELoss(), optimizer=SGD(lr=1.0), clip_norm=1.0, epochs=1, verbose=0)
    step = np.sqrt(np.sum((m.layers[0].params["W"] - w0) ** 2) + 0)
    assert step <= 1.0 + 1e-6


def test_initializer_registry():
    rng = np.random.default_rng(0)
    assert initializers.get("uniform")((1000,), rng).min() >= -1
    normal = initializers.get("normal", scale=0.1)((10000,), rng)
    assert normal.std() == pytest.approx(0.1, rel=0.05)
    w = initializers.get("lecun_normal")((400, 300), rng)
    assert w.std() == pytest.approx(1 / 20, rel=0.02)
    w = initializers.get("glorot_normal")((400, 300), rng)
    assert w.std() == pytest.approx(np.sqrt(2 / 700), rel=0.02)
    w = initializers.get("he_uniform")((400, 300), rng)
    assert np.abs(w).max() <= np.sqrt(6 / 400)
    with pytest.raises(ValueError, match="unknown initializer"):
        initializers.get("orthogonal")


def test_softmax_ce_uses_fused_path_and_trains():
    X, y = make_spirals(50, 3, seed=0)
    m = Sequential([Dense(2, 16), ReLU(), Dense(16, 3), Softmax()], seed=0)
    h = m.fit(X, y, loss=CrossEntropy(), optimizer=Adam(0.02), epochs=50, verbose=0)
    assert h.history["loss"][-1] < h.history["loss"][0]


def test_mse_regression_reaches_low_error():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(500, 2))
    y = np.sin(3 * X[:, 0]) + X[:, 1] ** 2
    m = mlp([2, 32, 32, 1], "tanh", None, seed=0)
    m.fit(X, y, loss=MSELoss(), optimizer=Adam(0.01), epochs=200, batch_size=64, verbose=0,
          metrics=["mae"])
    assert m.evaluate(X, y, metrics=["mae", "mse"])["mse"] < 0.01


def test_train_step_alone_learns_xor_and_layers_are_callable():
    X, y = make_xor()
    model = Sequential([Dense(2, 4), gn_tanh(), Dense(4, 1), Sigmoid()], seed=0)
    loss, opt = BinaryCrossEntropy(), Adam(lr=0.05)
    first = model.train_step(X, y, loss, opt)
    for _ in range(500):
        last = model.train_step(X, y, loss, opt)
    assert last < first / 10
    assert np.array_equal(model.predict_classes(X), y)
    layer = Dense(3, 2, rng=0)
    np.testing.assert_array_equal(layer(np.ones((1, 3))), layer.forward(np.ones((1, 3))))


def gn_tanh():
    from glassnet.nn import Tanh

    return Tanh()
