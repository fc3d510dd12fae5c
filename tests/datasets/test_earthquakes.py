import numpy as np
import pandas as pd
import pytest

from glassnet.datasets.earthquakes import FEATURES, earthquake_features, load_earthquakes


def test_bundled_catalogue_parses_every_row_including_the_iso_ones():
    df, skipped = load_earthquakes(return_skipped=True)
    assert len(df) == 23_412 and len(skipped) == 0
    assert df["time"].is_monotonic_increasing  # the catalogue is in time order
    # the three rows whose Date field holds an ISO timestamp keep their time of day
    for stamp in ("1975-02-23 02:58:41", "1985-04-28 02:53:41.530", "2011-03-13 02:23:34.520"):
        assert (df["time"] == pd.Timestamp(stamp, tz="UTC")).sum() == 1, stamp
    assert df["magnitude"].between(5.5, 9.1).all()


def test_bad_rows_are_counted_and_skipped_not_crashed_on(tmp_path):
    path = tmp_path / "quakes.csv"
    path.write_text(
        "Date,Time,Latitude,Longitude,Type,Depth,Magnitude\n"
        "01/02/1965,13:44:18,19.246,145.616,Earthquake,131.6,6\n"
        "1975-02-23T02:58:41.000Z,1975-02-23T02:58:41.000Z,8.017,124.075,Earthquake,623,5.6\n"
        "13/45/1999,10:00:00,1.0,2.0,Earthquake,10,5.5\n"
        "02/03/2000,10:00:00,1.0,2.0,Earthquake,10,\n"
        "02/04/2000,10:00:00,95.0,2.0,Earthquake,10,5.9\n")
    df, skipped = load_earthquakes(path, return_skipped=True)
    assert len(df) == 2
    assert df["time"].iloc[1] == pd.Timestamp("1975-02-23 02:58:41", tz="UTC")
    assert skipped["reason"].tolist() == ["unparseable date/time", "missing or non-numeric "
                                          "magnitude", "latitude out of range"]


def test_features_are_cyclical_and_on_the_unit_sphere():
    df = pd.DataFrame({
        "time": pd.to_datetime(["1965-01-01 00:00:00", "1965-01-01 23:59:59",
                                "2000-07-01 12:00:00"], utc=True),
        "latitude": [90.0, 0.0, -45.0], "longitude": [0.0, 180.0, -179.9],
        "depth": [10.0, 33.0, 600.0], "magnitude": [6.0, 5.5, 7.0]})
    X, names = earthquake_features(df)
    assert names == list(FEATURES) and X.shape == (3, len(FEATURES))
    col = {n: X[:, i] for i, n in enumerate(names)}
    assert col["years_since_1965"][0] == 0.0
    # one second before midnight sits next to midnight on the time-of-day circle
    assert np.hypot(col["time_of_day_sin"][1] - col["time_of_day_sin"][0],
                    col["time_of_day_cos"][1] - col["time_of_day_cos"][0]) < 1e-3
    assert np.allclose(col["x"] ** 2 + col["y"] ** 2 + col["z"] ** 2, 1.0)
    assert col["z"][0] == pytest.approx(1.0)  # the north pole
    assert col["x"][1] == pytest.approx(-1.0)  # (0, 180): the far side of the equator
