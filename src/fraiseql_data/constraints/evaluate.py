"""Vectorised three-valued evaluation of IR over many rows at once (numpy).

This is the exact check that sampled rows go through: the same semantics as
the CP-SAT encoding in `cpsat.py`, computed on whole columns. A value is a
pair (values, null mask); a predicate a pair (true mask, false mask) — NULL is
neither. Arithmetic that PostgreSQL would reject as out of range counts as a
failure of the CHECK (`errors`).
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from fraiseql_data.constraints import ir

BoolArray = np.ndarray
INT64 = (-(2**63), 2**63 - 1)


class Rows(Protocol):
    """What evaluation reads about a batch of rows."""

    @property
    def n(self) -> int: ...

    def value(self, column: str) -> tuple[np.ndarray, BoolArray]: ...
    def null(self, column: str) -> BoolArray: ...
    def text_is(self, column: str, values: frozenset[str], transform: str) -> BoolArray: ...
    def text_length(self, column: str) -> np.ndarray: ...
    def matches(self, node: ir.Match) -> BoolArray: ...


class Evaluation:
    """Evaluates one batch; `errors` collects rows where PostgreSQL would raise."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows
        self.errors = np.zeros(rows.n, dtype=bool)

    # predicates → (true, false)
    def pred(self, node: ir.Pred) -> tuple[BoolArray, BoolArray]:
        n = self.rows.n
        match node:
            case ir.Truth(value):
                return np.full(n, value is True), np.full(n, value is False)
            case ir.BoolCol(name):
                values, null = self.rows.value(name)
                truthy = values.astype(bool)
                return truthy & ~null, ~truthy & ~null
            case ir.Compare(op, left, right):
                a, na = self.value(left)
                b, nb = self.value(right)
                holds = compare(op, a, b)
                known = ~(na | nb)
                return holds & known, ~holds & known
            case ir.TextIs(column, values, transform):
                null = self.rows.null(column)
                holds = self.rows.text_is(column, values, transform)
                return holds & ~null, ~holds & ~null
            case ir.Match():
                null = self.rows.null(node.column)
                holds = self.rows.matches(node)
                return holds & ~null, ~holds & ~null
            case ir.IsNull(arg):
                null = self.null_of(arg)
                return null, ~null
            case ir.Distinct(left, right):
                a, na = self.value(left)
                b, nb = self.value(right)
                distinct = (na != nb) | (~na & ~nb & (a != b))
                return distinct, ~distinct
            case ir.Iff(left, right):
                lt, lf = self.pred(left)
                rt, rf = self.pred(right)
                return (lt & rt) | (lf & rf), (lt & rf) | (lf & rt)
            case ir.And(args):
                true, false = np.ones(n, dtype=bool), np.zeros(n, dtype=bool)
                for arg in args:
                    t, f = self.pred(arg)
                    true &= t
                    false |= f
                return true, false
            case ir.Or(args):
                true, false = np.zeros(n, dtype=bool), np.ones(n, dtype=bool)
                for arg in args:
                    t, f = self.pred(arg)
                    true |= t
                    false &= f
                return true, false
            case ir.Not(arg):
                t, f = self.pred(arg)
                return f, t
            case ir.CasePred(whens, default):
                true, false = self.pred(default)
                for condition, branch in reversed(whens):
                    fires, _ = self.pred(condition)
                    bt, bf = self.pred(branch)
                    true = np.where(fires, bt, true)
                    false = np.where(fires, bf, false)
                return true, false
        raise TypeError(f"not a predicate: {node!r}")

    def null_of(self, node: ir.Value | ir.Pred) -> BoolArray:
        if isinstance(node, ir.PRED_TYPES):
            t, f = self.pred(node)
            return ~t & ~f
        if isinstance(node, ir.Col):
            return self.rows.null(node.name)
        return self.value(node)[1]

    # values → (values, null)
    def value(self, node: ir.Value) -> tuple[np.ndarray, BoolArray]:
        n = self.rows.n
        match node:
            case ir.Col(name):
                return self.rows.value(name)
            case ir.Const(value):
                if value is None:
                    return np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool)
                return np.full(n, value, dtype=dtype_for(value)), np.zeros(n, dtype=bool)
            case ir.TextLength(column):
                return self.rows.text_length(column), self.rows.null(column)
            case ir.Arith(op, left, right, bounds):
                a, na = self.value(left)
                b, nb = self.value(right)
                out = arith(op, a, b)
                null = na | nb
                limits = bounds or INT64
                overflow = ~null & ((out < limits[0]) | (out > limits[1]))
                self.errors |= overflow
                return fit(out), null
            case ir.Neg(arg, bounds) | ir.Abs(arg, bounds):
                a, na = self.value(arg)
                out = -widen(a) if isinstance(node, ir.Neg) else np.abs(widen(a))
                limits = bounds or INT64
                self.errors |= ~na & ((out < limits[0]) | (out > limits[1]))
                return fit(out), na
            case ir.Case(whens, default):
                out, null = self.value(default)
                for condition, branch in reversed(whens):
                    fires, _ = self.pred(condition)
                    bv, bn = self.value(branch)
                    out = np.where(fires, bv, out)
                    null = np.where(fires, bn, null)
                return out, null
            case ir.Coalesce(args):
                out, null = self.value(args[-1])
                for arg in reversed(args[:-1]):
                    v, vn = self.value(arg)
                    out = np.where(vn, out, v)
                    null = null & vn
                return out, null
            case ir.NullIf(left, right):
                a, na = self.value(left)
                b, nb = self.value(right)
                equal = ~na & ~nb & (a == b)
                return a, na | equal
            case ir.Extreme(greatest, args):
                pairs = [self.value(a) for a in args]
                fill = -(2**200) if greatest else 2**200
                stacked = np.stack([np.where(vn, fill, widen(v)) for v, vn in pairs])
                out = stacked.max(axis=0) if greatest else stacked.min(axis=0)
                null = np.logical_and.reduce([vn for _, vn in pairs])
                return fit(np.where(null, 0, out)), null
            case ir.CountNulls(args, nonnull):
                nulls = sum(self.null_of(a).astype(np.int64) for a in args)
                count = len(args) - nulls if nonnull else nulls
                return np.asarray(count, dtype=np.int64), np.zeros(n, dtype=bool)
        raise TypeError(f"not a value: {node!r}")


def dtype_for(value: int) -> type:
    return np.int64 if INT64[0] <= value <= INT64[1] else object


def widen(a: np.ndarray) -> np.ndarray:
    """Python integers for arithmetic that could leave int64."""
    return a if a.dtype == object else a.astype(object)


def fit(a: np.ndarray) -> np.ndarray:
    """Back to int64 where every value fits (the common case)."""
    if a.dtype != object or a.size == 0:
        return a
    low, high = min(a), max(a)
    return a.astype(np.int64) if INT64[0] <= low and high <= INT64[1] else a


def small(a: np.ndarray) -> bool:
    """int64 values well inside 2**31: products and sums stay exact in int64."""
    return a.dtype != object and (a.size == 0 or (a.min() > -(2**31) and a.max() < 2**31))


def arith(op: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if not (small(a) and small(b)):
        a, b = widen(a), widen(b)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    safe = np.where(b == 0, 1, b)
    quotient = np.abs(a) // np.abs(safe) * np.where((a >= 0) == (safe > 0), 1, -1)
    return quotient if op == "/" else a - safe * quotient


def compare(op: str, a: np.ndarray, b: np.ndarray) -> BoolArray:
    if op == "=":
        return np.asarray(a == b, dtype=bool)
    if op == "<>":
        return np.asarray(a != b, dtype=bool)
    if op == "<":
        return np.asarray(a < b, dtype=bool)
    if op == "<=":
        return np.asarray(a <= b, dtype=bool)
    if op == ">":
        return np.asarray(a > b, dtype=bool)
    return np.asarray(a >= b, dtype=bool)


def violations(rows: Rows, preds: list[ir.Pred]) -> BoolArray:
    """Rows where some predicate is FALSE (or would make PostgreSQL raise)."""
    evaluation = Evaluation(rows)
    failed = np.zeros(rows.n, dtype=bool)
    for pred in preds:
        _, false = evaluation.pred(pred)
        failed |= false
    return failed | evaluation.errors
