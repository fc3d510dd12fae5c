"""The notebooks' sources: one per lesson and project in each language, twins that run the same
code, the glossary's terms, the course order, and shipped with the package."""

import fnmatch
import re
from pathlib import Path

import pytest
from tests.classic.notebooks.sources import (
    CURRICULUM,
    FOLDER,
    GLOSSARY,
    LANGUAGES,
    code_tokens,
    english_pattern,
    glossary,
    prose,
    read,
)

from glassnet.classic.lessons import LESSONS
from glassnet.projects import PROJECTS

ROOT = Path(__file__).resolve().parents[3]
TWINS = [pytest.param(name, id=name) for name in CURRICULUM]


def test_every_lesson_and_project_has_a_notebook_in_each_language():
    assert set(LESSONS) | set(PROJECTS) <= set(CURRICULUM)
    for lang in LANGUAGES:
        files = {path.stem for path in (FOLDER / lang).glob("*.md")}
        assert files == set(CURRICULUM), f"{lang}/ differs from the curriculum"


@pytest.mark.parametrize("name", TWINS)
def test_twins_have_the_same_cells_and_the_same_code(name):
    en, zh = read(name, "en"), read(name, "zh")
    assert [c.cell_type for c in en.cells] == [c.cell_type for c in zh.cells]
    for k, (a, b) in enumerate(zip(en.cells, zh.cells)):
        if a.cell_type == "code":
            assert code_tokens(a.source) == code_tokens(b.source), f"code cell {k} differs"
            assert a.metadata.get("tags") == b.metadata.get("tags"), f"cell {k}'s tags differ"
    assert en.metadata.kernelspec == zh.metadata.kernelspec
    assert en.metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("name", TWINS)
def test_each_notebook_shows_maths_draws_and_checks_its_numbers(name):
    for lang in LANGUAGES:
        nb = read(name, lang)
        markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert "$" in markdown, f"{lang}/{name} shows no maths"
        assert re.search(r"^\s*(assert |np\.testing\.assert)", code, re.M), \
            f"{lang}/{name} asserts none of its numbers"
        assert re.search(r"plt\.show\(\)|display\(", code), f"{lang}/{name} draws no figure"
        assert "GLASSNET_QUICK" in code, f"{lang}/{name} has no quick setting"


def test_titles_number_the_notebooks_in_course_order():
    for k, name in enumerate(CURRICULUM, start=1):
        for lang in LANGUAGES:
            first = read(name, lang).cells[0].source.splitlines()[0]
            assert first.startswith(f"# {k}. "), f"{lang}/{name}: {first!r} is not number {k}"


def test_glossary_has_one_chinese_term_per_english_term():
    rows = glossary()
    assert len(rows) > 40
    english = [en.lower() for en, _, _ in rows]
    assert len(english) == len(set(english)), "an English term appears twice"
    for en, zh, avoid in rows:
        assert zh not in avoid, f"{en}: {zh} is both the term and a variant to avoid"


@pytest.mark.parametrize("name", TWINS)
def test_chinese_notebooks_use_the_glossary_terms(name):
    en, zh = prose(read(name, "en")), prose(read(name, "zh"))
    # a string both twins share is data (a dict key, a column name), not prose to translate
    en = "\n".join(part for part in en if part not in set(zh))
    zh = "\n".join(zh)
    for term, chinese, avoid in glossary():
        if english_pattern(term).search(en):
            assert chinese.lower() in zh.lower(), \
                f"zh/{name} says {term!r} without the glossary's {chinese!r}"
        for variant in avoid:
            assert variant not in zh, f"zh/{name} says {variant!r}; the glossary says {chinese!r}"


def test_chinese_curriculum_page_uses_the_glossary_terms():
    page = (ROOT / "docs" / "curriculum.zh.md").read_text(encoding="utf-8")
    for _, chinese, avoid in glossary():
        for variant in avoid:
            assert variant not in page, f"curriculum.zh.md says {variant!r}, not {chinese!r}"


def test_curriculum_pages_list_every_notebook_in_order():
    for page in ("curriculum.md", "curriculum.zh.md"):
        text = (ROOT / "docs" / page).read_text(encoding="utf-8")
        positions = []
        for name in CURRICULUM:
            kind = CURRICULUM[name]
            command = f"glassnet {kind} {name}"
            assert command in text, f"{page} does not list {command!r}"
            assert f"notebooks/en/{name}.md" in text and f"notebooks/zh/{name}.md" in text
            positions.append(text.index(command))
        assert positions == sorted(positions), f"{page} lists the notebooks out of order"
        for test in re.findall(r"`(tests/[\w/]+\.py)`", text):
            assert (ROOT / test).is_file(), f"{page} names {test}, which does not exist"


def _resolve(dotted):
    """The object a dotted name like ``glassnet.nn.Sequential.train_step`` names."""
    import importlib

    parts = dotted.split(".")
    for k in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:k]))
        except ImportError:
            continue
        for part in parts[k:]:
            obj = getattr(obj, part)
        return obj
    raise ImportError(dotted)


def test_curriculum_pages_name_only_api_that_exists():
    text = (ROOT / "docs" / "curriculum.md").read_text(encoding="utf-8")
    rows = re.findall(r"\| `(glassnet\.[\w.]+)`: ([^|]+) \|", text)
    assert len(rows) == len(CURRICULUM)
    for module, names in rows:
        for name in re.findall(r"`([\w.]+)`", names):
            assert _resolve(name if name.startswith("glassnet.") else f"{module}.{name}")


def test_the_package_ships_every_notebook_and_the_glossary():
    from glassnet.settings import tomllib  # tomli on Python 3.10

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["glassnet"]
    package = FOLDER.parents[1]
    shipped = [*FOLDER.glob("*/*.md"), GLOSSARY]
    for path in shipped:
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), f"{relative} is not shipped"
