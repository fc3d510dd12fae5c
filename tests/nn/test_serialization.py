"""The engine's model files: a bare Sequential saved and loaded, nothing but arrays and JSON."""

import json
import zipfile

import numpy as np
import pytest

import glassnet.nn as gn


def _trained(dtype="float32"):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 3))
    model = gn.Sequential([gn.Dense(3, 5), gn.Tanh(), gn.Dropout(0.2), gn.Dense(5, 3),
                           gn.Softmax()], seed=0, dtype=dtype)
    model.fit(X, rng.integers(0, 3, 40), epochs=2, verbose=0,
              loss=gn.CrossEntropy(class_weight=[1.0, 2.0, 1.0]))
    return model, X


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_model_round_trips_with_its_loss_and_metadata(tmp_path, dtype):
    model, X = _trained(dtype)
    path = gn.save(model, tmp_path / "m.npz", {"note": {"why": "a test"}})
    loaded, meta = gn.load(path)
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    assert [type(lay) for lay in loaded.layers] == [type(lay) for lay in model.layers]
    assert loaded.dtype == np.dtype(dtype) and loaded.layers[2].p == 0.2
    assert isinstance(loaded.loss_, gn.CrossEntropy) and loaded.loss_.class_weight == [1, 2, 1]
    assert meta["note"] == {"why": "a test"} and meta["format"] == "glassnet-model"
    with zipfile.ZipFile(path) as z:  # arrays and JSON only: nothing that could be unpickled
        assert all(name.endswith(".npy") for name in z.namelist())


def test_metadata_cannot_overwrite_the_engines_keys(tmp_path):
    model, _ = _trained()
    with pytest.raises(ValueError, match="engine's own"):
        gn.save(model, tmp_path / "m.npz", {"checksums": {}})
    assert not (tmp_path / "m.npz").exists()


def _rewrite_meta(path, change):
    with np.load(path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    meta = json.loads(arrays["__meta__"].tobytes())
    change(meta)
    arrays["__meta__"] = np.frombuffer(json.dumps(meta).encode(), np.uint8)
    np.savez(path, **arrays)


@pytest.mark.parametrize("name", ["__class__", "Loss", "get", "MyLoss"])
def test_the_loss_is_looked_up_in_the_registry_only(tmp_path, name):
    model, _ = _trained()
    path = gn.save(model, tmp_path / "m.npz")
    _rewrite_meta(path, lambda meta: meta["loss"].update(type=name))
    with pytest.raises(gn.ModelFileError, match="unknown loss"):
        gn.load(path)


def test_a_model_trained_with_a_loss_of_the_users_own_saves_without_it(tmp_path):
    class Halved(gn.MSELoss):
        pass

    rng = np.random.default_rng(1)
    model = gn.Sequential([gn.Dense(2, 1)], seed=0)
    model.fit(rng.standard_normal((8, 2)), rng.standard_normal(8), loss=Halved(), verbose=0)
    loaded, meta = gn.load(gn.save(model, tmp_path / "m.npz"))
    assert meta["loss"] is None and loaded.loss_ is None
