"""One dtype end to end: float32 stays float32 (no silent upcast), float64 stays float64; and
the fast paths that replaced slower equivalents (tanh-form sigmoid, sum-based finiteness check,
targets validated once) keep their meaning."""

import warnings

import numpy as np
import pytest
from scipy.special import expit

import glassnet.nn as gn
from glassnet.nn import functional as F
from glassnet.nn.model import check_features


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


@pytest.mark.parametrize("loss", [gn.MSELoss(), gn.SSELoss(), gn.MAELoss(), gn.HuberLoss(),
                                  gn.BinaryCrossEntropy(), gn.CrossEntropy(),
                                  gn.CrossEntropy(from_logits=True)])
def test_loss_gradients_keep_the_prediction_dtype(loss):
    rng = np.random.default_rng(1)
    p = rng.uniform(0.1, 0.9, (6, 3)).astype(np.float32)
    p /= p.sum(axis=1, keepdims=True)
    t = np.eye(3, dtype=np.float32)[rng.integers(0, 3, 6)]
    loss.forward(p, t)
    assert loss.backward().dtype == np.float32
    if hasattr(loss, "grad_wrt_logits"):
        assert loss.grad_wrt_logits().dtype == np.float32


def test_forward_prepared_equals_forward():
    rng = np.random.default_rng(2)
    p = rng.uniform(0.05, 0.95, (8, 1)).astype(np.float32)
    y = rng.integers(0, 2, 8)
    w = rng.uniform(0, 2, 8).astype(np.float32)
    loss = gn.BinaryCrossEntropy()
    t = loss.prepare_target(y, p.shape, p.dtype)
    assert loss.forward(p, y, sample_weight=w) == loss.forward_prepared(p, t, sample_weight=w)
    ce = gn.CrossEntropy(class_weight=[1.0, 2.0])
    q = np.hstack([p, 1 - p])
    assert ce.forward(q, y) == pytest.approx(ce.forward_prepared(q, ce.prepare_target(
        y, q.shape, q.dtype)))


def test_fit_rejects_negative_sample_weights_once_up_front():
    X = np.zeros((4, 2), np.float32)
    model = gn.Sequential([gn.Dense(2, 1), gn.Sigmoid()], seed=0)
    with pytest.raises(ValueError, match="sample_weight"):
        model.fit(X, [0, 1, 0, 1], sample_weight=[1, -1, 1, 1], verbose=0)


def test_sigmoid_tanh_matches_expit_to_float_resolution_without_warnings():
    x64 = np.linspace(-40, 40, 20001)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for dtype, atol in ((np.float32, 6e-8), (np.float64, 2.3e-16)):
            x = x64.astype(dtype)
            y = F.sigmoid_tanh(x)
            assert y.dtype == dtype
            # compared with the exact value at the same (rounded) input
            np.testing.assert_allclose(y, expit(x.astype(np.float64)), rtol=0, atol=atol)
        y = F.sigmoid_tanh(np.array([-1000.0, 1000.0], np.float32))
    np.testing.assert_array_equal(y, [0.0, 1.0])
    assert F.sigmoid_tanh(0.0) == 0.5 and np.isscalar(F.sigmoid_tanh(0.0))
    np.testing.assert_allclose(F.sigmoid_tanh([0, 1]), expit([0.0, 1.0]))  # integers: expit's way
    out = np.empty(3, np.float32)
    assert F.sigmoid_tanh(np.zeros(3, np.float32), out=out) is out
    # the exact form keeps the tail that the fast one rounds to 0
    assert F.sigmoid(np.float32(-50)) > 0 and F.sigmoid_tanh(np.float32(-50)) == 0


def test_finiteness_check_catches_nan_and_inf_but_not_an_overflowing_sum():
    big = np.full((4, 3), 3e38, np.float32)  # every entry finite, their float32 sum is inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_features(big, "X", 3, np.float32) is big  # accepted, no copy, no warning
    for bad in (np.nan, np.inf, -np.inf):
        X = np.ones((4, 3), np.float32)
        X[2, 1] = bad
        with pytest.raises(ValueError, match=r"X contains NaN or infinity \(first at row 2, "
                                             r"column 1\)"):
            check_features(X, "X", 3, np.float32)
