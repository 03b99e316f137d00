"""The order of writes for a dataset, shared by the COPY sink and the SQL script.

Most tables are one COPY each, parents first. Foreign keys a cycle forces us to
cut are either deferred (`SET CONSTRAINTS`), written NULL then UPDATEd, or —
when neither is possible — the cycle's tables are written by one INSERT
statement from temporary copies, since PostgreSQL checks non-deferred foreign
keys at the end of each statement.
"""

from __future__ import annotations

from dataclasses import dataclass

from fraiseql_data.generate import Dataset
from fraiseql_data.plan.graph import BrokenEdge
from fraiseql_data.solver.table import TableData


@dataclass(frozen=True)
class Defer:
    constraints: tuple[tuple[str, str], ...]  # (schema of the child table, constraint name)


@dataclass(frozen=True)
class Copy:
    data: TableData
    blank: frozenset[str]  # columns written NULL now and UPDATEd later


@dataclass(frozen=True)
class Together:
    tables: tuple[TableData, ...]  # one INSERT statement for all of them


@dataclass(frozen=True)
class Update:
    data: TableData
    columns: tuple[str, ...]


Step = Defer | Copy | Together | Update


def statement_groups(dataset: Dataset) -> dict[str, tuple[str, ...]]:
    """Every table of a cycle that must go in with one statement → that cycle's tables."""
    needs = {e.table for e in dataset.broken if e.how == "statement"}
    return {t: component for component in dataset.plan.components if needs & set(component) for t in component}


def steps(dataset: Dataset) -> list[Step]:
    groups = statement_groups(dataset)
    found: list[Step] = []
    deferred = tuple((dataset.tables[e.table].table.schema, e.fk.name) for e in dataset.broken
                     if e.how == "deferred" and e.table not in groups)
    if deferred:
        found.append(Defer(deferred))
    updates: dict[str, list[BrokenEdge]] = {}
    for edge in dataset.broken:
        if edge.how == "update" and edge.table not in groups:
            updates.setdefault(edge.table, []).append(edge)
    for name, data in dataset.tables.items():
        group = groups.get(name)
        if group is not None:
            if name == group[0]:
                members = tuple(dataset.tables[t] for t in group if dataset.tables[t].n and dataset.tables[t].columns)
                if members:
                    found.append(Together(members))
            continue
        if data.n == 0 or not data.columns:
            continue
        blank = frozenset(c for e in updates.get(name, ()) for c in e.null_columns)
        found.append(Copy(data, blank))
    for name, edges in updates.items():
        for edge in edges:
            if dataset.tables[name].n:
                found.append(Update(dataset.tables[name], edge.fk.columns))
    return found
