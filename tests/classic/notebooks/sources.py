"""Reading the notebooks' MyST sources: their cells, the words of their prose, the glossary."""

import io
import re
import tokenize
from pathlib import Path

import pytest

from glassnet.classic.notebooks import CURRICULUM, LANGUAGES, notebook_source

FOLDER = Path(notebook_source("perceptron")).parents[1]
GLOSSARY = FOLDER / "glossary.md"


def read(name, lang):
    """The notebook as an ``nbformat`` object (through jupytext, as the command reads it)."""
    jupytext = pytest.importorskip("jupytext")
    return jupytext.read(notebook_source(name, lang), fmt="md:myst")


def code_tokens(source):
    """The code of a cell as tokens, without its strings' text, its comments and its magics:
    two cells with the same tokens differ only in what they say, not in what they do."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith("%")]
    tokens, last = [], None
    for tok in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
        kind = tokenize.tok_name[tok.type]
        if kind in ("COMMENT", "NL", "FSTRING_MIDDLE"):
            continue
        if kind == "STRING":
            if last == "STRING":  # "a" "b" is one string, however it is split
                continue
            tokens.append("<string>")
        else:
            tokens.append(tok.string)
        last = kind
    return tokens


def prose(notebook):
    """What a notebook says to its reader: markdown cells, and the strings and comments of its
    code cells (figure titles, labels, printed words), but not its identifiers, code spans or
    formulas: a list of passages."""
    parts = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":  # without its code spans and its maths
            parts.append(re.sub(r"`[^`]*`|\$\$.*?\$\$|\$[^$]*\$", " ", cell.source, flags=re.S))
            continue
        lines = [line for line in cell.source.splitlines() if not line.lstrip().startswith("%")]
        for tok in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
            if tokenize.tok_name[tok.type] in ("STRING", "COMMENT", "FSTRING_MIDDLE"):
                parts.append(tok.string)
    return parts


def glossary():
    """The glossary's rows: (English term, Chinese term, [variants to avoid])."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not line.startswith("|") or set(cells[0]) <= set("- "):
            continue
        if cells[0] == "English":
            continue
        avoid = [v.strip() for v in cells[2].split(",") if v.strip()]
        rows.append((cells[0], cells[1], avoid))
    return rows


def english_pattern(term):
    """A regular expression for ``term`` in English text, its plural included."""
    words = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", term))
    return re.compile(rf"\b{words}(s|es)?\b", re.IGNORECASE)


__all__ = ["CURRICULUM", "FOLDER", "GLOSSARY", "LANGUAGES", "code_tokens", "english_pattern",
           "glossary", "prose", "read"]
