"""Seeds: a generated (or imported) dataset that tests read by attribute.

`seeds.tb_model[0].fk_manufacturer` reads like the rows a query returns —
values converted by psycopg's own loaders — while the PostgreSQL text stays
underneath, so `insert`, JSON and CSV round-trip exactly.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, overload

import psycopg

from fraiseql_data.api.values import python_value
from fraiseql_data.errors import UnknownTableError
from fraiseql_data.generate import Dataset
from fraiseql_data.plan.graph import build_plan
from fraiseql_data.schema.model import Schema, Table
from fraiseql_data.sinks.copy import load
from fraiseql_data.sinks.files import as_json, write_csv
from fraiseql_data.solver.table import TableData


class SeedRow:
    """One row: attributes (and `row["col"]`) give Python values, `text(col)` the PostgreSQL text."""

    __slots__ = ("_data", "_index", "_schema")

    def __init__(self, data: TableData, index: int, schema: Schema) -> None:
        self._data = data
        self._index = index
        self._schema = schema

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"{self._data.table.qualified} has no column {name!r}") from None

    def __getitem__(self, name: str) -> Any:
        column = self._data.table.column_map.get(name)
        if column is None or name not in self._data.text:
            raise KeyError(name)
        return python_value(self._data.text[name][self._index], column.type, self._schema)

    def text(self, name: str) -> str | None:
        return self._data.text[name][self._index]

    def as_dict(self) -> dict[str, Any]:
        return {c: self[c] for c in self._data.columns}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SeedRow) and self._data.table == other._data.table and \
            all(self.text(c) == other.text(c) for c in self._data.columns)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{c}={self.text(c)!r}" for c in self._data.columns)
        return f"<{self._data.table.name} {shown}>"


class SeedTable(Sequence[SeedRow]):
    """The rows of one table, in the order they were written."""

    def __init__(self, data: TableData, schema: Schema) -> None:
        self.data = data
        self.schema = schema

    @property
    def table(self) -> Table:
        return self.data.table

    def __len__(self) -> int:
        return self.data.n

    @overload
    def __getitem__(self, index: int) -> SeedRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[SeedRow]: ...

    def __getitem__(self, index: int | slice) -> SeedRow | list[SeedRow]:
        if isinstance(index, slice):
            return [SeedRow(self.data, i, self.schema) for i in range(self.data.n)[index]]
        if not -self.data.n <= index < self.data.n:
            raise IndexError(f"{self.table.qualified} has {self.data.n} rows")
        return SeedRow(self.data, index % self.data.n, self.schema)

    def column(self, name: str) -> list[Any]:
        """Every row's value of one column."""
        return [row[name] for row in self]

    def __repr__(self) -> str:
        return f"<{self.table.qualified}: {self.data.n} rows>"


class Seeds:
    """Every table of a dataset; `seeds.tb_model` when the bare name is unambiguous, else `seeds["s.t"]`."""

    def __init__(self, dataset: Dataset, schema: Schema) -> None:
        self.dataset = dataset
        self.schema = schema

    # ── reading ──────────────────────────────────────────────────────────────
    def __getitem__(self, name: str) -> SeedTable:
        table = self.schema.table(name)  # bare names resolve when unambiguous
        data = self.dataset.tables.get(table.qualified)
        if data is None:
            data = empty(table)
        return SeedTable(data, self.schema)

    def __getattr__(self, name: str) -> SeedTable:
        if name.startswith("_") or name in ("dataset", "schema"):
            raise AttributeError(name)
        try:
            return self[name]
        except UnknownTableError as error:
            raise AttributeError(str(error)) from None

    def __iter__(self) -> Iterator[SeedTable]:
        """The tables holding rows, in fill order (parents first)."""
        return (SeedTable(d, self.schema) for d in self.dataset.tables.values() if d.n)

    def counts(self) -> dict[str, int]:
        return {name: data.n for name, data in self.dataset.tables.items() if data.n}

    def __repr__(self) -> str:
        return f"Seeds({self.counts()})"

    # ── writing ──────────────────────────────────────────────────────────────
    def insert(self, conn: psycopg.Connection[Any]) -> Seeds:
        """COPY every row inside the connection's current transaction; the caller commits or rolls back.

        An idle connection gets its implicit transaction started first, so the COPY sink's own
        transaction block becomes a savepoint rather than a commit.
        """
        if not conn.autocommit and conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
            conn.execute("SELECT 1")
        load(conn, self.dataset)
        return self

    def as_dict(self) -> dict[str, list[dict[str, str | None]]]:
        """PostgreSQL text per column, per row, per table (tables with rows only)."""
        return {name: rows for name, rows in as_json(self.dataset).items() if rows}

    def to_json(self, path: str | Path | None = None) -> str:
        text = json.dumps(self.as_dict(), ensure_ascii=False, indent=1)
        if path is not None:
            Path(path).write_text(text + "\n", encoding="utf-8")
        return text

    def to_csv(self, directory: str | Path) -> list[Path]:
        """One `schema.table.csv` per table; NULL is an empty field (JSON keeps '' and NULL apart, CSV cannot)."""
        return write_csv(self.dataset, Path(directory))

    # ── importing fixtures ───────────────────────────────────────────────────
    @classmethod
    def from_rows(cls, rows: Mapping[str, Sequence[Mapping[str, Any]]], schema: Schema) -> Seeds:
        """Hand-written or exported rows (`{"schema.table": [{column: text}, ...]}`) as Seeds."""
        from fraiseql_data.api.values import pg_text

        tables: dict[str, TableData] = {}
        for name, records in rows.items():
            table = schema.table(name)
            columns = tuple(c.name for c in table.columns if any(c.name in r for r in records))
            unknown = {k for r in records for k in r} - set(table.column_map)
            if unknown:
                raise UnknownTableError(f"{table.qualified}.{sorted(unknown)[0]}", [c.name for c in table.columns])
            tables[table.qualified] = TableData(table, len(records), columns,
                                                {c: [pg_text(r.get(c)) for r in records] for c in columns})
        return cls(as_dataset(schema, tables), schema)

    @classmethod
    def from_json(cls, source: str | Path, schema: Schema) -> Seeds:
        """JSON text, or a path to a JSON file, as written by `to_json`."""
        text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
        if isinstance(source, str) and not source.lstrip().startswith("{"):
            text = Path(source).read_text(encoding="utf-8")
        return cls.from_rows(json.loads(text), schema)

    @classmethod
    def from_csv(cls, directory: str | Path, schema: Schema) -> Seeds:
        """The `schema.table.csv` files of a folder, as written by `to_csv` (empty unquoted field = NULL)."""
        rows: dict[str, list[dict[str, str | None]]] = {}
        for path in sorted(Path(directory).glob("*.csv")):
            with path.open(newline="", encoding="utf-8") as handle:
                reader = csv.reader(handle)
                header = next(reader, None)
                records = [{c: v or None for c, v in zip(header, record, strict=True)} for record in reader] \
                    if header else []
            if records:
                rows[path.name.removesuffix(".csv")] = records
        return cls.from_rows(rows, schema)


def empty(table: Table) -> TableData:
    columns = tuple(c.name for c in table.columns if c.generated is None)
    return TableData(table, 0, columns, {c: [] for c in columns})


def as_dataset(schema: Schema, tables: Mapping[str, TableData]) -> Dataset:
    """Tables in the fill order (and with the cut foreign keys) of the whole schema's plan."""
    plan = build_plan(schema, [t.qualified for t in schema.tables if not t.partitioned], single_statement=True)
    return Dataset(plan, {name: tables.get(name) or empty(schema.table(name)) for name in plan.order}, [])
