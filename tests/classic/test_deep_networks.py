import numpy as np
import pytest

from glassnet.classic import deep_networks as D


def test_shape_quiz_answers():
    assert D.parameter_shapes([2, 4, 1]) == {"W1": (4, 2), "b1": (4, 1), "W2": (1, 4),
                                             "b2": (1, 1)}
    shapes = D.parameter_shapes([4, 4, 3, 1])
    assert (shapes["W1"], shapes["W2"], shapes["W3"]) == ((4, 4), (3, 4), (1, 3))
    assert D.count_layers([4, 4, 3, 1]) == 3  # hidden layers + 1: the input is not counted
    assert D.count_layers([2, 4, 1]) == 2
    params = D.initialize_parameters_deep([4, 4, 3, 1])
    assert {k: v.shape for k, v in params.items()} == shapes
    assert np.all(params["b2"] == 0) and np.abs(params["W1"]).max() < 0.05


def _data(m=40, seed=3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((3, m))
    return X, (X[0:1] * X[1:2] > 0).astype(np.float64)


def test_one_step_equals_the_engines_train_step_to_1e12():
    X, Y = _data()
    dims = [3, 5, 4, 1]
    params = D.initialize_parameters_deep(dims, seed=1, scale="he")
    model = D.engine_model(params)
    AL, caches = D.L_model_forward(X, params)
    np.testing.assert_allclose(model.forward(X.T), AL.T, rtol=0, atol=1e-12)
    grads = D.L_model_backward(AL, Y, caches)
    from glassnet.nn import SGD, BinaryCrossEntropy

    cost = model.train_step(X.T, Y.T, BinaryCrossEntropy(), SGD(lr=0.1))
    assert cost == pytest.approx(D.compute_cost(AL, Y), abs=1e-12)
    for l in range(1, 4):
        dense = model.layers[2 * (l - 1)]
        # the transpose mapping: the engine's grads are the course's, transposed
        np.testing.assert_allclose(dense.grads["W"], grads[f"dW{l}"].T, rtol=0, atol=1e-12)
        np.testing.assert_allclose(dense.grads["b"], grads[f"db{l}"].ravel(), rtol=0,
                                   atol=1e-12)
    new = D.update_parameters(params, grads, 0.1)
    for l in range(1, 4):
        dense = model.layers[2 * (l - 1)]
        np.testing.assert_allclose(dense.params["W"], new[f"W{l}"].T, rtol=0, atol=1e-12)


def test_training_both_ways_gives_the_same_weights_to_1e12():
    X, Y = _data()
    dims = [3, 6, 1]
    params, costs = D.L_layer_model(X, Y, dims, 0.5, 200, seed=2, scale="he", record_every=50)
    model, engine_costs = D.engine_train(X, Y, dims, 0.5, 200, seed=2, scale="he",
                                         record_every=50)
    for l in (1, 2):
        np.testing.assert_allclose(model.layers[2 * (l - 1)].params["W"], params[f"W{l}"].T,
                                   rtol=0, atol=1e-12)
        np.testing.assert_allclose(model.layers[2 * (l - 1)].params["b"],
                                   params[f"b{l}"].ravel(), rtol=0, atol=1e-12)
    np.testing.assert_allclose([c for _, c in costs], [c for _, c in engine_costs], atol=1e-12)
    assert costs[-1][1] < costs[0][1]


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    return D.lesson(quick=True, verbose=False, out=tmp_path_factory.mktemp("deep"))


def test_lesson_numbers(lesson_run, check_png):
    assert lesson_run["max_difference"] < 1e-12
    assert lesson_run["costs"][0][1] == pytest.approx(np.log(2), abs=1e-4)  # W * 0.01: p = 1/2
    assert lesson_run["he_accuracy"] > lesson_run["accuracy"] + 0.05
    assert lesson_run["he_accuracy"] >= 0.97
    check_png(lesson_run["figure"])


def test_bad_layer_dims_and_scale():
    with pytest.raises(ValueError, match="layer_dims"):
        D.initialize_parameters_deep([3])
    with pytest.raises(ValueError, match="scale"):
        D.initialize_parameters_deep([3, 1], scale="xavier")
