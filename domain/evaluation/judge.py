"""The judge's prompt and the reading of its answer; calling a model is the caller's business.

The prompt is a versioned `string.Template` file, prompts/eval/judge/<version>.md, so a change to how
matches are judged is a reviewed text change with a new version number, recorded in every report.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from domain.evaluation.cases import GoldenComment
from domain.evaluation.matching import EvalFinding

JUDGE_PROMPTS = Path(__file__).resolve().parents[2] / "prompts" / "eval" / "judge"
JUDGE_VERSION = "v1"
_JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


class JudgeAnswerError(ValueError):
    """The judge's text holds no usable verdict."""


@dataclass(frozen=True)
class JudgeVerdict:
    same_issue: bool
    reason: str


def judge_prompt_version(version: str = JUDGE_VERSION) -> str:
    """The name recorded in reports, e.g. "judge-v1"."""
    return f"judge-{version}"


def load_judge_template(version: str = JUDGE_VERSION, root: Path = JUDGE_PROMPTS) -> Template:
    """The judge prompt of `version`, as a template."""
    return Template((root / f"{version}.md").read_text(encoding="utf-8"))


def render_judge_prompt(template: Template, finding: EvalFinding, golden: GoldenComment) -> str:
    """The prompt asking whether `finding` raises the same issue as `golden`."""
    golden_location = f"{golden.path}:{golden.line}" if golden.located else "not given"
    return template.substitute(
        golden_severity=golden.severity,
        golden_category=golden.category,
        golden_location=golden_location,
        golden_text=golden.text,
        finding_severity=finding.severity,
        finding_category=finding.category,
        finding_location=f"{finding.path}:{finding.line}",
        finding_text=finding.message,
    )


def parse_judge_answer(text: str) -> JudgeVerdict:
    """The verdict in the judge's answer; tolerates a ```json fence or a sentence around the object."""
    found = _JSON_OBJECT.search(text)
    if found is None:
        raise JudgeAnswerError("the answer holds no JSON object")
    try:
        data = json.loads(found.group(0))
    except json.JSONDecodeError as error:
        raise JudgeAnswerError(f"the JSON object does not parse: {error.msg}") from error
    same = data.get("same_issue") if isinstance(data, dict) else None
    if not isinstance(same, bool):
        raise JudgeAnswerError("'same_issue' is missing or not true/false")
    return JudgeVerdict(same_issue=same, reason=str(data.get("reason", "")).strip())
