"""npm ranges, as the npm analyzer and cross-repository impact both read them."""

from __future__ import annotations

import pytest

from domain.semver import admits, parse_version


@pytest.mark.parametrize(
    ("spec", "version", "expected"),
    [
        ("^1.2.3", "1.9.0", True),
        ("^1.2.3", "2.0.0", False),
        ("^0.2.3", "0.3.0", False),
        ("^0.2.3", "0.2.9", True),
        ("^0.0.3", "0.0.4", False),
        ("~1.4.0", "1.4.2", True),
        ("~1.4.0", "1.5.0", False),
        ("1.2.3", "1.2.3", True),
        ("1.2.3", "1.2.4", False),
        ("1.x", "1.7.0", True),
        (">=1.0.0", "3.0.0", True),
        (">=1.0.0 <2", "1.5.0", True),
        (">=1.0.0 <2", "2.0.0", False),
        ("1.2 - 1.4", "1.4.9", True),
        ("1.2 - 1.4", "1.5.0", False),
        ("^1.0.0 || ^2.0.0", "2.0.0", True),
        ("^1.0.0 || ^2.0.0", "3.0.0", False),
        ("*", "9.9.9", True),
        ("workspace:*", "1.0.0", True),
        ("latest", "1.0.0", None),
        ("git+ssh://x/y.git", "1.0.0", None),
        ("github:acme/money#v1", "1.0.0", None),
        ("^1.0.0", "next", None),
    ],
)
def test_a_range_admits_a_version_or_says_it_cannot_tell(spec: str, version: str, expected: bool | None) -> None:
    assert admits(spec, version) is expected


def test_versions_need_three_numbers() -> None:
    assert parse_version("v1.2.3-beta.1") == (1, 2, 3)
    assert parse_version("1.2") is None
