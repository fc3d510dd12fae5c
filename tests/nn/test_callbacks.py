
import numpy as np
import pytest

from glassnet.datasets import make_moons
from glassnet.nn import (
    Adam,
    EarlyStopping,
    ModelCheckpoint,
    mlp,
)


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


class _Model:
    stop_training = False


def test_early_stopping_stops_after_exactly_patience_epochs_without_improvement():
    # As its docstring and Keras say: patience=3 tolerates 3 worse epochs, then stops.
    stopper, model = EarlyStopping(patience=3), _Model()
    stopper.set_model(model)
    stopper.on_train_begin()
    for epoch, value in enumerate([1.0, 0.5, 0.6, 0.7, 0.8, 0.9]):
        stopper.on_epoch_end(epoch, {"val_loss": value})
        if model.stop_training:
            break
    assert (stopper.best_epoch, stopper.stopped_epoch) == (1, 4)
