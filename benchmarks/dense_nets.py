"""The dense-network benchmark: one epoch of plain mini-batch SGD in each library.

Every contender trains the same architecture on the same float32 data with the same batch size
and learning rate, shuffling once per epoch:

* glassnet: one ``Sequential.fit`` over all rounds, each epoch timed by a callback, which also
  runs the other contenders' epochs in between (interleaved, in one process);
* PyTorch: the usual loop (randperm, index, zero_grad, forward, loss, backward, step, item);
* scikit-learn: ``MLPClassifier``/``MLPRegressor.partial_fit`` (one epoch), solver "sgd" with
  momentum 0, no L2 penalty (alpha=0), constant learning rate, no early stopping;
* GEMM only: just the network's matrix products (forward, weight gradients, input gradients)
  on contiguous slices, into preallocated arrays: the ceiling for any NumPy/BLAS engine.
"""

from __future__ import annotations

import itertools
import time
import warnings
from dataclasses import dataclass

import numpy as np

import glassnet.nn as gn

LR = 0.01


@dataclass(frozen=True)
class NetSpec:
    name: str
    sizes: tuple[int, ...]
    n_rows: int
    activation: str  # hidden activation: "sigmoid" or "relu"
    task: str  # "regression" (MSE, linear output) or "classification" (softmax + CE)


SPECS = [
    NetSpec("small", (56, 10, 1), 16_000, "sigmoid", "regression"),
    NetSpec("medium", (784, 256, 128, 10), 20_000, "relu", "classification"),
    NetSpec("large", (1024, 1024, 1024, 10), 8_000, "relu", "classification"),
]


def make_data(spec, seed=0):
    """float32 inputs and targets a network can learn (a random teacher's outputs)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((spec.n_rows, spec.sizes[0]), dtype=np.float32)
    teacher = rng.standard_normal((spec.sizes[0], spec.sizes[-1]), dtype=np.float32)
    scores = X @ teacher / np.float32(np.sqrt(spec.sizes[0]))
    if spec.task == "classification":
        return X, np.argmax(scores, axis=1)
    return X, np.tanh(scores[:, 0]).astype(np.float32)


class _EpochClock(gn.Callback):
    """Seconds of each epoch of one fit; runs ``between`` (the other contenders) after each."""

    def __init__(self, between):
        self.between, self.seconds = between, []

    def on_epoch_begin(self, epoch, logs=None):
        self._t0 = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._t0)
        self.between()


def glassnet_train(spec, X, y, batch_size):
    """train(n, between): one ``fit`` of n epochs; returns each epoch's seconds."""
    out = "softmax" if spec.task == "classification" else None
    model = gn.mlp(list(spec.sizes), activation=spec.activation, output_activation=out, seed=0)

    def train(epochs, between):
        clock = _EpochClock(between)
        # threads=None: every contender runs on the thread count the benchmark sets (fit's own
        # rule would put the small network on one BLAS thread; docs/design.md, BLAS threads).
        model.fit(X, y, optimizer=gn.SGD(lr=LR), epochs=epochs, batch_size=batch_size,
                  callbacks=[clock], verbose=0, threads=None)
        return clock.seconds

    return train


def torch_epoch(spec, X, y, batch_size):
    import torch

    layers = []
    for i, (n_in, n_out) in enumerate(itertools.pairwise(spec.sizes)):
        layers.append(torch.nn.Linear(n_in, n_out))
        if i < len(spec.sizes) - 2:
            layers.append(torch.nn.Sigmoid() if spec.activation == "sigmoid" else torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    Xt = torch.from_numpy(X)
    if spec.task == "classification":
        yt, loss_fn = torch.from_numpy(y), torch.nn.CrossEntropyLoss()
    else:
        yt, loss_fn = torch.from_numpy(y).reshape(-1, 1), torch.nn.MSELoss()
    n = X.shape[0]
    gen = torch.Generator().manual_seed(0)

    def epoch():
        perm = torch.randperm(n, generator=gen)
        total = 0.0
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]
            opt.zero_grad()
            loss = loss_fn(model(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            total += loss.item()
        return total

    return epoch


def sklearn_epoch(spec, X, y, batch_size):
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    kwargs = dict(hidden_layer_sizes=spec.sizes[1:-1], solver="sgd", momentum=0.0,
                  nesterovs_momentum=False, learning_rate="constant", learning_rate_init=LR,
                  alpha=0.0, batch_size=batch_size, shuffle=True, early_stopping=False,
                  activation="logistic" if spec.activation == "sigmoid" else "relu",
                  random_state=0)
    if spec.task == "classification":
        model, extra = MLPClassifier(**kwargs), {"classes": np.arange(spec.sizes[-1])}
    else:
        model, extra = MLPRegressor(**kwargs), {}

    def epoch():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # partial_fit's "not converged" chatter
            model.partial_fit(X, y, **extra)

    return epoch


def gemm_epoch(spec, X, y, batch_size):
    """Only the matrix products of forward and backward, on contiguous slices (no gather)."""
    rng = np.random.default_rng(0)
    sizes = spec.sizes
    Ws = [rng.standard_normal((a, b), dtype=np.float32) / np.float32(np.sqrt(a))
          for a, b in itertools.pairwise(sizes)]
    bs = min(batch_size, X.shape[0])
    outs = [np.empty((bs, b), np.float32) for b in sizes[1:]]
    dxs = [np.empty((bs, a), np.float32) for a in sizes[:-1]]
    gWs = [np.empty_like(W) for W in Ws]
    n = X.shape[0]

    def epoch():
        for start in range(0, n, batch_size):
            h = [X[start:start + batch_size]]
            m = h[0].shape[0]
            for W, out in zip(Ws, outs):
                h.append(np.matmul(h[-1], W, out=out[:m]))
            g = h[-1]
            for i in reversed(range(len(Ws))):
                np.matmul(h[i].T, g, out=gWs[i])
                if i:
                    g = np.matmul(g, Ws[i].T, out=dxs[i][:m])

    return epoch


CONTENDERS = {"pytorch": torch_epoch, "sklearn": sklearn_epoch, "gemm_only": gemm_epoch}
