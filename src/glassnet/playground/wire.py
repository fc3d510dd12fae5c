"""Binary messages: a JSON header and packed arrays in one WebSocket frame.

Layout (all little-endian)::

    uint32 n | n bytes of UTF-8 JSON header, space-padded so arrays start 4-byte aligned |
    array 0 | pad | array 1 | pad | ...

The header holds the message's fields and ``blocks``: for each array its name, dtype
("uint8" or "float32"), shape and byte offset from the start of the frame. A page reads an
array as ``new Float32Array(buffer, offset, count)`` without copying. Maps travel as uint8 (a
value v in [-1, 1] as round((v + 1) * 127.5)), so a 50 x 50 map is 2,500 bytes where JSON
numbers would take about ten times that.
"""

from __future__ import annotations

import json
import struct

import numpy as np

__all__ = ["pack", "quantize", "unpack"]

_DTYPES = {"uint8": np.dtype("<u1"), "float32": np.dtype("<f4")}


def quantize(values):
    """Values in [-1, 1] (clipped; NaN counts as 0) as uint8 0..255, 0 -> 128."""
    v = np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0, posinf=1.0, neginf=-1.0)
    return np.rint((np.clip(v, -1.0, 1.0) + 1.0) * 127.5).astype(np.uint8)


def _pad(n):
    return -n % 4


def pack(header, blocks):
    """One binary frame of ``header`` (a JSON-able dict) and ``blocks``, (name, array) pairs
    whose arrays are uint8 or float32 (others are cast to float32)."""
    arrays = []
    for name, a in blocks:
        a = np.asarray(a)
        kind = "uint8" if a.dtype == np.uint8 else "float32"
        arrays.append((name, np.ascontiguousarray(a, dtype=_DTYPES[kind]), kind))
    # offsets depend on the header's length, which depends on the offsets: lay the arrays out
    # after a header sized with provisional offsets, growing it until the layout holds
    size = 0
    while True:
        offset = 4 + size + _pad(4 + size)
        described = []
        for name, a, kind in arrays:
            described.append({"name": name, "dtype": kind, "shape": list(a.shape),
                              "offset": offset})
            offset += a.nbytes + _pad(a.nbytes)
        text = json.dumps({**header, "blocks": described}, separators=(",", ":"),
                          allow_nan=False).encode("utf-8")
        if len(text) <= size:
            break
        size = len(text) + 16
    head = text + b" " * (size - len(text) + _pad(4 + size))
    parts = [struct.pack("<I", len(head)), head]
    for _, a, _ in arrays:
        parts += [a.tobytes(), b"\0" * _pad(a.nbytes)]
    return b"".join(parts)


def unpack(frame):
    """``(header, {name: array})`` of a frame made by ``pack`` (for tests and benchmarks)."""
    (n,) = struct.unpack_from("<I", frame)
    header = json.loads(frame[4:4 + n].decode("utf-8"))
    arrays = {}
    for block in header["blocks"]:
        dtype = _DTYPES[block["dtype"]]
        count = int(np.prod(block["shape"], dtype=np.int64))
        arrays[block["name"]] = np.frombuffer(frame, dtype, count,
                                              block["offset"]).reshape(block["shape"])
    return header, arrays
