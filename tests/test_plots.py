import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from glassnet import plots

PNG = b"\x89PNG\r\n\x1a\n"
SRC = Path(__file__).resolve().parents[1] / "src"


def test_each_plot_returns_its_figure_and_writes_a_png_where_asked(tmp_path):
    history = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6]}
    y = np.linspace(0, 10, 30)
    calls = [
        (plots.learning_curve, (history,), {"best_epoch": 2}, tmp_path / "a" / "curve.png"),
        (plots.confusion_matrix_plot, ([[5, 1], [2, 7]], ["no", "yes"]), {}, tmp_path / "cm.png"),
        (plots.predicted_vs_actual, (y, y + 0.5), {}, tmp_path / "pva.png"),
        (plots.residuals_plot, (y, y[::-1]), {}, tmp_path / "res.png"),
    ]
    for func, args, kwargs, path in calls:
        fig = func(*args, path, **kwargs)
        assert isinstance(fig, Figure) and fig.axes
        assert path.read_bytes()[:8] == PNG
        # without a path nothing is written: the figure is for the caller to show or save
        before = sorted(tmp_path.rglob("*"))
        assert isinstance(func(*args, **kwargs), Figure)
        assert sorted(tmp_path.rglob("*")) == before


def test_plots_reject_inconsistent_input(tmp_path):
    with pytest.raises(ValueError, match="no 'loss'"):
        plots.learning_curve({}, tmp_path / "x.png")
    with pytest.raises(ValueError, match="3 labels"):
        plots.confusion_matrix_plot(np.eye(2, dtype=int), ["a", "b", "c"], tmp_path / "x.png")
    with pytest.raises(ValueError, match="differ in length"):
        plots.predicted_vs_actual([1, 2], [1, 2, 3], tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


def test_glassnet_never_switches_the_backend_nor_uses_pyplot(tmp_path):
    # A notebook's backend (here "svg", chosen before glassnet is imported) must survive
    # importing glassnet, its plots and a lesson; no figure may land in pyplot's global list.
    code = textwrap.dedent(f"""
        import sys
        import matplotlib
        matplotlib.use("svg")
        import glassnet, glassnet.plots, glassnet.classic
        from glassnet.classic import run_lesson
        glassnet.plots.learning_curve({{"loss": [1.0, 0.5]}}, {str(tmp_path / "c.png")!r})
        res = run_lesson("perceptron", quick=True, verbose=False, out={str(tmp_path)!r})
        assert matplotlib.get_backend() == "svg", matplotlib.get_backend()
        assert "matplotlib.pyplot" not in sys.modules, "glassnet imported pyplot"
        print("ok", res["figure"])
    """)
    env = dict(os.environ, PYTHONPATH=str(SRC))
    env.pop("MPLBACKEND", None)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("ok")
    assert (tmp_path / "c.png").read_bytes()[:8] == PNG
    assert (tmp_path / "perceptron.png").read_bytes()[:8] == PNG
