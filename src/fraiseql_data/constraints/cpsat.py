"""IR → a CP-SAT model of one row: exact three-valued logic.

Every predicate becomes two literals, `t` (it is TRUE) and `f` (it is FALSE);
NULL is neither. A CHECK is posted as "not f" under an assumption literal, so
that an infeasible model can name the minimal set of CHECKs that conflict.
Every value becomes an integer expression with a null literal and static
bounds (needed to create intermediate variables).

Text columns are abstract: `choice` says which compared literal the value is
(or the last index: none of them), `length` its character length, and one
literal per pattern whether it matches. The string is realised later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from fraiseql_data.constraints import ir
from fraiseql_data.constraints.encoding import Encoding, Kind
from fraiseql_data.constraints.text import TextFacts

Lit = Any  # a BoolVar, its negation, or a Python bool constant (ortools' stubs cannot say so)
LinearLike = Any  # a LinearExpr, an IntVar or an int


@dataclass
class ValueExpr:
    expr: LinearLike
    null: Lit
    lo: int
    hi: int


@dataclass
class RowVars:
    """The variables of one row's columns."""

    value: dict[str, cp_model.IntVar] = field(default_factory=dict)
    null: dict[str, Lit] = field(default_factory=dict)
    choice: dict[str, cp_model.IntVar] = field(default_factory=dict)
    length: dict[str, cp_model.IntVar] = field(default_factory=dict)
    match: dict[ir.Match, cp_model.IntVar] = field(default_factory=dict)
    bounds: dict[str, tuple[int, int]] = field(default_factory=dict)  # by variable name


class RowModel:
    """A CP-SAT model of one row of a group of linked columns."""

    def __init__(
        self,
        encodings: dict[str, Encoding],
        nullable: dict[str, bool],
        bounds: dict[str, tuple[int, int]],
        text: dict[str, TextFacts],
    ) -> None:
        self.model = cp_model.CpModel()
        self.encodings = encodings
        self.text = text
        self.vars = RowVars()
        for name, encoding in encodings.items():
            self.add_column(name, encoding, nullable[name], bounds.get(name))
        self.assumptions: dict[str, cp_model.IntVar] = {}

    # ── variables ────────────────────────────────────────────────────────────
    def add_column(self, name: str, encoding: Encoding, nullable: bool, bounds: tuple[int, int] | None) -> None:
        m = self.model
        self.vars.null[name] = m.new_bool_var(f"{name}.null") if nullable else False
        if encoding.kind is Kind.TEXT:
            facts = self.text[name]
            choice = m.new_int_var(0, len(facts.literals), f"{name}.choice")
            length = m.new_int_var(facts.min_len, facts.max_len, f"{name}.length")
            self.vars.bounds[f"{name}.choice"] = (0, len(facts.literals))
            self.vars.bounds[f"{name}.length"] = (facts.min_len, facts.max_len)
            self.vars.choice[name], self.vars.length[name] = choice, length
            for match, lengths in facts.pattern_lengths.items():
                bit = m.new_bool_var(f"{name}.{match.kind}")
                self.vars.match[match] = bit
                m.add_linear_expression_in_domain(length, cp_model.Domain.from_values(lengths)).only_enforce_if(bit)
            for index, literal in enumerate(facts.literals):
                is_literal = m.new_bool_var(f"{name}.is{index}")
                m.add(choice == index).only_enforce_if(is_literal)
                m.add(choice != index).only_enforce_if(is_literal.negated())
                m.add(length == len(literal)).only_enforce_if(is_literal)
                for match, bit in self.vars.match.items():
                    if match.column == name:
                        m.add(bit == int(facts.literal_matches[(match, index)])).only_enforce_if(is_literal)
            if not facts.other_allowed:
                m.add(choice < len(facts.literals))
            return
        lo, hi = bounds if bounds else (encoding.lo, encoding.hi)
        self.vars.value[name] = m.new_int_var(lo, hi, name)
        self.vars.bounds[name] = (lo, hi)

    def variables(self) -> list[cp_model.IntVar]:
        found = [*self.vars.value.values(), *self.vars.choice.values(), *self.vars.length.values(),
                 *self.vars.match.values()]
        found += [n for n in self.vars.null.values() if not isinstance(n, bool)]
        return found

    # ── constraints ──────────────────────────────────────────────────────────
    def require(self, name: str, pred: ir.Pred) -> None:
        """Post `pred` is not FALSE, under an assumption literal named `name`."""
        _, false = self.pred(pred)
        assumption = self.model.new_bool_var(f"assume:{name}")
        self.assumptions[name] = assumption
        if false is True:
            self.model.add_bool_or([assumption.negated()])
        elif false is not False:
            self.model.add_implication(assumption, false.negated())

    # ── literal helpers ──────────────────────────────────────────────────────
    def conj(self, lits: list[Lit]) -> Lit:
        if any(lit is False for lit in lits):
            return False
        lits = [lit for lit in lits if lit is not True]
        if not lits:
            return True
        if len(lits) == 1:
            return lits[0]
        out = self.model.new_bool_var("and")
        self.model.add_bool_and(lits).only_enforce_if(out)
        self.model.add_bool_or([neg(lit) for lit in lits]).only_enforce_if(out.negated())
        return out

    def disj(self, lits: list[Lit]) -> Lit:
        return neg(self.conj([neg(lit) for lit in lits]))

    def reify(self, constraint_true: cp_model.BoundedLinearExpression,
              constraint_false: cp_model.BoundedLinearExpression) -> cp_model.IntVar:
        bit = self.model.new_bool_var("cmp")
        self.model.add(constraint_true).only_enforce_if(bit)
        self.model.add(constraint_false).only_enforce_if(bit.negated())
        return bit

    # ── predicates → (true, false) ───────────────────────────────────────────
    def pred(self, node: ir.Pred) -> tuple[Lit, Lit]:
        match node:
            case ir.Truth(value):
                return value is True, value is False
            case ir.BoolCol(name):
                var, null = self.vars.value[name], self.vars.null[name]
                return self.conj([var, neg(null)]), self.conj([var.negated(), neg(null)])
            case ir.Compare(op, left, right):
                a, b = self.value(left), self.value(right)
                holds = self.comparison(op, a, b)
                known = neg(self.disj([a.null, b.null]))
                return self.conj([holds, known]), self.conj([neg(holds), known])
            case ir.TextIs(column, values, transform):
                facts = self.text[column]
                indices = [i for i, lit in enumerate(facts.literals) if facts.transformed(lit, transform) in values]
                choice, null = self.vars.choice[column], self.vars.null[column]
                member: Lit = False
                if indices:
                    domain = cp_model.Domain.from_values(indices)
                    member = self.model.new_bool_var("textis")
                    self.model.add_linear_expression_in_domain(choice, domain).only_enforce_if(member)
                    self.model.add_linear_expression_in_domain(choice, domain.complement()).only_enforce_if(
                        member.negated())
                return self.conj([member, neg(null)]), self.conj([neg(member), neg(null)])
            case ir.Match():
                bit, null = self.vars.match[node], self.vars.null[node.column]
                return self.conj([bit, neg(null)]), self.conj([bit.negated(), neg(null)])
            case ir.IsNull(arg):
                null = self.null_of(arg)
                return null, neg(null)
            case ir.Distinct(left, right):
                a, b = self.value(left), self.value(right)
                differ = self.comparison("<>", a, b)
                both_known = self.conj([neg(a.null), neg(b.null)])
                one_null = self.disj([self.conj([a.null, neg(b.null)]), self.conj([neg(a.null), b.null])])
                distinct = self.disj([one_null, self.conj([both_known, differ])])
                return distinct, neg(distinct)
            case ir.Iff(left, right):
                lt, lf = self.pred(left)
                rt, rf = self.pred(right)
                return (self.disj([self.conj([lt, rt]), self.conj([lf, rf])]),
                        self.disj([self.conj([lt, rf]), self.conj([lf, rt])]))
            case ir.And(args):
                pairs = [self.pred(a) for a in args]
                return self.conj([t for t, _ in pairs]), self.disj([f for _, f in pairs])
            case ir.Or(args):
                pairs = [self.pred(a) for a in args]
                return self.disj([t for t, _ in pairs]), self.conj([f for _, f in pairs])
            case ir.Not(arg):
                t, f = self.pred(arg)
                return f, t
            case ir.CasePred(whens, default):
                selectors = self.case_selectors([c for c, _ in whens])
                branches = [self.pred(b) for _, b in whens] + [self.pred(default)]
                return (self.disj([self.conj([s, t]) for s, (t, _) in zip(selectors, branches, strict=True)]),
                        self.disj([self.conj([s, f]) for s, (_, f) in zip(selectors, branches, strict=True)]))
        raise TypeError(f"not a predicate: {node!r}")

    def case_selectors(self, conditions: list[ir.Pred]) -> list[Lit]:
        """One literal per branch (the ELSE last): exactly the branch CASE takes."""
        selectors: list[Lit] = []
        earlier: list[Lit] = []
        for condition in conditions:
            fires, _ = self.pred(condition)
            selectors.append(self.conj([fires, *[neg(e) for e in earlier]]))
            earlier.append(fires)
        selectors.append(self.conj([neg(e) for e in earlier]))
        return selectors

    def null_of(self, node: ir.Value | ir.Pred) -> Lit:
        if isinstance(node, ir.Col):
            return self.vars.null[node.name]
        if isinstance(node, ir.PRED_TYPES):
            t, f = self.pred(node)
            return self.conj([neg(t), neg(f)])
        return self.value(node).null

    def comparison(self, op: str, a: ValueExpr, b: ValueExpr) -> Lit:
        x, y = a.expr, b.expr
        if isinstance(x, int) and isinstance(y, int):
            return {"=": x == y, "<>": x != y, "<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]
        opposite = {"=": "<>", "<>": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}[op]
        return self.reify(relation(op, x, y), relation(opposite, x, y))

    # ── values ───────────────────────────────────────────────────────────────
    def value(self, node: ir.Value) -> ValueExpr:
        m = self.model
        match node:
            case ir.Col(name):
                lo, hi = self.vars.bounds[name]
                return ValueExpr(self.vars.value[name], self.vars.null[name], lo, hi)
            case ir.Const(value):
                if value is None:
                    return ValueExpr(0, True, 0, 0)
                return ValueExpr(value, False, value, value)
            case ir.TextLength(column):
                lo, hi = self.vars.bounds[f"{column}.length"]
                return ValueExpr(self.vars.length[column], self.vars.null[column], lo, hi)
            case ir.Arith(op, left, right, bounds):
                return self.arith(op, self.value(left), self.value(right), bounds)
            case ir.Neg(arg, bounds):
                a = self.value(arg)
                return self.bounded(-a.expr, a.null, -a.hi, -a.lo, bounds)
            case ir.Abs(arg, bounds):
                a = self.value(arg)
                hi = max(abs(a.lo), abs(a.hi))
                out = m.new_int_var(0, hi, "abs")
                m.add_abs_equality(out, a.expr)
                return self.bounded(out, a.null, 0 if a.lo <= 0 <= a.hi else min(abs(a.lo), abs(a.hi)), hi, bounds)
            case ir.Case(whens, default):
                selectors = self.case_selectors([c for c, _ in whens])
                return self.select(selectors, [self.value(v) for _, v in whens] + [self.value(default)])
            case ir.Coalesce(args):
                values = [self.value(a) for a in args]
                chosen: list[Lit] = []
                earlier: list[Lit] = []
                for v in values:
                    chosen.append(self.conj([neg(v.null), *earlier]))
                    earlier.append(v.null)
                chosen.append(self.conj(earlier))
                return self.select(chosen, [*values, ValueExpr(0, True, 0, 0)])
            case ir.NullIf(left, right):
                a, b = self.value(left), self.value(right)
                equal = self.conj([neg(a.null), neg(b.null), self.comparison("=", a, b)])
                return ValueExpr(a.expr, self.disj([a.null, equal]), a.lo, a.hi)
            case ir.Extreme(greatest, args):
                return self.extreme(greatest, [self.value(a) for a in args])
            case ir.CountNulls(args, nonnull):
                nulls = [self.null_of(a) for a in args]
                total = sum(as_int(n) for n in nulls)
                expr = len(args) - total if nonnull else total
                return ValueExpr(expr, False, 0, len(args))
        raise TypeError(f"not a value: {node!r}")

    def arith(self, op: str, a: ValueExpr, b: ValueExpr, bounds: tuple[int, int] | None) -> ValueExpr:
        m = self.model
        null = self.disj([a.null, b.null])
        if op in "+-":
            expr = a.expr + b.expr if op == "+" else a.expr - b.expr
            lo, hi = (a.lo + b.lo, a.hi + b.hi) if op == "+" else (a.lo - b.hi, a.hi - b.lo)
        elif op == "*" and (isinstance(a.expr, int) or isinstance(b.expr, int)):
            expr = a.expr * b.expr
            corners = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]
            lo, hi = min(corners), max(corners)
        else:
            corners = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]
            if op == "*":
                lo, hi = min(corners), max(corners)
            else:
                assert isinstance(b.expr, int)
                lo, hi = (-max(abs(a.lo), abs(a.hi)), max(abs(a.lo), abs(a.hi)))
            out = m.new_int_var(lo, hi, op)
            if op == "*":
                m.add_multiplication_equality(out, [a.expr, b.expr])
            elif op == "/":
                m.add_division_equality(out, a.expr, b.expr)
            else:
                m.add_modulo_equality(out, a.expr, abs(b.expr))
            expr = out
        return self.bounded(expr, null, lo, hi, bounds)

    def bounded(self, expr: LinearLike, null: Lit, lo: int, hi: int, bounds: tuple[int, int] | None) -> ValueExpr:
        """PostgreSQL raises on overflow: a non-null result must fit its type's range."""
        if bounds is not None and (lo < bounds[0] or hi > bounds[1]):
            for constraint in (expr >= bounds[0], expr <= bounds[1]):
                if isinstance(null, bool):
                    if not null:
                        self.model.add(constraint)
                else:
                    self.model.add(constraint).only_enforce_if(null.negated())
            lo, hi = max(lo, bounds[0]), min(hi, bounds[1])
        return ValueExpr(expr, null, lo, hi)

    def select(self, selectors: list[Lit], values: list[ValueExpr]) -> ValueExpr:
        """The value of whichever branch's selector holds (exactly one does)."""
        lo, hi = min(v.lo for v in values), max(v.hi for v in values)
        out = self.model.new_int_var(lo, hi, "case")
        null = self.model.new_bool_var("case.null")
        for selector, v in zip(selectors, values, strict=True):
            if selector is False:
                continue
            guard = [] if selector is True else [selector]
            if v.null is not True:
                known = [] if v.null is False else [neg(v.null)]
                self.model.add(out == v.expr).only_enforce_if(guard + known)
            self.model.add(null == as_int(v.null)).only_enforce_if(guard)
        return ValueExpr(out, null, lo, hi)

    def extreme(self, greatest: bool, values: list[ValueExpr]) -> ValueExpr:
        m = self.model
        lo, hi = min(v.lo for v in values), max(v.hi for v in values)
        out = m.new_int_var(lo, hi, "extreme")
        picks = []
        for v in values:
            known = neg(v.null)
            bound = out >= v.expr if greatest else out <= v.expr
            m.add(bound).only_enforce_if([] if known is True else [known])
            if known is False:
                continue
            pick = m.new_bool_var("pick")
            m.add(out == v.expr).only_enforce_if(pick)
            if known is not True:
                m.add_implication(pick, known)
            picks.append(pick)
        null = self.conj([v.null for v in values])
        if null is not True:
            m.add_bool_or([*picks, *([] if null is False else [null])])
        return ValueExpr(out, null, lo, hi)


def neg(lit: Lit) -> Lit:
    if isinstance(lit, bool):
        return not lit
    return lit.negated()


def as_int(lit: Lit) -> LinearLike:
    return int(lit) if isinstance(lit, bool) else lit


def relation(op: str, x: LinearLike, y: LinearLike) -> Any:
    if op == "=":
        return x == y
    if op == "<>":
        return x != y
    if op == "<":
        return x < y
    if op == "<=":
        return x <= y
    if op == ">":
        return x > y
    return x >= y
