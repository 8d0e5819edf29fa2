"""Routes, topics and HTTP calls found in small in-test repositories, each with `path:line`."""

from __future__ import annotations

from domain.investigation.calls import detect_http_calls
from domain.investigation.routes import detect_apis
from domain.investigation.topics import detect_topics
from tests.domain.investigation.samples import (
    EXPRESS_SERVER,
    FASTAPI_ROUTER,
    FLASK_APP,
    KAFKA_JS,
    LARAVEL_ROUTES,
    NEST_CONTROLLER,
    NEST_MAIN,
    PUBSUB_PUBLISHER,
    PUBSUB_PYTHON,
    PUBSUB_SUBSCRIBER,
    RABBIT_JS,
    RABBIT_PHP,
)


def test_nestjs_controller_routes_with_global_prefix() -> None:
    apis = detect_apis({"src/main.ts": NEST_MAIN, "src/article/article.controller.ts": NEST_CONTROLLER})
    assert [(a.method, a.path, a.location) for a in apis] == [
        ("GET", "/api/articles", "src/article/article.controller.ts:5"),
        ("GET", "/api/articles/feed", "src/article/article.controller.ts:8"),
        ("POST", "/api/articles/:slug/favorite", "src/article/article.controller.ts:11"),
        ("DELETE", "/api/articles/:slug", "src/article/article.controller.ts:14"),
        ("GET", "/api/tags", "src/article/article.controller.ts:20"),
    ]
    assert {a.framework for a in apis} == {"nestjs"}


def test_fastapi_router_prefix_and_methods() -> None:
    apis = detect_apis({"app/api/routes/users.py": FASTAPI_ROUTER})
    assert [(a.method, a.path, a.line) for a in apis] == [
        ("GET", "/users/{user_id}", 9),
        ("POST", "/users", 13),
        ("PATCH", "/users/sync", 17),
        ("PUT", "/users/sync", 17),
    ]
    assert {a.framework for a in apis} == {"fastapi"}


def test_flask_blueprint_routes() -> None:
    apis = detect_apis({"shop/views.py": FLASK_APP})
    assert [(a.method, a.path, a.line, a.framework) for a in apis] == [
        ("GET", "/shop/items", 5, "flask"),
        ("POST", "/shop/items", 5, "flask"),
        ("GET", "/shop/about", 8, "flask"),
    ]


def test_laravel_route_file_with_api_prefix_and_groups() -> None:
    apis = detect_apis({"routes/api.php": LARAVEL_ROUTES})
    assert [(a.method, a.path, a.line) for a in apis] == [
        ("GET", "/api/users", 5),
        ("DELETE", "/api/users/{id}", 6),
        ("POST", "/api/admin/reports", 8),
        ("GET", "/api/admin/search", 9),
        ("POST", "/api/admin/search", 9),
        ("RESOURCE", "/api/photos", 11),
    ]


def test_express_routes_only_from_router_like_receivers() -> None:
    apis = detect_apis({"src/server.js": EXPRESS_SERVER})
    assert [(a.method, a.path, a.location) for a in apis] == [
        ("GET", "/:id", "src/server.js:4"),
        ("POST", "/orders", "src/server.js:5"),
    ]


def test_tests_and_vendored_files_are_not_scanned() -> None:
    files = {
        "test/article.controller.spec.ts": NEST_CONTROLLER,
        "node_modules/x/article.controller.ts": NEST_CONTROLLER,
        "src/publisher.test.ts": PUBSUB_PUBLISHER,
    }
    assert detect_apis(files) == [] and detect_topics(files) == []


def test_pubsub_publisher_and_subscriber() -> None:
    topics = detect_topics({"src/events/publisher.ts": PUBSUB_PUBLISHER, "src/events/subscriber.js": PUBSUB_SUBSCRIBER})
    assert [(t.direction, t.name, t.kind, t.location) for t in topics] == [
        ("publish", "orders.created", "topic", "src/events/publisher.ts:7"),
        ("subscribe", "orders-payments-settled", "subscription", "src/events/subscriber.js:4"),
        ("subscribe", "payments.settled", "topic", "src/events/subscriber.js:4"),
    ]
    assert {t.system for t in topics} == {"pubsub"}


def test_pubsub_python_client() -> None:
    topics = detect_topics({"billing/events.py": PUBSUB_PYTHON})
    assert [(t.direction, t.name, t.kind, t.line) for t in topics] == [
        ("publish", "invoices.issued", "topic", 5),
        ("subscribe", "invoices-mailer", "subscription", 9),
    ]


def test_kafka_producer_and_consumers() -> None:
    topics = detect_topics({"worker/stream.js": KAFKA_JS})
    assert [(t.direction, t.name, t.line) for t in topics] == [
        ("publish", "shipments", 3),
        ("subscribe", "returns", 6),
        ("subscribe", "chargebacks", 7),
        ("subscribe", "refunds", 7),
    ]


def test_rabbitmq_queues_and_exchanges() -> None:
    topics = detect_topics({"mail/queue.js": RABBIT_JS, "img/worker.php": RABBIT_PHP})
    assert [(t.direction, t.name, t.kind, t.location) for t in topics] == [
        ("publish", "thumbnails", "queue", "img/worker.php:4"),
        ("subscribe", "resized", "queue", "img/worker.php:5"),
        ("publish", "emails", "queue", "mail/queue.js:4"),
        ("subscribe", "bounces", "queue", "mail/queue.js:6"),
        ("publish", "audit", "exchange", "mail/queue.js:7"),
    ]


def test_http_calls_keep_service_names_and_placeholders() -> None:
    client = """\
import axios from 'axios';
const ARTICLES_URL = 'http://articles-service:3000';
export const feed = () => axios.get(`${ARTICLES_URL}/api/articles/feed`);
export const one = (slug) => this.httpService.post(`${process.env.ARTICLES_API}/api/articles/${slug}/favorite`);
export const local = () => fetch('/api/tags');
axios.get(someVariable);
"""
    python = 'import httpx\nr = httpx.get(f"{settings.users_url}/users/{user_id}")\n'
    calls = detect_http_calls({"web/api.ts": client, "svc/clients.py": python})
    assert [(c.method, c.url, c.host, c.path, c.location) for c in calls] == [
        ("GET", "{users_url}/users/{}", "users_url", "/users/{}", "svc/clients.py:2"),
        (
            "GET",
            "http://articles-service:3000/api/articles/feed",
            "articles-service",
            "/api/articles/feed",
            "web/api.ts:3",
        ),
        (
            "POST",
            "{ARTICLES_API}/api/articles/{}/favorite",
            "articles_api",
            "/api/articles/{}/favorite",
            "web/api.ts:4",
        ),
        ("ANY", "/api/tags", "", "/api/tags", "web/api.ts:5"),
    ]


def test_nestjs_microservice_patterns_and_unclear_topics() -> None:
    handler = (
        "import { EventPattern } from '@nestjs/microservices';\n"
        "export class Handler {\n  @EventPattern('user.created')\n  onCreated() {}\n}\n"
    )
    emitter = (
        "import { ClientProxy } from '@nestjs/microservices';\n"
        "this.client.emit('user.created', user);\nthis.events.emit(dynamicName);\n"
    )
    admin = (
        "import { PubSub } from '@google-cloud/pubsub';\n"
        "await pubsub.createTopic('audit');\nconst t = pubsub.topic('audit');\n"
    )
    topics = detect_topics({"a/handler.ts": handler, "b/emitter.ts": emitter, "c/admin.ts": admin})
    assert [(t.direction, t.name, t.system, t.location) for t in topics] == [
        ("subscribe", "user.created", "nestjs", "a/handler.ts:3"),
        ("publish", "user.created", "nestjs", "b/emitter.ts:2"),
        ("unknown", "audit", "pubsub", "c/admin.ts:3"),
    ]
