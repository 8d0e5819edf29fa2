"""The project's Temporal vocabulary: the client side, named retry policies, error type names and
the activity heartbeat, each written once."""
