"""Safe model files: one ``.npz`` per model, no pickle anywhere.

Layout of the file (a zip archive written by ``numpy.savez``):

* ``__meta__``: UTF-8 JSON as a uint8 array: format name and version, library version, dtype,
  the architecture (layer types and constructor arguments), the loss, and an ``extra`` dict for
  whatever the caller saves beside the weights (preprocessing, class labels, training config).
* ``layers.<i>.<name>``: each parameter array.

Reading uses ``allow_pickle=False``, checks the format version, every array's presence, shape
and dtype against the architecture, and turns any corruption into a ``ModelFileError`` with a
one-line message. Writing is atomic: a temporary file in the same folder, flushed and fsynced,
then renamed over the target, so a crash mid-save leaves the previous file intact.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

FORMAT = "glassnet-model"
FORMAT_VERSION = 1

__all__ = ["FORMAT_VERSION", "ModelFileError", "atomic_write", "load_model", "save_model"]


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
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


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


def save_model(model, path, extra=None):
    """Write ``model`` (and the JSON-able ``extra`` dict) to ``path`` atomically."""
    from . import __version__

    layers, loss = _architecture(model)
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "glassnet_version": __version__,
        "dtype": str(model.dtype),
        "layers": layers,
        "loss": loss,
        "extra": extra or {},
    }
    try:
        meta_bytes = json.dumps(meta, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as e:
        raise TypeError(f"extra must hold JSON values only (no NaN): {e}") from None
    arrays = {"__meta__": np.frombuffer(meta_bytes, dtype=np.uint8)}
    for i, layer in enumerate(model.layers):
        for k, v in layer.params.items():
            arrays[f"layers.{i}.{k}"] = v
    return atomic_write(path, lambda f: np.savez(f, **arrays))


def read_meta(path):
    """The JSON metadata of a model file, without building the model."""
    return _open(path)[0]


def _open(path):
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"model file not found: {path}")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError) as e:
        raise ModelFileError(f"{path} is not a readable glassnet model file ({e})") from None
    raw = arrays.pop("__meta__", None)
    if raw is None or raw.dtype != np.uint8:
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


def load_model(path, return_extra=False):
    """Rebuild the model saved at ``path``; with ``return_extra``, also its ``extra`` dict."""
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
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise ModelFileError(f"{path}: architecture in the metadata is invalid ({e})") from None
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
            if not np.all(np.isfinite(a)):
                raise ModelFileError(f"{path}: array {name} holds NaN or infinity")
            p[...] = a
    unexpected = set(arrays) - expected
    if unexpected:
        raise ModelFileError(f"{path}: unexpected arrays {sorted(unexpected)}")
    return (model, meta.get("extra", {})) if return_extra else model
