"""What one review prompt covers: the whole change, what is new since the last reviewed head, or one
part of a large change; and the words that tell the model which.

GitHub accepts inline comments only on lines of the pull request's own diff, so an incremental
review still works on that diff, cut to the hunks the new commits touched, and may comment only on
the lines those commits added.
"""

from __future__ import annotations

from dataclasses import dataclass

from activities.review_report import file_diffs
from contracts.review import LlmPart, PullRequestSnapshot
from domain.diff import FileDiff, parse_patch
from domain.review.incremental import incremental_scope
from domain.review.prompt import WHOLE_CHANGE

MAX_NAMED_FILES = 30


@dataclass
class PromptScope:
    files: list[FileDiff]
    text: str
    new_lines: dict[str, set[int]] | None = None  # incremental: the only lines comments may point at

    @property
    def empty(self) -> bool:
        return not any(f.hunks for f in self.files)

    def only(self, part: LlmPart | None) -> PromptScope:
        """This scope cut to one part's files, with the part named in the text."""
        if part is None or part.count == 1:
            return self
        wanted = set(part.paths)
        text = (
            f"{self.text}\nThis is part {part.index + 1} of {part.count} of a large pull request: the files "
            f"in {part.label}. The other parts are reviewed separately; comment only on the files shown."
        )
        return PromptScope([f for f in self.files if f.path in wanted], text, self.new_lines)

    def commentable(self, lines: dict[str, set[int]]) -> dict[str, set[int]]:
        if self.new_lines is None:
            return lines
        return {path: found & self.new_lines.get(path, set()) for path, found in lines.items()}


def prompt_scope(snapshot: PullRequestSnapshot) -> PromptScope:
    files = file_diffs(snapshot)
    if snapshot.review_scope != "incremental" or not snapshot.since_sha:
        return PromptScope(files, WHOLE_CHANGE)
    since = [parse_patch(f.path, f.patch or "", f.status, f.old_path) for f in snapshot.since_files]
    scope = incremental_scope(files, since)
    others = scope.unchanged_files
    named = ", ".join(f"`{p}`" for p in others[:MAX_NAMED_FILES]) or "none"
    more = f" and {len(others) - MAX_NAMED_FILES} more" if len(others) > MAX_NAMED_FILES else ""
    text = (
        f"Incremental review: the commits since the last reviewed head {snapshot.since_sha[:7]}, up to "
        f"{snapshot.head_sha[:7]}. Only the hunks those commits touched are shown, and you may comment only on "
        f"lines they added. Files of this pull request they did not touch (reviewed before): {named}{more}."
    )
    return PromptScope(scope.files, text, scope.new_lines)
