"""HTML tables for notebooks: what ``_repr_html_`` of a model, a ``History`` or a model bundle
shows (plain HTML, every cell escaped)."""

from __future__ import annotations

import html

__all__ = ["html_table"]


def html_table(head, rows, caption=None):
    """An HTML ``<table>`` with header cells ``head`` and rows of cells (each made text)."""
    def cells(tag, values):
        return "".join(f"<{tag}>{html.escape(str(v))}</{tag}>" for v in values)

    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    body = "".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    return (f"<table>{title}<thead><tr>{cells('th', head)}</tr></thead>"
            f"<tbody>{body}</tbody></table>")
