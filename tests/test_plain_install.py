"""A plain ``pip install glassnet`` (no extras, Python 3.10's tomli, offline): every command that
needs an extra says which in one line and exits 2, and the rest works. The missing packages
are hidden (``sys.modules[name] = None`` makes their import fail, as on a plain install)."""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from glassnet.cli import main
from glassnet.errors import MissingExtraError

SRC = Path(__file__).resolve().parents[1] / "src"


def hide(monkeypatch, *names):
    for name in names:
        monkeypatch.setitem(sys.modules, name, None)


def one_error_line(capsys):
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("glassnet: error: "), err
    return err[0]


def test_search_without_optuna(monkeypatch, capsys, tmp_path):
    hide(monkeypatch, "optuna")
    (tmp_path / "d.csv").write_text("a,y\n1,2\n2,3\n")
    assert main(["search", str(tmp_path / "d.csv"), "--target", "y"]) == 2
    assert one_error_line(capsys).endswith(
        "glassnet search needs Optuna: pip install 'glassnet[tune]'")


@pytest.mark.parametrize("hidden, name", [(("optuna",), "Optuna"), (("sklearn",), "scikit-learn")])
def test_the_earthquakes_example_without_its_extras(monkeypatch, capsys, tmp_path, hidden, name):
    hide(monkeypatch, *hidden)
    assert main(["example", "earthquakes", "--quick", "--out", str(tmp_path)]) == 2
    assert one_error_line(capsys).endswith(
        f"the earthquakes example needs {name}: pip install 'glassnet[tune,sklearn]'")


def test_import_glassnet_sklearn_without_scikit_learn(monkeypatch):
    hide(monkeypatch, "sklearn")
    for name in [m for m in sys.modules if m.startswith("glassnet.sklearn")]:
        monkeypatch.delitem(sys.modules, name)
    with pytest.raises(MissingExtraError, match=r"^glassnet.sklearn needs scikit-learn: pip "
                                                r"install 'glassnet\[sklearn\]'$"):
        importlib.import_module("glassnet.sklearn")
    assert issubclass(MissingExtraError, ImportError)  # `except ImportError` still catches it


def test_a_yaml_space_without_pyyaml(monkeypatch, tmp_path):
    pytest.importorskip("optuna")
    from glassnet.tune import SearchSpace

    hide(monkeypatch, "yaml")
    (tmp_path / "space.yaml").write_text("lr: {low: 0.001, high: 0.1, log: true}\n")
    with pytest.raises(MissingExtraError, match=r"a YAML search space \(space.yaml\) needs "
                                                r"PyYAML: pip install 'glassnet\[tune\]' \(or "
                                                r"write the space as TOML\)"):
        SearchSpace.from_file(tmp_path / "space.yaml")


def test_python_3_10_reads_toml_with_tomli(tmp_path):
    """Python 3.10 has no tomllib: glassnet falls back to tomli (a dependency there)."""
    pytest.importorskip("tomli")
    (tmp_path / "run.toml").write_text("[train]\nhidden = [8]\nlr = 0.01\n")
    code = ("import sys; sys.modules['tomllib'] = None\n"
            "from glassnet import config, settings\n"
            f"c = config.TrainConfig.from_toml({str(tmp_path / 'run.toml')!r})\n"
            "print(settings.tomllib.__name__, c.hidden, c.lr)\n"
            "try:\n"
            "    config.parse_toml('a = ', 'bad.toml')\n"
            "except config.UsageError as e:\n"
            "    print(str(e).split(':')[0])\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(SRC)}, check=True)
    assert run.stdout.split("\n")[:2] == ["tomli [8] 0.01", "bad.toml is not valid TOML"]


def test_the_tour_skips_a_row_whose_extra_is_missing_and_prints_its_table(monkeypatch, capsys):
    from glassnet import tour

    def needs_optuna(quick=True, verbose=True, out=None):
        from glassnet.errors import require

        return require("a_module_that_is_not_there", "tune", "the earthquakes example")

    needs_optuna.__name__ = "earthquakes"
    monkeypatch.setattr(tour, "TOUR", [tour.xor_network, needs_optuna])
    rows = tour.run_tour(quick=True)
    out = capsys.readouterr().out
    assert "earthquakes: skipped: the earthquakes example needs a_module_that_is_not_there: "\
           "pip install 'glassnet[tune]'" in out
    assert [r["result"] for r in rows] == ["4/4", "skipped"]
    table = out.split("glassnet tour")[1]  # the table is printed after every row ran
    assert "skipped" in table and "XOR" in table


def test_the_command_line_starts_without_numpy():
    """``glassnet --help`` builds every subcommand's parser without importing the engine (the
    start-up time itself is measured in benchmarks/startup.py)."""
    code = ("import sys; from glassnet.cli import build_parser; build_parser()\n"
            "print(sorted(m for m in ('numpy', 'pandas', 'rich', 'scipy', 'matplotlib')"
            " if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(SRC)}, check=True)
    assert run.stdout.strip() == "[]"
