"""Repository profiling: what a repository is, decided from its paths and manifests alone."""

from domain.repo_profile.manifests import MANIFEST_GLOBS, is_manifest
from domain.repo_profile.model import RepoProfile, RepoType
from domain.repo_profile.profile import profile_repository

__all__ = ["MANIFEST_GLOBS", "RepoProfile", "RepoType", "is_manifest", "profile_repository"]
