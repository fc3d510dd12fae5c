"""MkDocs hook: after the build, every internal link of every page must lead somewhere.

MkDocs checks the links it writes from Markdown (the ``validation`` settings of mkdocs.yml),
but not the HTML that plugins write: the notebooks rendered by mkdocs-jupyter, the API
reference, raw HTML in a page. This hook reads every HTML file of the built site and checks
each relative ``href`` and ``src``: the file must exist, and a ``#fragment`` must be an ``id``
(or an ``<a name>``) in it. Each broken link is a warning, so ``mkdocs build --strict`` fails
on it. Links with a scheme (``https:``, ``mailto:``, ``data:``) are external and not followed.
"""

from __future__ import annotations

import logging
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.links")

__all__ = ["check_site", "on_post_build"]

LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src",
                   "iframe": "src"}


class _Page(HTMLParser):
    """The ids and the links of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        target = attrs.get(LINK_ATTRIBUTES.get(tag, ""))
        if target:
            self.links.append(target)


def _read(path, pages):
    if path not in pages:
        page = _Page()
        page.feed(path.read_text(encoding="utf-8", errors="replace"))
        pages[path] = page
    return pages[path]


def _resolve(site, page_path, target):
    """The file a relative link from ``page_path`` leads to, or None when it leads nowhere."""
    path = unquote(target)
    base = site if path.startswith("/") else page_path.parent
    resolved = (base / path.lstrip("/")).resolve()
    if resolved.is_dir():
        resolved = resolved / "index.html"
    return resolved if resolved.is_file() else None


def check_site(site_dir):
    """Every broken internal link of the HTML files under ``site_dir``, as
    ``"page.html: 'target' (why)"`` strings, sorted."""
    site = Path(site_dir).resolve()
    pages, problems = {}, []
    for html in sorted(site.rglob("*.html")):
        page = _read(html, pages)
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # external: https:, mailto:, data:, //host/...
            where = html.relative_to(site)
            if parts.path:
                target = _resolve(site, html, parts.path)
                if target is None:
                    problems.append(f"{where}: {link!r} (no such file)")
                    continue
                if not target.is_relative_to(site):
                    problems.append(f"{where}: {link!r} (outside the site)")
                    continue
            else:
                target = html
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in _read(target,
                                                                                 pages).ids:
                problems.append(f"{where}: {link!r} (no anchor #{fragment} in "
                                f"{target.relative_to(site)})")
    return sorted(set(problems))


@event_priority(-100)  # last: after every other hook has written its files into the site
def on_post_build(config):
    problems = check_site(config.site_dir)
    for problem in problems:
        log.warning(f"broken internal link: {problem}")
    if not problems:
        log.info("internal links: every link of every page leads somewhere")
