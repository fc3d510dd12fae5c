"""Saving and loading a ``Sequential``: one ``.npz`` file, no pickle anywhere.

Layout of the file (a zip archive of uncompressed ``.npy`` members, as ``numpy.savez`` writes):

* ``__meta__``: the metadata as canonical JSON (sorted keys, no spaces, ASCII) in a uint8
  array: format name and version, library version, dtype, the architecture (each layer's
  registered name and constructor arguments), the loss, a SHA-256 of every array
  (``checksums``), any further keys the caller adds (``glassnet.io`` adds a model's
  preprocessing, training configuration, class labels and extras), and ``metadata_sha256``,
  the SHA-256 of the canonical JSON of everything else.
* ``layers.<i>.<name>``: each parameter array.

The reader accepts exactly what the writer writes, and checks it before building anything:
uncompressed members only (so no member is larger than the file), no member it does not
expect, metadata of at most ``MAX_META_BYTES`` in canonical form, JSON without NaN or infinity,
nested at most ``MAX_DEPTH`` deep, integers of at most ``MAX_INT_DIGITS`` digits; every field
type-checked; the layers' declared shapes against the arrays' ``.npy`` headers (a file that
declares a 40000 x 40000 layer without holding its 6.4 GB is refused before any allocation);
then the metadata checksum, every array's checksum and finiteness. Any failure is one
``ModelFileError``.

The checksums are mandatory and cover everything that changes predictions: the arrays and the
whole metadata (architecture, preprocessing statistics and categories, class labels, reader
options). They detect accidental damage and naive edits (a changed mean, a permuted label list,
a removed checksum). They are not a signature: whoever edits a file on purpose can recompute
them. Trust a model file as much as its source.

Writing is atomic (``files.atomic_write``): a crash mid-save leaves the previous file intact.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import stat
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from . import losses
from .canonical import (
    MAX_DEPTH,
    MAX_INT_DIGITS,
    canonical_json,
    dumps_checked,
    metadata_digest,
    parse_canonical,
)
from .errors import ModelFileError
from .files import atomic_write
from .layers import layer_class, layer_from_config, layer_name
from .model import Sequential

__all__ = ["FORMAT", "FORMAT_VERSION", "MAX_DEPTH", "MAX_INT_DIGITS", "MAX_META_BYTES",
           "canonical_json", "load", "metadata_digest", "read_meta", "save"]

FORMAT = "glassnet-model"
FORMAT_VERSION = 2  # 2: canonical metadata with a mandatory checksum of its own
_ENGINE_KEYS = ("format", "format_version", "glassnet_version", "dtype", "layers", "loss",
                "checksums", "metadata_sha256")
MAX_META_BYTES = 64 * 2**20
_MAX_MEMBERS = 10_000
_ARRAY = re.compile(r"^layers\.(\d+)\.([A-Za-z_][A-Za-z0-9_]*)$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _glassnet_version():
    try:
        return version("glassnet")
    except PackageNotFoundError:  # running from a source tree without installation
        return "0.0.0+unknown"


def _sha256(a):
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


# ---------------------------------------------------------------------------- saving
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
        meta = json.loads(canonical_json(meta))  # tuples become lists, as a reader sees them
        meta["metadata_sha256"] = metadata_digest(meta, checked=True)
        meta_bytes = dumps_checked(meta)
    except (TypeError, ValueError) as e:
        raise TypeError(f"layer configs and metadata must hold JSON values only (no NaN, "
                        f"nesting at most {MAX_DEPTH} deep): {e}") from None
    if len(meta_bytes) > MAX_META_BYTES:
        raise ModelFileError(f"the metadata takes {len(meta_bytes):,} bytes; a model file holds "
                             f"at most {MAX_META_BYTES:,}")
    arrays["__meta__"] = np.frombuffer(meta_bytes, dtype=np.uint8)
    return atomic_write(path, lambda f: np.savez(f, **arrays))


# ---------------------------------------------------------------------------- reading
def read_meta(path):
    """The JSON metadata of a model file (every check but the arrays' contents), without
    building the model."""
    meta, _, archive = _open(path)
    archive.close()
    return meta


def _short(e):
    text = str(e).strip().splitlines()
    first = text[0][:200] if text else ""
    return f"{type(e).__name__}: {first}" if first else type(e).__name__


def _parse_meta(raw, path):
    try:
        meta = parse_canonical(raw)
    except RecursionError:
        raise ModelFileError(f"{path}: metadata is nested too deeply") from None
    except (UnicodeDecodeError, ValueError, TypeError) as e:
        raise ModelFileError(f"{path}: metadata is corrupt ({_short(e)})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFileError(f"{path} is not a glassnet model file")
    return meta


def _header(archive, info, path):
    """``(shape, dtype, data offset)`` from a member's ``.npy`` header, reading nothing more."""
    with archive.open(info) as f:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise ValueError(f"unsupported .npy version {version}")
        offset = f.tell()
    if dtype.hasobject:
        raise ValueError(f"member {info.filename} holds Python objects, which glassnet never "
                         "unpickles")
    if fortran or len(shape) > 8:
        raise ValueError(f"member {info.filename} is not an array glassnet writes")
    if math.prod(shape) * dtype.itemsize != info.file_size - offset:
        raise ValueError(f"member {info.filename} declares shape {shape} but holds "
                         f"{info.file_size - offset} bytes")
    return tuple(shape), dtype


def _open(path):
    """``(meta, headers, archive)``: validated metadata, each array's (shape, dtype), the open
    zip (the caller closes it). Nothing is read beyond headers and metadata."""
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ModelFileError(f"model file not found: {path}") from None
    except OSError as e:
        raise ModelFileError(f"cannot read model file {path}: {e.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        raise ModelFileError(f"{path} is a folder, not a model file")
    if not stat.S_ISREG(st.st_mode):
        raise ModelFileError(f"{path} is not a regular file (a pipe or a device?), so not a "
                             "glassnet model file")
    with open(path, "rb") as f:
        magic = f.read(4)
    if not magic:
        raise ModelFileError(f"{path} is empty, not a glassnet model file")
    if magic != b"PK\x03\x04":
        raise ModelFileError(f"{path} is not a glassnet model file (not an .npz archive)")
    try:
        archive = zipfile.ZipFile(path)
    except Exception as e:  # zip, zlib, struct: damaged bytes surface as many types
        raise ModelFileError(f"{path} is damaged or truncated ({_short(e)})") from None
    try:
        meta, headers = _check_archive(archive, path, st.st_size)
    except BaseException:
        archive.close()
        raise
    return meta, headers, archive


def _check_archive(archive, path, size):
    infos = archive.infolist()
    if "__meta__.npy" not in {i.filename for i in infos}:
        raise ModelFileError(f"{path} is not a glassnet model file (no metadata)")
    if len(infos) > _MAX_MEMBERS or len({i.filename for i in infos}) != len(infos):
        raise ModelFileError(f"{path} is damaged or truncated (its member list is not one "
                             "glassnet writes)")
    headers = {}
    try:
        for info in infos:
            name = info.filename[:-4] if info.filename.endswith(".npy") else None
            if name is None or not (name == "__meta__" or _ARRAY.match(name)):
                raise ModelFileError(f"{path}: unexpected member {info.filename[:80]!r}")
            if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 0x1:
                raise ModelFileError(f"{path}: member {name} is compressed or encrypted, which "
                                     "glassnet never writes")
            if info.file_size > size:
                raise ModelFileError(f"{path}: member {name} declares {info.file_size:,} bytes, "
                                     f"more than the whole file's {size:,}")
            headers[name] = _header(archive, info, path)
        shape, dtype = headers.pop("__meta__")
        if dtype != np.uint8 or len(shape) != 1:
            raise ModelFileError(f"{path} is not a glassnet model file (no metadata)")
        if shape[0] > MAX_META_BYTES:
            raise ModelFileError(f"{path}: metadata of {shape[0]:,} bytes is over the "
                                 f"{MAX_META_BYTES:,} a model file may hold")
        raw = np.lib.format.read_array(archive.open("__meta__.npy"), allow_pickle=False)
    except ModelFileError:
        raise
    except Exception as e:
        raise ModelFileError(f"{path} is damaged or truncated ({_short(e)})") from None
    raw = raw.tobytes()
    meta = _parse_meta(raw, path)
    _check_engine_fields(meta, path)
    if dumps_checked(meta) != raw:  # _parse_meta checked it
        raise ModelFileError(f"{path}: metadata is not in the form glassnet writes (the file "
                             "was edited after saving)")
    if meta["metadata_sha256"] != metadata_digest(meta, checked=True):
        raise ModelFileError(f"{path}: metadata does not match its checksum (the file was "
                             "altered after saving)")
    return meta, headers


def _check_engine_fields(meta, path):
    def bad(what):
        raise ModelFileError(f"{path}: {what}")

    version = meta.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int):
        bad(f"the format version {version!r} is not a number")
    if version > FORMAT_VERSION or version < 1:
        bad(f"format version {version!r}; this glassnet reads version {FORMAT_VERSION} "
            "(upgrade glassnet to read newer files)")
    if version < FORMAT_VERSION:
        bad(f"format version {version} carries no checksum of its metadata, so it cannot be "
            "checked; train the model again with this glassnet")
    if meta.get("dtype") not in ("float32", "float64"):
        bad(f"dtype {meta.get('dtype')!r} is not float32 or float64")
    if not isinstance(meta.get("glassnet_version"), str):
        bad("glassnet_version is missing")
    layers = meta.get("layers")
    if not isinstance(layers, list) or not layers:
        bad("the architecture (layers) is missing")
    for i, spec in enumerate(layers):
        if not (isinstance(spec, dict) and set(spec) == {"type", "config"}
                and isinstance(spec["type"], str) and isinstance(spec["config"], dict)):
            bad(f"layer {i} is not a {{type, config}} entry")
    loss = meta.get("loss")
    if loss is not None and not (isinstance(loss, dict) and set(loss) == {"type", "config"}
                                 and isinstance(loss["type"], str)
                                 and isinstance(loss["config"], dict)):
        bad("the loss is not a {type, config} entry")
    sums = meta.get("checksums")
    if not isinstance(sums, dict) or not all(isinstance(v, str) and _HEX64.match(v)
                                             for v in sums.values()):
        bad("the array checksums are missing or malformed")
    if not isinstance(meta.get("metadata_sha256"), str) or \
            not _HEX64.match(meta["metadata_sha256"]):
        bad("the metadata checksum is missing or malformed")


def _expected_shapes(meta, headers, path):
    """Check every array the layers declare against the ``.npy`` headers, before building."""
    declared = set()
    for i, spec in enumerate(meta["layers"]):
        try:
            shapes = layer_class(spec["type"]).param_shapes(spec["config"])
        except ValueError as e:
            raise ModelFileError(f"{path}: architecture in the metadata is invalid ({e})") \
                from None
        for key, shape in (shapes or {}).items():
            name = f"layers.{i}.{key}"
            declared.add(name)
            if name not in headers:
                raise ModelFileError(f"{path}: array {name} is missing")
            got, dtype = headers[name]
            if got != tuple(shape) or dtype != np.dtype(meta["dtype"]):
                raise ModelFileError(f"{path}: array {name} has shape {got} {dtype}, the "
                                     f"architecture needs {tuple(shape)} {meta['dtype']}")
    if set(meta["checksums"]) != set(headers):
        raise ModelFileError(f"{path}: the arrays do not match the checksum list "
                             f"(unexpected or missing: "
                             f"{sorted(set(meta['checksums']) ^ set(headers))[:5]})")
    return declared


def load(path):
    """``(model, meta)``: the model saved at ``path`` and the file's whole metadata."""
    meta, headers, archive = _open(path)
    with archive:
        _expected_shapes(meta, headers, path)
        try:
            dtype = np.dtype(meta["dtype"])
            layers = [layer_from_config(spec["type"], spec["config"], dtype=dtype)
                      for spec in meta["layers"]]
            model = Sequential(layers, dtype=dtype, initialize=False)
            if meta["loss"] is not None:
                loss_cls = losses.CLASSES.get(meta["loss"]["type"])
                if loss_cls is None:
                    raise ValueError(f"unknown loss {meta['loss']['type'][:80]!r}")
                model.loss_ = loss_cls(**meta["loss"]["config"])
        except (KeyError, TypeError, ValueError, AttributeError, LookupError, OverflowError,
                MemoryError, RecursionError) as e:
            raise ModelFileError(f"{path}: architecture in the metadata is invalid "
                                 f"({_short(e)})") from None
        expected = set()
        for i, layer in enumerate(model.layers):
            for k, p in layer.params.items():
                name = f"layers.{i}.{k}"
                expected.add(name)
                if name not in headers:
                    raise ModelFileError(f"{path}: array {name} is missing")
                shape, a_dtype = headers[name]
                if shape != p.shape or a_dtype != p.dtype:
                    raise ModelFileError(
                        f"{path}: array {name} has shape {shape} {a_dtype}, the architecture "
                        f"needs {p.shape} {p.dtype}")
        unexpected = set(headers) - expected
        if unexpected:
            raise ModelFileError(f"{path}: unexpected arrays {sorted(unexpected)[:5]}")
        for i, layer in enumerate(model.layers):
            for k, p in layer.params.items():
                name = f"layers.{i}.{k}"
                try:
                    a = np.lib.format.read_array(archive.open(name + ".npy"),
                                                 allow_pickle=False)
                except Exception as e:
                    raise ModelFileError(f"{path} is damaged or truncated ({_short(e)})") \
                        from None
                if meta["checksums"][name] != _sha256(a):
                    raise ModelFileError(f"{path}: array {name} does not match its checksum "
                                         "(the file was altered after saving)")
                if not np.all(np.isfinite(a)):
                    raise ModelFileError(f"{path}: array {name} holds NaN or infinity")
                p[...] = a
    return model, meta
