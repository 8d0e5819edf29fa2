"""Webhook intake logic without I/O: signatures, payload shapes, and what each event starts."""
