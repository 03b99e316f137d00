"""PostgreSQL text values ↔ Python values, the way psycopg itself converts them.

Generated rows are PostgreSQL text (what COPY writes). Users read them as the
Python values a query would return (`int`, `date`, `UUID`, `Decimal`), and write
overrides as Python values; both directions go through here so they agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from psycopg.postgres import adapters
from psycopg.postgres import types as pg_types
from psycopg.pq import Format

from fraiseql_data.constraints.encoding import resolve_domain
from fraiseql_data.schema.model import Schema, TypeRef

Loader = Callable[[str], Any]


def _as_text(value: str) -> str:
    return value


@lru_cache(maxsize=256)
def _builtin_loader(name: str, array: bool) -> Loader:
    info = pg_types.get(name)
    if info is None:
        return _as_text
    oid = info.array_oid if array else info.oid
    loader = adapters.get_loader(oid, Format.TEXT)
    if loader is None:
        return _as_text
    instance = loader(oid)
    return lambda text: instance.load(text.encode())


def loader_for(type_: TypeRef, schema: Schema) -> Loader:
    """How to read a column's text: domains unwrapped; enums and unknown types stay text."""
    base, _, _ = resolve_domain(type_, schema)
    return _builtin_loader(base.name, base.array_dims > 0)


def python_value(text: str | None, type_: TypeRef, schema: Schema) -> Any:
    if text is None:
        return None
    try:
        return loader_for(type_, schema)(text)
    except (ValueError, TypeError, ArithmeticError):  # a value psycopg cannot read (infinity dates ...)
        return text


def pg_text(value: Any) -> str | None:
    """A Python value as PostgreSQL text input (what COPY reads)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        items = ("NULL" if v is None else '"' + str(pg_text(v)).replace("\\", "\\\\").replace('"', '\\"') + '"'
                 for v in value)
        return "{" + ",".join(items) + "}"
    return str(value)
