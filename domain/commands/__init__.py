"""Commands people write in pull-request comments (`/review`, `/improve`, `/ask`, ...), as plain data."""
