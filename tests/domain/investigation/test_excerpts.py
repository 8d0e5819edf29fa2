"""Files trimmed to what a step needs keep their own line numbers, so `path:line` stays true."""

from __future__ import annotations

import re

import pytest

from domain.investigation.excerpts import GAP, MAX_LINE_CHARS, excerpt, hint_pattern
from tests.support.synthetic_repos import synthetic_repo, synthetic_repo_names

ROW = re.compile(r"^ *(?P<n>\d+) \| (?P<text>.*)$")
SERVICE = """\
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

/**
 * Orders: creation and lookup.
 * Everything here runs inside a request.
 */
@Injectable()
export class OrdersService {
  constructor(@InjectRepository(Order) private readonly orders: Repository<Order>) {}

  async create(userId: number, dto: CreateOrderDto): Promise<Order> {
    const order = new Order();
    order.ownerId = userId;
    order.total = dto.items.reduce((sum, item) => sum + item.price, 0);
    const saved = await this.orders.save(order);
    this.logger.log(`order ${saved.id} created`);
    return saved;
  }

  async findOne(id: number): Promise<Order> {
    const found = await this.orders.findOne({ where: { id } });
    if (!found) {
      throw new NotFoundException();
    }
    return found;
  }

  async report(): Promise<string[]> {
    const lines: string[] = [];
    lines.push(`report line 1: ${await this.orders.count()} orders so far`);
    lines.push(`report line 2: ${await this.orders.count()} orders so far`);
    lines.push(`report line 3: ${await this.orders.count()} orders so far`);
    lines.push(`report line 4: ${await this.orders.count()} orders so far`);
    lines.push(`report line 5: ${await this.orders.count()} orders so far`);
    lines.push(`report line 6: ${await this.orders.count()} orders so far`);
    lines.push(`report line 7: ${await this.orders.count()} orders so far`);
    lines.push(`report line 8: ${await this.orders.count()} orders so far`);
    lines.push(`report line 9: ${await this.orders.count()} orders so far`);
    lines.push(`report line 10: ${await this.orders.count()} orders so far`);
    lines.push(`report line 11: ${await this.orders.count()} orders so far`);
    lines.push(`report line 12: ${await this.orders.count()} orders so far`);
    lines.push(`report line 13: ${await this.orders.count()} orders so far`);
    lines.push(`report line 14: ${await this.orders.count()} orders so far`);
    lines.push(`report line 15: ${await this.orders.count()} orders so far`);
    return lines;
  }
}
"""


def rows(rendered: str) -> list[tuple[int, str]]:
    return [(int(m.group("n")), m.group("text")) for line in rendered.splitlines() if (m := ROW.match(line))]


def fixture_files() -> list[tuple[str, str]]:
    """Every file of the synthetic repositories, named `repo/path`."""
    return [(f"{repo}/{path}", text) for repo in synthetic_repo_names() for path, text in synthetic_repo(repo).items()]


@pytest.mark.parametrize(("path", "text"), fixture_files(), ids=lambda value: value if "/" in value else "")
def test_every_kept_row_is_the_files_own_line_under_its_own_number(path: str, text: str) -> None:
    lines = text.split("\n")
    cut = excerpt(path, text, hints=hint_pattern(["route", "password", "SELECT"]))
    shown = rows(cut.text)
    assert [n for n, _ in shown] == list(cut.lines) == sorted(cut.lines)
    for number, row in shown:
        original = lines[number - 1].rstrip()
        assert row == original or (row.endswith(" …") and original.startswith(row[:-2])), (path, number)
        assert len(row) <= MAX_LINE_CHARS + 2


def test_method_bodies_go_signatures_decorators_and_fields_stay() -> None:
    cut = excerpt("src/orders/orders.service.ts", SERVICE)
    kept = dict(rows(cut.text))
    assert kept[9] == "@Injectable()" and kept[10] == "export class OrdersService {"
    assert kept[13].strip().startswith("async create(userId: number")
    assert kept[22].strip().startswith("async findOne(id: number)")
    assert 6 in kept and "Orders: creation and lookup." in kept[6]  # a comment keeps its first words
    assert not {1, 2, 3, 7, 14, 15, 17, 23} & set(kept)  # imports, comment tail, bodies
    assert f"   | {GAP}" in cut.text and not cut.whole


def test_hinted_lines_and_fact_lines_come_back_from_inside_bodies() -> None:
    cut = excerpt("src/orders/orders.service.ts", SERVICE, keep={16}, hints=hint_pattern(["save(", "typeorm"]))
    kept = dict(rows(cut.text))
    assert "this.orders.save(order)" in kept[17]  # hint "save(" inside a body
    assert "order.total" in kept[16]  # a line a detected fact points at
    assert "from 'typeorm'" in kept[3]  # imports are dropped unless hinted
    assert 14 not in kept and 23 not in kept


def test_python_docstrings_keep_their_first_line_and_functions_their_signature() -> None:
    text = (
        '"""Payments.\n\nLong explanation\nover lines.\n"""\n'
        "import stripe\n\n\n"
        "@router.post('/charge')\n"
        "async def charge(amount: int) -> Receipt:\n"
        '    """Charge a card."""\n'
        "    intent = stripe.PaymentIntent.create(amount=amount)\n"
        "    return Receipt(intent.id)\n" + "# filler comment that explains nothing at all\n" * 40
    )
    kept = dict(rows(excerpt("app/payments.py", text).text))
    assert kept[1] == '"""Payments.' and 3 not in kept and 6 not in kept
    assert kept[9] == "@router.post('/charge')" and kept[10].startswith("async def charge")
    assert not {11, 12, 13} & set(kept)
    assert 14 in kept and 15 not in kept  # a run of comments keeps its first line


def test_small_files_are_shown_whole_and_markdown_keeps_its_headings() -> None:
    small = "a = 1\n\nb = 2\n"
    assert rows(excerpt("x.py", small).text) == [(1, "a = 1"), (3, "b = 2")]
    assert excerpt("x.py", small).whole
    readme = "# Title\n" + "".join(f"line {i} of the introduction\n" for i in range(2, 80)) + "## Install\nrun it\n"
    kept = dict(rows(excerpt("README.md", readme).text))
    assert 1 in kept and 30 in kept and 31 not in kept and kept[80] == "## Install" and 81 not in kept


def test_a_long_excerpt_is_cut_at_the_limit_with_a_note() -> None:
    text = "".join(f"export const value{i} = {i};\n" for i in range(1, 400))
    cut = excerpt("src/values.ts", text, max_chars=1000)
    assert len(cut.text) <= 1000
    assert cut.text.endswith("(cut here for room; the file has 399 lines)")
    assert rows(cut.text)[0] == (1, "export const value1 = 1;")
