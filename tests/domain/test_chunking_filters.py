"""should_index: what the indexer skips, and why."""

from __future__ import annotations

import pytest

from domain.chunking import should_index

TEXT = b"export const a = 1;\n"


@pytest.mark.parametrize(
    ("path", "reason_part"),
    [
        ("node_modules/react/index.js", "vendored"),
        ("packages/web/node_modules/x/a.js", "vendored"),
        ("vendor/laravel/framework/src/App.php", "vendored"),
        ("dist/main.js", "generated"),
        ("apps/api/build/server.js", "generated"),
        ("out/index.html", "generated"),
        ("coverage/lcov-report/index.js", "generated"),
        (".next/server/page.js", "generated"),
        ("app/__pycache__/main.cpython-311.pyc", "generated"),
        ("public/js/app.min.js", "minified"),
        ("dist2/app.js.map", "minified"),
        ("package-lock.json", "lockfile"),
        ("web/yarn.lock", "lockfile"),
        ("pnpm-lock.yaml", "lockfile"),
        ("composer.lock", "lockfile"),
        ("poetry.lock", "lockfile"),
        (".git/config", ".git"),
        ("sub/.git/HEAD", ".git"),
        ("assets/logo.png", "binary"),
    ],
)
def test_vendored_generated_and_lock_paths_are_skipped(path: str, reason_part: str) -> None:
    indexed, reason = should_index(path, len(TEXT), TEXT)
    assert not indexed
    assert reason is not None and reason_part in reason


@pytest.mark.parametrize(
    "path",
    ["src/main.ts", ".github/workflows/ci.yml", "src/build.ts", "distribution/x.py", "package.json", ".gitignore"],
)
def test_ordinary_source_is_indexed(path: str) -> None:
    assert should_index(path, len(TEXT), TEXT) == (True, None)


def test_size_limit_is_a_parameter() -> None:
    assert should_index("src/big.ts", 600 * 1024, TEXT) == (False, "too large (614400 bytes > 524288)")
    assert should_index("src/big.ts", 600 * 1024, TEXT, max_bytes=1024 * 1024) == (True, None)


def test_binary_and_non_utf8_content_is_skipped() -> None:
    assert should_index("data/blob.dat", 10, b"abc\x00def") == (False, "binary (NUL byte)")
    latin1 = "café au lait".encode("latin-1")
    assert should_index("legacy.php", 100, latin1) == (False, "not UTF-8 text")
    assert should_index("legacy.php", len(b"caf\xe9"), b"caf\xe9") == (False, "not UTF-8 text")


def test_a_head_cut_inside_a_multibyte_character_is_still_text() -> None:
    head = "naïve café ☕".encode()[:-1]
    assert should_index("notes.md", 100, head) == (True, None)


@pytest.mark.parametrize(
    "path",
    [".env", "prisma/.env", "apps/web/.env.local", "keys/server.pem", "deploy/id_rsa", ".npmrc", "infra/prod.tfvars"],
)
def test_credential_files_are_never_indexed(path: str) -> None:
    indexed, reason = should_index(path, len(TEXT), TEXT)
    assert not indexed
    assert reason is not None and reason.startswith("credentials file")


def test_a_service_account_key_is_skipped_by_its_content_and_a_template_is_indexed() -> None:
    key = b'{"type": "service_account", "private_key": "..."}\n'
    assert should_index("ops/made-up-4f2a.json", len(key), key) == (False, "credentials file (service-account key)")
    example = b"DATABASE_URL=postgres://user:password@localhost/app\n"
    assert should_index(".env.example", len(example), example) == (True, None)
