"""The generated description lives in a marked section of the pull request's body.

The author's own text outside the section is never touched: writing the description is a
read-modify-write of the latest body, replacing only what lies between the two markers (or
appending the section when there is none yet). An author who deletes the section's end marker
gets a fresh section appended; their text stays as it is.
"""

from __future__ import annotations

START = "<!-- pr-agent:describe:start -->"
END = "<!-- pr-agent:describe:end -->"
_NOTE = "<!-- Written by PR Agent (/describe). Edit outside this section: it is replaced on the next /describe. -->"


def merge_description(body: str | None, section: str) -> str:
    """`body` with its generated section replaced by `section` (or the section appended)."""
    current = (body or "").replace("\r\n", "\n")
    block = f"{START}\n{_NOTE}\n{section.strip()}\n{END}"
    start = current.find(START)
    end = current.find(END, start + len(START)) if start >= 0 else -1
    if start >= 0 and end >= 0:
        return current[:start] + block + current[end + len(END) :]
    own = current.rstrip()
    return f"{own}\n\n{block}\n" if own else f"{block}\n"


def authors_text(body: str | None) -> str:
    """The body without the generated section: what belongs to the author."""
    current = (body or "").replace("\r\n", "\n")
    start = current.find(START)
    end = current.find(END, start + len(START)) if start >= 0 else -1
    if start < 0 or end < 0:
        return current.strip()
    return (current[:start] + current[end + len(END) :]).strip()


def has_section(body: str | None) -> bool:
    """Whether the body still holds a whole generated section (both markers, in order)."""
    current = body or ""
    start = current.find(START)
    return start >= 0 and current.find(END, start + len(START)) >= 0
