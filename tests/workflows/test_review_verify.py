"""The verification pass in the real ReviewPR: the stand-in model reviews, then scores each comment; a comment
scored under the threshold is not posted and is counted in the summary, one scored high is posted with its score,
an analyzer finding the model confirms says so, and a failing verifier never fails the review."""

from __future__ import annotations

import json

import asyncpg
from temporalio.client import Client

from tests.fakes.llm import Refusal
from tests.support.review_harness import ReviewHarness, llm_answer, review_harness

PATH = "app/songs.php"
BASE = "<?php\nclass Songs\n{\n    public function index()\n    {\n        return [];\n    }\n}\n"
HEAD = (
    "<?php\nclass Songs\n{\n    public function index()\n    {\n        return [];\n    }\n\n"
    "    public function show($id)\n"  # 9
    "    {\n"
    "        $song = $this->model->getSong($id);\n"  # 11
    "        $song = $song[0];\n"  # 12
    "        echo $_GET['title'];\n"  # 13: the analyzer's unescaped output
    "        return $song;\n    }\n}\n"
)
WRONG = {"path": PATH, "line": 9, "severity": "high", "category": "bug",
         "message": "`show` is never routed, so this action is dead code."}  # fmt: skip
RIGHT = {"path": PATH, "line": 12, "severity": "medium", "category": "bug",
         "message": "`$song[0]` is read without checking that `getSong` found a song."}  # fmt: skip


def verdicts(*entries: tuple[str, int, str]) -> str:
    return json.dumps({"verdicts": [{"id": key, "score": score, "reason": why} for key, score, why in entries]})


def summary(h: ReviewHarness, repo: str, number: int) -> str:
    [body] = [c["body"] for c in h.github.issue_comments(repo, number) if "pr-agent:summary" in c["body"]]
    return str(body)


async def test_a_comment_scored_low_is_dropped_and_one_scored_high_is_posted_with_its_score(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool, LLM_VERIFY="true") as h:
        repo, number, head = h.open_pull({PATH: BASE}, {PATH: HEAD})
        h.llm.enqueue(  # type: ignore[union-attr]
            llm_answer("Adds a song page.", [WRONG, RIGHT]),
            verdicts(("c1", 2, "The router calls show for /songs/show."), ("c2", 9, "getSong may return nothing."),
                     ("a1", 8, "The title is echoed without escaping.")),
        )  # fmt: skip
        result = await h.review_pull(repo, number, head)

        assert result.status == "posted" and result.llm_used
        inline = {c["line"]: c["body"] for c in h.github.review_comments(repo, number)}
        assert sorted(inline) == [12, 13]  # line 9 was dropped
        assert "verified against the code (9/10)" in inline[12]
        assert "php.unescaped-output" in inline[13] and "confirmed by the model (8/10)" in inline[13]
        body = summary(h, repo, number)
        assert "Verification: 2 model comments checked against the code; 1 scored under 5/10 and was dropped" in body
        assert f"dropped `{PATH}:9` (2/10): The router calls show for /songs/show." in body
        verify_prompt = h.llm.prompts[1][-1]["content"]  # type: ignore[union-attr]
        assert ">   12         $song = $song[0];" in verify_prompt  # the head file around the line is evidence
        assert "\n+        $song = $song[0];\n" in verify_prompt  # and so is its hunk
        assert "a1: analyzer finding php.unescaped-output" in verify_prompt
        usage = await pool.fetch("SELECT purpose, tokens_in FROM api_usage ORDER BY id")
        assert [row["purpose"] for row in usage] == ["review", "verify"] and usage[1]["tokens_in"] > 0
        posted = [(f.line, f.source, f.verified_score) for f in result.posted_findings]
        assert (12, "llm", 9) in posted and all(line != 9 for line, _, _ in posted)


async def test_a_refused_verification_keeps_the_comments_and_says_it_was_skipped(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool, LLM_VERIFY="true") as h:
        repo, number, head = h.open_pull({PATH: BASE}, {PATH: HEAD})
        h.llm.enqueue(llm_answer("Adds a song page.", [WRONG, RIGHT]), Refusal(400, "prompt too long"))  # type: ignore[union-attr]
        result = await h.review_pull(repo, number, head)

        assert result.status == "posted"
        assert {9, 12} <= {c["line"] for c in h.github.review_comments(repo, number)}
        body = summary(h, repo, number)
        assert "Verification skipped: the verifying model's provider rejected the request" in body


async def test_an_unusable_verifier_answer_keeps_the_comments_unverified(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool, LLM_VERIFY="true", LLM_VERIFY_THRESHOLD="7") as h:
        repo, number, head = h.open_pull({PATH: BASE}, {PATH: HEAD})
        h.llm.enqueue(llm_answer("Adds a song page.", [WRONG, RIGHT]), "They all look fine to me.")  # type: ignore[union-attr]
        await h.review_pull(repo, number, head)

        assert {9, 12} <= {c["line"] for c in h.github.review_comments(repo, number)}
        body = summary(h, repo, number)
        assert "Verification skipped: the verifier's answer was unusable (the answer holds no JSON object)" in body


async def test_with_verification_off_the_model_is_asked_once(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool, LLM_VERIFY="false") as h:
        repo, number, head = h.open_pull({PATH: BASE}, {PATH: HEAD})
        h.llm.enqueue(llm_answer("Adds a song page.", [WRONG, RIGHT]))  # type: ignore[union-attr]
        await h.review_pull(repo, number, head)

        assert len(h.llm.chat_calls) == 1  # type: ignore[union-attr]
        assert "Verification" not in summary(h, repo, number)
