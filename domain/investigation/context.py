"""What a pull-request review is told about a repository and its neighbours, from structured forms.

Both summaries read only the JSON-able dict of `document.structured_form`, so they work on
forms loaded back from `repo_analysis_cache` without the rest of the investigation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

# Routes every service has: a call to one of them says nothing about who is being called.
_GENERIC_ROUTES = {"/", "/health", "/healthz", "/metrics", "/status", "/ready", "/live", "/ping"}
_SEGMENT_PARAM = re.compile(r"^(?::\w+|\{[^}]*\}|<[^>]*>|\*)$")
_MAX_PER_REPO = 5


def review_context_summary(structured: Mapping[str, Any], max_chars: int = 2500) -> str:
    """A compact plain-text brief of one repository, most important facts first, ≤ `max_chars`."""
    lines = [
        _identity(structured),
        _topics_line(structured),
        _list_line("HTTP routes", [f"{a['method']} {a['path']}" for a in _seq(structured, "apis")]),
        _list_line("Calls", sorted({c["host"] or c["path"] for c in _seq(structured, "http_calls")})),
        _list_line("Runtime dependencies", _runtime_deps(structured)),
        _overview(structured),
    ]
    text = "\n".join(line for line in lines if line)
    if len(text) <= max_chars:
        return text
    return text[: max(0, max_chars - 1)].rstrip() + "…"


def _identity(s: Mapping[str, Any]) -> str:
    kind = s.get("type") or "unknown"
    if s.get("subtype"):
        kind += f"/{s['subtype']}"
    parts = [f"{s.get('repository', '?')}: {kind}"]
    if s.get("primary_language"):
        parts.append(str(s["primary_language"]))
    if s.get("frameworks"):
        parts.append("frameworks " + ", ".join(s["frameworks"]))
    if s.get("databases"):
        parts.append("databases " + ", ".join(s["databases"]))
    return "; ".join(parts) + "."


def _topics_line(s: Mapping[str, Any]) -> str:
    topics = s.get("topics") or {}
    parts = [
        f"{label}: {', '.join(topics[key])}"
        for key, label in (("published", "Publishes"), ("subscribed", "Subscribes"))
        if topics.get(key)
    ]
    return ". ".join(parts) + "." if parts else ""


def _list_line(label: str, items: list[str], limit: int = 25) -> str:
    if not items:
        return ""
    more = f", … ({len(items) - limit} more)" if len(items) > limit else ""
    return f"{label} ({len(items)}): {', '.join(items[:limit])}{more}"


def _runtime_deps(s: Mapping[str, Any]) -> list[str]:
    return list(dict.fromkeys(d["name"] for d in _seq(s, "dependencies") if d["scope"] == "runtime"))


def _overview(s: Mapping[str, Any]) -> str:
    answer = (s.get("steps") or {}).get("overview") or ""
    kept: list[str] = []
    in_code = False
    for line in answer.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            in_code = not in_code
        elif not in_code and not stripped.startswith("#"):
            kept.append(stripped)
    body = " ".join(" ".join(kept).split())
    return f"Overview: {body}" if body else ""


def _seq(s: Mapping[str, Any], key: str) -> list[Any]:
    value = s.get(key)
    return list(value) if isinstance(value, list) else []


def related_repos_summary(
    this_repo: str,
    others: Mapping[str, Mapping[str, Any]],
    this: Mapping[str, Any] | None = None,
) -> str:
    """Which known repositories publish what this one consumes, consume what it publishes, call
    its routes or name it, one line per finding. `this` defaults to `others[this_repo]`."""
    mine = this if this is not None else others.get(this_repo)
    if mine is None:
        return f"No architecture data is known for {this_repo}."
    lines: list[str] = []
    for name in sorted(others):
        if name != this_repo:
            found = list(_relations(this_repo, mine, others[name]))
            lines.extend(f"- {name} {text}" for text in found[:_MAX_PER_REPO])
    if not lines:
        return (
            f"No known repository publishes what {this_repo} consumes, consumes what it "
            "publishes, calls its routes or names it."
        )
    return f"Related repositories of {this_repo}:\n" + "\n".join(lines)


def _relations(this_repo: str, mine: Mapping[str, Any], other: Mapping[str, Any]) -> Iterator[str]:
    my_topics, their_topics = mine.get("topics") or {}, other.get("topics") or {}
    for pub, sub in _topic_pairs(their_topics.get("published", []), my_topics.get("subscribed", [])):
        yield f"publishes `{pub}`, which this repository consumes{_via(pub, sub)}."
    for pub, sub in _topic_pairs(my_topics.get("published", []), their_topics.get("subscribed", [])):
        yield f"consumes `{pub}`{_via(pub, sub)}, which this repository publishes."
    yield from _call_relations(this_repo, mine, other)
    yield from _mentions(this_repo, other)


def _via(pub: str, sub: str) -> str:
    return "" if pub == sub else f" (through `{sub}`)"


def _topic_pairs(published: list[str], subscribed: list[str]) -> Iterator[tuple[str, str]]:
    for pub in sorted(set(published)):
        for sub in sorted(set(subscribed)):
            if sub == pub or (sub.startswith(pub) and sub[len(pub)] in "-_.:"):
                yield pub, sub


def _call_relations(this_repo: str, mine: Mapping[str, Any], other: Mapping[str, Any]) -> Iterator[str]:
    short = this_repo.rsplit("/", 1)[-1].lower()
    for call in _seq(other, "http_calls"):
        named = bool(short) and short in (call.get("host") or "").lower()
        route = _matching_route(call.get("path") or "", _seq(mine, "apis"), named)
        if route:
            yield (f"calls `{call['method']} {call['url']}` ({call['location']}), which matches `{route}` here.")
        elif named:
            yield f"calls `{call['url']}` ({call['location']}), whose host names this repository."


def _matching_route(path: str, apis: list[Mapping[str, Any]], named: bool) -> str | None:
    for api in apis:
        if (named or api["path"] not in _GENERIC_ROUTES) and _same_route(api["path"], path):
            return f"{api['method']} {api['path']} ({api['location']})"
    return None


def _same_route(route: str, path: str) -> bool:
    left, right = route.strip("/").split("/"), path.strip("/").split("/")
    if len(left) != len(right):
        return False
    return all(a == b or _SEGMENT_PARAM.match(a) or b == "{}" for a, b in zip(left, right, strict=True))


def _mentions(this_repo: str, other: Mapping[str, Any]) -> Iterator[str]:
    short = this_repo.rsplit("/", 1)[-1]
    if len(short) < 4:  # too short a name to find without false hits
        return
    pattern = re.compile(rf"(?<![\w-]){re.escape(short)}(?![\w-])", re.IGNORECASE)
    for step, answer in sorted((other.get("steps") or {}).items()):
        if answer and pattern.search(answer):
            yield f"names this repository in its {step} answer."
            return
