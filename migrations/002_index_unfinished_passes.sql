-- 002: IndexRepo remembers the targets of passes that started but never finished (a workflow
-- terminated or failed between batches). Such a pass may have rewritten some files at its target;
-- the next pass re-reads every path those targets touched, so a change that was later reverted
-- cannot leave chunks behind. Cleared in the transaction that records a finished pass.

ALTER TABLE repositories
    ADD COLUMN unfinished_index_shas TEXT[] NOT NULL DEFAULT '{}';
