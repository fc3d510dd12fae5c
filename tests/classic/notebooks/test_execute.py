"""Every notebook, in both languages, executed at its quick settings in a fresh kernel: no
error, its assertions hold, its figures are in its outputs, nothing warns; and a knob's slider,
with ipywidgets and without it."""

import asyncio
import copy
import os
import time

import pytest
from tests.classic.notebooks.sources import read

from glassnet.classic.notebooks import CURRICULUM, LANGUAGES, chinese_font, poll_in_slices

nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

RUNS = [pytest.param(name, lang, id=f"{lang}-{name}") for name in CURRICULUM
        for lang in LANGUAGES]
# Kernels start in parallel: a kernel spends most of its two seconds of start-up waiting, so
# three at a time take little longer than one even on two cores.
PARALLEL = 3
# The notebooks whose lesson is a knob: they offer it as a slider.
SLIDERS = ("logistic", "admissions", "learning-rate", "momentum", "l1-l2", "overfitting")


def kernel_env(**extra):
    """The kernels' environment: quick settings, one BLAS thread each (they run side by side)."""
    return dict(os.environ, GLASSNET_QUICK="1", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
                **extra)


# A notebook that has not finished after this long is stuck, not slow (the slowest takes about
# 40 s on a busy 2-core machine). A kernel idle with its cell's reply unseen was the case
# (once in four suite runs on a quiet machine, 7 of 62 notebooks in one beside two busy
# processes): a lost wake-up of pyzmq's poll, which poll_in_slices now recovers from; the
# bound and the rerun in a fresh kernel stay for whatever else may hang.
NOTEBOOK_TIMEOUT = 150


async def _execute(notebook, folder, env):
    """Execute ``notebook`` in a fresh kernel; a stuck kernel is shut down and the notebook run
    once more in a new one (``result["stuck"]`` counts those), so a lost kernel message
    neither hangs the suite nor passes for an error of the notebook's own."""
    start, stuck = time.perf_counter(), 0
    for _ in range(2):
        run = copy.deepcopy(notebook)
        client = poll_in_slices(nbclient.NotebookClient(
            run, timeout=NOTEBOOK_TIMEOUT, kernel_name="python3",
            resources={"metadata": {"path": str(folder)}}))
        try:
            await asyncio.wait_for(client.async_execute(env=env), NOTEBOOK_TIMEOUT)
            error = None
        except nbclient.exceptions.CellExecutionError as e:
            error = str(e)
        except (asyncio.TimeoutError, nbclient.exceptions.CellTimeoutError,
                nbclient.exceptions.DeadKernelError) as e:  # a timed-out cell's kernel dies
            stuck += 1
            error = f"stuck: no end after {NOTEBOOK_TIMEOUT} s ({e!r})"
            continue
        break
    return {"notebook": run, "error": error, "seconds": time.perf_counter() - start,
            "stuck": stuck}


def execute_all(jobs, env):
    """Execute ``jobs`` ((key, notebook, folder) triples), PARALLEL at a time; {key: result}."""

    async def main():
        gate = asyncio.Semaphore(PARALLEL)

        async def one(key, notebook, folder):
            async with gate:
                return key, await _execute(notebook, folder, env)

        return dict(await asyncio.gather(*(one(*job) for job in jobs)))

    return asyncio.run(main())


@pytest.fixture(scope="module")
def executed(request, tmp_path_factory):
    """The notebooks this session's tests ask for, each executed once."""
    wanted = [(item.callspec.params["name"], item.callspec.params["lang"])
              for item in request.session.items
              if getattr(item, "module", None) is request.module and getattr(item, "callspec", None)
              and {"name", "lang"} <= set(item.callspec.params)]
    jobs = [((name, lang), read(name, lang), tmp_path_factory.mktemp(f"{lang}-{name}"))
            for name, lang in dict.fromkeys(wanted)]
    return execute_all(jobs, kernel_env())


def outputs(notebook):
    return [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]


@pytest.mark.parametrize("name,lang", RUNS)
def test_notebook_runs_and_draws(executed, name, lang, record_property):
    result = executed[(name, lang)]
    # The wall time (three kernels share the machine) lands in a --junitxml report.
    record_property("seconds", round(result["seconds"], 2))
    record_property("stuck", result["stuck"])
    assert result["error"] is None, result["error"]
    outs = outputs(result["notebook"])
    images = [o for o in outs if "image/png" in o.get("data", {})]
    assert images, f"{lang}/{name} drew no figure inline"
    # Nothing warns, except a cell tagged "warning-expected" (a lesson showing a warning),
    # which must warn.
    for k, cell in enumerate(result["notebook"].cells):
        if cell.cell_type != "code":
            continue
        stderr = "".join(o.text for o in cell.outputs
                         if o.output_type == "stream" and o.name == "stderr")
        if chinese_font() is None:  # a machine without a Chinese font: the glyphs are boxes
            stderr = "\n".join(line for line in stderr.splitlines() if "Glyph" not in line)
        if "warning-expected" in cell.metadata.get("tags", []):
            assert "Warning" in stderr, f"{lang}/{name}: cell {k} was to warn and did not"
        else:
            assert "Warning" not in stderr, f"{lang}/{name}: cell {k} warned:\n{stderr}"


@pytest.mark.parametrize("name", SLIDERS)
def test_knob_notebooks_offer_a_slider(executed, name):
    result = executed[(name, "en")]
    assert result["error"] is None, result["error"]
    widgets = [o for o in outputs(result["notebook"])
               if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert widgets, f"{name} shows no slider"
    state = result["notebook"].metadata["widgets"]["application/vnd.jupyter.widget-state+json"]
    models = {m["model_name"] for m in state["state"].values()}
    assert models & {"FloatSliderModel", "FloatLogSliderModel", "IntSliderModel"}, models


def test_knob_notebooks_run_without_ipywidgets(tmp_path):
    # A stand-in package on the kernel's path that fails to import, as a missing one does.
    fake = tmp_path / "no-widgets" / "ipywidgets"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text('raise ImportError("ipywidgets is not installed")\n')
    jobs = [(name, read(name, "en"), tmp_path) for name in SLIDERS]
    env = kernel_env(PYTHONPATH=os.pathsep.join(filter(None, [str(fake.parent),
                                                              os.environ.get("PYTHONPATH")])))
    for name, result in execute_all(jobs, env).items():
        assert result["error"] is None, result["error"]
        outs = outputs(result["notebook"])
        assert not any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                       for o in outs), f"{name} showed a widget without ipywidgets"
        text = "".join(o.get("text", "") for o in outs)
        assert "pip install ipywidgets" in text, f"{name} does not say how to get the slider"


def test_glassnet_figures_and_plain_matplotlib_both_show_inline(tmp_path):
    # The notebook user's plt.show() must keep working after glassnet has plotted: glassnet
    # returns Figures (shown inline as a cell's value) and never switches the backend.
    nbformat = pytest.importorskip("nbformat")
    cells = [
        "%matplotlib inline\nfrom glassnet.plots import learning_curve\n"
        "learning_curve({'loss': [3.0, 2.0, 1.5], 'val_loss': [3.2, 2.4, 2.1]})",
        "from glassnet.classic import activations\nactivations.plot()",
        "import matplotlib\nimport matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [3, 1, 2])\n"
        "plt.title('plain matplotlib')\nplt.show()\nprint(matplotlib.get_backend())",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}
    result = execute_all([("plots", notebook, tmp_path)], kernel_env())["plots"]
    assert result["error"] is None, result["error"]
    per_cell = [[o for o in cell.outputs if "image/png" in o.get("data", {})]
                for cell in result["notebook"].cells]
    assert [len(images) for images in per_cell] == [1, 1, 1], per_cell
    backend = "".join(o.get("text", "") for o in result["notebook"].cells[2].outputs)
    assert "inline" in backend, backend
