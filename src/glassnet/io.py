"""Safe model files: one ``.npz`` per model, no pickle anywhere.

Layout of the file (a zip archive written by ``numpy.savez``):

* ``__meta__``: UTF-8 JSON as a uint8 array: format name and version, library version, dtype,
  the architecture (layer types and constructor arguments), the loss, and an ``extra`` dict for
  whatever the caller saves beside the weights (preprocessing, class labels, training config).
* ``layers.<i>.<name>``: each parameter array.

Beside ``extra``, three named parts describe a model trained on real data, each checked against
the network when saved and when loaded: ``preprocessing`` (a fitted ``TabularPreprocessor``'s
state: its feature count must match the first layer), ``training_config`` (a ``TrainConfig``)
and ``classes`` (the class labels: one per output, or two for a single sigmoid output). The
metadata also holds a SHA-256 checksum of every array, so bytes changed after saving are caught
even where the zip's own CRC was rewritten to match.

Reading uses ``allow_pickle=False``, checks the format version, every array's presence, shape,
dtype and checksum against the metadata, and turns any corruption into a ``ModelFileError``
with a one-line message. Writing is atomic: a temporary file in the same folder, flushed and
fsynced, then renamed over the target, so a crash mid-save leaves the previous file intact.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

FORMAT = "glassnet-model"
FORMAT_VERSION = 1

__all__ = ["FORMAT_VERSION", "ModelBundle", "ModelFileError", "atomic_write", "atomic_write_text",
           "load_bundle", "load_model", "read_meta", "save_model"]


class ModelFileError(ValueError):
    """A model file is missing, truncated, tampered with, or not a glassnet model."""


def atomic_write(path, write):
    """Call ``write(file_object)`` on a temporary file, then rename it to ``path``.

    ``os.replace`` is atomic on POSIX and Windows: readers see the old file or the new one,
    never a half-written one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def _fsync_dir(folder):
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _sha256(a):
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


def _check_classes(classes, n_outputs):
    if not isinstance(classes, list) or not classes:
        raise ValueError("classes must be a non-empty list of labels")
    if len(set(map(json.dumps, classes))) != len(classes):
        raise ValueError(f"classes holds duplicates: {classes}")
    if n_outputs is not None and not (
            len(classes) == n_outputs or (n_outputs == 1 and len(classes) == 2)):
        raise ValueError(f"{len(classes)} class labels do not fit a network with "
                         f"{n_outputs} output(s)")


def _check_preprocessing(state, n_features):
    names = state.get("feature_names_") if isinstance(state, dict) else None
    if not isinstance(names, list):
        raise ValueError("preprocessing has no feature_names_ list")
    if n_features is not None and len(names) != n_features:
        raise ValueError(f"preprocessing makes {len(names)} features but the network "
                         f"takes {n_features}")


def atomic_write_text(path, text):
    """Write ``text`` (UTF-8) to ``path`` atomically: metrics, configs, predictions."""
    data = text.encode("utf-8")
    return atomic_write(path, lambda f: f.write(data))


def _architecture(model):
    from .nn import Sequential

    if not isinstance(model, Sequential):
        raise TypeError(f"save_model takes a Sequential model, not {type(model).__name__}")
    layers = [{"type": type(layer).__name__, "config": layer.get_config()}
              for layer in model.layers]
    loss = None
    if model.loss_ is not None:
        loss = {"type": type(model.loss_).__name__, "config": model.loss_.get_config()}
    return layers, loss


def save_model(model, path, extra=None, *, preprocessor=None, config=None, classes=None):
    """Write ``model`` to ``path`` atomically, with what is needed to use it on raw data.

    ``preprocessor``: a fitted ``glassnet.data.TabularPreprocessor`` (or its ``to_dict()``);
    ``config``: the ``TrainConfig`` (or dict) it was trained with; ``classes``: class labels
    (taken from the preprocessor when it has them); ``extra``: any other JSON-able dict.
    Inconsistent parts (a preprocessor making 12 features for a 10-input network, 3 labels for
    2 outputs) are a ``ValueError`` before anything is written.
    """
    from . import __version__

    layers, loss = _architecture(model)
    if extra is not None and not isinstance(extra, dict):
        raise TypeError(f"extra must be a dict, got {type(extra).__name__}")
    if preprocessor is not None and hasattr(preprocessor, "to_dict"):
        preprocessor = preprocessor.to_dict()
    if config is not None and hasattr(config, "to_dict"):
        config = config.to_dict()
    if classes is None and isinstance(preprocessor, dict) and "classes_" in preprocessor:
        classes = preprocessor["classes_"]
    if classes is not None:
        classes = [c.item() if isinstance(c, np.generic) else c for c in classes]
        _check_classes(classes, model.n_outputs)
    if preprocessor is not None:
        _check_preprocessing(preprocessor, model.n_features)
    arrays = {}
    for i, layer in enumerate(model.layers):
        for k, v in layer.params.items():
            arrays[f"layers.{i}.{k}"] = v
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "glassnet_version": __version__,
        "dtype": str(model.dtype),
        "layers": layers,
        "loss": loss,
        "checksums": {name: _sha256(a) for name, a in arrays.items()},
        "preprocessing": preprocessor,
        "training_config": config,
        "classes": classes,
        "extra": extra or {},
    }
    try:
        meta_bytes = json.dumps(meta, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as e:
        raise TypeError(
            f"extra, preprocessor, config and classes must hold JSON values only (no NaN): {e}"
        ) from None
    arrays["__meta__"] = np.frombuffer(meta_bytes, dtype=np.uint8)
    return atomic_write(path, lambda f: np.savez(f, **arrays))


def read_meta(path):
    """The JSON metadata of a model file, without building the model."""
    return _open(path)[0]


def _open(path):
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"model file not found: {path}")
    with open(path, "rb") as f:
        magic = f.read(4)
    if not magic:
        raise ModelFileError(f"{path} is empty, not a glassnet model file")
    if magic != b"PK\x03\x04":
        raise ModelFileError(f"{path} is not a glassnet model file (not an .npz archive)")
    try:
        # Truncated or altered bytes surface as many exception types (zip, zlib, NumPy's
        # header parser, pickle refusal): all of them mean the same thing to the user.
        with np.load(path, allow_pickle=False) as archive:
            if "__meta__" not in archive.files:
                raise ModelFileError(f"{path} is not a glassnet model file (no metadata)")
            arrays = {name: archive[name] for name in archive.files}
    except ModelFileError:
        raise
    except Exception as e:
        raise ModelFileError(f"{path} is damaged or truncated ({_short(e)})") from e
    raw = arrays.pop("__meta__")
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise ModelFileError(f"{path} is not a glassnet model file (no metadata)")
    try:
        meta = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ModelFileError(f"{path}: metadata is corrupt ({e})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFileError(f"{path} is not a glassnet model file")
    version = meta.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
        raise ModelFileError(
            f"{path} has format version {version!r}; this glassnet reads version "
            f"{FORMAT_VERSION} (upgrade glassnet to read newer files)"
        )
    return meta, arrays


def _short(e):
    text = str(e).strip().splitlines()
    return f"{type(e).__name__}: {text[0]}" if text else type(e).__name__


def load_model(path, return_extra=False):
    """Rebuild the model saved at ``path``; with ``return_extra``, also its ``extra`` dict."""
    model, meta = _load(path)
    return (model, meta.get("extra", {})) if return_extra else model


def _load(path):
    from .nn import Sequential, losses
    from .nn.layers import layer_from_config

    meta, arrays = _open(path)
    try:
        dtype = np.dtype(meta["dtype"])
        layers = [layer_from_config(spec["type"], spec["config"], dtype=dtype)
                  for spec in meta["layers"]]
        model = Sequential(layers, dtype=dtype)
        if meta.get("loss"):
            loss_cls = getattr(losses, meta["loss"]["type"])
            model.loss_ = loss_cls(**meta["loss"]["config"])
    except (KeyError, TypeError, ValueError, AttributeError, MemoryError) as e:
        raise ModelFileError(f"{path}: architecture in the metadata is invalid ({e})") from None
    checksums = meta.get("checksums")
    expected = set()
    for i, layer in enumerate(model.layers):
        for k, p in layer.params.items():
            name = f"layers.{i}.{k}"
            expected.add(name)
            if name not in arrays:
                raise ModelFileError(f"{path}: array {name} is missing")
            a = arrays[name]
            if a.shape != p.shape or a.dtype != p.dtype:
                raise ModelFileError(
                    f"{path}: array {name} has shape {a.shape} {a.dtype}, the architecture "
                    f"needs {p.shape} {p.dtype}"
                )
            if isinstance(checksums, dict) and checksums.get(name) != _sha256(a):
                raise ModelFileError(f"{path}: array {name} does not match its checksum (the "
                                     "file was altered after saving)")
            if not np.all(np.isfinite(a)):
                raise ModelFileError(f"{path}: array {name} holds NaN or infinity")
            p[...] = a
    unexpected = set(arrays) - expected
    if unexpected:
        raise ModelFileError(f"{path}: unexpected arrays {sorted(unexpected)}")
    try:
        if meta.get("classes") is not None:
            _check_classes(meta["classes"], model.n_outputs)
        if meta.get("preprocessing") is not None:
            _check_preprocessing(meta["preprocessing"], model.n_features)
    except ValueError as e:
        raise ModelFileError(f"{path}: {e}") from None
    return model, meta


@dataclass
class ModelBundle:
    """Everything a model file holds: the network and how to use it on raw data."""

    model: object
    preprocessor: object = None
    config: object = None
    classes: list | None = None
    extra: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    @property
    def task(self):
        return getattr(self.preprocessor, "task_", None)


def load_bundle(path):
    """``ModelBundle`` of the file at ``path``: the model, its fitted ``TabularPreprocessor``
    and ``TrainConfig`` (``None`` where the file has none), class labels and ``extra``."""
    from .config import TrainConfig
    from .data import TabularPreprocessor

    model, meta = _load(path)
    prep = config = None
    try:
        if meta.get("preprocessing") is not None:
            prep = TabularPreprocessor.from_dict(meta["preprocessing"])
        if meta.get("training_config") is not None:
            config = TrainConfig.from_dict(meta["training_config"])
    except (ValueError, TypeError) as e:
        raise ModelFileError(f"{path}: {e}") from None
    return ModelBundle(model, prep, config, meta.get("classes"), meta.get("extra", {}), meta)
