"""Benchmarks against the real stack (Temporal dev server, embedded PostgreSQL). Run all: `python -m bench`."""
