"""Routes that no single line declares: PHP `/controller/method` conventions, Express and Koa
routers mounted under prefixes in other files, FastAPI and Flask mounts. Each carries `path:line`.

The PHP case runs on the made-up music catalogue in tests/fixtures/synthetic_repos; the others
are small applications written for these tests in the shape real ones take.
"""

from __future__ import annotations

from domain.investigation.deterministic import collect_facts, detection_candidates
from domain.investigation.routes import detect_apis
from domain.investigation.sections import render_sections
from tests.support.synthetic_repos import PHP_MUSIC, synthetic_repo


def routes(files: dict[str, str]) -> list[tuple[str, str, str]]:
    return [(a.method, a.path, a.location) for a in detect_apis(files)]


def test_php_music_routes_by_controller_and_method_with_their_lines() -> None:
    found = routes(synthetic_repo(PHP_MUSIC))
    albums = [r for r in found if r[2].startswith("application/controller/albums.php")]
    assert albums == [
        ("ANY", "/albums", "application/controller/albums.php:11"),
        ("ANY", "/albums/index", "application/controller/albums.php:11"),
        ("ANY", "/albums/add", "application/controller/albums.php:22"),
        ("ANY", "/albums/delete/{album_id}", "application/controller/albums.php:34"),
        ("ANY", "/albums/edit/{album_id}", "application/controller/albums.php:46"),
        ("ANY", "/albums/update", "application/controller/albums.php:60"),
        ("ANY", "/albums/search", "application/controller/albums.php:72"),
        ("ANY", "/albums/count", "application/controller/albums.php:82"),
    ]  # the private wantsJson() is no page
    # A parameter with a default is optional, so it is not part of the route.
    assert ("ANY", "/artists/albums/{artist_id}", "application/controller/artists.php:30") in found
    assert ("ANY", "/playlists/addalbum/{playlist_id}/{album_id}", "application/controller/playlists.php:44") in found
    # The router sends a URL without a controller to `new Home()` and its index().
    assert ("ANY", "/", "application/controller/home.php:11") in found
    assert not [r for r in found if r[1].startswith("/playlists/__construct")]
    assert {a.framework for a in detect_apis(synthetic_repo(PHP_MUSIC))} == {"php-convention"}
    assert not [r for r in found if "application/core/" in r[2] or "application/model/" in r[2]]


def test_php_music_route_lines_point_at_the_method_declarations() -> None:
    text = synthetic_repo(PHP_MUSIC)["application/controller/albums.php"].splitlines()
    assert "function add()" in text[22 - 1] and "function delete($album_id)" in text[34 - 1]


CODEIGNITER = {
    "application/config/routes.php": "<?php\n$route['default_controller'] = 'welcome';\n",
    "application/controllers/Welcome.php": (
        "<?php\nclass Welcome extends CI_Controller {\n    public function index() {\n"
        "        $this->load->view('welcome_message');\n    }\n}\n"
    ),
    "application/controllers/admin/Users.php": (
        "<?php\nclass Users extends CI_Controller {\n"
        "    public function __construct() { parent::__construct(); }\n"
        "    public function edit($id, $tab = 'profile') {}\n"
        "    private function load_user($id) {}\n"
        "    public function _remap($method) {}\n"
        "    protected function audit() {}\n"
        "    public static function helper() {}\n"
        "}\n"
    ),
}


def test_codeigniter_controllers_in_subfolders_and_the_default_controller() -> None:
    assert routes(CODEIGNITER) == [
        ("ANY", "/", "application/controllers/Welcome.php:3"),
        ("ANY", "/welcome", "application/controllers/Welcome.php:3"),
        ("ANY", "/welcome/index", "application/controllers/Welcome.php:3"),
        ("ANY", "/admin/users/edit/{id}", "application/controllers/admin/Users.php:4"),
    ]


def test_no_convention_routes_without_a_dispatcher_or_beside_declared_routes() -> None:
    controller = "<?php\nclass ReportController extends Controller {\n    public function show($id) {}\n}\n"
    assert detect_apis({"app/Http/Controllers/ReportController.php": controller}) == []
    laravel = {
        "app/Http/Controllers/ReportController.php": controller,
        "routes/web.php": "<?php\nRoute::get('/reports/{id}', [ReportController::class, 'show']);\n",
        "public/index.php": "<?php\n$uri = $_SERVER['REQUEST_URI'];\ncall_user_func_array($h, $args);\n",
    }
    assert routes(laravel) == [("GET", "/reports/{id}", "routes/web.php:2")]


EXPRESS_APP = {
    "src/app.js": (
        "const express = require('express');\n"
        "const app = express();\n"
        "app.use(express.json());\n"
        "app.use('/api', require('./routes'));\n"
        "app.get('/health', (req, res) => res.send('ok'));\n"
        "module.exports = app;\n"
    ),
    "src/routes/index.js": (
        "const router = require('express').Router();\n"
        "const users = require('./users');\n"
        "const { ordersRouter } = require('./orders');\n"
        "router.use('/users', auth.required, users);\n"
        "router.use('/orders', ordersRouter);\n"
        "module.exports = router;\n"
    ),
    "src/routes/users.js": (
        "const express = require('express');\n"
        "const router = express.Router();\n"
        "\n"
        "router.get('/', list);\n"
        "router.get('/:id', show);\n"
        "router\n"
        "  .route('/:id/avatar')\n"
        "  .get(getAvatar)\n"
        "  .put(upload.single('file'), (req, res) => {\n"
        "    res.status(204).end();\n"
        "  });\n"
        "module.exports = router;\n"
    ),
    "src/routes/orders.js": (
        "const express = require('express');\n"
        "const ordersRouter = express.Router({ mergeParams: true });\n"
        "ordersRouter.post('/', create);\n"
        "module.exports = { ordersRouter };\n"
    ),
}


def test_express_routers_mounted_across_files_carry_every_prefix() -> None:
    assert routes(EXPRESS_APP) == [
        ("GET", "/health", "src/app.js:5"),
        ("POST", "/api/orders", "src/routes/orders.js:3"),
        ("GET", "/api/users", "src/routes/users.js:4"),
        ("GET", "/api/users/:id", "src/routes/users.js:5"),
        ("GET", "/api/users/:id/avatar", "src/routes/users.js:8"),
        ("PUT", "/api/users/:id/avatar", "src/routes/users.js:9"),
    ]


KOA_APP = {
    "server.ts": (
        "import Koa from 'koa';\n"
        "import Router from '@koa/router';\n"
        "import orders from './routes/orders';\n"
        "const app = new Koa();\n"
        "const api = new Router();\n"
        "api.use('/v1', orders.routes());\n"
        "api.use('/v2', orders.routes(), orders.allowedMethods());\n"
        "app.use(api.routes());\n"
    ),
    "routes/orders.ts": (
        "import Router from '@koa/router';\n"
        "const router = new Router({ prefix: '/orders' });\n"
        "router.get('/:id', async (ctx) => { ctx.body = await find(ctx.params.id); });\n"
        "export default router;\n"
    ),
}


def test_koa_router_prefix_under_each_mount() -> None:
    assert routes(KOA_APP) == [
        ("GET", "/v1/orders/:id", "routes/orders.ts:3"),
        ("GET", "/v2/orders/:id", "routes/orders.ts:3"),
    ]


FASTAPI_APP = {
    "app/main.py": (
        "from fastapi import FastAPI\nfrom app.api import api_router\n"
        'app = FastAPI()\napp.include_router(api_router, prefix="/api")\n'
        'app.add_api_route("/ping", ping, methods=["GET", "HEAD"])\n'
    ),
    "app/api/__init__.py": (
        "from fastapi import APIRouter\nfrom app.api import items\n"
        'api_router = APIRouter(prefix="/v1")\napi_router.include_router(items.router)\n'
    ),
    "app/api/items.py": (
        'from fastapi import APIRouter\nrouter = APIRouter(prefix="/items")\n\n'
        '@router.get("/{item_id}")\ndef get(): ...\n'
    ),
}


def test_fastapi_parent_router_prefix_reaches_included_routers() -> None:
    assert routes(FASTAPI_APP) == [
        ("GET", "/api/v1/items/{item_id}", "app/api/items.py:4"),
        ("GET", "/ping", "app/main.py:5"),
        ("HEAD", "/ping", "app/main.py:5"),
    ]


FLASK_APP = {
    "shop/__init__.py": (
        "from flask import Flask\nfrom shop.views import bp\n"
        "app = Flask(__name__)\n"
        'app.register_blueprint(bp, url_prefix="/store")\n'
        'app.add_url_rule("/", view_func=index)\n'
    ),
    "shop/views.py": (
        'from flask import Blueprint\nbp = Blueprint("shop", __name__, url_prefix="/shop")\n\n'
        '@bp.route("/items", methods=["POST"])\ndef add(): ...\n'
    ),
}


def test_flask_registration_prefix_replaces_the_blueprint_prefix() -> None:
    assert routes(FLASK_APP) == [("GET", "/", "shop/__init__.py:5"), ("POST", "/store/items", "shop/views.py:4")]


def test_the_document_lists_convention_routes_and_says_how_they_were_found() -> None:
    files = synthetic_repo(PHP_MUSIC)
    paths = sorted(files)
    section = render_sections(collect_facts(paths, {}, {p: files[p] for p in detection_candidates(paths)}, None))[
        "apis"
    ]
    assert "- `ANY /albums/add` (php-convention) — `application/controller/albums.php:22`" in section
    assert "follow the /controller/method URL convention" in section
