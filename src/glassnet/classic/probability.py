"""From scores to probabilities to a loss: softmax, one-hot, maximum likelihood, cross-entropy.

* softmax turns scores z_1..z_n into probabilities exp(z_i) / sum_j exp(z_j).
* one-hot encoding writes class c of C as the vector with a 1 in place c and 0 elsewhere.
* maximum likelihood: a model that gives the true labels of independent points the
  probabilities p_1..p_m assigns the whole data set the probability prod_i p_i; the better
  model is the one with the larger product.
* Products of many numbers below 1 vanish, and a change in one factor changes all of it, so we
  take logarithms: -ln(prod_i p_i) = sum_i -ln(p_i), the cross-entropy. Maximising the
  likelihood is minimising the cross-entropy; a low cross-entropy means a good model.

The engine's ``BinaryCrossEntropy`` and ``CrossEntropy`` losses compute the same quantities
(averaged rather than summed unless ``reduction="sum"``), in a numerically stable form.
"""

from __future__ import annotations

import numpy as np

from ..nn import functional as F

__all__ = [
    "ANIMALS",
    "cross_entropy",
    "likelihood",
    "log_likelihood",
    "multiclass_cross_entropy",
    "one_hot",
    "softmax",
]

#: The lesson's three classes, in order.
ANIMALS = ("duck", "beaver", "walrus")


def softmax(scores):
    """Probabilities exp(z_i) / sum_j exp(z_j) of a 1-D list of scores.

    >>> softmax([1, 2, 3]).round(8)
    array([0.09003057, 0.24472847, 0.66524096])

    The lesson's animals with scores duck 2, beaver 1, walrus 0:

    >>> dict(zip(ANIMALS, softmax([2, 1, 0]).round(3).tolist()))
    {'duck': 0.665, 'beaver': 0.245, 'walrus': 0.09}

    Adding a constant to every score changes nothing (it cancels in the ratio), which is why
    the stable version subtracts the largest score first:

    >>> bool(np.allclose(softmax([1001, 1002, 1003]), softmax([1, 2, 3])))
    True
    """
    z = np.asarray(scores, dtype=np.float64)
    if z.ndim != 1 or z.size == 0:
        raise ValueError(f"scores must be a non-empty 1-D list, got shape {z.shape}")
    return F.softmax(z)


def one_hot(labels, classes=ANIMALS):
    """One row per label with a 1 in the column of its class: an (n, len(classes)) int array.

    Numbers such as duck = 0, beaver = 1, walrus = 2 would invent an order and distances
    between classes that do not exist; one-hot vectors are all equally far apart.

    >>> one_hot(["duck", "beaver", "walrus", "duck"])
    array([[1, 0, 0],
           [0, 1, 0],
           [0, 0, 1],
           [1, 0, 0]])
    """
    classes = list(classes)
    index = {c: i for i, c in enumerate(classes)}
    unknown = [lab for lab in labels if lab not in index]
    if unknown:
        raise ValueError(f"labels {sorted(set(map(str, unknown)))} are not in classes {classes}")
    return F.one_hot(np.array([index[lab] for lab in labels], dtype=np.int64), len(classes),
                     dtype=np.int64)


def likelihood(probabilities):
    """Probability of all the points' true labels together: the product of each one's.

    The lesson's two models of the same four points, as the probability each gives the point's
    true label: the second is far more likely.

    >>> round(likelihood([0.6, 0.2, 0.1, 0.7]), 6), round(likelihood([0.7, 0.9, 0.8, 0.6]), 6)
    (0.0084, 0.3024)
    """
    p = _probabilities(probabilities)
    return float(np.prod(p))


def log_likelihood(probabilities):
    """Sum of the log-probabilities: ln of the likelihood, without the vanishing product.

    >>> p = [0.6, 0.2, 0.1, 0.7]
    >>> bool(np.isclose(log_likelihood(p), np.log(likelihood(p))))
    True

    A thousand points each at 0.5 underflow the product but not the sum:

    >>> likelihood([0.5] * 1100), round(log_likelihood([0.5] * 1100), 2)
    (0.0, -762.46)
    """
    p = _probabilities(probabilities)
    return float(np.sum(np.log(p)))


def cross_entropy(Y, P):
    """Binary cross-entropy -sum_i [y_i ln(p_i) + (1 - y_i) ln(1 - p_i)] (summed, as the lesson).

    Y: labels in {0, 1}; P: each point's predicted probability of label 1. For a point of label
    0 the probability of its true label is 1 - p. The lesson's two models of four points (two
    of label 1, two of label 0) give 4.78 and 1.20: the better model has the lower value.

    >>> round(cross_entropy([1, 1, 0, 0], [0.6, 0.2, 0.9, 0.3]), 2)
    4.78
    >>> round(cross_entropy([1, 1, 0, 0], [0.7, 0.9, 0.2, 0.4]), 2)
    1.2

    It is -log_likelihood of the true labels' probabilities, and the engine's loss summed:

    >>> bool(np.isclose(cross_entropy([1, 1, 0, 0], [0.7, 0.9, 0.2, 0.4]),
    ...                 -log_likelihood([0.7, 0.9, 0.8, 0.6])))
    True
    >>> from glassnet.nn import BinaryCrossEntropy
    >>> bce = BinaryCrossEntropy(reduction="sum")
    >>> round(bce(np.array([[0.7], [0.9], [0.2], [0.4]]), np.array([1, 1, 0, 0])), 2)
    1.2
    """
    # p = 1 for a label-0 point would make ln(1 - p) infinite: the open interval keeps it finite
    Y, P = np.asarray(Y, dtype=np.float64), _probabilities(P, upper_open=True)
    if Y.shape != P.shape:
        raise ValueError(f"Y has shape {Y.shape} but P has shape {P.shape}")
    if not np.all((Y == 0) | (Y == 1)):
        raise ValueError("Y must hold labels 0 and 1 only")
    return float(-np.sum(Y * np.log(P) + (1 - Y) * np.log1p(-P)))


def multiclass_cross_entropy(Y, P):
    """Cross-entropy over C classes: -sum_i sum_c Y_ic ln(P_ic), Y one-hot (n, C), P (n, C).

    Only the probability of each row's true class counts. Three doors, each hiding a duck, a
    beaver or a walrus, with these probabilities (one row per door):

    >>> P = [[0.7, 0.2, 0.1],
    ...      [0.3, 0.4, 0.3],
    ...      [0.1, 0.5, 0.4]]

    If the doors hide a duck, a beaver and a walrus, the scenario's probability is
    0.7 * 0.4 * 0.4 = 0.112 and its cross-entropy -ln(0.112):

    >>> Y = one_hot(["duck", "beaver", "walrus"])
    >>> round(multiclass_cross_entropy(Y, P), 4), round(float(-np.log(0.7 * 0.4 * 0.4)), 4)
    (2.1893, 2.1893)

    With two classes (one-hot [1, 0] for label 0, [0, 1] for label 1) it is the binary
    cross-entropy, with P's second column as the probability of label 1:

    >>> bool(np.isclose(multiclass_cross_entropy([[1, 0], [0, 1]], [[0.7, 0.3], [0.2, 0.8]]),
    ...                 cross_entropy([0, 1], [0.3, 0.8])))
    True
    """
    Y, P = np.asarray(Y, dtype=np.float64), _probabilities(P)
    if Y.ndim != 2 or Y.shape != P.shape:
        raise ValueError(f"Y and P must both be (n, C); got {Y.shape} and {P.shape}")
    if not np.allclose(P.sum(axis=1), 1.0):
        raise ValueError("each row of P must sum to 1")
    return float(-np.sum(Y * np.log(P)))


def _probabilities(p, upper_open=False):
    p = np.asarray(p, dtype=np.float64)
    if p.size == 0:
        raise ValueError("probabilities must not be empty")
    ok = (p > 0) & ((p < 1) if upper_open else (p <= 1))
    if not np.all(ok):
        raise ValueError(f"probabilities must lie in (0, 1{')' if upper_open else ']'}")
    return p
