-- Pull-request commands (/improve, /ask, /describe, /help) run only for people with write or triage
-- access. Their permission is read from GitHub and kept here for a short while, so a burst of
-- commands costs one API call, and a role change takes effect once the entry is older than
-- COMMAND_PERMISSION_CACHE_SECONDS.
CREATE TABLE IF NOT EXISTS command_permissions (
    repository TEXT NOT NULL,
    login      TEXT NOT NULL,          -- lower case: GitHub logins are case-insensitive
    permission TEXT NOT NULL,          -- GitHub's base role: admin, write, read, none
    role_name  TEXT,                   -- the role itself: admin, maintain, write, triage, read, or custom
    checked_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (repository, login)
);
