-- 005: retrieval that finds code.
--
-- Full-text search cuts identifiers and paths into the words people search for: `AuthMiddleware`
-- is found by "auth middleware", `src/user/auth.middleware.ts` by "user auth middleware",
-- `find_user_by_email` by "find user". PostgreSQL's parser keeps camelCase whole and reads dotted
-- names and paths as single tokens, so the text goes through code_search_words() first (the query
-- side does the same in domain/search_words.py; tests/db holds the two to each other).
-- A chunk's symbol and path are weighted A, its content D, so that ranking can weigh a name apart
-- from a mention (TEXT_WEIGHTS in db/code_search.py).
--
-- Re-creating the generated column re-derives the search vector of every existing row (the table
-- is rewritten once, its indexes rebuilt). Safe to run again: everything is replaced, not added.
-- The HNSW index is rebuilt with the table: with the default 64MB of maintenance memory its graph
-- stops fitting after some tens of thousands of rows and the build slows down threefold (100k
-- chunks: 315 s against 107 s with 512MB, on a busy 2-core machine; docs/benchmarks.md).

SET LOCAL maintenance_work_mem = '512MB';

CREATE OR REPLACE FUNCTION code_search_words(source text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT regexp_replace(
        regexp_replace(
            regexp_replace(source, '([a-z0-9])([A-Z])', '\1 \2', 'g'),
            '([A-Z]+)([A-Z][a-z])', '\1 \2', 'g'),
        '[!-/:-@[-`{-~[:space:]]+', ' ', 'g')
$$;

ALTER TABLE code_chunks DROP COLUMN IF EXISTS search_text;  -- its GIN index goes with it
ALTER TABLE code_chunks ADD COLUMN search_text tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', code_search_words(coalesce(symbol, '') || ' ' || path)), 'A')
    || setweight(to_tsvector('simple', code_search_words(content)), 'D')
) STORED;
CREATE INDEX IF NOT EXISTS code_chunks_search_text ON code_chunks USING gin (search_text);

-- Rows written before this version may hold credential files (.env, keys) or unredacted values:
-- forgetting the indexed commit makes the next IndexRepo pass of every repository a full one
-- (Reconcile and discovery start it), which rewrites every file's chunks with today's filters.
-- Unchanged chunks keep their stored embeddings, so this costs reading, not embedding.
UPDATE repositories SET last_commit_sha = NULL WHERE last_commit_sha IS NOT NULL;
