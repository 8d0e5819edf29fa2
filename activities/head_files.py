"""The head's files, read once each, for checking committable suggestions before they are posted
(ReviewPR's suggested fixes and /improve's suggestions)."""

from __future__ import annotations

import asyncio

from clients.pull_requests import ReviewProvider
from domain.review.suggestions import check_suggestion

UNREADABLE = "the file could not be read at this head to check it"


class HeadFiles:
    def __init__(self, provider: ReviewProvider, head_sha: str) -> None:
        self._provider, self._head = provider, head_sha
        self._texts: dict[str, str | None] = {}

    async def text(self, path: str) -> str | None:
        """The file at the head (None: absent or unreadable), read at most once."""
        if path not in self._texts:
            self._texts[path] = await asyncio.to_thread(self._provider.read_file, path, self._head)
        return self._texts[path]

    async def suggestion_problem(self, path: str, start_line: int, line: int, replacement: str) -> str | None:
        """Why `replacement` over start_line..line must not be offered as a commit, or None when it may."""
        text = await self.text(path)
        if text is None:
            return UNREADABLE
        check = check_suggestion(path, text, start_line, line, replacement)
        return None if check.ok else check.reason
