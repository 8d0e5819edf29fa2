"""Credentials in repository content: the files that hold them and the values that look like one.

One catalogue serves two purposes. The secrets analyzer reports a credential a pull request adds
(`token_kind`, `named_secret`: well-known formats and secret-named literals, tuned for precision,
since every report is a review comment). `redact_secrets` removes credentials from code before it
is stored in the index, embedded or shown to a model; it uses the same patterns plus a few more
that would be too noisy to report (JWTs, passwords in URLs, unquoted `API_KEY=...` assignments),
because a redaction too many costs nothing while one too few leaks a credential.
"""

from __future__ import annotations

import math
import posixpath
import re
from collections import Counter
from collections.abc import Callable

REDACTED = "[REDACTED]"

# Well-known token formats: reported by the analyzer and redacted everywhere.
TOKEN_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{50,})")),
    ("Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("Stripe live key", re.compile(r"\b[rs]k_live_[A-Za-z0-9]{16,}")),
    ("Google API key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b")),
    ("OpenAI-style API key", re.compile(r"\bsk-(?:proj-)?[A-Za-z0-9_\-]{32,}")),
    ("private key", re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----")),
)
_SECRET_NAME = (
    r"[\w.\-]*(?:password|passwd|pwd|secret|api[_\-]?key|apikey|access[_\-]?token|auth[_\-]?token"
    r"|private[_\-]?key|client[_\-]?secret|credentials?|(?<![a-z])pass(?![a-z]))[\w.\-]*"
)
# `password = "..."`, `"apiKey": '...'`, `'db_password' => "..."`: the name, then the quoted value.
_ASSIGNED_LITERAL = re.compile(
    rf"(?i)[\"']?\b({_SECRET_NAME})[\"']?(\s*(?::|=|=>|:=)\s*)([\"'])([^\"'\s]{{8,}})([\"'])"
)
_PLACEHOLDER = re.compile(
    r"(?i)changeme|change[_\-]me|example|placeholder|dummy|sample|your[_\-]|xxx|\*\*\*|<|>|\$\{|"
    r"\{\{|%\(|^test|redacted|secret$|password$|todo"
)

# Redacted only: a whole private key block, a JWT, a password in a URL, `NAME=value` unquoted.
_PRIVATE_KEY_BLOCK = re.compile(
    r"(-----BEGIN (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----)(.*?)(-----END (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----|\Z)",
    re.DOTALL,
)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}")
# user:password@ right after a scheme's "://" (anchored on "://": trying a scheme at every letter is slow).
_URL_PASSWORD = re.compile(r"(?<=://)([^\s:/@'\"`]+:)([^\s@/'\"`]+)(@)")
# `define('DB_PASS', '...')`, `config.set("api_key", "...")`: a quoted name, a comma, a quoted value.
_PASSED_LITERAL = re.compile(rf"(?i)\b({_SECRET_NAME})[\"']\s*,\s*([\"'])([^\"'\s]{{8,}})([\"'])")
_ASSIGNED_BARE = re.compile(rf"(?i)\b({_SECRET_NAME})(\s*(?::|=)\s*)([A-Za-z0-9+/=_\-.~]{{12,}})(?=[\s;,]|$)")
_MIN_BARE_ENTROPY = 3.0  # bits per character: random keys score 4-6, words and dotted names less
# The named patterns are slow to try at every position; only lines holding one of these words can
# match them (redaction runs over every indexed file, so this is most of indexing's cost of it).
_SECRET_WORD = re.compile(r"(?i)pass|pwd|secret|api[_\-]?key|private[_\-]?key|token|credential")
# Every token format and JWTs in one pass (a private key header is redacted with its whole block).
_ANY_TOKEN = re.compile(
    "|".join(f"(?:{pattern.pattern})" for name, pattern in [*TOKEN_FORMATS, ("JWT", _JWT)] if name != "private key")
)

# Files whose whole point is to hold credentials: never indexed, never shown to a model.
_SECRET_NAMES = frozenset(
    {
        ".envrc",
        ".npmrc",
        ".pypirc",
        ".netrc",
        ".pgpass",
        ".git-credentials",
        ".dockercfg",
        ".htpasswd",
        "credentials",
        "credentials.json",
        "credentials.yml",
        "credentials.yaml",
        "secrets.json",
        "secrets.yml",
        "secrets.yaml",
        "kubeconfig",
        "terraform.tfstate",
        "terraform.tfstate.backup",
    }
)
# Committed on purpose to document the variables (the repository profile reads them); a real
# value left in one is redacted like any other.
_TEMPLATE_SUFFIXES = (".example", ".sample", ".dist", ".template")
_SECRET_SUFFIXES = (".pem", ".key", ".p12", ".pfx", ".jks", ".keystore", ".ppk", ".keytab", ".tfvars", ".tfstate")
_SECRET_NAME_PATTERNS = re.compile(
    r"^(?:\.env(?:\..*)?|.*\.env|id_(?:rsa|dsa|ecdsa|ed25519)(?:\..*)?|client_secrets?.*\.json"
    r"|.*service[_\-]account.*\.json|.*\.tfvars\.json)$"
)
# Paths inside folders that hold credentials under ordinary names (~/.kube/config, ~/.docker/config.json).
_SECRET_FOLDER_FILES = {".kube": "config", ".docker": "config.json", ".aws": "credentials", ".ssh": None}
_SERVICE_ACCOUNT_JSON = re.compile(rb'"type"\s*:\s*"service_account"')


def secret_file_reason(path: str, head: bytes = b"") -> str | None:
    """Why a file is a credential store and must never be indexed or shown (None if it is not).

    `head` is the start of the file: a Google service-account key is recognised by its content,
    since such files are often named after the project."""
    parts = path.strip("/").split("/")
    name, folders = parts[-1].lower(), [p.lower() for p in parts[:-1]]
    if name.endswith(_TEMPLATE_SUFFIXES):
        return None
    if name in _SECRET_NAMES or name.endswith(_SECRET_SUFFIXES) or _SECRET_NAME_PATTERNS.match(name):
        return f"credentials file ({parts[-1]})"
    if folders and folders[-1] in _SECRET_FOLDER_FILES and _SECRET_FOLDER_FILES[folders[-1]] in (None, name):
        return f"credentials file ({folders[-1]}/{parts[-1]})"
    if posixpath.splitext(name)[1] == ".json" and _SERVICE_ACCOUNT_JSON.search(head):
        return "credentials file (service-account key)"
    return None


def token_kind(text: str) -> str | None:
    """The name of the first well-known token format found in `text`, or None."""
    return next((name for name, pattern in TOKEN_FORMATS if pattern.search(text)), None)


def named_secret(text: str) -> str | None:
    """`literal assigned to `name`` when `text` assigns a real-looking literal to a secret-named key."""
    for match in _ASSIGNED_LITERAL.finditer(text):
        if looks_real(match.group(4)):
            return f"literal assigned to `{match.group(1)}`"
    return None


def looks_real(value: str) -> bool:
    """Whether a literal looks like a credential rather than a field name or a placeholder."""
    # Lower-case words ("new_password", "password_confirmation") are field names, not secrets.
    if re.fullmatch(r"[a-z_.\-]+", value) or _PLACEHOLDER.search(value):
        return False
    return len(set(value)) >= 5


def redact_secrets(text: str) -> str:
    """`text` with every credential-looking value replaced by "[REDACTED]", lines kept in place.

    Line numbers survive (a key block keeps its line count), so chunks cut from redacted text
    still point at the right lines. Redacting redacted text changes nothing."""
    text = _PRIVATE_KEY_BLOCK.sub(_redact_key_block, text)
    text = _ANY_TOKEN.sub(REDACTED, text)
    if "://" in text:
        text = _URL_PASSWORD.sub(_keeping(2, looks_real), text)
    return _redact_named_lines(text)


def _redact_named_lines(text: str) -> str:
    """The named patterns, tried only on the lines that hold a secret-sounding word."""
    parts: list[str] = []
    done = 0
    for match in _SECRET_WORD.finditer(text):
        if match.start() < done:
            continue  # this line was handled already
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        end = len(text) if end < 0 else end
        parts += [text[done:start], _redact_named(text[start:end])]
        done = end
    return "".join([*parts, text[done:]])


def _redact_named(line: str) -> str:
    line = _ASSIGNED_LITERAL.sub(_keeping(4, looks_real), line)
    line = _PASSED_LITERAL.sub(_keeping(3, looks_real), line)
    return _ASSIGNED_BARE.sub(_keeping(3, _looks_random), line)


def _redact_key_block(match: re.Match[str]) -> str:
    body = match.group(2)
    if body.strip() == REDACTED:
        return match.group(0)
    return f"{match.group(1)}{REDACTED}{chr(10) * body.count(chr(10))}{match.group(3)}"


def _keeping(secret_group: int, is_secret: Callable[[str], bool]) -> Callable[[re.Match[str]], str]:
    """A substitution that rewrites only group `secret_group`, and only when it is a secret."""

    def substitute(match: re.Match[str]) -> str:
        whole = match.group(0)
        if not is_secret(match.group(secret_group)):
            return whole
        start, end = match.start(secret_group) - match.start(), match.end(secret_group) - match.start()
        return whole[:start] + REDACTED + whole[end:]

    return substitute


def _looks_random(value: str) -> bool:
    """An unquoted value that is a key, not an expression: letters and digits, high entropy."""
    if not (re.search(r"[0-9]", value) and re.search(r"[A-Za-z]", value)) or not looks_real(value):
        return False
    counts = Counter(value)
    entropy = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    return entropy >= _MIN_BARE_ENTROPY
