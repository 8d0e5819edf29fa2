"""Signing in to the dashboard from a test client, and reading the CSRF token its forms carry."""

from __future__ import annotations

import re

import httpx

ADMIN_TOKEN = "test-admin-token"  # tests/support/settings.py sets it
_HIDDEN = re.compile(r'name="(csrf_token|login_nonce)" value="([^"]+)"')


def hidden_field(html: str, name: str) -> str:
    for field, value in _HIDDEN.findall(html):
        if field == name:
            return str(value)
    raise AssertionError(f"no hidden {name} in the page")


async def sign_in(http: httpx.AsyncClient, name: str = "Dana", token: str = ADMIN_TOKEN) -> httpx.Response:
    form = await http.get("/admin/login")
    nonce = hidden_field(form.text, "login_nonce")
    return await http.post("/admin/login", data={"login_nonce": nonce, "name": name, "token": token, "next": "/admin"})


async def csrf_token(http: httpx.AsyncClient, page: str = "/admin/usage") -> str:
    return hidden_field((await http.get(page)).text, "csrf_token")
