"""``glassnet example`` through the real entry point, and the tour entries."""

import os
import subprocess
import sys
from pathlib import Path

from glassnet.projects import available, tour_entries
from glassnet.tour import TOUR

SRC = Path(__file__).resolve().parents[2] / "src"


def _glassnet(*args, cwd):
    env = dict(os.environ, PYTHONPATH=str(SRC))
    return subprocess.run([sys.executable, "-m", "glassnet", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=120)


def test_example_list_and_run(tmp_path):
    listed = _glassnet("example", "--list", cwd=tmp_path)
    assert listed.returncode == 0
    for name in ("bike-sharing", "sentiment", "nine-step"):
        assert name in listed.stdout
    run = _glassnet("example", "nine-step", "--quick", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "test R²" in run.stdout and "reference >= 0.99" in run.stdout


def test_unknown_example_is_a_one_line_error(tmp_path):
    bad = _glassnet("example", "no-such-project", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        "glassnet: error: unknown project 'no-such-project'; choose one of "
        + ", ".join(available())
    ]
    assert "Traceback" not in bad.stderr


def test_projects_are_in_the_tour():
    names = {f.__name__ for f in TOUR}
    assert {"bike_sharing", "sentiment", "nine_step"} <= names
    assert all("quick" in f.__code__.co_varnames for f in tour_entries())


def test_example_writes_its_files_into_out(tmp_path):
    run = _glassnet("example", "bike-sharing", "--quick", "--out", "elsewhere", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "elsewhere" / "bike_sharing_test_period.png").is_file()
    assert not (tmp_path / "glassnet-out").exists()
