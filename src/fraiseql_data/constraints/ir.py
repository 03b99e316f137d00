"""The intermediate representation of a CHECK: typed, scaled, and SQL-free.

Translation (`translate.py`) turns a sqlglot AST into these nodes; two
interpreters give them meaning: `cpsat.py` (a CP-SAT model of one row) and
`evaluate.py` (a vectorised numpy check of many rows). Both follow SQL's
three-valued logic: a predicate is TRUE, FALSE or NULL, and a CHECK only fails
when it is FALSE.

Numbers are scaled integers: a `numeric(10,2)` column holds cents, a date holds
days since 1970-01-01, a timestamp seconds since the epoch. Translation has
already aligned the scales of every comparison and folded every constant, so
the interpreters only see integers. Text is abstract: a column's value is
described by which literal it equals (if any), its length, and which patterns
it matches; the string itself is realised afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

# ── value nodes ──────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Col:
    """A column's encoded value (an integer; NULL when the column is NULL)."""

    name: str


@dataclass(frozen=True)
class Const:
    """An integer constant, or SQL NULL when `value` is None."""

    value: int | None


@dataclass(frozen=True)
class Arith:
    """`left op right` for + - * / % (division truncates toward zero, as SQL's)."""

    op: str
    left: Value
    right: Value
    bounds: tuple[int, int] | None = None  # the result type's range: beyond it PostgreSQL raises


@dataclass(frozen=True)
class Neg:
    arg: Value
    bounds: tuple[int, int] | None = None  # the type's range: -(-32768) overflows a smallint


@dataclass(frozen=True)
class Abs:
    arg: Value
    bounds: tuple[int, int] | None = None


@dataclass(frozen=True)
class TextLength:
    """char_length(column) of a text column."""

    column: str


@dataclass(frozen=True)
class Case:
    """CASE WHEN p THEN v ... ELSE d END; no ELSE means NULL."""

    whens: tuple[tuple[Pred, Value], ...]
    default: Value


@dataclass(frozen=True)
class Coalesce:
    args: tuple[Value, ...]


@dataclass(frozen=True)
class NullIf:
    left: Value
    right: Value


@dataclass(frozen=True)
class Extreme:
    """LEAST / GREATEST: NULL arguments are ignored; NULL only if all are."""

    greatest: bool
    args: tuple[Value, ...]


@dataclass(frozen=True)
class CountNulls:
    """num_nulls(...) (or num_nonnulls when `nonnull`): never NULL."""

    args: tuple[Value | Pred, ...]
    nonnull: bool


# ── predicate nodes ──────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Truth:
    """A constant TRUE, FALSE or NULL (None)."""

    value: bool | None


@dataclass(frozen=True)
class BoolCol:
    """A boolean column used as a predicate."""

    name: str


@dataclass(frozen=True)
class Compare:
    """`left op right` for = <> < <= > >= on scaled integers."""

    op: str
    left: Value
    right: Value


@dataclass(frozen=True)
class TextIs:
    """A text column equals one of `values` (after `transform`: '', 'lower', 'upper', 'btrim')."""

    column: str
    values: frozenset[str]
    transform: str = ""


@dataclass(frozen=True)
class Match:
    """A text column matches a pattern: kind is 'regex', 'like' or 'similar'."""

    column: str
    kind: str
    pattern: str
    case_insensitive: bool = False


@dataclass(frozen=True)
class IsNull:
    arg: Value | Pred


@dataclass(frozen=True)
class Distinct:
    """`left IS DISTINCT FROM right`: never NULL."""

    left: Value
    right: Value


@dataclass(frozen=True)
class Iff:
    """Equality of two predicates, `(a IS NULL) = (kind = 'site')`: NULL if either is."""

    left: Pred
    right: Pred


@dataclass(frozen=True)
class And:
    args: tuple[Pred, ...]


@dataclass(frozen=True)
class Or:
    args: tuple[Pred, ...]


@dataclass(frozen=True)
class Not:
    arg: Pred


@dataclass(frozen=True)
class CasePred:
    """A CASE whose branches are predicates."""

    whens: tuple[tuple[Pred, Pred], ...]
    default: Pred


Value: TypeAlias = Col | Const | Arith | Neg | Abs | TextLength | Case | Coalesce | NullIf | Extreme | CountNulls
Pred: TypeAlias = Truth | BoolCol | Compare | TextIs | Match | IsNull | Distinct | Iff | And | Or | Not | CasePred

VALUE_TYPES = (Col, Const, Arith, Neg, Abs, TextLength, Case, Coalesce, NullIf, Extreme, CountNulls)
PRED_TYPES = (Truth, BoolCol, Compare, TextIs, Match, IsNull, Distinct, Iff, And, Or, Not, CasePred)


def children(node: Value | Pred) -> tuple[Value | Pred, ...]:
    """The direct sub-expressions of a node, for generic walks."""
    match node:
        case Arith(_, left, right) | NullIf(left, right) | Compare(_, left, right) | Distinct(left, right):
            return (left, right)
        case Iff(left, right):
            return (left, right)
        case Neg(arg) | Abs(arg) | IsNull(arg) | Not(arg):
            return (arg,)
        case Case(whens, default) | CasePred(whens, default):
            return (*[x for w in whens for x in w], default)
        case Coalesce(args) | Extreme(_, args) | CountNulls(args, _) | And(args) | Or(args):
            return tuple(args)
    return ()


def columns(node: Value | Pred) -> frozenset[str]:
    """Every column a node reads."""
    own: set[str] = set()
    match node:
        case Col(name) | BoolCol(name):
            own.add(name)
        case TextLength(column) | TextIs(column, _, _) | Match(column, _, _, _):
            own.add(column)
    for child in children(node):
        own |= columns(child)
    return frozenset(own)


def walk(node: Value | Pred):
    """Pre-order traversal."""
    yield node
    for child in children(node):
        yield from walk(child)
