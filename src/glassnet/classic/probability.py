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

The course's two models of four points (``TWO_MODELS``) have cross-entropies 4.7795 and 1.1960;
the course shows 4.78 and 1.19 because it adds the terms as its slide writes them, rounded
(``COURSE_TERMS``): -ln(0.9) = 0.1054 appears as 0.1, so its second sum is 1.19 where the exact
value rounds to 1.20.
"""

from __future__ import annotations

import numpy as np

from ..nn import functional as F
from ._figures import DEFAULT_OUT, new_figure, save_figure, speaker

__all__ = [
    "ANIMALS",
    "COURSE_TERMS",
    "SOFTMAX_EXAMPLE",
    "TWO_MODELS",
    "lesson",
    "plot",
    "probability_numbers",
    "report",
    "cross_entropy",
    "likelihood",
    "log_likelihood",
    "multiclass_cross_entropy",
    "one_hot",
    "softmax",
]

#: The lesson's three classes, in order.
ANIMALS = ("duck", "beaver", "walrus")

#: The softmax example's scores.
SOFTMAX_EXAMPLE = [1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0]

#: Four points (labels), and each model's probability of label 1 for each point.
TWO_MODELS = {"labels": [1, 1, 0, 0],
              "bad model": [0.6, 0.2, 0.9, 0.3],
              "good model": [0.7, 0.9, 0.2, 0.4]}

#: The terms -ln(p) of each model's true-label probabilities as the course's slide writes them.
COURSE_TERMS = {"bad model": [0.51, 1.61, 2.3, 0.36], "good model": [0.36, 0.1, 0.22, 0.51]}


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
    of label 1, two of label 0) give 4.7795 and 1.1960: the better model has the lower value.

    >>> round(cross_entropy([1, 1, 0, 0], [0.6, 0.2, 0.9, 0.3]), 4)
    4.7795
    >>> round(cross_entropy([1, 1, 0, 0], [0.7, 0.9, 0.2, 0.4]), 4)
    1.196

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


def probability_numbers():
    """Every number of the probability lesson, computed; a dict (see ``report``)."""
    labels = np.asarray(TWO_MODELS["labels"])
    models = {}
    for name in ("bad model", "good model"):
        p = np.asarray(TWO_MODELS[name], dtype=np.float64)
        p_true = np.where(labels == 1, p, 1 - p)
        models[name] = {
            "p_label_1": p, "p_true": p_true, "likelihood": likelihood(p_true),
            "terms": -np.log(p_true), "cross_entropy": cross_entropy(labels, p),
            "course_terms": COURSE_TERMS[name],
            "course_cross_entropy": round(float(np.sum(COURSE_TERMS[name])), 2),
        }
    doors = [[0.7, 0.2, 0.1], [0.3, 0.4, 0.3], [0.1, 0.5, 0.4]]
    return {
        "softmax_scores": list(SOFTMAX_EXAMPLE), "softmax": softmax(SOFTMAX_EXAMPLE),
        "animals": dict(zip(ANIMALS, softmax([2.0, 1.0, 0.0]))),
        "one_hot": one_hot(list(ANIMALS)),
        "models": models,
        "doors": {"P": np.array(doors),
                  "cross_entropy": multiclass_cross_entropy(one_hot(list(ANIMALS)), doors)},
    }


def report(numbers):
    """The lesson's printout of ``probability_numbers()``."""
    lines = [f"softmax({numbers['softmax_scores']}) =",
             f"  {np.round(numbers['softmax'], 8)}",
             "scores duck 2, beaver 1, walrus 0 -> "
             + ", ".join(f"{k} {v:.3f}" for k, v in numbers["animals"].items()),
             f"one-hot of {list(ANIMALS)}:", str(numbers["one_hot"]), ""]
    for name, m in numbers["models"].items():
        terms = " + ".join(f"{t:.4f}" for t in m["terms"])
        course = " + ".join(f"{t:g}" for t in m["course_terms"])
        lines += [f"{name}: probabilities of the true labels {np.round(m['p_true'], 4).tolist()}",
                  f"  likelihood (product) {m['likelihood']:.4f}",
                  f"  cross-entropy -sum ln(p) = {terms} = {m['cross_entropy']:.4f}",
                  f"  the course: {course} = {m['course_cross_entropy']:.2f}"]
    lines += ["The course adds the terms rounded as its slide writes them; -ln(0.9) = 0.1054 "
              "written as 0.1 makes its second sum 1.19, while the exact 1.1960 rounds to 1.20. "
              "Maximising the likelihood is minimising the cross-entropy: the good model wins "
              "on both.",
              f"three doors (duck, beaver, walrus): multi-class cross-entropy "
              f"{numbers['doors']['cross_entropy']:.4f} = -ln(0.7 * 0.4 * 0.4)"]
    return "\n".join(lines)


def plot(numbers):
    """Softmax of the example scores, and each model's -ln(p) per point stacked to its total."""
    fig, (ax0, ax1) = new_figure(1, 2, figsize=(11, 4.2))
    z, p = numbers["softmax_scores"], numbers["softmax"]
    ax0.bar(range(len(z)), p, color="tab:blue")
    ax0.set_xticks(range(len(z)), [f"z={v:g}" for v in z])
    for i, v in enumerate(p):
        ax0.text(i, v, f"{v:.3f}", ha="center", va="bottom", fontsize=8)
    ax0.set_ylabel("probability")
    ax0.set_title("softmax: exp(z_i) / sum_j exp(z_j)")
    names = list(numbers["models"])
    for k, name in enumerate(names):
        m, bottom = numbers["models"][name], 0.0
        for i, t in enumerate(m["terms"]):
            ax1.bar(k, t, bottom=bottom, color=f"C{i}", edgecolor="white",
                    label=f"point {i + 1}" if k == 0 else None)
            bottom += t
        ax1.text(k, bottom, f"exact {m['cross_entropy']:.4f}\ncourse "
                 f"{m['course_cross_entropy']:.2f}", ha="center", va="bottom", fontsize=9)
    ax1.set_xticks(range(len(names)), names)
    ax1.set_ylim(0, 1.25 * max(m["cross_entropy"] for m in numbers["models"].values()))
    ax1.set_ylabel("-ln(probability of the true label)")
    ax1.set_title("Cross-entropy: the sum of -ln(p) over the points")
    ax1.legend(fontsize=8)
    fig.tight_layout()
    return fig


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson probability``: softmax, one-hot, maximum likelihood, cross-entropy."""
    numbers = probability_numbers()
    say = speaker(verbose)
    say(report(numbers))
    numbers["figure"] = save_figure(plot(numbers), out, "probability.png")
    say(f"figure: {numbers['figure']}")
    return numbers
