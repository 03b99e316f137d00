"""The schema model: what both readers (pg_catalog and DDL) produce.

Frozen dataclasses of tuples, so a `Schema` is a value: two readers agree when
their schemas compare equal, and every later stage can trust it never changes.
Names are stored unquoted, exactly as PostgreSQL stores them (`catalog`,
`tb_user`, `Weird Name`); quote them with `psycopg.sql.Identifier` when writing SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


class DefaultKind(StrEnum):
    """How a column default behaves, which is what generation needs to know."""

    NONE = "none"
    CONSTANT = "constant"  # 'member', 0, false: the same value every row
    SEQUENCE = "sequence"  # nextval(...): serial columns
    VOLATILE = "volatile"  # now(), gen_random_uuid(), any other function call


class Identity(StrEnum):
    ALWAYS = "always"
    BY_DEFAULT = "by default"


@dataclass(frozen=True)
class TypeRef:
    """A column type, canonicalised.

    `name` is PostgreSQL's canonical name for built-ins (`integer`, `bigint`,
    `character varying`, `numeric`, `timestamp with time zone`, `text`, ...)
    and `schema.name` for user types (enums, domains, composites, extension
    types such as `public.citext`). `modifiers` hold the typmod (`(n,)` for
    varchar/char/bit, `(p, s)` for numeric, `(p,)` for time precision).
    """

    name: str
    modifiers: tuple[int, ...] = ()
    array_dims: int = 0

    def __str__(self) -> str:
        mods = f"({','.join(map(str, self.modifiers))})" if self.modifiers else ""
        return f"{self.name}{mods}{'[]' * self.array_dims}"

    @property
    def element(self) -> TypeRef:
        """The element type of an array (the type itself otherwise)."""
        return TypeRef(self.name, self.modifiers, 0)


@dataclass(frozen=True)
class Column:
    name: str
    type: TypeRef
    nullable: bool = True
    default: str | None = None  # SQL text of the default expression
    default_kind: DefaultKind = DefaultKind.NONE
    identity: Identity | None = None
    generated: str | None = None  # SQL text of a GENERATED ALWAYS AS (...) STORED column


@dataclass(frozen=True)
class Check:
    """A CHECK constraint; `expression` is SQL text without the CHECK keyword."""

    name: str
    expression: str
    columns: tuple[str, ...] = ()  # columns the expression references, in table order


@dataclass(frozen=True)
class Unique:
    """A PRIMARY KEY, UNIQUE constraint or unique index.

    `columns` are the key columns for a plain key, or the columns the key
    expressions reference for an expression index (then `expressions` holds
    each key element's SQL text). `predicate` is the WHERE of a partial index.
    """

    name: str
    columns: tuple[str, ...]
    primary: bool = False
    nulls_not_distinct: bool = False
    predicate: str | None = None
    expressions: tuple[str, ...] | None = None
    is_index: bool = False  # a CREATE UNIQUE INDEX rather than a table constraint


@dataclass(frozen=True)
class ForeignKey:
    name: str
    columns: tuple[str, ...]
    ref_schema: str
    ref_table: str
    ref_columns: tuple[str, ...]
    deferrable: bool = False
    initially_deferred: bool = False
    match_full: bool = False
    on_delete: str = "NO ACTION"

    @property
    def ref_qualified(self) -> str:
        return f"{self.ref_schema}.{self.ref_table}"


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    columns: tuple[Column, ...]
    checks: tuple[Check, ...] = ()
    primary_key: Unique | None = None
    uniques: tuple[Unique, ...] = ()  # UNIQUE constraints and unique indexes, PK excluded
    foreign_keys: tuple[ForeignKey, ...] = ()
    inherits: tuple[str, ...] = ()  # qualified names of parent tables (INHERITS)
    partition_of: str | None = None  # qualified name of the partitioned parent
    partitioned: bool = False  # PARTITION BY: rows go to the partitions

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @cached_property
    def column_map(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    def column(self, name: str) -> Column:
        try:
            return self.column_map[name]
        except KeyError:
            raise KeyError(f"{name=} is not a column of {self.qualified}") from None

    @property
    def keys(self) -> tuple[Unique, ...]:
        """The primary key (if any) followed by every other unique key."""
        return ((self.primary_key,) if self.primary_key else ()) + self.uniques


@dataclass(frozen=True)
class EnumType:
    schema: str
    name: str
    labels: tuple[str, ...]  # in sort order

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class Domain:
    schema: str
    name: str
    base: TypeRef
    nullable: bool = True
    default: str | None = None
    checks: tuple[Check, ...] = ()  # expressions over VALUE

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class CompositeType:
    schema: str
    name: str
    attributes: tuple[tuple[str, TypeRef], ...]

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class Schema:
    """Every table and user type of the non-system namespaces, sorted by name."""

    tables: tuple[Table, ...] = ()
    enums: tuple[EnumType, ...] = ()
    domains: tuple[Domain, ...] = ()
    composites: tuple[CompositeType, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @cached_property
    def table_map(self) -> dict[str, Table]:
        return {t.qualified: t for t in self.tables}

    @cached_property
    def enum_map(self) -> dict[str, EnumType]:
        return {e.qualified: e for e in self.enums}

    @cached_property
    def domain_map(self) -> dict[str, Domain]:
        return {d.qualified: d for d in self.domains}

    @cached_property
    def composite_map(self) -> dict[str, CompositeType]:
        return {c.qualified: c for c in self.composites}

    def table(self, name: str) -> Table:
        """Look a table up by `schema.name`, or by bare name when unambiguous."""
        if name in self.table_map:
            return self.table_map[name]
        matches = [t for t in self.tables if t.name == name]
        if len(matches) == 1:
            return matches[0]
        from fraiseql_data.errors import UnknownTableError

        raise UnknownTableError(name, [t.qualified for t in self.tables], ambiguous=len(matches) > 1)
