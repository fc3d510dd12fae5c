import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

from glassnet.classic.lessons import DEFAULT_OUT, LESSONS, describe, lesson_function, run_lesson

SRC = Path(__file__).resolve().parents[2] / "src"


def glassnet(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(SRC), OPENBLAS_NUM_THREADS="1")
    return subprocess.run([sys.executable, "-m", "glassnet", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=120)


def test_list_shows_every_lesson_on_one_line():
    res = glassnet("lesson", "--list")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.strip().splitlines()
    assert len(lines) == len(LESSONS) == 26
    for line, name in zip(lines, LESSONS):
        assert line.split()[0] == name
        assert len(line.split()) > 3  # a description follows the name
    assert res.stdout.strip() == describe()


def test_lesson_writes_png_to_out_and_prints_path(tmp_path, check_png):
    out = tmp_path / "figs"
    res = glassnet("lesson", "gradient-step", "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert "[-0.02031869 -0.04063738 -0.06095608 -0.08127477]" in res.stdout
    path = out / "gradient-step.png"
    assert f"figure: {path}" in res.stdout
    check_png(path)


def test_default_folder_is_glassnet_out(tmp_path, check_png):
    res = glassnet("lesson", "forward-pass", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "[0.49815196 0.48539772]" in res.stdout
    check_png(tmp_path / "glassnet-out" / "forward-pass.png")


@pytest.mark.parametrize("args,message", [
    (["lesson", "nope"], "unknown lesson 'nope'"),
    (["lesson"], "name a lesson"),
])
def test_user_errors_exit_2_with_one_line(args, message):
    res = glassnet(*args)
    assert res.returncode == 2
    assert message in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_run_lesson_rejects_unknown_name():
    with pytest.raises(ValueError, match="unknown lesson"):
        run_lesson("nope")


def test_the_curriculum_runs_in_the_courses_order():
    names = list(LESSONS)
    assert names[:2] == ["perceptron", "gates"]
    assert names[-3:] == ["nine-steps", "earthquake-overflow", "earthquake-search"]
    # each topic after the ones it builds on
    for before, after in [("probability", "logistic"), ("logistic", "gradient-step"),
                          ("gradient-step", "backprop-step"), ("backprop-step", "eleven-lines"),
                          ("computation-graph", "deep-networks"), ("vectors", "digits"),
                          ("deep-networks", "mini-batch"), ("mini-batch", "overfitting")]:
        assert names.index(before) < names.index(after), (before, after)


@pytest.mark.parametrize("name", list(LESSONS))
def test_every_lesson_has_the_one_protocol_signature(name):
    params = inspect.signature(lesson_function(name)).parameters
    assert [(p.name, p.default, p.kind) for p in params.values()] == [
        ("quick", False, inspect.Parameter.POSITIONAL_OR_KEYWORD),
        ("verbose", True, inspect.Parameter.POSITIONAL_OR_KEYWORD),
        ("out", DEFAULT_OUT, inspect.Parameter.POSITIONAL_OR_KEYWORD),
    ]


def test_run_lesson_passes_the_protocol_and_returns_the_numbers(tmp_path, check_png):
    res = run_lesson("computation-graph", quick=True, verbose=False, out=tmp_path)
    assert res["grads"]["a"] == 5.0
    check_png(res["figure"])
    assert res["figure"].parent == tmp_path
