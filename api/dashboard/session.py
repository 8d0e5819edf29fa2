"""Dashboard sessions: a signed, expiring cookie issued for the admin token, with a CSRF token inside.

The cookie holds {user, session id, CSRF token, expiry} signed with HMAC-SHA256 under a key derived
from ADMIN_API_TOKEN: nothing is stored server-side, and rotating the token signs everyone out.
It is HttpOnly (scripts cannot read it), SameSite=Strict (other sites cannot send it) and Secure
when the dashboard is served over https. The CSRF token travels in every form and must match.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import asdict, dataclass

from pydantic import SecretStr

SESSION_COOKIE = "pr_agent_session"
LOGIN_COOKIE = "pr_agent_login"  # the sign-in form's own CSRF nonce, before there is a session
FLASH_COOKIE = "pr_agent_flash"
SESSION_SECONDS = 8 * 3600
LOGIN_SECONDS = 15 * 60
_KEY_CONTEXT = b"pr-agent/dashboard-session/v1"


def signing_key(admin_token: SecretStr) -> bytes:
    """A key for cookies only: the admin token itself never signs anything a browser holds."""
    return hmac.new(admin_token.get_secret_value().encode(), _KEY_CONTEXT, hashlib.sha256).digest()


def sign(key: bytes, payload: dict[str, object]) -> str:
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    return f"{body}.{_b64(hmac.new(key, body.encode(), hashlib.sha256).digest())}"


def unsign(key: bytes, value: str | None) -> dict[str, object] | None:
    """The payload of a value `sign` made with `key`, unexpired; None for anything else."""
    if not value or value.count(".") != 1:
        return None
    body, mac = value.split(".")
    expected = _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(mac, expected):
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("exp"), int) or payload["exp"] < time.time():
        return None
    return payload


@dataclass(frozen=True)
class Session:
    user: str
    sid: str
    csrf: str
    exp: int

    @property
    def actor(self) -> str:
        """Who did it, for the log: the name given at sign-in and the session it came from."""
        return f"{self.user} (session {self.sid[:8]})"


def new_session(user: str, now: float | None = None) -> Session:
    issued = int(now if now is not None else time.time())
    return Session(user, secrets.token_urlsafe(12), secrets.token_urlsafe(24), issued + SESSION_SECONDS)


def encode_session(key: bytes, session: Session) -> str:
    return sign(key, asdict(session))


def decode_session(key: bytes, value: str | None) -> Session | None:
    payload = unsign(key, value)
    if payload is None:
        return None
    try:
        return Session(str(payload["user"]), str(payload["sid"]), str(payload["csrf"]), int(payload["exp"]))  # type: ignore[call-overload]
    except (KeyError, TypeError, ValueError):
        return None


def tokens_match(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
