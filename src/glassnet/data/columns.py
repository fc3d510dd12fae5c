"""Per-column encoders of ``TabularPreprocessor``: fit a column's statistics, then turn the
column into feature columns with them.

A fitted column is a JSON dict ``spec`` (``{"name", "role", ...statistics}``), so the whole
preprocessor state saves as JSON inside a model file.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..errors import DataError, shorten
from .reading import first_bad, parse_numeric
from .roles import _FALSE, _TRUE, TIME_ONLY

__all__ = ["UnseenCategoryWarning", "column_names", "fit_column", "fit_numeric", "label_value",
           "numeric_block", "plain_numbers", "transform_column", "transform_numeric"]


class UnseenCategoryWarning(UserWarning):
    """A categorical value (or a missing one) that training never saw: encoded as all zeros."""


def _category_strings(s):
    """Values as the strings categories are stored under (so 3, 3.0 and "3" agree)."""
    out = pd.Series(np.nan, index=s.index, dtype=object)
    present = s.notna().to_numpy()
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        v = s.to_numpy(dtype=np.float64)
        whole = present & (np.mod(np.where(present, v, 0), 1) == 0)
        out[whole] = v[whole].astype(np.int64).astype(str)
        other = present & ~whole
        out[other] = [repr(float(x)) for x in v[other]]
    else:
        out[present] = s[present].astype(str).str.strip().to_numpy()
    return out


def label_value(v):
    """A class label as a JSON value: whole numbers as int, then float, bool, else str."""
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return int(v) if float(v).is_integer() else float(v)
    return str(v).strip()


def _parse_boolean(s, column):
    if pd.api.types.is_bool_dtype(s):
        return s.astype(np.float64)
    if pd.api.types.is_numeric_dtype(s):
        values = s.astype(np.float64)
        bad = values.notna() & ~values.isin([0.0, 1.0])
    else:
        lowered = s.map(lambda v: str(v).strip().lower(), na_action="ignore")
        values = pd.Series(np.nan, index=s.index)
        values[lowered.isin(_TRUE | {"1", "1.0"})] = 1.0
        values[lowered.isin(_FALSE | {"0", "0.0"})] = 0.0
        bad = values.isna() & lowered.notna()
    if bad.any():
        row, value = first_bad(s, bad)
        raise DataError(f"column {column!r} is boolean but row {row} holds {value!r}")
    return values


def _is_time_only(s):
    """True when the column holds times of day ("13:44:18") rather than dates."""
    if pd.api.types.is_datetime64_any_dtype(s):
        return False
    values = s.dropna().astype(str)
    return bool(len(values)) and bool(values.str.match(TIME_ONLY).mean() >= 0.9)


def _parse_datetime(s, column, time_only=False):
    """Timestamps (naive, UTC) of column ``s``; with ``time_only``, every value's time of day
    on 1970-01-01 (pandas would otherwise date a bare "13:44" today, which moves daily)."""
    if pd.api.types.is_datetime64_any_dtype(s):
        parsed = s if s.dt.tz is None else s.dt.tz_convert("UTC").dt.tz_localize(None)
    else:
        text = s.astype(str).str.strip().where(s.notna())
        if time_only:
            bare = text.str.match(TIME_ONLY).fillna(False).astype(bool)
            text = text.where(~bare, "1970-01-01 " + text)
        parsed = pd.to_datetime(text, errors="coerce", format="mixed", utc=True)
        parsed = parsed.dt.tz_localize(None)
        bad = parsed.isna() & s.notna() & (text != "")
        if bad.any():
            row, value = first_bad(s, bad)
            raise DataError(f"column {column!r} holds dates but row {row} holds {value!r}")
    if time_only:
        parsed = pd.Timestamp("1970-01-01") + (parsed - parsed.dt.normalize())
    return parsed


def _cyclic(values, period):
    angle = 2 * np.pi * values / period
    return np.sin(angle), np.cos(angle)


def fit_column(s, name, role, report, dtype="float64"):
    """The fitted statistics (a JSON dict) of column ``s`` in ``role``; ``None`` for roles
    that make no features. Counts of what was found go into ``report``; a numeric value beyond
    ``dtype``'s range is an error naming the row."""
    n_missing = int(s.isna().sum())
    if role in ("text", "id"):
        report["ignored"][name] = role
        return None
    if role == "categorical":
        values = _category_strings(s)
        categories = sorted(values.dropna().unique().tolist())
        if n_missing:
            report["missing_category"][name] = n_missing
        return {"name": name, "role": role, "categories": categories,
                "missing": bool(n_missing)}
    if role == "boolean":
        values = _parse_boolean(s, name)
        observed = values.dropna()
        fill = float(observed.mean() >= 0.5) if len(observed) else 0.0
        spec = {"name": name, "role": role, "fill": fill}
    elif role == "numeric":
        values = parse_numeric(s, name)
        spec = {"name": name, "role": role, **_numeric_stats(values, name, report, dtype)}
    elif role == "datetime":
        time_only = _is_time_only(s)
        parsed = _parse_datetime(s, name, time_only)
        seconds = _seconds(parsed)
        spec = {"name": name, "role": role, "time_only": time_only,
                **_numeric_stats(seconds, name, report)}
        times = parsed.dropna()
        # Hour features only when times of day vary: a date column whose odd row carries a
        # time (an ISO timestamp among plain dates) would give near-constant features.
        seconds_of_day = times.dt.hour * 3600 + times.dt.minute * 60 + times.dt.second
        spec["time_of_day"] = bool(len(times)) and bool((seconds_of_day != 0).mean() >= 0.05)
    else:  # pragma: no cover - infer_roles validates roles
        raise DataError(f"unknown role {role!r}")
    spec["indicator"] = bool(n_missing)
    if n_missing:
        report["imputed"][name] = n_missing
    return spec


def _seconds(parsed):
    # seconds since 1970, as float64 (NaN where missing)
    return (parsed - pd.Timestamp("1970-01-01")).dt.total_seconds()


def _numeric_stats(values, name, report, dtype="float64", index=None):
    """Mean, scale and median of one column's values (a Series, or an array with its row
    ``index``); a value beyond ``dtype`` (or too large to average) is an error naming its row."""
    v = values.to_numpy(dtype=np.float64) if index is None else values
    index = values.index if index is None else index
    observed = v[~np.isnan(v)]
    if observed.size == 0:
        report["constant"].append(name)
        return {"mean": 0.0, "scale": 1.0, "median": 0.0}
    with np.errstate(over="ignore", invalid="ignore"):
        mean, std = float(observed.mean()), float(observed.std())
    big = np.abs(v) > np.finfo(dtype).max
    if big.any() or not (np.isfinite(mean) and np.isfinite(std)):
        pos = int(np.argmax(big if big.any() else np.abs(v) == np.nanmax(np.abs(v))))
        limit = "the range of " + dtype if big.any() else "what float64 can average"
        raise DataError(f"column {shorten(name, 60)!r} holds {v[pos]:g} at row {index[pos]}, "
                        f"beyond {limit}; rescale the column (or train with --dtype float64)")
    if std == 0:
        report["constant"].append(name)
        std = 1.0
    return {"mean": mean, "scale": std, "median": float(np.median(observed))}


# ---------------------------------------------------------------------------- many at once
def plain_numbers(df, names):
    """Those of ``names`` whose column has a plain NumPy number dtype (float, int, bool): they
    parse as one array, with no per-column pandas call (a table of 20,000 columns)."""
    dtypes = dict(zip(df.columns, df.dtypes))
    unique = df.columns.is_unique
    return [name for name in names if unique and isinstance(dtypes.get(name), np.dtype)
            and dtypes[name].kind in "fiub"]


def numeric_block(df, names):
    """The columns ``names`` (``plain_numbers``) as a column-major float64 (n, m) array, with
    ``parse_numeric``'s check: an infinite value is an error naming column and row."""
    if not names:
        return np.zeros((len(df), 0))
    raw = np.asfortranarray(df[names].to_numpy(dtype=np.float64))
    infinite = np.isinf(raw)
    if infinite.any():
        r, c = np.argwhere(infinite)[0]
        raise DataError(f"column {shorten(names[c], 60)!r} holds {raw[r, c]} (infinite) at row "
                        f"{df.index[r]}")
    return raw


def fit_numeric(df, names, dtype):
    """``{name: (spec, imputed count, constant)}``: ``fit_column``'s numeric specs of the
    columns ``names``, from one ``numeric_block``."""
    raw = numeric_block(df, names)
    out = {}
    for j, name in enumerate(names):
        col = raw[:, j]
        scratch = {"constant": []}
        spec = {"name": name, "role": "numeric",
                **_numeric_stats(col, name, scratch, dtype, df.index)}
        n_missing = int(np.isnan(col).sum())
        spec["indicator"] = bool(n_missing)
        out[name] = (spec, n_missing, bool(scratch["constant"]))
    return out


def transform_numeric(df, specs):
    """``(z, missing)``, both (n, m): ``transform_column``'s standardized values and missing
    masks of the numeric ``specs`` (columns from ``plain_numbers``), computed at once."""
    raw = numeric_block(df, [spec["name"] for spec in specs])
    missing = np.isnan(raw)
    median, mean, scale = (np.array([spec[k] for spec in specs], dtype=np.float64)
                           for k in ("median", "mean", "scale"))
    return (np.where(missing, median, raw) - mean) / scale, missing


def column_names(spec):
    """The feature names a fitted column spec produces, in order."""
    name, role = spec["name"], spec["role"]
    if role == "categorical":
        cats = spec["categories"] + (["<missing>"] if spec["missing"] else [])
        return [f"{name}={c}" for c in cats]
    if role == "datetime":
        parts = ["timestamp", *(["hour_sin", "hour_cos"] if spec["time_of_day"] else []),
                 *([] if spec["time_only"] else ["weekday_sin", "weekday_cos", "dayofyear_sin",
                                                 "dayofyear_cos"])]
        names = [f"{name}__{p}" for p in parts]
    else:
        names = [name]
    return names + ([f"{name}__missing"] if spec["indicator"] else [])


def transform_column(s, spec, report, out=None):
    """The (n, k) feature block of column ``s`` under its fitted ``spec``; counts of imputed
    and unseen values go into ``report``. A one-hot block is written into ``out`` (an (n, k)
    view of the whole input matrix) when given, so no float64 copy of it is ever made."""
    name, role = spec["name"], spec["role"]
    n = len(s)
    if role == "categorical":
        values = _category_strings(s)
        cats = spec["categories"]
        width = len(cats) + spec["missing"]
        if out is None:
            out = np.zeros((n, width))
        else:
            out[...] = 0
        is_missing = values.isna().to_numpy()
        # -1 marks both missing and unseen values; they are told apart just below.
        codes = pd.Index(cats, dtype=object).get_indexer(values).astype(np.int64)
        codes[is_missing] = -1
        values = values.to_numpy()
        if spec["missing"]:
            codes[is_missing] = len(cats)
        else:
            new_missing = int(is_missing.sum())
            if new_missing:
                report["unseen"][name] = {"count": new_missing, "values": ["<missing>"]}
                warnings.warn(
                    f"column {name!r}: {new_missing} missing value(s), but training had none: "
                    "encoded as all zeros", UnseenCategoryWarning, stacklevel=3,
                )
        unseen = (codes < 0) & ~is_missing
        if unseen.any():
            examples = sorted({str(v) for v in values[unseen]})[:5]
            entry = report["unseen"].setdefault(name, {"count": 0, "values": []})
            entry["count"] += int(unseen.sum())
            entry["values"] = examples + entry["values"]
            warnings.warn(
                f"column {name!r}: {int(unseen.sum())} value(s) never seen in training "
                f"{examples} are encoded as all zeros", UnseenCategoryWarning, stacklevel=3,
            )
        rows = np.nonzero(codes >= 0)[0]
        out[rows, codes[rows]] = 1.0
        return out
    if role == "boolean":
        v = _parse_boolean(s, name).to_numpy(dtype=np.float64)
        missing = np.isnan(v)
        v = np.where(missing, spec["fill"], v)
        cols = [v]
    else:
        if role == "numeric":
            raw = parse_numeric(s, name).to_numpy(dtype=np.float64)
        else:
            parsed = _parse_datetime(s, name, spec["time_only"])
            raw = _seconds(parsed).to_numpy(dtype=np.float64)
        missing = np.isnan(raw)
        filled = np.where(missing, spec["median"], raw)
        cols = [(filled - spec["mean"]) / spec["scale"]]
        if role == "datetime":
            cols += _calendar(parsed, missing, spec)
    if missing.any():
        report["imputed"][name] = int(missing.sum())
    if spec["indicator"]:
        cols.append(missing.astype(np.float64))
    return np.column_stack(cols)


def _calendar(parsed, missing, spec):
    # Missing dates take the median timestamp's calendar position, as the timestamp does.
    median = pd.Timestamp("1970-01-01") + pd.Timedelta(seconds=spec["median"])
    filled = parsed.where(~missing, median)
    cols = []
    if spec["time_of_day"]:
        hours = (filled.dt.hour + filled.dt.minute / 60 + filled.dt.second / 3600).to_numpy()
        cols += _cyclic(hours.astype(np.float64), 24.0)
    if not spec["time_only"]:
        cols += _cyclic(filled.dt.day_of_week.to_numpy(dtype=np.float64), 7.0)
        cols += _cyclic(filled.dt.day_of_year.to_numpy(dtype=np.float64) - 1, 365.25)
    return list(cols)
