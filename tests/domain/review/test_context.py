from __future__ import annotations

from domain.review.context import (
    JiraContext,
    RelatedSnippet,
    ReviewContextBundle,
    find_jira_keys,
)


def test_keys_come_from_title_branch_and_body_in_order_without_duplicates() -> None:
    keys = find_jira_keys("PAY-12: fix retries", "feature/OPS-7-retry", "Relates to PAY-12 and WEB-300.")
    assert keys == ["PAY-12", "OPS-7", "WEB-300"]


def test_standards_and_encodings_are_not_tickets() -> None:
    text = "Read as UTF-8 (not ISO-8859-1), hash with SHA-256, see RFC-7231 and CVE-2024-1234."
    assert find_jira_keys(text) == []


def test_lower_case_and_embedded_keys_are_ignored_without_projects() -> None:
    assert find_jira_keys("release-2 abc-123", "XYZABC-9".lower(), "v2ABC-1") == []


def test_key_inside_a_word_is_not_split_out() -> None:
    assert find_jira_keys("fooABC-12") == []


def test_projects_allow_lower_case_branch_names_and_filter_others() -> None:
    keys = find_jira_keys("pay-12-double-charge", "OTHER-1", "PAY-13", projects=["PAY"])
    assert keys == ["PAY-12", "PAY-13"]


def test_projects_can_name_a_project_that_looks_like_a_standard() -> None:
    assert find_jira_keys("ISO-44 audit", projects={"iso"}) == ["ISO-44"]


def test_none_texts_are_skipped() -> None:
    assert find_jira_keys(None, "", "ABC-1") == ["ABC-1"]


def test_used_names_only_the_sources_present() -> None:
    empty = ReviewContextBundle(architecture="  ", missing=["no architecture analysis yet"])
    assert empty.used() == []
    full = ReviewContextBundle(
        architecture="API gateway in front of billing",
        related_repos="acme/billing",
        jira=JiraContext(key="PAY-12", summary="Double charges", status="In Progress"),
        related_code=[RelatedSnippet("a.py", 1, 3, "x = 1", 0.9)] * 2,
        house_rules=["No raw SQL"],
    )
    assert full.used() == [
        "architecture analysis",
        "related repositories",
        "Jira PAY-12",
        "related code (2 snippets)",
        "house rules (1 rule)",
    ]
