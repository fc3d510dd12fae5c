"""The fitted preprocessing of a model bundle as ONNX nodes, one raw column at a time, and the
inputs such a graph takes from a DataFrame (``onnx_feed``).

Each column of ``TabularPreprocessor.columns_`` becomes one graph input named after it, of
shape (n, 1), and a block of float64 feature columns computed exactly as
``glassnet.data.columns.transform_column`` computes them:

===========  ===============  ==========================================================
role         input            features
===========  ===============  ==========================================================
numeric      double, NaN      (x - mean) / std; NaN -> training median, + 0/1 indicator
             missing
boolean      string, ""       true/t/yes/y/1 -> 1, false/f/no/n/0 -> 0 (any case, spaces
             missing          around), "" -> training majority, + indicator; any other
                              text gives NaN features (``glassnet predict`` refuses it)
categorical  string, ""       one-hot over the training categories (spaces around a value
             missing, or      ignored); unseen values all zero; missing its own column
             double, NaN      when training had missing values. Double input when every
             missing          training category is a number (3 and 3.0 are one category)
datetime     double: seconds  only with ``dates_as_seconds``: an ONNX graph cannot parse
             since 1970 UTC   date text. Standardized timestamp, sin/cos of the hour, the
                              weekday and the day of the year, from the seconds alone
===========  ===============  ==========================================================
"""

from __future__ import annotations

import math
import re

import numpy as np

from .errors import UsageError

__all__ = ["encode_column", "onnx_feed"]

_TRUE = r"true|t|yes|y|1|1\.0"
_FALSE = r"false|f|no|n|0|0\.0"


def encode_column(g, spec, dates_as_seconds=False):
    """Add column ``spec``'s input and encoding to graph builder ``g``; returns
    ``(name of the (n, k) float64 block, input description for the metadata)``."""
    name, role = spec["name"], spec["role"]
    if role == "numeric":
        x = g.input(name, "double", f"numeric: NaN when missing; standardized with mean "
                                    f"{spec['mean']:.6g}, std {spec['scale']:.6g}")
        return _standardized(g, x, spec), {"name": name, "role": role, "type": "double"}
    if role == "boolean":
        x = g.input(name, "string", 'boolean: true/false, yes/no, t/f, y/n or 1/0 as text, '
                                    '"" when missing')
        return _boolean(g, x, spec), {"name": name, "role": role, "type": "string"}
    if role == "categorical":
        return _categorical(g, spec)
    if role == "datetime":
        if not dates_as_seconds:
            raise UsageError(
                f"column {name!r} holds dates, and an ONNX graph cannot parse date text, so it "
                "cannot take this column raw; export with --dates-as-seconds "
                "(dates_as_seconds=True) to take it as seconds since 1970-01-01 UTC, or train "
                f"without it (--drop {name})")
        what = "seconds after midnight" if spec["time_only"] else "seconds since 1970-01-01 UTC"
        x = g.input(name, "double", f"datetime as {what}; NaN when missing")
        return _datetime(g, x, spec), {"name": name, "role": role, "type": "double",
                                       "time_only": spec["time_only"]}
    raise UsageError(f"column {name!r} has role {role!r}, which ONNX export does not know")


def _finish(g, cols, missing, spec):
    """Concatenate the feature columns, with the missing indicator when training had one."""
    if spec["indicator"]:
        cols = [*cols, g.op("Cast", missing, to="double")]
    return cols[0] if len(cols) == 1 else g.op("Concat", *cols, axis=1)


def _standardized(g, x, spec):
    missing = g.op("IsNaN", x)
    filled = g.op("Where", missing, g.const(spec["median"]), x)
    z = g.op("Div", g.op("Sub", filled, g.const(spec["mean"])), g.const(spec["scale"]))
    return _finish(g, [z], missing, spec)


def _match(g, x, pattern, flags=""):
    """x (strings) fully matches the RE2 ``pattern``, surrounding whitespace allowed."""
    return g.op("RegexFullMatch", x, pattern=rf"\s*(?{flags}:{pattern})\s*")


def _literal(text):
    """``text`` as an RE2 pattern matching itself (RE2 rejects some of ``re.escape``'s escapes)."""
    return re.sub(r"([\\.+*?()|\[\]{}^$])", r"\\\1", text)


def _boolean(g, x, spec):
    missing = g.op("Equal", x, g.const(np.array([""], dtype=object)))
    nan, value = g.const(math.nan), g.const(spec["fill"])
    v = g.op("Where", missing, value, nan)
    v = g.op("Where", _match(g, x, _FALSE, "i"), g.const(0.0), v)
    v = g.op("Where", _match(g, x, _TRUE, "i"), g.const(1.0), v)
    return _finish(g, [v], missing, spec)


def _number(text):
    """The float a category string stands for, or None (as ``_category_strings`` writes
    numbers: whole ones as integers, others as ``repr(float)``)."""
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    canonical = str(int(value)) if value.is_integer() else repr(value)
    return value if canonical == text else None


def _categorical(g, spec):
    name, cats = spec["name"], spec["categories"]
    unseen = ("rare values and values never seen in training go to <other>" if spec.get("other")
              else "values never seen in training give zeros")
    numbers = [_number(c) for c in cats]
    if cats and all(v is not None for v in numbers):
        x = g.input(name, "double", f"categorical, as numbers: {len(cats)} categories; NaN "
                                    f"when missing; {unseen}")
        hot = g.op("Cast", g.op("Equal", x, g.const(np.array([numbers]))), to="double")
        missing = g.op("IsNaN", x)
        kind = "double"
    else:
        if "" in cats:
            raise UsageError(f"column {name!r} has a category of blank text, which an ONNX "
                             'input cannot tell apart from a missing value ("")')
        x = g.input(name, "string", f'categorical: {len(cats)} categories; "" when missing; '
                                    f"{unseen}")
        hot = [g.op("Cast", _match(g, x, _literal(c)), to="double") for c in cats]
        hot = hot[0] if len(hot) == 1 else g.op("Concat", *hot, axis=1)
        missing = g.op("Equal", x, g.const(np.array([""], dtype=object)))
        kind = "string"
    cols = [hot] if cats else []
    if spec.get("other"):  # rare categories and unseen values: 1 where no category matched
        miss = g.op("Cast", missing, to="double")
        seen = g.op("MatMul", hot, g.const(np.ones((len(cats), 1)))) if cats else None
        cols.append(g.op("Sub", g.const(np.ones((1, 1))),
                         miss if seen is None else g.op("Add", seen, miss)))
    if spec["missing"]:
        cols.append(g.op("Cast", missing, to="double"))
    if not cols:  # pragma: no cover - a fitted column has categories or missing values
        raise UsageError(f"column {name!r} has no categories")
    block = cols[0] if len(cols) == 1 else g.op("Concat", *cols, axis=1)
    return block, {"name": name, "role": "categorical", "type": kind}


def _floor_div(g, a, b):
    return g.op("Floor", g.op("Div", a, g.const(float(b))))


def _cyclic(g, values, period):
    """sin and cos of 2 pi values / period, in ``_cyclic``'s order of operations."""
    angle = g.op("Div", g.op("Mul", g.const(2 * np.pi), values), g.const(float(period)))
    # cos(a) as sin(a + pi/2): onnxruntime 1.23, the last release for Python 3.10, has no
    # Cos kernel for doubles (the difference is one rounding of the sum, ~1e-16 |a|)
    return [g.op("Sin", angle), g.op("Sin", g.op("Add", angle, g.const(np.pi / 2)))]


def _day_of_year(g, days):
    """Day of the year, 0-based, of ``days`` since 1970-01-01: Hinnant's ``civil_from_days``
    (exact in float64 for any date pandas can hold)."""
    z = g.op("Add", days, g.const(719468.0))
    era = _floor_div(g, z, 146097)
    doe = g.op("Sub", z, g.op("Mul", era, g.const(146097.0)))            # day of the era
    yoe = g.op("Sub", g.op("Add", g.op("Sub", doe, _floor_div(g, doe, 1460)),
                           _floor_div(g, doe, 36524)), _floor_div(g, doe, 146096))
    yoe = _floor_div(g, yoe, 365)                                         # year of the era
    y = g.op("Add", yoe, g.op("Mul", era, g.const(400.0)))               # March-based year
    start = g.op("Add", g.op("Mul", g.const(365.0), yoe),
                 g.op("Sub", _floor_div(g, yoe, 4), _floor_div(g, yoe, 100)))
    doy = g.op("Sub", doe, start)                     # 0 = March 1st of year y
    leap = g.op("And", g.op("Equal", _mod(g, y, 4), g.const(0.0)),
                g.op("Or", g.op("Not", g.op("Equal", _mod(g, y, 100), g.const(0.0))),
                     g.op("Equal", _mod(g, y, 400), g.const(0.0))))
    march = g.op("Add", g.const(59.0), g.op("Cast", leap, to="double"))  # Jan + Feb of year y
    return g.op("Where", g.op("GreaterOrEqual", doy, g.const(306.0)),
                g.op("Sub", doy, g.const(306.0)),                         # Jan/Feb of y + 1
                g.op("Add", doy, march))


def _mod(g, a, b):
    return g.op("Sub", a, g.op("Mul", _floor_div(g, a, b), g.const(float(b))))


def _datetime(g, x, spec):
    missing = g.op("IsNaN", x)
    cols = [_standardized(g, x, {**spec, "indicator": False})]
    filled = g.op("Where", missing, g.const(spec["median"]), x)
    days = _floor_div(g, filled, 86400)
    if spec["time_of_day"]:
        # hour + minute / 60 + second / 3600 from whole seconds, as pandas' dt fields give
        sec = g.op("Floor", g.op("Sub", filled, g.op("Mul", days, g.const(86400.0))))
        hour = _floor_div(g, sec, 3600)
        rest = g.op("Sub", sec, g.op("Mul", hour, g.const(3600.0)))
        minute = _floor_div(g, rest, 60)
        second = g.op("Sub", rest, g.op("Mul", minute, g.const(60.0)))
        hours = g.op("Add", g.op("Add", hour, g.op("Div", minute, g.const(60.0))),
                     g.op("Div", second, g.const(3600.0)))
        cols += _cyclic(g, hours, 24.0)
    if not spec["time_only"]:
        cols += _cyclic(g, _mod(g, g.op("Add", days, g.const(3.0)), 7), 7.0)  # Monday = 0
        cols += _cyclic(g, _day_of_year(g, days), 365.25)
    return _finish(g, cols, missing, spec)


# ---------------------------------------------------------------------------- inputs
def onnx_feed(inputs, df):
    """The input arrays of an exported graph for the raw rows of DataFrame ``df``.

    ``inputs``: the ``glassnet_inputs`` list of the graph's metadata (``input_columns``
    reads it from a model, a file or an ``onnxruntime.InferenceSession``). Each array is
    (n, 1): numbers as float64 with NaN for missing (the same parsing as ``glassnet
    predict``), text as strings with "" for missing, dates as seconds since 1970.
    """
    from .data.columns import _category_strings, _parse_datetime, _seconds
    from .data.reading import parse_numeric

    absent = [item["name"] for item in inputs if item["name"] not in df.columns]
    if absent:
        from .errors import DataError

        raise DataError(f"the data lacks columns the model was trained on: {absent}")
    feed = {}
    for item in inputs:
        name, s = item["name"], df[item["name"]]
        if item["role"] == "datetime":
            values = _seconds(_parse_datetime(s, name, item["time_only"])).to_numpy(np.float64)
        elif item["type"] == "double":
            values = parse_numeric(s, name).to_numpy(dtype=np.float64)
        else:
            text = _category_strings(s) if item["role"] == "categorical" else s.astype(str)
            values = np.where(s.isna().to_numpy(), "", text.to_numpy(dtype=object)).astype(object)
        feed[name] = values.reshape(-1, 1)
    return feed
