"""SeedBuilder: ask for rows of some tables, get them with every parent they need.

`add` records a request; `build` asks the engine for all of them in one run
(required parents added with sensible counts), then writes the overrides;
`execute` also COPYs the rows into the connection's current transaction.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from fraiseql_data.api.overrides import Override, Ref, apply_overrides, follow_key_changes, shift_keys
from fraiseql_data.api.row_checks import check_rows
from fraiseql_data.api.schema_source import load_schema
from fraiseql_data.api.seeds import Seeds
from fraiseql_data.errors import ConstraintRef, FraiseQLDataError, SeedingError, UnsatisfiableError
from fraiseql_data.generate import DEFAULT_CLOCK, SeedOptions, generate
from fraiseql_data.run import connect
from fraiseql_data.schema.model import Schema, Table
from fraiseql_data.validate import PostgresValidator

Count = int | Callable[[random.Random], int]
PARENT_SHARE = 3  # children per parent row when a parent table is added automatically


@dataclass(frozen=True)
class Handle:
    """The rows one `add` asked for: pin children to them with `handle.random()` or `handle[i]`."""

    table: str
    rows: range

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> Ref:
        return Ref(self.table, index, self.rows)

    def random(self) -> Ref:
        return Ref(self.table, None, self.rows)


@dataclass(frozen=True)
class Request:
    table: str
    rows: range
    overrides: Mapping[str, Override]


class SeedBuilder:
    """Rows to seed, built offline (`build`) or written into a connection (`execute`).

    `conn_or_dsn` is a psycopg connection or a DSN (None: offline only). `schema` is a
    loaded Schema, a DDL path, or a namespace name: bare table names resolve there first.
    Each `execute` writes the requests added since the last one; its keys continue
    after the rows this builder wrote before, so one builder can execute many times.
    `scenario` and `test_case` are carried in Trinity pattern ids (the pytest plugin
    sets them per worker and per test).
    """

    def __init__(self, conn_or_dsn: psycopg.Connection[Any] | str | None = None,
                 schema: Schema | str | Path | None = None, *, seed: int = 0,
                 as_of: dt.datetime | None = None, scenario: int = 0, test_case: int = 0) -> None:
        self.conn_or_dsn = conn_or_dsn
        self.seed = seed
        self.as_of = as_of
        self.scenario = scenario  # carried in Trinity pattern ids: which run or worker made them
        self.test_case = test_case  # ...and which test
        self.rng = random.Random(seed)
        self.requests: list[Request] = []
        self.written: dict[str, int] = {}  # rows per table written by earlier executes
        self.namespace: str | None = None
        self._conn: psycopg.Connection[Any] | None = None
        self._schema: Schema | None = None
        if isinstance(schema, Schema):
            self._schema = schema
        elif isinstance(schema, str) and "/" not in schema and not schema.endswith(".sql"):
            self.namespace = schema
        elif schema is not None:
            self._schema = load_schema(schema)

    # ── what to seed ─────────────────────────────────────────────────────────
    @property
    def connection(self) -> psycopg.Connection[Any]:
        if self._conn is None:
            if self.conn_or_dsn is None:
                raise FraiseQLDataError("this SeedBuilder has no connection: pass one (or a DSN), or call build()")
            self._conn = connect(self.conn_or_dsn) if isinstance(self.conn_or_dsn, str) else self.conn_or_dsn
        return self._conn

    @property
    def model(self) -> Schema:
        """The schema model (introspected from the connection when none was given)."""
        if self._schema is None:
            self._schema = load_schema(self.connection)
        return self._schema

    def table(self, name: str) -> Table:
        if self.namespace and "." not in name and f"{self.namespace}.{name}" in self.model.table_map:
            return self.model.table_map[f"{self.namespace}.{name}"]
        return self.model.table(name)

    def add(self, table: str, count: Count = 10, **overrides: Override) -> Handle:
        """Ask for `count` rows of `table` (count may be a callable given a seeded random.Random)."""
        resolved = self.table(table)
        n = count(self.rng) if callable(count) else count
        start = sum(len(r.rows) for r in self.requests if r.table == resolved.qualified)
        request = Request(resolved.qualified, range(start, start + n), dict(overrides))
        self.requests.append(request)
        return Handle(request.table, request.rows)

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        """Adds grouped together: kept only if the block finishes without an error."""
        group = Batch(self)
        yield group
        self.requests.extend(group.requests)

    # ── building ─────────────────────────────────────────────────────────────
    def counts(self) -> dict[str, int]:
        """Rows per table: the requests plus every parent a NOT NULL foreign key needs."""
        counts: dict[str, int] = {}
        for request in self.requests:
            counts[request.table] = counts.get(request.table, 0) + len(request.rows)
        pending = [name for name, n in counts.items() if n]
        while pending:
            child = self.model.table(pending.pop())
            for fk in child.foreign_keys:
                required = not any(child.column(c).nullable for c in fk.columns)
                if not required or fk.ref_qualified == child.qualified or counts.get(fk.ref_qualified):
                    continue
                counts[fk.ref_qualified] = parent_count(child, fk.columns, counts[child.qualified])
                pending.append(fk.ref_qualified)
        return counts

    def build(self, validator: PostgresValidator | None = None) -> Seeds:
        """Generate every requested row (no database touched unless `validator` judges opaque CHECKs)."""
        schema = self.model
        run_seed = self.seed + 7919 * sum(self.written.values())  # a later execute draws other values
        options = SeedOptions(rows=0, seed=run_seed, rows_for=self.counts(), as_of=self.as_of, scenario=self.scenario,
                              test_case=self.test_case)
        dataset = generate(schema, options, validator=validator)
        as_of = self.as_of or DEFAULT_CLOCK
        rng = random.Random(run_seed)
        for name, data in dataset.tables.items():
            requests = [r for r in self.requests if r.table == name and r.overrides]
            before = {c: list(data.text[c]) for c in data.columns}
            if self.written.get(name):
                shift_keys(data, self.written[name], schema)
            touched: set[str] = set()
            for request in requests:
                touched |= apply_overrides(data, request.rows, request.overrides, schema, dataset.tables, rng)
            check_rows(data, schema, as_of, touched, "your override")
            for child, columns in follow_key_changes(data, before, dataset.tables).items():
                check_rows(dataset.tables[child], schema, as_of, columns, f"following the override of {name}")
        return Seeds(dataset, schema)

    def execute(self) -> Seeds:
        """Build, then COPY into the connection's current transaction (a savepoint: on error nothing stays)."""
        conn = self.connection
        seeds = self.build(PostgresValidator(conn))
        try:
            seeds.insert(conn)
        except SeedingError as error:
            raise refused(error) from error
        for name, n in seeds.counts().items():
            self.written[name] = self.written.get(name, 0) + n
        self.requests.clear()
        return seeds


class Batch:
    """`with builder.batch() as b:` — `b.add(...)`, and `b.when(cond).add(...)` to add conditionally."""

    def __init__(self, builder: SeedBuilder, enabled: bool = True, requests: list[Request] | None = None) -> None:
        self.builder = builder
        self.enabled = enabled
        self.requests: list[Request] = [] if requests is None else requests

    def add(self, table: str, count: Count = 10, **overrides: Override) -> Handle:
        resolved = self.builder.table(table)
        if not self.enabled:
            return Handle(resolved.qualified, range(0))
        n = count(self.builder.rng) if callable(count) else count
        start = sum(len(r.rows) for r in (*self.builder.requests, *self.requests) if r.table == resolved.qualified)
        request = Request(resolved.qualified, range(start, start + n), dict(overrides))
        self.requests.append(request)
        return Handle(request.table, request.rows)

    def when(self, condition: bool | Callable[[], bool]) -> Batch:
        holds = condition() if callable(condition) else condition
        return Batch(self.builder, self.enabled and bool(holds), self.requests)


def parent_count(child: Table, columns: tuple[str, ...], children: int) -> int:
    """Enough parent rows for `children` rows: one each when the FK is a key, else about a third."""
    for key in child.keys:
        if set(key.columns) <= set(columns) or all(c in fk_columns(child) for c in key.columns):
            return max(children, 2)
    return max(1, math.ceil(children / PARENT_SHARE))


def fk_columns(table: Table) -> set[str]:
    return {c for fk in table.foreign_keys for c in fk.columns}


def refused(error: SeedingError) -> Exception:
    """PostgreSQL's refusal as an error naming the constraint (it can only come from an override or a fixture)."""
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name is None:
        return error
    detail = getattr(diag, "message_detail", None) or getattr(diag, "message_primary", "") or ""
    return UnsatisfiableError(error.table, [ConstraintRef(name, str(getattr(diag, "message_primary", "")))],
                              hint=f"PostgreSQL refused a row ({detail.strip()}); check your overrides")

