"""`pr-agent eval` on a subset of the shipped dataset: the real ReviewPR (no model) on the real Temporal and
database, matched and scored; the numbers are what the analyzers find, so a matcher that ignored the line
tolerance, the file, or one-to-one pairing would change them."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from temporalio.client import Client

from cli.common import ProgressDisplay
from cli.eval_run import NO_MODEL, EvalOptions, run_evaluation
from core.settings import Settings
from domain.evaluation.dataset import load_dataset
from tests.fakes.llm import FakeLLM
from tests.support.review_harness import llm_answer
from tests.support.settings import make_settings
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS

SHIPPED = Path(__file__).resolve().parents[1] / "fixtures" / "eval"
SUBSET = (
    "php-mini-edit-song-real",  # 7 findings, 4 hits (one a line off), 3 false positives, 1 golden missed
    "php-pdo-song-search",  # 2 of 2
    "py-fastapi-tags-mutable-default",  # 1 of 1
    "sql-postgres-add-not-null-column",  # 1 of 1, the finding a line below the golden comment
    "ts-nestjs-feed-route-real",  # clean: nothing found, nothing expected
)
PR_AGENT = str(Path(sys.executable).with_name("pr-agent"))


def subset_dataset(root: Path, *, broken: bool = True) -> Path:
    for name in SUBSET:
        shutil.copytree(SHIPPED / "cases" / name, root / "cases" / name)
    if broken:
        shutil.copytree(SHIPPED / "cases" / "php-pdo-password-md5", root / "cases" / "zz-broken")
        (root / "cases" / "zz-broken" / "case.toml").write_text('title = "no kind, no source"\n')
        wrong = root / "cases" / "zz-wrong-base"  # loads, but its base/ is not what the diff changes
        shutil.copytree(SHIPPED / "cases" / "py-fastapi-tags-mutable-default", wrong)
        (wrong / "base" / "app" / "services" / "tags.py").write_text("# another file altogether\n")
    return root


@pytest.fixture
async def reviews(temporal_client: Client, db_dsn: str, pool: asyncpg.Pool) -> AsyncIterator[Settings]:
    settings = make_settings(db_dsn)  # no LLM key: the review runs without a model
    deps = WorkerDeps(settings, pool)
    async with build_worker(temporal_client, deps, "reviews", REGISTRATIONS["reviews"](deps)):
        yield settings


async def evaluate(client: Client, pool: asyncpg.Pool, settings: Settings, root: Path, **options: Any) -> dict:
    out = io.StringIO()
    with ProgressDisplay(out, live=False) as display:
        report = await run_evaluation(client, pool, settings, load_dataset(root), EvalOptions(**options), display)
    report["progress"] = out.getvalue()
    return report


async def test_a_subset_without_a_model_scores_what_the_analyzers_post(
    temporal_client: Client, pool: asyncpg.Pool, reviews: Settings, tmp_path: Path
) -> None:
    report = await evaluate(temporal_client, pool, reviews, subset_dataset(tmp_path / "subset"))

    overall = report["scores"]["overall"]
    counts = (overall["findings"], overall["findings_matched"], overall["golden"], overall["golden_matched"])
    assert counts == (11, 8, 9, 8)
    assert (overall["precision"], overall["recall"], overall["f1"]) == (0.7273, 0.8889, 0.8)
    cases = {case["id"]: case for case in report["cases"]}
    php = cases["php-mini-edit-song-real"]
    pairs = sorted((m["finding"]["line"], m["golden"]["line"], m["line_distance"]) for m in php["matched"])
    assert pairs == [(8, 8, 0), (10, 10, 0), (12, 12, 0), (105, 104, 1)]
    assert len(php["false_positives"]) == 3 and len(php["missed"]) == 1
    sql = cases["sql-postgres-add-not-null-column"]["matched"]
    assert [(m["finding"]["line"], m["golden"]["line"]) for m in sql] == [(3, 2)]
    assert cases["ts-nestjs-feed-route-real"]["counts"]["findings"] == 0
    security = report["scores"]["by_category"]["security"]
    assert (security["findings"], security["findings_matched"], security["golden"]) == (7, 5, 5)
    errors = {error["name"]: error["reason"] for error in report["dataset"]["errors"]}
    assert sorted(errors) == ["zz-broken", "zz-wrong-base"]  # reported by name; the other cases still scored
    assert "kind" in errors["zz-broken"]
    assert errors["zz-wrong-base"].startswith("cannot build its repository: app/services/tags.py: line")
    assert report["run"]["model"] is None and report["run"]["llm"] == NO_MODEL
    assert all("LLM skipped: no LLM_API key configured" in case["notes"] for case in report["cases"])
    assert "eval subset [####################] 6/6" in report["progress"]  # the broken case too


async def test_a_tighter_line_tolerance_loses_the_findings_a_line_off(
    temporal_client: Client, pool: asyncpg.Pool, reviews: Settings, tmp_path: Path
) -> None:
    from domain.evaluation.matching import MatchSettings

    root = subset_dataset(tmp_path / "subset", broken=False)
    report = await evaluate(temporal_client, pool, reviews, root, match=MatchSettings(line_tolerance=0))

    overall = report["scores"]["overall"]
    assert (overall["findings_matched"], overall["golden_matched"]) == (6, 6)
    assert report["dataset"]["errors"] == []


def test_the_command_prints_the_table_and_writes_the_report(tmp_path: Path) -> None:
    root = tmp_path / "dataset"
    shutil.copytree(SHIPPED / "cases" / "php-pdo-song-search", root / "cases" / "php-pdo-song-search")
    out = tmp_path / "report.json"
    env = {"PATH": "/usr/bin:/bin", "PR_AGENT_DATA_DIR": str(tmp_path / "home"), "NODE_ENV": "test"}
    env["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"

    done = subprocess.run(
        [PR_AGENT, "eval", str(root), "--out", str(out)], env=env, capture_output=True, text=True, timeout=180
    )

    assert done.returncode == 0, done.stderr[-2000:]
    assert "overall                         2     2       2      2       1.00    1.00   1.00" in done.stdout
    report = json.loads(out.read_text())
    assert report["scores"]["overall"]["f1"] == 1.0 and report["run"]["llm"] == NO_MODEL
    missing = subprocess.run([PR_AGENT, "eval", str(tmp_path / "nothing")], env=env, capture_output=True, text=True)
    assert missing.returncode == 2 and "no 'cases/' folder" in missing.stderr


AUTH = "src/user/auth.middleware.ts"


def judge_by_keyword(request: dict[str, Any]) -> str:
    """The judge stand-in: the same issue when the reviewer's comment names the golden comment's subject."""
    prompt = request["messages"][-1]["content"]
    golden, finding = prompt.split("Golden comment", 1)[1].split("Reviewer's comment", 1)
    same = ("scheme" in golden and "scheme" in finding) or ("jwt.verify" in golden and "jwt.verify" in finding)
    return json.dumps({"same_issue": same, "reason": "keyword"})


async def test_a_model_reviews_and_a_judge_model_decides_which_findings_match(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    root = tmp_path / "one"
    shutil.copytree(SHIPPED / "cases" / "ts-nestjs-auth-token-scheme", root / "cases" / "ts-nestjs-auth-token-scheme")
    comments = [
        {"path": AUTH, "line": 25, "severity": "high", "category": "security",
         "message": "The `Token` scheme is no longer checked before the token is used."},
        {"path": AUTH, "line": 26, "severity": "low", "category": "correctness", "message": "Consider logging here."},
    ]  # fmt: skip
    verdicts = {"verdicts": [{"id": "c1", "score": 9, "reason": "yes"}, {"id": "c2", "score": 6, "reason": "meh"}]}
    with FakeLLM(responder=judge_by_keyword) as llm:
        llm.enqueue(llm_answer("Simplifies token parsing.", comments), json.dumps(verdicts), model="reviewer")
        variables = {"LLM_MODEL": "openai/reviewer", "LLM_API_BASE": llm.url + "/v1", "LLM_API_KEY": "test"}
        settings = make_settings(db_dsn, LLM_TIMEOUT_SECONDS="5", **variables)
        judge = settings.llm.model_copy(update={"model": "openai/judge"})
        deps = WorkerDeps(settings, pool)
        async with build_worker(temporal_client, deps, "reviews", REGISTRATIONS["reviews"](deps)):
            located = await evaluate(temporal_client, pool, settings, root)
            llm.enqueue(llm_answer("Simplifies token parsing.", comments), json.dumps(verdicts), model="reviewer")
            judged = await evaluate(temporal_client, pool, settings, root, judge=judge)

    by_location = located["scores"]["overall"]
    assert (by_location["findings_matched"], by_location["golden_matched"]) == (2, 2)  # same lines: both "match"
    overall = judged["scores"]["overall"]
    assert (overall["findings"], overall["findings_matched"], overall["golden"]) == (2, 1, 2)
    [pair] = judged["cases"][0]["matched"]
    assert (pair["finding"]["line"], pair["golden"]["line"]) == (25, 25)
    run = judged["run"]
    assert (run["model"], run["llm"], run["judge_model"], run["judge_prompt"]) == (
        "openai/reviewer", "used", "openai/judge", "judge-v1"
    )  # fmt: skip
    assert {k: v["calls"] for k, v in run["usage"].items()} == {"judge": 4, "review": 1, "verify": 1}
    assert judged["matching"]["judge"] is True
