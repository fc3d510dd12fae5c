"""MkDocs hook: the course's notebooks as pages of the site, in English and in Chinese.

The notebooks live in the package as MyST markdown (``glassnet.classic.notebooks``: ``en/NAME.md``
and ``zh/NAME.md``, in the order of ``CURRICULUM``). For each one this hook writes the
``.ipynb`` (through ``write_notebook``, as ``glassnet lesson NAME --notebook DIR`` does),
executes it in a fresh kernel, and hands it to mkdocs-jupyter, which renders it with its
outputs; it adds the pages to the navigation under "Curriculum", fills the curriculum's index
table (the ``<!-- notebooks -->`` marker) and puts a bar above each notebook linking its other
language.

``GLASSNET_DOCS_OUTPUTS`` chooses the outputs:

- ``full`` (the default): each notebook at its own settings, the numbers its prose quotes;
- ``quick``: with ``GLASSNET_QUICK=1``, as the test suite runs them (a faster preview);
- ``none``: the notebooks rendered without executing them (CI's build: the test suite already
  executes every notebook and checks its outputs).

Executed notebooks are cached in ``.cache/docs-notebooks/`` under a key made of the notebook's
source, the settings and every Python file of the package, so a rebuild executes only what
changed. See docs/design.md, "Documentation site".
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import shutil
import time
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.curriculum")

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "glassnet"
BUILD = ROOT / "build" / "docs-notebooks"  # the .ipynb files mkdocs-jupyter renders
CACHE = ROOT / ".cache" / "docs-notebooks"
LANGUAGE_NAMES = {"en": "English", "zh": "简体中文"}
MODES = ("full", "quick", "none")
MARKER = "<!-- notebooks -->"
# Kernels start in parallel: most of a kernel's start-up is waiting, so three at a time take
# little longer than one, even on two cores (the notebook tests do the same).
PARALLEL = 3
TIMEOUT = 900  # seconds for one cell; the longest full-settings notebook takes about a minute

_state: dict = {"notebooks": [], "missing": [], "titles": {}}


def _mode():
    mode = os.environ.get("GLASSNET_DOCS_OUTPUTS", "full")
    if mode not in MODES:
        raise SystemExit(f"GLASSNET_DOCS_OUTPUTS must be one of {', '.join(MODES)}, "
                         f"got {mode!r}")
    return mode


def _curriculum():
    """(name, lang, source) of every notebook the package has, in the course's order, and the
    (name, lang) pairs that ``CURRICULUM`` names but whose source is missing."""
    try:
        from glassnet.classic.notebooks import CURRICULUM, LANGUAGES, notebook_source
    except ImportError:
        return [], []
    found, missing = [], []
    for name in CURRICULUM:
        for lang in LANGUAGES:
            source = notebook_source(name, lang)
            (found if source.exists() else missing).append((name, lang, source))
    return found, [(name, lang) for name, lang, _ in missing]


def _title(source):
    """The notebook's first level-1 heading (its page title)."""
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return source.stem


def _page(name, lang):
    return f"curriculum/{lang}/{name}.ipynb"


def on_config(config):
    notebooks, missing = _curriculum()
    _state.update(notebooks=notebooks, missing=missing,
                  titles={(n, lang): _title(s) for n, lang, s in notebooks})
    for item in config.nav or []:
        if isinstance(item, dict) and "Curriculum" in item:
            section = item["Curriculum"]
            for lang, language in LANGUAGE_NAMES.items():
                pages = [{_state["titles"][(n, lg)]: _page(n, lg)}
                         for n, lg, _ in notebooks if lg == lang]
                if pages:
                    section.append({language: pages})
    return config


def _code_key():
    """A digest of every Python file of the package: outputs depend on the code they run."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


async def _execute(path, workdir, env):
    import nbclient
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(workdir)}})
    try:
        await client.async_execute(env=env)
    except nbclient.exceptions.CellExecutionError as error:
        return f"{path.name}: {str(error).splitlines()[0]}"
    nbformat.write(notebook, path)
    return None


def _execute_all(jobs, env):
    """Execute the notebooks at ``jobs`` ((path, workdir) pairs), PARALLEL at a time; the
    error of each that failed."""

    async def main():
        gate = asyncio.Semaphore(PARALLEL)

        async def one(path, workdir):
            async with gate:
                return await _execute(path, workdir, env)

        return await asyncio.gather(*(one(*job) for job in jobs))

    return [error for error in asyncio.run(main()) if error]


@event_priority(100)  # before mkdocs-jupyter's on_files, which wraps the .ipynb files as pages
def on_files(files, config):
    from glassnet.classic.notebooks import write_notebook

    for name, lang in _state["missing"]:
        log.warning(f"notebook {lang}/{name} is in CURRICULUM but has no source")
    notebooks = _state["notebooks"]
    if not notebooks:
        log.info("no glassnet.classic.notebooks in this checkout: the curriculum has no notebooks")
        return files
    mode = _mode()
    code = _code_key() if mode != "none" else ""
    shutil.rmtree(BUILD, ignore_errors=True)
    todo = []
    for name, lang, source in notebooks:
        key = hashlib.sha256(f"{mode}\n{code}\n".encode() + source.read_bytes()).hexdigest()
        target = BUILD / "curriculum" / lang / f"{name}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        cached = CACHE / f"{key}.ipynb"
        if cached.exists():
            shutil.copyfile(cached, target)
        else:
            written = write_notebook(name, target.parent / "tmp", lang)
            written.replace(target)
            (target.parent / "tmp").rmdir()
            todo.append((target, cached))
        files.append(File(_page(name, lang), src_dir=str(BUILD), dest_dir=config.site_dir,
                          use_directory_urls=config.use_directory_urls))
    if todo and mode != "none":
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        if mode == "quick":
            env["GLASSNET_QUICK"] = "1"
        else:
            env.pop("GLASSNET_QUICK", None)
        workdirs = []
        for target, _ in todo:
            workdir = BUILD / "run" / f"{target.parent.name}-{target.stem}"
            workdir.mkdir(parents=True, exist_ok=True)
            workdirs.append(workdir)
        start = time.perf_counter()
        errors = _execute_all([(t, w) for (t, _), w in zip(todo, workdirs)], env)
        log.info(f"executed {len(todo)} notebooks ({mode} settings) in "
                 f"{time.perf_counter() - start:.0f} s")
        for error in errors:
            log.error(f"a notebook failed: {error}")
        if errors:
            return files
    CACHE.mkdir(parents=True, exist_ok=True)
    for target, cached in todo:
        shutil.copyfile(target, cached)
    return files


def _table():
    """The curriculum's index table: every notebook in both languages, in the course's order."""
    from glassnet.classic.notebooks import CURRICULUM

    titles = _state["titles"]
    names = [n for n in CURRICULUM if any((n, lang) in titles for lang in LANGUAGE_NAMES)]
    if not names:
        return ""
    rows = ["| | English | 简体中文 | from a shell |", "|---:|---|---|---|"]
    for i, name in enumerate(names, start=1):
        cells = [f"[{titles[(name, lang)]}](../{_page(name, lang)})"
                 if (name, lang) in titles else "" for lang in LANGUAGE_NAMES]
        rows.append(f"| {i} | {cells[0]} | {cells[1]} | `glassnet {CURRICULUM[name]} {name}` |")
    return "\n".join(rows)


def on_page_markdown(markdown, page, config, files):
    if MARKER in markdown:
        return markdown.replace(MARKER, _table())
    return markdown


def on_page_content(html, page, config, files):
    src = page.file.src_uri
    if not (src.startswith("curriculum/") and src.endswith(".ipynb")):
        return html
    _, lang, filename = src.split("/")
    name = filename.removesuffix(".ipynb")
    links = []
    for other, language in LANGUAGE_NAMES.items():
        if other != lang and (name, other) in _state["titles"]:
            target = files.get_file_from_path(_page(name, other))
            links.append(f'<a href="{target.url_relative_to(page.file)}">{language}</a>')
    from glassnet.classic.notebooks import CURRICULUM

    command = f"glassnet {CURRICULUM[name]} {name} --notebook DIR"
    if lang != "en":
        command += f" --lang {lang}"
    bar = (f'<p class="glassnet-notebook-bar">{" · ".join(links)}'
           f'{" · " if links else ""}as a notebook of your own: <code>{command}</code></p>')
    return bar + html
