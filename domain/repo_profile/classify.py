"""Decide the repository type from the detected signals, first matching rule wins."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass

from domain.repo_profile.model import ManifestFacts, RepoType
from domain.repo_profile.monorepo import Layout
from domain.repo_profile.rules import BACKEND_FRAMEWORKS, FRONTEND_FRAMEWORKS, MOBILE_FRAMEWORKS

Decision = tuple[RepoType, str, list[str]]

_BACKEND_SUBTYPES = {
    "nestjs": "nestjs",
    "express": "nodejs",
    "fastify": "nodejs",
    "koa": "nodejs",
    "hapi": "nodejs",
    "apollo": "nodejs",
    "laravel": "php",
    "symfony": "php",
    "slim": "php",
    "cakephp": "php",
    "yii": "php",
    "codeigniter": "php",
    "gin": "go",
    "echo": "go",
    "fiber": "go",
    "spring": "java",
    "rails": "ruby",
    "sinatra": "ruby",
}
_NATIVE_MOBILE = (("AndroidManifest.xml", "android"), (".xcodeproj/", "ios"), ("Podfile", "ios"))
_SERVER_ENTRY_NAMES = frozenset(
    {
        "main.ts",
        "main.js",
        "server.ts",
        "server.js",
        "app.py",
        "main.py",
        "wsgi.py",
        "asgi.py",
        "manage.py",
        "index.php",
        "artisan",
        "main.go",
        "config.ru",
        "Application.java",
    }
)


@dataclass(frozen=True)
class Signals:
    """Everything classification looks at, already detected."""

    paths: list[str]
    languages: dict[str, int]
    primary_language: str | None
    frameworks: list[str]
    framework_scopes: dict[str, set[str]]
    databases: list[str]
    facts: ManifestFacts
    layout: Layout
    entry_points: list[str]


def _language_subtype(language: str | None) -> str:
    return {"typescript": "nodejs", "javascript": "nodejs"}.get(language or "", language or "unknown")


def _used(signals: Signals, framework: str) -> bool:
    """Whether the code runs on a framework rather than plugs into it: a runtime dependency,
    or a dev one that is not also a peer (a React component library lists React as both)."""
    scopes = signals.framework_scopes.get(framework, set())
    return "runtime" in scopes or ("dev" in scopes and "peer" not in scopes)


def _monorepo(s: Signals) -> Decision | None:
    if not s.layout.is_monorepo:
        return None
    return "monorepo", s.layout.tool or "multi-package", list(s.layout.evidence)


def _mobile(s: Signals) -> Decision | None:
    for framework in MOBILE_FRAMEWORKS:
        if _used(s, framework):
            subtype = "react-native" if framework == "expo" else framework
            return "mobile", subtype, [f"{framework} is a mobile framework"]
    if s.primary_language in {"kotlin", "java", "swift", "objective-c"}:
        for marker, subtype in _NATIVE_MOBILE:
            if any(marker in p for p in s.paths):
                return "mobile", subtype, [f"a native {subtype} project ({marker})"]
    return None


def _backend_framework(s: Signals) -> Decision | None:
    used = sorted(f for f in s.frameworks if f in BACKEND_FRAMEWORKS and _used(s, f))
    if not used:
        return None
    framework = "nestjs" if "nestjs" in used else used[0]
    subtype = _BACKEND_SUBTYPES.get(framework, "python")  # the rest are Python frameworks
    return "backend", subtype, [f"{framework} is a server framework"]


def _library(s: Signals) -> Decision | None:
    root_manifests = [reason for path, reason in s.facts.publishable if "/" not in path]
    if not root_manifests or any(_used(s, f) for f in (*FRONTEND_FRAMEWORKS, *MOBILE_FRAMEWORKS)):
        return None
    return "library", s.primary_language or "unknown", root_manifests[:1]


def _frontend(s: Signals) -> Decision | None:
    framework = next((f for f in FRONTEND_FRAMEWORKS if f in s.frameworks), None)
    if framework is not None:
        return "frontend", framework, [f"{framework} is a front-end framework"]
    pages = [p for p in s.paths if p in {"index.html", "public/index.html", "src/index.html"}]
    if pages and s.primary_language in {"javascript", "typescript"} and not s.databases:
        return "frontend", s.primary_language, [f"a browser page ({pages[0]}) and no server code"]
    return None


def _infrastructure(s: Signals) -> Decision | None:
    counts = {
        "terraform": sum(p.endswith((".tf", ".tfvars")) for p in s.paths),
        "helm": sum(posixpath.basename(p) == "Chart.yaml" for p in s.paths),
        "kubernetes": sum(posixpath.basename(p).startswith("kustomization.") for p in s.paths),
        "pulumi": sum(posixpath.basename(p).startswith("Pulumi.") for p in s.paths),
        "ansible": sum(posixpath.basename(p) in {"ansible.cfg", "playbook.yml"} for p in s.paths),
    }
    found = [(kind, n) for kind, n in counts.items() if n]
    app_code = sum(n for lang, n in s.languages.items() if lang not in {"hcl", "shell"})
    infra_files = counts["terraform"] + sum(
        1 for p in s.paths if p.endswith((".yaml", ".yml")) and not p.startswith(".github/")
    )
    if not found or app_code > infra_files:
        return None
    kind, n = found[0]
    return "infrastructure", kind, [f"{n} {kind} file(s) and {app_code} application code files"]


def _backend_fallback(s: Signals) -> Decision | None:
    servers = [p for p in s.entry_points if posixpath.basename(p) in _SERVER_ENTRY_NAMES]
    if not servers and not s.databases:
        return None
    reason = f"server entry point {servers[0]}" if servers else f"uses {', '.join(s.databases)}"
    return "backend", _language_subtype(s.primary_language), [reason]


_RULES: tuple[Callable[[Signals], Decision | None], ...] = (
    _monorepo,
    _mobile,
    _backend_framework,
    _library,
    _frontend,
    _infrastructure,
    _backend_fallback,
)


def classify(signals: Signals) -> Decision:
    """The repository type, its subtype, and the evidence for the decision."""
    for rule in _RULES:
        decision = rule(signals)
        if decision is not None:
            return decision
    reason = "no application framework, server entry point or infrastructure found"
    return "library", signals.primary_language or "unknown", [reason]
