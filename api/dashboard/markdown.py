"""Markdown to safe HTML, with citations turned into links.

Raw HTML in the source is escaped, never passed through (documents and answers quote model output
and repository content). Citations are linked in the rendered text only: never inside an existing
link or a code block, so a listing stays as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from api.dashboard.formatting import link_target
from domain.knowledge.citations import PATH_LINE, blob_url
from domain.knowledge.ranking import slugify

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_TAG = re.compile(r"(<[^>]+>)")
_SKIP_INSIDE = ("a", "pre")
_HEADING_OPEN = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)


def markdown_html(text: str, link: Callable[[str], str] | None = None) -> Markup:
    """`text` rendered; `link` rewrites each plain-text segment (already HTML-escaped)."""
    html = _PARSER.render(text)
    if link is not None:
        html = _link_text(html, link)
    return Markup(_anchor_headings(html))


def _link_text(html: str, link: Callable[[str], str]) -> str:
    out: list[str] = []
    depth = {name: 0 for name in _SKIP_INSIDE}
    for part in _TAG.split(html):
        if part.startswith("<"):
            name = part.strip("</>").split()[0].lower() if part.strip("</>") else ""
            if name in depth:
                depth[name] += -1 if part.startswith("</") else 1
            out.append(part)
        elif any(depth.values()):
            out.append(part)
        else:
            out.append(link(part))
    return "".join(out)


def _anchor_headings(html: str) -> str:
    """Headings get ids (the slug of their text), so sections can be linked to."""

    def anchor(match: re.Match[str]) -> str:
        text = re.sub(r"<[^>]+>", "", match.group(2))
        return f'<h{match.group(1)} id="{slugify(text)}">{match.group(2)}</h{match.group(1)}>'

    return _HEADING_OPEN.sub(anchor, html)


def path_linker(repo_url: str | None, commit: str | None) -> Callable[[str], str]:
    """Links `path:line` citations of one repository to its files at `commit`."""

    def link(segment: str) -> str:
        def replace(match: re.Match[str]) -> str:
            start = int(match.group(2))
            url = link_target(blob_url(repo_url, commit, match.group(1), start, int(match.group(3) or start)))
            text = match.group(0)
            return f'<a class="cite" href="{escape(url)}">{text}</a>' if url else text

        return PATH_LINE.sub(replace, segment)

    return link


def citation_linker(urls: Mapping[str, str | None], unknown: set[str]) -> Callable[[str], str]:
    """Links each known citation text to its URL and marks citations the evidence does not hold."""
    texts = sorted([*urls, *unknown], key=len, reverse=True)
    if not texts:
        return lambda segment: segment
    pattern = re.compile("|".join(re.escape(str(escape(t))) for t in texts))

    def link(segment: str) -> str:
        def replace(match: re.Match[str]) -> str:
            text = match.group(0)
            original = next(t for t in texts if str(escape(t)) == text)
            if original in unknown:
                return f'<span class="cite-unknown" title="not in the retrieved evidence">{text} ⚠</span>'
            url = link_target(urls.get(original))
            return f'<a class="cite" href="{escape(url)}">{text}</a>' if url else f'<span class="cite">{text}</span>'

        return pattern.sub(replace, segment)

    return link
