"""The test-writer fronts: SeedBuilder/Seeds, the pytest plugin and the Hypothesis strategies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from hypothesis import find, given, settings

from fraiseql_data import SeedBuilder, Seeds, load_schema
from fraiseql_data.api import OverrideError
from fraiseql_data.errors import UnsatisfiableError
from fraiseql_data.hypothesis import datasets, rows

pytest_plugins = ["pytester"]
ROOT = Path(__file__).parents[1]
CATALOG = ROOT.parent / "shared" / "schemas" / "catalog.sql"


@pytest.fixture(scope="module")
def schema():
    return load_schema(CATALOG)


def test_builder_adds_parents_and_applies_overrides(schema) -> None:
    builder = SeedBuilder(schema=schema, seed=3)
    makers = builder.add("catalog.tb_manufacturer", 2, name=["Acme", "Globex"])
    builder.add("tb_model", 5, fk_manufacturer=makers[1], color=True, pages_per_minute=lambda row: 10)
    builder.add("tb_contract", 2)
    seeds = builder.build()
    assert seeds.counts()["catalog.tb_machine"] == 2  # added: every contract needs its own machine
    assert [m.name for m in seeds.tb_manufacturer] == ["Acme", "Globex"]
    assert {m.fk_manufacturer for m in seeds.tb_model} == {seeds.tb_manufacturer[1].pk_manufacturer}
    assert {(m.color, m.pages_per_minute) for m in seeds.tb_model} == {(True, 10)}
    contract = seeds["catalog.tb_contract"][0]
    assert contract.fk_machine in seeds.tb_machine.column("pk_machine")


def test_overridden_keys_carry_their_children(schema) -> None:
    builder = SeedBuilder(schema=schema)
    builder.add("tb_manufacturer", 2, pk_manufacturer=[100, 200])
    builder.add("tb_model", 6)
    assert set(builder.build().tb_model.column("fk_manufacturer")) <= {100, 200}


def test_batch_and_when(schema) -> None:
    builder = SeedBuilder(schema=schema)
    with builder.batch() as b:
        b.add("tb_manufacturer", 1)
        b.when(False).add("tb_model", 3)
        b.when(lambda: True).add("tb_price", 2, currency="CHF")
    with pytest.raises(RuntimeError), builder.batch() as b:  # a failed block adds nothing
        b.add("tb_user", 4)
        raise RuntimeError
    counts = builder.build().counts()
    assert "catalog.tb_user" not in counts
    assert counts["catalog.tb_price"] == 2 and counts["catalog.tb_model"] >= 1


def test_overrides_breaking_constraints_fail_before_writing(schema) -> None:
    builder = SeedBuilder(schema=schema)
    builder.add("tb_model", 2, min_paper_weight_gsm=400, max_paper_weight_gsm=300)
    with pytest.raises(UnsatisfiableError, match=r"model_paper_weight_range.*your override"):
        builder.build()
    builder = SeedBuilder(schema=schema)
    builder.add("tb_model", 2, identifier="same")
    with pytest.raises(UnsatisfiableError, match="tb_model_identifier_key"):
        builder.build()
    builder = SeedBuilder(schema=schema)
    builder.add("tb_model", 1, colour=True)
    with pytest.raises(OverrideError, match="colour: not a column"):
        builder.build()


def test_json_and_csv_round_trip(schema, tmp_path: Path) -> None:
    builder = SeedBuilder(schema=schema, seed=5)
    builder.add("tb_user", 3)
    seeds = builder.build()
    again = Seeds.from_json(seeds.to_json(), schema)
    assert again.as_dict() == seeds.as_dict()
    seeds.to_csv(tmp_path)
    assert Seeds.from_csv(tmp_path, schema).as_dict() == seeds.as_dict()
    hand_written = Seeds.from_rows({"tb_manufacturer": [{"pk_manufacturer": 7, "name": "Hand"}]}, schema)
    assert hand_written.tb_manufacturer[0].pk_manufacturer == 7


def test_execute_in_the_callers_transaction(make_db, catalog_sql: str) -> None:
    dsn = make_db(catalog_sql)
    with psycopg.connect(dsn) as conn:
        builder = SeedBuilder(conn)
        builder.add("catalog.tb_model", 4)
        first = builder.execute()
        builder.add("catalog.tb_model", 2)  # a second execute continues the keys
        second = builder.execute()
        assert conn.execute("SELECT count(*) FROM catalog.tb_model").fetchone() == (6,)
        assert {m.pk_model for m in second.tb_model}.isdisjoint(m.pk_model for m in first.tb_model)
        conn.rollback()
        assert conn.execute("SELECT count(*) FROM catalog.tb_model").fetchone() == (0,)
        builder = SeedBuilder(conn)
        builder.add("catalog.tb_model", 1, fk_manufacturer=999)
        with pytest.raises(UnsatisfiableError, match="tb_model_fk_manufacturer_fkey"):
            builder.execute()
        conn.rollback()
        seeds = Seeds.from_json(first.to_json(), load_schema(conn))
        seeds.insert(conn)
        assert conn.execute("SELECT count(*) FROM catalog.tb_model").fetchone() == (4,)


def test_rows_strategy_satisfies_the_table(make_db, catalog_sql: str, schema) -> None:
    dsn = make_db(catalog_sql)
    with psycopg.connect(dsn) as conn:

        @settings(max_examples=25, deadline=None)
        @given(rows(schema, "catalog.tb_manufacturer", founded_year=1999))
        def accepted(row: dict) -> None:
            assert row["founded_year"] == 1999
            columns = [c for c in row if c != "pk_manufacturer"]
            with conn.transaction(force_rollback=True):
                conn.execute(psycopg.sql.SQL("INSERT INTO catalog.tb_manufacturer ({}) VALUES ({})").format(
                    psycopg.sql.SQL(", ").join(map(psycopg.sql.Identifier, columns)),
                    psycopg.sql.SQL(", ").join(psycopg.sql.Placeholder() * len(columns))),
                    [row[c] for c in columns])

        accepted()


def test_datasets_shrink_to_the_smallest_counterexample(schema) -> None:
    smallest = find(datasets(schema, ["catalog.tb_manufacturer"], max_rows=5),
                    lambda data: len(data.tb_manufacturer) >= 2, settings=settings(database=None, max_examples=30))
    assert len(smallest.tb_manufacturer) == 2  # shrunk: the fewest rows, and seed 0


def test_plugin_names_the_fix_without_a_schema(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_it(seeds):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "fraiseql_data.pytest_plugin")
    result.stdout.fnmatch_lines(["*no schema: pass --fraiseql-data-schema*"])


def test_example_suite_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "fraiseql_data.pytest_plugin", "examples/pytest_suite",
         "--fraiseql-data-schema", "examples/catalog/schema.sql", "-p", "no:cacheprovider"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
