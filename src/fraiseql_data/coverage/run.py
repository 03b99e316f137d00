"""A coverage run: every constraint of the source of truth, probed against the live database.

The truth (a DDL file on the embedded server, or the live database itself)
says which constraints must exist; the live database is what gets probed. All
writes happen inside one savepoint that is rolled back: a run leaves no rows.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import psycopg
from psycopg import sql

from fraiseql_data.constraints.compile import CompiledCheck, CompiledTable, compile_table
from fraiseql_data.constraints.encoding import Kind, resolve_domain
from fraiseql_data.coverage import falsify as fz
from fraiseql_data.coverage.finding import Finding, summarize
from fraiseql_data.coverage.probe import (
    Existing,
    Verdict,
    fetch,
    probe_check,
    probe_domain_check,
    probe_foreign_key,
    probe_not_null,
    probe_unique,
    relation,
)
from fraiseql_data.coverage.witness import Row, Witness, load_witness
from fraiseql_data.errors import UnsatisfiableError
from fraiseql_data.schema.introspect import introspect
from fraiseql_data.schema.model import Column, Domain, ForeignKey, Schema, Table, TypeRef, Unique
from fraiseql_data.validate import PostgresValidator

EXACT = "exact"


@dataclass
class CoverageResult:
    findings: list[Finding]
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, Any]:
        return summarize(self.findings, self.seconds)

    @property
    def failed(self) -> list[Finding]:
        return [f for f in self.findings if f.failed]

    def as_json(self) -> dict[str, Any]:
        return {"constraints": [f.as_json() for f in self.findings], "summary": self.summary}


def type_sql(type_: TypeRef) -> sql.Composable:
    """A type as SQL: user types quoted by name, built-ins by their canonical (keyword) name."""
    schema, dot, name = type_.name.partition(".")
    base: sql.Composable = sql.Identifier(schema, name) if dot and not type_.name.startswith('"') else \
        sql.SQL(type_.name)
    mods = sql.SQL(f"({','.join(map(str, type_.modifiers))})" if type_.modifiers else "")
    return sql.Composed([base, mods, sql.SQL("[]" * type_.array_dims)])


def live_relations(conn: psycopg.Connection[Any], schema: Schema) -> set[str]:
    """The tables and domains of the truth that exist in the live database."""
    names = [t.qualified for t in schema.tables]
    quoted = [sql.Identifier(t.schema, t.name).as_string(conn) for t in schema.tables]
    rows = conn.execute("SELECT q FROM unnest(%s::text[], %s::text[]) AS n(q, quoted) "
                        "WHERE to_regclass(quoted) IS NOT NULL", [names, quoted]).fetchall()
    found = {r[0] for r in rows}
    domains = [d.qualified for d in schema.domains]
    quoted = [sql.Identifier(d.schema, d.name).as_string(conn) for d in schema.domains]
    rows = conn.execute("SELECT q FROM unnest(%s::text[], %s::text[]) AS n(q, quoted) "
                        "WHERE to_regtype(quoted) IS NOT NULL", [domains, quoted]).fetchall()
    return found | {r[0] for r in rows}


class Coverage:
    """The probes of one run, sharing the witness and the live connection."""

    def __init__(self, schema: Schema, live: psycopg.Connection[Any], witness: Witness, clock: dt.datetime,
                 present: set[str], seed: int) -> None:
        self.schema = schema
        self.live = live
        self.witness = witness
        self.clock = clock
        self.present = present
        self.seed = seed

    def findings(self) -> list[Finding]:
        found: list[Finding] = []
        for domain in self.schema.domains:
            found += self.domain_findings(domain)
        for table in self.schema.tables:
            found += self.table_findings(table)
        return found

    # ── tables ───────────────────────────────────────────────────────────────
    def table_findings(self, table: Table) -> list[Finding]:
        name = table.qualified
        compiled = compile_table(table, self.schema, self.clock)
        data = self.witness.loaded.get(name)
        has_rows = data is not None and data.n > 0
        unsatisfiable = self.witness.failures.get(name)
        core = {c.name for c in unsatisfiable.constraints} if isinstance(unsatisfiable, UnsatisfiableError) else set()
        spares = self.witness.spares.get(name, [])
        spare = spares[0] if spares else None
        existing = fetch(self.live, table) if has_rows and name in self.present else None

        def finding(constraint: str, kind: str, probe: Any, classification: str = EXACT) -> Finding:
            satisfiable = True if has_rows else (False if constraint in core else None)
            if name not in self.present:
                verdict = Verdict(False, "the table is missing from the live database")
            elif table.partitioned:
                verdict = Verdict(None, "a partitioned table: its partitions are probed")
            elif not has_rows:
                verdict = Verdict(None, f"no witness rows: {self.witness.reason(name)}")
            else:
                verdict = probe()
            return Finding(name, constraint, kind, classification, satisfiable, verdict.enforced, verdict.detail)

        out = []
        for check in compiled.checks:
            if check.domain_column is not None:
                continue
            out.append(self.check_finding(table, compiled, check, finding, spare, existing))
        for column in table.columns:
            if not column.nullable and column.generated is None:
                out.append(finding(f"{table.name}_{column.name}_not_null", "not_null",
                                   lambda c=column: self.probe_not_null(table, c, spare, existing)))
        for key in table.keys:
            out.append(finding(key.name, key_kind(key), lambda k=key: probe_unique(self.live, table, k, spare)))
        for fk in table.foreign_keys:
            out.append(finding(fk.name, "foreign_key", lambda f=fk: self.probe_fk(table, f, spares, existing)))
        return out

    def check_finding(self, table: Table, compiled: CompiledTable, check: CompiledCheck, finding: Any,
                      spare: Row | None, existing: Existing | None) -> Finding:
        if check.pred is None:
            return finding(check.name, "check", lambda: Verdict(None, f"opaque, not probed: {check.reason}"),
                           check.classification)
        result = fz.falsify(compiled, check, self.fk_choices(table), self.seed)
        found = finding(check.name, "check", lambda: self.probe_falsified(table, check, result, spare, existing),
                        check.classification)
        if result.verdict == fz.CONTRADICTION:
            return replace(found, satisfiable=False, enforced=None,
                           detail="a contradiction: no row makes it TRUE or NULL")
        return found

    def probe_falsified(self, table: Table, check: CompiledCheck, result: fz.Falsified,
                        spare: Row | None, existing: Existing | None) -> Verdict:
        if result.verdict == fz.TAUTOLOGY:
            return Verdict(None, "a tautology: no row can make it FALSE")
        if result.verdict == fz.IMPLIED:
            return Verdict(None, f"implied by {', '.join(result.by)}: no row violates it alone")
        if result.verdict != fz.FOUND:
            return Verdict(None, f"no violating row found ({result.verdict})")
        if any(table.column(c).generated is not None for row in result.rows for c in row):
            return Verdict(None, "it reads a generated column, which a probe cannot set")
        model_check = next(c for c in table.checks if c.name == check.name)
        return probe_check(self.live, table, model_check, check.columns, result.rows, spare, existing)

    def probe_not_null(self, table: Table, column: Column, spare: Row | None, existing: Existing | None) -> Verdict:
        if resolve_domain(column.type, self.schema)[2]:
            return Verdict(None, f"implied by the NOT NULL of domain {column.type.name}, which PostgreSQL "
                                 "checks first")
        return probe_not_null(self.live, table, column.name, spare, existing)

    def fk_choices(self, table: Table) -> dict[str, np.ndarray]:
        """Encoded parent keys a single-column foreign key may take in a probe row (those loaded)."""
        choices = {}
        for fk in table.foreign_keys:
            parent = self.witness.loaded.get(fk.ref_qualified)
            if len(fk.columns) == 1 and parent is not None and fk.ref_columns[0] in parent.encoded:
                nulls = parent.nulls.get(fk.ref_columns[0])
                values = parent.encoded[fk.ref_columns[0]]
                choices[fk.columns[0]] = values if nulls is None else values[~nulls]
        return choices

    def probe_fk(self, table: Table, fk: ForeignKey, spares: list[Row], existing: Existing | None) -> Verdict:
        """Prefer base rows that already point at a parent: CHECKs over the key then still hold."""
        parent = self.schema.table(fk.ref_qualified)
        if fk.ref_qualified == table.qualified:  # one held-back row to insert, another whose key is absent
            keys = spares[-1] if spares else None
            spares = spares[:-1]
        else:
            held = self.witness.spares.get(fk.ref_qualified, [])
            keys = held[0] if held else None
        if keys is None or any(keys.get(r) is None for r in fk.ref_columns):
            keys = self.unused_key(parent, fk)
        if keys is None:
            return Verdict(None, f"no key missing from {fk.ref_qualified} could be made (no held-back row)")
        absent = {c: keys[r] for c, r in zip(fk.columns, fk.ref_columns, strict=True)}
        pointing = [s for s in spares if all(s.get(c) is not None for c in fk.columns)]
        spare = pointing[0] if pointing else (spares[0] if spares else None)
        known = sql.SQL(" AND ").join(sql.SQL("{} IS NOT NULL").format(sql.Identifier(c)) for c in fk.columns)
        base = fetch(self.live, table, known) or existing
        return probe_foreign_key(self.live, table, parent, fk, absent, spare, base)

    def unused_key(self, parent: Table, fk: ForeignKey) -> Row | None:
        """A single-column key no loaded row holds: the greatest plus one (numbers), a hash as long (text)."""
        if len(fk.ref_columns) != 1:
            return None
        column = fk.ref_columns[0]
        kind = compile_table(parent, self.schema, self.clock).encodings[column].kind
        ref = sql.Identifier(column)
        past: sql.Composable
        if kind in (Kind.INT, Kind.NUMERIC, Kind.FLOAT):
            past = sql.SQL("coalesce(max({}), 0) + 1").format(ref)
        elif kind is Kind.TEXT:
            past = sql.SQL("left(md5(coalesce(max({0}), '')), greatest(char_length(max({0})), 1))").format(ref)
        elif parent.column(column).type.name == "uuid":
            past = sql.SQL("gen_random_uuid()")
        else:
            return None
        found = self.live.execute(sql.SQL("SELECT ({})::text FROM {}").format(past, relation(parent))).fetchone()
        return {column: found[0]} if found else None

    # ── domains ──────────────────────────────────────────────────────────────
    def domain_findings(self, domain: Domain) -> list[Finding]:
        if not domain.checks:
            return []
        column = Column("value", TypeRef(domain.qualified), nullable=domain.nullable)
        compiled = compile_table(Table(domain.schema, domain.name, (column,)), self.schema, self.clock)
        out = []
        for check, compiled_check in zip(domain.checks, compiled.checks, strict=False):
            if compiled_check.pred is None:
                verdict, satisfiable = Verdict(None, f"opaque, not probed: {compiled_check.reason}"), None
            elif domain.qualified not in self.present:
                verdict, satisfiable = Verdict(False, "the domain is missing from the live database"), True
            else:
                result = fz.falsify(compiled, compiled_check, seed=self.seed)
                satisfiable = result.verdict != fz.CONTRADICTION
                if result.verdict == fz.FOUND:
                    verdict = probe_domain_check(self.live, sql.Identifier(domain.schema, domain.name),
                                                 type_sql(domain.base), check, [r["value"] for r in result.rows])
                else:
                    verdict = Verdict(None, {fz.TAUTOLOGY: "a tautology: no value can make it FALSE",
                                             fz.CONTRADICTION: "a contradiction: no value makes it TRUE or NULL",
                                             fz.IMPLIED: f"implied by {', '.join(result.by)}"}.get(
                        result.verdict, f"no violating value found ({result.verdict})"))
            out.append(Finding(domain.qualified, check.name, "domain_check", compiled_check.classification,
                               satisfiable, verdict.enforced, verdict.detail))
        return out


def key_kind(key: Unique) -> str:
    if key.primary:
        return "primary_key"
    return "unique_index" if key.is_index else "unique"


def run_coverage(truth: psycopg.Connection[Any], live: psycopg.Connection[Any] | None = None, *,
                 seed: int = 0) -> CoverageResult:
    """Probe every constraint of `truth`'s schema in `live` (the same database when None); nothing is kept."""
    started = time.perf_counter()
    schema = introspect(truth)
    conn = live if live is not None else truth
    with conn.transaction(force_rollback=True):
        conn.execute("SET LOCAL TIME ZONE 'UTC'")
        now = conn.execute("SELECT now()").fetchone()
        clock = now[0] if now else dt.datetime.now(dt.UTC)
        witness = load_witness(conn, schema, clock, PostgresValidator(truth), seed=seed)
        coverage = Coverage(schema, conn, witness, clock, live_relations(conn, schema), seed)
        findings = coverage.findings()
    notes = [f"{t}: left out of the witness: {e}" for t, e in witness.failures.items()] + witness.notes
    return CoverageResult(findings, time.perf_counter() - started, notes)
