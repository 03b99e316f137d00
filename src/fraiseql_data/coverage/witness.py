"""The witness: rows that meet every constraint, loaded into the live database.

Every probe starts from a witness. One dataset is generated for the whole
schema and COPYed in (inside the caller's savepoint); a table whose rows cannot
be generated or are refused is left out, with the reason, and the rest is
retried without it. A few rows per table that no other row references are
held back as *spares*: rows that meet every constraint yet are not in the
database, so a probe can insert one changed in exactly one way, and their key
values are keys the database does not hold (what a foreign-key probe needs).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import psycopg

from fraiseql_data.errors import CapacityError, CycleError, FraiseQLDataError, SeedingError
from fraiseql_data.generate import Dataset, SeedOptions, generate
from fraiseql_data.schema.model import Schema
from fraiseql_data.sinks.copy import load
from fraiseql_data.solver.table import TableData
from fraiseql_data.validate import Validator

WITNESS_ROWS = 8
SPARES = 2  # a self-reference needs two: one to insert, one whose key it points at
KEEP = 2  # rows left in the database per table, for uniqueness probes
MAX_ROWS = 20_000  # no table needs more to keep spares

Row = dict[str, str | None]


@dataclass
class Witness:
    loaded: dict[str, TableData]  # what is in the database, by table
    spares: dict[str, list[Row]]  # held-back rows, PostgreSQL text per written column
    failures: dict[str, FraiseQLDataError] = field(default_factory=dict)  # tables left out, and why
    notes: list[str] = field(default_factory=list)  # tables with fewer rows than asked, and why

    def reason(self, table: str) -> str:
        if table in self.failures:
            return str(self.failures[table])
        return next((n for n in self.notes if n.startswith(f"{table}:")), "no rows were generated")


def failing_tables(error: FraiseQLDataError) -> list[str]:
    if isinstance(error, CycleError):
        return list(error.tables)
    table = getattr(error, "table", None)
    return [table] if isinstance(table, str) else []


def referenced(dataset: Dataset) -> dict[tuple[str, tuple[str, ...]], set[tuple[str | None, ...]]]:
    """Per (parent, referenced columns): the key tuples some row points at."""
    found: dict[tuple[str, tuple[str, ...]], set[tuple[str | None, ...]]] = {}
    for data in dataset.tables.values():
        for fk in data.table.foreign_keys:
            seen = found.setdefault((fk.ref_qualified, fk.ref_columns), set())
            columns = [data.text[c] for c in fk.columns]
            seen.update(t for t in zip(*columns, strict=True) if None not in t)
    return found


def hold_back(dataset: Dataset) -> tuple[Dataset, dict[str, list[Row]]]:
    """Split off up to SPARES unreferenced rows per table (the last ones: tree leaves, most often)."""
    pointed = referenced(dataset)
    tables: dict[str, TableData] = {}
    spares: dict[str, list[Row]] = {}
    for name, data in dataset.tables.items():
        incoming = [(cols, seen) for (parent, cols), seen in pointed.items() if parent == name]
        free = [i for i in reversed(range(data.n))
                if all(tuple(data.text[c][i] for c in cols) not in seen for cols, seen in incoming)]
        held = free[:max(0, min(SPARES, data.n - KEEP))]
        mask = np.ones(data.n, dtype=bool)
        mask[held] = False
        tables[name] = data.take(mask)
        spares[name] = [{c: data.text[c][i] for c in data.columns} for i in held]
    return Dataset(dataset.plan, tables, dataset.notes), spares


def row_counts(schema: Schema, rows: int) -> dict[str, int]:
    """More rows for tables that others reference, so that some stay unreferenced (spares).

    A one-to-one child (its foreign key columns hold a unique key) uses up a parent row per row, so
    its parent gets that many more; a few passes settle chains of them.
    """
    incoming = Counter(fk.ref_qualified for t in schema.tables for fk in t.foreign_keys
                       if fk.ref_qualified != t.qualified)
    counts = {t.qualified: rows * (1 + incoming[t.qualified]) for t in schema.tables if not t.partitioned}
    for _ in range(len(schema.tables)):
        grown = False
        for table in schema.tables:
            for fk in table.foreign_keys:
                parent = fk.ref_qualified
                one_to_one = any(set(k.columns) <= set(fk.columns) for k in table.keys if not k.predicate)
                if not one_to_one or parent == table.qualified or table.qualified not in counts or \
                        parent not in counts:
                    continue
                needed = min(counts[table.qualified] + rows * (1 + incoming[parent]), MAX_ROWS)
                if counts[parent] < needed:
                    counts[parent], grown = needed, True
        if not grown:
            break
    return counts


def load_witness(conn: psycopg.Connection[Any], schema: Schema, clock: dt.datetime, validator: Validator,
                 seed: int = 0, rows: int = WITNESS_ROWS) -> Witness:
    """Generate and COPY the witness into `conn`'s current transaction, leaving out what fails."""
    failures: dict[str, FraiseQLDataError] = {}
    counts = row_counts(schema, rows)
    while True:
        options = SeedOptions(rows=rows, seed=seed, rows_for=counts | dict.fromkeys(failures, 0), clock=clock,
                              null_rate=0.0, allow_opaque=True)
        try:
            dataset = generate(schema, options, validator=validator)
        except CapacityError as error:  # the constraints allow fewer rows: ask for that many
            if counts.get(error.table, 0) <= error.capacity and not retry(error, failures):
                raise
            counts[error.table] = error.capacity
            continue
        except FraiseQLDataError as error:
            if not retry(error, failures):
                raise
            continue
        dataset, spares = hold_back(dataset)
        try:
            with conn.transaction():
                load(conn, dataset)
                conn.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred keys: checked now, and in every probe
        except SeedingError as error:
            if not retry(error, failures):
                raise
            continue
        except psycopg.errors.IntegrityError as error:  # a deferred constraint, refused at SET CONSTRAINTS
            refused = SeedingError(f"{error.diag.schema_name}.{error.diag.table_name}", str(error))
            if not retry(refused, failures):
                raise
            continue
        return Witness(dataset.tables, spares, failures, list(dataset.notes))


def retry(error: FraiseQLDataError, failures: dict[str, FraiseQLDataError]) -> bool:
    """Record the tables an error names; False when it names none that is new (no progress possible)."""
    new = [t for t in failing_tables(error) if t not in failures]
    for table in new:
        failures[table] = error
    return bool(new)
