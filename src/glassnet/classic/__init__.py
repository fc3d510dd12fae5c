"""The curriculum as tested API, a module per topic: perceptrons and gates, error functions
and probabilities, gradient and backprop steps, the 11-line network, the deep-learning course's
notation (computation graph, vectors, deep networks), the training techniques, the tutorials'
errata, the 9 steps and the earthquake challenge.

Run a lesson with ``glassnet lesson NAME`` (``glassnet lesson --list`` lists them in the
course's order) or ``glassnet.classic.run_lesson(NAME)``; ``LESSONS`` maps each name to its
module. Only the small single-unit modules are imported here; the others load on first use.
"""

from .gates import learn_gate, train_xor_network, truth_table, xor_from_gates
from .lessons import LESSONS, lesson_function, run_lesson
from .logistic import lab_initial_weights, log_loss, train_logistic
from .perceptron import boundary_line, perceptron_step, predict, step, train_perceptron
from .probability import (
    cross_entropy,
    likelihood,
    log_likelihood,
    multiclass_cross_entropy,
    one_hot,
    softmax,
)
from .steps import backprop_step, forward_pass, gradient_step

__all__ = [
    "LESSONS", "backprop_step", "boundary_line", "cross_entropy", "forward_pass",
    "gradient_step", "lab_initial_weights", "learn_gate", "likelihood", "log_likelihood",
    "lesson_function", "log_loss", "multiclass_cross_entropy", "one_hot", "perceptron_step",
    "predict",
    "run_lesson", "softmax", "step", "train_logistic", "train_perceptron", "train_xor_network",
    "truth_table", "xor_from_gates",
]
