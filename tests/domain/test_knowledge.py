"""The Knowledge Assistant's pure parts: terms, fusion, sections, citations, the prompt."""

from __future__ import annotations

from domain.knowledge.citations import extract_citations, mentioned_pulls, path_citations, qualify_paths
from domain.knowledge.evidence import Evidence
from domain.knowledge.prompt import build_messages
from domain.knowledge.ranking import MENTION_BOOST, document_sections, fuse, question_terms


def _code(repo: str, path: str, start: int, end: int, text: str = "def f(): pass") -> Evidence:
    return Evidence(
        kind="code",
        ref=f"{repo}:{path}:{start}-{end}",
        title=path,
        excerpt=text,
        repository=repo,
        path=path,
        start_line=start,
        end_line=end,
        commit_sha="c0ffee",
        repo_url=f"https://github.com/{repo}",
    )


def test_question_terms_drop_stopwords_and_repeats() -> None:
    assert question_terms("How does the Order service retry failed order webhooks?") == [
        "order", "service", "retry", "failed", "webhooks",
    ]  # fmt: skip


def test_fusion_interleaves_sources_and_boosts_what_the_question_names() -> None:
    code = [_code("acme/a", "x.py", 1, 5, "refund"), _code("acme/a", "y.py", 1, 5, "nothing")]
    tickets = [Evidence(kind="ticket", ref="ORD-7", title="Refund bug", excerpt="refund fails")]
    ranked = fuse([code, tickets, []], ["refund"], set(), 10)
    assert [e.ref for e in ranked] == ["ORD-7", "acme/a:x.py:1-5", "acme/a:y.py:1-5"]  # ties: tickets first
    named = fuse([code, [Evidence(kind="ticket", ref="PAY-1", title="Other", excerpt="")]], ["refund"], {"PAY-1"}, 10)
    assert named[0].ref == "PAY-1" and named[0].score > MENTION_BOOST
    assert len(fuse([code, tickets], ["refund"], set(), 2)) == 2


def test_an_item_found_by_two_sources_appears_once_with_its_best_score() -> None:
    item = _code("acme/a", "x.py", 1, 5)
    ranked = fuse([[item], [_code("acme/a", "z.py", 1, 2), item]], [], set(), 10)
    assert [e.ref for e in ranked].count(item.ref) == 1 and ranked[0].ref == item.ref


def test_document_sections_skip_front_matter_and_headings_inside_code() -> None:
    doc = "---\nrepository: acme/a\n---\n# Title\n\nIntro.\n\n## Data flow\n\n```\n# not a heading\n```\nMore.\n"
    sections = document_sections(doc)
    assert [(s.title, s.slug) for s in sections] == [("Title", "title"), ("Data flow", "data-flow")]
    assert "# not a heading" in sections[1].body


def test_path_citations_are_qualified_with_their_repository() -> None:
    text = "Handled in `app/refunds.py:6-13` and app/orders.py:4, not at localhost:5432."
    assert [c.text for c in path_citations(text)] == ["app/refunds.py:6-13", "app/orders.py:4"]
    assert qualify_paths("acme/a", text) == (
        "Handled in `acme/a:app/refunds.py:6-13` and acme/a:app/orders.py:4, not at localhost:5432."
    )


def test_citations_in_an_answer_are_checked_against_the_evidence() -> None:
    evidence = [
        _code("acme/a", "app/refunds.py", 6, 13),
        Evidence(kind="ticket", ref="ORD-7", title="t", excerpt="", url="https://jira/ORD-7"),
        Evidence(
            kind="pull_request",
            ref="acme/a#42",
            title="p",
            excerpt="",
            repository="acme/a",
            url="https://github.com/acme/a/pull/42",
        ),
    ]
    answer = (
        "See `acme/a:app/refunds.py:8` and `acme/a:app/refunds.py:30` (outside the excerpt), `ORD-7`, "
        "`ORD-99`, `acme/a#42`, `acme/a#43`, and UTF-8 is not a ticket."
    )
    found = {c.text: c for c in extract_citations(answer, evidence)}
    assert list(found) == [
        "acme/a:app/refunds.py:8", "acme/a:app/refunds.py:30", "ORD-7", "ORD-99", "acme/a#42", "acme/a#43",
    ]  # fmt: skip
    assert found["acme/a:app/refunds.py:8"].url == "https://github.com/acme/a/blob/c0ffee/app/refunds.py#L8"
    assert not found["acme/a:app/refunds.py:30"].known and not found["ORD-99"].known
    assert found["ORD-7"].url == "https://jira/ORD-7" and not found["acme/a#43"].known


def test_mentioned_pull_requests_with_and_without_a_repository() -> None:
    assert mentioned_pulls("Why was acme/web#12 reverted after #7?") == [("acme/web", 12), (None, 7)]


def test_prompt_numbers_code_lines_and_stays_within_its_budget() -> None:
    evidence = [_code("acme/a", "x.py", 10, 11, "a = 1\nb = 2"), _code("acme/a", "y.py", 1, 1, "c" * 5000)]
    [system, user] = build_messages("What is b?", evidence, max_chars=300)
    assert "Cite every claim" in system["content"]
    assert "10 | a = 1\n11 | b = 2" in user["content"] and "y.py" not in user["content"]
    assert "[1] code `acme/a:x.py:10-11`" in user["content"]
