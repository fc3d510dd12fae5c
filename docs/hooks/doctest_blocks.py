"""Griffe extension: doctest blocks anywhere in a docstring render as Python console code.

glassnet's docstrings put their doctests where the text needs them (the lessons' numbers
between the sentences that explain them), not only under an "Examples" heading, and pytest
runs them all (``--doctest-modules``). Docutils reads a paragraph that starts with ``>>>`` as
a doctest block wherever it is; griffe's NumPy-style parser does so only in an "Examples"
section and would hand the rest to Markdown as prose (its ``[[0, 1], [2, 3]]`` outputs then
read as reference links). This extension applies docutils' rule before the parser runs: each
paragraph whose first line starts with ``>>>`` is fenced as a ``pycon`` code block.
"""

from __future__ import annotations

import griffe

__all__ = ["DoctestBlocks", "fence_doctest_blocks"]


def fence_doctest_blocks(text):
    """``text`` with every paragraph that starts with ``>>>`` (outside a fence) fenced."""
    lines = text.split("\n")
    out, i, in_fence = [], 0, False
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        if stripped.startswith("```"):
            in_fence = not in_fence
        elif not in_fence and stripped.startswith(">>>") and (i == 0 or not lines[i - 1].strip()):
            indent = line[: len(line) - len(stripped)]
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i])
                i += 1
            out += [f"{indent}```pycon", *block, f"{indent}```"]
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


class DoctestBlocks(griffe.Extension):
    """Fence the doctest blocks of every docstring (see the module's docstring)."""

    def on_object(self, *, obj, **kwargs):
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctest_blocks(obj.docstring.value)
