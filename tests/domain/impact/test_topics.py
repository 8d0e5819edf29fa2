"""Topics and message shapes: who stops hearing what, and who reads a field that went away."""

from __future__ import annotations

from tests.domain.impact.builders import changes, impacts, summary

NEST_PRODUCER = """
import { ClientProxy } from '@nestjs/microservices';
export class Orders {
  constructor(private readonly client: ClientProxy) {}
  placed(order: Order) {
    this.client.emit('order.created', { orderId: order.id, total: order.total, currency: order.currency });
  }
}
"""
NEST_CONSUMER = """
import { EventPattern, Payload } from '@nestjs/microservices';
export class Billing {
  @EventPattern('order.created')
  charge(@Payload() event: OrderCreated) {
    return this.payments.charge(event.orderId, event.total);
  }
}
"""
NEST_ID_ONLY = NEST_CONSUMER.replace("event.orderId, event.total", "event.orderId")
NEST_TYPED = """
import { EventPattern, Payload } from '@nestjs/microservices';
interface OrderCreated { orderId: string; total: number }
export class Audit {
  @EventPattern('order.created')
  record(@Payload() event: OrderCreated) { this.log.write(JSON.stringify(event)); }
}
"""
NEST_OPAQUE = NEST_TYPED.replace("interface OrderCreated { orderId: string; total: number }\n", "")


def test_removing_a_published_field_reaches_only_subscribers_that_read_it() -> None:
    head = NEST_PRODUCER.replace(", total: order.total", "")
    found = impacts(
        {"src/orders.ts": NEST_PRODUCER},
        {"src/orders.ts": head},
        {
            "acme/billing": {"src/billing.ts": NEST_CONSUMER},
            "acme/shipping": {"src/shipping.ts": NEST_ID_ONLY},
            "acme/audit": {"src/audit.ts": NEST_TYPED},
            "acme/archive": {"src/archive.ts": NEST_OPAQUE},
        },
    )
    [finding] = found
    assert finding.severity == "high"
    assert finding.message.startswith("Changes the messages published to topic `order.created` (field `total` removed)")
    whats = {(e.repository, e.line, e.what, e.certain) for e in finding.evidence}
    assert whats == {
        ("acme/billing", 4, "subscribes to `order.created` and reads `total`", True),
        # No property read in the handler: the fields of the declared payload type count.
        ("acme/audit", 5, "subscribes to `order.created` and reads `total`", True),
        ("acme/archive", 4, "subscribes to `order.created` (fields read unknown)", False),
    }


def test_adding_a_published_field_is_info_for_subscribers() -> None:
    head = NEST_PRODUCER.replace("currency: order.currency", "currency: order.currency, channel: 'web'")
    [finding] = impacts({"src/o.ts": NEST_PRODUCER}, {"src/o.ts": head}, {"acme/billing": {"src/b.ts": NEST_CONSUMER}})
    assert (finding.severity, finding.rule_id) == ("info", "impact.topic-changed")


PY_PUBLISHER = """
import json
from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()
topic_path = publisher.topic_path(PROJECT, "invoices")

def send(invoice):
    publisher.publish(topic_path, data=json.dumps({"id": invoice.id, "amount": invoice.amount}).encode())
"""
NODE_SUBSCRIBER = """
import { PubSub } from '@google-cloud/pubsub';
const pubsub = new PubSub();
await pubsub.createSubscription('invoices', 'invoices-mailer');
pubsub.subscription('invoices-mailer').on('message', (message) => {
  const { amount } = JSON.parse(message.data.toString());
  mail(amount);
});
"""
PY_SUBSCRIBER = """
import json
from google.cloud import pubsub_v1

def callback(message):
    event = json.loads(message.data)
    print(event["id"], event.get("amount"))

subscriber = pubsub_v1.SubscriberClient()
with subscriber:
    subscriber.subscribe(subscriber.subscription_path(PROJECT, "invoices-ledger"), callback=callback)
    topic = subscriber.topic_path(PROJECT, "invoices")
    subscriber.create_subscription(name="invoices-ledger", topic=topic)
"""


def test_python_publisher_message_fields_meet_node_subscribers() -> None:
    head = PY_PUBLISHER.replace(', "amount": invoice.amount', "")
    found = impacts(
        {"billing/publish.py": PY_PUBLISHER},
        {"billing/publish.py": head},
        {"acme/mailer": {"src/main.ts": NODE_SUBSCRIBER}},
    )
    [finding] = found
    assert [(e.repository, e.path, e.line, e.what) for e in finding.evidence] == [
        ("acme/mailer", "src/main.ts", 4, "subscribes to `invoices` and reads `amount`"),
    ]
    assert (finding.path, finding.line, finding.severity) == ("billing/publish.py", 6, "high")


def test_renaming_a_published_topic_reaches_its_subscribers() -> None:
    head = PY_PUBLISHER.replace('"invoices"', '"invoices-v2"')
    [finding] = impacts({"p.py": PY_PUBLISHER}, {"p.py": head}, {"acme/mailer": {"src/main.ts": NODE_SUBSCRIBER}})
    assert finding.message == (
        "Stops publishing to topic `invoices` (renamed to `invoices-v2`), used by acme/mailer `src/main.ts:4`."
    )


def test_a_service_that_stops_consuming_tells_the_publishers() -> None:
    found = changes({"src/main.ts": NODE_SUBSCRIBER}, {})
    assert summary(found) == {("topic", "invoices", "removed")}
    [finding] = impacts({"src/main.ts": NODE_SUBSCRIBER}, {}, {"acme/billing": {"publish.py": PY_PUBLISHER}})
    assert finding.message == "Stops consuming topic `invoices`, used by acme/billing `publish.py:6`."
    assert finding.severity == "high" and finding.head_line is None


def test_topic_names_resolve_through_imported_constant_objects() -> None:
    topics = "export const TOPICS = { PAYMENTS: 'payments' };\n"
    publisher = (
        "import { PubSub } from '@google-cloud/pubsub';\nimport { TOPICS } from './topics';\n"
        "const topic = new PubSub().topic(TOPICS.PAYMENTS);\n"
        "export const send = (p) => topic.publishMessage({ json: p });\n"
    )
    found = changes({}, {"src/topics.ts": topics, "src/publish.ts": publisher})
    assert summary(found) == {("topic", "payments", "added")}


def test_python_subscriber_reads_subscript_and_get_fields() -> None:
    from domain.impact import extract_facts

    [topic] = extract_facts("acme/ledger", "c", {"ledger/worker.py": PY_SUBSCRIBER}).topics
    assert (topic.name, topic.direction, topic.fields) == ("invoices", "subscribe", ("id", "amount"))
