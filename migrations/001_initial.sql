-- 001: the schema of the original design, plus what durability needs (the webhook inbox and
-- investigation checkpoints). Applied once, in one transaction, by `pr-agent migrate`; never edit
-- this file after it has shipped: add 002_... instead.

CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE repositories (
    id                      BIGSERIAL PRIMARY KEY,
    full_name               TEXT NOT NULL UNIQUE,              -- owner/name
    owner                   TEXT NOT NULL,
    name                    TEXT NOT NULL,
    default_branch          TEXT NOT NULL DEFAULT 'main',
    clone_url               TEXT,
    html_url                TEXT,
    description             TEXT,
    primary_language        TEXT,
    languages               JSONB NOT NULL DEFAULT '{}'::jsonb,
    frameworks              TEXT[] NOT NULL DEFAULT '{}',
    databases               TEXT[] NOT NULL DEFAULT '{}',
    repo_type               TEXT,
    repo_type_override      TEXT,
    is_monorepo             BOOLEAN NOT NULL DEFAULT false,
    packages                JSONB NOT NULL DEFAULT '[]'::jsonb,
    archived                BOOLEAN NOT NULL DEFAULT false,
    fork                    BOOLEAN NOT NULL DEFAULT false,
    head_sha                TEXT,                              -- last known default-branch head
    last_commit_sha         TEXT,                              -- last indexed commit
    last_indexed_at         TIMESTAMPTZ,
    indexed_embedding_model TEXT,
    last_investigated_sha   TEXT,
    last_investigated_at    TIMESTAMPTZ,
    created_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at              TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per chunk of one file at the indexed commit. The embedding dimension is fixed here;
-- EMBEDDING_DIMENSION must match it (checked at worker start-up).
CREATE TABLE code_chunks (
    id              BIGSERIAL PRIMARY KEY,
    repository_id   BIGINT NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    path            TEXT NOT NULL,
    start_line      INTEGER NOT NULL,
    end_line        INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    symbol          TEXT,
    language        TEXT NOT NULL,
    content         TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    commit_sha      TEXT NOT NULL,
    embedding       vector(384) NOT NULL,
    embedding_model TEXT NOT NULL,
    search_text     tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', coalesce(symbol, '') || ' ' || path || ' ' || content)
    ) STORED,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (repository_id, path, start_line, end_line, content_hash)
);
CREATE INDEX code_chunks_repo_path ON code_chunks (repository_id, path);
CREATE INDEX code_chunks_embedding_hnsw ON code_chunks USING hnsw (embedding vector_cosine_ops);
CREATE INDEX code_chunks_search_text ON code_chunks USING gin (search_text);

-- Finished architecture documents (InvestigateRepo's output), read by ReviewPR as context.
CREATE TABLE repo_analysis_cache (
    id                 BIGSERIAL PRIMARY KEY,
    repository_id      BIGINT NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    commit_sha         TEXT NOT NULL,
    prompt_set         TEXT NOT NULL,
    prompt_set_version TEXT NOT NULL,
    model              TEXT NOT NULL,
    document           TEXT NOT NULL,
    structured         JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (repository_id, commit_sha, prompt_set_version, model)
);
CREATE INDEX repo_analysis_cache_latest ON repo_analysis_cache (repository_id, created_at DESC);

-- One finished investigation step: a re-run with the same key reuses it instead of asking again.
CREATE TABLE investigation_checkpoints (
    repository         TEXT NOT NULL,
    commit_sha         TEXT NOT NULL,
    step_id            TEXT NOT NULL,
    step_fingerprint   TEXT NOT NULL,   -- the step's version and those of every step it needs
    model              TEXT NOT NULL,
    prompt_set         TEXT NOT NULL,
    prompt_set_version TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('done', 'skipped')),
    answer             TEXT,
    skipped_reason     TEXT,
    tokens_in          INTEGER NOT NULL DEFAULT 0,
    tokens_out         INTEGER NOT NULL DEFAULT 0,
    cost_usd           NUMERIC(12, 6) NOT NULL DEFAULT 0,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (repository, commit_sha, step_id, step_fingerprint, model)
);

CREATE TABLE jira_tickets (
    key             TEXT PRIMARY KEY,
    project_key     TEXT NOT NULL,
    summary         TEXT NOT NULL DEFAULT '',
    description     TEXT,
    status          TEXT,
    issue_type      TEXT,
    priority        TEXT,
    assignee        TEXT,
    reporter        TEXT,
    labels          TEXT[] NOT NULL DEFAULT '{}',
    fields          JSONB NOT NULL DEFAULT '{}'::jsonb,
    url             TEXT,
    jira_updated_at TIMESTAMPTZ,
    deleted         BOOLEAN NOT NULL DEFAULT false,
    embedding       vector(384),
    synced_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX jira_tickets_project ON jira_tickets (project_key, jira_updated_at);

CREATE TABLE jira_sync_state (
    project_key    TEXT PRIMARY KEY,
    last_synced_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE internal_packages (
    name                TEXT NOT NULL,
    ecosystem           TEXT NOT NULL DEFAULT 'npm',
    latest_version      TEXT,
    versions            JSONB NOT NULL DEFAULT '[]'::jsonb,
    deprecated          BOOLEAN NOT NULL DEFAULT false,
    deprecation_message TEXT,
    repository          TEXT,
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (ecosystem, name)
);

CREATE TABLE review_history (
    id                 BIGSERIAL PRIMARY KEY,
    repository         TEXT NOT NULL,
    pr_number          INTEGER NOT NULL,
    head_sha           TEXT NOT NULL,
    pr_url             TEXT,
    status             TEXT NOT NULL,        -- posted, skipped, failed
    skipped_reason     TEXT,
    trigger            TEXT,
    workflow_id        TEXT,
    run_id             TEXT,
    summary_comment_id BIGINT,
    findings_total     INTEGER NOT NULL DEFAULT 0,
    findings_by_severity JSONB NOT NULL DEFAULT '{}'::jsonb,
    inline_posted      INTEGER NOT NULL DEFAULT 0,
    llm_used           BOOLEAN NOT NULL DEFAULT false,
    llm_skipped_reason TEXT,
    model              TEXT,
    tokens_in          INTEGER NOT NULL DEFAULT 0,
    tokens_out         INTEGER NOT NULL DEFAULT 0,
    cost_usd           NUMERIC(12, 6) NOT NULL DEFAULT 0,
    context_used       TEXT[] NOT NULL DEFAULT '{}',
    context_missing    TEXT[] NOT NULL DEFAULT '{}',
    duration_ms        INTEGER,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (repository, pr_number, head_sha)
);

-- Where a PR's one summary comment lives, so it is edited in place by id, never found by text.
CREATE TABLE pr_summary_comments (
    repository TEXT NOT NULL,
    pr_number  INTEGER NOT NULL,
    comment_id BIGINT NOT NULL,
    head_sha   TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (repository, pr_number)
);

-- Inline findings already posted on a PR (by marker), so no head posts the same finding twice.
CREATE TABLE posted_findings (
    repository TEXT NOT NULL,
    pr_number  INTEGER NOT NULL,
    marker     TEXT NOT NULL,
    comment_id BIGINT,
    head_sha   TEXT NOT NULL,
    path       TEXT NOT NULL,
    line       INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (repository, pr_number, marker)
);

CREATE TABLE api_usage (
    id          BIGSERIAL PRIMARY KEY,
    request_key TEXT NOT NULL UNIQUE,        -- workflow/activity/attempt: a replayed record counts once
    provider    TEXT,
    model       TEXT NOT NULL,
    purpose     TEXT NOT NULL,               -- review, investigate, embed
    tokens_in   INTEGER NOT NULL DEFAULT 0,
    tokens_out  INTEGER NOT NULL DEFAULT 0,
    cost_usd    NUMERIC(12, 6) NOT NULL DEFAULT 0,
    repository  TEXT,
    pr_url      TEXT,
    workflow_id TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX api_usage_month ON api_usage (created_at);

CREATE TABLE budget_settings (
    scope             TEXT PRIMARY KEY,      -- 'global' or a repository full name
    monthly_limit_usd NUMERIC(12, 2) NOT NULL,
    alert_threshold   NUMERIC(4, 3) NOT NULL DEFAULT 0.8,
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE github_activity (
    id            BIGSERIAL PRIMARY KEY,
    repository    TEXT NOT NULL,
    activity_type TEXT NOT NULL,             -- commit, pull_request
    external_id   TEXT NOT NULL,             -- commit sha or PR number
    author        TEXT,
    title         TEXT,
    url           TEXT,
    branch        TEXT,
    occurred_at   TIMESTAMPTZ,
    data          JSONB NOT NULL DEFAULT '{}'::jsonb,
    recorded_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (repository, activity_type, external_id)
);

-- The inbox: every authentic webhook delivery, recorded before its workflow is started, so that
-- one Temporal could not take is replayed later instead of lost.
CREATE TABLE webhook_deliveries (
    delivery_id  TEXT PRIMARY KEY,
    source       TEXT NOT NULL CHECK (source IN ('github', 'jira')),
    event        TEXT NOT NULL,
    action       TEXT,
    repository   TEXT,
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    payload      JSONB NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('received', 'started', 'ignored', 'pending', 'failed')),
    reason       TEXT,
    workflow_ids TEXT[] NOT NULL DEFAULT '{}',
    error        TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_open ON webhook_deliveries (received_at)
    WHERE status IN ('received', 'pending');
