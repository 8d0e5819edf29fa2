"""Credentials in repository content: which files hold them, and redacting the values."""

from __future__ import annotations

import pytest

from domain.secrets import REDACTED, named_secret, redact_secrets, secret_file_reason, token_kind

# Token-shaped values are assembled here so that no scanner mistakes this file for a leak.
GITHUB_TOKEN = "ghp_" + "Z3x9Kq" * 6
FINE_GRAINED = "github_pat_" + "11AB" * 14
SLACK_TOKEN = "xoxb-" + "2048" * 3 + "-Qw7" * 4
AWS_KEY = "AKIA" + "Q7WZ" * 4
JWT = "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiI0MiIsIm5hbWUiOiJhbm4ifQ" + ".Xk3vQ9pL2mR8tY6wZ1aB4cD7eF0gH5jK"
PASSWORD = "Vx9qT4mZr7Lp2Wk"
KEY_BLOCK = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7x\nq9Lr2Pz0Wk4T\n-----END RSA PRIVATE KEY-----"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f'DATABASE_URL="postgresql://app:{PASSWORD}@db.internal:5432/shop"', PASSWORD),
        (f"redis_url = 'redis://default:{PASSWORD}@cache:6379/0'", PASSWORD),
        (f'const token = "{GITHUB_TOKEN}";', GITHUB_TOKEN),
        (f"GH_TOKEN={FINE_GRAINED}", FINE_GRAINED),
        (f"slack: {SLACK_TOKEN}", SLACK_TOKEN),
        (f"AWS_ACCESS_KEY_ID={AWS_KEY}", AWS_KEY),
        (f"headers = {{'Authorization': 'Bearer {JWT}'}}", JWT),
        (f'password = "{PASSWORD}"', PASSWORD),
        (f"'db_password' => '{PASSWORD}',", PASSWORD),
        (f"define('DB_PASS', '{PASSWORD}');", PASSWORD),
        ("API_KEY=9f8c2a7e41b0d3c6a5e8f1b2c4d7e0a9", "9f8c2a7e41b0d3c6a5e8f1b2c4d7e0a9"),
        ("stripe_secret: sk9T2m4Q8w1Z7x3V", "sk9T2m4Q8w1Z7x3V"),
        (f"private_key = '{PASSWORD}'", PASSWORD),
        (f"CLIENT_ID=abc\nclient_credentials: '{PASSWORD}'", PASSWORD),
    ],
)
def test_credential_values_are_replaced_and_the_rest_of_the_line_kept(text: str, secret: str) -> None:
    redacted = redact_secrets(text)
    assert secret not in redacted
    assert REDACTED in redacted
    assert redacted.replace(REDACTED, secret) == text  # only the value itself is gone


def test_a_private_key_block_keeps_its_lines_so_chunks_keep_their_line_numbers() -> None:
    text = f"const key = `\n{KEY_BLOCK}\n`;\nexport default key;\n"
    redacted = redact_secrets(text)
    assert "MIIEpAIBAAKCAQEA7x" not in redacted and "q9Lr2Pz0Wk4T" not in redacted
    assert redacted.count("\n") == text.count("\n")
    assert redacted.splitlines()[-1] == "export default key;"
    # A block cut short (the END line is in another file or chunk) is redacted to the end.
    assert "MIIEpAIBAAKCAQEA7x" not in redact_secrets(KEY_BLOCK.split("-----END")[0])


@pytest.mark.parametrize(
    "text",
    [
        "const password = req.body.password;",
        "$this->password = password_hash($password, PASSWORD_DEFAULT);",
        "secret: process.env.JWT_SECRET,",
        "apiKey: this.config.get<string>('stripe.apiKey'),",
        "jwtSecret: 'changeme'",
        "url = 'postgres://postgres:postgres@localhost:5432/test'",
        "password_confirmation: 'password_confirmation'",
        "if (user.passwordHash === undefined) { return null; }",
        "API_KEY=your-api-key-here",
        "bypass_cache = 'abcdefgh1234'",
    ],
)
def test_code_that_only_names_a_credential_is_left_alone(text: str) -> None:
    assert redact_secrets(text) == text


def test_every_line_of_a_file_is_redacted_and_the_others_are_kept() -> None:
    text = (
        f'password = "{PASSWORD}"\nconst tokenCount = 3;\n'
        f"const db = 'mysql://app:{PASSWORD}@db/app';\nreturn token;\nDB_PASS={PASSWORD}9"
    )
    redacted = redact_secrets(text)
    assert PASSWORD not in redacted
    assert redacted.splitlines() == [
        'password = "[REDACTED]"',
        "const tokenCount = 3;",
        "const db = 'mysql://app:[REDACTED]@db/app';",
        "return token;",
        "DB_PASS=[REDACTED]",
    ]


def test_redacting_twice_changes_nothing_more() -> None:
    text = f"A={AWS_KEY}\npassword = '{PASSWORD}'\n{KEY_BLOCK}\nurl=mysql://u:{PASSWORD}@h/db"
    once = redact_secrets(text)
    assert redact_secrets(once) == once


def test_the_analyzer_patterns_are_the_redaction_patterns() -> None:
    assert token_kind(f"x = '{GITHUB_TOKEN}'") == "GitHub token"
    assert named_secret(f'password = "{PASSWORD}"') == "literal assigned to `password`"
    assert token_kind(redact_secrets(f"x = '{GITHUB_TOKEN}'")) is None
    assert named_secret(redact_secrets(f'password = "{PASSWORD}"')) is None


@pytest.mark.parametrize(
    "path",
    [
        ".env",
        "prisma/.env",
        "apps/api/.env.production",
        "config/prod.env",
        ".envrc",
        "deploy/keys/server.pem",
        "certs/tls.key",
        "home/.ssh/id_rsa",
        "id_ed25519.pub",
        "keystore.p12",
        "android/app/release.keystore",
        "signing.pfx",
        "config/credentials.json",
        "secrets/gcp-service-account.json",
        "client_secret_1234.apps.googleusercontent.com.json",
        ".npmrc",
        "packages/web/.npmrc",
        ".pypirc",
        ".netrc",
        ".git-credentials",
        "infra/prod.tfvars",
        "infra/terraform.tfstate",
        "ops/kubeconfig",
        "ops/.kube/config",
        ".docker/config.json",
        ".aws/credentials",
    ],
)
def test_credential_files_are_recognised_by_name(path: str) -> None:
    reason = secret_file_reason(path)
    assert reason is not None and reason.startswith("credentials file")


@pytest.mark.parametrize(
    "path",
    [
        ".env.example",
        "config/.env.sample",
        "src/environment.ts",
        "src/config/env.validation.ts",
        "src/key.ts",
        "docs/keys.md",
        "src/credentials.service.ts",
        "config/config.json",
        "package.json",
    ],
)
def test_templates_and_code_about_credentials_are_not_credential_files(path: str) -> None:
    assert secret_file_reason(path) is None


def test_a_service_account_key_is_recognised_by_its_content() -> None:
    head = b'{\n  "type": "service_account",\n  "project_id": "made-up-123"'
    assert secret_file_reason("deploy/made-up-123-4f2a.json", head) == "credentials file (service-account key)"
    assert secret_file_reason("deploy/made-up-123-4f2a.json", b'{"type": "module"}') is None
