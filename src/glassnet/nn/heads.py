"""The end of a network for each task: output units, output activation and loss, chosen once.

==============================  =========  =================  ======================
task                            units      output activation  loss
==============================  =========  =================  ======================
regression                      k (1)      none (linear)      MSE
classification, 2 classes       1          sigmoid            binary cross-entropy
classification, C > 2 classes   C          softmax            cross-entropy
multilabel (k yes/no labels)    k          sigmoid            binary cross-entropy
==============================  =========  =================  ======================

One sigmoid unit for two classes is the same model as two softmax units with half the weights:
softmax([z, 0]) = [sigmoid(z), 1 - sigmoid(z)]. ``glassnet train``, ``glassnet search`` and the
scikit-learn estimators all ask ``head_for``.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import losses

__all__ = ["Head", "head_for"]

_LOSSES = {"mse": losses.MSELoss, "bce": losses.BinaryCrossEntropy,
           "cross_entropy": losses.CrossEntropy}


@dataclass(frozen=True)
class Head:
    """A network's output: ``units`` Dense outputs, then ``activation`` (None: linear), trained
    with the loss named ``loss``."""

    units: int
    activation: str | None
    loss: str

    def make_loss(self, **kwargs):
        """A fresh instance of the head's loss (keyword settings such as ``class_weight``)."""
        return _LOSSES[self.loss](**kwargs)


def head_for(task, n_classes=None, n_outputs=1):
    """The ``Head`` of ``task``: "regression" (``n_outputs`` values), "classification"
    (``n_classes`` >= 2 classes) or "multilabel" (``n_outputs`` independent yes/no labels)."""
    if task == "regression":
        return Head(int(n_outputs), None, "mse")
    if task == "multilabel":
        return Head(int(n_outputs), "sigmoid", "bce")
    if task != "classification":
        raise ValueError(f"task must be 'regression', 'classification' or 'multilabel', got "
                         f"{task!r}")
    if n_classes is None or n_classes < 2:
        raise ValueError(f"classification needs at least 2 classes, got {n_classes}")
    if n_classes == 2:
        return Head(1, "sigmoid", "bce")
    return Head(int(n_classes), "softmax", "cross_entropy")
