"""Whether a changed edge still works for those who use it as it was.

Breaking: a response or message field removed or retyped; a request field or function
parameter added as required (or made required); a parameter removed or retyped; an interface
field removed, retyped, or added as required; an enum member removed; a major version bump.
Everything else that differs is a compatible change.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.impact.model import Edge, ShapeField

_PRODUCED = frozenset({"response", "field", "method", "member"})  # what users read from the edge
_CONSUMED = frozenset({"body", "query"})  # what users must send to it


@dataclass(frozen=True)
class Comparison:
    detail: str
    breaking: bool
    removed_fields: tuple[str, ...] = ()


def compare(base: Edge, head: Edge) -> Comparison | None:
    """How head differs from base (same edge), None when nobody could tell them apart."""
    if base.kind == "package":
        return _versions(base.version, head.version)
    if base.kind == "route" and base.parts[1] != head.parts[1] and base.shape == head.shape:
        return None  # only a parameter's name changed
    if base.kind == "export" and base.variant != head.variant:
        return Comparison(f"now a {head.variant} (was a {base.variant})", True)
    if any(f.role == "arg" for f in (*base.shape, *head.shape)):
        return _signatures(base.shape, head.shape)
    return _fields(base, head)


def _versions(old: str, new: str) -> Comparison | None:
    if old == new:
        return None
    return Comparison(f"version {old or '?'} → {new or '?'}", _major(new) > _major(old))


def _major(version: str) -> tuple[int, int]:
    parts = [int(p) if p.isdigit() else 0 for p in version.lstrip("v").split("-")[0].split(".")[:2]]
    major, minor = [*parts, 0, 0][:2]
    return (major, minor) if major == 0 else (major, 0)


def _signatures(base: tuple[ShapeField, ...], head: tuple[ShapeField, ...]) -> Comparison | None:
    old, new = [f for f in base if f.role == "arg"], [f for f in head if f.role == "arg"]
    notes, breaking = [], False
    for index in range(max(len(old), len(new))):
        was = old[index] if index < len(old) else None
        now = new[index] if index < len(new) else None
        if was is None and now is not None:
            notes.append(f"parameter `{now.name}` added" + (" (required)" if now.required else ""))
            breaking = breaking or now.required
        elif now is None and was is not None:
            notes.append(f"parameter `{was.name}` removed")
            breaking = True
        elif was is not None and now is not None and (was.type, was.required) != (now.type, now.required):
            required = " (required)" if now.required else ""
            notes.append(f"parameter `{now.name}` now `{now.type or 'untyped'}`{required}")
            breaking = breaking or was.type != now.type or now.required
    return Comparison("; ".join(notes), breaking) if notes else None


def _fields(base: Edge, head: Edge) -> Comparison | None:
    old = {(f.role, f.name): f for f in base.shape}
    new = {(f.role, f.name): f for f in head.shape}
    notes, removed, breaking = [], [], False
    for key, was in old.items():
        now = new.get(key)
        label = _label(was)
        if now is None:
            notes.append(f"{label} removed")
            removed.append(was.name)
            breaking = breaking or was.role in _PRODUCED
        elif was.type != now.type:
            notes.append(f"{label} now `{now.type}`")
            breaking = True
        elif now.required and not was.required and now.role in _CONSUMED:
            notes.append(f"{label} now required")
            breaking = True
    for key, now in new.items():
        if key not in old:
            required = now.required and (now.role in _CONSUMED or (base.kind == "export" and now.role == "field"))
            notes.append(f"{_label(now)} added" + (" (required)" if required else ""))
            # A class gaining a field breaks nobody; an interface gaining a required one breaks
            # every object literal written against it.
            breaking = breaking or (required and base.variant != "class")
    return Comparison("; ".join(notes), breaking, tuple(removed)) if notes else None


def _label(field: ShapeField) -> str:
    role = {"field": "field", "response": "response field", "body": "body field", "query": "query parameter"}
    return f"{role.get(field.role, field.role)} `{field.name}`"
