"""GitHub App installation auth: a JWT for the app, an installation token for the repository's calls."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from clients.github import make_github
from core.settings import GithubSettings
from tests.fakes.github import FakeGitHub


def test_app_auth_fetches_an_installation_token_and_reads_the_pull_request() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    with FakeGitHub(token=None, app_id=4242, app_public_key=public_pem) as github:
        github.add_repo("acme/api")
        github.add_installation(77, account="acme")
        github.add_pull("acme/api", 5, title="Add login", head_ref="login", head_sha="a" * 40)
        settings = GithubSettings.model_validate(
            {"GITHUB_API_URL": github.url, "GITHUB_APP_ID": "4242", "GITHUB_APP_PRIVATE_KEY": private_pem}
        )
        pull = make_github(settings, "acme/api").get_repo("acme/api").get_pull(5)
        assert pull.title == "Add login"
        assert len(github.issued_tokens) == 1  # the installation of the repository's owner was looked up
