-- 003: what the admin dashboard shows that was not kept before.
-- review_history.risk: the model's overall risk of a reviewed head (NULL: not assessed, e.g. no LLM);
-- review_history.findings_by_rule and posted_findings.rule_id: per-rule counts for the rules page
-- (rows written before this migration have none, and the page says so).
-- The index serves the dashboard's newest-first review list and its per-day charts.

ALTER TABLE review_history
    ADD COLUMN risk TEXT,
    ADD COLUMN findings_by_rule JSONB NOT NULL DEFAULT '{}'::jsonb;

ALTER TABLE posted_findings
    ADD COLUMN rule_id TEXT;

CREATE INDEX review_history_created ON review_history (created_at DESC);
CREATE INDEX posted_findings_rule ON posted_findings (rule_id) WHERE rule_id IS NOT NULL;
