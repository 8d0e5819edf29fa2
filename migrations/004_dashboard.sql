-- 004: what the admin dashboard shows that was not kept before (applies on top of 003's review types).
-- review_history.risk: the model's overall risk of a reviewed head (NULL: not assessed, e.g. no LLM);
-- review_history.findings_by_rule and posted_findings.rule_id: per-rule counts for the rules page
-- (rows written before this migration have none, and the page says so).
-- The index serves the dashboard's newest-first review list and its per-day charts.

ALTER TABLE review_history ADD COLUMN IF NOT EXISTS risk TEXT;
ALTER TABLE review_history ADD COLUMN IF NOT EXISTS findings_by_rule JSONB NOT NULL DEFAULT '{}'::jsonb;

ALTER TABLE posted_findings ADD COLUMN IF NOT EXISTS rule_id TEXT;

CREATE INDEX IF NOT EXISTS review_history_created ON review_history (created_at DESC);
CREATE INDEX IF NOT EXISTS posted_findings_rule ON posted_findings (rule_id) WHERE rule_id IS NOT NULL;
