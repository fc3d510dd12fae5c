"""PackedParameters: the model owns one flat array of its Dense parameters; layers hold views."""

import copy

import numpy as np

import glassnet.nn as gn


def _model(dtype="float32"):
    return gn.Sequential([gn.Dense(4, 5), gn.ReLU(), gn.Dense(5, 3), gn.Softmax()], seed=0,
                         dtype=dtype)


def test_every_dense_array_is_a_view_of_the_flat_arrays():
    model = _model()
    packed = model.packed_parameters()
    assert packed.values.size == model.n_params and packed.values.ndim == 1
    for layer in model.param_layers:
        for key in layer.params:
            assert np.shares_memory(layer.params[key], packed.values)
            assert np.shares_memory(layer.grads[key], packed.grads)
    model.layers[0].params["W"][...] = 7.0  # the contract: write into the array
    assert np.count_nonzero(packed.values == 7.0) == 4 * 5
    assert model.packed_parameters() is packed and packed.intact(model.layers)


def test_replacing_an_array_breaks_the_packing_and_the_model_packs_afresh():
    model = _model()
    packed = model.packed_parameters()
    model.layers[2].params["b"] = np.ones(3, np.float32)
    assert not packed.intact(model.layers)
    fresh = model.packed_parameters()
    assert fresh is not packed and fresh.intact(model.layers)
    np.testing.assert_array_equal(fresh.values[-3:], 1.0)  # the replacement's values are kept


def test_copy_and_deepcopy_keep_an_independent_intact_packing():
    model = _model()
    for twin in (model.copy(), copy.deepcopy(model)):
        assert twin.packed_parameters().intact(twin.layers)
        assert not np.shares_memory(twin.packed_parameters().values,
                                    model.packed_parameters().values)
        twin.layers[0].params["W"][...] = 0
        assert np.any(model.layers[0].params["W"] != 0)
        np.testing.assert_array_equal(twin.packed_parameters().values[:20], 0)


def test_loading_and_casting_keep_the_packing(tmp_path):
    model = _model()
    gn.save(model, tmp_path / "m.npz")
    loaded, _ = gn.load(tmp_path / "m.npz")
    assert loaded.packed_parameters().intact(loaded.layers)
    np.testing.assert_array_equal(loaded.packed_parameters().values,
                                  model.packed_parameters().values)
    model.astype("float64")
    assert model.packed_parameters().values.dtype == np.float64
    assert model.packed_parameters().intact(model.layers)


def test_layers_of_mixed_dtypes_are_not_packed_and_step_array_by_array():
    model = _model()
    model.layers[0].astype(np.float64)
    packed = gn.PackedParameters(model.layers)
    assert packed.values is None
    assert len(packed.pairs(model.layers)) == len(model.parameters())


def test_a_user_layers_arrays_stay_its_own():
    class Scale(gn.Layer):
        def __init__(self):
            super().__init__()
            self.params["s"], self.grads["s"] = np.ones(1), np.zeros(1)

        def forward(self, x, training=False):
            return x * self.params["s"]

        def backward(self, grad_out):
            return grad_out * self.params["s"]

    model = gn.Sequential([gn.Dense(2, 2), Scale()], seed=0, dtype="float64")
    scale = model.layers[1].params["s"]
    pairs = model.packed_parameters().pairs(model.layers)
    assert len(pairs) == 2 and pairs[1][0] is scale
