"""A search killed with SIGKILL resumes: finished trials kept, none repeated, total reached."""

import signal
import subprocess
import time

from tune_helpers import (
    cli_env,
    finished,
    glassnet_cmd,
    run_cli,
    trials_of,
    write_space,
    write_toy,
)


def _poll(url, study, until, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            trials = trials_of(url, study)
        except Exception:  # storage or study not created yet
            trials = []
        if until(trials):
            return trials
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {study}")


def test_killed_search_resumes_without_losing_or_repeating_trials(tmp_path):
    data, space = write_toy(tmp_path, n=300), write_space(tmp_path, epochs=40, patience=0)
    url = f"sqlite:///{tmp_path / 'glassnet-search.db'}"
    args = [data, "--target", "y", "--space", space, "--trials", 8, "--study", "r",
            "--heartbeat", 1, "--no-prune", "--quiet", "--out", "out"]
    proc = subprocess.Popen(glassnet_cmd(*args), cwd=tmp_path, env=cli_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Kill it in the middle of a trial, once three have finished.
        _poll(url, "r", lambda ts: len(finished(ts)) >= 3
              and any(t.state.name == "RUNNING" for t in ts))
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    before = trials_of(url, "r")
    kept = {t.number: (t.params, t.value) for t in finished(before)}
    killed = [t.number for t in before if t.state.name == "RUNNING"]
    assert 3 <= len(kept) < 8 and killed

    r = run_cli(*args, "--resume", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    after = trials_of(url, "r")
    done = finished(after)
    assert len(done) == 8
    # every trial finished before the kill is still there, unchanged
    now = {t.number: (t.params, t.value) for t in done}
    assert all(now[n] == kept[n] for n in kept)
    # the killed trial was failed (not counted, not left RUNNING) and no configuration ran twice
    assert all(after[n].state.name == "FAIL" for n in killed)
    assert not [t for t in after if t.state.name == "RUNNING"]
    configs = [tuple(sorted(t.params.items())) for t in done]
    assert len(set(configs)) == len(configs)
