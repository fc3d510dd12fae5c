"""A search killed with SIGKILL resumes: finished trials kept, none repeated, total reached, and
the killed trial's configuration run again, so the study equals an uninterrupted one."""

import signal
import sqlite3
import subprocess
import time
from contextlib import closing

from tune_helpers import (
    cli_env,
    finished,
    glassnet_cmd,
    run_cli,
    trials_of,
    write_space,
    write_toy,
)


def _mid_trial(db, min_finished, timeout=120):
    """Wait until ``min_finished`` trials are done and another is running with 1 to 100 of its
    200 epochs reported: far from its end, so a signal sent now lands inside it. Read with
    sqlite3 directly (a few ms), so the wait cannot miss the moment."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with closing(sqlite3.connect(db, timeout=5)) as con:
                done = con.execute("SELECT count(*) FROM trials WHERE state IN "
                                   "('COMPLETE', 'PRUNED')").fetchone()[0]
                steps = con.execute(
                    "SELECT count(v.step) FROM trials t LEFT JOIN trial_intermediate_values v "
                    "ON v.trial_id = t.trial_id WHERE t.state = 'RUNNING' GROUP BY t.trial_id"
                ).fetchall()
        except sqlite3.OperationalError:  # the storage is not created yet
            done, steps = 0, []
        if done >= min_finished and any(1 <= n <= 100 for (n,) in steps):
            return
        time.sleep(0.02)
    raise AssertionError("the search never reached the middle of a trial")


def test_killed_search_resumes_without_losing_or_repeating_trials(tmp_path):
    data, space = write_toy(tmp_path, n=300), write_space(tmp_path, epochs=200, patience=0)
    url = f"sqlite:///{tmp_path / 'glassnet-search.db'}"
    args = [data, "--target", "y", "--space", space, "--trials", 8, "--study", "r",
            "--heartbeat", 1, "--no-prune", "--quiet", "--out", "out"]
    proc = subprocess.Popen(glassnet_cmd(*args), cwd=tmp_path, env=cli_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _mid_trial(tmp_path / "glassnet-search.db", min_finished=3)
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
    # ... and was run again: the same configuration under the same draw index
    retries = [t for t in done if t.user_attrs.get("retry_of") in killed]
    assert len(retries) == len(killed)
    for t in retries:
        assert t.params == after[t.user_attrs["retry_of"]].params

    # The resumed study is the uninterrupted one: same draws, configurations and scores.
    plain = [*args[:args.index("--study") + 1], "u", *args[args.index("--study") + 2:]]
    r = run_cli(*plain, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    uninterrupted = finished(trials_of(url, "u"))

    def study(trials):
        return sorted((t.user_attrs["draw"], tuple(sorted(t.params.items())), t.value)
                      for t in trials)

    assert [d for d, _, _ in study(done)] == list(range(8))
    for (d1, p1, v1), (d2, p2, v2) in zip(study(done), study(uninterrupted)):
        assert (d1, p1) == (d2, p2)
        assert abs(v1 - v2) <= 1e-9 * max(1.0, abs(v2))
