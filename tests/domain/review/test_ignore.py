import pytest

from domain.review.ignore import ignore_reason


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("package-lock.json", "lockfile"),
        ("web/yarn.lock", "lockfile"),
        ("dist/main.js", "generated or vendored (dist/)"),
        ("app/node_modules/x/index.js", "generated or vendored (node_modules/)"),
        ("static/app.min.js", "generated or minified"),
        ("src/app.js.map", "generated or minified"),
    ],
)
def test_generated_and_vendored_files_are_ignored(path: str, reason: str) -> None:
    assert ignore_reason(path) == reason


@pytest.mark.parametrize("path", ["src/app.ts", "application/views/songs/index.php", "distribution.py", "build.gradle"])
def test_source_files_are_reviewed(path: str) -> None:
    assert ignore_reason(path) is None


def test_configured_globs_apply_to_the_whole_path() -> None:
    assert ignore_reason("docs/api/openapi.yaml", ("docs/**",)) == "matches a configured ignore pattern"
