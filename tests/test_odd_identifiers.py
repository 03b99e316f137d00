"""Quoted, mixed-case, reserved-word, spaced and unicode names, end to end.

The same schema goes in three ways: seeded from the live database (seed_dsn),
generated from the DDL file reader and COPYed, and written by the CLI as a SQL
script (from the DDL file) that psql loads. PostgreSQL must accept every row,
and joins over the quoted names must find every parent.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import psycopg
from click.testing import CliRunner
from psycopg import sql

from fraiseql_data.cli import main
from fraiseql_data.generate import SeedOptions, generate
from fraiseql_data.run import seed_dsn
from fraiseql_data.schema.ddl import parse_ddl
from fraiseql_data.schema.introspect import introspect
from fraiseql_data.server import find_bindir
from fraiseql_data.sinks.copy import load

ODD = """
CREATE SCHEMA "select";
CREATE TYPE "select"."Mood ☺" AS ENUM ('happy', 'so-so', 'it''s bad');
CREATE TABLE "select"."user" (
    "ID" int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "we""ird" text NOT NULL,
    "a.b" varchar(20),
    "Mood" "select"."Mood ☺" NOT NULL,
    "group" int,
    CONSTRAINT "UQ we""ird+a.b" UNIQUE ("we""ird", "a.b"),
    CONSTRAINT "Check: 'quotes'" CHECK ("a.b" IS NULL OR "a.b" LIKE 'x%')
);
CREATE UNIQUE INDEX "lower idx" ON "select"."user" (lower("we""ird"));
CREATE TABLE "select"."Group" (
    "Group ID" serial PRIMARY KEY,
    "Owner" int NOT NULL REFERENCES "select"."user" ("ID"),
    "Parent Group" int REFERENCES "select"."Group" ("Group ID"),
    "café" text CHECK ("café" IN ('crème', 'brûlée', 'naïve'))
);
ALTER TABLE "select"."user" ADD CONSTRAINT "user → Group (deferred)" FOREIGN KEY ("group")
    REFERENCES "select"."Group" ("Group ID") DEFERRABLE INITIALLY DEFERRED;
CREATE TABLE "order" (
    "Order Id" bigserial PRIMARY KEY,
    "user" int NOT NULL,
    "数据" integer NOT NULL,
    "from" date,
    "to" date,
    "Amount €" numeric(10,2) CHECK ("Amount €" >= 0),
    "Back" int,
    CONSTRAINT "order → user" FOREIGN KEY ("user") REFERENCES "select"."user" ("ID"),
    CONSTRAINT "range check" CHECK ("from" <= "to" AND "数据" BETWEEN 1 AND 500),
    CONSTRAINT "Unique Pair" UNIQUE ("user", "数据")
);
CREATE TABLE "数据表" (
    "键" int PRIMARY KEY CHECK ("键" > 0),
    "名字" text UNIQUE CHECK (length("名字") BETWEEN 3 AND 12),
    "Order" bigint NOT NULL REFERENCES "order" ("Order Id"),
    "parent" int REFERENCES "数据表" ("键")
);
ALTER TABLE "order" ADD CONSTRAINT "order ↔ 数据表" FOREIGN KEY ("Back") REFERENCES "数据表" ("键");
CREATE SCHEMA "Mixed Case";
CREATE TABLE "Mixed Case"."Order" ("Order №" int PRIMARY KEY, "User" int NOT NULL, "x y" text NOT NULL);
CREATE TABLE "Mixed Case"."User" ("ID" int PRIMARY KEY, "Order" int NOT NULL REFERENCES "Mixed Case"."Order");
ALTER TABLE "Mixed Case"."Order" ADD CONSTRAINT "Order→User" FOREIGN KEY ("User") REFERENCES "Mixed Case"."User";
"""
TABLES = (("select", "user"), ("select", "Group"), ("public", "order"), ("public", "数据表"),
          ("Mixed Case", "Order"), ("Mixed Case", "User"))
# (child schema, child, column, parent schema, parent, referenced column)
KEYS = (("select", "Group", "Owner", "select", "user", "ID"),
        ("select", "Group", "Parent Group", "select", "Group", "Group ID"),
        ("select", "user", "group", "select", "Group", "Group ID"),
        ("public", "order", "user", "select", "user", "ID"),
        ("public", "order", "Back", "public", "数据表", "键"),
        ("public", "数据表", "Order", "public", "order", "Order Id"),
        ("public", "数据表", "parent", "public", "数据表", "键"),
        ("Mixed Case", "Order", "User", "Mixed Case", "User", "ID"),
        ("Mixed Case", "User", "Order", "Mixed Case", "Order", "Order №"))


def check_loaded(dsn: str, rows: int) -> None:
    """Every table full, every foreign key joined to its parent, the CHECKs and the pair key held."""
    with psycopg.connect(dsn) as conn:
        for schema, table in TABLES:
            count = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, table))).fetchone()
            assert count == (rows,), (schema, table)
        for schema, child, column, parent_schema, parent, ref in KEYS:
            orphans, linked = conn.execute(sql.SQL(
                "SELECT count(*) FILTER (WHERE c.{col} IS NOT NULL AND p.{ref} IS NULL), count(p.{ref}) "
                "FROM {child} c LEFT JOIN {parent} p ON p.{ref} = c.{col}").format(
                col=sql.Identifier(column), ref=sql.Identifier(ref), child=sql.Identifier(schema, child),
                parent=sql.Identifier(parent_schema, parent))).fetchone()  # type: ignore[misc]
            assert orphans == 0 and linked > 0, (child, column)
        assert conn.execute('SELECT count(*) FROM "order" WHERE "from" > "to" OR "数据" NOT BETWEEN 1 AND 500'
                            ).fetchone() == (0,)
        assert conn.execute('SELECT count(DISTINCT ("user", "数据")) FROM "order"').fetchone() == (rows,)
        assert conn.execute('SELECT count(DISTINCT lower("we""ird")) FROM "select"."user"').fetchone() == (rows,)
        assert conn.execute('SELECT count(*) FROM "select"."user" WHERE "a.b" NOT LIKE \'x%\'').fetchone() == (0,)


def test_readers_see_the_same_odd_names(make_db) -> None:
    dsn = make_db(ODD)
    with psycopg.connect(dsn) as conn:
        live = introspect(conn)
    offline = parse_ddl(ODD)
    names = [(t.qualified, [c.name for c in t.columns], sorted(fk.name for fk in t.foreign_keys),
              sorted(k.name for k in t.keys), sorted(c.name for c in t.checks)) for t in live.tables]
    assert names == [(t.qualified, [c.name for c in t.columns], sorted(fk.name for fk in t.foreign_keys),
                      sorted(k.name for k in t.keys), sorted(c.name for c in t.checks)) for t in offline.tables]
    assert "select.user" in live.table_map and 'we"ird' in live.table("select.user").column_map


def test_odd_names_seeded_from_the_live_database(make_db) -> None:
    dsn = make_db(ODD)
    report = seed_dsn(dsn, SeedOptions(rows=40, seed=2, children={'select.Group.Owner': "zipf(1.5)"},
                                       trees={"数据表.parent": "depth:3,fanout:4"}))
    assert {e.how for e in report.dataset.broken} == {"deferred", "update", "statement"}
    check_loaded(dsn, 40)


def test_odd_names_from_the_ddl_reader_through_copy(make_db) -> None:
    dsn = make_db(ODD)
    dataset = generate(parse_ddl(ODD), SeedOptions(rows=30, seed=5))
    with psycopg.connect(dsn) as conn:
        load(conn, dataset)
        conn.commit()
    check_loaded(dsn, 30)


def test_odd_names_through_the_cli_sql_output(make_db, tmp_path: Path) -> None:
    schema_file, output = tmp_path / "odd.sql", tmp_path / "rows.sql"
    schema_file.write_text(ODD, encoding="utf-8")
    result = CliRunner().invoke(main, ["seed", str(schema_file), "--rows", "25", "--seed", "9", "--format", "sql",
                                       "--output", str(output), "--children", "order.user=exact(1)",
                                       "--tree", "select.Group.Parent Group=depth:2"])
    assert result.exit_code == 0, result.output
    dsn = make_db(ODD)
    subprocess.run([str(Path(find_bindir()) / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn,
                    "-f", str(output)], check=True)
    check_loaded(dsn, 25)
