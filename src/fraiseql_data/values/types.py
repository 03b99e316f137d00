"""Valid values for every PostgreSQL type, as text in the type's input syntax.

This is the one place that knows each type's syntax. Generated columns travel
as `list[str | None]` of exactly what `COPY ... FROM` in text format reads
(before COPY's own backslash escaping, which the sink adds), so every sampler
here returns strings. These are the values for columns nothing constrains;
constrained columns get theirs from the solver, which reuses `type_bounds` and
`max_chars`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from fraiseql_data.errors import FraiseQLDataError
from fraiseql_data.schema.model import Schema, TypeRef
from fraiseql_data.values import binary, geometry, network, numbers, ranges, temporal, text
from fraiseql_data.values.containers import sample_arrays, sample_records

ScalarSampler = Callable[[TypeRef, np.random.Generator, int], list[str]]

_SCALARS: dict[str, ScalarSampler] = {
    "smallint": numbers.sample_integer_type,
    "integer": numbers.sample_integer_type,
    "bigint": numbers.sample_integer_type,
    "oid": numbers.sample_oids,
    "numeric": numbers.sample_numeric,
    "real": numbers.sample_floats,
    "double precision": numbers.sample_floats,
    "money": numbers.sample_money,
    "boolean": numbers.sample_booleans,
    "pg_lsn": numbers.sample_pg_lsns,
    "text": text.sample_text,
    "character varying": text.sample_text,
    "character": text.sample_text,
    "bpchar": text.sample_text,  # character without a length limit
    '"char"': text.sample_char,
    "name": text.sample_names,
    "tsvector": text.sample_tsvectors,
    "tsquery": text.sample_tsqueries,
    "json": text.sample_json,
    "jsonb": text.sample_json,
    "xml": text.sample_xml,
    "bytea": binary.sample_bytea,
    "uuid": binary.sample_uuids,
    "bit": binary.sample_bits,
    "bit varying": binary.sample_bits,
    "date": temporal.sample_dates,
    "time without time zone": temporal.sample_times,
    "time with time zone": temporal.sample_times,
    "timestamp without time zone": temporal.sample_timestamps,
    "timestamp with time zone": temporal.sample_timestamps,
    "interval": temporal.sample_intervals,
    "inet": network.sample_inet,
    "cidr": network.sample_inet,
    "macaddr": network.sample_macaddr,
    "macaddr8": network.sample_macaddr,
    "point": geometry.sample_points,
    "line": geometry.sample_lines,
    "lseg": geometry.sample_segments,
    "box": geometry.sample_boxes,
    "path": geometry.sample_paths,
    "polygon": geometry.sample_polygons,
    "circle": geometry.sample_circles,
    **dict.fromkeys(ranges.RANGE_TYPES, ranges.sample_ranges),
    **dict.fromkeys(ranges.MULTIRANGE_TYPES, ranges.sample_multiranges),
}
# Extension types, matched by the name after the schema: an extension installs in any schema.
_EXTENSIONS: dict[str, ScalarSampler] = {
    "citext": text.sample_text,
    "hstore": text.sample_hstore,
}
# Object-identifier types whose values must name existing catalog objects.
_REG_TYPES = frozenset(
    ("regclass", "regcollation", "regconfig", "regdictionary", "regnamespace", "regoper",
     "regoperator", "regproc", "regprocedure", "regrole", "regtype")
)  # fmt: skip
_CHARACTER_TYPES = frozenset(("character varying", "character", "bpchar", '"char"', "text", "name"))


class UnknownTypeError(FraiseQLDataError):
    """A type this module has no value syntax for; the caller adds the table and column."""

    def __init__(self, type_name: str, reason: str = "no value generator knows this type") -> None:
        self.type_name = type_name
        self.reason = reason
        super().__init__(
            f"type {type_name}: {reason} — give the column an override, or make it nullable so that it is left NULL"
        )


def sample_type(type: TypeRef, schema: Schema, rng: np.random.Generator, n: int) -> list[str]:
    """n valid values of `type` (never NULL), a pure function of the rng's state.

    Domains give values of their base type (their CHECKs are the solver's
    business), enums one of their labels, composites row literals and arrays
    array literals of 0..4 elements (rectangular when multi-dimensional).
    """

    def sample(element: TypeRef, count: int) -> list[str]:
        return sample_type(element, schema, rng, count)

    if type.array_dims:
        return sample_arrays(type, rng, n, sample, delimiter=";" if _base_name(type, schema) == "box" else ",")
    if type.name in _SCALARS:
        return _SCALARS[type.name](type, rng, n)
    if type.name in schema.domain_map:
        return sample(schema.domain_map[type.name].base, n)
    if type.name in schema.enum_map:
        labels = schema.enum_map[type.name].labels
        if not labels:
            raise UnknownTypeError(type.name, "the enum has no labels, so no value is valid")
        return [labels[i] for i in rng.integers(0, len(labels), size=n).tolist()]
    if type.name in schema.composite_map:
        return sample_records(schema.composite_map[type.name], n, sample)
    extension_type = type.name.rpartition(".")[2]
    if extension_type in _EXTENSIONS:
        return _EXTENSIONS[extension_type](type, rng, n)
    if type.name in _REG_TYPES:
        raise UnknownTypeError(type.name, "its values must name existing catalog objects, which are not generated")
    raise UnknownTypeError(type.name)


def _base_name(type: TypeRef, schema: Schema) -> str:
    """The element type's name with domains resolved (a domain shares its base type's array delimiter)."""
    name = type.name
    while name in schema.domain_map:
        name = schema.domain_map[name].base.name
    return name


def type_bounds(type: TypeRef) -> tuple[int, int] | None:
    """Inclusive (min, max) of smallint, integer, bigint and oid; None for any other type."""
    if type.array_dims:
        return None
    return numbers.INTEGER_BOUNDS.get(type.name)


def max_chars(type: TypeRef) -> int | None:
    """The most characters a character-type value may hold; None when unlimited or not a string type."""
    if type.array_dims or type.name not in _CHARACTER_TYPES:
        return None
    if type.name in ("character varying", "character") and type.modifiers:
        return type.modifiers[0]
    return {"character": 1, '"char"': 1, "name": 63}.get(type.name)
