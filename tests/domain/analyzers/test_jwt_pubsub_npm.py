"""security.jwt-error-swallowed, pubsub.* and npm.internal-package-*."""

from __future__ import annotations

from domain.analyzers import AnalyzerContext, InternalPackageInfo, jwt, npm, pubsub
from tests.domain.analyzers.helpers import EMPTY, added, changed, rules_of


def test_jwt_error_swallowed_in_catch_and_callback() -> None:
    file = added(
        "src/auth.middleware.ts",
        """
        export function auth(req, res, next) {
          try {
            req.user = jwt.verify(token, SECRET);
          } catch (e) {
            console.log(e);
          }
          try {
            req.user = this.jwtService.verify(token);
          } catch (e) {
            throw new UnauthorizedException();
          }
          jwt.verify(token, SECRET, (err, decoded) => { req.user = decoded; next(); });
          jwt.verify(token, SECRET, (err, decoded) => { if (err) return next(err); next(); });
        }
        """,
    )
    findings = jwt.analyze(file, EMPTY)
    assert rules_of(findings) == [
        ("security.jwt-error-swallowed", 4),
        ("security.jwt-error-swallowed", 12),
    ]
    assert findings[0].severity == "high"


def test_jwt_python_except_pass() -> None:
    file = added(
        "app/auth.py",
        """
        def current_user(token):
            try:
                return jwt.decode(token, KEY, algorithms=["HS256"])
            except jwt.PyJWTError:
                pass
            try:
                return jwt.decode(token, KEY, algorithms=["HS256"])
            except jwt.PyJWTError as error:
                raise HTTPException(401) from error
        """,
    )
    assert rules_of(jwt.analyze(file, EMPTY)) == [("security.jwt-error-swallowed", 4)]


def test_try_without_jwt_is_not_a_jwt_problem() -> None:
    file = added("src/a.ts", "try { parse(x); } catch (e) {}\n")
    assert jwt.analyze(file, EMPTY) == []


TOPICS = AnalyzerContext(known_topics={"published": {"orders"}, "subscribed": {"orders"}})


def test_publish_to_topic_nobody_subscribes_to() -> None:
    file = added(
        "src/events.ts",
        """
        const TOPIC = 'invoices';
        await pubsub.topic('orders').publishMessage({ data });
        await pubsub.topic('order').publishMessage({ data });
        await pubsub.topic(TOPIC).publish(buffer);
        """,
    )
    findings = pubsub.analyze(file, TOPICS)
    assert rules_of(findings) == [
        ("pubsub.publish-without-subscriber", 3),
        ("pubsub.publish-without-subscriber", 4),
    ]
    assert "`order`" in findings[0].message and "`invoices`" in findings[1].message


def test_python_publish_and_subscribe_through_topic_path() -> None:
    file = added(
        "app/pub.py",
        """
        path = publisher.topic_path(PROJECT, "payments")
        publisher.publish(path, data)
        publisher.publish("projects/p/topics/orders", data)
        subscriber.create_subscription(request={"name": sub, "topic": path})
        """,
    )
    assert rules_of(pubsub.analyze(file, TOPICS)) == [
        ("pubsub.publish-without-subscriber", 2),
        ("pubsub.subscribe-without-publisher", 4),
    ]


def test_subscription_names_are_not_topics_and_unknown_topics_mean_silence() -> None:
    file = added(
        "src/worker.ts",
        """
        const SUB = 'billing-worker';
        pubsub.subscription(SUB).on('message', handle);
        pubsub.topic('refunds').subscription('refunds-worker').on('message', handle);
        """,
    )
    assert rules_of(pubsub.analyze(file, TOPICS)) == [("pubsub.subscribe-without-publisher", 3)]
    assert pubsub.analyze(file, EMPTY) == []


PACKAGES = AnalyzerContext(
    internal_packages={
        "@acme/auth": InternalPackageInfo("2.3.0"),
        "@acme/old-http": InternalPackageInfo("1.0.0", True, "use @acme/http"),
        "@acme/logger": InternalPackageInfo("1.4.2"),
    }
)


def test_internal_packages_outdated_and_deprecated() -> None:
    file = changed(
        "services/api/package.json",
        """
        .   "dependencies": {
        +     "@acme/auth": "^1.9.0",
        +     "@acme/old-http": "^1.0.0",
        +     "@acme/logger": "~1.4.0",
        +     "left-pad": "^1.0.0",
        .     "zod": "^3.22.0"
        """,
        start=10,
    )
    findings = npm.analyze(file, PACKAGES)
    assert rules_of(findings) == [
        ("npm.internal-package-outdated", 11),
        ("npm.internal-package-deprecated", 12),
    ]
    assert "2.3.0" in findings[0].message and "use @acme/http" in findings[1].message
    assert npm.analyze(file, EMPTY) == []


def test_only_package_json_is_read() -> None:
    file = added("config/deps.json", '{\n  "@acme/auth": "^1.0.0"\n}\n')
    assert npm.analyze(file, PACKAGES) == []


def test_a_union_range_that_leaves_out_the_latest_release_is_outdated() -> None:
    file = changed("package.json", '+   "@acme/auth": "^1.0.0 || ~2.1.0",\n+   "@acme/logger": "workspace:*"', start=3)
    assert rules_of(npm.analyze(file, PACKAGES)) == [("npm.internal-package-outdated", 3)]
