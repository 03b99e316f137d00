"""Compile every CHECK of a table (its own and its columns' domain CHECKs).

Each CHECK ends up with an IR predicate and a classification: `exact`
(entirely in CP-SAT), `string` (needs the string realiser: patterns, lengths)
or `opaque` (not translated; PostgreSQL must judge it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fraiseql_data.constraints import ir
from fraiseql_data.constraints.encoding import Encoding, encode_type, resolve_domain
from fraiseql_data.constraints.text import supported
from fraiseql_data.constraints.translate import Scope, Untranslatable, translate_check
from fraiseql_data.schema.model import Check, Schema, Table

EXACT, STRING, OPAQUE = "exact", "string", "opaque"


@dataclass(frozen=True)
class CompiledCheck:
    name: str  # the constraint's name; domain CHECKs: "<domain>.<check>" on <column>
    sql: str
    columns: tuple[str, ...]
    pred: ir.Pred | None
    classification: str
    reason: str = ""  # why it is opaque
    domain_column: str | None = None


@dataclass(frozen=True)
class CompiledTable:
    table: Table
    encodings: dict[str, Encoding]
    nullable: dict[str, bool]
    checks: tuple[CompiledCheck, ...]

    @property
    def translated(self) -> tuple[CompiledCheck, ...]:
        return tuple(c for c in self.checks if c.pred is not None)

    @property
    def opaque(self) -> tuple[CompiledCheck, ...]:
        return tuple(c for c in self.checks if c.pred is None)


def classify(pred: ir.Pred) -> tuple[str, str]:
    kind = EXACT
    for node in ir.walk(pred):
        if isinstance(node, ir.Match):
            if not supported(node):
                return OPAQUE, f"the pattern {node.pattern!r} uses features that are not modelled"
            kind = STRING
        elif isinstance(node, ir.TextLength):
            kind = STRING
    return kind, ""


def compile_table(table: Table, schema: Schema, as_of: dt.datetime) -> CompiledTable:
    encodings: dict[str, Encoding] = {}
    nullable: dict[str, bool] = {}
    domain_checks: list[tuple[str, str, Check]] = []
    for column in table.columns:
        base, checks, not_null = resolve_domain(column.type, schema)
        encodings[column.name] = encode_type(base, schema)
        nullable[column.name] = column.nullable and not not_null
        domain = column.type.name
        domain_checks.extend((column.name, domain, check) for check in checks)
    compiled = [compile_one(c.name, c.expression, c.columns, Scope(encodings, schema, as_of))
                for c in table.checks]
    for column_name, domain, check in domain_checks:
        scope = Scope(encodings, schema, as_of, value_column=column_name)
        one = compile_one(f"{domain}.{check.name}", check.expression, (column_name,), scope)
        compiled.append(CompiledCheck(one.name, one.sql, one.columns, one.pred, one.classification, one.reason,
                                      domain_column=column_name))
    return CompiledTable(table, encodings, nullable, tuple(compiled))


def compile_one(name: str, sql: str, columns: tuple[str, ...], scope: Scope) -> CompiledCheck:
    try:
        pred = translate_check(sql, scope)
    except Untranslatable as why:
        return CompiledCheck(name, sql, columns, None, OPAQUE, str(why))
    classification, reason = classify(pred)
    if classification == OPAQUE:
        return CompiledCheck(name, sql, columns, None, OPAQUE, reason)
    return CompiledCheck(name, sql, tuple(sorted(ir.columns(pred))), pred, classification)
