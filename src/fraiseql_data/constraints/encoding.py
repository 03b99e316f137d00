"""How each column type is encoded as an integer for the solver.

An encoding fixes the integer range a column may take (the type's limits),
its decimal scale, and how to turn the integer back into PostgreSQL text.
Columns whose type has no integer form (uuid, json, inet, ...) get `OTHER`:
constraints over them are opaque, and the value layer fills them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from fraiseql_data.schema.model import Check, Column, Schema, TypeRef

EPOCH = dt.date(1970, 1, 1)
DAY_MIN = (dt.date(1, 1, 1) - EPOCH).days
DAY_MAX = (dt.date(9999, 12, 31) - EPOCH).days
SECONDS_PER_DAY = 86_400
FLOAT_SCALE = 4  # real/double are modelled as fixed point with this many decimals
TEXT_MAX = 10_000  # a length bound for unbounded text, far above anything generated


class Kind(StrEnum):
    INT = "int"
    NUMERIC = "numeric"
    FLOAT = "float"
    BOOL = "bool"
    DATE = "date"
    TIMESTAMP = "timestamp"
    TIMESTAMPTZ = "timestamptz"
    TIME = "time"
    ENUM = "enum"
    TEXT = "text"
    OTHER = "other"


INT_BOUNDS = {
    "smallint": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
    "oid": (0, 2**32 - 1),
}
TEXT_TYPES = {"text", "character varying", "character", "name", "public.citext", '"char"'}
NUMERIC_DEFAULT = (15, 2)  # precision and scale assumed for an unconstrained numeric


@dataclass(frozen=True)
class Encoding:
    kind: Kind
    lo: int = 0
    hi: int = 0
    scale: int = 0
    labels: tuple[str, ...] = ()  # enum labels in sort order
    max_len: int = TEXT_MAX  # text: characters
    fixed_len: bool = False  # character(n): blank-padded
    type: TypeRef | None = None  # the base type, domains unwrapped

    @property
    def numeric_like(self) -> bool:
        return self.kind not in (Kind.TEXT, Kind.BOOL, Kind.OTHER)


def resolve_domain(type_: TypeRef, schema: Schema) -> tuple[TypeRef, tuple[Check, ...], bool]:
    """Unwrap domains: the base type, every domain CHECK on the way, and NOT NULL."""
    checks: list[Check] = []
    not_null = False
    seen = 0
    while type_.array_dims == 0 and type_.name in schema.domain_map and seen < 32:
        domain = schema.domain_map[type_.name]
        checks.extend(domain.checks)
        not_null = not_null or not domain.nullable
        type_ = domain.base
        seen += 1
    return type_, tuple(checks), not_null


def encode(column: Column, schema: Schema) -> Encoding:
    base, _, _ = resolve_domain(column.type, schema)
    return encode_type(base, schema)


def encode_type(type_: TypeRef, schema: Schema) -> Encoding:
    name, mods = type_.name, type_.modifiers
    if type_.array_dims:
        return Encoding(Kind.OTHER, type=type_)
    if name in INT_BOUNDS:
        lo, hi = INT_BOUNDS[name]
        return Encoding(Kind.INT, lo, hi, type=type_)
    if name == "numeric" or name == "money":
        precision, scale = (mods[0], mods[1] if len(mods) > 1 else 0) if mods else NUMERIC_DEFAULT
        if name == "money":
            precision, scale = 17, 2
        limit = 10**precision - 1
        return Encoding(Kind.NUMERIC, -limit, limit, scale=scale, type=type_)
    if name in ("real", "double precision"):
        limit = 10**9 * 10**FLOAT_SCALE
        return Encoding(Kind.FLOAT, -limit, limit, scale=FLOAT_SCALE, type=type_)
    if name == "boolean":
        return Encoding(Kind.BOOL, 0, 1, type=type_)
    if name == "date":
        return Encoding(Kind.DATE, DAY_MIN, DAY_MAX, type=type_)
    if name in ("timestamp without time zone", "timestamp with time zone"):
        kind = Kind.TIMESTAMPTZ if name.endswith("with time zone") else Kind.TIMESTAMP
        return Encoding(kind, DAY_MIN * SECONDS_PER_DAY, (DAY_MAX + 1) * SECONDS_PER_DAY - 1, type=type_)
    if name == "time without time zone":
        return Encoding(Kind.TIME, 0, SECONDS_PER_DAY - 1, type=type_)
    if name in schema.enum_map:
        labels = schema.enum_map[name].labels
        return Encoding(Kind.ENUM, 0, len(labels) - 1, labels=labels, type=type_)
    if name in TEXT_TYPES:
        if name == '"char"':
            return Encoding(Kind.TEXT, max_len=1, type=type_)
        max_len = mods[0] if mods else (1 if name == "character" else TEXT_MAX)
        return Encoding(Kind.TEXT, max_len=max_len, fixed_len=name == "character", type=type_)
    return Encoding(Kind.OTHER, type=type_)
