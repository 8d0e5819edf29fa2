"""Reconcile's head comparison: what a repository needs when its default-branch head is known."""

from __future__ import annotations

from dataclasses import dataclass, replace

from activities.reconcile import compare_head


@dataclass(frozen=True)
class Row:
    full_name: str = "acme/api"
    default_branch: str = "main"
    clone_url: str | None = "https://example.test/acme/api.git"
    last_commit_sha: str | None = "a" * 40
    last_investigated_sha: str | None = "a" * 40


RECORD = Row()


def test_an_unmoved_head_needs_nothing() -> None:
    head = compare_head(RECORD, "a" * 40)
    assert (head.reindex, head.reinvestigate, head.reason, head.label) == (False, False, "up to date", "acme/api@main")


def test_a_moved_head_needs_both_and_a_half_done_repository_only_what_is_behind() -> None:
    moved = compare_head(RECORD, "b" * 40)
    assert (moved.reindex, moved.reinvestigate, moved.reason) == (True, True, None)
    assert moved.head_sha == "b" * 40 and moved.clone_url == RECORD.clone_url
    indexed_only = compare_head(replace(RECORD, last_commit_sha="b" * 40), "b" * 40)
    assert (indexed_only.reindex, indexed_only.reinvestigate) == (False, True)
    never = compare_head(replace(RECORD, last_commit_sha=None, last_investigated_sha=None), "a" * 40)
    assert (never.reindex, never.reinvestigate) == (True, True)


def test_an_unknown_head_is_skipped_with_the_reason() -> None:
    head = compare_head(RECORD, None)
    assert not (head.reindex or head.reinvestigate) and head.reason == "default-branch head unknown"
