"""Internal packages: the exported surface, breaking signatures, and who is pinned behind."""

from __future__ import annotations

import pytest

from domain.impact import EdgeChange
from tests.domain.impact.builders import changes, impacts, summary

MANIFEST = '{\n  "name": "@acme/money",\n  "version": "2.1.0",\n  "main": "dist/index.js"\n}\n'
INDEX = (
    "export * from './format';\nexport { parse as parseMoney } from './parse';\n"
    "import { RATE } from './rates';\nexport { RATE };\n"
)
FORMAT = """
export interface Money { amount: number; currency: string }
export function format(money: Money, locale?: string): string { return ''; }
export const round = (value: number, digits = 2) => value;
export enum Rounding { Up, Down }
function internal() {}
"""
PARSE = "export function parse(text: string): Money { return x; }\nexport function unexported() {}\n"
RATES = "export const RATE = 1.1;\n"
PACKAGE = {
    "package.json": MANIFEST,
    "src/index.ts": INDEX,
    "src/format.ts": FORMAT,
    "src/parse.ts": PARSE,
    "src/rates.ts": RATES,
}


def _changes_to_format(head_format: str) -> list[EdgeChange]:
    context = {p: t for p, t in PACKAGE.items() if p != "src/format.ts"}
    return changes({"src/format.ts": FORMAT}, {"src/format.ts": head_format}, context)


def test_the_surface_follows_star_renamed_and_imported_re_exports() -> None:
    sources = {p: t for p, t in PACKAGE.items() if p != "package.json"}
    removed = changes(sources, {}, {"package.json": MANIFEST})
    assert summary(removed) == {
        *{
            ("export", f"@acme/money#{n}", "removed")
            for n in ("Money", "format", "round", "Rounding", "parseMoney", "RATE")
        },
    }


@pytest.mark.parametrize(
    ("old", "new", "breaking", "detail"),
    [
        ("locale?: string", "locale: string", True, "parameter `locale` now `string` (required)"),
        ("locale?: string)", "locale?: string, currency?: string)", False, "parameter `currency` added"),
        ("money: Money, locale?: string", "money: Money", True, "parameter `locale` removed"),
        (
            "money: Money,",
            "money: Money, symbol: boolean,",
            True,
            # Parameters compare by position: a caller's second argument is now `symbol`.
            "parameter `symbol` now `boolean` (required); parameter `locale` added",
        ),
        ("currency: string }", "currency: string; minor?: number }", False, "field `minor` added"),
        ("currency: string }", "currency: string; minor: number }", True, "field `minor` added (required)"),
        ("amount: number; ", "", True, "field `amount` removed"),
        ("Up, Down", "Up", True, "member `Down` removed"),
    ],
)
def test_signature_and_shape_changes_of_exports(old: str, new: str, breaking: bool, detail: str) -> None:
    assert old in FORMAT
    [change] = _changes_to_format(FORMAT.replace(old, new))
    assert (change.kind, change.change, change.breaking, change.detail) == ("export", "changed", breaking, detail)


def test_an_unexported_function_changing_is_no_edge_change() -> None:
    assert _changes_to_format(FORMAT.replace("function internal() {}", "function internal(a: number) {}")) == []


CONSUMER = {
    "package.json": '{\n  "name": "shop",\n  "dependencies": {\n    "@acme/money": "^2.0.0"\n  }\n}\n',
    "src/cart.ts": "import { format, type Money } from '@acme/money';\nexport const show = (m: Money) => format(m);\n",
    "src/tax.ts": "import * as money from '@acme/money';\nexport const t = money.round(money.RATE * 2);\n",
}
PINNED = {
    "package.json": '{\n  "dependencies": {\n    "@acme/money": "~1.4.2"\n  }\n}\n',
    "src/x.js": "const { format } = require('@acme/money');\n",
}


def test_removing_an_export_reaches_named_namespace_and_require_importers() -> None:
    head = FORMAT.replace("export function format(", "export function formatMoney(").replace(
        "export const round", "const round"
    )
    context = {p: t for p, t in PACKAGE.items() if p != "src/format.ts"}
    found = impacts(
        {"src/format.ts": FORMAT}, {"src/format.ts": head}, {"acme/shop": CONSUMER, "acme/old": PINNED}, context
    )
    by_name = {f.name: f for f in found}
    assert set(by_name) == {"@acme/money#format", "@acme/money#round"}
    assert [(e.repository, e.path, e.line, e.pinned) for e in by_name["@acme/money#format"].evidence] == [
        ("acme/shop", "src/cart.ts", 1, ""),
        ("acme/old", "src/x.js", 1, "~1.4.2"),
    ]
    assert by_name["@acme/money#format"].severity == "high"
    assert [(e.repository, e.path) for e in by_name["@acme/money#round"].evidence] == [("acme/shop", "src/tax.ts")]


def test_a_break_reaching_only_pinned_consumers_is_medium() -> None:
    head = FORMAT.replace("export function format(", "export function formatMoney(")
    context = {p: t for p, t in PACKAGE.items() if p != "src/format.ts"}
    [finding] = impacts({"src/format.ts": FORMAT}, {"src/format.ts": head}, {"acme/old": PINNED}, context)
    assert finding.severity == "medium"


def test_a_release_lists_dependants_left_on_older_ranges() -> None:
    head = MANIFEST.replace('"2.1.0"', '"3.0.0"')
    found = changes({"package.json": MANIFEST}, {"package.json": head})
    assert [(c.name, c.detail, c.breaking, c.line) for c in found] == [
        ("@acme/money", "version 2.1.0 → 3.0.0", True, 3)
    ]
    [finding] = impacts({"package.json": MANIFEST}, {"package.json": head}, {"acme/shop": CONSUMER, "acme/old": PINNED})
    assert finding.severity == "low"
    assert [(e.repository, e.line, e.pinned) for e in finding.evidence] == [
        ("acme/shop", 4, "^2.0.0"),
        ("acme/old", 3, "~1.4.2"),
    ]


def test_a_compatible_release_leaves_only_those_pinned_below_it() -> None:
    head = MANIFEST.replace('"2.1.0"', '"2.2.0"')
    [finding] = impacts({"package.json": MANIFEST}, {"package.json": head}, {"acme/shop": CONSUMER, "acme/old": PINNED})
    assert [e.repository for e in finding.evidence] == ["acme/old"]
