"""The curriculum as tested API, a module per topic: perceptrons and gates, error functions
and probabilities, gradient and backprop steps, the 11-line network, the deep-learning course's
notation (computation graph, vectors, deep networks), the training techniques, the tutorials'
errata, the 9 steps and the earthquake challenge.

Run a lesson with ``glassnet lesson NAME`` (``glassnet lesson --list`` lists them) or
``glassnet.classic.run_lesson(NAME)``. Every name below is loaded from its module on first use
(PEP 562), so listing the lessons imports neither NumPy nor matplotlib.
"""

import importlib

# module -> the names it gives this package
_MODULES = {
    "gates": ("learn_gate", "train_xor_network", "truth_table", "xor_from_gates"),
    "lessons": ("LESSONS", "lesson_function", "run_lesson"),
    "logistic": ("lab_initial_weights", "log_loss", "train_logistic"),
    "perceptron": ("boundary_line", "perceptron_step", "predict", "step", "train_perceptron"),
    "probability": ("cross_entropy", "likelihood", "log_likelihood", "multiclass_cross_entropy",
                    "one_hot", "softmax"),
    "steps": ("backprop_step", "forward_pass", "gradient_step"),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}

__all__ = sorted(_WHERE)


def __getattr__(name):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
