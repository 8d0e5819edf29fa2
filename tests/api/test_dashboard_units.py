"""Pure pieces of the dashboard: cookie signing, Markdown with linked citations, formatting."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from pydantic import SecretStr

from api.dashboard.formatting import ago, by_severity, link_target, money, workflow_url
from api.dashboard.markdown import citation_linker, markdown_html, path_linker
from api.dashboard.session import decode_session, encode_session, new_session, sign, signing_key, unsign
from core.settings import TemporalSettings

KEY = signing_key(SecretStr("a-long-admin-token"))


def test_a_session_round_trips_and_any_change_or_other_key_voids_it() -> None:
    session = new_session("dana")
    value = encode_session(KEY, session)
    assert decode_session(KEY, value) == session
    assert decode_session(signing_key(SecretStr("rotated-token")), value) is None
    body, mac = value.split(".")
    assert decode_session(KEY, body + "x." + mac) is None and decode_session(KEY, "garbage") is None


def test_an_expired_value_is_refused() -> None:
    assert unsign(KEY, sign(KEY, {"note": "hi", "exp": int(time.time()) - 1})) is None
    assert decode_session(KEY, encode_session(KEY, new_session("dana", now=time.time() - 9 * 3600))) is None


def test_markdown_escapes_html_and_links_path_citations_outside_code_blocks() -> None:
    html = str(
        markdown_html(
            "## Data flow\n\nSee `app/x.py:3-4` <script>alert(1)</script>\n\n```\napp/y.py:9\n```\n",
            path_linker("https://github.com/acme/a", "abc123"),
        )
    )
    assert '<h2 id="data-flow">Data flow</h2>' in html
    assert '<a class="cite" href="https://github.com/acme/a/blob/abc123/app/x.py#L3-L4">app/x.py:3-4</a>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<pre><code>app/y.py:9" in html  # listings stay as written


def test_answer_citations_link_when_known_and_are_flagged_when_not() -> None:
    linker = citation_linker({"ORD-7": "https://jira/ORD-7"}, {"acme/ghost:x.py:1"})
    html = str(markdown_html("Tracked in `ORD-7`; see `acme/ghost:x.py:1`.", linker))
    assert '<a class="cite" href="https://jira/ORD-7">ORD-7</a>' in html
    assert 'class="cite-unknown"' in html and "acme/ghost:x.py:1 ⚠" in html


def test_only_web_and_dashboard_addresses_become_links() -> None:
    html = str(markdown_html("See `ORD-7`.", citation_linker({"ORD-7": "javascript:alert(1)"}, set())))
    assert "javascript:" not in html and '<span class="cite">ORD-7</span>' in html
    assert [link_target(u) for u in ("https://x/y", "/admin/repositories/a/b", "//evil/x", "javascript:x", None)] == [
        "https://x/y", "/admin/repositories/a/b", None, None, None,
    ]  # fmt: skip


def test_formatting() -> None:
    now = datetime(2026, 11, 5, 12, tzinfo=UTC)
    assert ago(now - timedelta(minutes=5), now) == "5 min ago" and ago(now - timedelta(days=3), now) == "3 days ago"
    assert money(1234.5) == "$1,234.50" and money(0.0012) == "$0.0012" and money(None) == "—"
    assert by_severity({"low": 1, "critical": 2, "high": 0}) == "2 critical, 1 low"
    temporal = TemporalSettings(ui_url="http://ui:8233/", namespace="default")
    assert workflow_url(temporal, "review:acme/a#1", "r1") == (
        "http://ui:8233/namespaces/default/workflows/review%3Aacme%2Fa%231/r1/history"
    )
