"""The documentation site's own checks that need no site build: every module of the package has
its place in the API reference, the internal-link check of the build finds what it must, and the
Python of the README and of the pages runs as written. CI builds the site itself with ``make
docs`` (strict: a warning or a broken internal link fails it)."""

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
# The README and the pages its longer sections moved to, in the README's former order: their
# blocks build on each other (a CSV written in one is read in the next).
README_PAGES = ["README.md", "docs/curriculum/lessons.md", "docs/guide/data.md",
                "docs/guide/export.md", "docs/guide/projects.md", "docs/guide/search.md",
                "docs/guide/sklearn.md"]


def _hook(name):
    spec = importlib.util.spec_from_file_location(f"docs_hook_{name}",
                                                  DOCS / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _modules():
    """Every public module of glassnet, by its dotted name."""
    names = set()
    for path in (ROOT / "src").rglob("*.py"):
        parts = list(path.with_suffix("").relative_to(ROOT / "src").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if not any(part.startswith("_") for part in parts):
            names.add(".".join(parts))
    return names


def test_every_module_is_in_the_api_reference():
    documented = set()
    for page in (DOCS / "reference").glob("*.md"):
        documented |= set(re.findall(r"^::: (\S+)", page.read_text(encoding="utf-8"), re.M))
    modules = _modules()
    assert {"glassnet.nn.model", "glassnet.tabular", "glassnet.cli.tabular"} <= modules
    assert sorted(modules - documented) == [], "modules missing from docs/reference/*.md"
    assert sorted(documented - modules) == [], "docs/reference/*.md names modules that are gone"


def test_every_page_is_in_the_navigation():
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")
             if "hooks" not in p.parts}
    assert "guide/data.md" in pages and "design.md" in pages
    missing = sorted(p for p in pages if not re.search(rf"[\s:]{re.escape(p)}\s*$", nav, re.M))
    assert missing == []


def _site(tmp_path, pages):
    for name, html in pages.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    return tmp_path


def test_the_link_check_passes_a_site_whose_links_all_lead_somewhere(tmp_path):
    check_site = _hook("links").check_site
    site = _site(tmp_path, {
        "index.html": '<a href="guide/">guide</a> <a href="guide/index.html#setup">setup</a> '
                      '<a href="#top">top</a><h1 id="top">t</h1> <img src="img/a.png"> '
                      '<a href="https://example.org/missing">external</a> '
                      '<a href="mailto:x@example.org">mail</a>',
        "guide/index.html": '<h2 id="setup">Setup</h2><a href="../index.html">home</a>'
                            '<a name="old"></a><a href="#old">old</a>',
        "img/a.png": "",
    })
    assert check_site(site) == []


def test_the_link_check_finds_missing_files_anchors_and_links_out_of_the_site(tmp_path):
    check_site = _hook("links").check_site
    site = _site(tmp_path / "site", {
        "index.html": '<a href="guide/">guide</a> <a href="guide/index.html#nowhere">x</a> '
                      '<a href="#gone">gone</a> <img src="img/missing.png"> '
                      '<a href="../outside.html">out</a>',
        "guide/index.html": '<h2 id="setup">Setup</h2>',
    })
    (tmp_path / "outside.html").write_text("", encoding="utf-8")
    problems = check_site(site)
    assert problems == sorted([
        "index.html: 'guide/index.html#nowhere' (no anchor #nowhere in guide/index.html)",
        "index.html: '#gone' (no anchor #gone in index.html)",
        "index.html: 'img/missing.png' (no such file)",
        "index.html: '../outside.html' (outside the site)",
    ])


def python_blocks(*pages):
    """(page, number on the page, code) of every Python block of ``pages`` (paths from the
    repository's root), page after page."""
    return [(page, i, block) for page in pages
            for i, block in enumerate(PYTHON_BLOCK.findall((ROOT / page).read_text(
                encoding="utf-8")), start=1)]


def run_blocks(blocks):
    """Run the blocks one after the other in one namespace, as a reader pasting them into one
    session would; a failure names its page and block."""
    namespace = {"__name__": "__docs__"}
    for page, i, block in blocks:
        try:
            exec(compile(block, f"{page}, python block {i}", "exec"), namespace)
        except Exception as e:  # pragma: no cover - the message names the block
            raise AssertionError(f"{page} python block {i} fails: {e!r}\n{block}") from e


def test_the_python_of_the_first_pages_runs_as_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for page in ("docs/getting-started.md", "docs/guide/networks.md"):
        blocks = python_blocks(page)
        assert len(blocks) >= 2, page
        run_blocks(blocks)
    assert (tmp_path / "wine.csv").exists() and (tmp_path / "scaled_tanh.npz").exists()


def test_the_readme_and_its_pages_have_their_python_blocks():
    blocks = [code for _, _, code in python_blocks(*README_PAGES)]
    assert len(blocks) >= 10
    assert any("train_csv" in b for b in blocks) and any("GlassNetClassifier" in b
                                                         for b in blocks)


@pytest.mark.slow
def test_every_python_block_of_the_readme_and_its_pages_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run_blocks(python_blocks(*README_PAGES))
