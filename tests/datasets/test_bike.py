import numpy as np

from glassnet.datasets.bike import BIKE_COLUMNS, load_bike_sharing


def test_bundled_hourly_table():
    df = load_bike_sharing()
    assert df.shape == (17_379, 17)
    assert tuple(df.columns) == BIKE_COLUMNS
    np.testing.assert_array_equal(df["cnt"], df["casual"] + df["registered"])
    assert df["dteday"].iloc[0] == "2011-01-01" and df["dteday"].iloc[-1] == "2012-12-31"
    assert df["hr"].between(0, 23).all()
