"""Error type names: what an activity raises (`ApplicationError(type=...)`) and what a workflow's
retry policy or failure handling matches on. A name here is part of the contract between them,
so it is written once."""

from __future__ import annotations

# GitHub (clients.github.github_failure sorts its errors into these two).
GITHUB_REJECTED = "GithubRejected"  # a refusal retrying cannot fix: not found, no access, invalid
GITHUB_UNAVAILABLE = "GithubUnavailable"  # 5xx, timeouts, rate limits: retried with backoff
PACKAGES_NOT_CONFIGURED = "PackagesNotConfigured"

# The LLM provider (clients.llm.classify) and the answers it gives.
LLM_REJECTED = "LlmRequestRejected"
LLM_UNAVAILABLE = "LlmUnavailable"
LLM_OUTPUT_INVALID = "LlmOutputError"
LLM_EMPTY_ANSWER = "LlmEmptyAnswer"

# Jira.
JIRA_REJECTED = "JiraRejected"
JIRA_NOT_CONFIGURED = "JiraNotConfigured"

# The App's life cycle: another repository still holds the name a rename moves to (retried: its own
# rename, applied by its own RenameRepo, frees it).
REPOSITORY_NAME_TAKEN = "RepositoryNameTaken"

# This worker's own configuration and files.
INDEX_CONFIG_ERROR = "IndexConfigError"
PROMPT_SET_ERROR = "PromptSetError"
GIT_ERROR = "GitError"
