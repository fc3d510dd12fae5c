"""Every Python block of the README runs as written: one after the other, in one namespace, in
a fresh folder (the blocks write their CSV files and figures there), as a reader pasting them
into one notebook would."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def python_blocks():
    return BLOCK.findall(README.read_text(encoding="utf-8"))


def test_the_readme_has_its_python_blocks():
    blocks = python_blocks()
    assert len(blocks) >= 8
    assert any("train_csv" in b for b in blocks) and any("GlassNetClassifier" in b
                                                         for b in blocks)


@pytest.mark.slow
def test_every_python_block_of_the_readme_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__readme__"}
    for i, block in enumerate(python_blocks()):
        try:
            exec(compile(block, f"README.md python block {i + 1}", "exec"), namespace)
        except Exception as e:  # pragma: no cover - the message names the block
            raise AssertionError(f"README python block {i + 1} fails: {e!r}\n{block}") from e
