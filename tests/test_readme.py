"""Every Python block of the README, and of the site pages its longer sections moved to, runs as
written: one after the other, in the README's former order, in one namespace, in a fresh folder
(the blocks write their CSV files and figures there), as a reader pasting them into one
notebook would. (tests/test_docs.py runs the other pages' blocks.)"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["README.md", "docs/curriculum/lessons.md", "docs/guide/data.md", "docs/guide/export.md",
         "docs/guide/projects.md", "docs/guide/search.md", "docs/guide/sklearn.md"]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def python_blocks():
    """(page, number on the page, code) of every Python block, page after page."""
    return [(page, i, block) for page in PAGES
            for i, block in enumerate(BLOCK.findall((ROOT / page).read_text(encoding="utf-8")),
                                      start=1)]


def test_the_readme_has_its_python_blocks():
    blocks = [code for _, _, code in python_blocks()]
    assert len(blocks) >= 10
    assert any("train_csv" in b for b in blocks) and any("GlassNetClassifier" in b
                                                         for b in blocks)


@pytest.mark.slow
def test_every_python_block_of_the_readme_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__readme__"}
    for page, i, block in python_blocks():
        try:
            exec(compile(block, f"{page} python block {i}", "exec"), namespace)
        except Exception as e:  # pragma: no cover - the message names the block
            raise AssertionError(f"{page} python block {i} fails: {e!r}\n{block}") from e
