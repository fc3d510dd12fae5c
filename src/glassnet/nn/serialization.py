"""Saving and loading a ``Sequential``: one ``.npz`` file, no pickle anywhere.

Layout of the file (a zip archive written by ``numpy.savez``):

* ``__meta__``: UTF-8 JSON as a uint8 array: format name and version, library version, dtype,
  the architecture (each layer's registered name and constructor arguments), the loss, a
  SHA-256 checksum of every array, and any further keys the caller adds (``glassnet.io`` adds a
  model's preprocessing, training configuration and class labels).
* ``layers.<i>.<name>``: each parameter array.

Reading uses ``allow_pickle=False``, checks the format version, every array's presence, shape,
dtype and checksum against the metadata (so bytes changed after saving are caught even where
the zip's own CRC was rewritten to match), and turns any corruption into a ``ModelFileError``
with a one-line message. Writing is atomic (``files.atomic_write``): a crash mid-save leaves the
previous file intact.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from . import losses
from .errors import ModelFileError
from .files import atomic_write
from .layers import layer_from_config, layer_name
from .model import Sequential

__all__ = ["FORMAT", "FORMAT_VERSION", "load", "read_meta", "save"]

FORMAT = "glassnet-model"
FORMAT_VERSION = 1
_ENGINE_KEYS = ("format", "format_version", "glassnet_version", "dtype", "layers", "loss",
                "checksums")


def _glassnet_version():
    try:
        return version("glassnet")
    except PackageNotFoundError:  # running from a source tree without installation
        return "0.0.0+unknown"


def _sha256(a):
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


def save(model, path, metadata=None):
    """Write ``model`` to ``path`` atomically; ``metadata``: further JSON keys for the file.

    Every layer must be registered (``register_layer``); the loss the model was trained with
    is recorded when it is one of glassnet's.
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"save takes a Sequential model, not {type(model).__name__}")
    metadata = dict(metadata or {})
    clash = sorted(set(metadata) & set(_ENGINE_KEYS))
    if clash:
        raise ValueError(f"metadata keys {clash} are the engine's own")
    layers = [{"type": layer_name(layer), "config": layer.get_config()} for layer in model.layers]
    loss = None
    if model.loss_ is not None and losses.CLASSES.get(type(model.loss_).__name__) is \
            type(model.loss_):
        loss = {"type": type(model.loss_).__name__, "config": model.loss_.get_config()}
    arrays = {f"layers.{i}.{k}": v for i, layer in enumerate(model.layers)
              for k, v in layer.params.items()}
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "glassnet_version": _glassnet_version(),
        "dtype": str(model.dtype),
        "layers": layers,
        "loss": loss,
        "checksums": {name: _sha256(a) for name, a in arrays.items()},
        **metadata,
    }
    try:
        meta_bytes = json.dumps(meta, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as e:
        raise TypeError(f"layer configs and metadata must hold JSON values only (no NaN): "
                        f"{e}") from None
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
    file_version = meta.get("format_version")
    if not isinstance(file_version, int) or file_version > FORMAT_VERSION or file_version < 1:
        raise ModelFileError(
            f"{path} has format version {file_version!r}; this glassnet reads version "
            f"{FORMAT_VERSION} (upgrade glassnet to read newer files)"
        )
    return meta, arrays


def _short(e):
    text = str(e).strip().splitlines()
    return f"{type(e).__name__}: {text[0]}" if text else type(e).__name__


def load(path):
    """``(model, meta)``: the model saved at ``path`` and the file's whole metadata."""
    meta, arrays = _open(path)
    try:
        dtype = np.dtype(meta["dtype"])
        layers = [layer_from_config(spec["type"], spec["config"], dtype=dtype)
                  for spec in meta["layers"]]
        model = Sequential(layers, dtype=dtype, initialize=False)
        if meta.get("loss"):
            loss_cls = losses.CLASSES.get(meta["loss"]["type"])
            if loss_cls is None:
                raise ValueError(f"unknown loss {meta['loss']['type']!r}")
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
    return model, meta
