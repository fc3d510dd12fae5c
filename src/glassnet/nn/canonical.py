"""Canonical JSON for model files: the one byte string the writer produces for a value, and a
reader that accepts exactly that and nothing it does not need.

``canonical_json`` sorts keys, writes no spaces and escapes everything outside ASCII, so the same
metadata always gives the same bytes (and the same checksum). ``parse_canonical`` refuses what
the writer never writes and what costs a reader unbounded work: NaN and infinity, integers of
more than ``MAX_INT_DIGITS`` digits (Python's int parse is quadratic), nesting over ``MAX_DEPTH``
levels (a recursion bomb), a key given twice.
"""

from __future__ import annotations

import hashlib
import json
import math

__all__ = ["MAX_DEPTH", "MAX_INT_DIGITS", "canonical_json", "check_json", "dumps_checked",
           "metadata_digest", "parse_canonical"]

MAX_DEPTH = 32
MAX_INT_DIGITS = 20


def check_json(value, depth=0):
    """Raise ValueError unless ``value`` is JSON the reader accepts (see the module doc)."""
    if depth > MAX_DEPTH:
        raise ValueError(f"nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                raise ValueError(f"key {k!r} is not a string")
            check_json(v, depth + 1)
    elif isinstance(value, (list, tuple)):
        for v in value:
            check_json(v, depth + 1)
    elif isinstance(value, bool) or value is None or isinstance(value, str):
        pass
    elif isinstance(value, int):
        if len(str(abs(value))) > MAX_INT_DIGITS:
            raise ValueError(f"an integer has more than {MAX_INT_DIGITS} digits")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a finite number")
    else:
        raise TypeError(f"{type(value).__name__} is not a JSON value")


def dumps_checked(value):
    """``canonical_json`` of a value already through ``check_json``."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True,
                      allow_nan=False).encode("ascii")


def canonical_json(value):
    """The one byte string the writer produces for ``value``: sorted keys, no spaces, ASCII."""
    check_json(value)
    return dumps_checked(value)


def metadata_digest(meta, checked=False):
    """SHA-256 (hex) of the canonical JSON of ``meta`` without its ``metadata_sha256``
    (``checked``: ``meta`` already passed ``check_json``)."""
    rest = {k: v for k, v in meta.items() if k != "metadata_sha256"}
    return hashlib.sha256(dumps_checked(rest) if checked else canonical_json(rest)).hexdigest()


def _refuse_constant(name):
    raise ValueError(f"{name} is not allowed")


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} overflows a float")
    return value


def _bounded_int(text):
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"an integer has more than {MAX_INT_DIGITS} digits")
    return int(text)


def _unique_keys(pairs):
    out = dict(pairs)
    if len(out) != len(pairs):
        raise ValueError("a key appears twice in one object")
    return out


def parse_canonical(raw):
    """The JSON value of the ASCII bytes ``raw``, checked as above: ``ValueError`` (or
    ``UnicodeDecodeError``, ``RecursionError``) for anything the writer would not write."""
    value = json.loads(raw.decode("ascii"), parse_constant=_refuse_constant,
                       parse_float=_finite_float, parse_int=_bounded_int,
                       object_pairs_hook=_unique_keys)
    check_json(value)
    return value
