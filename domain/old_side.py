"""A file as it was before a change, from the file after it and the change's patch.

GitHub's per-file patch is made against the merge base of the pull request, which is what a
review must compare with: the base branch may have moved since, and reading the file there would
count what others merged meanwhile as undone by this change. Undoing the patch on the head text
gives the merge-base text exactly, without a read.
"""

from __future__ import annotations

from domain.diff import FileDiff


def old_text(new_text: str, diff: FileDiff) -> str | None:
    """The old side of `diff` given its new side; None when the patch does not fit `new_text`
    (a context or added line differs), so the caller reads the old file instead."""
    trailing = new_text.endswith("\n")
    lines = new_text.split("\n")
    if trailing or lines == [""]:
        lines.pop()
    out: list[str] = []
    position = 0
    for hunk in diff.hunks:
        # A hunk that adds nothing names the line *after* which it sits; otherwise its first line.
        start = hunk.new_start if hunk.new_count == 0 else hunk.new_start - 1
        if start < position or start > len(lines):
            return None
        out += lines[position:start]
        position = start
        for line in hunk.lines:
            if line.kind == "del":
                out.append(line.text)
                continue
            if position >= len(lines) or lines[position].rstrip("\r") != line.text:
                return None
            if line.kind == "ctx":
                out.append(lines[position])
            position += 1
    out += lines[position:]
    return "\n".join(out) + ("\n" if out and (trailing or not new_text) else "")
