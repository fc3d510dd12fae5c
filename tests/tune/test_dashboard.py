"""``glassnet search --dashboard``: optuna-dashboard on the study's own storage, on loopback."""

import json
import re
import signal
import subprocess
import time
import urllib.request

import numpy as np
import pytest
from tune_helpers import cli_env, glassnet_cmd, write_space, write_toy

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
    search(X, np.arange(40) % 5 * 1.0, space, n_trials=2, storage=storage,
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


def test_search_dashboard_serves_while_searching_and_until_ctrl_c(tmp_path):
    data, space = write_toy(tmp_path, n=120), write_space(tmp_path, epochs=3, patience=0)
    proc = subprocess.Popen(
        glassnet_cmd(data, "--target", "y", "--space", space, "--trials", "2", "--study", "live",
                     "--quiet", "--dashboard", "--dashboard-port", "0"),
        cwd=tmp_path, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url, lines = None, []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            url = url or (re.search(r"dashboard: (http://127\.0\.0\.1:\d+/dashboard/)", line)
                          or [None, None])[1]
            if "keeps serving" in line:
                break
            assert line or proc.poll() is None, "".join(lines) + proc.stderr.read()
        assert url, "".join(lines)
        studies = get_json(url.replace("/dashboard/", "/api/studies"))["study_summaries"]
        assert [s["study_name"] for s in studies] == ["live"]
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
