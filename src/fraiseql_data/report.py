"""Human and JSON views of a schema, as `fraiseql-data introspect` prints them.

Each CHECK is shown with its classification (exact, string or opaque): what
the solver models exactly, what the string realiser handles, and what only
PostgreSQL can judge.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fraiseql_data.constraints.compile import compile_table
from fraiseql_data.errors import CycleError
from fraiseql_data.plan.graph import build_plan
from fraiseql_data.schema.model import Schema, Table
from fraiseql_data.solver.table import DEFAULT_CLOCK


def check_lines(table: Table, schema: Schema) -> list[tuple[str, str, str, str]]:
    """(name, classification, sql, reason) for every CHECK of the table, domain CHECKs included."""
    compiled = compile_table(table, schema, DEFAULT_CLOCK)
    return [(c.name, c.classification, c.sql, c.reason) for c in compiled.checks]


def describe_schema(schema: Schema, show_deps: bool = False) -> str:
    lines: list[str] = []
    for table in schema.tables:
        kind = " (partitioned)" if table.partitioned else ""
        lines.append(f"{table.qualified}{kind}")
        for column in table.columns:
            flags = []
            if not column.nullable:
                flags.append("NOT NULL")
            if column.identity:
                flags.append(f"IDENTITY {column.identity.value.upper()}")
            if column.generated:
                flags.append(f"GENERATED ({column.generated})")
            elif column.default:
                flags.append(f"DEFAULT {column.default}")
            lines.append(f"  {column.name} {column.type}{' ' + ' '.join(flags) if flags else ''}")
        for key in table.keys:
            label = "PRIMARY KEY" if key.primary else ("UNIQUE INDEX" if key.is_index else "UNIQUE")
            parts = key.expressions or key.columns
            where = f" WHERE {key.predicate}" if key.predicate else ""
            lines.append(f"  {label} {key.name} ({', '.join(parts)}){where}")
        for fk in table.foreign_keys:
            deferrable = " DEFERRABLE" if fk.deferrable else ""
            lines.append(f"  FOREIGN KEY {fk.name} ({', '.join(fk.columns)}) -> "
                         f"{fk.ref_qualified} ({', '.join(fk.ref_columns)}){deferrable}")
        for name, classification, sql, reason in check_lines(table, schema):
            why = f"  -- {reason}" if reason else ""
            lines.append(f"  CHECK {name} [{classification}] ({sql}){why}")
    if show_deps:
        lines.append("")
        try:
            lines.append(build_plan(schema, single_statement=True).describe())
        except CycleError as error:
            lines.append(f"cannot be filled: {error}")
    for warning in schema.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines)


def schema_json(schema: Schema) -> dict[str, Any]:
    tables = []
    for table in schema.tables:
        entry = asdict(table)
        entry["checks"] = [{"name": n, "classification": c, "expression": s, "reason": r}
                           for n, c, s, r in check_lines(table, schema)]
        tables.append(entry)
    try:
        order: list[str] | None = list(build_plan(schema, single_statement=True).order)
    except CycleError:
        order = None
    return {
        "tables": tables,
        "enums": [asdict(e) for e in schema.enums],
        "domains": [asdict(d) for d in schema.domains],
        "composites": [asdict(c) for c in schema.composites],
        "order": order,
        "warnings": list(schema.warnings),
    }
