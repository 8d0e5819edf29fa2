"""Webhook logic without I/O: signatures and payload shapes (what each event starts is contracts/webhooks.py)."""
