-- Learning from reactions (issue 15): what each posted finding is, what people said about it, and the
-- rules muted in a repository because people keep rejecting them.

-- A posted inline finding's rule and the GitHub id of its comment (reactions are read by that id).
ALTER TABLE posted_findings ADD COLUMN IF NOT EXISTS rule_id TEXT;
ALTER TABLE posted_findings ADD COLUMN IF NOT EXISTS severity TEXT;
ALTER TABLE posted_findings ADD COLUMN IF NOT EXISTS source TEXT;
CREATE INDEX IF NOT EXISTS posted_findings_repository_rule ON posted_findings (repository, rule_id);

-- One row per person and kind of signal on one finding (marker 'summary': the summary comment).
-- Reactions are re-read and replaced; a reply or a thread resolution is written by its webhook;
-- 'addressed' rows (actor '') are written when a later commit changes the finding's line.
CREATE TABLE finding_feedback (
    repository  TEXT NOT NULL,
    pr_number   INTEGER NOT NULL,
    marker      TEXT NOT NULL,
    signal      TEXT NOT NULL CHECK (signal IN ('reaction', 'reply', 'thread', 'addressed')),
    actor       TEXT NOT NULL,
    verdict     TEXT NOT NULL CHECK (verdict IN ('accepted', 'rejected', 'neutral')),
    observed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (repository, pr_number, marker, signal, actor)
);

-- A rule muted in a repository (its findings are not posted there), with the numbers that muted it.
-- An admin's unmute keeps the row with unmuted_at: only findings posted after it count towards muting again.
CREATE TABLE rule_mutes (
    repository  TEXT NOT NULL,
    rule_id     TEXT NOT NULL,
    muted       BOOLEAN NOT NULL,
    precision   DOUBLE PRECISION,
    accepted    INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0,
    muted_at    TIMESTAMPTZ,
    unmuted_at  TIMESTAMPTZ,
    unmuted_by  TEXT,
    PRIMARY KEY (repository, rule_id)
);
