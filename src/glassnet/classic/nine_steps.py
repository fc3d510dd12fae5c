"""The 9-step NumPy network as the tutorial lays it out, beside glassnet's faster version.

The tutorial ("Machine Learning in Python NumPy: Neural Network in 9 Steps") keeps samples as
columns and writes every step out:

1. imports: NumPy, seeded with ``np.random.seed(42)``;
2. data: a, b ~ U[0, 100), 10,000 points as X_raw (2, 10000); targets a + b, a - b, |a - b| as
   y_raw (3, 10000);
3. split: the first 70% of the columns train, the last 30% test;
4. standardization: each row's mean and standard deviation from the training columns only,
   applied to both sets (nothing of the test set leaks into training);
5. a ``Layer`` class per layer (W (n_out, n_in) and b (n_out, 1), both randn * sqrt(2 / n_in);
   ReLU hidden, linear output), layers_dim = [2, 4, 4, 3], and the parameter count check
   sum over layers of (N[l-1] + 1) N[l] = 47 against the number of data points;
6. forward: Z = W A + b, A = relu(Z) (linear at the output);
7. backward: dZ = y_hat - y at the output, dZ = W_next.T dZ_next * relu'(A) below it, and
   dW = dZ A_prev.T / m, db = sum(dZ) / m: averaged over the batch;
8. plain gradient-descent updates W -= lr dW, b -= lr db (lr 0.01), printing the training loss;
9. test loss against training loss, and predictions for a few hand-picked inputs.

The replay is exact: with ``np.random.seed(42)``'s stream drawn from a private ``RandomState``,
``nine_steps(epochs=200_000, record_every=100_000)`` prints 0.3502 at epoch 100,000 and 0.3450
at 200,000, the tutorial's first two printed losses (``PUBLISHED_LOSSES``; about 1.5 minutes,
so the lesson runs 20,000 epochs). Its loss then stays at 0.3450: this 2-4-4-3 network never
learns a - b (test R^2 near 0), a plateau of plain gradient descent on so few units.

Two remarks. The tutorial's printed loss is mean over points of || 1/2 (y_hat - y)^2 ||_2, the
norm of the squared-error vector, not the squared error whose gradient step 7 takes; we print
the mean squared error (of the standardized targets) beside it. And its 47 weights are called
"hyperparameters": they are parameters (see ``glassnet lesson network-contrasts``).

``glassnet.projects.nine_step`` is today's version: the same nine steps on the engine with
rows as samples, a 2-64-64-3 network, Adam and mini-batches, reaching R^2 >= 0.99 in seconds.
"""

from __future__ import annotations

import numpy as np

from ._figures import DEFAULT_OUT, new_figure, save_figure, speaker

__all__ = ["HAND_PICKED", "LAYERS_DIM", "PUBLISHED_LOSSES", "Layer", "backward_prop",
           "build_network", "forward_prop", "lesson", "make_data", "nine_steps",
           "parameter_check", "plot", "report", "standardize", "tutorial_loss"]

#: The tutorial's network: input, two hidden ReLU layers, linear output.
LAYERS_DIM = [2, 4, 4, 3]

#: The tutorial's printed training loss at these epochs (it prints every 100,000).
PUBLISHED_LOSSES = {100_000: 0.3502, 200_000: 0.3450}

#: The tutorial's test cases (a, b); the last lies far outside the training range [0, 100).
HAND_PICKED = [(30, 70), (70, 30), (3, 5), (888, 122)]


def make_data(rs, n=10_000):
    """Step 2: X_raw (2, n) = rand * 100 from ``rs`` and y_raw (3, n) = a + b, a - b, |a - b|."""
    X_raw = rs.rand(2, n) * 100
    a, b = X_raw
    return X_raw, np.vstack([a + b, a - b, np.abs(a - b)])


def standardize(train, *others):
    """Step 4: each row scaled by the training columns' mean and (population) std; returns the
    scaled arrays and (mean, std), each (rows, 1)."""
    mean, std = train.mean(axis=1, keepdims=True), train.std(axis=1, keepdims=True)
    return [(a - mean) / std for a in (train, *others)], (mean, std)


class Layer:
    """Step 5: one layer, samples as columns: W (n_out, n_in), b (n_out, 1), an activation."""

    def __init__(self, n_in, n_out, activation, rs):
        scale = np.sqrt(2 / n_in)
        self.W = rs.randn(n_out, n_in) * scale
        self.b = rs.randn(n_out, 1) * scale
        self.activation = activation

    def forward(self, A_prev):
        """Step 6: Z = W A_prev + b, A = relu(Z) or Z; keeps A_prev and A for backward."""
        self.A_prev = A_prev
        Z = self.W @ A_prev + self.b
        self.A = np.maximum(Z, 0) if self.activation == "relu" else Z
        return self.A


def build_network(rs, layers_dim=LAYERS_DIM):
    """Step 5: the list of layers, ReLU hidden and linear output, drawn from ``rs`` in order."""
    n = len(layers_dim)
    return [Layer(layers_dim[i - 1], layers_dim[i], "linear" if i == n - 1 else "relu", rs)
            for i in range(1, n)]


def parameter_check(net, layers_dim=LAYERS_DIM):
    """The count check: the formula sum (N[l-1] + 1) N[l] and the layers' own count."""
    predicted = sum((layers_dim[i] + 1) * layers_dim[i + 1] for i in range(len(layers_dim) - 1))
    actual = sum(layer.W.size + layer.b.size for layer in net)
    return predicted, actual


def forward_prop(net, X):
    """Step 6 through every layer: the output (3, m)."""
    A = X
    for layer in net:
        A = layer.forward(A)
    return A


def backward_prop(net, y, y_hat):
    """Step 7: dZ = y_hat - y at the output; each layer's dW, db averaged over the m columns."""
    m = y.shape[1]
    dZ = y_hat - y
    for i in range(len(net) - 1, -1, -1):
        layer = net[i]
        if i < len(net) - 1:
            dZ = (net[i + 1].W.T @ dZ) * (layer.A > 0)  # relu'(Z) read off A, as the tutorial
        layer.dW = dZ @ layer.A_prev.T / m
        layer.db = dZ.sum(axis=1, keepdims=True) / m


def tutorial_loss(y, y_hat):
    """The tutorial's printed loss: the mean over columns of ||1/2 (y_hat - y)^2||_2."""
    return float(np.mean(np.linalg.norm(0.5 * (y_hat - y) ** 2, axis=0)))


def _r2(y, y_hat):
    return 1 - np.sum((y - y_hat) ** 2, axis=1) / np.sum((y - y.mean(axis=1, keepdims=True)) ** 2,
                                                          axis=1)


def nine_steps(epochs=20_000, learning_rate=0.01, seed=42, record_every=None):
    """All nine steps as the tutorial lays them out (``epochs`` instead of its 1,000,000);
    returns their numbers."""
    rs = np.random.RandomState(seed)                                    # 1
    X_raw, y_raw = make_data(rs)                                        # 2
    n_train = int(0.7 * X_raw.shape[1])                                 # 3
    (X_train, X_test), x_scale = standardize(X_raw[:, :n_train], X_raw[:, n_train:])  # 4
    (y_train, y_test), y_scale = standardize(y_raw[:, :n_train], y_raw[:, n_train:])
    net = build_network(rs)                                             # 5
    predicted, actual = parameter_check(net)
    every = record_every or max(1, epochs // 100)
    curve = []
    for epoch in range(1, epochs + 1):
        y_hat = forward_prop(net, X_train)                              # 6
        backward_prop(net, y_train, y_hat)                              # 7
        for layer in net:                                               # 8
            layer.W = layer.W - learning_rate * layer.dW
            layer.b = layer.b - learning_rate * layer.db
        if epoch == 1 or epoch % every == 0:
            curve.append((epoch, tutorial_loss(y_train, y_hat),
                          float(np.mean((y_hat - y_train) ** 2))))
    train_hat, test_hat = forward_prop(net, X_train), forward_prop(net, X_test)  # 9
    picked = np.array(HAND_PICKED, dtype=np.float64).T
    picked_hat = forward_prop(net, (picked - x_scale[0]) / x_scale[1]) * y_scale[1] + y_scale[0]
    test_raw = test_hat * y_scale[1] + y_scale[0]
    return {"epochs": epochs, "learning_rate": learning_rate, "n_train": n_train,
            "n_test": X_raw.shape[1] - n_train, "n_data": X_raw.shape[1],
            "parameters": {"formula": predicted, "counted": actual}, "curve": curve,
            "train": {"tutorial_loss": tutorial_loss(y_train, train_hat),
                      "mse": float(np.mean((train_hat - y_train) ** 2))},
            "test": {"tutorial_loss": tutorial_loss(y_test, test_hat),
                     "mse": float(np.mean((test_hat - y_test) ** 2))},
            "r2_test": _r2(y_raw[:, n_train:], test_raw),
            "picked": picked.T, "picked_prediction": picked_hat.T,
            "picked_truth": np.c_[picked[0] + picked[1], picked[0] - picked[1],
                                  np.abs(picked[0] - picked[1])]}


def report(result, fast=None):
    """The nine steps' numbers, and the faster version's beside them when given."""
    p = result["parameters"]
    lines = [f"step 5: layers_dim {LAYERS_DIM}; parameters by the formula sum (N[l-1] + 1) "
             f"N[l]: {p['formula']}, counted: {p['counted']}; data points {result['n_data']:,} "
             f"({result['n_train']:,} for training): no danger of memorising",
             f"step 8: {result['epochs']:,} epochs of plain gradient descent, lr "
             f"{result['learning_rate']} (the tutorial runs 1,000,000)"]
    for epoch, tl, mse in result["curve"][:: max(1, len(result["curve"]) // 5)]:
        lines.append(f"  epoch {epoch:>7,}: the tutorial's printed loss {tl:.4f}, MSE {mse:.4f}")
    tr, te = result["train"], result["test"]
    lines.append(f"step 9: train MSE {tr['mse']:.4f}, test MSE {te['mse']:.4f} (the tutorial's "
                 f"loss {tr['tutorial_loss']:.4f} / {te['tutorial_loss']:.4f}); test R^2 per "
                 f"output (a+b, a-b, |a-b|) {np.round(result['r2_test'], 4).tolist()}")
    for (a, b), pred, truth in zip(result["picked"], result["picked_prediction"],
                                   result["picked_truth"]):
        lines.append(f"  a = {a:g}, b = {b:g}: predicted {np.round(pred, 2).tolist()}, "
                     f"true {truth.tolist()}")
    lines.append("  (888, 122) lies far outside the training range [0, 100): a network "
                 "extrapolates there by its last linear pieces, not by arithmetic")
    if result["r2_test"][1] < 0.5:
        lines.append(f"  a - b is not learned (R^2 {result['r2_test'][1]:.3f}): the tutorial's "
                     "loss settles at 0.3450 for good; four ReLU units per layer and plain "
                     "gradient descent stay on this plateau")
    if fast is not None:
        lines.append(f"today's version (glassnet example nine-step): 2-64-64-3 ReLU, Adam, "
                     f"batches of 64: train MSE {fast['loss']['train']:.2e}, test MSE "
                     f"{fast['loss']['test']:.2e}, test R^2 "
                     f"{np.round(fast['r2']['test'], 4).tolist()}")
    return "\n".join(lines)


def plot(result, fast=None):
    """The training loss curve (step 8), and test R^2 per output beside today's version."""
    fig, (ax0, ax1) = new_figure(1, 2, figsize=(12, 4.5))
    epochs, tl, mse = zip(*result["curve"])
    ax0.plot(epochs, mse, label="MSE (standardized targets)")
    ax0.plot(epochs, tl, ls="--", label="the tutorial's printed loss")
    ax0.set_xlabel("epoch")
    ax0.set_ylabel("training loss")
    ax0.set_title(f"Step 8: plain gradient descent, {LAYERS_DIM}, lr "
                  f"{result['learning_rate']}", fontsize=10)
    ax0.legend(fontsize=8)
    names = ["a + b", "a - b", "|a - b|"]
    x = np.arange(3)
    ax1.bar(x - 0.2, result["r2_test"], width=0.4, label="the tutorial's layout")
    if fast is not None:
        ax1.bar(x + 0.2, fast["r2"]["test"], width=0.4, label="today's version (2-64-64-3)")
    ax1.set_xticks(x, names)
    ax1.set_ylim(min(0.0, float(np.min(result["r2_test"]))), 1.05)
    ax1.set_ylabel("test R^2")
    ax1.set_title("Step 9: test R^2 per output", fontsize=10)
    ax1.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson nine-steps``: the tutorial's nine steps beside today's version
    (``quick``: 2,000 epochs of the tutorial's loop and the project's quick run)."""
    from ..projects.nine_step import run as fast_version

    say = speaker(verbose)
    result = nine_steps(epochs=2_000 if quick else 20_000)
    result["fast"] = fast_version(quick=quick, verbose=False)
    say(report(result, result["fast"]))
    result["figure"] = save_figure(plot(result, result["fast"]), out, "nine-steps.png")
    say(f"figure: {result['figure']}")
    return result
