"""Read a live PostgreSQL catalog into the schema model.

One query per object kind (types, tables, composites, columns, constraints,
unique indexes, enums, domains, domain checks), never one per table, so a
500-table schema costs the same nine round trips as a 5-table one. Expression
text comes from PostgreSQL's own deparser (`pg_get_expr`,
`pg_get_constraintdef`, `pg_get_indexdef`), so it arrives in the normalised
form the constraint compiler expects; like every deparse, it qualifies names
that are not on the session's `search_path`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import tuple_row

from fraiseql_data.schema.model import (
    Check,
    Column,
    CompositeType,
    DefaultKind,
    Domain,
    EnumType,
    ForeignKey,
    Identity,
    Schema,
    Table,
    TypeRef,
    Unique,
)


def _user_object(oid: sql.Composable, catalog: str) -> sql.Composed:
    """WHERE clause: `oid` (of `catalog`) lives in user namespace `n` and no extension owns it."""
    return sql.SQL(
        "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'"
        " AND NOT EXISTS (SELECT FROM pg_depend dep WHERE dep.classid = {catalog}::regclass"
        " AND dep.objid = {oid} AND dep.deptype = 'e')"
    ).format(catalog=sql.Literal(catalog), oid=oid)


# Types outside pg_catalog are named `schema.name` (unquoted); built-ins by format_type.
_TYPES = sql.SQL(
    """
    SELECT t.oid,
           CASE WHEN n.nspname = 'pg_catalog' THEN format_type(t.oid, NULL)
                ELSE n.nspname || '.' || t.typname END,
           CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN t.typelem END
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    """
)

_TABLES = sql.SQL(
    """
    SELECT c.oid, n.nspname, c.relname, c.relkind = 'p', c.relispartition,
           ARRAY(SELECT pn.nspname || '.' || p.relname
                 FROM pg_inherits i
                 JOIN pg_class p ON p.oid = i.inhparent
                 JOIN pg_namespace pn ON pn.oid = p.relnamespace
                 WHERE i.inhrelid = c.oid ORDER BY i.inhseqno)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND {user_object}
    """
).format(user_object=_user_object(sql.Identifier("c", "oid"), "pg_class"))

_COMPOSITES = sql.SQL(
    """
    SELECT t.typrelid, n.nspname, t.typname
    FROM pg_type t
    JOIN pg_namespace n ON n.oid = t.typnamespace
    JOIN pg_class c ON c.oid = t.typrelid
    WHERE t.typtype = 'c' AND c.relkind = 'c' AND {user_object}
    """
).format(user_object=_user_object(sql.Identifier("t", "oid"), "pg_type"))

_COLUMNS = sql.SQL(
    """
    SELECT a.attrelid, a.attnum, a.atttypid, a.atttypmod, a.attndims, a.attname, a.attnotnull,
           a.attidentity, a.attgenerated, pg_get_expr(d.adbin, d.adrelid), d.adbin::text
    FROM pg_attribute a
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attrelid = ANY(%s::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY a.attrelid, a.attnum
    """
)

# A foreign key that references a partitioned table gets one extra internal row
# per referenced partition, on the same referencing table: skip those copies.
_CONSTRAINTS = sql.SQL(
    """
    SELECT con.conrelid, con.conname, con.contype, pg_get_constraintdef(con.oid), con.conkey,
           rn.nspname, rc.relname,
           ARRAY(SELECT a.attname
                 FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
                 ORDER BY k.ord),
           con.condeferrable, con.condeferred, con.confmatchtype, con.confdeltype,
           {nulls_not_distinct}
    FROM pg_constraint con
    LEFT JOIN pg_class rc ON rc.oid = con.confrelid
    LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
    LEFT JOIN pg_index i ON i.indexrelid = con.conindid
    WHERE con.conrelid = ANY(%s::oid[]) AND con.contype IN ('c', 'p', 'u', 'f', 'x')
      AND NOT EXISTS (SELECT FROM pg_constraint parent
                      WHERE parent.oid = con.conparentid AND parent.conrelid = con.conrelid)
    """
)

# Unique indexes that no PRIMARY KEY / UNIQUE / EXCLUDE constraint of the table
# owns (a foreign key's conindid points at the referenced index: not an owner).
_UNIQUE_INDEXES = sql.SQL(
    """
    SELECT i.indrelid, ic.relname, i.indkey::int2[], i.indnkeyatts,
           pg_get_expr(i.indpred, i.indrelid), i.indexprs::text,
           ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
                 FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k),
           {nulls_not_distinct}
    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
    WHERE i.indisunique AND i.indrelid = ANY(%s::oid[])
      AND NOT EXISTS (SELECT FROM pg_constraint con
                      WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                        AND con.contype IN ('p', 'u', 'x'))
    """
)

_ENUMS = sql.SQL(
    """
    SELECT n.nspname, t.typname,
           ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typtype = 'e' AND {user_object}
    """
).format(user_object=_user_object(sql.Identifier("t", "oid"), "pg_type"))

_DOMAINS = sql.SQL(
    """
    SELECT t.oid, n.nspname, t.typname, t.typbasetype, t.typtypmod, t.typndims, t.typnotnull, t.typdefault
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typtype = 'd' AND {user_object}
    """
).format(user_object=_user_object(sql.Identifier("t", "oid"), "pg_type"))

_DOMAIN_CHECKS = sql.SQL(
    """
    SELECT con.contypid, con.conname, pg_get_constraintdef(con.oid)
    FROM pg_constraint con
    WHERE con.contypid = ANY(%s::oid[]) AND con.contype = 'c'
    """
)

_ON_DELETE = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
_IDENTITY = {"a": Identity.ALWAYS, "d": Identity.BY_DEFAULT}

_TIME_TYPES = frozenset(
    {
        "time without time zone",
        "time with time zone",
        "timestamp without time zone",
        "timestamp with time zone",
    }
)
_INTERVAL_FULL_PRECISION = 0xFFFF
_VARHDRSZ = 4  # varchar/char/numeric typmods are offset by the varlena header size

# Default classification reads the stored expression tree (pg_node_tree text),
# which says exactly what the deparsed text only suggests.
_NEXTVAL = re.compile(r"\{FUNCEXPR :funcid 1574 ")  # nextval(regclass) has a fixed OID
_NODE = re.compile(r"(?<!\\)\{([A-Z_]+)")
_FUNCTION_FORMAT = re.compile(r"\{FUNCEXPR :funcid \d+ [^{}]*?:funcformat (\d+)")
_CAST_FORMATS = frozenset({"1", "2"})  # COERCE_EXPLICIT_CAST, COERCE_IMPLICIT_CAST
_CONSTANT_NODES = frozenset(
    {
        "CONST",
        "FUNCEXPR",  # only as a cast, checked by _FUNCTION_FORMAT
        "RELABELTYPE",
        "COERCEVIAIO",
        "ARRAYCOERCEEXPR",
        "COERCETODOMAIN",
        "CASETESTEXPR",
        "ARRAYEXPR",
        "ROWEXPR",
        "OPEXPR",
    }
)
_VAR_ATTNO = re.compile(r"\{VAR :varno \d+ :varattno (\d+)")


def introspect(conn: psycopg.Connection[Any]) -> Schema:
    """Read every table and user type of the non-system namespaces of `conn`'s database.

    Runs inside `conn.transaction()`, so the connection is left in the state it
    was found in, whatever its autocommit setting.
    """
    nulls_not_distinct = sql.SQL(
        "coalesce(i.indnullsnotdistinct, false)" if conn.info.server_version >= 150000 else "false"
    )
    with conn.transaction(), conn.cursor(row_factory=tuple_row) as cur:
        types = _TypeNames({oid: (name, element) for oid, name, element in cur.execute(_TYPES)})
        tables, composites, warnings = _read_relations(cur, types, nulls_not_distinct)
        enums = [EnumType(schema, name, tuple(labels)) for schema, name, labels in cur.execute(_ENUMS)]
        domains = _read_domains(cur, types)
    by_name = attrgetter("schema", "name")
    return Schema(
        tables=tuple(sorted(tables, key=by_name)),
        enums=tuple(sorted(enums, key=by_name)),
        domains=tuple(sorted(domains, key=by_name)),
        composites=tuple(sorted(composites, key=by_name)),
        warnings=tuple(sorted(warnings)),
    )


def _read_relations(
    cur: psycopg.Cursor[tuple[Any, ...]], types: _TypeNames, nulls_not_distinct: sql.Composable
) -> tuple[list[Table], list[CompositeType], list[str]]:
    """Tables (with their keys and checks) and composite types, which share the column query."""
    tables = {
        oid: _TableParts(schema, name, partitioned, tuple(parents), is_partition)
        for oid, schema, name, partitioned, is_partition, parents in cur.execute(_TABLES)
    }
    composite_names = {oid: (schema, name) for oid, schema, name in cur.execute(_COMPOSITES)}
    attributes: dict[int, list[Column]] = defaultdict(list)
    for relid, attnum, *attribute in cur.execute(_COLUMNS, ([*tables, *composite_names],)):
        column = _column(types, *attribute)
        attributes[relid].append(column)
        if relid in tables:
            tables[relid].attnames[attnum] = column.name
    warnings = []
    for row in cur.execute(_CONSTRAINTS.format(nulls_not_distinct=nulls_not_distinct), (list(tables),)):
        if warning := _add_constraint(tables, *row):
            warnings.append(warning)
    for row in cur.execute(_UNIQUE_INDEXES.format(nulls_not_distinct=nulls_not_distinct), (list(tables),)):
        _add_unique_index(tables, *row)
    composites = [
        CompositeType(schema, name, tuple((c.name, c.type) for c in attributes[oid]))
        for oid, (schema, name) in composite_names.items()
    ]
    return [t.build(attributes[oid]) for oid, t in tables.items()], composites, warnings


def _read_domains(cur: psycopg.Cursor[tuple[Any, ...]], types: _TypeNames) -> list[Domain]:
    """Domains with their CHECKs (over VALUE); a domain over a domain keeps the inner one as base."""
    rows = cur.execute(_DOMAINS).fetchall()
    checks: dict[int, list[Check]] = defaultdict(list)
    for oid, name, definition in cur.execute(_DOMAIN_CHECKS, ([row[0] for row in rows],)):
        checks[oid].append(Check(name, _check_expression(definition)))
    return [
        Domain(
            schema,
            name,
            types.ref(base, typmod, ndims),
            nullable=not notnull,
            default=default,
            checks=tuple(sorted(checks[oid], key=lambda c: c.name)),
        )
        for oid, schema, name, base, typmod, ndims, notnull, default in rows
    ]


@dataclass(frozen=True)
class _TypeNames:
    """Type OID → (name, element OID for arrays), resolved into `TypeRef`s."""

    by_oid: dict[int, tuple[str, int | None]]

    def ref(self, oid: int, typmod: int, ndims: int) -> TypeRef:
        name, element = self.by_oid[oid]
        if element is None:
            return TypeRef(name, _modifiers(name, typmod))
        element_name = self.by_oid[element][0]
        return TypeRef(element_name, _modifiers(element_name, typmod), max(ndims, 1))


def _modifiers(name: str, typmod: int) -> tuple[int, ...]:
    """Decode a built-in type's typmod the way format_type does."""
    if typmod < 0:
        return ()
    if name in ("character varying", "character"):
        return (typmod - _VARHDRSZ,)
    if name in ("bit", "bit varying") or name in _TIME_TYPES:
        return (typmod,)
    if name == "numeric":
        packed = typmod - _VARHDRSZ
        return ((packed >> 16) & 0xFFFF, ((packed & 0x7FF) ^ 1024) - 1024)  # scale may be negative
    if name == "interval" and (precision := typmod & 0xFFFF) != _INTERVAL_FULL_PRECISION:
        return (precision,)
    return ()


def _column(
    types: _TypeNames,
    typid: int,
    typmod: int,
    ndims: int,
    name: str,
    notnull: bool,
    identity: str,
    generated: str,
    expression: str | None,
    tree: str | None,
) -> Column:
    """A pg_attribute row (with its pg_attrdef expression) as a `Column`."""
    is_generated = generated == "s"
    if is_generated or tree is None:
        default, default_kind = None, DefaultKind.NONE
    else:
        default, default_kind = expression, _default_kind(tree)
    return Column(
        name,
        types.ref(typid, typmod, ndims),
        nullable=not notnull,
        default=default,
        default_kind=default_kind,
        identity=_IDENTITY.get(identity),
        generated=expression if is_generated else None,
    )


def _default_kind(tree: str) -> DefaultKind:
    """SEQUENCE for nextval, CONSTANT for literals and casts of them, VOLATILE for any other call."""
    if _NEXTVAL.search(tree):
        return DefaultKind.SEQUENCE
    if set(_NODE.findall(tree)) <= _CONSTANT_NODES and set(_FUNCTION_FORMAT.findall(tree)) <= _CAST_FORMATS:
        return DefaultKind.CONSTANT
    return DefaultKind.VOLATILE


def _check_expression(definition: str) -> str:
    """`CHECK ((a > 0)) NO INHERIT NOT VALID` → `(a > 0)`: the expression alone."""
    body = definition.removesuffix(" NOT VALID").removesuffix(" NO INHERIT")
    return body.removeprefix("CHECK (").removesuffix(")")


@dataclass
class _TableParts:
    """A table's pieces while the per-kind queries arrive."""

    schema: str
    name: str
    partitioned: bool
    parents: tuple[str, ...]
    is_partition: bool
    attnames: dict[int, str] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    primary_key: Unique | None = None
    uniques: list[Unique] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)

    def names(self, attnums: list[int], *, table_order: bool = False) -> tuple[str, ...]:
        return tuple(self.attnames[n] for n in (sorted(attnums) if table_order else attnums))

    def build(self, columns: list[Column]) -> Table:
        return Table(
            schema=self.schema,
            name=self.name,
            columns=tuple(columns),
            checks=tuple(sorted(self.checks, key=lambda c: c.name)),
            primary_key=self.primary_key,
            uniques=tuple(sorted(self.uniques, key=lambda u: u.name)),
            foreign_keys=tuple(sorted(self.foreign_keys, key=lambda f: f.name)),
            inherits=() if self.is_partition else self.parents,
            partition_of=self.parents[0] if self.is_partition else None,
            partitioned=self.partitioned,
        )


def _add_constraint(
    tables: dict[int, _TableParts],
    relid: int,
    name: str,
    kind: str,
    definition: str,
    conkey: list[int] | None,
    ref_schema: str | None,
    ref_table: str | None,
    ref_columns: list[str],
    deferrable: bool,
    deferred: bool,
    match_type: str,
    delete_action: str,
    nulls_not_distinct: bool,
) -> str | None:
    """File one pg_constraint row under its table; return a warning for what the model cannot hold."""
    table = tables[relid]
    attnums = conkey or []
    if kind == "c":
        table.checks.append(
            Check(name, _check_expression(definition), table.names(attnums, table_order=True))
        )
    elif kind == "p":
        table.primary_key = Unique(name, table.names(attnums), primary=True)
    elif kind == "u":
        table.uniques.append(Unique(name, table.names(attnums), nulls_not_distinct=nulls_not_distinct))
    elif kind == "f" and ref_schema is not None and ref_table is not None:
        table.foreign_keys.append(
            ForeignKey(
                name,
                table.names(attnums),
                ref_schema,
                ref_table,
                tuple(ref_columns),
                deferrable=deferrable,
                initially_deferred=deferred,
                match_full=match_type == "f",
                on_delete=_ON_DELETE[delete_action],
            )
        )
    elif kind == "x":
        return (
            f"table {table.schema}.{table.name}: EXCLUDE constraint {name} ({definition}) is not "
            "modelled; generated rows may violate it"
        )
    return None


def _add_unique_index(
    tables: dict[int, _TableParts],
    relid: int,
    name: str,
    indkey: list[int],
    nkeyatts: int,
    predicate: str | None,
    expression_tree: str | None,
    key_texts: list[str],
    nulls_not_distinct: bool,
) -> None:
    """File a standalone unique index; an expression key contributes the columns it reads."""
    table = tables[relid]
    keys = indkey[:nkeyatts]
    has_expressions = 0 in keys
    if has_expressions:
        referenced = {int(n) for n in _VAR_ATTNO.findall(expression_tree or "")}
        columns = table.names(sorted({n for n in [*keys, *referenced] if n > 0}))
    else:
        columns = table.names(keys)
    table.uniques.append(
        Unique(
            name,
            columns,
            nulls_not_distinct=nulls_not_distinct,
            predicate=predicate,
            expressions=tuple(key_texts) if has_expressions else None,
            is_index=True,
        )
    )
