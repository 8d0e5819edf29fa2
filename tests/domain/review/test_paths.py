from __future__ import annotations

import pytest

from domain.review.paths import file_kind


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("src/article/article.service.ts", "source"),
        ("app/api/dependencies/database.py", "source"),
        ("tests/test_api.py", "test"),
        ("src/user/user.service.spec.ts", "test"),
        ("pkg/handler_test.go", "test"),
        ("docs/setup.md", "docs"),
        ("README.md", "docs"),
        ("LICENSE", "docs"),
        ("package.json", "config"),
        ("Dockerfile", "config"),
        ("package-lock.json", "generated"),
        ("dist/main.js", "generated"),
        ("static/app.min.js", "generated"),
    ],
)
def test_file_kind(path: str, kind: str) -> None:
    assert file_kind(path) == kind
