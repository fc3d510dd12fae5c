"""The registry of runnable lessons: name -> (module, function, one-line description).

Each lesson is a function ``lesson(out=DEFAULT_OUT, quick=False, verbose=True) -> dict`` that
prints what the course prints, saves its figure as PNG in ``out`` and returns its numbers
(the PNG's path under ``"figure"``). Modules are imported only when their lesson runs.
"""

from __future__ import annotations

import importlib

from ._figures import DEFAULT_OUT

__all__ = ["DEFAULT_OUT", "LESSONS", "describe", "run_lesson"]

LESSONS = {
    "perceptron": ("perceptron", "lesson",
                   "the perceptron trick separating 100 points, its line after every epoch"),
    "gates": ("gates", "lesson",
              "AND, OR, NOT as perceptrons (by hand and learned); XOR with one and two layers"),
    "logistic": ("logistic", "lesson",
                 "logistic regression by gradient descent: the lab replayed, loss every 10 epochs"),
    "gradient-step": ("steps", "lesson_gradient_step",
                      "one gradient-descent step of a sigmoid unit, computed by the engine"),
    "backprop-step": ("steps", "lesson_backprop_step",
                      "one backpropagation step through a 3-2-1 sigmoid network"),
    "forward-pass": ("steps", "lesson_forward_pass",
                     "the forward pass of a 4-3-2 sigmoid network"),
    "admissions": ("admissions", "lesson",
                   "student admissions: logistic regression, 2-hidden-unit net, baseline, spread"),
    "overfitting": ("overfitting", "lesson",
                    "train vs validation loss: no regularization, L2, dropout, early stopping"),
    "vanishing-gradients": ("vanishing", "lesson",
                            "per-layer gradient norms of 10-layer sigmoid, tanh and ReLU nets"),
}


def describe():
    """One line per lesson: its name and what it shows."""
    width = max(map(len, LESSONS))
    return "\n".join(f"{name:<{width}}  {desc}" for name, (_, _, desc) in LESSONS.items())


def run_lesson(name, out=DEFAULT_OUT, quick=False, verbose=True):
    """Run the lesson ``name``; returns its dict of numbers (with the figure's path)."""
    if name not in LESSONS:
        raise ValueError(f"unknown lesson {name!r}; choose one of: {', '.join(LESSONS)}")
    module, func, _ = LESSONS[name]
    lesson = getattr(importlib.import_module(f"{__package__}.{module}"), func)
    return lesson(out=out, quick=quick, verbose=verbose)
