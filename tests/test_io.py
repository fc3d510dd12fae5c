import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from glassnet import Dense, ReLU, Sequential, Softmax
from glassnet.config import TrainConfig
from glassnet.data import TabularPreprocessor
from glassnet.io import ModelFileError, atomic_write, load_bundle, load_model, read_meta, save_model
from glassnet.nn.serialization import canonical_json, metadata_digest
from glassnet.tabular import predict_frame, train_frame

SRC = Path(__file__).resolve().parents[1] / "src"


def houses(n=80, seed=0):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "area": rng.uniform(40, 200, n),
        "city": rng.choice(["Oslo", "Bergen", "Tromsø"], n),
        "built": pd.date_range("1990-01-01", periods=n, freq="97D").astype(str),
    })
    df["price"] = 3 * df["area"] + (df["city"] == "Oslo") * 100 + rng.normal(0, 5, n)
    df["band"] = np.where(df["price"] > df["price"].median(), "high", "low")
    df.loc[4, "area"] = np.nan
    return df


CONFIG = TrainConfig(hidden=[8], epochs=5, seed=0, patience=0)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    df = houses()
    reg = train_frame(df.drop(columns="band"), "price", CONFIG)
    clf = train_frame(df.drop(columns="price"), "band", CONFIG)
    return df, reg, clf


def small_model(seed=0, width=4):
    return Sequential([Dense(3, width), ReLU(), Dense(width, 2), Softmax()], seed=seed)


@pytest.mark.parametrize("which", ["reg", "clf"])
def test_round_trip_gives_identical_predictions(tmp_path, trained, which):
    df, reg, clf = trained
    result = reg if which == "reg" else clf
    path = save_model(result.model, tmp_path / "m.npz", preprocessor=result.preprocessor,
                      config=CONFIG, extra={"note": "hi"})
    bundle = load_bundle(path)
    before = predict_frame(result.model, result.preprocessor, df)
    after = predict_frame(bundle.model, bundle.preprocessor, df)
    np.testing.assert_array_equal(before[0], after[0])
    if which == "clf":
        np.testing.assert_array_equal(before[1], after[1])
        assert bundle.classes == ["high", "low"] and bundle.task == "classification"
    else:
        assert before[1] is None and bundle.task == "regression"
    assert bundle.config == CONFIG
    assert bundle.extra == {"note": "hi"}
    assert bundle.preprocessor.feature_names_ == result.preprocessor.feature_names_
    meta = read_meta(path)
    assert meta["glassnet_version"] and meta["training_config"]["hidden"] == [8]
    assert set(meta["checksums"]) == {f"layers.{i}.{k}" for i, layer in
                                      enumerate(result.model.layers) for k in layer.params}


def test_a_model_without_extras_still_loads_plainly(tmp_path):
    model = small_model()
    path = save_model(model, tmp_path / "plain.npz")
    loaded = load_model(path)
    x = np.random.default_rng(0).normal(size=(5, 3))
    np.testing.assert_array_equal(model.predict(x), loaded.predict(x))
    bundle = load_bundle(path)
    assert bundle.preprocessor is None and bundle.config is None and bundle.classes is None


def test_save_refuses_inconsistent_parts(tmp_path):
    model = small_model()
    with pytest.raises(ValueError, match="3 class labels do not fit a network with 2 output"):
        save_model(model, tmp_path / "m.npz", classes=["a", "b", "c"])
    prep = TabularPreprocessor(target="price").fit(houses().drop(columns="band"))
    with pytest.raises(ValueError, match=r"makes \d+ features but the network takes 3"):
        save_model(model, tmp_path / "m.npz", preprocessor=prep)
    with pytest.raises(TypeError, match="JSON"):
        save_model(model, tmp_path / "m.npz", extra={"x": float("nan")})
    assert not (tmp_path / "m.npz").exists()


# ---------------------------------------------------------------- damaged and foreign files
@pytest.fixture
def good_file(tmp_path):
    return save_model(small_model(width=64), tmp_path / "good.npz", classes=["no", "yes"])


def test_truncated_files_give_a_clear_error(tmp_path, good_file):
    data = good_file.read_bytes()
    for keep in (10, len(data) // 3, len(data) // 2, len(data) - 30):
        bad = tmp_path / f"cut{keep}.npz"
        bad.write_bytes(data[:keep])
        with pytest.raises(ModelFileError, match=r"damaged or truncated|not a glassnet"):
            load_model(bad)


def test_every_flipped_byte_region_gives_a_model_file_error(tmp_path, good_file):
    data = bytearray(good_file.read_bytes())
    original = load_model(good_file).get_weights()
    errors = 0
    for offset in np.linspace(0, len(data) - 1, 41).astype(int):
        broken = bytearray(data)
        broken[offset] ^= 0xFF
        path = tmp_path / "flip.npz"
        path.write_bytes(bytes(broken))
        try:
            model = load_model(path)
        except ModelFileError as e:
            assert "\n" not in str(e)
            errors += 1
        else:  # a byte only zip bookkeeping reads (a timestamp): the weights must be intact
            for got, want in zip(model.get_weights(), original):
                for k in want:
                    np.testing.assert_array_equal(got[k], want[k])
    assert errors >= 30  # nearly every byte is weight data or metadata, guarded by CRC/checksum


def _rewrite(path, change):
    """Rewrite a model file's members through ``change(arrays)``: a consistent zip whose
    content differs from what was saved (what a careless tool or a person would produce)."""
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    change(arrays)
    np.savez(path, **arrays)


def test_tampered_weights_fail_their_checksum(good_file):
    _rewrite(good_file, lambda a: a["layers.0.W"].__setitem__((0, 0), 42.0))
    with pytest.raises(ModelFileError, match=r"layers\.0\.W does not match its checksum"):
        load_model(good_file)


def _edit_meta(path, change, sign):
    """Edit the metadata: naively (the checksum left as it was), or re-signed, as someone who
    knows the format would (then the checks behind the checksum must catch it)."""
    def edit(arrays):
        meta = json.loads(arrays["__meta__"].tobytes())
        change(meta)
        if sign:
            meta["metadata_sha256"] = metadata_digest(meta)
        arrays["__meta__"] = np.frombuffer(canonical_json(meta), dtype=np.uint8)

    _rewrite(path, edit)


def _wider(meta):
    meta["layers"][0]["config"]["n_out"] = 65
    meta["layers"][2]["config"]["n_in"] = 65


def test_tampered_architecture_is_caught_by_the_checksum_and_by_the_shape_check(good_file):
    _edit_meta(good_file, _wider, sign=False)
    with pytest.raises(ModelFileError, match="metadata does not match its checksum"):
        load_model(good_file)
    _edit_meta(good_file, _wider, sign=True)
    with pytest.raises(ModelFileError, match=r"layers.0.W has shape \(3, 64\).*needs \(3, 65\)"):
        load_model(good_file)


def test_tampered_class_labels_are_caught(good_file):
    _edit_meta(good_file, lambda meta: meta.update(classes=["yes", "no"]), sign=False)
    with pytest.raises(ModelFileError, match="metadata does not match its checksum"):
        load_model(good_file)
    _edit_meta(good_file, lambda meta: meta.update(classes=["a", "b", "c"]), sign=True)
    with pytest.raises(ModelFileError, match="3 class labels"):
        load_model(good_file)


def test_edited_statistics_or_permuted_labels_of_a_bundle_never_load_silently(tmp_path,
                                                                              trained):
    _, _, clf = trained
    edits = {
        "mean": lambda m: m["preprocessing"]["columns_"][0].update(mean=1e3),
        "labels": lambda m: m["preprocessing"].update(classes_=["low", "high"]),
        "categories": lambda m: next(c for c in m["preprocessing"]["columns_"]
                                     if c["role"] == "categorical")["categories"].reverse(),
        "reading options": lambda m: m["extra"].update(read_options={"skiprows": 10**9}),
        "no checksums": lambda m: m.pop("checksums"),
        "checksums null": lambda m: m.update(checksums=None),
        "no metadata checksum": lambda m: m.pop("metadata_sha256"),
    }
    for change in edits.values():
        path = save_model(clf.model, tmp_path / "m.npz", preprocessor=clf.preprocessor,
                          extra={"read_options": {"sep": ","}})
        _edit_meta(path, change, sign=False)
        with pytest.raises(ModelFileError, match="checksum"):
            load_bundle(path)
    # Re-signed, the labels must still agree with the network's head and the preprocessing.
    path = save_model(clf.model, tmp_path / "m.npz", preprocessor=clf.preprocessor)
    _edit_meta(path, lambda m: m.update(classes=["low", "high"]), sign=True)
    with pytest.raises(ModelFileError, match="class labels differ"):
        load_bundle(path)
    _edit_meta(path, lambda m: m.update(classes=["high", "low"], layers=m["layers"][:-1]),
               sign=True)
    with pytest.raises(ModelFileError, match="must end in one sigmoid output"):
        load_bundle(path)


def test_newer_format_version_asks_for_an_upgrade(good_file):
    def change(arrays):
        meta = json.loads(arrays["__meta__"].tobytes())
        meta["format_version"] = 99
        arrays["__meta__"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)

    _rewrite(good_file, change)
    with pytest.raises(ModelFileError, match="upgrade glassnet"):
        load_model(good_file)


def test_foreign_files_are_rejected_without_unpickling(tmp_path):
    cases = {}
    np.savez(tmp_path / "plain.npz", x=np.ones(3))
    cases["plain.npz"] = "no metadata"
    np.save(tmp_path / "array.npy", np.ones(3))
    cases["array.npy"] = "not an .npz archive"
    (tmp_path / "data.csv").write_text("a,b\n1,2\n")
    cases["data.csv"] = "not an .npz archive"
    (tmp_path / "empty.npz").write_bytes(b"")
    cases["empty.npz"] = "is empty"
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as z:
        z.writestr("readme.txt", "hello")
    cases["other.zip"] = "no metadata"
    # An object array inside: loading must refuse it, never unpickle it.
    meta = json.dumps({"format": "glassnet-model"}).encode()
    np.savez(tmp_path / "pickled.npz", __meta__=np.frombuffer(meta, dtype=np.uint8),
             **{"layers.0.W": np.array([{"a": 1}], dtype=object)})
    cases["pickled.npz"] = "damaged or truncated"
    for name, message in cases.items():
        with pytest.raises(ModelFileError, match=message):
            load_model(tmp_path / name)
    with pytest.raises(ModelFileError, match="not found"):
        load_model(tmp_path / "missing.npz")


# ---------------------------------------------------------------- atomic writes
def test_a_write_that_fails_halfway_leaves_the_old_file_and_no_temporary(tmp_path, good_file):
    before = good_file.read_bytes()

    def write(f):
        f.write(b"PK\x03\x04 half a model")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        atomic_write(good_file, write)
    assert good_file.read_bytes() == before
    assert os.listdir(good_file.parent) == [good_file.name]


KILLED_SAVE = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import numpy as np
    from glassnet import Dense, Sequential
    from glassnet.io import save_model

    path, marker = sys.argv[1], Path(sys.argv[2])
    real_savez = np.savez

    class Stalling:
        # Passes writes through; after half the file, signals and hangs until killed.
        def __init__(self, f):
            self.f, self.written = f, 0
        def write(self, data):
            n = self.f.write(data)
            self.written += len(data)
            if self.written > 2_000_000:
                self.f.flush()
                marker.touch()
                time.sleep(120)
            return n
        def __getattr__(self, name):
            return getattr(self.f, name)

    np.savez = lambda f, **arrays: real_savez(Stalling(f), **arrays)
    save_model(Sequential([Dense(1000, 1000)], seed=1), path)  # 4 MB of weights
""")


def test_killing_a_save_midway_leaves_the_previous_model_intact(tmp_path):
    path = tmp_path / "model.npz"
    good = Sequential([Dense(1000, 1000)], seed=0)
    save_model(good, path)
    before = path.read_bytes()
    marker = tmp_path / "halfway"
    script = tmp_path / "save.py"
    script.write_text(KILLED_SAVE)
    env = dict(os.environ, PYTHONPATH=str(SRC))
    proc = subprocess.Popen([sys.executable, str(script), str(path), str(marker)], env=env)
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert proc.poll() is None, "the saving process ended before reaching halfway"
            assert time.monotonic() < deadline, "the saving process never reached halfway"
            time.sleep(0.02)
        temporaries = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        assert len(temporaries) == 1 and temporaries[0].stat().st_size > 2_000_000
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
    assert path.read_bytes() == before
    loaded = load_model(path)
    x = np.random.default_rng(0).normal(size=(4, 1000))
    np.testing.assert_array_equal(loaded.predict(x), good.predict(x))
    # The killed process's half-written temporary is the only debris, and it is not a model;
    # it is named as glassnet's, with its process id, and the next save removes it.
    leftover = next(p for p in tmp_path.iterdir() if p.name.endswith(".tmp"))
    assert leftover.name.startswith(f".model.npz.glassnet-{proc.pid}-")
    with pytest.raises(ModelFileError):
        load_model(leftover)
    save_model(good, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["halfway", "model.npz", "save.py"]
