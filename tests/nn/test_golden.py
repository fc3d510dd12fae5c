"""Golden numbers from the classic lessons, reproduced by running the engine (to 1e-7)."""

import numpy as np

from glassnet.nn import SGD, Dense, Identity, Sequential, Sigmoid, SSELoss, functional


def _set(layer, W):
    layer.params["W"][...] = np.asarray(W, dtype=np.float64)


def _one_step(model, x, y, lr):
    model.fit(np.atleast_2d(x), np.atleast_2d(y), loss=SSELoss(), optimizer=SGD(lr=lr),
              epochs=1, shuffle=False, verbose=0)


def test_single_neuron():
    layer = Dense(2, 1, rng=0)
    _set(layer, [[0.1], [0.8]])
    layer.params["b"][...] = -0.1
    model = Sequential([layer, Sigmoid()], dtype="float64")
    _set(model.layers[0], [[0.1], [0.8]])
    model.layers[0].params["b"][...] = -0.1
    out = model.predict(np.array([[0.7, -0.3]]))
    assert abs(out[0, 0] - 0.43290709503) < 1e-10


def test_gradient_descent_step():
    model = Sequential([Dense(4, 1, bias=False), Sigmoid()], dtype="float64")
    w0 = np.array([0.5, -0.5, 0.3, 0.1])
    _set(model.layers[0], w0[:, None])
    x = np.array([1.0, 2.0, 3.0, 4.0])
    out = model.predict(x[None])[0, 0]
    assert abs(out - 0.6899744811) < 1e-7
    assert abs((0.5 - out) - (-0.1899744811)) < 1e-7
    _one_step(model, x, 0.5, lr=0.5)
    delta_w = model.layers[0].params["W"][:, 0] - w0
    np.testing.assert_allclose(delta_w, [-0.02031869, -0.04063738, -0.06095608, -0.08127477],
                               atol=1e-7)


def test_backprop_step():
    model = Sequential([Dense(3, 2, bias=False), Sigmoid(), Dense(2, 1, bias=False), Sigmoid()],
                       dtype="float64")
    W_ih = np.array([[0.5, -0.6], [0.1, -0.2], [0.1, 0.7]])
    W_ho = np.array([[0.1], [-0.3]])
    _set(model.layers[0], W_ih)
    _set(model.layers[2], W_ho)
    x = np.array([[0.5, 0.1, -0.2]])
    hidden = model.layers[1].forward(model.layers[0].forward(x))
    np.testing.assert_allclose(hidden[0], [0.55971365, 0.38698582], atol=1e-7)
    assert abs(model.predict(x)[0, 0] - 0.48497343) < 1e-7
    _one_step(model, x, 0.6, lr=0.5)
    np.testing.assert_allclose(model.layers[2].params["W"][:, 0] - W_ho[:, 0],
                               [0.00804047, 0.00555918], atol=1e-7)
    np.testing.assert_allclose(
        model.layers[0].params["W"] - W_ih,
        [[1.77005547e-04, -5.11178506e-04], [3.54011093e-05, -1.02235701e-04],
         [-7.08022187e-05, 2.04471402e-04]], atol=1e-7)


def test_bike_sharing_unit_test():
    # The bike-sharing project's unit test: 3-2-1, sigmoid hidden, linear output, lr 0.5.
    model = Sequential([Dense(3, 2, bias=False), Sigmoid(), Dense(2, 1, bias=False), Identity()],
                       dtype="float64")
    _set(model.layers[0], [[0.1, -0.2], [0.4, 0.5], [-0.3, 0.2]])
    _set(model.layers[2], [[0.3], [-0.1]])
    x = np.array([[0.5, -0.2, 0.1]])
    assert abs(model.predict(x)[0, 0] - 0.09998924) < 1e-7
    _one_step(model, x, 0.4, lr=0.5)
    np.testing.assert_allclose(model.layers[2].params["W"], [[0.37275328], [-0.03172939]],
                               atol=1e-7)
    np.testing.assert_allclose(
        model.layers[0].params["W"],
        [[0.10562014, -0.20185996], [0.39775194, 0.50074398], [-0.29887597, 0.19962801]],
        atol=1e-7)


def test_softmax_lesson():
    np.testing.assert_allclose(functional.softmax([1.0, 2.0, 3.0]),
                               [0.09003057, 0.24472847, 0.66524096], atol=1e-8)
