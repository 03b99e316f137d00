"""Constraint coverage: every constraint probed against a real PostgreSQL, nothing left behind."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from psycopg import sql

from fraiseql_data.cli import main
from fraiseql_data.constraints.compile import compile_table
from fraiseql_data.coverage import CoverageResult, Finding, run_coverage, worse
from fraiseql_data.coverage.falsify import FOUND, IMPLIED, TAUTOLOGY, falsify
from fraiseql_data.coverage.report import as_junit
from fraiseql_data.schema.model import Check, Column, Schema, Table, TypeRef

CLOCK = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


# ── without a database ───────────────────────────────────────────────────────
def test_falsify_names_tautologies_implications_and_boundary_rows() -> None:
    table = Table("s", "t", (Column("a", TypeRef("integer")), Column("b", TypeRef("integer"))), checks=(
        Check("a_range", "a > 0 AND a <= 200", ("a",)),
        Check("a_weak", "a > -5", ("a",)),
        Check("b_always", "b > 0 OR b <= 0", ("b",)),
    ))
    compiled = compile_table(table, Schema((table,)), CLOCK)
    by_name = {c.name: c for c in compiled.checks}
    implied = falsify(compiled, by_name["a_weak"])
    assert (implied.verdict, implied.by) == (IMPLIED, ("a_range",))
    assert falsify(compiled, by_name["b_always"]).verdict == TAUTOLOGY
    found = falsify(compiled, by_name["a_range"])
    assert found.verdict == FOUND
    values = {row["a"] for row in found.rows}
    assert {"0", "201"} <= values  # just outside both ends: what a weakened CHECK would let through


def finding(enforced: bool | None, constraint: str = "c") -> Finding:
    return Finding("s.t", constraint, "check", "exact", True, enforced, "")


def test_baseline_fails_only_on_what_got_worse() -> None:
    baseline = [finding(False, "legacy"), finding(True, "kept")]
    assert worse([finding(False, "legacy"), finding(True, "kept")], baseline) == []
    assert worse([finding(False, "legacy"), finding(False, "kept")], baseline) == [finding(False, "kept")]
    assert worse([finding(False, "new")], baseline) == [finding(False, "new")]
    assert worse([finding(None, "kept")], baseline) == []  # "could not tell" is never a regression


def test_junit_is_valid_xml_with_a_failure_per_broken_constraint() -> None:
    result = CoverageResult([finding(True, "ok"), finding(False, "gone <&>"), finding(None, "opaque")], 1.0)
    root = ET.fromstring(as_junit(result))
    suite = root.find("testsuite")
    assert suite is not None and suite.get("tests") == "3" and suite.get("failures") == "1"
    cases = suite.findall("testcase")
    assert [c.find("failure") is not None for c in cases] == [False, True, False]
    assert cases[2].find("skipped") is not None


# ── against PostgreSQL ───────────────────────────────────────────────────────
def row_counts(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn) as conn:
        tables = conn.execute("SELECT schemaname, tablename FROM pg_tables WHERE schemaname = 'catalog'").fetchall()
        return {name: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(
            sql.Identifier(schema, name))).fetchone()[0] for schema, name in tables}  # type: ignore[index]


def coverage_against(truth_dsn: str, live_dsn: str) -> CoverageResult:
    with psycopg.connect(truth_dsn) as truth, psycopg.connect(live_dsn) as live:
        return run_coverage(truth, live)


def by_constraint(result: CoverageResult) -> dict[str, Finding]:
    return {f.constraint: f for f in result.findings}


def test_intact_catalog_is_fully_enforced_and_left_empty(make_db, catalog_sql: str) -> None:
    dsn = make_db(catalog_sql)
    result = CliRunner().invoke(main, ["coverage", "--dsn", dsn, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    kinds = {f["kind"] for f in report["constraints"]}
    assert kinds == {"check", "domain_check", "not_null", "primary_key", "unique", "foreign_key"}
    assert [f for f in report["constraints"] if f["enforced"] is not True or f["satisfiable"] is not True] == []
    assert set(report["constraints"][0]) == {"table", "constraint", "kind", "classification", "satisfiable",
                                             "enforced", "detail"}
    assert report["summary"]["failed"] == 0
    assert set(row_counts(dsn).values()) == {0}


@pytest.mark.parametrize("change", [
    "ALTER TABLE catalog.tb_model DROP CONSTRAINT model_paper_weight_range",
    # weaker: 201..1000 now pass; only a probe just past the true bound can tell
    "ALTER TABLE catalog.tb_model DROP CONSTRAINT tb_model_pages_per_minute_check, ADD CONSTRAINT "
    "tb_model_pages_per_minute_check CHECK (pages_per_minute > 0 AND pages_per_minute <= 1000)",
])
def test_a_missing_or_weaker_check_is_not_enforced(make_db, catalog_sql: str, change: str) -> None:
    truth, live = make_db(catalog_sql), make_db(catalog_sql)
    with psycopg.connect(live, autocommit=True) as conn:
        conn.execute(change)
    result = coverage_against(truth, live)
    name = change.split("DROP CONSTRAINT ")[1].split(",")[0]
    assert by_constraint(result)[name].enforced is False
    assert [f.constraint for f in result.failed] == [name]
    assert set(row_counts(live).values()) == {0}


def test_missing_unique_not_null_and_foreign_key_are_caught(make_db, catalog_sql: str) -> None:
    truth, live = make_db(catalog_sql), make_db(catalog_sql)
    with psycopg.connect(live, autocommit=True) as conn:
        conn.execute("ALTER TABLE catalog.tb_model DROP CONSTRAINT model_name_per_manufacturer")
        conn.execute("ALTER TABLE catalog.tb_user ALTER COLUMN last_name DROP NOT NULL")
        conn.execute("ALTER TABLE catalog.tb_price DROP CONSTRAINT tb_price_fk_model_fkey")
    failed = {f.constraint: f.kind for f in coverage_against(truth, live).failed}
    assert failed == {"model_name_per_manufacturer": "unique", "tb_user_last_name_not_null": "not_null",
                      "tb_price_fk_model_fkey": "foreign_key"}


def test_cli_file_against_live_with_baseline_and_junit(make_db, catalog_sql: str, tmp_path: Path) -> None:
    schema = tmp_path / "schema.sql"
    schema.write_text(catalog_sql)
    live = make_db(catalog_sql)
    with psycopg.connect(live, autocommit=True) as conn:
        conn.execute("ALTER TABLE catalog.tb_model DROP CONSTRAINT model_paper_weight_range")
    runner = CliRunner()
    first = runner.invoke(main, ["coverage", str(schema), "--dsn", live, "--format", "json",
                                 "--output", str(tmp_path / "baseline.json")])
    assert first.exit_code == 1
    report = json.loads((tmp_path / "baseline.json").read_text())
    dropped = [f for f in report["constraints"] if f["constraint"] == "model_paper_weight_range"]
    assert [f["enforced"] for f in dropped] == [False]
    accepted = runner.invoke(main, ["coverage", str(schema), "--dsn", live, "--format", "junit",
                                    "--baseline", str(tmp_path / "baseline.json")])
    assert accepted.exit_code == 0, accepted.output  # the known gap is in the baseline: nothing got worse
    suite = ET.fromstring(accepted.stdout).find("testsuite")
    assert suite is not None and suite.get("failures") == "1"
    with psycopg.connect(live, autocommit=True) as conn:
        conn.execute("ALTER TABLE catalog.tb_contract DROP CONSTRAINT contract_period")
    worse_now = runner.invoke(main, ["coverage", str(schema), "--dsn", live, "--baseline",
                                     str(tmp_path / "baseline.json")])
    assert worse_now.exit_code == 1
    assert "contract_period" in worse_now.output
