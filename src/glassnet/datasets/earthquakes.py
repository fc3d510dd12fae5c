"""The USGS significant-earthquakes catalogue 1965-2016, shipped as
``files/earthquakes_1965_2016.csv.gz`` (public domain; see ``files/NOTICE.md``).

``load_earthquakes`` parses Date and Time into one UTC timestamp: most rows write them as
``MM/DD/YYYY`` and ``HH:MM:SS``, three write an ISO timestamp (``1975-02-23T02:58:41.000Z``) in
both fields, and a row that fits neither, or lacks a coordinate, depth or magnitude, is counted
and skipped. ``earthquake_features`` turns the rows into the network's inputs.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd

__all__ = ["FEATURES", "earthquake_features", "load_earthquakes"]

FEATURES = ("years_since_1965", "time_of_day_sin", "time_of_day_cos", "day_of_year_sin",
            "day_of_year_cos", "latitude", "longitude", "x", "y", "z", "depth")


def _parse_time(df):
    """UTC timestamps from Date + Time; NaT where neither layout parses."""
    text = df["Date"].astype(str).str.strip() + " " + df["Time"].astype(str).str.strip()
    t = pd.to_datetime(text, format="%m/%d/%Y %H:%M:%S", errors="coerce", utc=True)
    iso = t.isna() & df["Date"].astype(str).str.contains("T", regex=False)
    t[iso] = pd.to_datetime(df.loc[iso, "Date"], format="ISO8601", errors="coerce", utc=True)
    return t


def load_earthquakes(path=None, return_skipped=False):
    """Rows ``time`` (UTC), ``latitude``, ``longitude``, ``depth`` (km), ``magnitude``, ``type``.

    Rows whose time cannot be parsed, or whose numbers are missing or out of range (latitude
    outside [-90, 90], longitude outside [-180, 180]), are skipped; ``return_skipped=True`` also
    returns them (with a ``reason`` column), so a caller can report how many and why.
    """
    if path is None:
        ref = resources.files("glassnet.datasets") / "files" / "earthquakes_1965_2016.csv.gz"
        with resources.as_file(ref) as p:
            raw = pd.read_csv(p, dtype=str)
    else:
        raw = pd.read_csv(path, dtype=str)
    missing = [c for c in ("Date", "Time", "Latitude", "Longitude", "Depth", "Magnitude")
               if c not in raw.columns]
    if missing:
        raise ValueError(f"earthquake file lacks columns {missing}")
    df = pd.DataFrame({"time": _parse_time(raw)})
    for src, dst in (("Latitude", "latitude"), ("Longitude", "longitude"), ("Depth", "depth"),
                     ("Magnitude", "magnitude")):
        df[dst] = pd.to_numeric(raw[src], errors="coerce")
    df["type"] = raw.get("Type", pd.Series("", index=raw.index)).fillna("")
    reason = pd.Series("", index=raw.index)
    reason[df["time"].isna()] = "unparseable date/time"
    for col in ("latitude", "longitude", "depth", "magnitude"):
        reason[(reason == "") & ~np.isfinite(df[col])] = f"missing or non-numeric {col}"
    reason[(reason == "") & (df["latitude"].abs() > 90)] = "latitude out of range"
    reason[(reason == "") & (df["longitude"].abs() > 180)] = "longitude out of range"
    bad = reason != ""
    good = df[~bad].reset_index(drop=True)
    if return_skipped:
        skipped = raw[bad].assign(reason=reason[bad])
        return good, skipped
    return good


def earthquake_features(df):
    """``(X, names)``: X (n, 11) float64 with the columns of ``FEATURES``.

    Time as years since 1965 plus the time of day and the day of the year on the unit circle
    (23:59 is next to 00:00, 31 December next to 1 January); the epicentre both as raw
    latitude/longitude and as a point (x, y, z) on the unit sphere, where the date line and the
    poles are no seams; depth in km.
    """
    t = df["time"]
    years = (t - pd.Timestamp("1965-01-01", tz="UTC")).dt.total_seconds() / (365.25 * 86400)
    hours = t.dt.hour + t.dt.minute / 60 + t.dt.second / 3600
    day = t.dt.day_of_year - 1 + hours / 24
    lat, lon = np.radians(df["latitude"]), np.radians(df["longitude"])
    cols = [years, np.sin(2 * np.pi * hours / 24), np.cos(2 * np.pi * hours / 24),
            np.sin(2 * np.pi * day / 365.25), np.cos(2 * np.pi * day / 365.25),
            df["latitude"], df["longitude"], np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon),
            np.sin(lat), df["depth"]]
    X = np.column_stack([np.asarray(c, dtype=np.float64) for c in cols])
    return X, list(FEATURES)
