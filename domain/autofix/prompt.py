"""The model's part of a fix: the prompt for one finding (prompts/autofix/<version>/) and its answer
read back as hunks of that finding's file, or as a plain refusal ("NO FIX: why").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from domain.autofix.checks import language_of
from domain.autofix.patch import Hunk, PatchError, diff_block, parse_diff
from domain.findings import Finding

PROMPTS_ROOT = Path(__file__).resolve().parents[2] / "prompts" / "autofix"
_NO_FIX = re.compile(r"^\s*NO FIX:\s*(.+)$", re.IGNORECASE | re.MULTILINE)
MAX_REASON_CHARS = 300


@dataclass(frozen=True)
class FixContext:
    repository: str
    head_sha: str
    finding_id: str
    finding: Finding
    file_text: str
    conventions: str
    context_lines: int


def current_prompt_dir(root: Path = PROMPTS_ROOT) -> Path:
    return root / (root / "VERSION").read_text(encoding="utf-8").strip()


def prompt_version(prompt_dir: Path) -> str:
    return f"autofix-{prompt_dir.name}"


def build_fix_messages(context: FixContext, prompt_dir: Path) -> list[dict[str, str]]:
    """System and user messages asking for the fix of one finding."""
    finding = context.finding
    lines = context.file_text.replace("\r\n", "\n").split("\n")
    first = max(1, finding.line - context.context_lines)
    last = min(len(lines), finding.line + context.context_lines)
    width = len(str(last))
    code = "\n".join(f"{number:>{width}}| {lines[number - 1]}" for number in range(first, last + 1))
    user = Template((prompt_dir / "user.md").read_text(encoding="utf-8")).substitute(
        repo=context.repository,
        path=finding.path,
        language=language_of(finding.path),
        head_sha=context.head_sha,
        finding_id=context.finding_id,
        severity=finding.severity,
        rule_id=finding.rule_id,
        source=finding.source,
        line=finding.line,
        message=finding.message.strip(),
        suggestion=(finding.suggestion or "").strip() or "(none)",
        conventions=context.conventions.strip() or "(none stated: follow the code around the finding)",
        first=first,
        last=last,
        total=len(lines),
        code=code,
    )
    system = (prompt_dir / "system.md").read_text(encoding="utf-8").strip()
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


@dataclass(frozen=True)
class ModelFix:
    hunks: tuple[Hunk, ...] = ()
    refusal: str | None = None  # the model's own "NO FIX" reason


def read_fix_answer(answer: str, path: str) -> ModelFix:
    """The hunks the model proposes for `path`; raises PatchError for an answer that is neither a
    diff of that one file nor a refusal."""
    refused = _NO_FIX.search(answer)
    if refused and "@@" not in answer:
        return ModelFix(refusal=" ".join(refused.group(1).split())[:MAX_REASON_CHARS])
    patches = [p for p in parse_diff(diff_block(answer)) if p.hunks]
    if not patches:
        raise PatchError("the model's answer holds no diff")
    strangers = sorted({p.path for p in patches if p.path not in (None, path)})
    if strangers:
        raise PatchError(f"the model's diff also changes {', '.join(strangers)}; only `{path}` may change")
    return ModelFix(hunks=tuple(h for p in patches for h in p.hunks))
