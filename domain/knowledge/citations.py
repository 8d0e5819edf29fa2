"""Citations: `path:line` in architecture documents, and what an answer cites, checked against the
evidence it was given (an answer citing something it was not shown is flagged, not trusted).

Forms: `owner/repo:path:line` (code), `KEY-12` (Jira), `owner/repo#42` (pull request),
`owner/repo@abc1234` (commit), `owner/repo:architecture#section` (an architecture document section).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from domain.knowledge.evidence import Citation, Evidence, EvidenceKind

_REPO = r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+"
# A path:line citation as investigations write them: the path has a slash or a file extension.
PATH_LINE = re.compile(r"(?<![\w/.:@#-])((?:[\w.-]+/)*[\w-]+\.\w+|(?:[\w.-]+/)+[\w.-]+):(\d+)(?:-(\d+))?\b")
_CODE = re.compile(rf"(?<![\w/.-])({_REPO}):([^\s:`'\"()\[\]<>,;]+):(\d+)(?:-(\d+))?\b")
_ARCH = re.compile(rf"(?<![\w/.-])({_REPO}):architecture#([\w-]+)")
_PULL = re.compile(rf"(?<![\w/.-])({_REPO})#(\d+)\b")
_COMMIT = re.compile(rf"(?<![\w/.-])({_REPO})@([0-9a-f]{{7,40}})\b")
_TICKET = re.compile(r"\b([A-Z][A-Z0-9]{1,9})-(\d+)\b")


@dataclass(frozen=True)
class PathCitation:
    text: str
    path: str
    start: int
    end: int


_MENTIONED_PULL = re.compile(rf"(?<![\w/.-])({_REPO})?#(\d+)\b")


def mentioned_pulls(question: str) -> list[tuple[str | None, int]]:
    """Pull requests a question names: `owner/repo#42`, or `#42` in any repository."""
    return [(m.group(1), int(m.group(2))) for m in _MENTIONED_PULL.finditer(question)]


def path_citations(text: str) -> Iterator[PathCitation]:
    """Every `path:line` or `path:start-end` in `text` (not those already qualified by a repository)."""
    for match in PATH_LINE.finditer(text):
        start = int(match.group(2))
        yield PathCitation(match.group(0), match.group(1), start, int(match.group(3) or start))


def qualify_paths(repository: str, text: str) -> str:
    """`src/app.py:12` → `owner/repo:src/app.py:12`, so an answer can cite it across repositories."""
    return PATH_LINE.sub(lambda m: f"{repository}:{m.group(0)}", text)


def blob_url(repo_url: str | None, commit: str | None, path: str, start: int, end: int | None = None) -> str | None:
    """The web page of a file's lines at a commit (GitHub's URL scheme); None when unknown."""
    if not repo_url or not commit:
        return None
    anchor = f"#L{start}" if end is None or end == start else f"#L{start}-L{end}"
    return f"{repo_url.rstrip('/')}/blob/{commit}/{path}{anchor}"


def extract_citations(answer: str, evidence: Sequence[Evidence]) -> list[Citation]:
    """The citations in `answer`, first mention first, each checked against `evidence`."""
    found: dict[str, Citation] = {}
    for _start, citation in sorted(_all(answer, evidence), key=lambda pair: pair[0]):
        found.setdefault(citation.text, citation)
    return list(found.values())


def _all(answer: str, evidence: Sequence[Evidence]) -> Iterator[tuple[int, Citation]]:
    for match in _CODE.finditer(answer):
        yield match.start(), _code(match, evidence)
    for match in _ARCH.finditer(answer):
        yield match.start(), _by_ref(match.group(0), "architecture", evidence)
    for match in _PULL.finditer(answer):
        yield match.start(), _by_ref(match.group(0), "pull_request", evidence)
    for match in _COMMIT.finditer(answer):
        yield match.start(), _commit(match, evidence)
    projects = {e.ref.split("-")[0] for e in evidence if e.kind == "ticket"}
    for match in _TICKET.finditer(answer):
        if match.group(1) in projects:  # "UTF-8" or "SHA-256" are not tickets of this organisation
            yield match.start(), _by_ref(match.group(0), "ticket", evidence)


def _code(match: re.Match[str], evidence: Sequence[Evidence]) -> Citation:
    repo, path, start = match.group(1), match.group(2), int(match.group(3))
    end = int(match.group(4) or start)
    for item in evidence:
        if item.kind == "code" and item.repository == repo and item.path == path and _within(item, start, end):
            return _known(match.group(0), "code", blob_url(item.repo_url, item.commit_sha, path, start, end))
    for item in evidence:  # cited through an architecture section that quoted it
        if item.kind == "architecture" and item.repository == repo and f"{repo}:{path}:" in item.excerpt:
            return _known(match.group(0), "code", blob_url(item.repo_url, item.commit_sha, path, start, end))
    return Citation(text=match.group(0), kind="code", known=False)


def _within(item: Evidence, start: int, end: int) -> bool:
    if item.start_line is None or item.end_line is None:
        return True
    return item.start_line <= start and end <= item.end_line


def _by_ref(text: str, kind: EvidenceKind, evidence: Sequence[Evidence]) -> Citation:
    for item in evidence:
        if item.ref == text:
            return _known(text, item.kind, item.url)
    return Citation(text=text, kind=kind, known=False)


def _commit(match: re.Match[str], evidence: Sequence[Evidence]) -> Citation:
    repo, sha = match.group(1), match.group(2)
    for item in evidence:
        if item.kind == "commit" and item.repository == repo and item.commit_sha and item.commit_sha.startswith(sha):
            return _known(match.group(0), "commit", item.url)
    return Citation(text=match.group(0), kind="commit", known=False)


def _known(text: str, kind: EvidenceKind, url: str | None) -> Citation:
    return Citation(text=text, kind=kind, known=True, url=url)
