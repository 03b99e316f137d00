"""sqlglot AST → IR: one rule per SQL construct.

A rule receives the sqlglot node and the `Scope` (the table's column
encodings, the fixed clock) and returns a `Typed` value: an IR node with its
SQL kind and decimal scale. Rules are registered by sqlglot class in `RULES`,
so reading this module is reading the list of constructs we understand.
Anything else raises `Untranslatable`, and the CHECK is classified opaque.

Both spellings of a constraint translate alike: the DDL form
(`role IN ('a', 'b')`) and PostgreSQL's normalised `pg_get_constraintdef` form
(`role = ANY (ARRAY['a'::text, 'b'::text])`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

import sqlglot
from sqlglot import exp

from fraiseql_data.constraints import ir
from fraiseql_data.constraints.encoding import EPOCH, SECONDS_PER_DAY, Encoding, Kind, encode_type
from fraiseql_data.schema.model import Schema, TypeRef


class Untranslatable(Exception):
    """The expression uses something the compiler does not model (→ opaque)."""


# Kinds of translated values. Numbers of every flavour share "num"; dates count
# days, timestamps seconds, intervals are (months, days, seconds) constants.
NUM, DATE, TS, TIME, BOOL, TEXT, ENUM, STRLIT, INTERVAL, NULL = (
    "num", "date", "ts", "time", "bool", "text", "enum", "strlit", "interval", "null",
)


@dataclass(frozen=True)
class Typed:
    node: ir.Value | ir.Pred | None
    kind: str
    scale: int = 0
    bounds: tuple[int, int] | None = None  # integer type range, for overflow
    column: str | None = None  # text: the column; strlit: None
    transform: str = ""  # text: lower/upper/btrim applied to the column
    literal: str | None = None  # strlit: the string
    interval: tuple[int, int, int] | None = None  # months, days, seconds
    labels: tuple[str, ...] = ()  # enum labels
    float_: bool = False  # a real/double column: boundaries are inexact


@dataclass(frozen=True)
class Scope:
    encodings: dict[str, Encoding]
    schema: Schema
    as_of: dt.datetime
    value_column: str | None = None  # a domain CHECK's VALUE stands for this column
    literals: dict[str, set[str]] = field(default_factory=dict)
    generated: dict[str, str] = field(default_factory=dict)  # GENERATED ALWAYS AS (expression) columns


Rule = Callable[[exp.Expression, Scope], Typed]
RULES: dict[type[exp.Expression], Rule] = {}


def rule(*classes: type[exp.Expression]) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        for cls in classes:
            RULES[cls] = fn
        return fn

    return register


def translate(node: exp.Expression, scope: Scope) -> Typed:
    fn = RULES.get(type(node))
    if fn is None:
        raise Untranslatable(f"{node.key} ({node.sql(dialect='postgres')[:60]}) is not modelled")
    return fn(node, scope)


def translate_check(sql: str, scope: Scope) -> ir.Pred:
    """The IR predicate of a CHECK expression's SQL text."""
    try:
        tree = sqlglot.parse_one(sql, read="postgres")
    except sqlglot.errors.ParseError as error:
        raise Untranslatable(f"sqlglot cannot parse it: {error}") from None
    return as_pred(translate(tree, scope))  # type: ignore[arg-type]


# ── helpers ──────────────────────────────────────────────────────────────────


def as_pred(t: Typed) -> ir.Pred:
    if t.kind == BOOL:
        return t.node  # type: ignore[return-value]
    if t.kind == NULL:
        return ir.Truth(None)
    raise Untranslatable(f"a {t.kind} value is used where a condition is expected")


def as_value(t: Typed) -> ir.Value:
    if t.kind in (NUM, DATE, TS, TIME, ENUM):
        return t.node  # type: ignore[return-value]
    if t.kind == NULL:
        return ir.Const(None)
    raise Untranslatable(f"a {t.kind} value cannot be used in arithmetic")


def rescale(t: Typed, scale: int) -> Typed:
    """The same number expressed with more decimal digits."""
    if scale == t.scale:
        return t
    factor = 10 ** (scale - t.scale)
    node = t.node
    if isinstance(node, ir.Const):
        value = None if node.value is None else node.value * factor
        return replace(t, node=ir.Const(value), scale=scale, bounds=None)
    return replace(t, node=ir.Arith("*", as_value(t), ir.Const(factor)), scale=scale, bounds=None)


def literal_number(text: str) -> Typed:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise Untranslatable(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise Untranslatable(f"{text!r} is not a finite number")
    exponent = value.as_tuple().exponent
    scale = max(0, -exponent) if isinstance(exponent, int) else 0
    scaled = int(value.scaleb(scale))
    bounds = None
    if scale == 0:
        bounds = (-(2**31), 2**31 - 1) if -(2**31) <= scaled < 2**31 else (-(2**63), 2**63 - 1)
    return Typed(ir.Const(scaled), NUM, scale=scale, bounds=bounds)


def day_number(day: dt.date) -> int:
    return (day - EPOCH).days


def second_number(moment: dt.datetime) -> int:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return int((moment - dt.datetime(1970, 1, 1)).total_seconds())


INTERVAL_UNITS = {
    "year": (12, 0, 0), "years": (12, 0, 0), "y": (12, 0, 0),
    "mon": (1, 0, 0), "mons": (1, 0, 0), "month": (1, 0, 0), "months": (1, 0, 0),
    "week": (0, 7, 0), "weeks": (0, 7, 0), "w": (0, 7, 0),
    "day": (0, 1, 0), "days": (0, 1, 0), "d": (0, 1, 0),
    "hour": (0, 0, 3600), "hours": (0, 0, 3600), "h": (0, 0, 3600),
    "minute": (0, 0, 60), "minutes": (0, 0, 60), "min": (0, 0, 60), "mins": (0, 0, 60), "m": (0, 0, 60),
    "second": (0, 0, 1), "seconds": (0, 0, 1), "sec": (0, 0, 1), "secs": (0, 0, 1), "s": (0, 0, 1),
}


def parse_interval(text: str) -> tuple[int, int, int]:
    """'16 years', '1 day 02:00:00', '3 mons' → (months, days, seconds)."""
    months = days = seconds = 0
    rest = text.strip().lower()
    clock = re.search(r"(-?)(\d+):(\d{2})(?::(\d{2}))?", rest)
    if clock:
        sign = -1 if clock.group(1) else 1
        seconds += sign * (int(clock.group(2)) * 3600 + int(clock.group(3)) * 60 + int(clock.group(4) or 0))
        rest = rest[: clock.start()] + rest[clock.end():]
    tokens = rest.replace("@", " ").split()
    if len(tokens) % 2:
        raise Untranslatable(f"interval {text!r} is not modelled")
    for amount, unit in zip(tokens[::2], tokens[1::2], strict=True):
        if unit not in INTERVAL_UNITS or not re.fullmatch(r"[-+]?\d+", amount):
            raise Untranslatable(f"interval {text!r} is not modelled")
        m, d, s = INTERVAL_UNITS[unit]
        n = int(amount)
        months, days, seconds = months + n * m, days + n * d, seconds + n * s
    return months, days, seconds


def add_months(day: dt.date, months: int) -> dt.date:
    """PostgreSQL's month arithmetic: clamp the day to the target month's end."""
    import calendar

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last))


def shift(moment: dt.datetime, interval: tuple[int, int, int], sign: int) -> dt.datetime:
    months, days, seconds = (sign * part for part in interval)
    shifted = add_months(moment.date(), months)
    moment = dt.datetime.combine(shifted, moment.time(), moment.tzinfo)
    return moment + dt.timedelta(days=days, seconds=seconds)


def const_of(t: Typed) -> int | None:
    return t.node.value if isinstance(t.node, ir.Const) else None


def widen(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[int, int] | None:
    if a is None or b is None:
        return None
    return (min(a[0], b[0]), max(a[1], b[1]))


# ── leaves ───────────────────────────────────────────────────────────────────


@rule(exp.Paren)
def paren(node: exp.Expression, scope: Scope) -> Typed:
    return translate(node.this, scope)


@rule(exp.Column)
def column(node: exp.Expression, scope: Scope) -> Typed:
    name = node.name
    if node.args.get("table"):
        raise Untranslatable(f"qualified column {node.sql()} is not modelled")
    if name.upper() == "VALUE" and scope.value_column is not None and not node.this.quoted:
        name = scope.value_column
    if name in scope.generated:  # a stored generated column is its expression over the other columns
        inner = replace(scope, generated={k: v for k, v in scope.generated.items() if k != name})
        try:
            expression = sqlglot.parse_one(scope.generated[name], read="postgres")
        except sqlglot.errors.ParseError:
            raise Untranslatable(f"the generated column {name} has an expression sqlglot cannot parse") from None
        return translate(expression, inner)  # type: ignore[arg-type]
    encoding = scope.encodings.get(name)
    if encoding is None:
        raise Untranslatable(f"{name} is not a column of the table")
    kind = encoding.kind
    if kind in (Kind.INT, Kind.NUMERIC, Kind.FLOAT):
        bounds = (encoding.lo, encoding.hi) if kind is Kind.INT else None
        return Typed(ir.Col(name), NUM, scale=encoding.scale, bounds=bounds, float_=kind is Kind.FLOAT)
    if kind is Kind.DATE:
        return Typed(ir.Col(name), DATE)
    if kind in (Kind.TIMESTAMP, Kind.TIMESTAMPTZ):
        return Typed(ir.Col(name), TS)
    if kind is Kind.TIME:
        return Typed(ir.Col(name), TIME)
    if kind is Kind.BOOL:
        return Typed(ir.BoolCol(name), BOOL)
    if kind is Kind.ENUM:
        return Typed(ir.Col(name), ENUM, labels=encoding.labels)
    if kind is Kind.TEXT:
        return Typed(None, TEXT, column=name)
    raise Untranslatable(f"column {name} of type {encoding.type} has no solver encoding")


@rule(exp.Literal)
def literal(node: exp.Expression, scope: Scope) -> Typed:
    if node.is_string:
        return Typed(None, STRLIT, literal=node.this)
    return literal_number(node.this)


@rule(exp.Null)
def null(node: exp.Expression, scope: Scope) -> Typed:
    return Typed(ir.Const(None), NULL)


@rule(exp.Boolean)
def boolean(node: exp.Expression, scope: Scope) -> Typed:
    return Typed(ir.Truth(bool(node.this)), BOOL)


@rule(exp.CurrentDate)
def current_date(node: exp.Expression, scope: Scope) -> Typed:
    return Typed(ir.Const(day_number(scope.as_of.date())), DATE)


@rule(exp.CurrentTimestamp, exp.CurrentDatetime)
def current_timestamp(node: exp.Expression, scope: Scope) -> Typed:
    return Typed(ir.Const(second_number(scope.as_of)), TS)


@rule(exp.Interval)
def interval(node: exp.Expression, scope: Scope) -> Typed:
    amount = node.this.name if node.this is not None else ""
    unit = node.args["unit"].name if node.args.get("unit") is not None else ""
    return Typed(None, INTERVAL, interval=parse_interval(f"{amount} {unit}".strip()))


# ── casts ────────────────────────────────────────────────────────────────────

DTYPE_NAMES = {
    exp.DataType.Type.TEXT: "text", exp.DataType.Type.VARCHAR: "character varying",
    exp.DataType.Type.CHAR: "character", exp.DataType.Type.BPCHAR: "character",
    exp.DataType.Type.INT: "integer", exp.DataType.Type.SMALLINT: "smallint",
    exp.DataType.Type.BIGINT: "bigint", exp.DataType.Type.DECIMAL: "numeric",
    exp.DataType.Type.DOUBLE: "double precision", exp.DataType.Type.FLOAT: "real",
    exp.DataType.Type.DATE: "date", exp.DataType.Type.TIMESTAMP: "timestamp without time zone",
    exp.DataType.Type.TIMESTAMPTZ: "timestamp with time zone", exp.DataType.Type.TIME: "time without time zone",
    exp.DataType.Type.BOOLEAN: "boolean", exp.DataType.Type.INTERVAL: "interval",
    exp.DataType.Type.USERDEFINED: "", exp.DataType.Type.NAME: "name",
}


def cast_target(to: exp.DataType, scope: Scope) -> TypeRef:
    name = DTYPE_NAMES.get(to.this)
    if name is None:
        raise Untranslatable(f"cast to {to.sql(dialect='postgres')} is not modelled")
    if name == "":
        user = to.sql(dialect="postgres").strip('"')
        if user.split(".")[-1].lower() == "citext":
            return TypeRef("public.citext")
        matches = [q for q in (*scope.schema.enum_map, *scope.schema.domain_map)
                   if q == user or q.split(".", 1)[1] == user.split(".")[-1]]
        if not matches:
            raise Untranslatable(f"cast to {user} is not modelled")
        name = matches[0]
    params = tuple(int(p.this.name) for p in to.expressions if isinstance(p, exp.DataTypeParam))
    return TypeRef(name, params)


@rule(exp.Cast, exp.TryCast)
def cast(node: exp.Expression, scope: Scope) -> Typed:
    inner = translate(node.this, scope)
    if inner.kind == NULL:  # NULL::integer is still NULL
        return inner
    target = cast_target(node.args["to"], scope)
    if target.name in scope.schema.domain_map:
        target = scope.schema.domain_map[target.name].base
    encoding = encode_type(target, scope.schema)
    kind = encoding.kind
    if target.name == "interval" and inner.kind == STRLIT:
        return Typed(None, INTERVAL, interval=parse_interval(inner.literal or ""))
    if kind is Kind.TEXT:
        if inner.kind in (TEXT, STRLIT):
            return inner
        raise Untranslatable(f"cast of a {inner.kind} to text is not modelled")
    if inner.kind == STRLIT:
        return coerce_literal(inner.literal or "", encoding)
    if kind in (Kind.INT, Kind.NUMERIC, Kind.FLOAT) and inner.kind == NUM:
        if kind is Kind.INT and inner.scale > 0:
            raise Untranslatable("a cast that rounds a fraction to an integer is not modelled")
        if kind is Kind.NUMERIC and target.modifiers and inner.scale > encoding.scale:
            raise Untranslatable("a cast that rounds to fewer decimals is not modelled")
        bounds = (encoding.lo, encoding.hi) if kind is Kind.INT else None
        return replace(inner, bounds=bounds)
    if kind is Kind.DATE and inner.kind == DATE:
        return inner
    if kind in (Kind.TIMESTAMP, Kind.TIMESTAMPTZ) and inner.kind in (TS, DATE):
        return to_ts(inner)
    if kind is Kind.ENUM and inner.kind == ENUM:
        return inner
    if kind is Kind.BOOL and inner.kind == BOOL:
        return inner
    raise Untranslatable(f"cast of a {inner.kind} to {target} is not modelled")


def coerce_literal(text: str, encoding: Encoding) -> Typed:
    """A string literal read as a value of the encoding's type (as PostgreSQL would)."""
    kind = encoding.kind
    try:
        if kind in (Kind.INT, Kind.NUMERIC, Kind.FLOAT):
            return literal_number(text.strip())
        if kind is Kind.DATE:
            return Typed(ir.Const(day_number(parse_date(text))), DATE)
        if kind in (Kind.TIMESTAMP, Kind.TIMESTAMPTZ):
            return Typed(ir.Const(second_number(parse_timestamp(text))), TS)
        if kind is Kind.TIME:
            clock = dt.time.fromisoformat(text.strip())
            return Typed(ir.Const(clock.hour * 3600 + clock.minute * 60 + clock.second), TIME)
        if kind is Kind.BOOL:
            truth = text.strip().lower()
            if truth in ("t", "true", "yes", "on", "1", "y"):
                return Typed(ir.Truth(True), BOOL)
            if truth in ("f", "false", "no", "off", "0", "n"):
                return Typed(ir.Truth(False), BOOL)
        if kind is Kind.ENUM:
            return Typed(ir.Const(encoding.labels.index(text)), ENUM, labels=encoding.labels)
    except ValueError:
        pass
    raise Untranslatable(f"literal {text!r} as {encoding.type} is not modelled")


def parse_date(text: str) -> dt.date:
    text = text.strip()
    if text.lower() in ("infinity", "-infinity", "epoch"):
        raise ValueError(text)
    return dt.date.fromisoformat(text[:10])


def parse_timestamp(text: str) -> dt.datetime:
    text = text.strip()
    if text.endswith(("+00", "-00")) or re.search(r"[+-]\d\d$", text):
        text += ":00"
    return dt.datetime.fromisoformat(text)


def to_ts(t: Typed) -> Typed:
    if t.kind == TS:
        return t
    value = const_of(t)
    if value is not None:
        return Typed(ir.Const(value * SECONDS_PER_DAY), TS)
    return Typed(ir.Arith("*", as_value(t), ir.Const(SECONDS_PER_DAY)), TS)


# ── comparisons ──────────────────────────────────────────────────────────────

COMPARISONS: dict[type[exp.Expression], str] = {
    exp.EQ: "=", exp.NEQ: "<>", exp.LT: "<", exp.LTE: "<=", exp.GT: ">", exp.GTE: ">=",
}
FLIPPED = {"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def compare(op: str, left: Typed, right: Typed, scope: Scope) -> ir.Pred:
    """One comparison, after bringing both sides to a common kind and scale."""
    if NULL in (left.kind, right.kind):
        return ir.Truth(None)
    if left.kind == STRLIT and right.kind != STRLIT:
        return compare(FLIPPED[op], right, left, scope)
    if left.kind == BOOL and right.kind == BOOL:
        if op not in ("=", "<>"):
            raise Untranslatable("ordering of booleans is not modelled")
        same = ir.Iff(as_pred(left), as_pred(right))
        return same if op == "=" else ir.Not(same)
    if left.kind == BOOL and right.kind == STRLIT:
        truth = coerce_literal(right.literal or "", Encoding(Kind.BOOL))
        return compare(op, left, truth, scope)
    if left.kind == TEXT:
        return compare_text(op, left, right, scope)
    if left.kind == ENUM and right.kind == STRLIT:
        if right.literal not in left.labels:
            raise Untranslatable(f"{right.literal!r} is not a label of the enum")
        right = Typed(ir.Const(left.labels.index(right.literal or "")), ENUM, labels=left.labels)
    elif right.kind == STRLIT:
        right = coerce_literal(right.literal or "", encoding_of_kind(left))
    if {left.kind, right.kind} == {DATE, TS}:
        left, right = to_ts(left), to_ts(right)
    if left.kind != right.kind:
        raise Untranslatable(f"comparison of a {left.kind} with a {right.kind} is not modelled")
    if left.kind == NUM:
        scale = max(left.scale, right.scale)
        left, right = rescale(left, scale), rescale(right, scale)
        op = float_safe(op, left, right)
    return ir.Compare(op, as_value(left), as_value(right))


def float_safe(op: str, left: Typed, right: Typed) -> str:
    """real/double values near a boundary may round across it: keep off the boundary."""
    if (left.float_ or right.float_) and op in ("<=", ">="):
        return op[0]
    return op


def encoding_of_kind(t: Typed) -> Encoding:
    mapping = {NUM: Kind.NUMERIC, DATE: Kind.DATE, TS: Kind.TIMESTAMP, TIME: Kind.TIME}
    if t.kind not in mapping:
        raise Untranslatable(f"a string compared with a {t.kind} is not modelled")
    return Encoding(mapping[t.kind], type=TypeRef(t.kind))


def compare_text(op: str, left: Typed, right: Typed, scope: Scope) -> ir.Pred:
    if right.kind != STRLIT or left.column is None:
        raise Untranslatable("comparison of text with a non-literal is not modelled")
    if op not in ("=", "<>"):
        raise Untranslatable("ordering comparisons of text are not modelled")
    value = right.literal or ""
    scope.literals.setdefault(left.column, set()).add(value)
    pred: ir.Pred = ir.TextIs(left.column, frozenset({value}), left.transform)
    return pred if op == "=" else ir.Not(pred)


def comparison(node: exp.Expression, scope: Scope) -> Typed:
    op = COMPARISONS[type(node)]
    rhs = node.expression
    if isinstance(rhs, exp.Any) or (isinstance(rhs, exp.Anonymous) and rhs.name.upper() == "ALL"):
        return quantified(op, node.this, rhs, scope)
    left, right = translate(node.this, scope), translate(rhs, scope)
    return Typed(compare(op, left, right, scope), BOOL)


for _cls in COMPARISONS:
    RULES[_cls] = comparison


def array_items(node: exp.Expression) -> list[exp.Expression]:
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Array):
        return list(node.expressions)
    if isinstance(node, exp.Cast):  # (ARRAY[...])::text[], as PostgreSQL writes varchar IN lists
        return array_items(node.this)
    raise Untranslatable("ANY/ALL over something other than an ARRAY[...] literal is not modelled")


def quantified(op: str, lhs: exp.Expression, rhs: exp.Expression, scope: Scope) -> Typed:
    """x op ANY (ARRAY[...]) and x op ALL (ARRAY[...])."""
    inner = rhs.this if isinstance(rhs, exp.Any) else rhs.expressions[0]
    items = array_items(inner)
    left = translate(lhs, scope)
    if not isinstance(rhs, exp.Any) and op == "<>":  # x <> ALL (...) is NOT (x IN (...)): one shape for both
        preds = tuple(compare("=", left, translate(item, scope), scope) for item in items)
        return Typed(ir.Not(simplify_text_or(preds)) if preds else ir.Truth(True), BOOL)
    preds = tuple(compare(op, left, translate(item, scope), scope) for item in items)
    if isinstance(rhs, exp.Any):
        return Typed(simplify_text_or(preds) if preds else ir.Truth(False), BOOL)
    return Typed(ir.And(preds) if preds else ir.Truth(True), BOOL)


@rule(exp.In)
def in_list(node: exp.Expression, scope: Scope) -> Typed:
    if node.args.get("query") is not None or node.args.get("unnest") is not None:
        raise Untranslatable("IN (subquery) is not modelled")
    left = translate(node.this, scope)
    preds = tuple(compare("=", left, translate(item, scope), scope) for item in node.expressions)
    return Typed(simplify_text_or(preds), BOOL)


def simplify_text_or(preds: tuple[ir.Pred, ...]) -> ir.Pred:
    """x IN ('a', 'b') on text → one TextIs over the set, the shape the solver likes."""
    if preds and all(isinstance(p, ir.TextIs) for p in preds):
        first = preds[0]
        assert isinstance(first, ir.TextIs)
        if all(p.column == first.column and p.transform == first.transform for p in preds):  # type: ignore[union-attr]
            values = frozenset().union(*(p.values for p in preds))  # type: ignore[union-attr]
            return ir.TextIs(first.column, values, first.transform)
    return ir.Or(preds)


@rule(exp.Between)
def between(node: exp.Expression, scope: Scope) -> Typed:
    value = translate(node.this, scope)
    low, high = translate(node.args["low"], scope), translate(node.args["high"], scope)
    forward = ir.And((compare(">=", value, low, scope), compare("<=", value, high, scope)))
    if not node.args.get("symmetric"):
        return Typed(forward, BOOL)
    backward = ir.And((compare(">=", value, high, scope), compare("<=", value, low, scope)))
    return Typed(ir.Or((forward, backward)), BOOL)


@rule(exp.Is)
def is_(node: exp.Expression, scope: Scope) -> Typed:
    if node.args.get("negate"):
        positive = node.copy()
        positive.set("negate", False)
        return Typed(ir.Not(as_pred(translate(positive, scope))), BOOL)
    subject = translate(node.this, scope)
    target = node.expression
    if isinstance(target, exp.Null):
        if subject.kind == TEXT:
            return Typed(ir.IsNull(ir.Col(subject.column or "")), BOOL)
        if subject.kind == STRLIT:
            return Typed(ir.Truth(False), BOOL)
        return Typed(ir.IsNull(subject.node), BOOL)  # type: ignore[arg-type]
    if isinstance(target, exp.Boolean):
        pred = as_pred(subject)
        holds = pred if target.this else ir.Not(pred)
        return Typed(ir.And((holds, ir.Not(ir.IsNull(pred)))), BOOL)
    raise Untranslatable(f"IS {target.sql()} is not modelled")


@rule(exp.NullSafeEQ, exp.NullSafeNEQ)
def is_distinct(node: exp.Expression, scope: Scope) -> Typed:
    left, right = translate(node.this, scope), translate(node.expression, scope)
    if TEXT in (left.kind, right.kind) or BOOL in (left.kind, right.kind):
        raise Untranslatable("IS DISTINCT FROM on text or booleans is not modelled")
    both = compare("=", left, right, scope)
    assert isinstance(both, ir.Compare)
    distinct = ir.Distinct(both.left, both.right)
    return Typed(distinct if isinstance(node, exp.NullSafeNEQ) else ir.Not(distinct), BOOL)


# ── boolean logic ────────────────────────────────────────────────────────────


@rule(exp.And)
def and_(node: exp.Expression, scope: Scope) -> Typed:
    return Typed(ir.And((as_pred(translate(node.this, scope)), as_pred(translate(node.expression, scope)))),
                 BOOL)


@rule(exp.Or)
def or_(node: exp.Expression, scope: Scope) -> Typed:
    return Typed(ir.Or((as_pred(translate(node.this, scope)), as_pred(translate(node.expression, scope)))),
                 BOOL)


@rule(exp.Not)
def not_(node: exp.Expression, scope: Scope) -> Typed:
    return Typed(ir.Not(as_pred(translate(node.this, scope))), BOOL)


# ── arithmetic ───────────────────────────────────────────────────────────────

ARITH: dict[type[exp.Expression], str] = {exp.Add: "+", exp.Sub: "-", exp.Mul: "*", exp.Div: "/", exp.Mod: "%"}


def arithmetic(node: exp.Expression, scope: Scope) -> Typed:
    op = ARITH[type(node)]
    left, right = translate(node.this, scope), translate(node.expression, scope)
    if NULL in (left.kind, right.kind):
        return Typed(ir.Const(None), NULL)
    if INTERVAL in (left.kind, right.kind):
        return interval_arithmetic(op, left, right)
    if left.kind == STRLIT:
        left = coerce_literal(left.literal or "", encoding_of_kind(right))
    if right.kind == STRLIT:
        right = coerce_literal(right.literal or "", encoding_of_kind(left))
    if left.kind == DATE and right.kind == NUM and op in "+-" and right.scale == 0:
        return Typed(fold(op, as_value(left), as_value(right)), DATE)
    if left.kind == NUM and right.kind == DATE and op == "+" and left.scale == 0:
        return Typed(fold(op, as_value(left), as_value(right)), DATE)
    if left.kind == right.kind and left.kind in (DATE, TS, TIME) and op == "-":
        if left.kind == DATE:
            return Typed(fold("-", as_value(left), as_value(right)), NUM, bounds=(-(2**31), 2**31 - 1))
        raise Untranslatable("timestamp differences are intervals, which are not modelled")
    if left.kind != NUM or right.kind != NUM:
        raise Untranslatable(f"{left.kind} {op} {right.kind} is not modelled")
    return numeric_arithmetic(op, left, right)


for _cls in ARITH:
    RULES[_cls] = arithmetic


def numeric_arithmetic(op: str, left: Typed, right: Typed) -> Typed:
    bounds = widen(left.bounds, right.bounds)
    float_ = left.float_ or right.float_
    if op in "+-":
        scale = max(left.scale, right.scale)
        left, right = rescale(left, scale), rescale(right, scale)
        return Typed(fold(op, as_value(left), as_value(right), bounds), NUM, scale, bounds, float_=float_)
    if op == "*":
        return Typed(fold("*", as_value(left), as_value(right), bounds), NUM, left.scale + right.scale,
                     bounds, float_=float_)
    if left.scale or right.scale:
        raise Untranslatable(f"{op} on non-integer numbers is not modelled")
    if const_of(right) in (None, 0):
        raise Untranslatable(f"{op} by a non-constant or zero is not modelled")
    return Typed(fold(op, as_value(left), as_value(right), bounds), NUM, 0, bounds)


def fold(op: str, left: ir.Value, right: ir.Value, bounds: tuple[int, int] | None = None) -> ir.Value:
    """Arithmetic node, computed right away when both sides are constants."""
    if isinstance(left, ir.Const) and isinstance(right, ir.Const):
        a, b = left.value, right.value
        if a is None or b is None:
            return ir.Const(None)
        if op == "+":
            return ir.Const(a + b)
        if op == "-":
            return ir.Const(a - b)
        if op == "*":
            return ir.Const(a * b)
        quotient = abs(a) // abs(b) * (1 if (a >= 0) == (b > 0) else -1)
        return ir.Const(quotient if op == "/" else a - b * quotient)
    return ir.Arith(op, left, right, bounds)


def interval_arithmetic(op: str, left: Typed, right: Typed) -> Typed:
    if left.kind == INTERVAL:
        if op != "+":
            raise Untranslatable("interval minus a time is not modelled")
        left, right = right, left
    assert right.interval is not None
    if op not in "+-":
        raise Untranslatable(f"interval {op} is not modelled")
    sign = 1 if op == "+" else -1
    months, days, seconds = right.interval
    value = const_of(left)
    if left.kind in (DATE, TS) and value is not None:
        moment = (dt.datetime.combine(EPOCH, dt.time()) + dt.timedelta(days=value)
                  if left.kind == DATE else dt.datetime(1970, 1, 1) + dt.timedelta(seconds=value))
        return Typed(ir.Const(second_number(shift(moment, right.interval, sign))), TS)
    if months:
        raise Untranslatable("adding months or years to a column is not modelled (month lengths vary)")
    if left.kind == DATE:
        left = to_ts(left)
    if left.kind not in (TS, TIME):
        raise Untranslatable(f"{left.kind} {op} interval is not modelled")
    delta = sign * (days * SECONDS_PER_DAY + seconds)
    return Typed(fold("+", as_value(left), ir.Const(delta)), left.kind)


@rule(exp.Neg)
def neg(node: exp.Expression, scope: Scope) -> Typed:
    inner = translate(node.this, scope)
    if inner.kind != NUM:
        raise Untranslatable(f"negation of a {inner.kind} is not modelled")
    value = const_of(inner)
    if value is not None:
        return replace(inner, node=ir.Const(-value))
    return replace(inner, node=ir.Neg(as_value(inner), inner.bounds))


@rule(exp.Abs)
def abs_(node: exp.Expression, scope: Scope) -> Typed:
    inner = translate(node.this, scope)
    if inner.kind != NUM:
        raise Untranslatable(f"abs of a {inner.kind} is not modelled")
    return replace(inner, node=ir.Abs(as_value(inner), inner.bounds))


# ── conditional expressions ──────────────────────────────────────────────────


def unify(branches: list[Typed]) -> list[Typed]:
    """Bring CASE/COALESCE/LEAST branches to one kind and scale."""
    kinds = {b.kind for b in branches} - {NULL}
    if kinds == {BOOL} or not kinds:
        return branches
    if STRLIT in kinds and len(kinds) > 1:
        other = next(b for b in branches if b.kind not in (STRLIT, NULL))
        branches = [coerce_literal(b.literal or "", encoding_of_kind(other)) if b.kind == STRLIT else b
                    for b in branches]
        kinds = {b.kind for b in branches} - {NULL}
    if len(kinds) != 1 or next(iter(kinds)) not in (NUM, DATE, TS, TIME, ENUM):
        raise Untranslatable(f"branches of kinds {sorted(kinds)} are not modelled")
    scale = max(b.scale for b in branches)
    return [rescale(b, scale) if b.kind == NUM else b for b in branches]


def result(branches: list[Typed], node: ir.Value | ir.Pred) -> Typed:
    typed = next((b for b in branches if b.kind != NULL), branches[0])
    return replace(typed, node=node, bounds=None)


@rule(exp.Case)
def case(node: exp.Expression, scope: Scope) -> Typed:
    if node.this is not None:  # CASE x WHEN v THEN ...: compare x with each v
        subject = translate(node.this, scope)
        conditions = [compare("=", subject, translate(i.this, scope), scope) for i in node.args["ifs"]]
    else:
        conditions = [as_pred(translate(i.this, scope)) for i in node.args["ifs"]]
    default_node = node.args.get("default")
    branches = [translate(i.args["true"], scope) for i in node.args["ifs"]]
    branches.append(translate(default_node, scope) if default_node is not None else Typed(ir.Const(None), NULL))
    if {b.kind for b in branches} <= {BOOL, NULL}:
        preds = [as_pred(b) for b in branches]
        return Typed(ir.CasePred(tuple(zip(conditions, preds[:-1], strict=True)), preds[-1]), BOOL)
    branches = unify(branches)
    values = [as_value(b) for b in branches]
    return result(branches, ir.Case(tuple(zip(conditions, values[:-1], strict=True)), values[-1]))


@rule(exp.If)
def if_(node: exp.Expression, scope: Scope) -> Typed:
    raise Untranslatable("IF() is not PostgreSQL")


@rule(exp.Coalesce)
def coalesce(node: exp.Expression, scope: Scope) -> Typed:
    branches = unify([translate(a, scope) for a in [node.this, *node.expressions]])
    if branches[0].kind == BOOL:
        raise Untranslatable("COALESCE of conditions is not modelled")
    return result(branches, ir.Coalesce(tuple(as_value(b) for b in branches)))


@rule(exp.Nullif)
def nullif(node: exp.Expression, scope: Scope) -> Typed:
    branches = unify([translate(node.this, scope), translate(node.expression, scope)])
    return result(branches, ir.NullIf(as_value(branches[0]), as_value(branches[1])))


@rule(exp.Least, exp.Greatest)
def extreme(node: exp.Expression, scope: Scope) -> Typed:
    branches = unify([translate(a, scope) for a in [node.this, *node.expressions]])
    return result(branches, ir.Extreme(isinstance(node, exp.Greatest), tuple(as_value(b) for b in branches)))


# ── text ─────────────────────────────────────────────────────────────────────


def text_column(node: exp.Expression, scope: Scope) -> Typed:
    inner = translate(node, scope)
    if inner.kind != TEXT or inner.column is None:
        raise Untranslatable(f"a text function over a {inner.kind} is not modelled")
    return inner


@rule(exp.Length)
def length(node: exp.Expression, scope: Scope) -> Typed:
    inner = text_column(node.this, scope)
    if inner.transform == "btrim":
        raise Untranslatable("the length of a trimmed string is not modelled")
    return Typed(ir.TextLength(inner.column or ""), NUM, bounds=(-(2**31), 2**31 - 1))


@rule(exp.Lower, exp.Upper)
def case_fold(node: exp.Expression, scope: Scope) -> Typed:
    inner = text_column(node.this, scope)
    if inner.transform:
        raise Untranslatable("nested text functions are not modelled")
    return replace(inner, transform="lower" if isinstance(node, exp.Lower) else "upper")


@rule(exp.Trim)
def trim(node: exp.Expression, scope: Scope) -> Typed:
    if node.args.get("expression") is not None or node.args.get("position") not in (None, "BOTH"):
        raise Untranslatable("TRIM with characters or a side is not modelled")
    inner = text_column(node.this, scope)
    if inner.transform:
        raise Untranslatable("nested text functions are not modelled")
    return replace(inner, transform="btrim")


MATCHES: dict[type[exp.Expression], tuple[str, bool]] = {
    exp.Like: ("like", False), exp.ILike: ("like", True), exp.RegexpLike: ("regex", False),
           exp.RegexpILike: ("regex", True), exp.SimilarTo: ("similar", False)}


def match(node: exp.Expression, scope: Scope) -> Typed:
    kind, insensitive = MATCHES[type(node)]
    subject = text_column(node.this, scope)
    target = node.expression
    if isinstance(target, exp.Anonymous) and target.name.lower() == "similar_to_escape" and not insensitive:
        # PostgreSQL stores `x SIMILAR TO p` as `x ~ similar_to_escape(p)`
        if len(target.expressions) != 1:
            raise Untranslatable("SIMILAR TO ... ESCAPE is not modelled")
        kind, target = "similar", target.expressions[0]
    pattern = translate(target, scope)
    if subject.transform or pattern.kind != STRLIT:
        raise Untranslatable(f"{kind} against a non-literal or a transformed column is not modelled")
    if node.args.get("escape") is not None:
        raise Untranslatable("LIKE ... ESCAPE is not modelled")
    base = scope.encodings[subject.column or ""].type
    if base is not None and base.name.endswith("citext"):  # citext's pattern operators ignore case
        insensitive = True
    pred: ir.Pred = ir.Match(subject.column or "", kind, pattern.literal or "", insensitive)
    return Typed(ir.Not(pred) if node.args.get("negate") else pred, BOOL)


for _cls in MATCHES:
    RULES[_cls] = match


# ── functions sqlglot leaves anonymous ───────────────────────────────────────


@rule(exp.Anonymous)
def anonymous(node: exp.Expression, scope: Scope) -> Typed:
    name = node.name.lower()
    args = node.expressions
    if name in ("char_length", "character_length") and len(args) == 1:
        inner = text_column(args[0], scope)
        return Typed(ir.TextLength(inner.column or ""), NUM, bounds=(-(2**31), 2**31 - 1))
    if name == "btrim" and len(args) == 1:
        inner = text_column(args[0], scope)
        return replace(inner, transform="btrim")
    if name in ("num_nulls", "num_nonnulls"):
        operands: list[ir.Value | ir.Pred] = []
        for arg in args:
            t = translate(arg, scope)
            operands.append(ir.Col(t.column or "") if t.kind == TEXT else t.node)  # type: ignore[arg-type]
        return Typed(ir.CountNulls(tuple(operands), name == "num_nonnulls"), NUM)
    if name == "now" and not args:
        return Typed(ir.Const(second_number(scope.as_of)), TS)
    raise Untranslatable(f"function {name}() is not modelled")


@rule(exp.Uuid)
def uuid_fn(node: exp.Expression, scope: Scope) -> Typed:
    raise Untranslatable("gen_random_uuid() is not modelled")
