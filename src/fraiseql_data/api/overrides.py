"""Column overrides: constants, lists to cycle, callables, and pinned foreign keys.

The engine generates every row first; overrides then replace column text row by
row. When an override changes a key that other rows reference, those foreign
keys follow (old parent value → new one), so the dataset stays consistent.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fraiseql_data.api.values import pg_text
from fraiseql_data.constraints.encoding import INT_BOUNDS
from fraiseql_data.errors import FraiseQLDataError
from fraiseql_data.schema.model import DefaultKind, ForeignKey, Schema, Table
from fraiseql_data.solver.table import TableData
from fraiseql_data.values.identity import is_trinity

Row = dict[str, str | None]
Override = Any  # a constant, a list (cycled), a callable(row) -> value, or a Ref


class OverrideError(FraiseQLDataError, ValueError):
    """An override names no column, or a value the builder cannot place."""

    def __init__(self, table: str, column: str, reason: str) -> None:
        self.table = table
        self.column = column
        super().__init__(f"table {table}: override {column}: {reason}")


@dataclass(frozen=True)
class Ref:
    """A foreign key pinned to rows of `table`: one row (`row`), or any row of `rows` (None: any row)."""

    table: str
    row: int | None = None
    rows: range | None = None


def ref(table: str, row: int | None = None) -> Ref:
    """Point a foreign-key column at `table`: its row number `row`, or a random row of it."""
    return Ref(table, row)


def apply_overrides(data: TableData, rows: range, overrides: Mapping[str, Override], schema: Schema,
                    done: Mapping[str, TableData], rng: random.Random) -> set[str]:
    """Write `overrides` into `rows` of `data` (in place); the columns written."""
    table = data.table
    touched: set[str] = set()
    for name, override in overrides.items():
        column = table.column_map.get(name)
        if column is None:
            raise OverrideError(table.qualified, name, f"not a column (columns: {', '.join(table.column_map)})")
        if name not in data.columns:
            raise OverrideError(table.qualified, name, "a GENERATED column: PostgreSQL computes it")
        if type(override).__module__.startswith("hypothesis"):
            raise OverrideError(table.qualified, name, "a Hypothesis strategy: use fraiseql_data.hypothesis.rows "
                                "or datasets inside @given, or draw the value first")
        if isinstance(override, Ref):
            touched |= pin_foreign_key(data, rows, name, override, schema, done, rng)
            continue
        texts = data.text[name]
        for position, i in enumerate(rows):
            if isinstance(override, list):
                if not override:
                    raise OverrideError(table.qualified, name, "an empty list has no value to cycle through")
                value = override[position % len(override)]
            elif callable(override):
                value = override(row_text(data, i))
            else:
                value = override
            texts[i] = pg_text(value)
        touched.add(name)
    return touched


def row_text(data: TableData, i: int) -> Row:
    return {c: data.text[c][i] for c in data.columns}


def foreign_key_for(table: Table, column: str, target: Table) -> ForeignKey | None:
    for fk in table.foreign_keys:
        if column in fk.columns and fk.ref_qualified == target.qualified:
            return fk
    return None


def pin_foreign_key(data: TableData, rows: range, column: str, pin: Ref, schema: Schema,
                    done: Mapping[str, TableData], rng: random.Random) -> set[str]:
    table = data.table
    target = schema.table(pin.table)
    fk = foreign_key_for(table, column, target)
    if fk is None:
        raise OverrideError(table.qualified, column, f"no foreign key of this column references {target.qualified}")
    parent = done.get(target.qualified)
    choices = list(pin.rows) if pin.rows is not None else list(range(parent.n if parent else 0))
    if parent is None or not choices:
        raise OverrideError(table.qualified, column, f"{target.qualified} has no rows to point at: add some")
    if pin.row is not None and not -len(choices) <= pin.row < len(choices):
        raise OverrideError(table.qualified, column, f"{target.qualified} has {len(choices)} rows, not row {pin.row}")
    for i in rows:
        picked = choices[pin.row] if pin.row is not None else rng.choice(choices)
        for child, ref_column in zip(fk.columns, fk.ref_columns, strict=True):
            data.text[child][i] = parent.text[ref_column][picked]
    return set(fk.columns)


def follow_key_changes(parent: TableData, before: Mapping[str, list[str | None]],
                       tables: Mapping[str, TableData]) -> dict[str, set[str]]:
    """Rewrite foreign keys that point at changed parent keys; per table, the columns rewritten."""
    changed = {c for c, old in before.items() if old != parent.text[c]}
    rewritten: dict[str, set[str]] = {}
    if not changed:
        return rewritten
    for name, child in tables.items():
        for fk in child.table.foreign_keys:
            if fk.ref_qualified != parent.table.qualified or not changed & set(fk.ref_columns):
                continue
            old = zip(*(before[c] for c in fk.ref_columns), strict=True)
            new = zip(*(parent.text[c] for c in fk.ref_columns), strict=True)
            mapping = dict(zip(old, new, strict=True))
            columns = [child.text[c] for c in fk.columns]
            for i in range(child.n):
                key = tuple(column[i] for column in columns)
                if key in mapping and None not in key:
                    for column, value in zip(columns, mapping[key], strict=True):
                        column[i] = value
            rewritten.setdefault(name, set()).update(fk.columns)
    return rewritten



def shift_keys(data: TableData, offset: int, schema: Schema) -> None:
    """Move identity/serial keys and Trinity `id` row numbers past `offset` rows written before."""
    for column in data.table.columns:
        texts = data.text.get(column.name)
        if texts is None:
            continue
        numbered = column.identity is not None or column.default_kind == DefaultKind.SEQUENCE
        if numbered and column.type.name in INT_BOUNDS:
            data.text[column.name] = [None if v is None else str(int(v) + offset) for v in texts]
        elif column.name == "id" and is_trinity(data.table):
            data.text[column.name] = [None if v is None else f"{v[:-12]}{int(v[-12:]) + offset:012d}" for v in texts]
