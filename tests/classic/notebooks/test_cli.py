"""``glassnet lesson NAME --notebook DIR [--lang zh]`` and ``glassnet example NAME --notebook``
through the real entry point."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.classic.notebooks.sources import read

SRC = Path(__file__).resolve().parents[3] / "src"
nbformat = pytest.importorskip("nbformat")


def glassnet(*args, cwd, pythonpath=()):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([*map(str, pythonpath), str(SRC)]))
    return subprocess.run([sys.executable, "-m", "glassnet", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=120)


@pytest.mark.parametrize("command,name,lang,file", [
    ("lesson", "perceptron", "zh", "perceptron.zh.ipynb"),
    ("lesson", "perceptron", None, "perceptron.ipynb"),
    ("example", "bike-sharing", "en", "bike-sharing.ipynb"),
])
def test_notebook_option_writes_a_runnable_ipynb(tmp_path, command, name, lang, file):
    args = [command, name, "--notebook", "nb"] + (["--lang", lang] if lang else [])
    res = glassnet(*args, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    path = tmp_path / "nb" / file
    assert res.stdout.strip() == f"notebook: {Path('nb') / file}"
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    assert "jupytext" not in notebook.metadata
    source = read(name, lang or "en")
    assert [(c.cell_type, c.source) for c in notebook.cells] == \
        [(c.cell_type, c.source) for c in source.cells]
    assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")
    assert not (tmp_path / "glassnet-out").exists(), "the lesson ran instead"


def test_without_jupytext_one_line_names_the_extra(tmp_path):
    fake = tmp_path / "fake" / "jupytext"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text('raise ImportError("no jupytext here")\n')
    res = glassnet("lesson", "perceptron", "--notebook", "nb", cwd=tmp_path,
                   pythonpath=[fake.parent])
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [
        "glassnet: error: writing a notebook needs jupytext: pip install 'glassnet[notebooks]'"]
    assert not (tmp_path / "nb").exists()


@pytest.mark.parametrize("args,message", [
    (["lesson", "perceptron", "--lang", "zh"], "--lang chooses the language of --notebook"),
    (["lesson", "nope", "--notebook", "nb"], "unknown lesson 'nope'"),
    (["example", "nope", "--notebook", "nb"], "unknown project 'nope'"),
])
def test_notebook_user_errors_are_one_line(tmp_path, args, message):
    res = glassnet(*args, cwd=tmp_path)
    assert res.returncode == 2
    assert message in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_an_unknown_language_is_refused_by_the_parser(tmp_path):
    res = glassnet("lesson", "perceptron", "--notebook", "nb", "--lang", "fr", cwd=tmp_path)
    assert res.returncode == 2
    assert "invalid choice: 'fr'" in res.stderr
