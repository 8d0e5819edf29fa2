"""A bounded, deterministic text tree of a repository's files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from domain.investigation.paths import is_noise


@dataclass
class _Dir:
    dirs: dict[str, _Dir] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    expanded: bool = False

    @property
    def file_count(self) -> int:
        return len(self.files) + sum(d.file_count for d in self.dirs.values())

    @property
    def width(self) -> int:
        return len(self.dirs) + len(self.files)


def render_tree(paths: Iterable[str], max_entries: int = 400) -> str:
    """An indented tree of `paths` in at most `max_entries` lines, noise folders left out.

    Folders are opened breadth first while the line budget allows; a folder left closed shows
    how many files it holds, so large repositories still read as a map rather than a cut-off list.
    """
    root = _build(p for p in paths if not is_noise(p))
    limit = max(1, max_entries)
    _expand(root, limit)
    lines: list[str] = []
    _render(root, 0, lines)
    if len(lines) > limit:
        hidden = len(lines) - (limit - 1)
        lines = [*lines[: limit - 1], f"… {hidden} more entries"]
    return "\n".join(lines)


def _build(paths: Iterable[str]) -> _Dir:
    root = _Dir()
    for path in sorted(set(paths)):
        *folders, name = path.strip("/").split("/")
        node = root
        for folder in folders:
            node = node.dirs.setdefault(folder, _Dir())
        node.files.append(name)
    return root


def _expand(root: _Dir, limit: int) -> None:
    root.expanded = True
    used = root.width
    queue = [root.dirs[name] for name in sorted(root.dirs)]
    while queue:
        node = queue.pop(0)
        if used + node.width <= limit:
            node.expanded = True
            used += node.width
            queue.extend(node.dirs[name] for name in sorted(node.dirs))


def _render(node: _Dir, depth: int, lines: list[str]) -> None:
    indent = "  " * depth
    for name in sorted(node.dirs):
        child = node.dirs[name]
        if child.expanded:
            lines.append(f"{indent}{name}/")
            _render(child, depth + 1, lines)
        else:
            count = child.file_count
            lines.append(f"{indent}{name}/ ({count} file{'s' if count != 1 else ''})")
    lines.extend(f"{indent}{name}" for name in sorted(node.files))
