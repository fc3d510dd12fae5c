"""The UCI Bike Sharing data set (hourly rentals in Washington D.C., 2011-2012), shipped with
glassnet as ``files/bike_sharing_hour.csv.gz``.

Fanaee-T, H. and Gama, J. (2013), "Event labeling combining ensemble detectors and background
knowledge", Progress in Artificial Intelligence. CC BY 4.0 (UCI Machine Learning Repository);
see ``files/bike_sharing_README.txt``.
"""

from __future__ import annotations

from importlib import resources

__all__ = ["BIKE_COLUMNS", "load_bike_sharing"]

BIKE_COLUMNS = ("instant", "dteday", "season", "yr", "mnth", "hr", "holiday", "weekday",
                "workingday", "weathersit", "temp", "atemp", "hum", "windspeed", "casual",
                "registered", "cnt")


def load_bike_sharing():
    """The 17,379 hourly rows of ``hour.csv`` as a DataFrame, in time order.

    Columns as in the original: ``dteday`` is the date (text, YYYY-MM-DD), ``temp``, ``atemp``,
    ``hum`` and ``windspeed`` are already scaled to [0, 1], ``cnt = casual + registered`` is the
    number of rentals in that hour.
    """
    import pandas as pd  # imported here so `import glassnet.datasets` stays light

    ref = resources.files("glassnet.datasets") / "files" / "bike_sharing_hour.csv.gz"
    with resources.as_file(ref) as path:
        df = pd.read_csv(path)
    missing = [c for c in BIKE_COLUMNS if c not in df.columns]
    if missing:  # a damaged installation, not a user error
        raise ValueError(f"bundled bike sharing file lacks columns {missing}")
    return df
