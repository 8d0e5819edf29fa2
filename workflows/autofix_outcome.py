"""What an AutoFixPR request came to, decided from its steps' results: pure code, shared with the
workflow (deterministic: no I/O, no clock)."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.autofix import (
        AutofixRequest,
        AutofixTarget,
        CheckedFixes,
        FixProposal,
        PushOutcome,
        Workspace,
    )
    from domain.autofix.report import AutofixOutcome, FixedFinding, Outcome, SkippedFinding


def new_outcome(
    request: AutofixRequest,
    target: AutofixTarget,
    status: Outcome,
    *,
    reason: str | None = None,
    skipped: list[SkippedFinding] | None = None,
) -> AutofixOutcome:
    """An outcome of `request` that says `status` (and why), with what the target left out."""
    return AutofixOutcome(
        request_id=request.request_id,
        status=status,
        requester=request.requester,
        reason=reason,
        skipped=list(skipped if skipped is not None else target.skipped),
        notes=list(target.notes),
    )


def checked_outcome(
    request: AutofixRequest,
    target: AutofixTarget,
    workspace: Workspace,
    proposals: list[FixProposal],
    checked: CheckedFixes,
) -> AutofixOutcome:
    """What the checked edits allow: push them ("pushed" until the push says otherwise), hand them
    over as a patch (a fork), or nothing (none applied, or the repository's check failed)."""
    by_id = {n.id: n for n in workspace.findings}
    how = {p.finding_id: p.how for p in proposals}
    fixed = [
        FixedFinding(
            id=i,
            path=by_id[i].finding.path,
            line=by_id[i].finding.line,
            rule_id=by_id[i].finding.rule_id,
            how=how[i],
        )
        for i in checked.applied
    ]
    skipped = [*target.skipped, *workspace.skipped, *checked.skipped]
    outcome = new_outcome(request, target, "pushed", skipped=skipped)
    outcome.fixed, outcome.checks, outcome.check_run = fixed, checked.checks, checked.check_run
    if not checked.applied:
        outcome.status, outcome.reason = "failed", "No finding could be fixed safely, so nothing was pushed."
    elif checked.blocked:
        outcome.status, outcome.reason, outcome.patch = "failed", checked.blocked, checked.patch
    elif target.mode == "patch":
        outcome.status, outcome.patch = "patch", checked.patch
        outcome.notes.append(f"Nothing was pushed: {target.mode_reason}.")
    else:
        outcome.patch = checked.patch
    return outcome


def pushed_outcome(outcome: AutofixOutcome, push: PushOutcome, target: AutofixTarget) -> AutofixOutcome:
    """The outcome once the push answered: a commit, a pull request, or (a fork that refused) the patch."""
    outcome.commit_sha, outcome.commit_url = push.commit_sha, push.commit_url
    if push.status == "pull_request":
        outcome.status, outcome.pull_request_url, outcome.branch = "pull_request", push.pull_request_url, push.branch
        outcome.notes.append(f"`{target.head_ref}` refused the commit, so it is offered as a pull request into it.")
    elif push.status == "refused":
        outcome.status = "patch"
        outcome.notes.append(f"Nothing was pushed: {push.detail}; apply the patch by hand.")
    return outcome
