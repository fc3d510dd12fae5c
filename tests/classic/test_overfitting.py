import contextlib
import io

import numpy as np
import pytest

from glassnet.classic import overfitting as O


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        res = O.lesson(out=tmp_path_factory.mktemp("overfitting"), quick=True)
    return res, buf.getvalue()


def test_unregularized_network_overfits(lesson_run):
    run = lesson_run[0]["runs"]["none"]
    assert run["final"]["train_loss"] < 0.1  # close to memorising the 60 training points
    assert run["final"]["train_accuracy"] >= 0.98
    # validation loss turned: it ends far above its best
    assert run["final"]["val_loss"] > 1.5 * min(run["val_loss"])
    assert int(np.argmin(run["val_loss"])) < run["epochs_run"] - 20


def test_too_simple_model_underfits(lesson_run):
    runs = lesson_run[0]["runs"]
    simple, big = runs["too simple"]["final"], runs["none"]["final"]
    assert runs["too simple"]["model"].n_params == 3  # logistic regression: a line
    # high training loss: it cannot even fit the training points ...
    assert simple["train_loss"] > 5 * big["train_loss"]
    assert simple["train_accuracy"] < big["train_accuracy"]
    # ... and its validation loss never turns: it is still falling at the end
    assert int(np.argmin(runs["too simple"]["val_loss"])) == runs["too simple"]["epochs_run"] - 1


def test_each_cure_lowers_validation_loss(lesson_run):
    runs = lesson_run[0]["runs"]
    none = runs["none"]["final"]["val_loss"]
    for name in ("L2", "dropout", "early stopping"):
        assert runs[name]["final"]["val_loss"] < 0.85 * none, name


def test_early_stopping_stops_and_keeps_best(lesson_run):
    run = lesson_run[0]["runs"]["early stopping"]
    assert run["epochs_run"] < 150
    # EarlyStopping stops once 40 epochs (its patience) in a row have not improved (Keras)
    assert run["epochs_run"] == run["best_epoch"] + 40  # best_epoch counts from 0
    # the restored weights are the best epoch's
    assert run["final"]["val_loss"] == pytest.approx(min(run["val_loss"]), rel=1e-5)


def test_table_lists_every_variant(lesson_run):
    res, text = lesson_run
    assert [row[0] for row in res["rows"]] == list(O.VARIANTS)
    for name in O.VARIANTS:
        assert name in text


def test_lesson_figure(lesson_run, check_png):
    check_png(lesson_run[0]["figure"])


def test_unknown_variant():
    with pytest.raises(ValueError, match="unknown variant"):
        O.train_variant("bagging", O.make_data(n_train=10, n_val=10))
