-- A pull request's history holds more than reviews: /improve, /describe, /ask and auto-fix runs are
-- recorded per head with their type, so one head can have a review and an /improve run side by side.
-- A review also remembers which kind it was (whole, or incremental since an earlier head) and what
-- GitHub refused or the checks withheld (details).
ALTER TABLE review_history ADD COLUMN IF NOT EXISTS review_type TEXT NOT NULL DEFAULT 'review';
ALTER TABLE review_history ADD COLUMN IF NOT EXISTS review_scope TEXT;
ALTER TABLE review_history ADD COLUMN IF NOT EXISTS reviewed_since TEXT;
ALTER TABLE review_history ADD COLUMN IF NOT EXISTS details JSONB NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE review_history DROP CONSTRAINT IF EXISTS review_history_repository_pr_number_head_sha_key;
ALTER TABLE review_history DROP CONSTRAINT IF EXISTS review_history_head_type_key;
ALTER TABLE review_history
    ADD CONSTRAINT review_history_head_type_key UNIQUE (repository, pr_number, head_sha, review_type);
CREATE INDEX IF NOT EXISTS review_history_by_pr ON review_history (repository, pr_number, review_type, created_at DESC);
