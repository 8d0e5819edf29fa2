"""FastAPI include_router prefixes followed across modules, as in a real layered application."""

from __future__ import annotations

from domain.investigation.pymounts import module_of, mount_prefixes
from domain.investigation.routes import detect_apis

APP = {
    "src/app/main.py": (
        "from fastapi import FastAPI\nfrom app.api.routes.api import router as api_router\n"
        "app = FastAPI()\napp.include_router(api_router, prefix=settings.api_prefix)\n"
    ),
    "src/app/api/routes/api.py": (
        "from fastapi import APIRouter\n"
        "from app.api.routes import (\n    authentication,\n    comments,\n)\n"
        "from .articles import api as articles\n"
        "router = APIRouter()\n"
        'router.include_router(authentication.router, tags=["auth"], prefix="/users")\n'
        "router.include_router(articles.router)\n"
        'router.include_router(\n    comments.router,\n    prefix="/articles/{slug}/comments",\n)\n'
    ),
    "src/app/api/routes/articles/api.py": (
        "from fastapi import APIRouter\nfrom . import articles_common\n"
        'router = APIRouter()\nrouter.include_router(articles_common.router, prefix="/articles")\n'
    ),
    "src/app/api/routes/articles/articles_common.py": (
        'from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.get("/feed")\nasync def feed(): ...\n'
    ),
    "src/app/api/routes/authentication.py": (
        'from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.post("/login")\nasync def login(): ...\n'
    ),
    "src/app/api/routes/comments.py": (
        'from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.delete("/{comment_id}")\nasync def rm(): ...\n'
    ),
}


def test_module_names() -> None:
    assert module_of("app/api/__init__.py") == "app.api"
    assert module_of("app/main.py") == "app.main"


def test_prefixes_are_summed_from_the_application_down() -> None:
    mounts = mount_prefixes(APP)
    assert mounts[("src.app.api.routes.authentication", "router")] == ["/users"]
    assert mounts[("src.app.api.routes.articles.articles_common", "router")] == ["/articles"]
    assert mounts[("src.app.api.routes.comments", "router")] == ["/articles/{slug}/comments"]


def test_routes_carry_their_mount_prefixes() -> None:
    apis = detect_apis(APP)
    assert sorted((a.method, a.path) for a in apis) == [
        ("DELETE", "/articles/{slug}/comments/{comment_id}"),
        ("GET", "/articles/feed"),
        ("POST", "/users/login"),
    ]


def test_a_router_mounted_twice_has_both_prefixes() -> None:
    files = {
        "svc/main.py": "from svc import items\n"
        'app.include_router(items.router, prefix="/v1")\napp.include_router(items.router, prefix="/v2")\n',
        "svc/items.py": (
            'from fastapi import APIRouter\nrouter = APIRouter(prefix="/items")\n@router.get("")\ndef ls(): ...\n'
        ),
    }
    assert [a.path for a in detect_apis(files)] == ["/v1/items", "/v2/items"]
