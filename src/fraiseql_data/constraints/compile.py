"""Compile every CHECK of a table (its own and its columns' domain CHECKs).

Each CHECK ends up with an IR predicate and a classification: `exact`
(entirely in CP-SAT), `string` (needs the string realiser: patterns, lengths)
or `opaque` (not translated; PostgreSQL must judge it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

import sqlglot
from sqlglot import exp

from fraiseql_data.constraints import ir
from fraiseql_data.constraints.encoding import Encoding, Kind, encode_type, resolve_domain
from fraiseql_data.constraints.text import supported
from fraiseql_data.constraints.translate import Scope, Untranslatable, translate_check
from fraiseql_data.schema.model import Check, Schema, Table

EXACT, STRING, OPAQUE = "exact", "string", "opaque"
MAX_SCALE = 9  # 10**9 * 10**9 still fits in 64 bits


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
    digits = max((literal_scale(c.expression) for c in table.checks), default=0)
    for column in table.columns:
        base, checks, not_null = resolve_domain(column.type, schema)
        encodings[column.name] = fine_enough(encode_type(base, schema), digits)
        nullable[column.name] = column.nullable and not not_null
        domain = column.type.name
        domain_checks.extend((column.name, domain, check) for check in checks)
    generated = {c.name: c.generated for c in table.columns if c.generated}
    compiled = [compile_one(c.name, c.expression, c.columns, Scope(encodings, schema, as_of, generated=generated))
                for c in table.checks]
    for column_name, domain, check in domain_checks:
        scope = Scope(encodings, schema, as_of, value_column=column_name)
        one = compile_one(f"{domain}.{check.name}", check.expression, (column_name,), scope)
        compiled.append(CompiledCheck(one.name, one.sql, one.columns, one.pred, one.classification, one.reason,
                                      domain_column=column_name))
    return CompiledTable(table, encodings, nullable, tuple(compiled))


def literal_scale(sql: str) -> int:
    """The most decimals any number in the expression has (0.00005 → 5)."""
    try:
        tree = sqlglot.parse_one(sql, read="postgres")
    except sqlglot.errors.ParseError:
        return 0
    scales = [max(0, -int(Decimal(lit.this).as_tuple().exponent)) for lit in tree.find_all(exp.Literal)
              if not lit.is_string and lit.this.replace(".", "", 1).isdigit()]
    return max(scales, default=0)


def fine_enough(encoding: Encoding, digits: int) -> Encoding:
    """Unconstrained numeric and real/double have no fixed scale: model as many decimals as the
    table's CHECKs write (one more for floats, whose bounds are kept strict), up to MAX_SCALE."""
    unconstrained = encoding.kind is Kind.NUMERIC and encoding.type is not None and not encoding.type.modifiers
    if encoding.kind is Kind.FLOAT:
        scale = min(max(encoding.scale, digits + 1), MAX_SCALE)
    elif unconstrained:
        scale = min(max(encoding.scale, digits), MAX_SCALE)
    else:
        return encoding
    if scale == encoding.scale:
        return encoding
    limit = 10**9 * 10**scale  # values up to a billion either way
    return replace(encoding, lo=-limit, hi=limit, scale=scale)


def compile_one(name: str, sql: str, columns: tuple[str, ...], scope: Scope) -> CompiledCheck:
    try:
        pred = translate_check(sql, scope)
    except Untranslatable as why:
        return CompiledCheck(name, sql, columns, None, OPAQUE, str(why))
    classification, reason = classify(pred)
    if classification == OPAQUE:
        return CompiledCheck(name, sql, columns, None, OPAQUE, reason)
    return CompiledCheck(name, sql, tuple(sorted(ir.columns(pred))), pred, classification)
