"""The two schema readers agree: pg_catalog (`introspect`) and the DDL file (`parse_ddl`).

Everything the model holds must be equal, except SQL text that PostgreSQL
rewrites (CHECK, DEFAULT, generated and predicate expressions): CHECKs are
compared by the IR they compile to, defaults by their kind.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import psycopg
import pytest

from fraiseql_data.constraints.compile import compile_table
from fraiseql_data.schema.ddl import parse_ddl
from fraiseql_data.schema.introspect import introspect
from fraiseql_data.schema.model import Schema

AS_OF = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
SHARED = Path(__file__).parents[2] / "shared"
SOURCES = {
    "catalog": SHARED / "schemas" / "catalog.sql",
    "example": Path(__file__).parents[1] / "examples" / "catalog" / "schema.sql",
    "pagila": SHARED / "real_schemas" / "pagila.sql",
    "ledgersmb": SHARED / "real_schemas" / "ledgersmb.sql",
    "airlines_demo": SHARED / "real_schemas" / "airlines_demo.sql",
}


def comparable(schema: Schema) -> dict[str, Any]:
    """The schema with rewritten SQL text replaced by what it means."""
    tables = {}
    for table in schema.tables:
        compiled = {c.name: (c.classification, c.pred, c.columns) for c in compile_table(table, schema, AS_OF).checks}
        columns = [(c.name, c.type, c.nullable, c.default_kind, c.identity, c.generated is not None)
                   for c in table.columns]
        keys = [dataclasses.replace(k, predicate=None, expressions=None) for k in table.keys]
        shapes = [(k.name, k.predicate is not None, len(k.expressions or ())) for k in table.keys]
        tables[table.qualified] = (columns, compiled, keys, shapes, table.foreign_keys, table.inherits,
                                   table.partition_of, table.partitioned)
    domains = [(d.qualified, d.base, d.nullable, [c.name for c in d.checks]) for d in schema.domains]
    return {"tables": tables, "enums": schema.enums, "domains": domains, "composites": schema.composites}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_introspect_equals_parse_ddl(make_db, name: str) -> None:
    ddl = SOURCES[name].read_text()
    with psycopg.connect(make_db(ddl)) as conn:
        live = introspect(conn)
    parsed = parse_ddl(ddl)
    assert [t.qualified for t in parsed.tables] == [t.qualified for t in live.tables]
    mine, theirs = comparable(parsed), comparable(live)
    for table in theirs["tables"]:
        assert mine["tables"][table] == theirs["tables"][table], table
    assert mine == theirs
