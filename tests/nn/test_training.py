import warnings

import numpy as np
import pytest
import scipy.sparse as sp

import glassnet.nn as gn
from glassnet.datasets import make_moons, make_spirals, make_xor
from glassnet.nn import (
    SGD,
    Adam,
    BinaryCrossEntropy,
    Callback,
    CrossEntropy,
    Dense,
    DivergenceError,
    MSELoss,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    SSELoss,
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


def test_clip_norm_bounds_the_update():
    X = np.array([[1e3, 1e3]])
    y = np.array([0.0])
    m = Sequential([Dense(2, 1)], seed=0, dtype="float64")
    w0 = m.layers[0].params["W"].copy()
    m.fit(X, y, loss=SSELoss(), optimizer=SGD(lr=1.0), clip_norm=1.0, epochs=1, verbose=0)
    step = np.sqrt(np.sum((m.layers[0].params["W"] - w0) ** 2) + 0)
    assert step <= 1.0 + 1e-6


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


def test_fit_on_csr_with_plain_sgd_matches_dense_fit():
    """One sample at a time, the sparse path (row-wise gradient and update) reproduces the
    dense computation."""
    import scipy.sparse as sp

    rng = np.random.default_rng(1)
    X = (rng.random((40, 30)) < 0.1) * 1.0
    y = (X[:, :3].sum(1) > 0).astype(float)
    weights = []
    for data in (X, sp.csr_matrix(X)):
        m = Sequential([Dense(30, 4), Sigmoid(), Dense(4, 1), Sigmoid()], seed=0, dtype="float64")
        m.fit(data, y, optimizer=SGD(0.5), epochs=3, batch_size=1, verbose=0)
        weights.append(m.get_weights())
    for a, b in zip(*weights):
        for k in a:
            np.testing.assert_allclose(a[k], b[k], rtol=1e-12, atol=1e-14)


class _Spy(gn.Callback):
    """Records the dtype of every array the training step produced, after each epoch."""

    def __init__(self):
        self.dtypes = set()

    def on_epoch_end(self, epoch, logs=None):
        for layer in self.model.layers:
            for name, arr in vars(layer).items():
                if isinstance(arr, np.ndarray) and arr.dtype.kind == "f" and name != "_x":
                    self.dtypes.add(arr.dtype)
            for arr in [*layer.params.values(), *layer.grads.values()]:
                self.dtypes.add(arr.dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("optimizer", ["sgd", "adam", "rmsprop", "adagrad", "adamw"])
def test_training_keeps_one_dtype(dtype, optimizer):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 5))  # float64 data: cast once to the model's dtype
    y = rng.integers(0, 3, 40)
    model = gn.Sequential([gn.Dense(5, 6), gn.Sigmoid(), gn.Dense(6, 6), gn.ReLU(),
                           gn.Dense(6, 3), gn.Softmax()], seed=0, dtype=dtype)
    spy = _Spy()
    opt = gn.optimizers.get(optimizer, lr=0.01)
    model.fit(X, y, optimizer=opt, epochs=2, batch_size=16, callbacks=[spy], l2=1e-3,
              clip_norm=1.0, verbose=0)
    assert spy.dtypes == {np.dtype(dtype)}
    for state in opt.state:
        assert all(v.dtype == np.dtype(dtype) for v in state.values())
    assert model.predict(X).dtype == np.dtype(dtype)


def test_fit_rejects_negative_sample_weights_once_up_front():
    X = np.zeros((4, 2), np.float32)
    model = gn.Sequential([gn.Dense(2, 1), gn.Sigmoid()], seed=0)
    with pytest.raises(ValueError, match="sample_weight"):
        model.fit(X, [0, 1, 0, 1], sample_weight=[1, -1, 1, 1], verbose=0)


@pytest.mark.usefixtures("numpy_errors")
def test_training_step_at_saturation_is_finite():
    model = Sequential([Dense(3, 3), Softmax()], seed=0)
    model.layers[0].params["W"][...] = np.eye(3) * 1000
    X = np.eye(3)
    h = model.fit(X, np.array([1, 2, 0]), epochs=2, verbose=0)
    assert all(np.isfinite(h.history["loss"]))
