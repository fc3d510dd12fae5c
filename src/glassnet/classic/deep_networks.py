"""Deep networks in the deep-learning course's own notation (samples as columns), = the engine.

The course (Andrew Ng's notes) stacks the m examples as *columns*: X has shape (n_x, m), and
layer l (of L; the input layer is layer 0 and is not counted) holds

    W[l] (n[l], n[l-1]),   b[l] (n[l], 1),   Z[l] = W[l] A[l-1] + b[l],   A[l] = g[l](Z[l])

with A[0] = X, ReLU for g[1..L-1] and a sigmoid for g[L]; ``a^[l](i)`` is the activation of
layer l for example i (column i of A[l]). ``layer_dims = [n_x, n[1], ..., n[L]]``. The cost is the
cross-entropy J = -1/m sum (Y log A[L] + (1 - Y) log(1 - A[L])), and backward, from
dA[L] = -(Y / A[L] - (1 - Y) / (1 - A[L])):

    dZ[l] = dA[l] * g[l]'(Z[l])
    dW[l] = 1/m dZ[l] A[l-1].T,   db[l] = 1/m sum(dZ[l], axis=1, keepdims=True)
    dA[l-1] = W[l].T dZ[l]

and gradient descent updates W[l] -= alpha dW[l], b[l] -= alpha db[l].

glassnet stacks examples as *rows*; the two are the same network through transposes:

=============================================  ==============================================
course (examples as columns)                   glassnet (examples as rows)
=============================================  ==============================================
X (n_x, m), Y (1, m)                           X.T (m, n_x), Y.T (m, 1)
W[l] (n[l], n[l-1])                            Dense(n[l-1], n[l]).W = W[l].T
b[l] (n[l], 1)                                 Dense.b = b[l].ravel(), shape (n[l],)
Z[l] = W[l] A[l-1] + b[l]                      Z[l].T = A[l-1].T @ W[l].T + b[l].T
dW[l] = 1/m dZ[l] A[l-1].T                     Dense.grads["W"] = dW[l].T
db[l]                                          Dense.grads["b"] = db[l].ravel()
one update of every W[l], b[l]                 one ``train_step(X.T, Y.T, BCE, SGD(alpha))``
=============================================  ==============================================

The notes' initialization loop has two typos: it loops over ``range(1, len(layers))`` (the
list is ``layer_dims``) and closes ``np.random.randn(layer_dims[l], layer_dims[l-1]))`` with a
parenthesis too many. The corrected loop is ``initialize_parameters_deep``.
"""

from __future__ import annotations

import numpy as np

from ..nn import SGD, BinaryCrossEntropy, Dense, ReLU, Sequential, Sigmoid
from ._figures import DEFAULT_OUT, new_figure, save_figure, speaker

__all__ = [
    "L_layer_model", "L_model_backward", "L_model_forward", "SHAPE_QUIZ", "compute_cost",
    "count_layers", "engine_model", "engine_train", "initialize_parameters_deep", "lesson",
    "linear_activation_backward", "linear_activation_forward", "linear_backward",
    "linear_forward", "parameter_shapes", "plot", "report", "update_parameters",
]

#: The shape quiz: layer_dims -> the shapes of every W[l] and b[l].
SHAPE_QUIZ = ([2, 4, 1], [4, 4, 3, 1])


def initialize_parameters_deep(layer_dims, seed=3, scale=0.01):
    """W[l] = randn(n[l], n[l-1]) * 0.01 and b[l] = zeros((n[l], 1)) for l = 1..L.

    Drawn after ``np.random.seed(seed)`` as the notes do, from a private ``RandomState`` (the
    course's legacy stream; NumPy's global state is not touched). The corrected loop::

        for l in range(1, len(layer_dims)):
            parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
            parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))

    ``scale="he"`` multiplies by sqrt(2 / n[l-1]) instead of 0.01 (He initialization, which
    the course adopts for deep ReLU networks).
    """
    dims = list(layer_dims)
    if len(dims) < 2 or any(int(n) != n or n < 1 for n in dims):
        raise ValueError(f"layer_dims must list at least 2 positive sizes, got {dims}")
    if not (scale == "he" or (isinstance(scale, (int, float)) and scale > 0)):
        raise ValueError(f"scale must be a positive number or 'he', got {scale!r}")
    rs = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(dims)):
        s = np.sqrt(2 / dims[l - 1]) if scale == "he" else scale
        parameters["W" + str(l)] = rs.randn(dims[l], dims[l - 1]) * s
        parameters["b" + str(l)] = np.zeros((dims[l], 1))
    return parameters


def parameter_shapes(layer_dims):
    """{"W1": (n1, n_x), "b1": (n1, 1), ...}: the shape quiz's answers.

    >>> parameter_shapes([2, 4, 1])
    {'W1': (4, 2), 'b1': (4, 1), 'W2': (1, 4), 'b2': (1, 1)}
    """
    shapes = {}
    for l in range(1, len(layer_dims)):
        shapes[f"W{l}"] = (layer_dims[l], layer_dims[l - 1])
        shapes[f"b{l}"] = (layer_dims[l], 1)
    return shapes


def count_layers(layer_dims):
    """L: the number of layers, hidden layers + 1 (the input layer is not counted).

    >>> count_layers([4, 4, 3, 1])
    3
    """
    return len(layer_dims) - 1


def linear_forward(A_prev, W, b):
    """Z = W A_prev + b: (n[l], m) from A_prev (n[l-1], m); cache (A_prev, W, b)."""
    return W @ A_prev + b, (A_prev, W, b)


def _sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def linear_activation_forward(A_prev, W, b, activation):
    """A = g(W A_prev + b) for g "relu" or "sigmoid"; cache (linear cache, Z)."""
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A = _sigmoid(Z)
    elif activation == "relu":
        A = np.maximum(0, Z)
    else:
        raise ValueError(f"activation must be 'relu' or 'sigmoid', got {activation!r}")
    return A, (linear_cache, Z)


def L_model_forward(X, parameters):
    """[LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID; returns A[L] (1, m) and the caches."""
    caches, A = [], X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters[f"W{L}"], parameters[f"b{L}"], "sigmoid")
    caches.append(cache)
    return AL, caches


def compute_cost(AL, Y):
    """J = -1/m sum(Y log AL + (1 - Y) log(1 - AL)) for AL, Y (1, m)."""
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)


def linear_backward(dZ, cache):
    """dA_prev = W.T dZ, dW = 1/m dZ A_prev.T, db = 1/m sum(dZ, axis=1, keepdims=True)."""
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m


def linear_activation_backward(dA, cache, activation):
    """dZ = dA * g'(Z), then ``linear_backward``; returns dA_prev, dW, db."""
    linear_cache, Z = cache
    if activation == "relu":
        dZ = dA * (Z > 0)
    elif activation == "sigmoid":
        s = _sigmoid(Z)
        dZ = dA * s * (1 - s)
    else:
        raise ValueError(f"activation must be 'relu' or 'sigmoid', got {activation!r}")
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL, Y, caches):
    """Every gradient, from dA[L] = -(Y / AL - (1 - Y) / (1 - AL)) back to layer 1: dW{l},
    db{l} for l = 1..L and dA{l}, the gradient at A[l], for l = L-1..0."""
    grads, L = {}, len(caches)
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA, grads[f"dW{L}"], grads[f"db{L}"] = linear_activation_backward(dA, caches[-1], "sigmoid")
    for l in range(L - 1, 0, -1):
        grads[f"dA{l}"] = dA
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1],
                                                                          "relu")
    grads["dA0"] = dA
    return grads


def update_parameters(parameters, grads, learning_rate):
    """W[l] -= alpha dW[l], b[l] -= alpha db[l]; returns the new dict (inputs unchanged)."""
    return {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}


def L_layer_model(X, Y, layer_dims, learning_rate=0.0075, num_iterations=3000, seed=3,
                  scale=0.01, record_every=100):
    """Train by full-batch gradient descent in the course's notation; returns (parameters,
    costs) with the cost before every ``record_every``-th update."""
    parameters, costs = initialize_parameters_deep(layer_dims, seed, scale), []
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        if i % record_every == 0:
            costs.append((i, compute_cost(AL, Y)))
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs


def engine_model(parameters):
    """The same network on glassnet's engine (float64): W[l].T and b[l].ravel() per Dense."""
    L = len(parameters) // 2
    layers, weights = [], []
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        layers += [Dense(W.shape[1], W.shape[0]), Sigmoid() if l == L else ReLU()]
        weights += [{"W": W.T, "b": b.ravel()}, {}]
    model = Sequential(layers, dtype="float64")
    model.set_weights(weights)
    return model


def engine_train(X, Y, layer_dims, learning_rate=0.0075, num_iterations=3000, seed=3,
                 scale=0.01, record_every=100):
    """``L_layer_model`` on the engine: one ``train_step(X.T, Y.T, BinaryCrossEntropy(),
    SGD(alpha))`` per iteration. Returns (model, costs)."""
    model = engine_model(initialize_parameters_deep(layer_dims, seed, scale))
    Xr, Yr = X.T, Y.T
    loss, optimizer, costs = BinaryCrossEntropy(), SGD(lr=learning_rate), []
    for i in range(num_iterations):
        cost = model.train_step(Xr, Yr, loss, optimizer)
        if i % record_every == 0:
            costs.append((i, float(cost)))
    return model, costs


def _moons(m, seed):
    from ..datasets import make_moons

    X, y = make_moons(m, noise=0.15, seed=seed)
    return X.T, y.reshape(1, -1).astype(np.float64)  # the course's (n_x, m) and (1, m)


def compare(layer_dims=(2, 8, 4, 1), m=200, learning_rate=0.5, num_iterations=3000, seed=3):
    """Train the same network both ways on two moons (the notes' 0.01 initialization), and once
    more from He initialization. Returns costs, weights, the largest difference between the
    two implementations' weights, and each run's training accuracy."""
    X, Y = _moons(m, seed)
    dims = list(layer_dims)
    parameters, costs = L_layer_model(X, Y, dims, learning_rate, num_iterations, seed)
    model, engine_costs = engine_train(X, Y, dims, learning_rate, num_iterations, seed)
    diff = 0.0
    for l in range(1, len(dims)):
        dense = model.layers[2 * (l - 1)]
        diff = max(diff, float(np.max(np.abs(dense.params["W"] - parameters[f"W{l}"].T))),
                   float(np.max(np.abs(dense.params["b"] - parameters[f"b{l}"].ravel()))))
    he, he_costs = L_layer_model(X, Y, dims, learning_rate, num_iterations, seed, scale="he")
    return {"layer_dims": dims, "X": X, "Y": Y, "parameters": parameters, "costs": costs,
            "engine_costs": engine_costs, "model": model, "max_difference": diff,
            "accuracy": _accuracy(X, Y, parameters), "he_parameters": he,
            "he_costs": he_costs, "he_accuracy": _accuracy(X, Y, he),
            "shapes": {str(d): parameter_shapes(d) for d in SHAPE_QUIZ}}


def _accuracy(X, Y, parameters):
    AL, _ = L_model_forward(X, parameters)
    return float(np.mean((AL > 0.5) == Y))


def report(result):
    """The shape quiz, the layer count, and the two implementations' costs side by side."""
    lines = ["shape quiz:"]
    for dims in SHAPE_QUIZ:
        shapes = ", ".join(f"{k} {v}" for k, v in parameter_shapes(dims).items())
        lines.append(f"  layer_dims = {dims}: L = {count_layers(dims)} layers; {shapes}")
    lines.append("a^[l](i) is the activation of layer l for example i: column i of A[l]")
    lines.append(f"training {result['layer_dims']} on {result['X'].shape[1]} two-moons "
                 f"examples (X {result['X'].shape}, Y {result['Y'].shape}):")
    lines.append(f"  {'iteration':>9}  {'course notation':>16}  {'engine':>16}")
    step = max(1, len(result["costs"]) // 6)
    for (i, c), (_, e) in list(zip(result["costs"], result["engine_costs"]))[::step]:
        lines.append(f"  {i:>9}  {c:>16.12f}  {e:>16.12f}")
    lines.append(f"largest difference between the two sets of weights: "
                 f"{result['max_difference']:.1e}; training accuracy {result['accuracy']:.3f}")
    lines.append(f"from W * 0.01 the ReLU layers start almost silent and the network settles "
                 f"near a straight boundary (cost {result['costs'][-1][1]:.4f}); from He "
                 f"initialization, W * sqrt(2 / n[l-1]), the same network reaches cost "
                 f"{result['he_costs'][-1][1]:.4f} and training accuracy "
                 f"{result['he_accuracy']:.3f}")
    return "\n".join(lines)


def _boundary(ax, X, Y, parameters, title):
    xx, yy = np.meshgrid(np.linspace(X[0].min() - 0.5, X[0].max() + 0.5, 150),
                         np.linspace(X[1].min() - 0.5, X[1].max() + 0.5, 150))
    AL, _ = L_model_forward(np.vstack([xx.ravel(), yy.ravel()]), parameters)
    ax.contourf(xx, yy, AL.reshape(xx.shape), levels=np.linspace(0, 1, 11), cmap="RdBu",
                alpha=0.4)
    ax.scatter(X[0], X[1], c=np.where(Y[0] == 1, "tab:blue", "tab:red"), s=12, edgecolor="k",
               lw=0.3)
    ax.set_title(title, fontsize=10)


def plot(result):
    """Cost against iteration for both implementations, and the boundaries learned from the
    two initializations."""
    fig, (ax0, ax1, ax2) = new_figure(1, 3, figsize=(15, 4.3))
    for key, label, style in (("costs", "course notation (columns), W * 0.01",
                               {"lw": 4, "alpha": 0.5}),
                              ("engine_costs", "engine (rows), W * 0.01", {"ls": "--"}),
                              ("he_costs", "course notation, He initialization", {})):
        it, c = zip(*result[key])
        ax0.plot(it, c, label=label, **style)
    ax0.set_xlabel("iteration")
    ax0.set_ylabel("cost J")
    ax0.set_title(f"layer_dims {result['layer_dims']}", fontsize=10)
    ax0.legend(fontsize=8)
    _boundary(ax1, result["X"], result["Y"], result["parameters"],
              f"W * 0.01: training accuracy {result['accuracy']:.3f}")
    _boundary(ax2, result["X"], result["Y"], result["he_parameters"],
              f"He initialization: training accuracy {result['he_accuracy']:.3f}")
    fig.tight_layout()
    return fig


def lesson(quick=False, verbose=True, out=DEFAULT_OUT):
    """``glassnet lesson deep-networks``: the course's L-layer network, tested against the
    engine; ``quick`` trains 600 iterations instead of 3,000."""
    say = speaker(verbose)
    result = compare(num_iterations=600 if quick else 3000)
    say(report(result))
    result["figure"] = save_figure(plot(result), out, "deep-networks.png")
    say(f"figure: {result['figure']}")
    return result
