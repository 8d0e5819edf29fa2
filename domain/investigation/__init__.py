"""Architecture investigations: prompt sets, grounding, deterministic facts and the document."""
