"""One mapping from a task to the network's output units, activation and loss."""

import pytest

import glassnet.nn as gn


@pytest.mark.parametrize("task, n_classes, n_outputs, expected", [
    ("regression", None, 1, (1, None, gn.MSELoss)),
    ("regression", None, 3, (3, None, gn.MSELoss)),
    ("classification", 2, 1, (1, "sigmoid", gn.BinaryCrossEntropy)),
    ("classification", 5, 1, (5, "softmax", gn.CrossEntropy)),
    ("multilabel", None, 4, (4, "sigmoid", gn.BinaryCrossEntropy)),
])
def test_head_for_each_task(task, n_classes, n_outputs, expected):
    head = gn.head_for(task, n_classes, n_outputs)
    units, activation, loss = expected
    assert (head.units, head.activation) == (units, activation)
    assert type(head.make_loss()) is loss
    assert head.make_loss() is not head.make_loss()  # a fresh loss each time: caches differ


def test_a_head_builds_the_matching_network():
    head = gn.head_for("classification", 3)
    model = gn.mlp([4, 8, head.units], "relu", head.activation, seed=0)
    assert isinstance(model.layers[-1], gn.Softmax) and model.n_outputs == 3
    assert type(model.default_loss()) is type(head.make_loss())


def test_bad_tasks_are_rejected():
    with pytest.raises(ValueError, match="at least 2 classes"):
        gn.head_for("classification", 1)
    with pytest.raises(ValueError, match="task must be"):
        gn.head_for("ranking")
