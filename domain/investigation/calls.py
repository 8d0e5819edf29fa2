"""Outgoing HTTP calls with a literal URL: the raw material for "which repository calls whom"."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from domain.investigation.scan import LineIndex, constants, source_files

_URL = r"""(?:(?P<b>[A-Za-z_][\w.]*)\s*\+\s*)?(?P<u>f?'[^'\n]*'|f?"[^"\n]*"|`[^`\n]*`)"""
_RECEIVER = (
    r"(?:\b(?:axios|http|httpService|this\.httpService|this\.http|httpClient|this\.httpClient|"
    r"client|self\.client|self\._client|requests|httpx|session|got|ky|superagent)\."
    r"|\$(?:client|this->client|this->http)->"
    r"|\bHttp::(?:\w+\([^)]*\)->)*)"
)
_CLIENT_CALL = re.compile(_RECEIVER + r"(?P<m>get|post|put|patch|delete|request)\(\s*(?:['\"]\w+['\"]\s*,\s*)?" + _URL)
_FETCH = re.compile(r"\bfetch\(\s*" + _URL)
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|\{[^}]*\}")
# A leading base in a template: ${ORDERS_URL}, {self.base_url}, ${process.env.ORDERS_URL}.
_BASE = re.compile(r"^\$?\{\s*(?:[\w]+\.)*(?P<name>\w+)\s*\}")


@dataclass(frozen=True)
class DetectedCall:
    """One outgoing HTTP call. `url` keeps placeholders as `{}`; `method` may be ANY (fetch)."""

    method: str
    url: str
    file: str
    line: int

    @property
    def location(self) -> str:
        """`path:line` of the call."""
        return f"{self.file}:{self.line}"

    @property
    def host(self) -> str:
        """The host part when the URL is absolute or starts with a named base ("" otherwise)."""
        return call_host(self.url)

    @property
    def path(self) -> str:
        """The path part, e.g. "/users/{}"."""
        return call_path(self.url)


def detect_http_calls(file_contents: Mapping[str, str]) -> list[DetectedCall]:
    """HTTP client calls whose URL is a literal (or template) containing a path, by file and line."""
    found: list[DetectedCall] = []
    for path, text in source_files(file_contents):
        consts = constants(text)
        lines = LineIndex(text)
        for pattern in (_CLIENT_CALL, _FETCH):
            for match in pattern.finditer(text):
                url = _normalise(match, consts)
                if url:
                    method = match.groupdict().get("m") or "any"
                    verb = "ANY" if method == "request" else method.upper()
                    found.append(DetectedCall(verb, url, path, lines.line_of(match.start())))
    return sorted(set(found), key=lambda c: (c.file, c.line, c.url))


def call_host(url: str) -> str:
    """Host of an absolute URL, or the name of a leading base placeholder ("{ORDERS_URL}")."""
    if "://" in url:
        return (urlsplit(url.replace("{}", "x")).hostname or "").lower()
    match = re.match(r"\{(\w+)\}", url)
    return match.group(1).lower() if match else ""


def call_path(url: str) -> str:
    """The path of a call URL without query, host or a leading base placeholder."""
    if "://" in url:
        url = urlsplit(url).path or "/"
    url = re.sub(r"^\{\w*\}", "", url)
    return "/" + url.split("?", 1)[0].strip("/")


def _normalise(match: re.Match[str], consts: Mapping[str, str]) -> str | None:
    body = match.group("u").lstrip("f")[1:-1]
    name = match.group("b")
    base = None if name else _BASE.match(body)
    if base:
        name, body = base.group("name"), body[base.end() :]
    body = _PLACEHOLDER.sub("{}", body)
    if name:
        # Keep the base's name when its value is unknown: `ORDERS_URL` often names the service.
        short = name.rsplit(".", 1)[-1]
        prefix = consts.get(short) or "{" + short + "}"
        return prefix.rstrip("/") + body if body.startswith("/") else None
    return body if body.startswith("/") or "://" in body else None
