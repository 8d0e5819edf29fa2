"""npm version ranges: does a dependant's range admit a version? One implementation for the npm
analyzer (a dependency that leaves out the latest internal release) and cross-repository impact
(dependants pinned behind a release).

Covers what package.json files hold in practice: exact versions, `^`, `~`, comparators
(`>=1.2 <2`), x-ranges (`1.x`, `1`, `*`), hyphen ranges (`1.2 - 1.4`) and `||` unions;
`workspace:` specs admit everything (the dependant builds against the source). Tags, git,
file and alias specs are None: unknown, so no claim is made from them. Pre-release tags are
ignored.
"""

from __future__ import annotations

import re

Version = tuple[int, int, int]
_PARTIAL = re.compile(r"^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:[-+][\w.\-+]*)?$")
_COMPARATOR = re.compile(r"^(\^|~|>=|<=|>|<|=)?\s*(\S+)$")


def parse_version(text: str) -> Version | None:
    """1.2.3 → (1, 2, 3); None unless all three parts are numbers."""
    match = _PARTIAL.match(text.strip())
    if match is None or not all(p and p.isdigit() for p in match.groups()):
        return None
    major, minor, patch = (int(p) for p in match.groups())
    return major, minor, patch


def admits(spec: str, version: str) -> bool | None:
    """Whether the range `spec` admits `version`; None when either is not understood."""
    target = parse_version(version)
    spec = spec.strip()
    if spec.startswith("workspace:"):
        return True
    if target is None or re.search(r"[:/#@]", spec):  # git, file:, npm: aliases, URLs
        return None
    results = [_admits_set(part.strip(), target) for part in spec.split("||")]
    if any(r is True for r in results):
        return True
    return None if any(r is None for r in results) else False


def _admits_set(spec: str, target: Version) -> bool | None:
    if spec in ("", "*", "x", "X"):
        return True
    hyphen = re.match(r"^(\S+)\s+-\s+(\S+)$", spec)
    if hyphen:
        low, high = _partial(hyphen.group(1)), _partial(hyphen.group(2))
        if low is None or high is None:
            return None
        return _compare(target, ">=", low) and _upper_inclusive(target, high)
    verdicts = [_admits_one(token, target) for token in re.sub(r"([<>=^~]+)\s+", r"\1", spec).split()]
    if any(v is None for v in verdicts):
        return None
    return all(verdicts)


def _partial(text: str) -> list[int | None] | None:
    match = _PARTIAL.match(text)
    if match is None:
        return None
    return [int(p) if p is not None and p.isdigit() else None for p in match.groups()]


def _admits_one(token: str, target: Version) -> bool | None:
    match = _COMPARATOR.match(token)
    parts = _partial(match.group(2)) if match else None
    if match is None or parts is None:
        return None
    op = match.group(1) or "="
    if op == "^":
        return _caret(target, parts)
    if op == "~":
        return _tilde(target, parts)
    if op == "=":
        return all(w is None or w == t for w, t in zip(parts, target, strict=True))
    return _compare(target, op, parts)


def _floor(parts: list[int | None]) -> Version:
    major, minor, patch = (p or 0 for p in parts)
    return major, minor, patch


def _caret(target: Version, parts: list[int | None]) -> bool:
    # ^1.2.3 := >=1.2.3 <2; ^0.2.3 := >=0.2.3 <0.3; ^0.0.3 := 0.0.3; ^1.x := >=1 <2.
    base = _floor(parts)
    known = [p for p in parts if p is not None]
    fixed = next((i + 1 for i, p in enumerate(known) if p != 0), len(known)) or 1
    return target >= base and target[:fixed] == base[:fixed]


def _tilde(target: Version, parts: list[int | None]) -> bool:
    base = _floor(parts)
    fixed = 2 if parts[1] is not None else 1
    return target >= base and target[:fixed] == base[:fixed]


def _compare(target: Version, op: str, parts: list[int | None]) -> bool:
    base = _floor(parts)
    if op == ">=":
        return target >= base
    if op == ">":
        return target > base if None not in parts else target[: _known(parts)] > base[: _known(parts)]
    if op == "<":
        return target < base
    return _upper_inclusive(target, parts)  # <=


def _upper_inclusive(target: Version, parts: list[int | None]) -> bool:
    known = _known(parts)
    return target[:known] <= _floor(parts)[:known]


def _known(parts: list[int | None]) -> int:
    return next((i for i, p in enumerate(parts) if p is None), 3)
