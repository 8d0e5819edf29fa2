"""Opening a finding in the reader's editor, from a link that works on GitHub.

GitHub renders `cursor://` and `vscode://` links as plain text, so each inline finding links to this
https page instead. The page knows the finding's repository, path, line and head from the database
(the URL carries only the pull request and the finding's marker), so it can point nowhere else:
it is not a redirect service. The reader's local checkout folder is asked once and kept in the
browser's local storage; without it, the page offers vscode.dev and github.dev.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from string import Template
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse

from api.deps import PoolDep
from db.reviews import FindingLocation, ReviewRepository

router = APIRouter(tags=["editor links"])

_PAGE = Template((Path(__file__).resolve().parents[1] / "pages" / "editor.html").read_text(encoding="utf-8"))
_NAME = r"^[A-Za-z0-9_.-]{1,100}$"
_MARKER = r"^[0-9a-f]{8,64}$"
Editor = Literal["cursor", "vscode"]


@router.get("/ide/{owner}/{repo}/pull/{number}/{marker}", response_class=HTMLResponse)
async def open_in_editor(
    pool: PoolDep,
    owner: Annotated[str, PathParam(pattern=_NAME)],
    repo: Annotated[str, PathParam(pattern=_NAME)],
    number: Annotated[int, PathParam(ge=1)],
    marker: Annotated[str, PathParam(pattern=_MARKER)],
    editor: Annotated[Editor | None, Query(description="open straight away in this editor")] = None,
) -> HTMLResponse:
    """A page that opens a posted finding's file and line in Cursor or VS Code (or vscode.dev)."""
    location = await ReviewRepository(pool).posted_finding_location(f"{owner}/{repo}", number, marker)
    if location is None:
        return HTMLResponse(_not_found(f"{owner}/{repo}", number), status_code=404)
    return HTMLResponse(render_editor_page(location, editor))


def render_editor_page(location: FindingLocation, editor: Editor | None) -> str:
    """The page for one finding; every target is built from the stored location only."""
    data = {
        "repository": location.repository,
        "path": location.path,
        "line": location.line,
        "editor": editor,
        "web": web_targets(location),
    }
    title = f"{location.repository}#{location.pr_number} · {location.path}:{location.line}"
    return _PAGE.substitute(title=html.escape(title), data=_script_json(data))


def web_targets(location: FindingLocation) -> dict[str, str]:
    """https fallbacks: vscode.dev and github.dev for github.com, the blob page on any host."""
    path, line, sha, repo = quote(location.path, safe="/._-~@+"), location.line, location.head_sha, location.repository
    host = "https://github.com"
    if location.pr_url and "/pull/" in location.pr_url:
        host = location.pr_url.split("/pull/")[0].removesuffix(f"/{repo}")
    targets = {"blob": f"{host}/{repo}/blob/{sha}/{path}#L{line}"}
    if host == "https://github.com":
        targets["vscode.dev"] = f"https://vscode.dev/github/{repo}/blob/{sha}/{path}#L{line}"
        targets["github.dev"] = f"https://github.dev/{repo}/blob/{sha}/{path}#L{line}"
    return targets


def _script_json(data: object) -> str:
    # Inside <script>, "</" could close the tag: escape it (and the other HTML-significant characters).
    text = json.dumps(data)
    return re.sub(r"[<>&]", lambda m: f"\\u{ord(m.group()):04x}", text)


def _not_found(repository: str, number: int) -> str:
    return (
        "<!doctype html><meta charset=utf-8><title>Not a reviewed finding</title>"
        f"<p>This link does not name a finding that PR Agent posted on {html.escape(repository)}#{number}.</p>"
    )
