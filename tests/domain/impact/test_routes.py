"""Routes a change adds, removes or alters: NestJS, Express, FastAPI and Flask."""

from __future__ import annotations

from tests.domain.impact.builders import changes, summary

NEST_MAIN = "app.setGlobalPrefix('v1');\n"
CONTROLLER = """
@Controller({ path: 'orders' })
export class OrdersController {
  @Get(':id')
  show(@Param('id') id: string): Promise<OrderDto> { return x; }

  @Post()
  create(@Body() body: CreateOrderDto, @Query('dryRun') dryRun?: boolean): Promise<OrderDto> { return x; }
}
"""
DTOS = """
export class CreateOrderDto { sku!: string; quantity?: number; }
export interface OrderDto { id: string; total: number; }
"""


def test_nest_routes_join_the_global_prefix_the_controller_path_and_the_method_path() -> None:
    base = {"src/orders.controller.ts": CONTROLLER, "src/dto.ts": DTOS}
    head = {"src/dto.ts": DTOS}
    found = changes(base, head, {"src/main.ts": NEST_MAIN})
    assert summary(found) == {("route", "GET /v1/orders/:id", "removed"), ("route", "POST /v1/orders", "removed")}
    assert all(c.breaking and c.head_line is None for c in found)


def test_renaming_a_path_parameter_changes_nothing() -> None:
    head = CONTROLLER.replace("@Get(':id')", "@Get(':orderId')").replace("@Param('id') id", "@Param('orderId') id")
    assert changes({"src/o.controller.ts": CONTROLLER}, {"src/o.controller.ts": head}) == []


def test_a_dto_field_becoming_required_breaks_the_route_that_takes_it() -> None:
    head_dtos = DTOS.replace("quantity?: number", "quantity!: number")
    found = changes({"src/dto.ts": DTOS}, {"src/dto.ts": head_dtos}, {"src/orders.controller.ts": CONTROLLER})
    [change] = found
    assert (change.name, change.change, change.breaking) == ("POST /orders", "changed", True)
    assert change.detail == "body field `quantity` now required"
    assert (change.path, change.line) == ("src/dto.ts", 2)  # placed on the DTO, not the untouched controller


def test_a_response_field_added_is_a_compatible_change() -> None:
    head_dtos = DTOS.replace("total: number;", "total: number; currency: string;")
    [change] = [
        c
        for c in changes({"src/dto.ts": DTOS}, {"src/dto.ts": head_dtos}, {"src/c.controller.ts": CONTROLLER})
        if c.name == "GET /orders/:id"
    ]
    assert (change.change, change.breaking, change.detail) == ("changed", False, "response field `currency` added")


EXPRESS_APP = """
import express from 'express';
import usersRouter from './routes/users';
const app = express();
app.use('/api/users', usersRouter);
"""
EXPRESS_USERS = """
import { Router } from 'express';
const router = Router();
router.get('/:id', show);
router.route('/:id/avatar').put(upload).delete(removeAvatar);
export default router;
"""


def test_express_routes_take_the_prefix_they_are_mounted_under_in_another_file() -> None:
    found = changes({"src/routes/users.ts": EXPRESS_USERS}, {}, {"src/app.ts": EXPRESS_APP})
    assert summary(found) == {
        ("route", "GET /api/users/:id", "removed"),
        ("route", "PUT /api/users/:id/avatar", "removed"),
        ("route", "DELETE /api/users/:id/avatar", "removed"),
    }


def test_http_client_calls_are_not_mistaken_for_served_routes() -> None:
    client = "import axios from 'axios';\nexport const get = () => axios.get('/api/users/1');\napi.delete('/x');\n"
    assert changes({}, {"src/client.ts": client}) == []


FASTAPI_MAIN = """
from fastapi import FastAPI
from app.routers import items
app = FastAPI()
app.include_router(items.router, prefix="/api")
"""
FASTAPI_ITEMS = """
from fastapi import APIRouter, Depends
from pydantic import BaseModel

router = APIRouter(prefix="/items")

class ItemIn(BaseModel):
    name: str
    price: float

class ItemOut(BaseModel):
    id: int
    name: str

@router.post("/", response_model=ItemOut)
def create(item: ItemIn, notify: bool = False, db=Depends(session)):
    ...

@router.get("/{item_id}")
def read(item_id: int) -> ItemOut:
    ...
"""


def test_fastapi_routes_follow_include_router_prefixes_and_read_pydantic_shapes() -> None:
    head = FASTAPI_ITEMS.replace("    price: float\n", "    price: float\n    currency: str\n")
    head = head.replace(
        "class ItemOut(BaseModel):\n    id: int\n    name: str", "class ItemOut(BaseModel):\n    id: int"
    )
    found = changes(
        {"app/routers/items.py": FASTAPI_ITEMS}, {"app/routers/items.py": head}, {"app/main.py": FASTAPI_MAIN}
    )
    by_name = {c.name: c for c in found}
    assert set(by_name) == {"POST /api/items", "GET /api/items/:item_id"}
    assert by_name["POST /api/items"].detail == (
        "response field `name` removed; body field `currency` added (required)"
    )
    assert by_name["GET /api/items/:item_id"].detail == "response field `name` removed"
    assert all(c.breaking for c in found)


FLASK = """
from flask import Blueprint
bp = Blueprint("accounts", __name__, url_prefix="/accounts")

@bp.route("/<int:account_id>", methods=["GET", "DELETE"])
def account(account_id):
    ...
"""


def test_flask_blueprint_routes_with_several_methods() -> None:
    found = changes({"web/views.py": FLASK}, {"web/views.py": FLASK.replace('"GET", "DELETE"', '"GET"')})
    assert summary(found) == {("route", "DELETE /accounts/:account_id", "removed")}
