
import numpy as np

from glassnet.datasets import make_moons
from glassnet.nn import (
    SGD,
    Adam,
    Dense,
    Sequential,
    mlp,
)


def test_l2_shrinks_weights():
    X, y = make_moons(200, seed=0)
    norms = []
    for l2 in (0.0, 0.1):
        m = mlp([2, 32, 1], "tanh", "sigmoid", seed=0)
        m.fit(X, y, optimizer=Adam(0.01), epochs=100, l2=l2, verbose=0)
        norms.append(sum(float(np.sum(layer.params["W"] ** 2)) for layer in m.param_layers))
    assert norms[1] < 0.5 * norms[0]


def test_l1_drives_useless_weights_towards_zero():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 10))
    y = X[:, 0] * 2.0
    m = Sequential([Dense(10, 1)], seed=0)
    m.fit(X, y, optimizer=SGD(0.05), epochs=300, l1=0.05, verbose=0)
    w = m.layers[0].params["W"][:, 0]
    assert abs(w[0]) > 1.5 and np.all(np.abs(w[1:]) < 0.02)
