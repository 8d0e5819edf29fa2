"""The `/help` reply: the commands, one example each, and the settings that shape them."""

from __future__ import annotations

from dataclasses import dataclass

COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("/review", "review the change again (only what is new since the last review)", "/review"),
    ("/review full", "review the whole change again", "/review full"),
    (
        "/improve",
        "committable code suggestions, ranked by the model's own check of each",
        "/improve",
    ),
    (
        "/ask QUESTION",
        "an answer from the change, the architecture, related code, the ticket and earlier findings; "
        "in an inline thread, about that line",
        "/ask why does the retry loop not back off?",
    ),
    ("/describe", "write the description into a marked section of the pull request body", "/describe"),
    ("/help", "this list", "/help"),
)


@dataclass(frozen=True)
class HelpFacts:
    """The configured values the help shows (no secrets: only whether a model is set up)."""

    model: str | None  # None: no LLM key, so the model parts are skipped
    improve_max_suggestions: int
    improve_min_score: int
    permission_cache_seconds: int


def render_help(facts: HelpFacts, login: str | None = None) -> str:
    greeting = (
        f"@{login} here is what I can do on a pull request." if login else "What PR Agent does on a pull request."
    )
    rows = [f"| `{name}` | {what} | `{example}` |" for name, what, example in COMMANDS]
    model = (
        f"model `{facts.model}`"
        if facts.model
        else "no LLM key is configured, so /improve and /ask skip the model part and /describe writes only "
        "its deterministic parts"
    )
    settings = [
        f"- `IMPROVE_MAX_SUGGESTIONS` = {facts.improve_max_suggestions}: at most this many /improve suggestions",
        f"- `IMPROVE_MIN_SCORE` = {facts.improve_min_score}: the self-check score (0-10) a suggestion needs",
        f"- `COMMAND_PERMISSION_CACHE_SECONDS` = {facts.permission_cache_seconds}: how long your permission is "
        "trusted before it is read again",
        f"- `LLM_MODEL`: {model}",
    ]
    return "\n".join(
        [
            greeting,
            "",
            "| command | what it does | example |",
            "|---|---|---|",
            *rows,
            "",
            "Commands need write or triage access to the repository; the same command sent several times "
            "in a row runs once.",
            "",
            "Settings that shape them:",
            *settings,
        ]
    )
