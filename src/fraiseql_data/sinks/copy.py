"""Loading a dataset with COPY, in one transaction.

Nothing half-written: the caller's transaction (or ours) covers every table;
if PostgreSQL refuses anything, everything is rolled back and the error names
the table. Identity and serial columns are written explicitly, then their
sequences are moved past the written values, so a later plain INSERT works.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import chain
from typing import Any

import psycopg
from psycopg import sql

from fraiseql_data.constraints.encoding import INT_BOUNDS
from fraiseql_data.errors import SeedingError
from fraiseql_data.generate import Dataset, Engine
from fraiseql_data.schema.model import DefaultKind
from fraiseql_data.sinks.rebuild import Saved, drop_constraints, restore_constraints
from fraiseql_data.sinks.steps import Copy, Defer, Together, Update, steps
from fraiseql_data.sinks.writer import QueuedWriter
from fraiseql_data.solver.table import TableData

COPY_CHUNK = 8192


def table_ident(qualified_schema: str, name: str) -> sql.Composed:
    return sql.SQL("{}.{}").format(sql.Identifier(qualified_schema), sql.Identifier(name))


def escape(value: str) -> str:
    """COPY text format: backslash, tab, newline and carriage return are escaped."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def copy_column(values: list[str | None]) -> list[str]:
    """One column as COPY text fields. Most columns (numbers, dates, uuids) need no escaping at all,
    which one scan of the joined column tells, so per-value work happens only where it must."""
    present = [v for v in values if v is not None] if None in values else values
    joined = "\x00".join(present)  # type: ignore[arg-type]
    if "\\" in joined or "\t" in joined or "\n" in joined or "\r" in joined:
        values = [None if v is None else escape(v) for v in values]
    if len(present) == len(values):
        return values  # type: ignore[return-value]
    return ["\\N" if v is None else v for v in values]


def copy_blocks(data: TableData, blank: frozenset[str] = frozenset(), extra: list[str] | None = None,
                rows: int = COPY_CHUNK) -> Iterator[str]:
    """The table's rows as COPY text, a block of lines at a time (`blank` columns written as NULL;
    `extra`, when given, is one more field per row)."""
    columns = [["\\N"] * data.n if c in blank else copy_column(data.text[c]) for c in data.columns]
    if extra is not None:
        columns.append(extra)
    for start in range(0, data.n, rows):
        lines = map("\t".join, zip(*(column[start:start + rows] for column in columns), strict=True))
        yield "\n".join(lines) + "\n"


def load(conn: psycopg.Connection[Any], dataset: Dataset, *, rebuild: bool = False) -> None:
    """Write a generated dataset inside the connection's current transaction (or a new one).

    `rebuild`, for a database the run owns: constraints off during COPY and re-created
    (so checked) at the end, which is faster than checking row by row.
    """
    with conn.transaction():
        saved = drop_constraints(conn, [d.table for d in dataset.tables.values()]) if rebuild else None
        run_steps(conn, dataset, deferring=saved is None)
        finish(conn, saved, dataset.tables.values())


def stream_load(conn: psycopg.Connection[Any], engine: Engine, *, rebuild: bool = False) -> Dataset:
    """Generate and write table by table, in one transaction: a large table goes to COPY a block
    at a time while the next block is made (the server ingests one while we generate the
    other), so memory stays flat; an FK cycle's tables are made whole, then written together."""
    with conn.transaction():
        tables = [engine.schema.table(name) for name in engine.plan.order]
        saved = drop_constraints(conn, tables) if rebuild else None
        for component in engine.plan.components:
            if len(component) == 1 and engine.streams(component[0]):
                table = engine.schema.table(component[0])
                blocks = engine.stream(component[0], copy_text)
                copy_rows(conn, table.qualified, table_ident(table.schema, table.name),
                          tuple(c.name for c in table.columns if c.generated is None), chain.from_iterable(blocks))
                continue
            for name in component:
                engine.produce(name)
            engine.fill_broken(component)
            plan = engine.plan
            part = replace(plan, order=component, components=(component,),
                           broken=tuple(e for e in plan.broken if e.table in component))
            run_steps(conn, Dataset(part, {name: engine.done[name] for name in component}, []),
                      deferring=saved is None)
        finish(conn, saved, engine.done.values())
    return engine.dataset()


def run_steps(conn: psycopg.Connection[Any], dataset: Dataset, *, deferring: bool) -> None:
    for step in steps(dataset):
        match step:
            case Defer(constraints) if deferring:
                names = [sql.Identifier(schema, name) for schema, name in constraints]
                conn.execute(sql.SQL("SET CONSTRAINTS {} DEFERRED").format(sql.SQL(", ").join(names)))
            case Copy(data, blank):
                copy_table(conn, data, blank)
            case Together(tables):
                insert_together(conn, tables)
            case Update(data, columns):
                update_broken(conn, data, columns)


def finish(conn: psycopg.Connection[Any], saved: list[Saved] | None, tables: Iterable[TableData]) -> None:
    """Constraints back (checked now, in this transaction), sequences past the written values."""
    if saved is not None:
        try:
            restore_constraints(conn, saved)
        except psycopg.Error as error:
            table = getattr(error.diag, "table_name", None) or "?"
            raise SeedingError(table, str(error).splitlines()[0]) from error
    for data in tables:
        advance_sequences(conn, data)


def copy_rows(conn: psycopg.Connection[Any], name: str, target: sql.Composable, columns: tuple[str, ...],
              chunks: Iterable[str]) -> None:
    """COPY text; a writer thread sends one chunk while the caller makes the next."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(target, sql.SQL(", ").join(map(sql.Identifier, columns)))
    try:
        with conn.cursor() as cur, cur.copy(statement, writer=QueuedWriter(cur)) as copy:
            for text in chunks:
                copy.write(text)
    except psycopg.Error as error:
        raise SeedingError(name, str(error).splitlines()[0] if str(error) else type(error).__name__) from error


def copy_text(data: TableData) -> list[str]:
    """A block's rows as COPY text chunks (made in a worker process when there are jobs)."""
    return list(copy_blocks(data))


def copy_table(conn: psycopg.Connection[Any], data: TableData, blank: frozenset[str] = frozenset(),
               target: sql.Composable | None = None) -> None:
    table = data.table
    copy_rows(conn, table.qualified, target or table_ident(table.schema, table.name), data.columns,
              copy_blocks(data, blank))


def staging(index: int) -> sql.Identifier:
    return sql.Identifier(f"fraiseql_data_cycle_{index}")


def together_statement(tables: tuple[TableData, ...]) -> sql.Composed:
    """WITH s0 AS (INSERT INTO t0 ... SELECT ... FROM staging0), ... SELECT 1: one statement for a cycle."""
    parts = []
    for index, data in enumerate(tables):
        columns = sql.SQL(", ").join(map(sql.Identifier, data.columns))
        parts.append(sql.SQL("{} AS (INSERT INTO {} ({}) OVERRIDING SYSTEM VALUE SELECT {} FROM {})").format(
            sql.Identifier(f"s{index}"), table_ident(data.table.schema, data.table.name), columns, columns,
            staging(index)))
    return sql.SQL("WITH {} SELECT 1").format(sql.SQL(", ").join(parts))


def insert_together(conn: psycopg.Connection[Any], tables: tuple[TableData, ...]) -> None:
    for index, data in enumerate(tables):
        conn.execute(sql.SQL("CREATE TEMP TABLE {} (LIKE {}) ON COMMIT DROP").format(
            staging(index), table_ident(data.table.schema, data.table.name)))
        copy_table(conn, data, target=staging(index))
    try:
        conn.execute(together_statement(tables))
    except psycopg.Error as error:
        raise SeedingError(", ".join(d.table.qualified for d in tables), str(error).splitlines()[0]) from error
    for index in range(len(tables)):
        conn.execute(sql.SQL("DROP TABLE {}").format(staging(index)))


def update_broken(conn: psycopg.Connection[Any], data: TableData, columns: tuple[str, ...]) -> None:
    """Set a cut foreign key's columns once the parent rows exist (keyed by the primary key)."""
    table = data.table
    key = table.primary_key.columns if table.primary_key else ()
    if not key:
        raise SeedingError(table.qualified, "a cut foreign key needs a primary key to UPDATE rows by")
    statement = sql.SQL("UPDATE {} SET {} WHERE {}").format(
        table_ident(table.schema, table.name),
        sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(c)) for c in columns),
        sql.SQL(" AND ").join(sql.SQL("{} = %s").format(sql.Identifier(c)) for c in key))
    rows = [tuple(data.text[c][i] for c in (*columns, *key)) for i in range(data.n)]
    try:
        with conn.cursor() as cur:
            cur.executemany(statement, rows)
    except psycopg.Error as error:
        raise SeedingError(table.qualified, str(error).splitlines()[0]) from error


def numbered_columns(data: TableData) -> list[str]:
    """Written identity/serial integer columns, whose sequences must move past the written values."""
    if data.n == 0:
        return []
    return [c.name for c in data.table.columns
            if c.name in data.columns and (c.identity is not None or c.default_kind == DefaultKind.SEQUENCE)
            and c.type.name in INT_BOUNDS and not c.type.array_dims]


def advance_sequences(conn: psycopg.Connection[Any], data: TableData) -> None:
    table = data.table
    for column in numbered_columns(data):
        conn.execute(
            sql.SQL("SELECT setval(pg_get_serial_sequence(%s, %s)::regclass, (SELECT max({}) FROM {})::bigint)").format(
                sql.Identifier(column), table_ident(table.schema, table.name)),
            (sql.Identifier(table.schema, table.name).as_string(conn), column))
