"""The small HTML pages of the "Auto-fix" link: confirm, started, refused. Self-contained (no script,
no CDN, inline style only), every value escaped."""

from __future__ import annotations

from html import escape

from domain.autofix.links import LinkClaims

_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2328}"
    "code{background:#f6f8fa;padding:.1rem .3rem;border-radius:4px}"
    "button{font:inherit;padding:.5rem 1.2rem;border-radius:6px;border:1px solid #1f883d;background:#1f883d;"
    "color:#fff;cursor:pointer}.muted{color:#59636e}"
)
# No script, no frames, forms post only here: a page that asks to change a branch must not be
# embeddable (clickjacking) or leak its signed URL to other sites (Referer).
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<meta name="viewport" content="width=device-width,initial-scale=1"><style>{_STYLE}</style></head>'
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def confirm_page(claims: LinkClaims, signature: str, nonce: str, issued: int, proof: str) -> str:
    fields = {**claims.query(), "sig": signature, "nonce": nonce, "issued": str(issued), "proof": proof}
    hidden = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in fields.items())
    where = f"<code>{escape(claims.repository)}#{claims.number}</code>"
    return _page(
        f"Auto-fix {claims.finding}?",
        f"<p>PR Agent will fix finding <strong>{escape(claims.finding)}</strong> of {where} "
        f"(reviewed at <code>{escape(claims.head_sha[:7])}</code>): it changes only that finding's file, checks "
        "that it still parses and holds no credential, and pushes one commit to the pull request's branch "
        "(a fork it may not push to gets the patch in a reply instead).</p>"
        "<p>The result is posted as a reply on the pull request.</p>"
        f'<form method="post" action="autofix">{hidden}<button type="submit">Fix it</button></form>'
        '<p class="muted">Nothing happens until you press the button.</p>',
    )


def started_page(claims: LinkClaims) -> str:
    where = f"<code>{escape(claims.repository)}#{claims.number}</code>"
    return _page(
        "Auto-fix started",
        f"<p>The fix of {escape(claims.finding)} is under way; its result will be a reply on {where}. "
        "Asking again with the same link starts nothing new.</p>",
    )


def refused_page(reason: str) -> str:
    return _page("Auto-fix not started", f"<p>{escape(reason)}</p>")
