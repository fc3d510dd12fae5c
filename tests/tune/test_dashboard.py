"""``glassnet search --dashboard``: optuna-dashboard on the study's own storage, on loopback."""

import json
import time
import urllib.request

import numpy as np
import pytest
from tune_helpers import write_space, write_toy

from glassnet.tune import Float, SearchSpace, search

pytest.importorskip("optuna_dashboard")


def get_json(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def test_the_dashboard_finds_the_study_through_its_api(tmp_path):
    from glassnet.tune.dashboard import start_dashboard

    storage = f"sqlite:///{tmp_path / 'search.db'}"
    space = SearchSpace({"lr": Float(1e-3, 1e-1, log=True)}, fixed={"epochs": 2})
    X = np.column_stack([np.arange(40.0), np.arange(40) % 3])
    search(X, np.arange(40) % 5 * 1.0, space, task="regression", n_trials=2, storage=storage,
           study_name="watched", verbose=False)
    dashboard = start_dashboard(storage, port=0)
    try:
        assert dashboard.url.startswith("http://127.0.0.1:")
        assert dashboard.server.server_address[0] == "127.0.0.1"
        studies = get_json(dashboard.url.replace("/dashboard/", "/api/studies"))
        (study,) = studies["study_summaries"]
        assert study["study_name"] == "watched"
        detail = get_json(dashboard.url.replace("/dashboard/", f"/api/studies/"
                                                f"{study['study_id']}?after=0"))
        assert len(detail["trials"]) == 2
    finally:
        dashboard.close()


def test_search_dashboard_serves_while_searching_and_until_ctrl_c(tmp_path, monkeypatch):
    import glassnet.cli.search as cli_search
    from glassnet.cli import main

    monkeypatch.chdir(tmp_path)
    data, space = write_toy(tmp_path, n=120), write_space(tmp_path, epochs=3, patience=0)
    seen = {}
    keep_serving = cli_search._keep_serving

    def then_ctrl_c(dashboard):
        # the search has finished: its study is in the dashboard, which then serves until
        # Ctrl-C (here the first sleep raises it) and closes
        api = dashboard.url.replace("/dashboard/", "/api/studies")
        seen["studies"] = get_json(api)
        study_id = seen["studies"]["study_summaries"][0]["study_id"]
        seen["trials"] = get_json(f"{api}/{study_id}?after=0")["trials"]
        monkeypatch.setattr(time, "sleep", _interrupt)
        keep_serving(dashboard)
        with pytest.raises(OSError):
            get_json(dashboard.url.replace("/dashboard/", "/api/studies"), timeout=2)
        seen["closed"] = True

    monkeypatch.setattr(cli_search, "_keep_serving", then_ctrl_c)
    assert main(["search", str(data), "--target", "y", "--space", str(space), "--trials", "2",
                 "--study", "live", "--quiet", "--dashboard", "--dashboard-port", "0"]) == 0
    assert [s["study_name"] for s in seen["studies"]["study_summaries"]] == ["live"]
    assert [t["state"] for t in seen["trials"]] == ["Complete", "Complete"]
    assert seen["closed"]


def _interrupt(seconds):
    raise KeyboardInterrupt
