"""The registry of runnable lessons, in the course's order: name -> (module, function, summary).

Every lesson is a function with the one protocol signature

    lesson(quick=False, verbose=True, out=DEFAULT_OUT) -> dict

that computes its numbers, prints what the course prints (when ``verbose``), saves its figure
as PNG in ``out`` and returns its key numbers (the PNG's path under ``"figure"``, or a list of
paths under ``"figures"``). ``quick`` picks shorter settings where a lesson trains for long.
Modules are imported only when their lesson runs.

The order is the curriculum's: the perceptron and logic gates, error functions and
probabilities, gradient descent and backpropagation on one unit and on small networks, the
deep-learning course's notation and tools, deep networks and their training techniques, and
the worked projects last.
"""

from __future__ import annotations

import importlib

from ._figures import DEFAULT_OUT

__all__ = ["DEFAULT_OUT", "LESSONS", "describe", "lesson_function", "run_lesson"]

LESSONS = {
    # -- perceptrons, error functions, probabilities
    "perceptron": ("perceptron", "lesson",
                   "the perceptron trick separating 100 points, its line after every epoch"),
    "gates": ("gates", "lesson",
              "AND, OR, NOT as perceptrons (by hand and learned); XOR with one and two layers"),
    "contrasts": ("contrasts", "lesson",
                  "step vs sigmoid, perceptron trick vs gradient descent, two lines combined, "
                  "squared vs absolute error"),
    "probability": ("probability", "lesson",
                    "softmax, one-hot, maximum likelihood, cross-entropy (4.7795 vs the "
                    "course's 4.78)"),
    # -- gradient descent and backpropagation
    "logistic": ("logistic", "lesson",
                 "logistic regression by gradient descent: the lab replayed, loss every 10 epochs"),
    "gradient-step": ("steps", "lesson_gradient_step",
                      "one gradient-descent step of a sigmoid unit, computed by the engine"),
    "activations": ("activations", "lesson",
                    "step, sigmoid, tanh, ReLU, leaky ReLU and their derivatives"),
    "forward-pass": ("steps", "lesson_forward_pass",
                     "the forward pass of a 4-3-2 sigmoid network"),
    "backprop-step": ("steps", "lesson_backprop_step",
                      "one backpropagation step through a 3-2-1 sigmoid network"),
    "eleven-lines": ("eleven_lines", "lesson",
                     "the 11-line 3-4-1 network: the tutorial's loop beside the engine"),
    "admissions": ("admissions", "lesson",
                   "student admissions: logistic regression, 2-hidden-unit net, baseline, spread"),
    # -- the deep-learning course's notation and tools
    "computation-graph": ("computation_graph", "lesson",
                          "J = (a - 1)(b + c) as a graph: forward values, backward derivatives"),
    "vectors": ("vectors", "lesson",
                "element-wise * and broadcasting against np.dot; flattening an image"),
    "digits": ("digits", "lesson",
               "the 8x8 handwritten digits flattened to 64-vectors, a softmax network"),
    "deep-networks": ("deep_networks", "lesson",
                      "an L-layer network in the course's notation (samples as columns) = engine"),
    "network-contrasts": ("network_contrasts", "lesson",
                          "tanh vs sigmoid, zero initialization, parameters vs hyperparameters, "
                          "parameter counts"),
    "vanishing-gradients": ("vanishing", "lesson",
                            "per-layer gradient norms of 10-layer sigmoid, tanh and ReLU nets"),
    "errata": ("errata", "lesson",
               "where the tutorials' code is wrong: the backprop lab's loss, vanishing gradients"),
    # -- training techniques
    "mini-batch": ("batching", "lesson",
                   "batch, mini-batch and stochastic gradient descent on 24 points"),
    "learning-rate": ("learning_rate", "lesson",
                      "a learning rate too small, right and too large (diverging)"),
    "momentum": ("momentum", "lesson",
                 "momentum against plain SGD: a curved valley and a local minimum"),
    "l1-l2": ("regularization", "lesson",
              "L1 against L2: weight histograms and the weights driven to zero"),
    "overfitting": ("overfitting", "lesson",
                    "underfitting next to overfitting; L2, dropout, early stopping"),
    # -- projects
    "nine-steps": ("nine_steps", "lesson",
                   "the 9-step NumPy network as the tutorial lays it out, beside the engine's"),
    "earthquake-overflow": ("earthquake_overflow", "lesson",
                            "why the tutorial's earthquake network overflows, and the fix"),
    "earthquake-search": ("earthquake_search", "lesson",
                          "earthquake magnitudes: a random search written on NumPy alone"),
}


def describe():
    """One line per lesson, in the course's order: its name and what it shows."""
    width = max(map(len, LESSONS))
    return "\n".join(f"{name:<{width}}  {desc}" for name, (_, _, desc) in LESSONS.items())


def lesson_function(name):
    """The function of lesson ``name`` (imports its module); ``ValueError`` for an unknown one."""
    if name not in LESSONS:
        raise ValueError(f"unknown lesson {name!r}; choose one of: {', '.join(LESSONS)}")
    module, func, _ = LESSONS[name]
    return getattr(importlib.import_module(f"{__package__}.{module}"), func)


def run_lesson(name, quick=False, verbose=True, out=DEFAULT_OUT):
    """Run the lesson ``name``; returns its dict of numbers (with the figure's path)."""
    return lesson_function(name)(quick=quick, verbose=verbose, out=out)
