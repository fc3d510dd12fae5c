import numpy as np
import pytest

from glassnet.classic import batching as B
from glassnet.nn import SGD, BinaryCrossEntropy, Dense, Sequential, Sigmoid


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    return B.lesson(quick=True, verbose=False, out=tmp_path_factory.mktemp("batching"))


def test_24_points_in_4_batches_of_6(lesson_run):
    assert len(lesson_run["X"]) == 24
    blocks = B.batches(24, 6)
    assert [len(b) for b in blocks] == [6, 6, 6, 6]
    np.testing.assert_array_equal(np.concatenate(blocks), np.arange(24))
    steps = {name: r["steps_per_epoch"] for name, r in lesson_run["runs"].items()}
    assert steps == {"batch": 1, "mini-batch": 4, "stochastic": 24}


def test_more_steps_per_epoch_go_further_per_epoch(lesson_run):
    runs = lesson_run["runs"]
    final = {name: r["epoch_loss"][-1] for name, r in runs.items()}
    assert final["stochastic"] < final["mini-batch"] < final["batch"]
    start = {r["epoch_loss"][0] for r in runs.values()}
    assert len(start) == 1  # the same start for all three


def test_one_step_is_the_engines_train_step():
    X, y = B.make_points()
    run = B.train_by_batches(X, y, 24, epochs=1, lr=0.2)
    model = Sequential([Dense(2, 1), Sigmoid()], seed=B.SEED, dtype="float64")
    model.train_step(X, y.reshape(-1, 1).astype(float), BinaryCrossEntropy(), SGD(lr=0.2))
    np.testing.assert_allclose(run["W"], model.layers[0].params["W"][:, 0], rtol=1e-14)


def test_bad_batch_size():
    with pytest.raises(ValueError, match="batch_size must be in"):
        B.batches(24, 0)


def test_lesson_figure(lesson_run, check_png):
    check_png(lesson_run["figure"])
