"""The soak test: `python -m bench.soak --minutes 10` (see docs/reliability.md)."""
