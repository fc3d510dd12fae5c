"""The course as Jupyter notebooks, in English and in Simplified Chinese.

Each lesson and worked project has one notebook per language, kept as MyST markdown (text that
diffs well; jupytext turns it into ``.ipynb``): ``en/NAME.md`` and ``zh/NAME.md`` beside this
file, with the same code cells (only the strings and comments differ: prose, figure titles) and
the terms of ``glossary.md``. Every notebook shows the maths, runs the engine, draws its figures
inline and asserts its key numbers, so executing it is a test; with the environment variable
``GLASSNET_QUICK=1`` it takes its quick settings (as the test suite runs it).

``glassnet lesson NAME --notebook DIR [--lang zh]`` (and ``glassnet example NAME --notebook
DIR``) writes the runnable ``.ipynb``; :func:`write_notebook` is the same from Python.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ...errors import UsageError, require

__all__ = ["CURRICULUM", "LANGUAGES", "chinese_font", "notebook_source", "poll_in_slices",
           "use_language", "write_notebook"]

LANGUAGES = ("en", "zh")

#: The course in order: notebook name -> the command that runs the same material
#: ("lesson" for ``glassnet lesson NAME``, "example" for ``glassnet example NAME``).
CURRICULUM = {
    # perceptrons, error functions, probabilities
    "perceptron": "lesson",
    "gates": "lesson",
    "contrasts": "lesson",
    "probability": "lesson",
    # gradient descent and backpropagation
    "logistic": "lesson",
    "gradient-step": "lesson",
    "activations": "lesson",
    "forward-pass": "lesson",
    "backprop-step": "lesson",
    "eleven-lines": "lesson",
    "student-admissions": "example",
    "admissions": "lesson",
    "bike-sharing": "example",
    # the deep-learning course's notation and tools
    "computation-graph": "lesson",
    "vectors": "lesson",
    "digits": "lesson",
    "deep-networks": "lesson",
    "network-contrasts": "lesson",
    "vanishing-gradients": "lesson",
    "errata": "lesson",
    # training techniques
    "mini-batch": "lesson",
    "learning-rate": "lesson",
    "momentum": "lesson",
    "l1-l2": "lesson",
    "overfitting": "lesson",
    # the worked projects
    "sentiment": "example",
    "nine-steps": "lesson",
    "nine-step": "example",
    "earthquake-overflow": "lesson",
    "earthquake-search": "lesson",
    "earthquakes": "example",
}

# Fonts with Chinese glyphs, most common first: Linux packages (fonts-noto-cjk,
# fonts-wqy-microhei, fonts-wqy-zenhei), then what Windows and macOS ship.
_CHINESE_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
                  "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "PingFang SC",
                  "Heiti SC", "Arial Unicode MS")


def notebook_source(name, lang="en"):
    """Path of the MyST source of notebook ``name`` in ``lang`` ("en" or "zh")."""
    if lang not in LANGUAGES:
        raise UsageError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    if name not in CURRICULUM:
        raise UsageError(f"no notebook named {name!r}; the notebooks are: "
                         f"{', '.join(CURRICULUM)}")
    return Path(str(resources.files(__package__) / lang / f"{name}.md"))


def write_notebook(name, folder, lang="en"):
    """Write notebook ``name`` in ``lang`` as ``folder/NAME.ipynb`` (``NAME.zh.ipynb`` in
    Chinese), creating ``folder``; returns the path. Needs jupytext (the notebooks extra)."""
    source = notebook_source(name, lang)
    jupytext = require("jupytext", "notebooks", "writing a notebook")
    notebook = jupytext.read(source, fmt="md:myst")
    # A plain notebook for Jupyter: no pairing with the MyST file it came from.
    notebook.metadata.pop("jupytext", None)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (f"{name}.ipynb" if lang == "en" else f"{name}.{lang}.ipynb")
    jupytext.write(notebook, path, fmt="ipynb")
    return path


def chinese_font():
    """The name of an installed font with Chinese glyphs (see ``_CHINESE_FONTS``), or None."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    for name in _CHINESE_FONTS:
        if name in installed:
            return name
    # A font installed after matplotlib built its font cache is not in the list yet.
    for path in font_manager.findSystemFonts():
        if any(key in Path(path).name.lower() for key in ("cjk", "wqy", "simhei", "yahei")):
            font_manager.fontManager.addfont(path)
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in _CHINESE_FONTS if name in installed), None)


def use_language(lang):
    """Prepare matplotlib for figure titles in ``lang``: for "zh", put a font with Chinese
    glyphs first in ``font.sans-serif`` (matplotlib falls back to the next font for a glyph
    the first lacks). Changes only those ``rcParams``; never the backend. Returns the font."""
    if lang not in LANGUAGES:
        raise UsageError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    if lang != "zh":
        return None
    import matplotlib

    font = chinese_font()
    if font is None:
        print("没有找到中文字体，图中的汉字会显示为方框（可安装 fonts-noto-cjk 或 "
              "fonts-wqy-microhei）。No Chinese font found: figure titles will show boxes.")
        return None
    fonts = [f for f in matplotlib.rcParams["font.sans-serif"] if f != font]
    matplotlib.rcParams["font.sans-serif"] = [font, *fonts]
    matplotlib.rcParams["font.family"] = "sans-serif"
    return font


def poll_in_slices(client, seconds=1.0):
    """Make the nbclient ``client``'s kernel channels wait for a message ``seconds`` at a time,
    up to the timeout each wait was given; returns ``client``.

    pyzmq's asyncio poll watches the socket's edge-triggered descriptor, and on a busy machine
    a wake-up is sometimes lost: the kernel has replied and sits idle while the poll waits on
    until its timeout (1 of 62 notebooks in a run beside two busy processes, up to 7 in
    another). A poll made afresh sees the waiting message at once, so every ``get_msg`` of
    the shell, iopub and control channels polls again each ``seconds``. Installed through
    the client's ``on_notebook_start`` hook, when its kernel client exists; the test suite
    and the documentation build execute the notebooks this way.
    """
    before = client.on_notebook_start

    def install(**kwargs):
        for channel in (client.kc.shell_channel, client.kc.iopub_channel,
                        client.kc.control_channel):
            channel.get_msg = _sliced(channel.get_msg, seconds)
        if before is not None:
            return before(**kwargs)
        return None

    client.on_notebook_start = install
    return client


def _sliced(get_msg, seconds):
    import time
    from queue import Empty

    async def sliced(timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            try:
                return await get_msg(timeout=seconds if left is None
                                     else max(0.0, min(seconds, left)))
            except Empty:
                if left is not None and left <= seconds:
                    raise

    return sliced
