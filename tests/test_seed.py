"""End to end: generated rows go into a real PostgreSQL, which is the oracle."""

from __future__ import annotations

import io
import re
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from fraiseql_data.cli import main
from fraiseql_data.errors import (
    CapacityError,
    ConnectionFailedError,
    CycleError,
    DDLSyntaxError,
    SeedingError,
    UnknownTableError,
    UnsatisfiableError,
    UnsupportedError,
)
from fraiseql_data.generate import SeedOptions, generate
from fraiseql_data.plan.graph import build_plan
from fraiseql_data.run import load_ddl, seed_dsn
from fraiseql_data.schema.introspect import introspect
from fraiseql_data.sinks.copy import load
from fraiseql_data.sinks.files import write_sql

EXAMPLE = Path(__file__).parents[1] / "examples" / "catalog" / "schema.sql"


def counts(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn) as conn:
        tables = conn.execute(
            "SELECT schemaname, relname FROM pg_stat_user_tables ORDER BY 1, 2").fetchall()
        return {f"{s}.{t}": conn.execute(
            psycopg.sql.SQL("SELECT count(*) FROM {}").format(psycopg.sql.Identifier(s, t))).fetchone()[0]
            for s, t in tables}


def test_shared_catalog_is_seeded_and_accepted(make_db, catalog_sql: str) -> None:
    dsn = make_db(catalog_sql)
    report = seed_dsn(dsn, SeedOptions(rows=200, seed=3))
    seeded = counts(dsn)
    assert seeded["catalog.tb_model"] == 200
    assert seeded["catalog.tb_machine"] == 200
    assert seeded["catalog.tb_model_compatibility"] == 200
    assert all(n == report.dataset.tables[name].n for name, n in seeded.items())
    with psycopg.connect(dsn) as conn:  # sequences moved past the written identities
        conn.execute("INSERT INTO catalog.tb_manufacturer (id, identifier, name, country_code) "
                     "VALUES (gen_random_uuid(), 'x-new', 'New Co', 'DE')")
        # the deferred organization -> user cycle got real owners
        owners = conn.execute("SELECT count(fk_owner) FROM catalog.tb_organization").fetchone()[0]
        assert owners > 0


def test_example_catalog_and_determinism(make_db) -> None:
    ddl = EXAMPLE.read_text()
    first, second = make_db(ddl), make_db(ddl)
    outputs = []
    for dsn in (first, second):
        with psycopg.connect(dsn) as conn:
            dataset = generate(introspect(conn), SeedOptions(rows=300, seed=11))
        buffer = io.StringIO()
        write_sql(dataset, buffer)
        outputs.append(buffer.getvalue())
    assert outputs[0] == outputs[1]
    other_seed = make_db(ddl)
    report = seed_dsn(other_seed, SeedOptions(rows=300, seed=12))
    assert report.dataset.tables["shop.tb_product"].n == 300
    buffer = io.StringIO()
    write_sql(report.dataset, buffer)
    assert buffer.getvalue() != outputs[0]


def run_script(dsn: str, dataset: object, path: Path) -> None:
    """Write the dataset as a SQL script and load it with psql, stopping at the first error."""
    import subprocess

    from fraiseql_data.server import find_bindir

    with path.open("w") as handle:
        write_sql(dataset, handle)  # type: ignore[arg-type]
    psql = str(Path(find_bindir()) / "psql")
    subprocess.run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-f", str(path)], check=True)


def test_sql_output_loads_with_psql(make_db, tmp_path: Path) -> None:
    dsn = make_db(EXAMPLE.read_text())
    with psycopg.connect(dsn) as conn:
        dataset = generate(introspect(conn), SeedOptions(rows=50, seed=5))
    run_script(dsn, dataset, tmp_path / "seed.sql")
    assert counts(dsn)["shop.tb_price"] == 50


def test_capacity_is_filled_and_reported(make_db) -> None:
    dsn = make_db("CREATE TABLE seats (n smallint PRIMARY KEY CHECK (n BETWEEN 1 AND 50));"
                  "CREATE TABLE tags (t text UNIQUE NOT NULL CHECK (t IN ('a', 'b', 'c')));")
    report = seed_dsn(dsn, SeedOptions(rows=60, seed=1))
    assert counts(dsn) == {"public.seats": 50, "public.tags": 3}
    assert any("public.seats: 50 of 60" in note for note in report.dataset.notes)
    with pytest.raises(CapacityError, match="allows 50"):
        seed_dsn(dsn, SeedOptions(rows=10, seed=1, rows_for={"public.seats": 60}))
    with pytest.raises(CapacityError):
        seed_dsn(dsn, SeedOptions(rows=60, seed=1, strict=True))
    assert counts(dsn) == {"public.seats": 50, "public.tags": 3}  # nothing more was written


def test_unsatisfiable_check_names_the_constraint(make_db) -> None:
    dsn = make_db("CREATE TABLE t (x int NOT NULL CONSTRAINT x_window CHECK (x > 5 AND x < 3), y int);"
                  "CREATE TABLE u (a int NOT NULL CHECK (a > 10), b int NOT NULL, CONSTRAINT a_below_b CHECK (a < b),"
                  " CONSTRAINT b_small CHECK (b < 5), c int CHECK (c > 0));"
                  "CREATE TABLE v (x int CHECK (x > 5 AND x < 3));")  # nullable: NULL passes the CHECK
    with pytest.raises(UnsatisfiableError) as caught:
        seed_dsn(dsn, SeedOptions(rows=5))
    assert caught.value.table == "public.t"
    assert [c.name for c in caught.value.constraints] == ["x_window"]
    with psycopg.connect(dsn) as conn:
        schema = introspect(conn)
    with pytest.raises(UnsatisfiableError) as caught:
        generate(schema, SeedOptions(rows=5, rows_for={"public.t": 0}))
    assert sorted(c.name for c in caught.value.constraints) == ["a_below_b", "b_small", "u_a_check"]
    assert counts(dsn) == {"public.t": 0, "public.u": 0, "public.v": 0}
    report = seed_dsn(dsn, SeedOptions(rows=4, rows_for={"public.t": 0, "public.u": 0}))
    assert report.dataset.tables["public.v"].text["x"] == [None] * 4  # three-valued logic: NULL is not FALSE


def test_unknown_table_and_cycle_errors(make_db) -> None:
    dsn = make_db("CREATE TABLE a (id int PRIMARY KEY, b_id int NOT NULL);"
                  "CREATE TABLE b (id int PRIMARY KEY, a_id int NOT NULL REFERENCES a);"
                  "ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b;")
    with pytest.raises(UnknownTableError, match=r"public\.nope"):
        seed_dsn(dsn, SeedOptions(rows=3, rows_for={"public.nope": 3}))
    with psycopg.connect(dsn) as conn:
        schema = introspect(conn)
    with pytest.raises(CycleError, match="a_b_id_fkey"):  # no COPY order can fill it...
        build_plan(schema)
    report = seed_dsn(dsn, SeedOptions(rows=30))  # ...but one INSERT statement can
    assert [e.how for e in report.dataset.broken] == ["statement"]
    assert counts(dsn) == {"public.a": 30, "public.b": 30}


def test_cycle_in_one_statement_through_sql_output(make_db, tmp_path: Path) -> None:
    ddl = ("CREATE TABLE a (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, b_id int NOT NULL);"
           "CREATE TABLE b (id int PRIMARY KEY, a_id int NOT NULL REFERENCES a);"
           "ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b;")
    dsn = make_db(ddl)
    with psycopg.connect(dsn) as conn:
        dataset = generate(introspect(conn), SeedOptions(rows=25, seed=3))
    run_script(dsn, dataset, tmp_path / "cycle.sql")
    assert counts(dsn) == {"public.a": 25, "public.b": 25}


def test_bad_dsn_and_ddl_syntax_error(make_db) -> None:
    with pytest.raises(ConnectionFailedError, match="pg_isready"):
        seed_dsn("host=127.0.0.1 port=9 dbname=x connect_timeout=2", SeedOptions())
    dsn = make_db("SELECT 1;")
    with psycopg.connect(dsn) as conn, pytest.raises(DDLSyntaxError) as caught:
        load_ddl(conn, "CREATE TABLE ok (a int);\n\nCREAT TABLE broken (a int);")
    assert caught.value.line == 3


def test_cli_seed_file_writes_json(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "rows.json"
    result = runner.invoke(main, ["seed", str(EXAMPLE), "--rows", "20", "--format", "json", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "shop.tb_price" in result.output
    import json

    rows = json.loads(out.read_text())
    assert len(rows["shop.tb_product"]) == 20


def test_cli_errors_are_one_line(make_db) -> None:
    dsn = make_db("CREATE TABLE t (x int NOT NULL CHECK (x > 5 AND x < 3));")
    result = CliRunner().invoke(main, ["seed", "--dsn", dsn, "--rows", "3"])
    assert result.exit_code == 1
    assert "error: table public.t" in result.output
    assert "Traceback" not in result.output


def test_opaque_checks_are_judged_by_postgres(make_db) -> None:
    dsn = make_db("CREATE FUNCTION is_even(n integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT n % 2 = 0 $$;"
                  "CREATE TABLE t (n integer NOT NULL CONSTRAINT even CHECK (is_even(n)),"
                  " a text NOT NULL, b text NOT NULL, CONSTRAINT differ CHECK (a <> b));")
    with psycopg.connect(dsn) as conn:
        schema = introspect(conn)
    with pytest.raises(UnsupportedError, match="opaque"):  # offline, nobody can judge it
        generate(schema, SeedOptions(rows=5))
    report = seed_dsn(dsn, SeedOptions(rows=300, seed=4))
    assert report.dataset.tables["public.t"].n == 300
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT count(*) FROM t WHERE n % 2 = 0 AND a <> b").fetchone()[0] == 300


def test_copy_escapes_awkward_text(make_db) -> None:
    dsn = make_db("CREATE TABLE t (id int PRIMARY KEY, a text, b text);")
    awkward = ["tab\there", "new\nline", "back\\slash", "cr\rret", "\\N", "", None, "plain"]
    with psycopg.connect(dsn) as conn:
        dataset = generate(introspect(conn), SeedOptions(rows=len(awkward), seed=1))
        data = dataset.tables["public.t"]
        data.text["a"] = list(awkward)
        data.text["b"] = [None] * len(awkward)
        load(conn, dataset)
        conn.commit()
        found = conn.execute("SELECT a, b FROM t ORDER BY id").fetchall()
    by_id = dict(zip(data.text["id"], awkward, strict=True))
    assert [row[0] for row in found] == [by_id[i] for i in sorted(by_id, key=int)]
    assert all(row[1] is None for row in found)


def test_unique_pattern_column_is_filled_to_its_language(make_db) -> None:
    dsn = make_db("CREATE TABLE t (c text NOT NULL UNIQUE CHECK (c ~ '^[ab][0-9]$'));")
    report = seed_dsn(dsn, SeedOptions(rows=25, seed=1))
    assert counts(dsn) == {"public.t": 20}  # 2 letters x 10 digits
    assert report.dataset.notes == ["public.t: 20 of 25 rows — limited by UNIQUE (c) with CHECK t_c_check"]
    with pytest.raises(CapacityError, match="allows 20 distinct rows"):
        seed_dsn(dsn, SeedOptions(rows=25, seed=1, strict=True))


def test_cli_rejects_a_bad_clock() -> None:
    result = CliRunner().invoke(main, ["seed", str(EXAMPLE), "--as-of", "yesterday"])
    assert result.exit_code == 2
    assert "not an ISO date" in result.output


CONSTRAINTS = ("SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
               "WHERE n.nspname = 'catalog'")


def test_rebuild_load_checks_everything_at_the_end(make_db, catalog_sql: str) -> None:
    dsn = make_db(catalog_sql)
    with psycopg.connect(dsn) as conn:
        before = conn.execute(CONSTRAINTS).fetchone()
        dataset = generate(introspect(conn), SeedOptions(rows=150, seed=8))
        load(conn, dataset, rebuild=True)
        conn.commit()
        assert conn.execute(CONSTRAINTS).fetchone() == before  # every constraint is back
    assert counts(dsn)["catalog.tb_contract"] == 150
    fresh = make_db(catalog_sql)
    with psycopg.connect(fresh) as conn:  # a bad row still fails the run, and nothing is written
        dataset = generate(introspect(conn), SeedOptions(rows=20, seed=8))
        users = dataset.tables["catalog.tb_user"]
        users.text["email"][1] = users.text["email"][0]
        with pytest.raises(SeedingError, match="tb_user_email_key"):
            load(conn, dataset, rebuild=True)
        conn.rollback()
        assert conn.execute(CONSTRAINTS).fetchone() == before
    assert set(counts(fresh).values()) == {0}


def test_cli_overrides_values_and_names_the_constraint_they_break(make_db) -> None:
    dsn = make_db(EXAMPLE.read_text())
    runner = CliRunner()
    result = runner.invoke(main, ["seed", "--dsn", dsn, "--rows", "30", "--set", "shop.tb_brand.name=faker:company",
                                  "--set", "shop.tb_price.currency=[EUR,GBP]",
                                  "--set", "shop.tb_product.sku=pattern:XYZ-{d:5}"])
    assert result.exit_code == 0, result.output
    with psycopg.connect(dsn) as conn:
        currencies = {r[0] for r in conn.execute("SELECT DISTINCT currency FROM shop.tb_price").fetchall()}
        skus = [r[0] for r in conn.execute("SELECT sku FROM shop.tb_product").fetchall()]
    assert currencies == {"EUR", "GBP"}
    assert all(re.fullmatch(r"[A-Z]{3}-[0-9]{5}", s) for s in skus)
    fresh = make_db(EXAMPLE.read_text())
    result = runner.invoke(main, ["seed", "--dsn", fresh, "--rows", "30", "--set", "shop.tb_price.discount_pct=95"])
    assert result.exit_code == 1
    assert "tb_price_discount_pct_check" in result.output and "--set discount_pct=95" in result.output
    assert set(counts(fresh).values()) == {0}
