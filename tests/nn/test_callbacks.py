
import numpy as np
import pytest

from glassnet.datasets import make_moons
from glassnet.nn import (
    Adam,
    Callback,
    CSVLogger,
    EarlyStopping,
    History,
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


# ---------------------------------------------------------------------------- batch hooks
class _Recorder(Callback):
    def __init__(self, stop_after=None):
        self.events, self.stop_after = [], stop_after

    def on_epoch_begin(self, epoch, logs=None):
        self.events.append(("epoch", epoch))

    def on_batch_begin(self, batch, logs=None):
        self.events.append(("begin", batch, logs["size"]))

    def on_batch_end(self, batch, logs=None):
        self.events.append(("end", batch, logs["size"], logs["loss"], logs["lr"]))
        if self.stop_after is not None and len(self.ends()) == self.stop_after:
            self.model.stop_training = True

    def ends(self):
        return [e for e in self.events if e[0] == "end"]


def test_batch_hooks_see_every_batch_with_its_size_loss_and_rate():
    X, y = make_moons(50, noise=0.2, seed=0)
    rec = _Recorder()
    h = mlp([2, 4, 1], "tanh", "sigmoid", seed=0).fit(
        X, y, optimizer=Adam(0.01), epochs=2, batch_size=16, callbacks=[rec], verbose=0)
    assert rec.events[:3] == [("epoch", 0), ("begin", 0, 16), ("end", *rec.ends()[0][1:])]
    ends = rec.ends()
    assert [(e[1], e[2]) for e in ends] == [(0, 16), (1, 16), (2, 16), (3, 2)] * 2
    assert {e[4] for e in ends} == {0.01}
    # the epoch's loss is the size-weighted mean of its batch losses
    first = ends[:4]
    assert h.history["loss"][0] == pytest.approx(sum(e[2] * e[3] for e in first) / 50)


def test_a_batch_hook_stops_training_mid_epoch():
    X, y = make_moons(50, noise=0.2, seed=0)
    rec = _Recorder(stop_after=5)
    h = mlp([2, 4, 1], "tanh", "sigmoid", seed=0).fit(
        X, y, epochs=4, batch_size=16, callbacks=[rec], verbose=0)
    assert len(rec.ends()) == 5 and len(h.epoch) == 2  # 4 batches, then 1 of epoch 2
    assert np.isfinite(h.history["loss"][1])            # the mean over the rows it saw


def test_only_callbacks_that_override_a_batch_hook_are_called_per_batch():
    assert not History().uses_batch_hooks() and not EarlyStopping().uses_batch_hooks()
    assert _Recorder().uses_batch_hooks()


# ---------------------------------------------------------------------------- CSV, notebooks
def test_csv_logger_writes_a_row_per_epoch_and_can_append(tmp_path):
    import csv

    X, y = make_moons(60, noise=0.2, seed=0)
    path = tmp_path / "logs" / "fit.csv"
    model = mlp([2, 4, 1], "tanh", "sigmoid", seed=0)
    h = model.fit(X, y, epochs=3, validation_split=0.2, callbacks=[CSVLogger(path)], verbose=0)
    model.fit(X, y, epochs=2, validation_split=0.2, callbacks=[CSVLogger(path, append=True)],
              verbose=0)
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["epoch"] for r in rows] == ["1", "2", "3", "1", "2"]
    assert list(rows[0]) == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr"]
    assert [float(r["val_loss"]) for r in rows[:3]] == h.history["val_loss"]


def test_history_plots_a_figure_and_shows_html():
    from matplotlib.figure import Figure

    X, y = make_moons(60, noise=0.2, seed=0)
    model = mlp([2, 4, 1], "tanh", "sigmoid", seed=0)
    h = model.fit(X, y, epochs=4, validation_split=0.25, verbose=0)
    fig = h.plot()
    assert isinstance(fig, Figure)
    assert [ax.get_ylabel() for ax in fig.axes] == ["loss", "accuracy"]
    assert [len(ax.lines) for ax in fig.axes] == [2, 2]
    with pytest.raises(KeyError, match="no \\['f1'\\]"):
        h.plot(["f1"])
    page = h._repr_html_()
    assert page.startswith("<table>") and "<td>val_loss</td>" in page and "4 epochs" in page
    page = model._repr_html_()
    assert "Dense(n_in=2, n_out=4, bias=True)" in page and "<td>(n, 1)</td>" in page
    assert f"{model.n_params:,} parameters" in page
