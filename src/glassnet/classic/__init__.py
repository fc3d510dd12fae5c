"""The classic lessons as tested API: perceptron, logic gates, logistic regression, softmax and
cross-entropy, one step of gradient descent and of backprop, and the lessons that run them.

Run a lesson with ``glassnet lesson NAME`` (``glassnet lesson --list`` lists them) or
``glassnet.classic.run_lesson(NAME)``. The modules that train networks (admissions,
overfitting, vanishing) are imported on first use.
"""

from .gates import learn_gate, train_xor_network, truth_table, xor_from_gates
from .lessons import LESSONS, run_lesson
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
    "log_loss", "multiclass_cross_entropy", "one_hot", "perceptron_step", "predict",
    "run_lesson", "softmax", "step", "train_logistic", "train_perceptron", "train_xor_network",
    "truth_table", "xor_from_gates",
]
