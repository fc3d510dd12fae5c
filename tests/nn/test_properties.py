"""Properties of the engine on random small networks (Hypothesis): backpropagation agrees with
central differences, and ``fit`` trains exactly as the textbook loop of ``train_step`` does."""

import itertools

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import glassnet.nn as gn

ACTIVATIONS = {"tanh": gn.Tanh, "sigmoid": gn.Sigmoid, "relu": gn.ReLU,
               "leaky_relu": lambda: gn.LeakyReLU(0.1), "identity": gn.Identity}
HEADS = {  # output layer, loss, targets for n rows and k outputs
    "mse": (None, gn.MSELoss, lambda rng, n, k: rng.standard_normal((n, k))),
    "bce": (gn.Sigmoid, gn.BinaryCrossEntropy,
            lambda rng, n, k: rng.integers(0, 2, (n, 1)).astype(float)),
    "softmax": (gn.Softmax, gn.CrossEntropy, lambda rng, n, k: rng.integers(0, k, n)),
}


@st.composite
def networks(draw):
    """(model, loss, X, y): 1-3 hidden Dense layers of 1-6 units with random activations and
    dropout, a random head, 3-12 rows, float64."""
    widths = draw(st.lists(st.integers(1, 6), min_size=1, max_size=3))
    n_in = draw(st.integers(1, 5))
    head = draw(st.sampled_from(sorted(HEADS)))
    n_out = 1 if head == "bce" else draw(st.integers(2 if head == "softmax" else 1, 4))
    layers, sizes = [], [n_in, *widths]
    for a, b in itertools.pairwise(sizes):
        layers.append(gn.Dense(a, b, bias=draw(st.booleans())))
        layers.append(ACTIVATIONS[draw(st.sampled_from(sorted(ACTIVATIONS)))]())
        if draw(st.booleans()):
            layers.append(gn.Dropout(draw(st.floats(0.05, 0.5))))
    layers.append(gn.Dense(sizes[-1], n_out))
    out_layer, loss, targets = HEADS[head]
    if out_layer is not None:
        layers.append(out_layer())
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n = draw(st.integers(3, 12))
    model = gn.Sequential(layers, seed=seed, dtype="float64")
    for layer in model.layers:  # non-zero biases: a dropped input must not sit on ReLU's kink
        if "b" in layer.params:
            layer.params["b"][...] = rng.uniform(0.1, 0.5, layer.params["b"].shape) * \
                rng.choice([-1, 1], layer.params["b"].shape)
    return model, loss, rng.standard_normal((n, n_in)), targets(rng, n, n_out)


@settings(max_examples=40, deadline=None)
@given(networks())
def test_random_networks_pass_gradcheck(net):
    model, loss, X, y = net
    errors = gn.gradcheck(model, loss(), X, y)
    worst = max(errors, key=errors.get)
    # ReLU's kink at 0 is met with probability zero by random float64 inputs
    assert errors[worst] < 1e-5, f"{worst}: {errors[worst]:.3g}"


def _clipped(loss):
    """Whether the textbook step's probability clip took effect in ``loss``'s last forward.

    A cross-entropy on probabilities clips them to [eps, 1 - eps] before the log, so once the
    network is that sure (a loss term of -log(eps) = 36 and more) the chained gradient -t / p
    through the output layer is cut short; ``fit``'s fused gradient (p - t) / n stays exact.
    There the two legitimately part, by design (``glassnet.nn.losses``)."""
    p, clipped = getattr(loss, "_p", None), getattr(loss, "_p_clipped", None)
    return p is not None and clipped is not None and not np.array_equal(p, clipped)


OPTIMIZERS = [lambda: gn.SGD(0.05, momentum=0.9), lambda: gn.Adam(0.01), lambda: gn.RMSprop(0.01),
              lambda: gn.Adagrad(0.05), lambda: gn.AdamW(0.01)]


@settings(max_examples=30, deadline=None)
@given(networks(), st.integers(0, len(OPTIMIZERS) - 1), st.integers(1, 7), st.booleans())
def test_fit_equals_the_textbook_loop_of_train_step(net, which, batch_size, penalized):
    model, loss, X, y = net
    twin = model.copy()  # same weights, same generator: the same shuffles and dropout masks
    reg = gn.L1L2(1e-3, 1e-2) if penalized else None
    model.fit(X, y, loss=loss(), optimizer=OPTIMIZERS[which](), epochs=2,
              batch_size=batch_size, verbose=0, metrics=[], regularizer=reg)
    step_loss, optimizer = loss(), OPTIMIZERS[which]()
    clipped = False
    for _ in range(2):
        order = twin.rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            twin.train_step(X[idx], y[idx], step_loss, optimizer, regularizer=reg)
            clipped |= _clipped(step_loss)
    assume(not clipped)
    for a, b in zip(model.get_weights(), twin.get_weights()):
        for key in a:  # the fused heads and BLAS sums reorder additions: 1e-12, not bitwise
            np.testing.assert_allclose(a[key], b[key], rtol=1e-10, atol=1e-12)
