"""Line-level security checks: TLS verification switched off, request input used as a path."""

from __future__ import annotations

import re

from domain.analyzers import syntax
from domain.analyzers.context import AnalyzerContext, make_finding
from domain.analyzers.lines import added_code_lines
from domain.analyzers.source import SourceView
from domain.diff import FileDiff
from domain.findings import Finding

NAME = "security"
LANGUAGES = frozenset({"php", "python"}) | syntax.JS_LANGUAGES

_TLS_OFF = {
    "js": re.compile(
        r"rejectUnauthorized\s*:\s*false\b|NODE_TLS_REJECT_UNAUTHORIZED\s*=\s*['\"]?0"
        r"|strictSSL\s*:\s*false\b"
    ),
    "python": re.compile(
        r"\bverify\s*=\s*False\b|ssl\._create_unverified_context\b|\bCERT_NONE\b"
        r"|check_hostname\s*=\s*False\b"
    ),
    "php": re.compile(
        r"CURLOPT_SSL_VERIFY(PEER|HOST)\s*,\s*(false|0)\b"
        r"|['\"](verify_peer|verify_peer_name|verify)['\"]\s*=>\s*false\b",
        re.IGNORECASE,
    ),
}
_PATH_SINK = {
    "js": re.compile(
        r"\b(?:fs(?:Promises)?|fsp|promises)\.\w+\s*\(|\b(?:readFile|readFileSync|createReadStream"
        r"|createWriteStream|writeFile|writeFileSync|unlink|unlinkSync|rmSync|sendFile|download"
        r"|path\.(?:join|resolve))\s*\("
    ),
    "python": re.compile(
        r"(?<![\w.])open\s*\(|\b(?:send_file|FileResponse|os\.path\.join|os\.remove|os\.unlink"
        r"|shutil\.\w+|Path)\s*\("
    ),
    "php": re.compile(
        r"\b(?:include|include_once|require|require_once)\b|\b(?:file_get_contents|fopen|readfile"
        r"|file|unlink|file_put_contents|opendir|scandir|copy|rename)\s*\(",
        re.IGNORECASE,
    ),
}
_REQUEST_INPUT = {
    "js": re.compile(r"\b(?:req|request|ctx\.request|ctx)\.(?:params|query|body|headers)\b"),
    "python": re.compile(r"\brequest\.(?:args|form|values|files|GET|POST|query_params|path_params)\b"),
    "php": re.compile(r"\$_(?:GET|POST|REQUEST|COOKIE)\b"),
}
# Reducing the input to a bare file name (or resolving and checking it) is the usual fix.
_SANITIZED = re.compile(r"\b(basename|secure_filename|realpath|normalize)\s*\(")


def analyze(file: FileDiff, ctx: AnalyzerContext) -> list[Finding]:
    """Report added lines that disable TLS checks or build file paths from request input."""
    view = ctx.source(file)
    group = file.language if file.language in ("php", "python") else "js"
    findings = []
    for number, text in added_code_lines(view):
        if _TLS_OFF[group].search(text):
            findings.append(_tls_finding(view, number))
        if _path_from_request(group, text):
            findings.append(_path_finding(view, number))
    return findings


def _path_from_request(group: str, text: str) -> bool:
    sink = _PATH_SINK[group].search(text)
    if sink is None or _SANITIZED.search(text):
        return False
    return _REQUEST_INPUT[group].search(text, sink.end()) is not None


def _tls_finding(view: SourceView, line: int) -> Finding:
    return make_finding(
        NAME,
        view,
        line,
        "high",
        "security.tls-verification-disabled",
        "TLS certificate verification is switched off: anyone on the network path can impersonate the server.",
        "Keep verification on; for a private CA, pass its certificate (ca / cafile / CURLOPT_CAINFO).",
    )


def _path_finding(view: SourceView, line: int) -> Finding:
    return make_finding(
        NAME,
        view,
        line,
        "high",
        "security.path-traversal",
        "A file path is built from request input: `../` lets a caller reach any file.",
        "Reduce the input to a file name (basename / secure_filename), or resolve the path and "
        "check it stays inside the allowed directory.",
    )
