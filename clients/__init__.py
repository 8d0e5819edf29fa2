"""Clients of outside services (GitHub, Jira, the LLM, embeddings, git), used by activities and commands."""
