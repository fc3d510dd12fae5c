"""MkDocs hook: the course's notebooks as pages of the site, in English and in Chinese.

The notebooks live in the package as MyST markdown (``glassnet.classic.notebooks``: ``en/NAME.md``
and ``zh/NAME.md``, in the order of ``CURRICULUM``). For each one this hook writes the
``.ipynb`` (through ``write_notebook``, as ``glassnet lesson NAME --notebook DIR`` does),
executes it in a fresh kernel, and hands it to mkdocs-jupyter, which renders it with its
outputs; it adds the pages to the navigation under "Curriculum", fills the curriculum's index
table (the ``<!-- notebooks -->`` marker), puts a bar above each notebook linking its other
language, gives the notebooks' headings ids that work in Chinese, adds the glossary as a page
and leads links to the MyST sources (docs/curriculum.md's) to the rendered pages.

``GLASSNET_DOCS_OUTPUTS`` chooses the outputs:

- ``full`` (the default): each notebook at its own settings, the numbers its prose quotes;
- ``quick``: with ``GLASSNET_QUICK=1``, as the test suite runs them (a faster preview, and
  what CI builds);
- ``none``: the notebooks rendered without executing them (to work on the prose).

Executed notebooks are cached in ``.cache/docs-notebooks/`` under a key made of the notebook's
source, the settings and every Python file of the package, so a rebuild executes only what
changed. See docs/design.md, "Documentation site".
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import posixpath
import re
import shutil
import subprocess
import time
from pathlib import Path, PurePosixPath

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
            return line[2:].strip().replace("`", "")  # the navigation shows plain text
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


# A page of the site is static: a slider would need a live kernel behind it. Run first in each
# kernel, this makes ``import ipywidgets`` fail (a None in sys.modules does), so the notebooks
# take the branch they take without ipywidgets and draw their two settings; the cell is removed
# from the notebook afterwards.
NO_WIDGETS = 'import sys; sys.modules["ipywidgets"] = None'


async def _execute(path, workdir, env):
    import nbclient
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(NO_WIDGETS))
    from glassnet.classic.notebooks import poll_in_slices

    # polling afresh every second: a lost wake-up of pyzmq's poll would hang the build
    client = poll_in_slices(nbclient.NotebookClient(
        notebook, timeout=TIMEOUT, kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}}))
    try:
        # The kernel's own stderr is a line per kernel about TCP without encryption (on
        # loopback); a cell's errors and output come through the protocol, not stderr.
        await client.async_execute(env=env, stderr=subprocess.DEVNULL)
    except nbclient.exceptions.CellExecutionError as error:
        return f"{path.name}: {str(error).splitlines()[0]}"
    del notebook.cells[0]
    for cell in notebook.cells:  # number the cells as if the first had not been there
        if cell.cell_type == "code" and cell.get("execution_count"):
            cell.execution_count -= 1
            for output in cell.outputs:
                if "execution_count" in output:
                    output.execution_count = cell.execution_count
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
    for name, lang in _state["missing"]:
        log.warning(f"notebook {lang}/{name} is in CURRICULUM but has no source")
    notebooks = _state["notebooks"]
    if not notebooks:
        log.info("no glassnet.classic.notebooks in this checkout: the curriculum has no notebooks")
        return files
    from glassnet.classic.notebooks import write_notebook

    shutil.rmtree(BUILD, ignore_errors=True)
    glossary = PACKAGE / "classic" / "notebooks" / "glossary.md"
    if glossary.exists():  # the terms of the Chinese notebooks, a page of the curriculum
        target = BUILD / GLOSSARY
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(glossary, target)
        files.append(File(GLOSSARY, src_dir=str(BUILD), dest_dir=config.site_dir,
                          use_directory_urls=config.use_directory_urls))
    mode = _mode()
    code = _code_key() if mode != "none" else ""
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


def _escaped(text):
    """``text`` as Markdown shows it literally (a title's ``*``, as in "``*`` against np.dot")."""
    return text.replace("*", r"\*").replace("_", r"\_")


def _table():
    """The curriculum's index table: every notebook in both languages, in the course's order."""
    from glassnet.classic.notebooks import CURRICULUM

    titles = _state["titles"]
    names = [n for n in CURRICULUM if any((n, lang) in titles for lang in LANGUAGE_NAMES)]
    if not names:
        return ""
    rows = ["| | English | 简体中文 | from a shell |", "|---:|---|---|---|"]
    for i, name in enumerate(names, start=1):
        cells = [f"[{_escaped(titles[(name, lang)])}](../{_page(name, lang)})"
                 if (name, lang) in titles else "" for lang in LANGUAGE_NAMES]
        rows.append(f"| {i} | {cells[0]} | {cells[1]} | `glassnet {CURRICULUM[name]} {name}` |")
    return "\n".join(rows)


GLOSSARY = "curriculum/glossary.md"
LINK = re.compile(r"\]\(([^)\s#]+\.md)(#[^)\s]*)?\)")


def _site_links(markdown, page, config):
    """``markdown`` with its links to the notebooks' MyST sources and the glossary in the
    package (``../src/glassnet/classic/notebooks/en/NAME.md``, as docs/curriculum.md has them,
    so that they work on a repository's web page too) led to their pages on the site."""
    folder = (Path(config.docs_dir) / page.file.src_uri).parent
    here = PurePosixPath(page.file.src_uri).parent
    notebooks = (PACKAGE / "classic" / "notebooks").resolve()

    def lead(match):
        target = (folder / match.group(1)).resolve()
        if not target.is_relative_to(notebooks):
            return match.group(0)
        parts = target.relative_to(notebooks).parts
        if parts == ("glossary.md",):
            page_path = GLOSSARY
        elif len(parts) == 2 and parts[0] in LANGUAGE_NAMES:
            page_path = _page(parts[1].removesuffix(".md"), parts[0])
        else:
            return match.group(0)
        relative = os.path.relpath(page_path, here or ".")
        return f"]({relative}{match.group(2) or ''})"

    return LINK.sub(lead, markdown)


def on_page_markdown(markdown, page, config, files):
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, _table())
    return _site_links(markdown, page, config)


HEADING = re.compile(r'<h([1-6]) id="[^"]*">(.*?)<a class="anchor-link" href="#[^"]*">',
                     re.DOTALL)


def _anchors(html, toc):
    """``html`` and ``toc`` with one id per heading, the same in both, Chinese kept.

    mkdocs-jupyter makes the headings' ids and the table of contents' anchors with two
    different ASCII-only slug functions: a Chinese heading gets ``id=""`` in the page and
    ``#_1`` in the contents, and a heading with code in it two different ids. Both list the
    notebook's Markdown headings in order, so each heading gets the Unicode slug of its text
    (``#形状小测验``), made unique, in the page and in the contents alike."""
    from pymdownx.slugs import slugify

    slug = slugify(case="lower")
    items, stack = [], list(reversed(list(toc)))
    while stack:
        item = stack.pop()
        items.append(item)
        stack.extend(reversed(list(item.children)))
    headings = list(HEADING.finditer(html))
    if len(headings) != len(items):
        log.warning(f"{len(headings)} headings but {len(items)} entries in the contents")
        return html
    seen, out, last = set(), [], 0
    for match, item in zip(headings, items):
        text = re.sub(r"<[^>]+>", "", match.group(2))
        anchor = base = slug(text, "-") or "section"
        n = 1
        while anchor in seen:
            anchor, n = f"{base}_{n}", n + 1
        seen.add(anchor)
        item.id = anchor
        level = match.group(1)
        out += [html[last:match.start()],
                f'<h{level} id="{anchor}">{match.group(2)}<a class="anchor-link" '
                f'href="#{anchor}">']
        last = match.end()
    return "".join(out) + html[last:]


# mkdocs-jupyter writes the notebooks' MathJax loader with an empty src (its option's default,
# "", overrides nbconvert's CDN address), so no formula would render. The site carries its own
# copy of MathJax 2.7, the one Jupyter serves (jupyter-server-mathjax, the docs extra): the
# formulas render offline too.
MATHJAX_LOADER = '<script src=""> </script>\n<!-- MathJax configuration -->'
MATHJAX = "assets/mathjax"
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"
# That copy has the STIX web fonts only (as Jupyter configures it); MathJax looks for TeX's.
MATHJAX_FONTS = ('<script type="text/x-mathjax-config">MathJax.Hub.Config({"HTML-CSS": '
                 '{availableFonts: [], webFont: "STIX-Web", imageFont: null}, '
                 'SVG: {font: "STIX-Web"}});</script>')


def _mathjax_source():
    try:
        import jupyter_server_mathjax
    except ImportError:
        return None
    return Path(jupyter_server_mathjax.__file__).parent / "static"


def _with_mathjax(html, page):
    if MATHJAX_LOADER not in html:
        log.warning(f"{page.file.src_uri}: no MathJax loader to point at the site's MathJax")
        return html
    if _mathjax_source() is None:
        log.warning("jupyter-server-mathjax is missing (pip install '.[docs]'): the notebooks' "
                    "formulas will not render")
        return html
    folder = page.url if page.url.endswith("/") else posixpath.dirname(page.url)
    src = posixpath.relpath(f"{MATHJAX}/MathJax.js", folder or ".")
    loader = f'{MATHJAX_FONTS}\n<script src="{src}?config={MATHJAX_CONFIG}"></script>'
    return html.replace(MATHJAX_LOADER, f"{loader}\n<!-- MathJax configuration -->", 1)


def on_post_build(config):
    source = _mathjax_source()
    if _state["notebooks"] and source is not None:
        shutil.copytree(source, Path(config.site_dir) / MATHJAX, dirs_exist_ok=True)


def on_page_content(html, page, config, files):
    src = page.file.src_uri
    if not (src.startswith("curriculum/") and src.endswith(".ipynb")):
        return html
    html = _with_mathjax(_anchors(html, page.toc), page)
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
