"""Auto-fix, the pure parts: edits as hunks and their application, the checks a fix must pass, the
model's prompt and answer, the commit message and reply, signed links and the `/auto-fix` trigger."""
