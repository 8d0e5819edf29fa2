"""Learning from how people answer the review: reactions, replies, resolved threads and addressed lines,
turned into per-rule numbers and the decision to mute a rule in a repository. Pure: no I/O here."""
