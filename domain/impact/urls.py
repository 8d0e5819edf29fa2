"""Route paths in one notation, and whether a call's path reaches a route.

Every framework writes parameters differently (`:slug`, `{slug}`, `<int:slug>`, a template's
`${slug}`); all become `:slug` here so that `/api/users/:slug` and `/api/users/${user.slug}`
compare equal. Parameter names never matter for matching, only their positions.
"""

from __future__ import annotations

import re
from functools import lru_cache

_PARAM = re.compile(r"^(?::(?P<colon>\w+)\??|\{(?P<brace>\w+)(?::[^}]*)?\}|<(?:\w+:)?(?P<angle>\w+)>)$")
_WORD = re.compile(r"[A-Za-z_]\w*")
_CALL_WRAPPERS = frozenset({"encodeURIComponent", "encodeURI", "String", "str", "quote", "toString"})


def param_name(expression: str) -> str:
    """A readable parameter name for an interpolated expression: `user.slug` → slug,
    `encodeURIComponent(id)` → id, anything unreadable → param."""
    words = [w for w in _WORD.findall(expression) if w not in _CALL_WRAPPERS]
    return words[-1] if words else "param"


@lru_cache(maxsize=65536)  # the same few thousand call paths are compared against every changed route
def normalise(path: str) -> str:
    """`/api/users/{slug}/` → `/api/users/:slug`: one slash between segments, no query,
    no trailing slash, every parameter written `:name`."""
    path = path.split("?", 1)[0].split("#", 1)[0]
    out = []
    for segment in path.split("/"):
        if not segment:
            continue
        match = _PARAM.match(segment)
        out.append(":" + (match.group("colon") or match.group("brace") or match.group("angle")) if match else segment)
    return "/" + "/".join(out)


def join(*parts: str) -> str:
    """Pieces of a route joined and normalised: join('api', '/users', ':id') → /api/users/:id."""
    return normalise("/".join(p for p in parts if p))


def shape_key(path: str) -> str:
    """The identity of a route path: parameters as `:`, so renaming one changes nothing."""
    return "/".join(":" if s.startswith(":") else s for s in normalise(path).split("/"))


def reaches(route: str, call: str) -> bool:
    """Whether a call to `call` is served by `route` (both normalised paths).

    A route parameter takes any segment; a call's parameter only meets a route parameter,
    since `/users/${id}` may be anything but `/users/me` is one route.
    """
    wanted, given = _segments(route), _segments(call)
    if len(wanted) != len(given):
        return False
    for mine, theirs in zip(wanted, given, strict=True):
        if mine.startswith(":"):
            continue
        if theirs.startswith(":") or mine != theirs:
            return False
    return True


@lru_cache(maxsize=65536)
def _segments(path: str) -> tuple[str, ...]:
    return tuple(normalise(path).split("/"))


@lru_cache(maxsize=4096)
def strip_prefix(route: str, prefix: str) -> str | None:
    """The route with `prefix` taken off its front, None when it does not start with it."""
    route, prefix = normalise(route), normalise(prefix)
    if prefix == "/":
        return route
    if route == prefix:
        return "/"
    return route[len(prefix) :] if route.startswith(prefix + "/") else None
