import pytest

from glassnet.datasets import make_moons
from glassnet.nn import (
    SGD,
    CosineAnnealingLR,
    Dense,
    ExponentialLR,
    ReduceLROnPlateau,
    Sequential,
    StepLR,
)


def test_schedules_closed_forms():
    opt = SGD(1.0)
    s = StepLR(opt, step_size=2, gamma=0.5)
    assert [s.step() for _ in range(5)] == [1.0, 0.5, 0.5, 0.25, 0.25]
    opt = SGD(1.0)
    e = ExponentialLR(opt, 0.9)
    assert [round(e.step(), 6) for _ in range(2)] == [0.9, 0.81]
    opt = SGD(1.0)
    c = CosineAnnealingLR(opt, T_max=4, eta_min=0.0)
    lrs = [c.step() for _ in range(4)]
    assert lrs[1] == pytest.approx(0.5) and lrs[3] == pytest.approx(0.0, abs=1e-12)


def test_reduce_on_plateau_in_fit():
    X, y = make_moons(60, seed=0)
    m = Sequential([Dense(2, 1)], seed=0)
    opt = SGD(1e-6)  # so slow that the loss plateaus at once
    sched = ReduceLROnPlateau(opt, monitor="loss", factor=0.5, patience=1)
    h = m.fit(X, y * 1.0, loss="mse", optimizer=opt, epochs=6, callbacks=[sched], verbose=0)
    assert h.history["lr"][-1] < 1e-6


def test_schedule_as_callback_changes_lr_each_epoch():
    X, y = make_moons(40, seed=0)
    m = Sequential([Dense(2, 1)], seed=0)
    opt = SGD(0.1)
    h = m.fit(X, y * 1.0, loss="mse", optimizer=opt, epochs=3, verbose=0,
              callbacks=[StepLR(opt, 1, 0.5)])
    assert h.history["lr"] == [0.1, 0.05, 0.025]
