-- 006: auto-fix. A review keeps its findings with the ids it shows ("F1".."Fn"), so `/auto-fix F2`
-- resolves to what the reader saw; an auto-fix request is a review_history row of its own
-- (review_type 'autofix'), one per request id, so a retried or replayed request is answered once,
-- and any number of requests may name the same head.

-- 003 (review types) adds the same column; whichever runs first adds it, the other leaves it be.
ALTER TABLE review_history ADD COLUMN IF NOT EXISTS review_type TEXT NOT NULL DEFAULT 'review';
ALTER TABLE review_history ADD COLUMN IF NOT EXISTS findings JSONB NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE review_history ADD COLUMN IF NOT EXISTS request_id TEXT;
ALTER TABLE review_history ADD COLUMN IF NOT EXISTS outcome JSONB;

-- One row per head and kind still holds for everything but requests (001's key per head, or 003's
-- per head and type, becomes this partial index; upserts name it with `WHERE request_id IS NULL`),
-- and one row per request id for requests.
ALTER TABLE review_history DROP CONSTRAINT IF EXISTS review_history_repository_pr_number_head_sha_key;
ALTER TABLE review_history DROP CONSTRAINT IF EXISTS review_history_head_type_key;
CREATE UNIQUE INDEX IF NOT EXISTS review_history_head_type_key
    ON review_history (repository, pr_number, head_sha, review_type) WHERE request_id IS NULL;
CREATE UNIQUE INDEX IF NOT EXISTS review_history_one_row_per_request
    ON review_history (request_id) WHERE request_id IS NOT NULL;
-- The latest review of a pull request, read by every auto-fix request.
CREATE INDEX IF NOT EXISTS review_history_latest
    ON review_history (repository, pr_number, review_type, created_at DESC);
