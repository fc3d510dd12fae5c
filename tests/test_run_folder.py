"""A run's output folder holds one run's files at every instant: written aside, swapped in,
locked against a second writer; and ``kill -9`` at any moment of ``glassnet train`` leaves it
whole."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from glassnet.errors import UsageError
from glassnet.io import load_bundle
from glassnet.run_folder import MANIFEST, RunFolder

SRC = Path(__file__).resolve().parents[1] / "src"


def _run(path, files):
    with RunFolder(path, ("a.txt", "b.txt", "c.txt")) as run:
        for name, text in files.items():
            run.file(name).write_text(text)
        run.commit()
    return run


def test_a_run_replaces_the_previous_runs_files_and_keeps_the_users(tmp_path):
    out = tmp_path / "out"
    first = _run(out, {"a.txt": "1", "c.txt": "1"})
    (out / "notes.txt").write_text("mine")
    inode = (out / "notes.txt").stat().st_ino
    second = _run(out, {"a.txt": "2", "b.txt": "2"})
    assert sorted(os.listdir(out)) == [MANIFEST, "a.txt", "b.txt", "notes.txt"]  # no c.txt
    assert (out / "a.txt").read_text() == "2" and (out / "notes.txt").stat().st_ino == inode
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["run"] == second.run_id != first.run_id
    assert manifest["files"] == ["a.txt", "b.txt"]
    assert sorted(os.listdir(tmp_path)) == ["out"]  # no temporary folder, no lock left


def test_a_folder_with_a_subfolder_or_a_file_path_is_refused_before_any_work(tmp_path):
    (tmp_path / "out" / "sub").mkdir(parents=True)
    with pytest.raises(UsageError, match="holds 'sub'"):
        RunFolder(tmp_path / "out").open()
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="is a file, not a folder"):
        RunFolder(tmp_path / "file").open()
    assert sorted(os.listdir(tmp_path)) == ["file", "out"]


def test_a_second_writer_fails_at_once_and_an_aborted_run_changes_nothing(tmp_path):
    out = tmp_path / "out"
    _run(out, {"a.txt": "1"})
    with RunFolder(out) as run:
        run.file("a.txt").write_text("2")
        with pytest.raises(UsageError, match=rf"another glassnet run \(process {os.getpid()}\)"):
            RunFolder(out).open()
    # left without commit: discarded
    assert (out / "a.txt").read_text() == "1"
    assert sorted(os.listdir(tmp_path)) == ["out"]
    _run(out, {"a.txt": "3"})  # the lock was released
    assert (out / "a.txt").read_text() == "3"


HOLD = """
import sys, time
from glassnet.run_folder import RunFolder
run = RunFolder(sys.argv[1]).open()
run.file("x.txt").write_text("half")
print("locked", flush=True)
time.sleep(60)
"""


def test_a_killed_writers_lock_and_temporary_folder_do_not_outlive_it(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(SRC))
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path / "out")], env=env,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(UsageError, match="another glassnet run"):
            RunFolder(tmp_path / "out").open()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert any(".glassnet-" in name for name in os.listdir(tmp_path))  # the debris
    _run(tmp_path / "out", {"a.txt": "1"})
    assert sorted(os.listdir(tmp_path)) == ["out"]


def _toy_csv(path, n=400):
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"a": rng.normal(size=n), "b": rng.choice(["x", "y"], n)})
    df["y"] = 2 * df.a + (df.b == "x") + 0.1 * rng.normal(size=n)
    df.to_csv(path, index=False)


def _train(tmp_path, seed):
    cmd = [sys.executable, "-m", "glassnet", "train", "toy.csv", "-t", "y", "--out", "out",
           "--seed", str(seed), "--epochs", "60", "--patience", "0", "--hidden", "32"]
    env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONWARNINGS="ignore")
    return subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _one_run(out):
    """The run id every file of the folder names: they must agree (one run's output)."""
    manifest = json.loads((out / MANIFEST).read_text())
    run = manifest["run"]
    assert set(manifest["files"]) == set(os.listdir(out)) - {MANIFEST}
    assert json.loads((out / "metrics.json").read_text())["run"] == run
    assert load_bundle(out / "model.npz").extra["run"] == run
    assert (out / "run.toml").read_text().startswith(f"# glassnet train, run {run}\n")
    seed = json.loads((out / "metrics.json").read_text())["config"]["seed"]
    assert f"seed = {seed}\n" in (out / "run.toml").read_text()
    return run


def test_kill_9_at_random_moments_of_train_leaves_one_runs_folder(tmp_path):
    _toy_csv(tmp_path / "toy.csv")
    start = time.monotonic()
    assert _train(tmp_path, 0).wait(120) == 0
    duration = time.monotonic() - start
    runs = {_one_run(tmp_path / "out")}
    rng = np.random.default_rng(7)
    # Half the kills anywhere in a run, half near its end, where the files are written, up to
    # 1.5 times the first run's duration: with 1.15 the two latest kills came at 1.10 and 1.11
    # times it, and a run 11% slower than the first (seen on a busy machine, and on Python
    # 3.10) was killed before publishing every time, failing the last assertion by chance.
    moments = np.concatenate([rng.uniform(0.3, 1.0, 4), rng.uniform(0.85, 1.5, 4)]) * duration
    for i, moment in enumerate(moments):
        proc = _train(tmp_path, i + 1)
        time.sleep(moment)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert not [n for n in os.listdir(tmp_path / "out") if n.endswith((".tmp", ".lock"))]
        runs.add(_one_run(tmp_path / "out"))  # the previous run's or this one's, whole
    assert _train(tmp_path, 99).wait(120) == 0
    _one_run(tmp_path / "out")
    assert sorted(os.listdir(tmp_path)) == ["out", "toy.csv"]  # no temporaries, no lock
    assert len(runs) >= 2  # some kill landed after a run had published its folder
