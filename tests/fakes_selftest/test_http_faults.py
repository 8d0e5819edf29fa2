"""The shared server machinery: lifecycle, request log, routing errors and fault injection."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.fakes.faults import Faults
from tests.fakes.http import FakeServer, RecordedRequest, Reply
from tests.fakes.triggers import Triggers


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client() as client:  # one client: building an SSL context per call is slow
        yield client


class _Echo(FakeServer):
    def __init__(self) -> None:
        super().__init__(seed=7)
        self.route("GET", r"/items/(?P<item>\w+)", self._item)
        self.route("POST", r"/items", lambda req, p: Reply(201, {"got": req.json}))
        self.route("GET", r"/boom", self._boom)

    def _item(self, request: RecordedRequest, params: dict[str, str]) -> Reply:
        return Reply(200, {"item": params["item"], "q": request.param("q")})

    def _boom(self, request: RecordedRequest, params: dict[str, str]) -> Reply:
        raise RuntimeError("bug in a route")


def test_serves_routes_and_logs_requests(http: httpx.Client) -> None:
    with _Echo() as fake:
        assert fake.url.startswith("http://127.0.0.1:")
        got = http.get(f"{fake.url}/items/abc", params={"q": "x"}, headers={"X-Test": "1"})
        posted = http.post(f"{fake.url}/items", json={"a": 1})
    assert got.json() == {"item": "abc", "q": "x"}
    assert posted.status_code == 201 and posted.json() == {"got": {"a": 1}}
    first, second = fake.requests
    assert (first.method, first.path, first.query, first.status) == (
        "GET",
        "/items/abc",
        {"q": ["x"]},
        200,
    )
    assert first.headers["x-test"] == "1"
    assert second.json == {"a": 1}
    assert fake.requests_matching("POST", r"^/items$") == [second]


def test_unknown_path_is_404_wrong_method_405_and_route_bugs_500(http: httpx.Client) -> None:
    with _Echo() as fake:
        assert http.get(f"{fake.url}/nowhere").status_code == 404
        assert http.delete(f"{fake.url}/items/abc").status_code == 405
        assert http.get(f"{fake.url}/boom").status_code == 500
    assert "bug in a route" in fake.server_errors[0]


def test_stop_refuses_further_connections_even_on_kept_alive_clients() -> None:
    fake = _Echo().start()
    with httpx.Client() as client:
        assert client.get(f"{fake.url}/items/a").status_code == 200
        url = fake.url
        fake.stop()
        with pytest.raises(httpx.TransportError):
            client.get(f"{url}/items/a")


def test_pushed_faults_hit_the_next_matching_requests_then_stop(http: httpx.Client) -> None:
    with _Echo() as fake:
        fake.faults.push(status=429, times=2, headers={"Retry-After": "1"}, path=r"^/items/a$")
        codes = [http.get(f"{fake.url}/items/{i}").status_code for i in ("b", "a", "a", "a")]
        assert codes == [200, 429, 429, 200]
        faulted = fake.requests[1]
        assert faulted.status == 429
        assert fake.faults.pending == 0 and fake.faults.injected == 2


def test_faults_scope_by_method_and_carry_headers_and_body(http: httpx.Client) -> None:
    with _Echo() as fake:
        fake.faults.push(status=503, method="POST", headers={"Retry-After": "3"}, body={"x": 1})
        assert http.get(f"{fake.url}/items/a").status_code == 200
        answer = http.post(f"{fake.url}/items", json={})
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "3" and answer.json() == {"x": 1}


def test_a_delay_fault_makes_a_client_time_out_and_stop_is_still_quick(http: httpx.Client) -> None:
    with _Echo() as fake:
        fake.faults.push(delay=5.0)
        with pytest.raises(httpx.ReadTimeout):
            http.get(f"{fake.url}/items/a", timeout=0.2)
        assert http.get(f"{fake.url}/items/a", timeout=2).status_code == 200
        started = time.monotonic()
    assert time.monotonic() - started < 2


def test_rate_mode_is_seeded_so_a_soak_run_replays() -> None:
    def pattern(seed: int) -> list[bool]:
        faults = Faults()
        faults.set_rate(status=503, probability=0.3, seed=seed)
        return [faults.take("GET", "/x") is not None for _ in range(200)]

    first = pattern(11)
    assert first == pattern(11)
    assert first != pattern(12)
    assert 30 < sum(first) < 90  # about 30% of 200


def test_clear_drops_queued_faults_and_the_rate() -> None:
    faults = Faults()
    faults.push(status=500, times=3)
    faults.set_rate(probability=1.0)
    faults.clear()
    assert faults.take("GET", "/") is None
    with pytest.raises(ValueError):
        faults.push()


def test_triggers_run_before_matching_requests_only() -> None:
    seen: list[str] = []
    triggers = Triggers()
    triggers.before(lambda: seen.append("moved"), method="POST", path=r"/reviews$", times=2)
    for method, path in [
        ("GET", "/x/reviews"),
        ("POST", "/x/comments"),
        ("POST", "/x/reviews"),
        ("POST", "/y/reviews"),
    ]:
        triggers.fire(method, path)
    triggers.fire("POST", "/z/reviews")
    assert (seen, triggers.fired, triggers.pending) == (["moved", "moved"], 2, 0)
    with pytest.raises(ValueError):
        triggers.before(lambda: None, times=0)
