import numpy as np

from glassnet.datasets.bike import load_bike_sharing
from glassnet.projects import bike


def test_preparation_splits_by_time_and_scales_with_train_statistics():
    df = load_bike_sharing()
    data = bike.prepare(df)
    n_train = len(df) - 81 * 24
    assert [len(data[s][0]) for s in ("train", "validation", "test")] == [n_train, 1440, 504]
    assert len(data["features"]) == 56
    assert not {"instant", "dteday", "atemp", "workingday", "cnt", "casual"} & set(
        data["features"])
    assert {"hr_0", "hr_23", "season_4", "weathersit_4", "mnth_12", "weekday_6"} <= set(
        data["features"])
    mean, std = data["scale"]["cnt"]
    assert mean == df["cnt"].iloc[:n_train].mean() != df["cnt"].mean()  # train rows only
    y = data["train"][1]
    np.testing.assert_allclose(y[:, 0].mean(), 0, atol=1e-5)
    np.testing.assert_allclose(data["test"][1][:, 0] * std + mean, df["cnt"].iloc[-504:],
                               rtol=1e-5)
    # 21 * 24 rows, as the course counts them; a few hours missing from the table make the
    # period start two hours before 2012-12-11.
    dates = data["test_dates"]
    assert str(dates[0]) == "2012-12-10 22:00:00" and str(dates[-1]) == "2012-12-31 23:00:00"
    assert dates.is_monotonic_increasing


def test_quick_run_meets_the_course_bar(tmp_path):
    row = bike.run(quick=True, verbose=False, out=tmp_path)
    losses = row["details"]["course network (56-20-1, SGD)"]
    assert losses["train"] < 0.09 and losses["validation"] < 0.18
    assert row["passed"]
    png = tmp_path / "bike_sharing_test_period.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert {"project", "metric", "result", "reference"} <= set(row)
