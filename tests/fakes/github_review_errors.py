"""How GitHub words a refused review comment. Its two endpoints word the same refusal apart
(answers observed from GitHub, 2023-2025): `POST .../pulls/{n}/comments` says "Validation
Failed" with one error object per field at fault, `POST .../pulls/{n}/reviews` says
"Unprocessable Entity" with a single sentence listing them.
"""

from __future__ import annotations

COMMENTS_DOCS = "https://docs.github.com/rest/pulls/comments#create-a-review-comment-for-a-pull-request"
REPLY_DOCS = "https://docs.github.com/rest/pulls/comments#create-a-reply-for-a-review-comment"
REVIEWS_DOCS = "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request"
_THREAD = "pull_request_review_thread"
_SENTENCES = {
    "path": "Pull request review thread path is invalid",
    "line": "Pull request review thread line must be part of the diff",
    "start_line": "Pull request review thread start line must be part of the same hunk as the line.",
}


def comment_error(field: str, code: str, message: str | None = None) -> dict[str, str]:
    """One error object of `POST .../comments`."""
    error = {"resource": "PullRequestReviewComment", "code": code, "field": field}
    if message:
        error["message"] = message
    return error


def placement_errors(problems: list[str]) -> list[dict[str, str]]:
    """The error objects for a comment that cannot be placed (`problems`: "path", "line",
    "start_line")."""
    if "path" in problems:
        return [comment_error(f"{_THREAD}.path", "invalid"), comment_error(f"{_THREAD}.diff_hunk", "missing_field")]
    errors = []
    if "line" in problems:  # the older wording was "pull_request_review_thread.line must be part of the diff"
        errors.append(comment_error(f"{_THREAD}.line", "custom", "could not be resolved"))
    if "start_line" in problems:
        message = f"{_THREAD}.start_line must be part of the same hunk as the line."
        errors.append(comment_error(f"{_THREAD}.start_line", "custom", message))
    return errors


def foreign_commit_errors() -> list[dict[str, str]]:
    """The error objects for a `commit_id` that is not one of the pull request's commits."""
    message = f"{_THREAD}.end_commit_oid is not part of the pull request"
    return [
        comment_error(f"{_THREAD}.end_commit_oid", "custom", message),
        comment_error(f"{_THREAD}.diff_hunk", "missing_field"),
    ]


def review_sentence(problems: list[str]) -> str:
    """The one sentence of `POST .../reviews`, joined the way Rails joins a list."""
    parts = [_SENTENCES[problem] for problem in problems]
    if "path" in problems or "line" in problems:
        parts.append("Pull request review thread diff hunk can't be blank")
    if len(parts) < 3:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + ", and " + parts[-1]
