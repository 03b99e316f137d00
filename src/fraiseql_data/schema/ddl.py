"""Read DDL text into the schema model, as PostgreSQL would have built its catalog from it.

The offline twin of `introspect`: for a database where a DDL script was run,
`parse_ddl(script) == introspect(conn)`. So the reader does what the server
does, not just what the text says: unqualified names go where `search_path`
sends them, unnamed constraints get PostgreSQL's names (collisions and 63-byte
truncation included), serial columns become integers with a sequence default,
INHERITS children and partitions take their parents' columns and constraints,
and later ALTER TABLEs reshape what earlier statements made.

Statements that define nothing the model holds (functions, grants, comments,
views, ...) are skipped; those that might still change the rows a database
accepts (triggers, rules, unknown ALTER TABLE forms) leave a warning in
`Schema.warnings`. A statement that is no valid SQL raises DDLSyntaxError.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import Any

from sqlglot import exp

from fraiseql_data.schema import ddl_syntax as syn
from fraiseql_data.schema.ddl_grammar import head_words, parse_statement
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
from fraiseql_data.schema.pg_names import choose_name, index_column_names, name_addition
from fraiseql_data.schema.statements import Statement, split_statements
from fraiseql_data.schema.types import SERIAL_TYPES, canonical_type

_DEFAULT_SEARCH_PATH = ("$user", "public")
_SIMPLE_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_$]*")
# CREATE SCHEMA runs its elements in this order, whatever order they are written in.
_SCHEMA_ELEMENT_ORDER = ("SEQUENCE", "TABLE", "VIEW", "INDEX", "TRIGGER")


def parse_ddl(text: str) -> Schema:
    """The schema a PostgreSQL database would hold after running the DDL script `text`."""
    reader = _Reader()
    for statement in split_statements(text):
        reader.read(statement)
    return reader.schema()


# ---------------------------------------------------------------- mutable state


@dataclass
class _Column:
    name: str
    type: TypeRef
    nullable: bool = True
    default: str | None = None
    default_kind: DefaultKind = DefaultKind.NONE
    identity: Identity | None = None
    generated: str | None = None
    local: bool = True  # declared by the table itself, not only inherited

    def inherited_copy(self) -> _Column:
        """The column as a child table gets it: identity is not inherited, the rest is."""
        return replace(self, identity=None, local=False)


@dataclass
class _Check:
    name: str
    expression: str
    refs: frozenset[str]  # the table's columns it reads
    no_inherit: bool = False


@dataclass
class _Key:
    """A primary key, unique constraint or unique index while statements still change it."""

    name: str
    columns: tuple[str, ...]
    primary: bool = False
    nulls_not_distinct: bool = False
    predicate: str | None = None
    expressions: tuple[str, ...] | None = None
    is_index: bool = False
    refs: frozenset[str] = frozenset()  # every column it reads, predicate included
    index_names: tuple[str | None, ...] = ()  # per key element, for naming a partition's copy


@dataclass
class _ForeignKey:
    name: str
    columns: tuple[str, ...]
    ref: tuple[str, str]
    ref_columns: tuple[str, ...]  # empty until resolved: the referenced primary key
    match_full: bool
    on_delete: str
    deferrable: bool
    initially_deferred: bool


@dataclass
class _Table:
    schema: str
    name: str
    columns: list[_Column] = field(default_factory=list)
    checks: list[_Check] = field(default_factory=list)
    primary: _Key | None = None
    uniques: list[_Key] = field(default_factory=list)
    foreign_keys: list[_ForeignKey] = field(default_factory=list)
    inherits: list[tuple[str, str]] = field(default_factory=list)
    partition_of: tuple[str, str] | None = None
    partitioned: bool = False
    children: list[_Table] = field(default_factory=list)  # INHERITS children and partitions

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)

    def column(self, name: str) -> _Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def all_keys(self) -> list[_Key]:
        return ([self.primary] if self.primary else []) + self.uniques


@dataclass
class _Domain:
    base: TypeRef
    nullable: bool = True
    default: str | None = None
    checks: list[_Check] = field(default_factory=list)


@dataclass
class _Namespace:
    """What one schema holds: the names PostgreSQL checks when it picks a new one."""

    relations: set[str] = field(default_factory=set)  # tables, sequences, indexes, views, composite types
    constraints: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    views: set[str] = field(default_factory=set)


# ---------------------------------------------------------------- the reader


class _Reader:
    def __init__(self) -> None:
        self.namespaces: dict[str, _Namespace] = {"public": _Namespace()}
        self.search_path: tuple[str, ...] = _DEFAULT_SEARCH_PATH
        self.tables: dict[tuple[str, str], _Table] = {}
        self.enums: dict[tuple[str, str], list[str]] = {}
        self.domains: dict[tuple[str, str], _Domain] = {}
        self.composites: dict[tuple[str, str], list[tuple[str, TypeRef]]] = {}
        self.warnings: list[str] = []
        self.line = 0

    def warn(self, message: str) -> None:
        self.warnings.append(f"line {self.line}: {message}")

    # -- statements --------------------------------------------------------------

    def read(self, statement: Statement) -> None:
        syntax = parse_statement(statement)
        self.line = statement.line
        match syntax:
            case syn.Skip(warning=warning):
                if warning:
                    self.warnings.append(warning)
            case syn.CreateSchema():
                self.create_schema(syntax)
            case syn.SetSearchPath(schemas=schemas):
                self.search_path = _DEFAULT_SEARCH_PATH if schemas is None else schemas
            case syn.CreateTable():
                self.create_table(syntax)
            case syn.AlterTable():
                self.alter_table(syntax)
            case syn.CreateIndex():
                self.create_index(syntax)
            case syn.CreateEnum(name=name, labels=labels):
                self.enums[self.new_type(name)] = list(labels)
            case syn.CreateComposite(name=name, attributes=attributes):
                key = self.new_type(name)
                self.namespace(key[0]).relations.add(key[1])
                self.composites[key] = [(attr, self.resolve_type(t)) for attr, t in attributes]
            case syn.CreateOtherType(name=name):
                self.new_type(name)
            case syn.CreateDomain():
                self.create_domain(syntax)
            case syn.CreateRelation(name=name, view=view):
                schema = self.creation_schema(name)
                self.namespace(schema).relations.add(name.name)
                if view:
                    self.namespace(schema).views.add(name.name)
            case syn.AddEnumValue() | syn.RenameEnumValue():
                self.alter_enum(syntax)
            case syn.AlterDomain():
                self.alter_domain(syntax)
            case syn.Drop():
                self.drop(syntax)

    def create_schema(self, syntax: syn.CreateSchema) -> None:
        if syntax.name in self.namespaces:
            if not syntax.if_not_exists:
                self.warn(f"schema {syntax.name} is created twice")
            return
        self.namespaces[syntax.name] = _Namespace()
        outer = self.search_path
        self.search_path = (syntax.name, *outer)
        try:
            for element in sorted(syntax.elements, key=_schema_element_rank):
                self.read(element)
        finally:
            self.search_path = outer

    # -- names and types ------------------------------------------------------------

    def namespace(self, schema: str) -> _Namespace:
        return self.namespaces.setdefault(schema, _Namespace())

    def path_schemas(self) -> list[str]:
        """The search_path entries that name existing schemas, in order."""
        return [s for s in self.search_path if s in self.namespaces]

    def creation_schema(self, name: syn.Name) -> str:
        if name.schema is not None:
            return name.schema
        for schema in self.path_schemas():
            if schema != "pg_catalog":
                return schema
        path = ", ".join(self.search_path) or "''"
        self.warn(f"no schema of search_path {path} exists: {name.name} put in public")
        return "public"

    def find_table(self, name: syn.Name) -> _Table | None:
        if name.schema is not None:
            return self.tables.get((name.schema, name.name))
        for schema in self.path_schemas():
            if (table := self.tables.get((schema, name.name))) is not None:
                return table
        return None

    def is_relation(self, name: syn.Name) -> bool:
        schemas = [name.schema] if name.schema is not None else self.path_schemas()
        return any(name.name in self.namespace(schema).relations for schema in schemas)

    def table_key(self, name: syn.Name) -> tuple[str, str]:
        """Where `name` points: an existing table, else where an unqualified name would be created."""
        table = self.find_table(name)
        return table.key if table is not None else (self.creation_schema(name), name.name)

    def new_type(self, name: syn.Name) -> tuple[str, str]:
        schema = self.creation_schema(name)
        self.namespace(schema).types.add(name.name)
        return (schema, name.name)

    def resolve_type(self, written: syn.TypeName) -> TypeRef:
        mods, dims = written.modifiers, written.array_dims
        if written.schema == "pg_catalog" or written.schema is None:
            builtin = canonical_type(written.name, mods, dims, quoted=written.quoted)
            if builtin is not None:
                return builtin
        if written.schema is not None:
            return TypeRef(f"{written.schema}.{written.name}", mods, dims)
        for schema in self.path_schemas():
            if written.name in self.namespaces[schema].types:
                return TypeRef(f"{schema}.{written.name}", mods, dims)
        return TypeRef(f"public.{written.name}", mods, dims)  # an extension's type, such as citext

    def is_domain(self, type_ref: TypeRef) -> bool:
        schema, _, name = type_ref.name.partition(".")
        return type_ref.array_dims == 0 and (schema, name) in self.domains

    def constraint_taken(self, schema: str) -> Callable[[str], bool]:
        return self.namespace(schema).constraints.__contains__

    def relation_or_constraint_taken(self, schema: str) -> Callable[[str], bool]:
        namespace = self.namespace(schema)
        return lambda name: name in namespace.relations or name in namespace.constraints

    def new_sequence(self, table: _Table, column: str, explicit: syn.Name | None = None) -> str:
        """Name (and take) the sequence of a serial or identity column; its qualified name."""
        if explicit is not None:
            schema, name = explicit.schema or table.schema, explicit.name
        else:
            schema = table.schema
            name = choose_name(table.name, column, "seq", self.namespace(schema).relations.__contains__)
        self.namespace(schema).relations.add(name)
        return f"{_quote(schema)}.{_quote(name)}"

    # -- CREATE TABLE ---------------------------------------------------------------

    def create_table(self, syntax: syn.CreateTable) -> None:
        if syntax.temporary:
            self.warn(f"temporary table {syntax.name.name} skipped: it does not outlive the session")
            return
        if syntax.as_query:
            self.warn(f"CREATE TABLE {syntax.name.name} AS ...: its columns come from a query, skipped")
            return
        schema = self.creation_schema(syntax.name)
        if (schema, syntax.name.name) in self.tables:
            if not syntax.if_not_exists:
                self.warn(f"table {schema}.{syntax.name.name} is created twice: the first one is kept")
            return
        table = _Table(schema, syntax.name.name, partitioned=syntax.partitioned)
        parents = self.parents_of(syntax, table)
        for parent in parents:
            self.merge_inherited_columns(table, parent)
        if syntax.of_type is not None:
            self.add_type_columns(table, syntax.of_type)
        pending = _Pending()
        for element in syntax.elements:
            if isinstance(element, syn.ColumnDef):
                self.define_column(table, element, pending)
            elif isinstance(element, syn.LikeDef):
                self.copy_like(table, element, pending)
            elif isinstance(element, syn.ExcludeDef):
                self.exclude(table, element)
            else:
                pending.add(element, None)
        self.namespace(schema).relations.add(table.name)
        self.namespace(schema).types.add(table.name)  # every table has a row type of its name
        self.tables[table.key] = table
        for parent in parents:
            parent.children.append(table)
            for inherited in parent.checks:
                if not inherited.no_inherit and not any(c.name == inherited.name for c in table.checks):
                    table.checks.append(replace(inherited))
                    self.namespace(schema).constraints.add(inherited.name)
        for check in pending.checks:
            self.add_check(table, check, recurse=False)
        for key, column in _deduplicated_keys(pending.keys):
            self.add_key(table, key, column, recurse=False)
        for copied in pending.copied_keys:
            self.clone_key(table, copied)
        if syntax.partition_of is not None and parents:
            self.clone_into_partition(parents[0], table)
        for foreign_key, column in pending.foreign_keys:
            self.add_foreign_key(table, foreign_key, column, recurse=False)

    def parents_of(self, syntax: syn.CreateTable, table: _Table) -> list[_Table]:
        names = [syntax.partition_of] if syntax.partition_of is not None else list(syntax.inherits)
        parents = []
        for name in names:
            parent = self.find_table(name)
            if parent is None:
                self.warn(f"table {table.name}: parent table {name.name} is not defined before it")
                continue
            parents.append(parent)
            if syntax.partition_of is not None:
                table.partition_of = parent.key
                parent.partitioned = True
            else:
                table.inherits.append(parent.key)
        return parents

    def merge_inherited_columns(self, table: _Table, parent: _Table) -> None:
        for column in parent.columns:
            existing = table.column(column.name)
            if existing is None:
                table.columns.append(column.inherited_copy())
            else:
                existing.nullable = existing.nullable and column.nullable

    def add_type_columns(self, table: _Table, type_name: syn.Name) -> None:
        key = (type_name.schema, type_name.name) if type_name.schema else None
        for schema in [type_name.schema] if type_name.schema else self.path_schemas():
            if (schema, type_name.name) in self.composites:
                key = (schema, type_name.name)
                break
        if key is None or key not in self.composites:
            self.warn(f"table {table.name} OF {type_name.name}: the composite type is not defined before it")
            return
        table.columns.extend(_Column(name, type_ref) for name, type_ref in self.composites[key])

    def define_column(self, table: _Table, definition: syn.ColumnDef, pending: _Pending) -> None:
        """A column definition: a new column, or more about an inherited / partition one."""
        column = table.column(definition.name)
        if definition.type is None:
            if column is None:
                self.warn(f"table {table.name}: column {definition.name} is not in its parent")
                return
        else:
            written = definition.type
            serial = written.schema is None and written.array_dims == 0 and SERIAL_TYPES.get(written.name)
            type_ref = TypeRef(serial) if serial else self.resolve_type(written)
            if column is None:
                column = _Column(definition.name, type_ref)
                table.columns.append(column)
            else:
                column.local = True  # merged with the inherited column, which keeps its position
            if serial:
                column.nullable = False
                sequence = self.new_sequence(table, column.name)
                column.default = f"nextval('{sequence}'::regclass)"
                column.default_kind = DefaultKind.SEQUENCE
        for constraint in definition.constraints:
            self.apply_column_constraint(table, column, constraint, pending)

    def apply_column_constraint(
        self, table: _Table, column: _Column, constraint: syn.Constraint, pending: _Pending
    ) -> None:
        match constraint:
            case syn.NotNull():
                column.nullable = False
            case syn.DefaultDef(expression=expression):
                column.default, column.default_kind = self.default(expression, column.type)
            case syn.IdentityDef(kind=kind, sequence=sequence):
                column.identity = kind
                column.nullable = False
                column.default, column.default_kind = None, DefaultKind.NONE
                self.new_sequence(table, column.name, sequence)
            case syn.GeneratedDef(expression=expression):
                column.generated = _sql(expression)
            case syn.CheckDef() | syn.KeyDef() | syn.ForeignKeyDef():
                pending.add(constraint, column.name)

    def default(self, expression: exp.Expr, column_type: TypeRef) -> tuple[str | None, DefaultKind]:
        """A default's text and kind. PostgreSQL stores no default for a bare NULL, but keeps one
        wrapped in a length coercion (varchar(n), numeric(p,s), ...) or a domain coercion."""
        coerced = bool(column_type.modifiers) and column_type.name != "interval"
        if _is_null(expression) and not coerced and not self.is_domain(column_type):
            return None, DefaultKind.NONE
        return _sql(expression), _default_kind(expression)

    def copy_like(self, table: _Table, like: syn.LikeDef, pending: _Pending) -> None:
        source = self.find_table(like.table)
        if source is None:
            self.warn(f"table {table.name}: LIKE {like.table.name} names no table defined before it")
            return
        for column in source.columns:
            copy = _Column(column.name, column.type, column.nullable)
            if "DEFAULTS" in like.including:
                copy.default, copy.default_kind = column.default, column.default_kind
            if "GENERATED" in like.including:
                copy.generated = column.generated
            if "IDENTITY" in like.including and column.identity is not None:
                copy.identity = column.identity
                self.new_sequence(table, column.name)
            table.columns.append(copy)
        if "CONSTRAINTS" in like.including:
            for check in source.checks:
                table.checks.append(replace(check))
                self.namespace(table.schema).constraints.add(check.name)
        if "INDEXES" in like.including:
            for key in source.all_keys():
                pending.copied_keys.append(key)

    # -- constraints -------------------------------------------------------------------

    def add_check(self, table: _Table, check: syn.CheckDef, *, recurse: bool) -> None:
        names = {c.name for c in table.columns}
        refs = frozenset(_column_refs(check.expression) & names)
        name = check.name
        if name is None:
            only = next(iter(refs)) if len(refs) == 1 else None
            name = choose_name(table.name, only, "check", self.constraint_taken(table.schema))
        self.namespace(table.schema).constraints.add(name)
        table.checks.append(_Check(name, _sql(check.expression), refs, check.no_inherit))
        if recurse and not check.no_inherit:
            for child in table.children:
                if not any(c.name == name for c in child.checks):
                    self.add_check(child, replace(check, name=name), recurse=True)

    def add_key(self, table: _Table, key: syn.KeyDef, column: str | None, *, recurse: bool) -> None:
        columns = key.columns or ((column,) if column else ())
        missing = [c for c in columns if table.column(c) is None]
        if missing:
            self.warn(f"table {table.name}: key on unknown column(s) {', '.join(missing)} skipped")
            return
        if key.primary and table.primary is not None:
            self.warn(f"table {table.name}: a second primary key skipped")
            return
        label = "pkey" if key.primary else "key"
        name = key.name or choose_name(
            table.name,
            None if key.primary else name_addition(columns),
            label,
            self.relation_or_constraint_taken(table.schema),
        )
        self.take_key_name(table.schema, name)
        made = _Key(
            name,
            columns,
            key.primary,
            key.nulls_not_distinct,
            refs=frozenset(columns),
            index_names=columns,
        )
        self.store_key(table, made)
        if recurse and table.partitioned:
            for child in table.children:
                self.clone_key(child, made)

    def take_key_name(self, schema: str, name: str) -> None:
        self.namespace(schema).relations.add(name)
        self.namespace(schema).constraints.add(name)

    def store_key(self, table: _Table, key: _Key) -> None:
        if key.primary:
            table.primary = key
            for name in key.columns:
                column = table.column(name)
                if column is not None:
                    column.nullable = False
        else:
            table.uniques.append(key)

    def clone_key(self, partition: _Table, key: _Key) -> None:
        """A partitioned table's key, as PostgreSQL recreates it on each partition (its own name)."""
        if key.primary and partition.primary is not None:
            return  # ATTACH PARTITION: the partition brought its own
        same = (key.columns, key.expressions, key.predicate)
        if not key.primary and any((k.columns, k.expressions, k.predicate) == same for k in partition.uniques):
            return
        if key.primary:
            name2, label = None, "pkey"
        else:
            name2, label = name_addition(index_column_names(key.index_names)), "idx" if key.is_index else "key"
        taken = (
            self.relation_or_constraint_taken(partition.schema)
            if not key.is_index
            else self.namespace(partition.schema).relations.__contains__
        )
        name = choose_name(partition.name, name2, label, taken)
        if key.is_index:
            self.namespace(partition.schema).relations.add(name)
        else:
            self.take_key_name(partition.schema, name)
        clone = replace(key, name=name)
        self.store_key(partition, clone)
        for child in partition.children:
            self.clone_key(child, clone)

    def add_foreign_key(
        self, table: _Table, foreign_key: syn.ForeignKeyDef, column: str | None, *, recurse: bool
    ) -> None:
        columns = foreign_key.columns or ((column,) if column else ())
        name = foreign_key.name or choose_name(
            table.name, name_addition(columns), "fkey", self.constraint_taken(table.schema)
        )
        self.namespace(table.schema).constraints.add(name)
        made = _ForeignKey(
            name,
            columns,
            self.table_key(foreign_key.ref),
            foreign_key.ref_columns,
            foreign_key.match_full,
            foreign_key.on_delete,
            foreign_key.deferrable,
            foreign_key.initially_deferred,
        )
        table.foreign_keys.append(made)
        if recurse and table.partitioned:
            for child in table.children:
                self.clone_foreign_key(child, made)

    def clone_foreign_key(self, partition: _Table, foreign_key: _ForeignKey) -> None:
        if not any(f.name == foreign_key.name for f in partition.foreign_keys):
            partition.foreign_keys.append(replace(foreign_key))
        for child in partition.children:
            self.clone_foreign_key(child, foreign_key)

    def clone_into_partition(self, parent: _Table, partition: _Table) -> None:
        """What a new partition gets from its parent besides columns: keys (renamed) and foreign keys."""
        for key in parent.all_keys():
            self.clone_key(partition, key)
        for foreign_key in parent.foreign_keys:
            self.clone_foreign_key(partition, foreign_key)

    def exclude(self, table: _Table, constraint: syn.ExcludeDef) -> None:
        if constraint.name:
            self.take_key_name(table.schema, constraint.name)
        self.warn(f"table {table.name}: {constraint.text} is not modelled; generated rows may violate it")

    # -- CREATE INDEX ----------------------------------------------------------------------

    def create_index(self, syntax: syn.CreateIndex) -> None:
        table = self.find_table(syntax.table)
        if table is None:
            schema = syntax.table.schema or (self.path_schemas() or ["public"])[0]
            if syntax.table.name not in self.namespace(schema).views:
                self.warn(f"index {syntax.name or ''} on {syntax.table.name}, which is no table defined before it")
            if syntax.name:
                self.namespace(schema).relations.add(syntax.name)
            return
        namespace = self.namespace(table.schema)
        if syntax.name is not None and syntax.name in namespace.relations:
            if not syntax.if_not_exists:
                self.warn(f"index {syntax.name}: the name is taken already, index skipped")
            return
        index_names = tuple(e.column or e.suggested_name for e in syntax.elements)
        name = syntax.name or choose_name(
            table.name, name_addition(index_column_names(index_names)), "idx", namespace.relations.__contains__
        )
        namespace.relations.add(name)
        if not syntax.unique:
            return
        known = {c.name for c in table.columns}
        has_expression = any(e.expression is not None for e in syntax.elements)
        key_refs: set[str] = set()
        for element in syntax.elements:
            key_refs |= {element.column} if element.column else _column_refs(element.expression) & known
        predicate_refs = _column_refs(syntax.predicate) & known if syntax.predicate is not None else set()
        columns = (
            tuple(c.name for c in table.columns if c.name in key_refs)
            if has_expression
            else tuple(e.column for e in syntax.elements if e.column)
        )
        expressions = (
            tuple(_sql(e.expression) if e.expression is not None else _quote(e.column or "") for e in syntax.elements)
            if has_expression
            else None
        )
        key = _Key(
            name,
            columns,
            nulls_not_distinct=syntax.nulls_not_distinct,
            predicate=_sql(syntax.predicate) if syntax.predicate is not None else None,
            expressions=expressions,
            is_index=True,
            refs=frozenset(key_refs | predicate_refs),
            index_names=index_names,
        )
        table.uniques.append(key)
        if table.partitioned and not syntax.only:
            for child in table.children:
                self.clone_key(child, key)

    # -- ALTER TABLE -----------------------------------------------------------------------

    def alter_table(self, syntax: syn.AlterTable) -> None:
        table = self.find_table(syntax.name)
        if table is None:
            if not syntax.if_exists and not self.is_relation(syntax.name):  # ALTER TABLE also alters sequences
                self.warn(f"ALTER TABLE {syntax.name.name}: no such table defined before it, skipped")
            return
        recurse = not syntax.only
        for action in syntax.actions:
            self.alter_action(table, action, recurse)

    def alter_action(self, table: _Table, action: syn.AlterAction, recurse: bool) -> None:
        match action:
            case syn.AddColumn(column=definition, if_not_exists=if_not_exists):
                if table.column(definition.name) is not None:
                    if not if_not_exists:
                        self.warn(f"table {table.name}: column {definition.name} is added twice")
                    return
                self.add_column(table, definition, recurse)
            case syn.AddConstraint(constraint=syn.CheckDef() as check):
                self.add_check(table, check, recurse=recurse)
            case syn.AddConstraint(constraint=syn.KeyDef() as key):
                self.add_key(table, key, None, recurse=recurse)
            case syn.AddConstraint(constraint=syn.ForeignKeyDef() as foreign_key):
                self.add_foreign_key(table, foreign_key, None, recurse=recurse)
            case syn.AddConstraint(constraint=syn.ExcludeDef() as exclude):
                self.exclude(table, exclude)
            case syn.DropColumn(column=column, if_exists=if_exists, cascade=cascade):
                if table.column(column) is None:
                    if not if_exists:
                        self.warn(f"table {table.name}: DROP COLUMN {column}: no such column")
                    return
                self.drop_column(table, column, cascade, recurse)
            case syn.DropConstraint(constraint=name, if_exists=if_exists):
                if not self.drop_constraint(table, name, recurse) and not if_exists:
                    self.warn(f"table {table.name}: DROP CONSTRAINT {name}: no such constraint")
            case syn.Unsupported(text=text):
                self.warn(f"ALTER TABLE {table.schema}.{table.name}: {text} is not followed")
            case syn.Ignored():
                pass
            case syn.RenameTable(new_name=new_name):
                self.rename_table(table, new_name)
            case syn.RenameConstraint(old=old, new=new):
                self.rename_constraint(table, old, new)
            case syn.AttachPartition(child=child_name):
                self.attach_partition(table, child_name)
            case syn.Inherit(parent=parent_name):
                parent = self.find_table(parent_name)
                if parent is None:
                    self.warn(f"table {table.name}: INHERIT {parent_name.name}: no such table")
                    return
                table.inherits.append(parent.key)
                parent.children.append(table)
            case (
                syn.SetDefault()
                | syn.SetNotNull()
                | syn.SetType()
                | syn.AddIdentity()
                | syn.SetIdentityKind()
                | syn.DropIdentity()
                | syn.DropExpression()
            ):
                self.alter_column(table, action, recurse)

    def alter_column(self, table: _Table, action: syn.ColumnAction, recurse: bool) -> None:
        name = action.column
        column = table.column(name)
        if column is None:
            self.warn(f"table {table.name}: ALTER COLUMN {name}: no such column")
            return
        match action:
            case syn.SetDefault(expression=expression):
                if expression is None:
                    column.default, column.default_kind = None, DefaultKind.NONE
                else:
                    column.default, column.default_kind = self.default(expression, column.type)
            case syn.SetNotNull(not_null=not_null):
                column.nullable = not not_null
            case syn.SetType(type=written):
                column.type = self.resolve_type(written)
            case syn.AddIdentity(identity=identity):
                column.identity = identity.kind
                column.nullable = False
                self.new_sequence(table, column.name, identity.sequence)
                return  # identity belongs to this table only
            case syn.SetIdentityKind(kind=kind):
                column.identity = kind
                return
            case syn.DropIdentity():
                column.identity = None
                return
            case syn.DropExpression():
                column.generated = None
        if recurse:
            for child in table.children:
                if child.column(name) is not None:
                    self.alter_column(child, action, recurse)

    def add_column(self, table: _Table, definition: syn.ColumnDef, recurse: bool) -> None:
        """ADD COLUMN: the column (on the children too, unless ONLY), then its constraints."""
        pending = _Pending()
        self.define_column(table, definition, pending)
        added = table.column(definition.name)
        if recurse and added is not None:
            self.add_column_to_descendants(table, added)
        for check in pending.checks:
            self.add_check(table, check, recurse=recurse)
        for key, column in pending.keys:
            self.add_key(table, key, column, recurse=recurse)
        for foreign_key, column in pending.foreign_keys:
            self.add_foreign_key(table, foreign_key, column, recurse=recurse)

    def add_column_to_descendants(self, table: _Table, column: _Column) -> None:
        for child in table.children:
            if child.column(column.name) is None:
                child.columns.append(column.inherited_copy())
                self.add_column_to_descendants(child, column)

    def drop_column(self, table: _Table, name: str, cascade: bool, recurse: bool) -> None:
        """Drop a column and every constraint of the table that reads it, as PostgreSQL does."""
        table.columns = [c for c in table.columns if c.name != name]
        table.checks = [c for c in table.checks if name not in c.refs]
        if table.primary is not None and name in table.primary.refs:
            table.primary = None
        table.uniques = [k for k in table.uniques if name not in k.refs]
        table.foreign_keys = [f for f in table.foreign_keys if name not in f.columns]
        for other in self.tables.values():
            referencing = [f for f in other.foreign_keys if f.ref == table.key and name in f.ref_columns]
            if referencing and cascade:
                other.foreign_keys = [f for f in other.foreign_keys if f not in referencing]
            elif referencing:
                self.warn(f"table {table.name}: DROP COLUMN {name} needs CASCADE: foreign keys reference it")
        if recurse:
            for child in table.children:
                column = child.column(name)
                if column is not None and (not column.local or child.partition_of is not None):
                    self.drop_column(child, name, cascade, recurse)

    def drop_constraint(self, table: _Table, name: str, recurse: bool) -> bool:
        found = any(c.name == name for c in table.checks) or any(f.name == name for f in table.foreign_keys)
        table.checks = [c for c in table.checks if c.name != name]
        table.foreign_keys = [f for f in table.foreign_keys if f.name != name]
        if table.primary is not None and table.primary.name == name:
            table.primary, found = None, True
        if any(k.name == name for k in table.uniques):
            table.uniques = [k for k in table.uniques if k.name != name]
            found = True
        if recurse:
            for child in table.children:
                self.drop_constraint(child, name, recurse)
        return found

    def rename_table(self, table: _Table, new_name: str) -> None:
        old_key = table.key
        namespace = self.namespace(table.schema)
        namespace.relations.discard(table.name)
        namespace.relations.add(new_name)
        del self.tables[old_key]
        table.name = new_name
        self.tables[table.key] = table
        for other in self.tables.values():
            for foreign_key in other.foreign_keys:
                if foreign_key.ref == old_key:
                    foreign_key.ref = table.key
            other.inherits = [table.key if p == old_key else p for p in other.inherits]
            if other.partition_of == old_key:
                other.partition_of = table.key

    def rename_constraint(self, table: _Table, old: str, new: str) -> None:
        constraints: list[_Check | _Key | _ForeignKey] = [*table.checks, *table.all_keys(), *table.foreign_keys]
        for constraint in constraints:
            if constraint.name == old:
                constraint.name = new
                self.namespace(table.schema).constraints.add(new)
                return
        self.warn(f"table {table.name}: RENAME CONSTRAINT {old}: no such constraint")

    def attach_partition(self, parent: _Table, child_name: syn.Name) -> None:
        child = self.find_table(child_name)
        if child is None:
            self.warn(f"table {parent.name}: ATTACH PARTITION {child_name.name}: no such table")
            return
        child.partition_of = parent.key
        parent.partitioned = True
        parent.children.append(child)
        self.clone_into_partition(parent, child)

    # -- domains, enums, drops ------------------------------------------------------------------

    def create_domain(self, syntax: syn.CreateDomain) -> None:
        schema = self.creation_schema(syntax.name)
        self.new_type(syntax.name)
        domain = _Domain(self.resolve_type(syntax.base))
        self.domains[(schema, syntax.name.name)] = domain
        for constraint in syntax.constraints:
            self.apply_domain_constraint(schema, syntax.name.name, domain, constraint)

    def apply_domain_constraint(self, schema: str, name: str, domain: _Domain, constraint: syn.Constraint) -> None:
        match constraint:
            case syn.NotNull():
                domain.nullable = False
            case syn.Nullable():
                domain.nullable = True
            case syn.DefaultDef(expression=expression):
                domain.default = None if _is_null(expression) else _sql(expression)
            case syn.CheckDef(name=check_name, expression=expression):
                check_name = check_name or choose_name(name, None, "check", self.constraint_taken(schema))
                self.namespace(schema).constraints.add(check_name)
                domain.checks.append(_Check(check_name, _sql(expression), frozenset()))
            case _:
                self.warn(f"domain {name}: a {type(constraint).__name__} constraint is not modelled")

    def alter_domain(self, syntax: syn.AlterDomain) -> None:
        key = self.find_type(syntax.name, self.domains)
        if key is None:
            self.warn(f"ALTER DOMAIN {syntax.name.name}: no such domain defined before it")
            return
        domain = self.domains[key]
        match syntax.action:
            case syn.CheckDef() as check:
                self.apply_domain_constraint(key[0], key[1], domain, check)
            case syn.DomainDefault(expression=expression):
                domain.default = None if expression is None else _sql(expression)
            case syn.DomainNotNull(not_null=not_null):
                domain.nullable = not not_null
            case syn.DropConstraint(constraint=name):
                domain.checks = [c for c in domain.checks if c.name != name]

    def find_type(self, name: syn.Name, registry: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
        keys = set(registry)
        schemas = [name.schema] if name.schema else self.path_schemas()
        return next(((s, name.name) for s in schemas if (s, name.name) in keys), None)

    def type_registries(self) -> tuple[dict[tuple[str, str], Any], ...]:
        return (self.enums, self.domains, self.composites)

    def alter_enum(self, syntax: syn.AddEnumValue | syn.RenameEnumValue) -> None:
        key = self.find_type(syntax.type, self.enums)
        if key is None:
            self.warn(f"ALTER TYPE {syntax.type.name}: no such enum defined before it")
            return
        labels = self.enums[key]
        if isinstance(syntax, syn.RenameEnumValue):
            self.enums[key] = [syntax.new if label == syntax.old else label for label in labels]
        elif syntax.label not in labels:
            if syntax.before is not None and syntax.before in labels:
                labels.insert(labels.index(syntax.before), syntax.label)
            elif syntax.after is not None and syntax.after in labels:
                labels.insert(labels.index(syntax.after) + 1, syntax.label)
            else:
                labels.append(syntax.label)

    def drop(self, syntax: syn.Drop) -> None:
        for name in syntax.names:
            if not self.drop_one(syntax.kind, name, syntax.cascade) and not syntax.if_exists:
                self.warn(f"DROP {syntax.kind} {name.name}: nothing of that name defined before it")

    def drop_one(self, kind: str, name: syn.Name, cascade: bool) -> bool:
        if kind == "TABLE":
            table = self.find_table(name)
            if table is None:
                return False
            self.drop_table(table, cascade)
            return True
        if kind == "SCHEMA":
            if name.name not in self.namespaces:
                return False
            del self.namespaces[name.name]
            for table in [t for t in self.tables.values() if t.schema == name.name]:
                self.drop_table(table, cascade=True)
            for registry in self.type_registries():
                for doomed in [k for k in registry if k[0] == name.name]:
                    del registry[doomed]
            return True
        if kind in ("TYPE", "DOMAIN"):
            for registry in self.type_registries():
                if (found := self.find_type(name, registry)) is not None:
                    del registry[found]
                    self.namespace(found[0]).types.discard(found[1])
                    return True
            return False
        schemas = [name.schema] if name.schema else self.path_schemas()
        for schema in schemas:
            namespace = self.namespace(schema)
            if name.name in namespace.relations:
                namespace.relations.discard(name.name)
                namespace.views.discard(name.name)
                for table in self.tables.values():
                    if table.schema == schema:
                        table.uniques = [k for k in table.uniques if not (k.is_index and k.name == name.name)]
                return True
        return False

    def drop_table(self, table: _Table, cascade: bool) -> None:
        del self.tables[table.key]
        self.namespace(table.schema).relations.discard(table.name)
        self.namespace(table.schema).types.discard(table.name)
        for other in self.tables.values():
            other.children = [c for c in other.children if c is not table]
            if cascade:
                other.foreign_keys = [f for f in other.foreign_keys if f.ref != table.key]
        if cascade:
            for child in list(table.children):
                if child.key in self.tables:
                    self.drop_table(child, cascade)

    # -- the result -----------------------------------------------------------------------------

    def schema(self) -> Schema:
        by_name = attrgetter("schema", "name")
        return Schema(
            tables=tuple(sorted((self.build_table(t) for t in self.tables.values()), key=by_name)),
            enums=tuple(sorted((EnumType(s, n, tuple(labels)) for (s, n), labels in self.enums.items()), key=by_name)),
            domains=tuple(sorted((self.build_domain(s, n, d) for (s, n), d in self.domains.items()), key=by_name)),
            composites=tuple(
                sorted((CompositeType(s, n, tuple(attrs)) for (s, n), attrs in self.composites.items()), key=by_name)
            ),
            warnings=tuple(self.warnings),
        )

    def build_table(self, table: _Table) -> Table:
        order = [c.name for c in table.columns]
        return Table(
            schema=table.schema,
            name=table.name,
            columns=tuple(
                Column(c.name, c.type, c.nullable, c.default, c.default_kind, c.identity, c.generated)
                for c in table.columns
            ),
            checks=tuple(
                sorted(
                    (Check(c.name, c.expression, tuple(n for n in order if n in c.refs)) for c in table.checks),
                    key=attrgetter("name"),
                )
            ),
            primary_key=_unique(table.primary) if table.primary else None,
            uniques=tuple(sorted((_unique(k) for k in table.uniques), key=attrgetter("name"))),
            foreign_keys=tuple(
                sorted((self.build_foreign_key(table, f) for f in table.foreign_keys), key=attrgetter("name"))
            ),
            inherits=tuple(f"{s}.{n}" for s, n in table.inherits),
            partition_of=f"{table.partition_of[0]}.{table.partition_of[1]}" if table.partition_of else None,
            partitioned=table.partitioned,
        )

    def build_foreign_key(self, table: _Table, foreign_key: _ForeignKey) -> ForeignKey:
        ref_columns = foreign_key.ref_columns
        if not ref_columns:
            target = self.tables.get(foreign_key.ref)
            if target is not None and target.primary is not None:
                ref_columns = target.primary.columns
            else:
                self.warnings.append(
                    f"table {table.schema}.{table.name}: foreign key {foreign_key.name} references "
                    f"{'.'.join(foreign_key.ref)}, which has no primary key"
                )
        return ForeignKey(
            foreign_key.name,
            foreign_key.columns,
            foreign_key.ref[0],
            foreign_key.ref[1],
            ref_columns,
            deferrable=foreign_key.deferrable,
            initially_deferred=foreign_key.initially_deferred,
            match_full=foreign_key.match_full,
            on_delete=foreign_key.on_delete,
        )

    def build_domain(self, schema: str, name: str, domain: _Domain) -> Domain:
        checks = tuple(sorted((Check(c.name, c.expression) for c in domain.checks), key=attrgetter("name")))
        return Domain(schema, name, domain.base, domain.nullable, domain.default, checks)


@dataclass
class _Pending:
    """A CREATE TABLE's constraints, gathered in the order written, created once the columns exist."""

    checks: list[syn.CheckDef] = field(default_factory=list)
    keys: list[tuple[syn.KeyDef, str | None]] = field(default_factory=list)
    foreign_keys: list[tuple[syn.ForeignKeyDef, str | None]] = field(default_factory=list)
    copied_keys: list[_Key] = field(default_factory=list)

    def add(self, constraint: syn.CheckDef | syn.KeyDef | syn.ForeignKeyDef, column: str | None) -> None:
        if isinstance(constraint, syn.CheckDef):
            self.checks.append(constraint)
        elif isinstance(constraint, syn.KeyDef):
            self.keys.append((constraint, column))
        else:
            self.foreign_keys.append((constraint, column))


def _deduplicated_keys(keys: list[tuple[syn.KeyDef, str | None]]) -> list[tuple[syn.KeyDef, str | None]]:
    """The primary key first, then the other keys, a key equal to an earlier one dropped
    (`id int PRIMARY KEY UNIQUE` makes one index), as transformIndexConstraints does."""
    ordered = [k for k in keys if k[0].primary] + [k for k in keys if not k[0].primary]
    kept: list[tuple[syn.KeyDef, str | None]] = []
    for key, column in ordered:
        columns = key.columns or (column,)
        same = next(
            (
                i
                for i, (other, other_column) in enumerate(kept)
                if (other.columns or (other_column,)) == columns
                and other.nulls_not_distinct == key.nulls_not_distinct
                and other.deferrable == key.deferrable
                and other.initially_deferred == key.initially_deferred
            ),
            None,
        )
        if same is None:
            kept.append((key, column))
        elif kept[same][0].name is None and key.name is not None:
            kept[same] = (replace(kept[same][0], name=key.name), kept[same][1])
    return kept


def _unique(key: _Key) -> Unique:
    return Unique(
        key.name, key.columns, key.primary, key.nulls_not_distinct, key.predicate, key.expressions, key.is_index
    )


def _column_refs(expression: exp.Expr | None) -> set[str]:
    if expression is None:
        return set()
    return {column.name for column in expression.find_all(exp.Column)}


def _is_null(expression: exp.Expr) -> bool:
    while isinstance(expression, (exp.Paren, exp.Cast)):
        expression = expression.this
    return isinstance(expression, exp.Null)


def _is_nextval(node: exp.Expr) -> bool:
    return isinstance(node, exp.Anonymous) and str(node.this).lower() == "nextval"


def _default_kind(expression: exp.Expr) -> DefaultKind:
    """SEQUENCE for nextval, VOLATILE for any other call (or SQL value function), else CONSTANT."""
    nodes = list(expression.walk())
    if any(_is_nextval(node) for node in nodes):
        return DefaultKind.SEQUENCE
    for node in nodes:
        if isinstance(node, exp.Column) or (
            isinstance(node, exp.Func) and not isinstance(node, (exp.Cast, exp.TryCast, exp.Array))
        ):
            return DefaultKind.VOLATILE
    return DefaultKind.CONSTANT


def _sql(expression: exp.Expr) -> str:
    return expression.sql(dialect="postgres")


def _quote(name: str) -> str:
    """An identifier as PostgreSQL prints it: bare when it can be, double-quoted otherwise."""
    return name if _SIMPLE_IDENTIFIER.fullmatch(name) else '"' + name.replace('"', '""') + '"'


def _schema_element_rank(element: Statement) -> int:
    """`CREATE [UNIQUE] INDEX` -> 3: where an element of CREATE SCHEMA runs."""
    words = head_words(element.text, 3)
    for rank, kind in enumerate(_SCHEMA_ELEMENT_ORDER):
        if kind in words[1:3]:
            return rank
    return len(_SCHEMA_ELEMENT_ORDER)
