"""``--jobs 2``: two worker processes share one SQLite study and stop at the requested count."""

import re

from tune_helpers import finished, run_cli, trials_of, write_space, write_toy


def test_two_processes_finish_the_requested_trials(tmp_path):
    data, space = write_toy(tmp_path, n=300), write_space(tmp_path, epochs=150, patience=0)
    r = run_cli(data, "--target", "y", "--space", space, "--trials", 6, "--jobs", 2,
                "--study", "p", "--no-prune", "--out", "out", cwd=tmp_path, timeout=240)
    assert r.returncode == 0, r.stderr
    trials = trials_of(f"sqlite:///{tmp_path / 'out' / 'glassnet-search.db'}", "p")
    done = finished(trials)
    assert len(done) == 6
    assert not [t for t in trials if t.state.name == "RUNNING"]
    workers = {t.user_attrs["worker"] for t in done}
    assert len(workers) == 2, workers
    assert "[w1]" in r.stdout and "[w2]" in r.stdout
    # each worker's line arrives whole: never two lines run together or cut in two
    lines = [line for line in r.stdout.splitlines() if "trial" in line and "[w" in line]
    assert len(lines) >= 6
    assert all(re.fullmatch(r"\[w[12]\] trial +\d+: [^\[]*\[[^\]]*\]", line) for line in lines)
    # trials drawn by trial number: the two processes never tried the same configuration
    assert len({tuple(sorted(t.params.items())) for t in done}) == 6
    assert (tmp_path / "out" / "best_model.npz").is_file()
