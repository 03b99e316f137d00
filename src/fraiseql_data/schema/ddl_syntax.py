"""What each DDL statement says: small frozen records, one per statement form the reader follows.

`ddl_grammar` reads statements into these; `ddl` works out what PostgreSQL
does with them. Names in them are already folded as PostgreSQL folds them
(unquoted to lower case, every name cut to 63 bytes); expressions are sqlglot
trees.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from fraiseql_data.schema.model import Identity
from fraiseql_data.schema.statements import Statement


@dataclass(frozen=True)
class Name:
    """An object name as written: `schema` is None when unqualified."""

    schema: str | None
    name: str


@dataclass(frozen=True)
class TypeName:
    """A type as written. `name` is lower-case words for an unquoted name (`double
    precision`), the exact text for a quoted one; `quoted` says which."""

    schema: str | None
    name: str
    quoted: bool = False
    modifiers: tuple[int, ...] = ()
    array_dims: int = 0


@dataclass(frozen=True)
class NotNull:
    pass


@dataclass(frozen=True)
class Nullable:
    """An explicit `NULL` column constraint: says nothing, but is legal."""


@dataclass(frozen=True)
class DefaultDef:
    expression: exp.Expr


@dataclass(frozen=True)
class CheckDef:
    name: str | None
    expression: exp.Expr
    no_inherit: bool = False


@dataclass(frozen=True)
class KeyDef:
    """PRIMARY KEY or UNIQUE; no `columns` on a column constraint (the column itself)."""

    name: str | None
    columns: tuple[str, ...]
    primary: bool
    nulls_not_distinct: bool = False
    deferrable: bool = False
    initially_deferred: bool = False


@dataclass(frozen=True)
class ForeignKeyDef:
    """No `columns` on a column constraint; no `ref_columns`: the referenced primary key."""

    name: str | None
    columns: tuple[str, ...]
    ref: Name
    ref_columns: tuple[str, ...]
    match_full: bool = False
    on_delete: str = "NO ACTION"
    deferrable: bool = False
    initially_deferred: bool = False


@dataclass(frozen=True)
class IdentityDef:
    kind: Identity
    sequence: Name | None = None  # SEQUENCE NAME option


@dataclass(frozen=True)
class GeneratedDef:
    expression: exp.Expr


@dataclass(frozen=True)
class ExcludeDef:
    name: str | None
    text: str


Constraint = NotNull | Nullable | DefaultDef | CheckDef | KeyDef | ForeignKeyDef | IdentityDef | GeneratedDef
TableConstraint = CheckDef | KeyDef | ForeignKeyDef | ExcludeDef


@dataclass(frozen=True)
class ColumnDef:
    """`type` is None for `col WITH OPTIONS ...` in PARTITION OF / OF tables."""

    name: str
    type: TypeName | None
    constraints: tuple[Constraint, ...] = ()


@dataclass(frozen=True)
class LikeDef:
    table: Name
    including: frozenset[str]  # DEFAULTS, CONSTRAINTS, INDEXES, IDENTITY, GENERATED (ALL expanded)


@dataclass(frozen=True)
class CreateTable:
    name: Name
    elements: tuple[ColumnDef | TableConstraint | LikeDef, ...]
    inherits: tuple[Name, ...] = ()
    partition_of: Name | None = None
    of_type: Name | None = None
    partitioned: bool = False
    temporary: bool = False
    if_not_exists: bool = False
    as_query: bool = False


@dataclass(frozen=True)
class AddColumn:
    column: ColumnDef
    if_not_exists: bool = False


@dataclass(frozen=True)
class AddConstraint:
    constraint: TableConstraint


@dataclass(frozen=True)
class DropColumn:
    column: str
    if_exists: bool = False
    cascade: bool = False


@dataclass(frozen=True)
class DropConstraint:
    constraint: str
    if_exists: bool = False


@dataclass(frozen=True)
class SetDefault:
    column: str
    expression: exp.Expr | None  # None: DROP DEFAULT


@dataclass(frozen=True)
class SetNotNull:
    column: str
    not_null: bool


@dataclass(frozen=True)
class SetType:
    column: str
    type: TypeName


@dataclass(frozen=True)
class AddIdentity:
    column: str
    identity: IdentityDef


@dataclass(frozen=True)
class SetIdentityKind:
    column: str
    kind: Identity


@dataclass(frozen=True)
class DropIdentity:
    column: str


@dataclass(frozen=True)
class DropExpression:
    column: str


@dataclass(frozen=True)
class RenameTable:
    new_name: str


@dataclass(frozen=True)
class RenameConstraint:
    old: str
    new: str


@dataclass(frozen=True)
class AttachPartition:
    child: Name


@dataclass(frozen=True)
class Inherit:
    parent: Name


@dataclass(frozen=True)
class Unsupported:
    """An action the model cannot follow: the reader warns about it."""

    text: str


@dataclass(frozen=True)
class Ignored:
    """An action that changes nothing the model holds (OWNER TO, SET STATISTICS, ...)."""


ColumnAction = SetDefault | SetNotNull | SetType | AddIdentity | SetIdentityKind | DropIdentity | DropExpression
AlterAction = (
    AddColumn
    | AddConstraint
    | DropColumn
    | DropConstraint
    | SetDefault
    | SetNotNull
    | SetType
    | AddIdentity
    | SetIdentityKind
    | DropIdentity
    | DropExpression
    | RenameTable
    | RenameConstraint
    | AttachPartition
    | Inherit
    | Unsupported
    | Ignored
)


@dataclass(frozen=True)
class AlterTable:
    name: Name
    actions: tuple[AlterAction, ...]
    only: bool = False
    if_exists: bool = False


@dataclass(frozen=True)
class IndexElement:
    """A key column, or an expression with the column name PostgreSQL would derive from it."""

    column: str | None
    expression: exp.Expr | None = None
    suggested_name: str | None = None


@dataclass(frozen=True)
class CreateIndex:
    name: str | None
    table: Name
    elements: tuple[IndexElement, ...]
    unique: bool = False
    nulls_not_distinct: bool = False
    predicate: exp.Expr | None = None
    if_not_exists: bool = False
    only: bool = False  # ON ONLY: not on the partitions


@dataclass(frozen=True)
class CreateDomain:
    name: Name
    base: TypeName
    constraints: tuple[Constraint, ...]


@dataclass(frozen=True)
class CreateEnum:
    name: Name
    labels: tuple[str, ...]


@dataclass(frozen=True)
class CreateComposite:
    name: Name
    attributes: tuple[tuple[str, TypeName], ...]


@dataclass(frozen=True)
class CreateOtherType:
    """A range, base or shell type: a name columns may use, with nothing to model."""

    name: Name


@dataclass(frozen=True)
class CreateSchema:
    name: str
    elements: tuple[Statement, ...] = ()  # CREATE TABLE/INDEX/... written inside CREATE SCHEMA
    if_not_exists: bool = False


@dataclass(frozen=True)
class CreateRelation:
    """A sequence or view: nothing to model, but its name is taken in the namespace."""

    name: Name
    view: bool = False  # a unique index on a (materialized) view is no table's key


@dataclass(frozen=True)
class SetSearchPath:
    schemas: tuple[str, ...] | None  # None: back to the default


@dataclass(frozen=True)
class AddEnumValue:
    type: Name
    label: str
    before: str | None = None
    after: str | None = None


@dataclass(frozen=True)
class RenameEnumValue:
    type: Name
    old: str
    new: str


@dataclass(frozen=True)
class DomainDefault:
    expression: exp.Expr | None  # None: DROP DEFAULT


@dataclass(frozen=True)
class DomainNotNull:
    not_null: bool


@dataclass(frozen=True)
class AlterDomain:
    name: Name
    action: CheckDef | DomainDefault | DomainNotNull | DropConstraint


@dataclass(frozen=True)
class Drop:
    kind: str  # TABLE, INDEX, TYPE, DOMAIN, SEQUENCE, VIEW, SCHEMA
    names: tuple[Name, ...]
    if_exists: bool = False
    cascade: bool = False


@dataclass(frozen=True)
class Skip:
    """A statement that defines nothing the model holds; `warning` when it still might matter."""

    warning: str | None = None


Syntax = (
    CreateTable
    | AlterTable
    | CreateIndex
    | CreateDomain
    | CreateEnum
    | CreateComposite
    | CreateOtherType
    | CreateSchema
    | CreateRelation
    | SetSearchPath
    | AddEnumValue
    | RenameEnumValue
    | AlterDomain
    | Drop
    | Skip
)
