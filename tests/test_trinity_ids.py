"""Trinity `id` options: random v4s, scenario/test case carried in pattern ids, pinned table codes, per-test ids."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from fraiseql_uuid import Pattern

from fraiseql_data import SeedOptions, TrinityIdError, generate, load_schema
from fraiseql_data.cli import main
from fraiseql_data.pytest_plugin import trinity_test_case
from fraiseql_data.run import seed_dsn
from fraiseql_data.schema.ddl import parse_ddl
from fraiseql_data.solver.table import GenerateOptions
from fraiseql_data.values.identity import derived_codes, trinity_ids

EXAMPLE = Path(__file__).parents[1] / "examples" / "catalog" / "schema.sql"


def stored_ids(dsn: str, table: str) -> list[str]:
    with psycopg.connect(dsn) as conn:
        return [str(row[0]) for row in conn.execute(f"SELECT id FROM {table} ORDER BY 1")]


@pytest.mark.parametrize("mode", ["pattern", "random"])
def test_a_row_gets_the_same_id_in_whatever_block(mode: str) -> None:
    schema = load_schema(EXAMPLE)
    brand = schema.table("shop.tb_brand")
    options = GenerateOptions(seed=4, uuid=mode, scenario=3, test_case=9)  # type: ignore[arg-type]
    whole = trinity_ids(schema, brand, "id", 10, options=options)
    blocks = [trinity_ids(schema, brand, "id", n, options=options, start=start) for start, n in ((0, 4), (4, 6))]
    assert whole is not None and whole == [*blocks[0], *blocks[1]]  # type: ignore[misc]
    assert trinity_ids(schema, brand, "name", 10, options=options) is None


def test_pattern_ids_stop_where_twelve_digits_end() -> None:
    schema = load_schema(EXAMPLE)
    brand = schema.table("shop.tb_brand")
    last = trinity_ids(schema, brand, "id", 1, options=GenerateOptions(), start=10**12 - 2)
    assert last is not None and Pattern().decode(last[0])["instance"] == 10**12 - 1
    with pytest.raises(TrinityIdError, match="more rows than the 12 digits"):
        trinity_ids(schema, brand, "id", 2, options=GenerateOptions(), start=10**12 - 2)


def test_scenario_test_case_and_codes_decode_from_postgresql(make_db, catalog_sql: str) -> None:
    dsn = make_db(catalog_sql)
    options = SeedOptions(rows=15, seed=2, scenario=1234, test_case=56, table_codes={"catalog.tb_model": 12})
    report = seed_dsn(dsn, options)
    codes = derived_codes(report.schema)
    ids = {name: stored_ids(dsn, name) for name in codes if report.dataset.tables[name].n}
    for name, values in ids.items():
        decoded = [Pattern().decode(value) for value in values]
        code = 12 if name == "catalog.tb_model" else codes[name]
        assert {(int(d["table_code"]), d["scenario"], d["test_case"]) for d in decoded} == {(code, 1234, 56)}
        assert sorted(d["instance"] for d in decoded) == list(range(1, len(values) + 1))
    assert "catalog.tb_model" in ids


def test_random_ids_are_seeded_v4s(make_db) -> None:
    ddl = EXAMPLE.read_text()
    runs = []
    for seed in ("5", "5", "6"):
        dsn = make_db(ddl)
        result = CliRunner().invoke(main, ["seed", "--dsn", dsn, "--rows", "20", "--seed", seed, "--uuid", "random"])
        assert result.exit_code == 0, result.output
        runs.append(stored_ids(dsn, "shop.tb_brand") + stored_ids(dsn, "shop.tb_product"))
    first, again, other = runs
    assert len(set(first)) == 40 and all(uuid.UUID(value).version == 4 for value in first)
    assert first == again and set(first).isdisjoint(other)


def test_cli_scenario_and_test_case(make_db) -> None:
    dsn = make_db(EXAMPLE.read_text())
    result = CliRunner().invoke(main, ["seed", "--dsn", dsn, "--rows", "3", "--scenario", "9999", "--test-case", "99"])
    assert result.exit_code == 0, result.output
    decoded = [Pattern().decode(value) for value in stored_ids(dsn, "shop.tb_category")]
    assert {(d["scenario"], d["test_case"]) for d in decoded} == {(9999, 99)}


def test_bad_trinity_options_fail_before_generating() -> None:
    schema = load_schema(EXAMPLE)
    brand = derived_codes(schema)["shop.tb_brand"]
    taken = f"table code {brand} of shop.tb_product is also derived for shop.tb_brand"
    with pytest.raises(TrinityIdError, match=taken):
        generate(schema, SeedOptions(rows=1, table_codes={"tb_product": brand}))
    with pytest.raises(TrinityIdError, match="scenario 10000 is out of range"):
        generate(schema, SeedOptions(rows=1, scenario=10_000))
    with pytest.raises(TrinityIdError, match="test case -1 is out of range"):
        generate(schema, SeedOptions(rows=1, test_case=-1))
    plain = parse_ddl("CREATE TABLE plain (pk integer PRIMARY KEY, id uuid NOT NULL);")
    with pytest.raises(TrinityIdError, match=r"public\.plain has a table code but is not a Trinity table"):
        generate(plain, SeedOptions(rows=1, table_codes={"plain": 3}))


SUITE = '''
import json, os
from pathlib import Path
from fraiseql_data import seed_data


def dump(request, conn):
    ids = [str(r[0]) for r in conn.execute("SELECT id FROM shop.tb_brand UNION ALL SELECT id FROM shop.tb_product")]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    out = Path(os.environ["IDS_DIR"]) / f"{worker}-{request.node.name}.json"
    out.write_text(json.dumps({"nodeid": request.node.nodeid, "worker": worker, "ids": ids}))


@seed_data("shop.tb_product", count=4)
def test_marker(seeds, fraiseql_data_connection, request):
    dump(request, fraiseql_data_connection)


def test_builder(seed, request):
    seed.add("shop.tb_brand", 2)
    seed.execute()
    dump(request, seed.connection)
'''


def test_parallel_tests_make_distinct_ids_that_name_their_test(tmp_path: Path) -> None:
    (tmp_path / "test_ids.py").write_text(SUITE)
    out = tmp_path / "ids"
    out.mkdir()
    done = subprocess.run(  # --dist each: every test runs on both workers at once
        [sys.executable, "-m", "pytest", "-q", "-p", "fraiseql_data.pytest_plugin", "-p", "no:cacheprovider",
         "-n", "2", "--dist", "each", "--fraiseql-data-schema", str(EXAMPLE), "test_ids.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, env={**os.environ, "IDS_DIR": str(out)})
    assert done.returncode == 0, done.stdout + done.stderr
    runs = [json.loads(path.read_text()) for path in sorted(out.glob("*.json"))]
    assert sorted((run["worker"], run["nodeid"].split("::")[-1]) for run in runs) == [
        ("gw0", "test_builder"), ("gw0", "test_marker"), ("gw1", "test_builder"), ("gw1", "test_marker")]
    seen: dict[str, str] = {}
    for run in runs:
        assert run["ids"]
        for value in run["ids"]:
            decoded = Pattern().decode(value)
            assert decoded["scenario"] == int(run["worker"].removeprefix("gw"))
            assert decoded["test_case"] == trinity_test_case(run["nodeid"]) != 0
            assert seen.setdefault(value, run["worker"]) == run["worker"]  # the other worker never made it
    assert trinity_test_case("test_ids.py::test_marker") != trinity_test_case("test_ids.py::test_builder")
