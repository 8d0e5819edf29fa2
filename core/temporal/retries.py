"""Named retry policies: how long each kind of work is retried, written once for every workflow.

Client libraries never retry on their own (litellm `num_retries=0`, PyGithub and jira with
retries off): Temporal owns retries, so they never stack. A permanent failure is raised as a
non-retryable ApplicationError; the error types listed here are the same refusals named once more,
so a policy holds even for an error raised without the flag.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio.common import RetryPolicy

from core.temporal.errors import (
    GITHUB_REJECTED,
    INDEX_CONFIG_ERROR,
    JIRA_NOT_CONFIGURED,
    JIRA_REJECTED,
    LLM_OUTPUT_INVALID,
    LLM_REJECTED,
    PACKAGES_NOT_CONFIGURED,
)

# GitHub's API: 5xx, timeouts and rate limits clear within minutes; backing off from 1 s to 2 min
# over 8 attempts waits about two minutes in all. Refusals (404, 401, 422...) are never retried.
GITHUB_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=2),
    maximum_attempts=8,
    non_retryable_error_types=[GITHUB_REJECTED, PACKAGES_NOT_CONFIGURED],
)

# Jira's API: as patient as GitHub's; a refusal or missing configuration is final.
JIRA_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=2),
    maximum_attempts=8,
    non_retryable_error_types=[JIRA_REJECTED, JIRA_NOT_CONFIGURED],
)

# The review's one LLM answer: a few attempts only, because the review falls back to analyzers
# and rules (and says so) rather than making the author wait; a provider's Retry-After is honoured.
REVIEW_LLM_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=60),
    maximum_attempts=4,
    non_retryable_error_types=[LLM_REJECTED, LLM_OUTPUT_INVALID],
)

# A command's model call (/improve, /ask, /describe): someone is waiting on the answer, and the
# command says plainly when the model part was skipped, so a few attempts only, like the review's.
COMMAND_LLM_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=60),
    maximum_attempts=4,
    non_retryable_error_types=[LLM_REJECTED, LLM_OUTPUT_INVALID],
)

# The verification pass: the review waits on it and goes out unverified when it fails, so it gets
# fewer attempts than the review's own answer.
VERIFY_LLM_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=3,
    non_retryable_error_types=[LLM_REJECTED, LLM_OUTPUT_INVALID],
)

# An investigation step: one LLM call per attempt, patient, since nobody is waiting on it.
INVESTIGATION_LLM_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=2),
    maximum_attempts=6,
    non_retryable_error_types=[LLM_REJECTED, LLM_OUTPUT_INVALID],
)

# The Knowledge Assistant's answer: someone is waiting on the page, and the ranked evidence answers
# without the model, so three attempts within about half a minute, then the evidence and the reason.
KNOWLEDGE_LLM_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=3,
    non_retryable_error_types=[LLM_REJECTED],
)

# Indexing: git fetches and embedding batches; a wrong embedder configuration is final.
INDEX_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=1),
    maximum_attempts=8,
    non_retryable_error_types=[INDEX_CONFIG_ERROR],
)

# Local work (the database, git on this worker, CPU-bound analysis): a few quick attempts.
LOCAL_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=1),
    maximum_attempts=5,
)

# A health check proves the worker and its database answer now: three attempts within seconds.
HEALTH_RETRY = RetryPolicy(maximum_attempts=3)
