"""Outgoing HTTP calls as facts, and routes meeting them through base URLs and prefixes."""

from __future__ import annotations

import pytest

from domain.impact import extract_facts, urls
from tests.domain.impact.builders import impacts


def _calls(files: dict[str, str]) -> list[tuple[str, str, str, int]]:
    return [(c.method, c.route, c.origin, c.line) for c in extract_facts("acme/web", "c", files).calls]


def test_fetch_axios_and_clients_with_a_base_url_imported_from_another_module() -> None:
    files = {
        "src/http.ts": (
            "import axios from 'axios';\nexport default axios.create({ baseURL: `${process.env.API_URL}/v2` });\n"
        ),
        "src/orders.ts": (
            "import client from './http';\n"
            "const ORDERS = '/orders';\n"
            "export const list = () => client.get(ORDERS);\n"
            "export const one = (order) => client.get(`${ORDERS}/${order.id}`);\n"
            "export const drop = (id) => fetch('https://shop.acme.dev/api/orders/' + id, { method: 'DELETE' });\n"
            "export const raw = (id) => axios({ url: `/api/orders/${id}/refund`, method: 'post' });\n"
            "export const opts = (id, init) => fetch(`/api/orders/${id}`, init);\n"
        ),
    }
    assert _calls(files) == [
        ("GET", "/v2/orders", "{API_URL}", 3),
        ("GET", "/v2/orders/:id", "{API_URL}", 4),
        ("DELETE", "/api/orders/:id", "https://shop.acme.dev", 5),
        ("POST", "/api/orders/:id/refund", "", 6),
        ("ANY", "/api/orders/:id", "", 7),
    ]


def test_angular_http_client_and_python_requests() -> None:
    files = {
        "src/app/users.service.ts": (
            "export class UsersService {\n  constructor(private http: HttpClient) {}\n"
            "  remove(slug: string) { return this.http.delete<void>(`${this.baseUrl}/users/${slug}`); }\n}\n"
        ),
        "jobs/sync.py": (
            'import requests\nBASE = "http://users:8000"\nrequests.post(f"{BASE}/users/{uid}/sync", json={})\n'
        ),
    }
    assert _calls(files) == [
        ("POST", "/users/:uid/sync", "http://users:8000", 3),
        ("DELETE", "/users/:slug", "{baseUrl}", 3),
    ]


def test_servers_redis_clients_and_plain_gets_are_not_calls() -> None:
    files = {
        "src/server.ts": "const app = express();\napp.get('/users/:id', show);\nrouter.delete('/x', h);\n",
        "src/cache.ts": "export const hit = (key) => redisClient.get(key);\nmap.get('/users');\n",
    }
    assert _calls(files) == []


API = """
@Controller('users')
export class UsersController {
  @Delete(':slug')
  remove(@Param('slug') slug: string) {}
}
"""
MAIN = "app.setGlobalPrefix('api');\n"


@pytest.mark.parametrize(
    ("consumer", "found"),
    [
        ("api.delete(`/users/${slug}`);", False),  # an axios-ish client without a known base: no prefix
        ("fetch(`/api/users/${slug}`, { method: 'DELETE' });", True),
        ("fetch(`${API_URL}/users/${slug}`, { method: 'DELETE' });", True),  # API_URL may end in /api
        ("fetch(`${API_URL}/api/users/${slug}`, { method: 'DELETE' });", True),
        ("fetch(`/api/users/${slug}`);", False),  # a GET
        ("fetch(`/api/users/me`, { method: 'DELETE' });", True),  # a literal meets a parameter
        ("fetch(`/api/users/${slug}/avatar`, { method: 'DELETE' });", False),
    ],
)
def test_a_removed_route_meets_calls_through_prefixes_and_parameters(consumer: str, found: bool) -> None:
    result = impacts({"src/users.controller.ts": API}, {}, {"acme/web": {"src/x.ts": consumer}}, {"src/main.ts": MAIN})
    assert bool(result) is found


def test_path_notations_meet() -> None:
    assert urls.normalise("/users/{slug}/") == "/users/:slug"
    assert urls.normalise("users/<int:id>?x=1") == "/users/:id"
    assert urls.reaches("/users/:id", "/users/42")
    assert not urls.reaches("/users/me", "/users/:id")
    assert urls.strip_prefix("/api/users", "api") == "/users"
    assert urls.strip_prefix("/apis/users", "/api") is None


def test_a_client_whose_base_is_only_an_environment_value_keeps_it_as_the_origin() -> None:
    files = {
        "src/api.ts": "export const api = axios.create({ baseURL: process.env.ORDERS_URL });\n",
        "src/use.ts": "import { api } from './api';\napi.get('/orders');\napi.get(path);\nredis.get(key);\n",
    }
    assert _calls(files) == [("GET", "/orders", "{ORDERS_URL}", 2)]
