"""`load_schema`: the schema model from a DDL file, DDL text, or a live connection.

A connection is PostgreSQL's own view (pg_catalog) and the most exact; a DDL
file is read offline by the DDL reader, so no server is needed to build
datasets or Hypothesis strategies.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg

from fraiseql_data.schema.ddl import parse_ddl
from fraiseql_data.schema.introspect import introspect
from fraiseql_data.schema.model import Schema

SchemaSource = Schema | psycopg.Connection[Any] | str | Path


def load_schema(source: SchemaSource) -> Schema:
    """A Schema as is; a connection introspected; a path (or DDL text) read as DDL."""
    if isinstance(source, Schema):
        return source
    if isinstance(source, psycopg.Connection):
        return introspect(source)
    if isinstance(source, Path) or ("\n" not in source and not source.rstrip().endswith(";")):
        return parse_ddl(Path(source).read_text(encoding="utf-8"))
    return parse_ddl(source)
