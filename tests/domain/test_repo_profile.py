"""Repository profiles: one small repository shape per kind, profiled the way callers do it."""

from __future__ import annotations

import json
import random

from domain.repo_profile import RepoProfile, is_manifest, profile_repository


def package_json(deps: dict[str, str] | None = None, **fields: object) -> str:
    return json.dumps({"name": "app", "version": "1.0.0", "dependencies": deps or {}, **fields})


def profile(files: dict[str, str], other_paths: tuple[str, ...] | list[str] = ()) -> RepoProfile:
    """Profile like the activity: all paths, and the text of the paths is_manifest selects."""
    paths = [*files, *other_paths]
    return profile_repository(paths, {p: t for p, t in files.items() if is_manifest(p)})


NEST_FILES = {
    "package.json": package_json(
        {"@nestjs/core": "^10", "@nestjs/typeorm": "^10", "typeorm": "^0.3", "mysql": "^2.18"},
        private=True,
        devDependencies={"typescript": "^5", "jest": "^29"},
    ),
    "nest-cli.json": "{}",
    "ormconfig.json": '{"type": "mysql", "host": "localhost"}',
    "src/main.ts": "",
    "src/app.module.ts": "",
    "src/user/user.service.ts": "",
    "src/user/user.controller.ts": "",
    "src/article/index.ts": "",
}
NEST_DIST = ["dist/main.js", "dist/app.module.js", "dist/user/user.service.js", "dist/user/a.js", "dist/b.js"]


def test_nestjs_backend() -> None:
    result = profile(NEST_FILES, [*NEST_DIST, "node_modules/express/index.js"])
    assert (result.repo_type, result.subtype) == ("backend", "nestjs")
    assert result.primary_language == "typescript"
    assert result.languages == {"typescript": 5}  # the committed dist/ is not counted
    assert result.frameworks == ["nestjs"]
    assert result.databases == ["mysql"]
    assert result.entry_points == ["src/main.ts"]
    assert "package.json depends on @nestjs/core" in result.evidence
    assert any("ormconfig.json configures mysql" in e for e in result.evidence)
    assert result.packages == []


def test_profile_is_deterministic_whatever_the_path_order() -> None:
    paths = list(NEST_FILES) + NEST_DIST
    shuffled = paths[:]
    random.Random(7).shuffle(shuffled)
    manifests = {p: t for p, t in NEST_FILES.items() if is_manifest(p)}
    assert profile_repository(paths, manifests) == profile_repository(shuffled, dict(reversed(manifests.items())))


def test_python_fastapi_backend() -> None:
    files = {
        "pyproject.toml": '[tool.poetry]\nname = "app"\n[tool.poetry.dependencies]\npython = "^3.9"\n'
        'fastapi = "^0.110"\nasyncpg = "^0.29"\n[build-system]\nrequires = ["poetry-core"]\n',
        "docker-compose.yml": "services:\n  app:\n    build: .\n  db:\n    image: postgres:15-alpine\n",
        "app/main.py": "",
        "app/api/routes/users.py": "",
        "app/db/repositories/users.py": "",
        "tests/test_users.py": "",
    }
    result = profile(files)
    assert (result.repo_type, result.subtype) == ("backend", "python")
    assert result.frameworks == ["fastapi"]
    assert result.databases == ["postgresql"]
    assert "app/main.py" in result.entry_points
    assert "docker-compose.yml service 'db' uses image postgres:15-alpine" in result.evidence
    assert "pyproject.toml depends on asyncpg" in result.evidence


def test_plain_php_backend_with_pdo_configuration() -> None:
    files = {
        "composer.json": '{"require": {"php": ">=5.3.0"}}',
        "application/config/config.php": "<?php\ndefine('DB_TYPE', 'mysql');\ndefine('DB_HOST', '127.0.0.1');\n",
        "application/controller/songs.php": "",
        "application/model/model.php": "",
        "application/view/songs/index.php": "",
        "public/index.php": "",
        "public/css/style.css": "",
    }
    result = profile(files)
    assert (result.repo_type, result.subtype) == ("backend", "php")
    assert result.primary_language == "php"
    assert result.databases == ["mysql"]
    assert result.entry_points == ["public/index.php"]


def test_laravel_backend() -> None:
    files = {
        "composer.json": '{"type": "project", "require": {"laravel/framework": "^10.0", "predis/predis": "^2"}}',
        ".env.example": "APP_NAME=Laravel\nDB_CONNECTION=pgsql\nDB_HOST=127.0.0.1\n",
        "artisan": "",
        "public/index.php": "",
        "app/Http/Controllers/UserController.php": "",
    }
    result = profile(files)
    assert (result.repo_type, result.subtype, result.frameworks) == ("backend", "php", ["laravel"])
    assert result.databases == ["postgresql", "redis"]
    assert {"artisan", "public/index.php"} <= set(result.entry_points)


def test_react_frontend() -> None:
    files = {
        "package.json": package_json(
            {"react": "^18", "react-dom": "^18"}, private=True, devDependencies={"vite": "^5"}
        ),
        "index.html": "",
        "src/main.tsx": "",
        "src/App.tsx": "",
        "src/components/Button.tsx": "",
    }
    result = profile(files)
    assert (result.repo_type, result.subtype) == ("frontend", "react")
    assert result.databases == []


def test_next_frontend_is_more_specific_than_react() -> None:
    files = {"package.json": package_json({"next": "14", "react": "18"}, private=True), "app/page.tsx": ""}
    assert (profile(files).repo_type, profile(files).subtype) == ("frontend", "next")


def test_react_native_mobile() -> None:
    files = {
        "package.json": package_json({"react": "18.2.0", "react-native": "0.73.0"}, private=True),
        "index.js": "",
        "App.tsx": "",
        "android/app/build.gradle": "dependencies { implementation 'com.facebook.react:react-android' }",
        "android/build.gradle": "",
        "ios/Podfile": "",
        "ios/App.xcodeproj/project.pbxproj": "",
    }
    result = profile(files)
    assert (result.repo_type, result.subtype) == ("mobile", "react-native")
    assert result.packages == []


def test_flutter_mobile() -> None:
    files = {
        "pubspec.yaml": "name: app\ndependencies:\n  flutter:\n    sdk: flutter\n  http: ^1.0.0\n",
        "lib/main.dart": "",
        "lib/screens/home.dart": "",
        "android/app/src/main/AndroidManifest.xml": "",
    }
    result = profile(files)
    assert (result.repo_type, result.subtype, result.primary_language) == ("mobile", "flutter", "dart")
    assert result.entry_points == ["lib/main.dart"]


def test_typescript_library() -> None:
    files = {
        "package.json": package_json(
            {},
            main="dist/index.js",
            types="dist/index.d.ts",
            peerDependencies={"react": ">=17"},
            devDependencies={"react": "^18", "typescript": "^5"},
        ),
        "src/index.ts": "",
        "src/useDebounce.ts": "",
        "dist/index.js": "",
    }
    result = profile(files)
    assert (result.repo_type, result.subtype) == ("library", "typescript")
    assert any("publishes a package" in e for e in result.evidence)


def test_python_library() -> None:
    files = {
        "pyproject.toml": '[project]\nname = "textkit"\ndependencies = ["regex>=2023"]\n'
        '[build-system]\nrequires = ["hatchling"]\n',
        "src/textkit/__init__.py": "",
        "src/textkit/tokens.py": "",
    }
    assert (profile(files).repo_type, profile(files).subtype) == ("library", "python")


def test_terraform_infrastructure() -> None:
    files = {
        "main.tf": "",
        "variables.tf": "",
        "outputs.tf": "",
        "modules/vpc/main.tf": "",
        "modules/vpc/variables.tf": "",
        "scripts/plan.sh": "",
        "envs/prod.tfvars": "",
    }
    result = profile(files)
    assert (result.repo_type, result.subtype, result.primary_language) == ("infrastructure", "terraform", "hcl")


def test_helm_infrastructure() -> None:
    files = {
        "charts/api/Chart.yaml": "apiVersion: v2\nname: api\n",
        "charts/api/values.yaml": "",
        "charts/api/templates/deployment.yaml": "",
        "charts/api/templates/service.yaml": "",
        "charts/api/templates/_helpers.tpl": "",
    }
    assert (profile(files).repo_type, profile(files).subtype) == ("infrastructure", "helm")


def test_monorepo_with_workspaces() -> None:
    files = {
        "package.json": package_json(private=True, workspaces=["packages/*", "apps/*"]),
        "turbo.json": "{}",
        "apps/api/package.json": package_json({"@nestjs/core": "^10", "pg": "^8"}),
        "apps/api/src/main.ts": "",
        "apps/web/package.json": package_json({"next": "14", "react": "18"}),
        "apps/web/app/page.tsx": "",
        "packages/ui/package.json": package_json({"react": "18"}),
        "packages/ui/src/index.ts": "",
        "packages/utils/package.json": package_json(),
        "docs/package.json": package_json(),
    }
    result = profile(files, ["node_modules/left-pad/package.json"])
    assert (result.repo_type, result.subtype) == ("monorepo", "turbo")
    assert result.packages == ["apps/api", "apps/web", "packages/ui", "packages/utils"]
    assert {"nestjs", "next", "react"} <= set(result.frameworks)
    assert result.databases == ["postgresql"]
    assert "apps/api/src/main.ts" in result.entry_points
    assert "package.json declares workspace packages/*" in result.evidence


def test_pnpm_workspace_and_negated_globs() -> None:
    files = {
        "package.json": package_json(private=True),
        "pnpm-workspace.yaml": "packages:\n  - 'packages/*'\n  - '!packages/legacy'\n",
        "packages/a/package.json": package_json(),
        "packages/b/package.json": package_json(),
        "packages/legacy/package.json": package_json(),
    }
    result = profile(files)
    assert (result.repo_type, result.subtype, result.packages) == (
        "monorepo",
        "pnpm-workspaces",
        ["packages/a", "packages/b"],
    )


def test_services_folder_without_workspace_tooling_is_a_monorepo() -> None:
    files = {
        "services/billing/pyproject.toml": '[project]\nname = "billing"\ndependencies = ["flask"]\n',
        "services/billing/app.py": "",
        "services/gateway/package.json": package_json({"express": "^4"}),
        "services/gateway/server.js": "",
        "README.md": "",
    }
    result = profile(files)
    assert (result.repo_type, result.subtype) == ("monorepo", "multi-package")
    assert result.packages == ["services/billing", "services/gateway"]
    assert result.frameworks == ["express", "flask"]


def test_is_manifest_selects_manifests_outside_vendored_code() -> None:
    wanted = [
        "package.json",
        "apps/web/package.json",
        "docker-compose.prod.yml",
        "requirements-dev.txt",
        "config/database.php",
        "prisma/schema.prisma",
        "pubspec.yaml",
        "lerna.json",
    ]
    unwanted = ["node_modules/react/package.json", "vendor/x/composer.json", "src/app.ts", "package-lock.json"]
    assert all(is_manifest(p) for p in wanted)
    assert not any(is_manifest(p) for p in unwanted)


def test_unparseable_manifests_are_reported_not_fatal() -> None:
    files = {"package.json": "{ not json", "src/index.js": "", "server.js": ""}
    result = profile(files)
    assert "package.json could not be parsed" in result.evidence
    assert (result.repo_type, result.subtype) == ("backend", "nodejs")
