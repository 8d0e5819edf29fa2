"""Deterministic sections: manifests, structure, entry points, APIs and topics without an LLM."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.investigation.deterministic import collect_facts, detection_candidates, deterministic_sections
from domain.investigation.manifests import parse_dependencies
from domain.investigation.sections import DETERMINISTIC_TITLES
from domain.repo_profile import profile_repository
from tests.domain.investigation.samples import NEST_CONTROLLER, NEST_MAIN, PUBSUB_PUBLISHER


@dataclass
class FakeProfile:
    repo_type: str = "backend"
    subtype: str | None = "nestjs"
    primary_language: str | None = "typescript"
    languages: dict[str, int] = field(default_factory=lambda: {"javascript": 2, "typescript": 9})
    frameworks: list[str] = field(default_factory=lambda: ["nestjs"])
    databases: list[str] = field(default_factory=lambda: ["postgresql"])
    packages: list[str] = field(default_factory=list)
    entry_points: list[str] = field(default_factory=lambda: ["src/main.ts"])
    evidence: list[str] = field(default_factory=lambda: ["package.json depends on @nestjs/core"])


PACKAGE_JSON = """{
  "name": "orders",
  "dependencies": {"@nestjs/core": "^10.0.0", "typeorm": "^0.3.17", "@google-cloud/pubsub": "^4.0.0"},
  "devDependencies": {"jest": "^29.7.0"},
  "peerDependencies": {"rxjs": "^7"}
}"""
REPO_FILES = {
    "src/main.ts": NEST_MAIN,
    "src/article/article.controller.ts": NEST_CONTROLLER,
    "src/events/publisher.ts": PUBSUB_PUBLISHER,
}
REPO_PATHS = [
    *REPO_FILES,
    "package.json",
    "README.md",
    "src/migrations/1700000000-init.ts",
    "test/app.e2e-spec.ts",
    "node_modules/rxjs/index.js",
]


def test_dependencies_from_every_manifest_kind() -> None:
    scan = parse_dependencies(
        {
            "package.json": PACKAGE_JSON,
            "composer.json": '{"require": {"php": ">=8.1", "ext-pdo": "*", "laravel/framework": "^10"},'
            ' "require-dev": {"phpunit/phpunit": "^10"}}',
            "requirements-dev.txt": "pytest>=8  # tests\n-r requirements.txt\n",
            "requirements.txt": "FastAPI[all]==0.110.0\nasyncpg>=0.29; python_version > '3.8'\n\n# pinned\n",
            "pyproject.toml": '[project]\ndependencies = ["httpx>=0.27"]\n'
            '[project.optional-dependencies]\ntest = ["hypothesis"]\nredis = ["redis>=5"]\n'
            '[tool.poetry.dependencies]\npython = "^3.11"\npydantic = {version = "^2"}\n',
            "go.mod": "module x\n\ngo 1.22\n\nrequire (\n\tgithub.com/lib/pq v1.10.9\n"
            "\tgolang.org/x/net v0.20.0 // indirect\n)\n\nrequire github.com/google/uuid v1.6.0\n",
            "node_modules/left-pad/package.json": '{"dependencies": {"evil": "1"}}',
            "web/package.json": "{not json",
        }
    )
    got = {(d.manifest, d.name, d.version, d.scope) for d in scan.dependencies}
    assert got == {
        ("package.json", "@nestjs/core", "^10.0.0", "runtime"),
        ("package.json", "typeorm", "^0.3.17", "runtime"),
        ("package.json", "@google-cloud/pubsub", "^4.0.0", "runtime"),
        ("package.json", "jest", "^29.7.0", "dev"),
        ("package.json", "rxjs", "^7", "peer"),
        ("composer.json", "laravel/framework", "^10", "runtime"),
        ("composer.json", "phpunit/phpunit", "^10", "dev"),
        ("requirements-dev.txt", "pytest", ">=8", "dev"),
        ("requirements.txt", "fastapi", "==0.110.0", "runtime"),
        ("requirements.txt", "asyncpg", ">=0.29", "runtime"),
        ("pyproject.toml", "httpx", ">=0.27", "runtime"),
        ("pyproject.toml", "hypothesis", "", "dev"),
        ("pyproject.toml", "redis", ">=5", "optional"),
        ("pyproject.toml", "pydantic", "^2", "runtime"),
        ("go.mod", "github.com/lib/pq", "v1.10.9", "runtime"),
        ("go.mod", "golang.org/x/net", "v0.20.0", "indirect"),
        ("go.mod", "github.com/google/uuid", "v1.6.0", "runtime"),
    }
    assert len(scan.unreadable) == 1 and scan.unreadable[0].startswith("web/package.json: ")


def test_detection_candidates_are_source_files_without_tests_or_noise() -> None:
    assert detection_candidates(REPO_PATHS) == [
        "src/article/article.controller.ts",
        "src/events/publisher.ts",
        "src/main.ts",
        "src/migrations/1700000000-init.ts",
    ]


def test_sections_of_a_small_nestjs_repository() -> None:
    sections = deterministic_sections(REPO_PATHS, {"package.json": PACKAGE_JSON}, REPO_FILES, FakeProfile())
    assert list(sections) == list(DETERMINISTIC_TITLES)
    assert "- Type: backend (nestjs)" in sections["type"]
    assert "- Languages: typescript, javascript" in sections["type"]
    assert "  - package.json depends on @nestjs/core" in sections["type"]
    assert "8 files: 2 at the root" in sections["structure"]
    assert "- `src/` — 4 files" in sections["structure"] and "- `test/` — 1 file" in sections["structure"]
    assert (
        "- runtime (3): @nestjs/core ^10.0.0, typeorm ^0.3.17, @google-cloud/pubsub ^4.0.0" in sections["dependencies"]
    )
    assert "From the repository profile:\n\n- `src/main.ts`" in sections["entry-points"]
    assert "- From the repository profile: postgresql" in sections["databases"]
    assert "- Dependency `typeorm` ^0.3.17 (`package.json`)" in sections["databases"]
    assert "- Schema or migrations: `src/migrations/`" in sections["databases"]
    assert "- `GET /api/articles/feed` (nestjs) — `src/article/article.controller.ts:8`" in sections["apis"]
    assert "### Published\n\n- `orders.created` (pubsub topic) — `src/events/publisher.ts:7`" in sections["topics"]
    assert "Subscribed" not in sections["topics"]


def test_sections_without_profile_or_findings_say_so() -> None:
    sections = deterministic_sections(["README.md"], {}, {}, None)
    assert "- Type: unknown" in sections["type"] and "Evidence: none recorded" in sections["type"]
    assert sections["structure"] == "1 file, all at the root."
    assert sections["dependencies"].startswith("No recognised manifest")
    assert sections["entry-points"] == sections["apis"] == sections["topics"] == "None detected."


def test_entry_points_fall_back_to_conventional_names() -> None:
    facts = collect_facts(REPO_PATHS, {}, {}, FakeProfile(entry_points=[]))
    assert facts.entry_points == ("src/main.ts",) and facts.entry_points_guessed


def test_the_real_repository_profile_fits() -> None:
    manifests = {"package.json": PACKAGE_JSON}
    profile = profile_repository(REPO_PATHS, manifests)
    facts = collect_facts(REPO_PATHS, manifests, REPO_FILES, profile)
    assert facts.repo_type == profile.repo_type
    assert "nestjs" in facts.frameworks
    assert len(facts.apis) == 5 and facts.topics[0].name == "orders.created"
