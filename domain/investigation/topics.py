"""Messaging topics, subscriptions and queues a repository publishes to or consumes from.

Covers Google Pub/Sub (Node and Python clients), Kafka (kafkajs, kafka-python, confluent),
RabbitMQ (amqplib, pika, php-amqplib) and NestJS microservice patterns. Names held in simple
constants of the same file are resolved; anything else computed at run time is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from domain.investigation.scan import ARG, ARG2, LineIndex, constants, resolve, source_files

Direction = Literal["publish", "subscribe", "unknown"]


@dataclass(frozen=True)
class DetectedTopic:
    """One messaging endpoint. `kind` is topic, subscription, queue, exchange or pattern."""

    name: str
    direction: Direction
    system: str
    kind: str
    file: str
    line: int

    @property
    def location(self) -> str:
        """`path:line` of the code that names it."""
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    system: str
    kind: str
    # "publish"/"subscribe"/"unknown", or "statement" (read the statement) or "nearby" (read back)
    direction: str
    guard: re.Pattern[str]


_PUBSUB = re.compile(r"pubsub", re.IGNORECASE)
_KAFKA = re.compile(r"kafka", re.IGNORECASE)
_RABBIT = re.compile(r"amqp|rabbit|pika", re.IGNORECASE)
_NEST_CLIENT = re.compile(r"ClientProxy|ClientKafka|ClientRMQ|@nestjs/microservices")
_ANY = re.compile(r"")

_RULES: tuple[_Rule, ...] = (
    _Rule(re.compile(r"\.topic\(\s*" + ARG), "pubsub", "topic", "statement", _PUBSUB),
    _Rule(re.compile(r"\.subscription\(\s*" + ARG), "pubsub", "subscription", "subscribe", _PUBSUB),
    _Rule(re.compile(r"topic_path\(\s*[^,()]+,\s*" + ARG), "pubsub", "topic", "statement", _PUBSUB),
    _Rule(
        re.compile(r"subscription_path\(\s*[^,()]+,\s*" + ARG),
        "pubsub",
        "subscription",
        "subscribe",
        _PUBSUB,
    ),
    _Rule(re.compile(r"\btopic\s*:\s*" + ARG), "kafka", "topic", "nearby", _KAFKA),
    _Rule(re.compile(r"KafkaConsumer\(\s*" + ARG), "kafka", "topic", "subscribe", _KAFKA),
    _Rule(
        re.compile(r"\b\w*[Pp]roducer\.(?:send|produce)\(\s*" + ARG),
        "kafka",
        "topic",
        "publish",
        _KAFKA,
    ),
    _Rule(re.compile(r"sendToQueue\(\s*" + ARG), "rabbitmq", "queue", "publish", _RABBIT),
    _Rule(re.compile(r"\.consume\(\s*" + ARG), "rabbitmq", "queue", "subscribe", _RABBIT),
    _Rule(
        re.compile(r"basic_consume\(\s*(?:queue\s*=\s*)?" + ARG),
        "rabbitmq",
        "queue",
        "subscribe",
        _RABBIT,
    ),
    _Rule(
        re.compile(r"basic_publish\([^)]*?routing_key\s*=\s*" + ARG),
        "rabbitmq",
        "queue",
        "publish",
        _RABBIT,
    ),
    _Rule(
        re.compile(r"(?:assertQueue|queue_declare)\(\s*(?:queue\s*=\s*)?" + ARG),
        "rabbitmq",
        "queue",
        "unknown",
        _RABBIT,
    ),
    _Rule(re.compile(r"assertExchange\(\s*" + ARG), "rabbitmq", "exchange", "unknown", _RABBIT),
    _Rule(
        re.compile(r"@(?:EventPattern|MessagePattern)\(\s*" + ARG),
        "nestjs",
        "pattern",
        "subscribe",
        _ANY,
    ),
    _Rule(re.compile(r"\.emit\(\s*" + ARG), "nestjs", "pattern", "publish", _NEST_CLIENT),
)
_LISTS: tuple[_Rule, ...] = (
    _Rule(re.compile(r"\btopics\s*:\s*\[(?P<list>[^\]]*)\]"), "kafka", "topic", "subscribe", _KAFKA),
    _Rule(re.compile(r"\.subscribe\(\s*\[(?P<list>[^\]]*)\]"), "kafka", "topic", "subscribe", _KAFKA),
)
_PAIRS: tuple[_Rule, ...] = (
    # pubsub.createSubscription(topic, name): the topic is subscribed to.
    _Rule(
        re.compile(r"createSubscription\(\s*" + ARG + r"\s*,\s*" + ARG2),
        "pubsub",
        "topic",
        "subscribe",
        _PUBSUB,
    ),
    # amqplib channel.publish(exchange, key) / php-amqplib basic_publish($msg, exchange, key).
    _Rule(
        re.compile(r"(?:\.publish|basic_publish\(\s*\$\w+\s*,)\(?\s*" + ARG + r"\s*,\s*" + ARG2),
        "rabbitmq",
        "exchange",
        "publish",
        _RABBIT,
    ),
)
_FIXED: dict[str, Direction] = {"publish": "publish", "subscribe": "subscribe", "unknown": "unknown"}
_PUBLISH_WORDS = re.compile(r"\.publish(?:Message|JSON)?\(|\.send\(|sendBatch\(|producer", re.I)
_SUBSCRIBE_WORDS = re.compile(
    r"\.subscription\(|createSubscription\(|\.on\(\s*['\"]message|"
    r"\.subscribe\(|consumer|\.run\(|eachMessage",
    re.I,
)


def detect_topics(file_contents: Mapping[str, str]) -> list[DetectedTopic]:
    """Topics, subscriptions and queues named in the given files, by file and line."""
    found: list[DetectedTopic] = []
    for path, text in source_files(file_contents):
        found.extend(_dedupe(list(_scan_file(path, text))))
    return sorted(found, key=lambda t: (t.file, t.line, t.name, t.direction))


def _scan_file(path: str, text: str) -> Iterator[DetectedTopic]:
    consts = constants(text)
    lines = LineIndex(text)
    for rule in (*_RULES, *_LISTS, *_PAIRS):
        if not rule.guard.search(text):
            continue
        for match in rule.pattern.finditer(text):
            line = lines.line_of(match.start())
            for name, kind in _names(rule, match, consts):
                direction = _direction(rule, text, match)
                yield DetectedTopic(name, direction, rule.system, kind, path, line)


def _names(rule: _Rule, match: re.Match[str], consts: Mapping[str, str]) -> list[tuple[str, str]]:
    groups = match.groupdict()
    if "list" in groups:
        tokens = re.findall(r"'[^']*'|\"[^\"]*\"|[A-Za-z_][\w.]*", groups["list"])
        return [(n, rule.kind) for t in tokens if (n := resolve(t, consts))]
    first = resolve(groups["arg"], consts)
    if "arg2" not in groups:
        return [(first, rule.kind)] if first else []
    second = resolve(groups["arg2"], consts)
    if rule.system == "pubsub":  # (topic, subscription name)
        pairs = [(first, "topic"), (second, "subscription")]
    else:  # (exchange, routing key): the default exchange "" routes straight to the key's queue
        pairs = [(first, "exchange")] if first else [(second, "queue")]
    return [(n, kind) for n, kind in pairs if n]


def _direction(rule: _Rule, text: str, match: re.Match[str]) -> Direction:
    fixed = _FIXED.get(rule.direction)
    if fixed:
        return fixed
    if rule.direction == "statement":
        end = text.find(";", match.end())
        statement = text[match.end() : end if 0 <= end < match.end() + 300 else match.end() + 300]
        return _by_words(statement) or _by_words(text) or "unknown"
    return _by_words(text[max(0, match.start() - 300) : match.start()], nearest=True) or "unknown"


def _by_words(window: str, nearest: bool = False) -> Direction | None:
    """publish or subscribe from the words in `window`; None when both or neither appear."""
    pubs = [m.end() for m in _PUBLISH_WORDS.finditer(window)]
    subs = [m.end() for m in _SUBSCRIBE_WORDS.finditer(window)]
    if pubs and subs and nearest:
        return "publish" if pubs[-1] > subs[-1] else "subscribe"
    if pubs and not subs:
        return "publish"
    if subs and not pubs:
        return "subscribe"
    return None


def _dedupe(topics: list[DetectedTopic]) -> list[DetectedTopic]:
    """One entry per (system, name, kind, direction), first line wins; an "unknown" entry is
    dropped when the same file shows that name's direction."""
    known = {(t.system, t.name) for t in topics if t.direction != "unknown"}
    seen: set[tuple[str, str, str, str]] = set()
    kept: list[DetectedTopic] = []
    for topic in sorted(topics, key=lambda t: t.line):
        key = (topic.system, topic.name, topic.kind, topic.direction)
        if key in seen or (topic.direction == "unknown" and (topic.system, topic.name) in known):
            continue
        seen.add(key)
        kept.append(topic)
    return kept
