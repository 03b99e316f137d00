"""Judging finished rows offline: CHECK, NOT NULL and UNIQUE on the final strings.

Overrides replace generated values after the solver is done, so the rows they
touch are checked again here, before anything is written, with the same
compiled CHECKs and the same three-valued evaluator the solver uses. CHECKs the
compiler cannot translate (opaque), and foreign keys, are left to PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np

from fraiseql_data.constraints import ir
from fraiseql_data.constraints.compile import CompiledCheck, compile_table
from fraiseql_data.constraints.encoding import Encoding, Kind
from fraiseql_data.constraints.evaluate import violations
from fraiseql_data.constraints.translate import Untranslatable, coerce_literal
from fraiseql_data.errors import ConstraintRef, UnsatisfiableError
from fraiseql_data.schema.model import Schema
from fraiseql_data.solver.batch import Batch, Strings
from fraiseql_data.solver.table import TableData

NUMBERS = (Kind.INT, Kind.NUMERIC, Kind.FLOAT)


def encode_text(text: str, encoding: Encoding) -> int:
    """The solver's integer for a PostgreSQL text value (ValueError if it has none)."""
    if encoding.kind in NUMBERS:
        try:
            scaled = Decimal(text.strip()).scaleb(encoding.scale).quantize(Decimal(1), ROUND_HALF_UP)
        except InvalidOperation:
            raise ValueError(text) from None
        return int(scaled)
    try:
        node = coerce_literal(text, encoding).node
    except Untranslatable:
        raise ValueError(text) from None
    if isinstance(node, ir.Truth):
        return int(bool(node.value))
    if isinstance(node, ir.Const) and isinstance(node.value, int):
        return node.value
    raise ValueError(text)


def strings_of(data: TableData, encodings: dict[str, Encoding], columns: Iterable[str]) -> Strings:
    """The rows as the evaluator reads them: text, plus integers for the numeric-like columns."""
    batch = Batch(data.n, {})
    for name in columns:
        encoding = encodings[name]
        if encoding.kind in (Kind.TEXT, Kind.OTHER):
            continue
        texts = data.text[name]
        batch.nulls[name] = np.fromiter((v is None for v in texts), dtype=bool, count=data.n)
        try:
            batch.values[name] = np.array([0 if v is None else encode_text(v, encoding) for v in texts], dtype=np.int64)
        except OverflowError:
            raise ValueError(name) from None
    return Strings(batch, {name: data.text[name] for name in columns})


def check_rows(data: TableData, schema: Schema, as_of: dt.datetime, touched: Iterable[str], why: str) -> None:
    """Raise UnsatisfiableError naming the first constraint the `touched` columns break."""
    touched = set(touched)
    if not touched or data.n == 0:
        return
    table = data.table
    compiled = compile_table(table, schema, as_of)
    for name in sorted(touched):
        if not compiled.nullable[name] and any(v is None for v in data.text[name]):
            raise UnsatisfiableError(table.qualified, [ConstraintRef(f"{name} NOT NULL", f"{name} IS NOT NULL")],
                                     hint=f"{why} leaves it NULL")
    for check in compiled.translated:
        if touched & set(check.columns):
            failing = failing_rows(data, compiled.encodings, check)
            if failing:
                raise UnsatisfiableError(table.qualified, [ConstraintRef(check.name, check.sql)],
                                         hint=f"{why} breaks it in row {failing[0]}: {shown(data, check, failing[0])}")
    for key in table.keys:
        if touched & set(key.columns) and key.predicate is None and key.expressions is None:
            duplicate = first_duplicate(data, key.columns, key.nulls_not_distinct)
            if duplicate is not None:
                listed = ", ".join(key.columns)
                raise UnsatisfiableError(
                    table.qualified,
                    [ConstraintRef(key.name, f"{'PRIMARY KEY' if key.primary else 'UNIQUE'} ({listed})")],
                    hint=f"{why} repeats {duplicate} — give each row its own value (a list or a callable)")


def failing_rows(data: TableData, encodings: dict[str, Encoding], check: CompiledCheck) -> list[int]:
    assert check.pred is not None
    try:
        rows = strings_of(data, encodings, check.columns)
    except ValueError:  # a value the solver cannot encode: PostgreSQL will judge it
        return []
    return np.flatnonzero(violations(rows, [check.pred])).tolist()


def first_duplicate(data: TableData, columns: tuple[str, ...], nulls_not_distinct: bool) -> tuple | None:
    seen: set[tuple[str | None, ...]] = set()
    for row in zip(*(data.text[c] for c in columns), strict=True):
        if None in row and not nulls_not_distinct:
            continue
        if row in seen:
            return row
        seen.add(row)
    return None


def shown(data: TableData, check: CompiledCheck, row: int) -> str:
    return ", ".join(f"{c}={data.text[c][row]!r}" for c in check.columns)
