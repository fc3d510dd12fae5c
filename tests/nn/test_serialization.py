"""The engine's model files: a bare Sequential saved and loaded, nothing but arrays and JSON."""

import json
import zipfile

import numpy as np
import pytest

import glassnet.nn as gn
from glassnet.nn.serialization import MAX_META_BYTES, canonical_json, metadata_digest


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


def _rewrite_meta(path, change, sign=True):
    """Edit the metadata and (``sign``) recompute its checksum, as a crafted file would."""
    with np.load(path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    meta = json.loads(arrays["__meta__"].tobytes())
    change(meta)
    if sign:
        meta["metadata_sha256"] = metadata_digest(meta)
    arrays["__meta__"] = np.frombuffer(canonical_json(meta), np.uint8)
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


def test_the_metadata_checksum_is_mandatory_and_covers_every_key(tmp_path):
    model, _ = _trained()
    for change in (lambda m: m.update(note="edited"), lambda m: m.pop("checksums"),
                   lambda m: m.update(checksums=None), lambda m: m.update(checksums=[]),
                   lambda m: m.pop("metadata_sha256"), lambda m: m.update(dtype="float64")):
        path = gn.save(model, tmp_path / "m.npz", {"note": "saved"})
        _rewrite_meta(path, change, sign=False)
        with pytest.raises(gn.ModelFileError, match="checksum"):
            gn.load(path)


def test_the_reader_accepts_only_the_canonical_json_the_writer_writes(tmp_path):
    model, _ = _trained()
    path = gn.save(model, tmp_path / "m.npz")
    with np.load(path) as f:
        arrays = {k: f[k] for k in f.files}
    raw = arrays["__meta__"].tobytes()
    assert raw == canonical_json(json.loads(raw))
    for bad, message in [
        (raw[:-1] + b" " * 100 + b"}", "not in the form glassnet writes"),
        (raw.replace(b'"dtype"', b'"x":NaN,"dtype"'), "NaN is not allowed"),
        (raw.replace(b'"dtype"', b'"x":1e999,"dtype"'), "overflows a float"),
        (raw.replace(b'"dtype"', b'"x":' + b"1" * 5000 + b',"dtype"'), "more than 20 digits"),
        (raw.replace(b'"dtype"', b'"x":' + b"[" * 100000 + b"]" * 100000 + b',"dtype"'),
         "nested too deeply"),
        (raw.replace(b'"dtype"', b'"dtype":"float64","dtype"'), "a key appears twice"),
    ]:
        np.savez(path, **{**arrays, "__meta__": np.frombuffer(bad, np.uint8)})
        with pytest.raises(gn.ModelFileError, match=message):
            gn.load(path)


def test_declared_sizes_are_checked_before_anything_is_allocated(tmp_path):
    model = gn.Sequential([gn.Dense(3, 2)], seed=0)
    path = gn.save(model, tmp_path / "m.npz")
    # A 40000 x 40000 layer (6.4 GB) declared by a file of a few kilobytes.
    _rewrite_meta(path, lambda m: m["layers"][0]["config"].update(n_in=40000, n_out=40000))
    with pytest.raises(gn.ModelFileError, match=r"needs \(40000, 40000\)"):
        gn.load(path)
    # Compressed members (a zip bomb's) are never read: glassnet writes none.
    gn.save(model, path)
    with np.load(path) as f:
        np.savez_compressed(path, **{k: f[k] for k in f.files})
    with pytest.raises(gn.ModelFileError, match="compressed or encrypted"):
        gn.load(path)
    with pytest.raises(gn.ModelFileError, match="a model file holds at most"):
        gn.save(model, tmp_path / "big.npz", {"blob": "x" * (MAX_META_BYTES + 1)})
