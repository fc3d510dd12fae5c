"""The lessons' worked examples of one forward pass and one step of learning, run on the engine.

One gradient-descent step for a sigmoid unit with sum-of-squares error E = 1/2 (y - y_hat)^2:

    h = x @ w,  y_hat = sigmoid(h),  error = y - y_hat,
    error_term = error * y_hat (1 - y_hat)          (= -dE/dh, since sigmoid' = y_hat (1 - y_hat))
    delta_w = lr * error_term * x                   (= -lr dE/dw)

Backpropagation sends the error term back through each weight to the layer below:

    hidden = sigmoid(x @ W_ih),  y_hat = sigmoid(hidden @ W_ho)
    output_error_term = (y - y_hat) y_hat (1 - y_hat)
    hidden_error_term = (W_ho * output_error_term) * hidden (1 - hidden)
    delta_W_ho = lr * output_error_term * hidden,   delta_W_ih = lr * outer(x, hidden_error_term)

Here these numbers come from the engine, not from the formulas: a ``Sequential`` of
``Dense(bias=False)`` and ``Sigmoid`` layers takes one ``Sequential.train_step`` with
``SSELoss`` (whose gradient is y_hat - y) and ``SGD(lr)``: forward, loss, backward, update. The
change in each weight is read off as W_after - W_before.

The course works two single-unit examples (both are kept): the quiz's x = [0.1, 0.3],
y = 0.2, w = [-0.8, 0.5] (``SINGLE_NEURON_EXAMPLE``), and the exercise's four inputs
(``GRADIENT_EXAMPLE``).
"""

from __future__ import annotations

import numpy as np

from ..nn import SGD, Dense, Sequential, Sigmoid, SSELoss
from ._figures import DEFAULT_OUT, draw_network, new_figure, save_figure, speaker

__all__ = [
    "BACKPROP_EXAMPLE",
    "GRADIENT_EXAMPLE",
    "SINGLE_NEURON_EXAMPLE",
    "backprop_step",
    "forward_pass",
    "forward_pass_example",
    "format_gradient_step",
    "gradient_step",
    "lesson_backprop_step",
    "lesson_forward_pass",
    "lesson_gradient_step",
    "plot_gradient_steps",
    "sigmoid_network",
    "sse_step",
]

#: The single-neuron quiz: one sigmoid unit, two inputs, no bias.
SINGLE_NEURON_EXAMPLE = {"x": [0.1, 0.3], "y": 0.2, "w": [-0.8, 0.5], "learn_rate": 0.5}

#: The gradient-descent exercise's example.
GRADIENT_EXAMPLE = {"x": [1.0, 2.0, 3.0, 4.0], "y": 0.5, "w": [0.5, -0.5, 0.3, 0.1],
                    "learn_rate": 0.5}

#: The backpropagation lesson's example (W_ih is (n_in, n_hidden), W_ho (n_hidden,)).
BACKPROP_EXAMPLE = {"x": [0.5, 0.1, -0.2], "target": 0.6, "learn_rate": 0.5,
                    "W_ih": [[0.5, -0.6], [0.1, -0.2], [0.1, 0.7]], "W_ho": [0.1, -0.3]}


def sigmoid_network(weights):
    """``Sequential`` of Dense(bias=False) + Sigmoid per weight matrix, in float64.

    weights: a list of (n_in, n_out) matrices (a 1-D array is taken as one output column).
    """
    layers, values = [], []
    for w in weights:
        w = np.asarray(w, dtype=np.float64)
        w = w.reshape(-1, 1) if w.ndim == 1 else w
        layers += [Dense(w.shape[0], w.shape[1], bias=False), Sigmoid()]
        values += [{"W": w}, {}]
    model = Sequential(layers, dtype="float64")
    model.set_weights(values)
    return model


def _activations(model, X):
    """The output of every Sigmoid layer for X, in order (what each layer passes up)."""
    if X.shape[1] != model.n_features:
        raise ValueError(f"x has {X.shape[1]} values but the first weight matrix has "
                         f"{model.n_features} rows")
    outs, h = [], X
    for layer in model.layers:
        h = layer.forward(h)
        if isinstance(layer, Sigmoid):
            outs.append(h[0].copy())
    return outs


def sse_step(model, x, y, learn_rate):
    """One step of gradient descent on the SSE of a single example, the engine's way.

    ``model.train_step(x, y, SSELoss(), SGD(lr))``: forward -> loss -> dE/d(output) ->
    backward (fills every layer's grads) -> the SGD update. Returns (activations of each
    sigmoid layer before the step, the change in each Dense layer's W).
    """
    X = np.asarray(x, dtype=np.float64).reshape(1, -1)
    Y = np.asarray(y, dtype=np.float64).reshape(1, -1)
    before = [layer.params["W"].copy() for layer in model.layers if isinstance(layer, Dense)]
    acts = _activations(model, X)  # what each layer passes up, read before the step
    model.train_step(X, Y, SSELoss(), SGD(lr=learn_rate))
    after = [layer.params["W"] for layer in model.layers if isinstance(layer, Dense)]
    return acts, [a - b for a, b in zip(after, before)]


def gradient_step(x, y, w, learn_rate):
    """One gradient-descent step of a sigmoid unit; returns output, error, error_term, del_w.

    x (d,), w (d,), y a scalar. The quiz's example and the exercise's:

    >>> r = gradient_step(**SINGLE_NEURON_EXAMPLE)
    >>> round(r["output"], 10), round(r["error"], 10), r["del_w"].round(7).tolist()
    (0.5174928577, -0.3174928577, [-0.0039638, -0.0118914])
    >>> r = gradient_step(**GRADIENT_EXAMPLE)
    >>> round(r["output"], 10), round(r["error"], 10)
    (0.6899744811, -0.1899744811)
    """
    model = sigmoid_network([w])
    acts, (dw,) = sse_step(model, x, y, learn_rate)
    output = float(acts[-1][0])
    error = float(y) - output
    return {"output": output, "error": error, "error_term": error * output * (1 - output),
            "del_w": dw[:, 0], "model": model}


def backprop_step(x, target, W_ih, W_ho, learn_rate):
    """The backpropagation lesson's step; returns hidden, output, delta_W_ho, delta_W_ih."""
    model = sigmoid_network([W_ih, W_ho])
    (hidden, output), (d_ih, d_ho) = sse_step(model, x, target, learn_rate)
    return {"hidden": hidden, "output": float(output[0]), "delta_W_ho": d_ho[:, 0],
            "delta_W_ih": d_ih, "model": model}


def forward_pass_example():
    """The forward-pass lesson's inputs and weights: ``np.random.seed(42)``, then
    X = randn(4), W_ih = normal(0, 0.1, (4, 3)), W_ho = normal(0, 0.1, (3, 2)).

    A documented replay of the course's legacy random stream (a private ``RandomState(42)``
    gives the same numbers without touching NumPy's global state).
    """
    rs = np.random.RandomState(42)
    X = rs.randn(4)
    W_ih = rs.normal(0, scale=0.1, size=(4, 3))
    W_ho = rs.normal(0, scale=0.1, size=(3, 2))
    return X, W_ih, W_ho


def forward_pass(X, W_ih, W_ho):
    """Hidden and output activations of the sigmoid network (W_ih, W_ho) on one input X."""
    model = sigmoid_network([W_ih, W_ho])
    hidden, output = _activations(model, np.asarray(X, dtype=np.float64).reshape(1, -1))
    return {"hidden": hidden, "output": output, "model": model}


def format_gradient_step(example, result):
    """The course's printout of one gradient step: output, error and change in weights."""
    return "\n".join([
        f"x = {example['x']}, y = {example['y']}, w = {example['w']}, "
        f"learn rate {example['learn_rate']}",
        "Neural Network output:", str(result["output"]),
        "Amount of Error:", str(result["error"]),
        "Change in Weights:", str(result["del_w"]),
    ])


def plot_gradient_steps(examples, results):
    """One row per example: the unit's forward pass, and the change in each weight."""
    fig, axes = new_figure(len(examples), 2, figsize=(10, 3.6 * len(examples)), squeeze=False)
    for (ax0, ax1), ex, r in zip(axes, examples, results):
        d = len(ex["x"])
        draw_network(ax0, [d, 1], [np.reshape(ex["w"], (d, 1))],
                     values=[ex["x"], [r["output"]]], labels=["x", "sigmoid(x @ w)"],
                     title=f"Forward: output {r['output']:.6f}, error {r['error']:.6f}")
        ax1.bar([f"w{i + 1}" for i in range(d)], r["del_w"], color="tab:red")
        ax1.axhline(0, color="k", lw=0.8)
        ax1.set_title("Change in weights: lr * error * y_hat (1 - y_hat) * x", fontsize=10)
    fig.tight_layout()
    return fig


def lesson_gradient_step(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson gradient-step``: one step of gradient descent for one sigmoid unit,
    on the quiz's two inputs and on the exercise's four."""
    say = speaker(verbose)
    examples = [SINGLE_NEURON_EXAMPLE, GRADIENT_EXAMPLE]
    results = [gradient_step(**ex) for ex in examples]
    for ex, r in zip(examples, results):
        say(format_gradient_step(ex, r) + "\n")
    r = dict(results[1])  # the exercise's numbers at the top level, as before
    r["single_neuron"] = results[0]
    r["figure"] = save_figure(plot_gradient_steps(examples, results), out, "gradient-step.png")
    say(f"figure: {r['figure']}")
    return r


def lesson_backprop_step(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson backprop-step``: one backpropagation step through a 3-2-1 network."""
    say, ex = speaker(verbose), BACKPROP_EXAMPLE
    r = backprop_step(**ex)
    say(f"x = {ex['x']}, target = {ex['target']}, learn rate {ex['learn_rate']}")
    say(f"hidden layer output: {r['hidden']}")
    say(f"output: {r['output']}")
    say("Change in weights for hidden layer to output layer:")
    say(r["delta_W_ho"])
    say("Change in weights for input layer to hidden layer:")
    say(r["delta_W_ih"])
    fig, (ax0, ax1) = new_figure(1, 2, figsize=(11, 4.5))
    draw_network(ax0, [3, 2, 1], [ex["W_ih"], np.reshape(ex["W_ho"], (2, 1))],
                 values=[ex["x"], r["hidden"], [r["output"]]],
                 labels=["x", "hidden", "output"], title="Forward pass (weights)")
    draw_network(ax1, [3, 2, 1], [r["delta_W_ih"], r["delta_W_ho"].reshape(2, 1)],
                 labels=["x", "hidden", "output"], title="Backward pass: change in each weight")
    fig.tight_layout()
    r["figure"] = save_figure(fig, out, "backprop-step.png")
    say(f"figure: {r['figure']}")
    return r


def lesson_forward_pass(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson forward-pass``: a 4-3-2 sigmoid network's forward pass."""
    say = speaker(verbose)
    X, W_ih, W_ho = forward_pass_example()
    r = forward_pass(X, W_ih, W_ho)
    say("Inputs (np.random.seed(42); randn(4)), weights N(0, 0.1):")
    say(X)
    say("Hidden-layer Output:")
    say(r["hidden"])
    say("Output-layer Output:")
    say(r["output"])
    fig, ax = new_figure(figsize=(7, 5))
    draw_network(ax, [4, 3, 2], [W_ih, W_ho], values=[X, r["hidden"], r["output"]],
                 labels=["input", "hidden (sigmoid)", "output (sigmoid)"],
                 title="Forward pass of a 4-3-2 network")
    r["figure"] = save_figure(fig, out, "forward-pass.png")
    say(f"figure: {r['figure']}")
    return r
