import numpy as np

from glassnet.io import load_model
from glassnet.projects.earthquakes import NETWORK, run


def test_short_search_reports_network_and_baselines_on_one_test_split(tmp_path):
    row = run(quick=True, verbose=False, trials=2, jobs=1, out=tmp_path)
    assert set(row) >= {"project", "metric", "result", "reference"}
    rows = row["rows"]
    assert set(rows) == {NETWORK, "training mean", "linear regression",
                         "HistGradientBoostingRegressor"}
    for scores in rows.values():
        assert 0 < scores["mae"] <= scores["rmse"] < 1  # magnitudes: MAE never exceeds RMSE
    assert row["result"] == f"{rows[NETWORK]['mae']:.4f}"
    for lo, hi in row["mae_gap_intervals"].values():
        assert lo <= hi
    model = load_model(tmp_path / "earthquakes-model.npz")
    assert model.n_features == 11
    assert np.isfinite(row["search_seconds"])
