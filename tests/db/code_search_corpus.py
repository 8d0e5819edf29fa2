"""A small labelled retrieval corpus: a repository of distinct features, and queries a reviewer
might ask with the file that should come back for each (written for these tests)."""

from __future__ import annotations

FILES: dict[str, str] = {
    "auth/passwords.py": '''import hashlib
import hmac
import os


def hash_password(password: str, salt: bytes | None = None) -> tuple[bytes, bytes]:
    """Derive a password hash with PBKDF2 and a random salt."""
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 200_000)
    return salt, digest


def verify_password(password: str, salt: bytes, expected: bytes) -> bool:
    return hmac.compare_digest(hash_password(password, salt)[1], expected)
''',
    "auth/tokens.py": '''import jwt


def verify_jwt_token(token: str, secret: str) -> dict:
    """Decode and verify a JWT access token signed with HS256; raise if expired."""
    return jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp"]})


def issue_jwt_token(user_id: int, secret: str, expires_at: int) -> str:
    return jwt.encode({"sub": str(user_id), "exp": expires_at}, secret, algorithm="HS256")
''',
    "notifications/email.py": '''import smtplib
from email.message import EmailMessage


def send_email_notification(smtp_host: str, recipient: str, subject: str, body: str) -> None:
    """Send a notification email to a user through SMTP."""
    message = EmailMessage()
    message["To"] = recipient
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(smtp_host) as server:
        server.send_message(message)
''',
    "imports/csv_import.py": '''import csv
import io


def parse_csv_upload(data: bytes) -> list[dict[str, str]]:
    """Parse the rows of an uploaded CSV file into dictionaries keyed by the header row."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
    return [row for row in reader if any(row.values())]
''',
    "billing/invoice.py": '''from decimal import Decimal


def invoice_total(lines: list[tuple[Decimal, int]], tax_rate: Decimal) -> Decimal:
    """Sum the invoice lines (price times quantity) and add tax."""
    subtotal = sum(price * quantity for price, quantity in lines)
    return (subtotal * (1 + tax_rate)).quantize(Decimal("0.01"))
''',
    "net/retry.py": '''import random
import time

import requests


def get_with_retry(url: str, attempts: int = 5) -> requests.Response:
    """GET an HTTP URL, retrying failures with exponential backoff and jitter."""
    for attempt in range(attempts):
        try:
            return requests.get(url, timeout=10)
        except requests.RequestException:
            time.sleep((2 ** attempt) + random.random())
    raise RuntimeError(f"giving up on {url}")
''',
    "db/pagination.py": '''def paginate_query(connection, sql: str, page: int, page_size: int = 50) -> list[tuple]:
    """Run a database query and return one page of its results (LIMIT / OFFSET)."""
    offset = (page - 1) * page_size
    cursor = connection.execute(f"{sql} LIMIT %s OFFSET %s", (page_size, offset))
    return cursor.fetchall()
''',
    "media/thumbnails.py": '''from PIL import Image


def make_thumbnail(source_path: str, target_path: str, size: int = 256) -> None:
    """Resize an uploaded image into a square thumbnail."""
    with Image.open(source_path) as image:
        image.thumbnail((size, size))
        image.save(target_path)
''',
    "api/rate_limit.py": '''import time
from collections import defaultdict


class RateLimiter:
    """Allow each API client at most `limit` requests per window (sliding window)."""

    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self.requests: dict[str, list[float]] = defaultdict(list)

    def allow(self, client_id: str) -> bool:
        now = time.monotonic()
        recent = [t for t in self.requests[client_id] if now - t < self.window]
        self.requests[client_id] = recent
        if len(recent) >= self.limit:
            return False
        recent.append(now)
        return True
''',
    "cache/ttl_cache.py": '''import time


class TtlCache:
    """An in-memory cache whose entries expire after a time to live (TTL)."""

    def __init__(self, ttl_seconds: float) -> None:
        self.ttl = ttl_seconds
        self.entries: dict[str, tuple[float, object]] = {}

    def get(self, key: str) -> object | None:
        found = self.entries.get(key)
        if found is None or time.monotonic() - found[0] > self.ttl:
            return None
        return found[1]

    def put(self, key: str, value: object) -> None:
        self.entries[key] = (time.monotonic(), value)
''',
    "jobs/scheduler.py": '''import sched
import time


def schedule_cron_job(job, every_seconds: float, runs: int) -> None:
    """Run a background job periodically, like a cron entry."""
    scheduler = sched.scheduler(time.monotonic, time.sleep)
    for run in range(runs):
        scheduler.enter(every_seconds * run, 1, job)
    scheduler.run()
''',
    "articles/search.ts": """import { Repository } from 'typeorm';
import { Article } from './article.entity';

export async function searchArticlesByTag(articles: Repository<Article>, tag: string): Promise<Article[]> {
  return articles
    .createQueryBuilder('article')
    .where(':tag = ANY(article.tagList)', { tag })
    .orderBy('article.createdAt', 'DESC')
    .getMany();
}
""",
    "web/Avatar.tsx": """import React from 'react';

type AvatarProps = { user: { name: string; imageUrl?: string } };

export function Avatar({ user }: AvatarProps) {
  const initials = user.name.split(' ').map((part) => part[0]).join('');
  return user.imageUrl ? <img className="avatar" src={user.imageUrl} alt={user.name} /> : <span>{initials}</span>;
}
""",
    "users/validation.py": '''import re

EMAIL_PATTERN = re.compile(r"^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", re.IGNORECASE)


def is_valid_email_address(email: str) -> bool:
    """Validate the format of an email address before registering a user."""
    return bool(EMAIL_PATTERN.match(email.strip()))
''',
    "chat/broadcast.ts": """import { WebSocketServer, WebSocket } from 'ws';

export function broadcastChatMessage(server: WebSocketServer, sender: string, text: string): number {
  const payload = JSON.stringify({ sender, text, sentAt: Date.now() });
  let delivered = 0;
  server.clients.forEach((client) => {
    if (client.readyState === WebSocket.OPEN) {
      client.send(payload);
      delivered += 1;
    }
  });
  return delivered;
}
""",
    "migrations/003_orders.sql": """CREATE TABLE orders (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    total_cents BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer ON orders (customer_id);
""",
    "README.md": "# Shop\n\nUsers, billing, articles, chat and background jobs.\n",
}

# (query, the file that should come first)
QUERIES: list[tuple[str, str]] = [
    ("hash a password with a salt", "auth/passwords.py"),
    ("verify the JWT access token", "auth/tokens.py"),
    ("send an email notification to the user", "notifications/email.py"),
    ("parse rows of an uploaded CSV file", "imports/csv_import.py"),
    ("invoice total with tax", "billing/invoice.py"),
    ("retry HTTP requests with exponential backoff", "net/retry.py"),
    ("paginate database query results", "db/pagination.py"),
    ("resize image thumbnail", "media/thumbnails.py"),
    ("rate limit requests per API client", "api/rate_limit.py"),
    ("cache entries expire after TTL", "cache/ttl_cache.py"),
    ("run a periodic cron job", "jobs/scheduler.py"),
    ("search articles by tag", "articles/search.ts"),
    ("render the user avatar component", "web/Avatar.tsx"),
    ("create the orders table", "migrations/003_orders.sql"),
    ("validate email address format", "users/validation.py"),
    ("broadcast a chat message over websocket", "chat/broadcast.ts"),
    ("verifyPassword compare_digest", "auth/passwords.py"),
    ("TtlCache", "cache/ttl_cache.py"),
    # Paraphrases that share few words with the code: the hard part of the set.
    ("decode a bearer token and check its expiry", "auth/tokens.py"),
    ("deliver a message to every connected socket client", "chat/broadcast.ts"),
    ("too many calls from one caller should be refused", "api/rate_limit.py"),
    ("sum of price times quantity per line", "billing/invoice.py"),
]
