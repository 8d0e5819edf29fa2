"""Tables and columns: migrations, entities and schemas on one side, queries on the other."""

from __future__ import annotations

from domain.impact import extract_facts
from domain.impact.sqlscan import ddl_operations, table_uses
from tests.domain.impact.builders import changes, impacts, summary

CONSUMER_QUERIES = {
    "src/report.ts": (
        "import { pool } from './db';\n"
        "export const load = (id: string) =>\n"
        "  pool.query(`SELECT o.id, o.total, c.email FROM orders o JOIN customers c ON c.id = o.customer_id "
        "WHERE o.id = ${id}`);\n"
        "export const all = () => pool.query('select * from invoices');\n"
    ),
    "scripts/export.py": 'ROWS = "SELECT legacy_code FROM orders"\n',
}


def test_migration_operations_read_from_sql() -> None:
    sql = """
    -- comments are not statements; DROP TABLE nothing;
    ALTER TABLE IF EXISTS public."Orders" DROP COLUMN IF EXISTS legacy_code, ADD COLUMN note text;
    ALTER TABLE orders RENAME COLUMN total TO amount;
    ALTER TABLE orders ALTER COLUMN amount TYPE numeric(12, 2);
    ALTER TABLE customers RENAME TO clients;
    DROP TABLE IF EXISTS invoices, credit_notes CASCADE;
    """
    ops = [(o.op, o.table, o.column, o.new_name) for o in ddl_operations(sql)]
    assert ops == [
        ("drop_column", "Orders", "legacy_code", ""),
        ("add_column", "Orders", "note", ""),
        ("rename_column", "orders", "total", "amount"),
        ("alter_column", "orders", "amount", ""),
        ("rename_table", "customers", "", "clients"),
        ("drop_table", "invoices", "", ""),
        ("drop_table", "credit_notes", "", ""),
    ]


def test_query_tables_and_columns_follow_aliases() -> None:
    uses = {
        u.table: (u.columns, u.access)
        for u in table_uses(
            "SELECT o.id, c.email FROM orders AS o JOIN customers c ON c.id = o.customer_id; "
            "INSERT INTO audit (who, what) VALUES ($1, $2)"
        )
    }
    assert uses == {
        "orders": (("customer_id", "id"), "read"),
        "customers": (("email", "id"), "read"),
        "audit": (("what", "who"), "write"),
    }


def test_a_new_migration_dropping_a_column_reaches_queries_naming_it() -> None:
    migration = "ALTER TABLE orders DROP COLUMN total;\n"
    [finding] = impacts({}, {"db/migrations/0042_drop_total.sql": migration}, {"acme/reports": CONSUMER_QUERIES})
    assert (finding.rule_id, finding.severity) == ("impact.column-removed", "high")
    assert [(e.path, e.line, e.what) for e in finding.evidence] == [("src/report.ts", 3, "reads `orders.total`")]


def test_select_star_is_an_uncertain_use_of_a_dropped_column() -> None:
    migration = "ALTER TABLE invoices DROP COLUMN pdf_url;\n"
    [finding] = impacts({}, {"migrations/2.sql": migration}, {"acme/reports": CONSUMER_QUERIES})
    assert finding.severity == "medium"
    assert "(reads every column of `invoices`)" in finding.message


def test_a_dropped_table_reaches_every_query_on_it_and_sql_outside_query_calls_when_shouted() -> None:
    [finding] = impacts({}, {"migrations/3.sql": "DROP TABLE orders;"}, {"acme/reports": CONSUMER_QUERIES})
    assert {(e.path, e.line) for e in finding.evidence} == {("src/report.ts", 3), ("scripts/export.py", 1)}


def test_statements_already_in_base_are_not_changes_again() -> None:
    base = "ALTER TABLE orders DROP COLUMN total;\n"
    head = base + "ALTER TABLE orders ADD COLUMN total_cents bigint;\n"
    assert summary(changes({"m/1.sql": base}, {"m/1.sql": head})) == {("column", "orders.total_cents", "added")}


def test_typeorm_migration_calls_and_sql_strings_count() -> None:
    migration = """
export class DropTotal1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('orders', 'total');
    await queryRunner.query(`ALTER TABLE orders RENAME COLUMN note TO notes`);
  }
}
"""
    found = changes({}, {"src/migrations/1700000000000-DropTotal.ts": migration})
    assert {(c.name, c.change, c.line, c.detail) for c in found} == {
        ("orders.total", "removed", 4, ""),
        ("orders.note", "removed", 5, "renamed to `notes`"),
    }


def test_alembic_operations() -> None:
    revision = 'def upgrade():\n    op.drop_column("orders", "total")\n    op.drop_table("legacy")\n'
    found = changes({}, {"alembic/versions/3f2a_drop.py": revision})
    assert summary(found) == {("column", "orders.total", "removed"), ("table", "legacy", "removed")}


ENTITY = """
@Entity('orders')
export class Order {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'total_cents' }) totalCents: number;
  @Column() note: string;
}
"""


def test_entity_columns_compare_between_base_and_head_and_merge_with_the_migration() -> None:
    head = ENTITY.replace("  @Column() note: string;\n", "")
    only_entity = changes({"src/order.entity.ts": ENTITY}, {"src/order.entity.ts": head})
    assert [(c.name, c.change, c.side) for c in only_entity] == [("orders.note", "removed", "base")]
    with_migration = changes(
        {"src/order.entity.ts": ENTITY},
        {"src/order.entity.ts": head, "migrations/9.sql": "ALTER TABLE orders DROP COLUMN note;"},
    )
    assert [(c.name, c.path, c.side) for c in with_migration] == [("orders.note", "migrations/9.sql", "head")]


def test_another_service_mapping_the_same_table_is_a_consumer_of_its_columns() -> None:
    consumer = {"src/order.ts": ENTITY}
    [finding] = impacts({}, {"m/1.sql": "ALTER TABLE orders DROP COLUMN total_cents;"}, {"acme/legacy": consumer})
    assert [(e.path, e.line, e.what) for e in finding.evidence] == [("src/order.ts", 5, "maps `orders.total_cents`")]


PRISMA = """
model Customer {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  orders    Order[]
  createdAt DateTime @default(now()) @map("created_at")
  @@map("customers")
}

model Order {
  id         Int      @id
  customer   Customer @relation(fields: [customerId], references: [id])
  customerId Int      @map("customer_id")
}
"""


def test_prisma_models_declare_mapped_tables_and_columns_without_relations() -> None:
    facts = extract_facts("acme/shop", "c", {"prisma/schema.prisma": PRISMA})
    entity = {(t.table, t.columns, t.line) for t in facts.tables}
    assert entity == {
        ("customers", (), 2),
        ("customers", ("id",), 3),
        ("customers", ("email",), 4),
        ("customers", ("created_at",), 6),
        ("Order", (), 10),
        ("Order", ("id",), 11),
        ("Order", ("customer_id",), 13),
    }


def test_sqlalchemy_models_declare_tables() -> None:
    model = (
        "class Order(Base):\n    __tablename__ = 'orders'\n    id = Column(Integer, primary_key=True)\n"
        "    total = Column('total_cents', Integer)\n"
    )
    found = changes(
        {"app/models.py": model}, {"app/models.py": model.replace("    total = Column('total_cents', Integer)\n", "")}
    )
    assert summary(found) == {("column", "orders.total_cents", "removed")}
