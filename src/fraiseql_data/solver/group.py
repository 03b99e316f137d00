"""Solving one group of columns that CHECKs link together.

CP-SAT runs once per group, not per row: to prove the group satisfiable (or
name the minimal set of conflicting CHECKs), and to narrow each column's
domain. Rows are then drawn vectorised from those domains and checked exactly
(`constraints.evaluate`); the few rows that keep failing after some re-draws
are solved one by one by CP-SAT, starting from their random draw as a hint,
so they stay diverse. Fixed columns (keys drawn earlier) are never changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from fraiseql_data.constraints import ir
from fraiseql_data.constraints.compile import CompiledCheck
from fraiseql_data.constraints.cpsat import RowModel
from fraiseql_data.constraints.encoding import Encoding, Kind
from fraiseql_data.constraints.evaluate import Evaluation, violations
from fraiseql_data.constraints.text import TextFacts
from fraiseql_data.errors import ConstraintRef, UnsatisfiableError, UnsupportedError
from fraiseql_data.solver.batch import Batch
from fraiseql_data.solver.sampling import EDGE_RATE, sample_numbers
from fraiseql_data.values.distributions import Distribution, DistributionError

REDRAW_ROUNDS = 24
ENUMERATE_WINDOW = 200_000
PROBE_DRAWS = 256
REPAIR_POOL = 64  # rows solved one by one; further stubborn rows copy one of them
SOLVE_WORK = 20.0  # CP-SAT deterministic time units (roughly seconds)
COUPLED_NULL_RATE = 0.5
NULL_AWARE = (ir.IsNull, ir.Distinct, ir.CountNulls, ir.Coalesce, ir.Extreme, ir.Case, ir.CasePred)
TextSampler = Callable[[np.random.Generator, int], np.ndarray]


@dataclass
class ColumnSpec:
    """How a column of the group is drawn."""

    name: str
    encoding: Encoding
    nullable: bool
    null_rate: float = 0.1
    choices: np.ndarray | None = None  # allowed encoded values (a foreign key's parent keys)
    fixed: tuple[np.ndarray, np.ndarray] | None = None  # drawn earlier (keys): values, nulls
    tree: bool = False  # a self-reference: row i points at an earlier row
    tree_values: np.ndarray | None = None  # the referenced column's values, by row
    distribution: Distribution | None = None  # None: uniform in a realistic window, with the bounds at EDGE_RATE


@dataclass
class Domain:
    lo: int
    hi: int
    can_null: bool
    can_value: bool
    choices: tuple[int, ...] = ()  # text: feasible literal indices (len(literals) = "other")


class GroupSolver:
    def __init__(self, table: str, checks: list[CompiledCheck], specs: dict[str, ColumnSpec],
                 facts: dict[str, TextFacts], window: Callable[[Encoding, int, int], tuple[int, int]]) -> None:
        self.table = table
        self.checks = checks
        self.specs = specs
        self.facts = facts
        self.window = window
        self.preds: list[ir.Pred] = [c.pred for c in checks if c.pred is not None]
        self.row = self.build_model()
        self.domains: dict[str, Domain] = {}
        self.feasible_values: dict[str, np.ndarray] = {}
        # Columns whose NULL-ness a CHECK ties to other columns: drawn NULL half the time, so that
        # rows like "retired_on IS NULL unless status = 'retired'" are found by drawing, not repair.
        coupled = {node.arg.name for p in self.preds for node in ir.walk(p)
                   if isinstance(node, ir.IsNull) and isinstance(node.arg, ir.Col)}
        self.null_coupled = coupled if len(specs) > 1 else set()
        # Columns a CHECK may reject for being NULL (COALESCE(x, 0) > 5). Any other column's NULL makes
        # no CHECK false that a value would make true, so a re-draw keeps its NULL-ness: re-drawing it
        # would let failing rows escape into NULL, and the null rate would drift above the one asked.
        self.null_sensitive = {name for p in self.preds for node in ir.walk(p) if isinstance(node, NULL_AWARE)
                               for name in ir.columns(node)}

    def build_model(self) -> RowModel:
        encodings = {name: spec.encoding for name, spec in self.specs.items()}
        nullable = {name: spec.nullable for name, spec in self.specs.items()}
        bounds = {}
        for name, spec in self.specs.items():
            if spec.choices is not None and spec.choices.size:
                bounds[name] = (int(spec.choices.min()), int(spec.choices.max()))
        row = RowModel(encodings, nullable, bounds, self.facts)
        for name, spec in self.specs.items():
            if spec.choices is not None and spec.choices.size and name in row.vars.value:
                values = np.unique(spec.choices)
                if values.size < 100_000 and values.size != values[-1] - values[0] + 1:
                    row.model.add_linear_expression_in_domain(
                        row.vars.value[name], cp_model.Domain.from_values(values.tolist()))
        for check in self.checks:
            assert check.pred is not None
            row.require(check.name, check.pred)
        return row

    # ── proving and narrowing ────────────────────────────────────────────────
    @staticmethod
    def solve(model: cp_model.CpModel, seed: int = 0) -> tuple[Any, cp_model.CpSolver]:
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1  # one worker, and a work limit rather than clock time: deterministic
        solver.parameters.random_seed = seed
        solver.parameters.max_deterministic_time = SOLVE_WORK
        return solver.solve(model), solver

    def solve_with(self, assumptions: list[cp_model.IntVar]) -> tuple[Any, cp_model.CpSolver]:
        model = self.row.model
        model.clear_assumptions()
        model.add_assumptions(assumptions)
        return self.solve(model)

    def prove(self) -> None:
        """Raise UnsatisfiableError naming a minimal conflicting set of CHECKs."""
        names = list(self.row.assumptions)
        status, solver = self.solve_with([self.row.assumptions[n] for n in names])
        if status != cp_model.INFEASIBLE:
            return
        core_indices = set(solver.sufficient_assumptions_for_infeasibility())
        core = [n for n in names if self.row.assumptions[n].index in core_indices] or names
        for name in list(core):  # deletion-based minimisation: core sizes are tiny
            trial = [n for n in core if n != name]
            status, _ = self.solve_with([self.row.assumptions[n] for n in trial])
            if status == cp_model.INFEASIBLE:
                core = trial
        by_name = {c.name: c for c in self.checks}
        hint = ""
        fixed = [s.name for s in self.specs.values() if s.fixed is not None or s.choices is not None]
        if fixed:
            hint = f"given the values of {', '.join(fixed)} (keys and foreign keys)"
        raise UnsatisfiableError(self.table, [ConstraintRef(n, by_name[n].sql) for n in core],
                                 hint=hint and f"{hint}; fix the constraint")

    def narrow(self) -> None:
        """Each variable's feasible range, by minimising and maximising it."""
        model = self.row.model
        model.clear_assumptions()
        model.add_assumptions(list(self.row.assumptions.values()))
        for name, spec in self.specs.items():
            null = self.row.vars.null[name]
            can_null = spec.nullable and self.feasible(null, True)
            can_value = not spec.nullable or self.feasible(null, False)
            if spec.encoding.kind is Kind.TEXT:
                choice = self.row.vars.choice[name]
                options = tuple(i for i in range(len(self.facts[name].literals) + 1) if self.feasible(choice, i))
                length = self.row.vars.length[name]
                self.domains[name] = Domain(self.extreme(length, False, null), self.extreme(length, True, null),
                                            can_null, can_value, options)
                continue
            var = self.row.vars.value[name]
            if spec.choices is not None and spec.choices.size:  # a foreign key: its parents' keys are the domain
                self.domains[name] = Domain(int(spec.choices.min()), int(spec.choices.max()), can_null, can_value)
                continue
            self.domains[name] = Domain(self.extreme(var, False, null), self.extreme(var, True, null),
                                        can_null, can_value)
        model.clear_objective()
        self.enumerate_single()

    def enumerate_single(self) -> None:
        """A one-column group: every feasible value of its realistic window, checked at once.

        Holes in a domain (`n % 500 = 0`) defeat random draws; a window of at most
        ENUMERATE_WINDOW values is evaluated vectorised instead, exactly, and
        draws come from the values that pass.
        """
        if len(self.specs) != 1:
            return
        (name, spec), = self.specs.items()
        domain = self.domains[name]
        if spec.encoding.kind is Kind.TEXT or spec.choices is not None or spec.tree or not domain.can_value:
            return
        if spec.distribution is not None:  # enumerate where the distribution puts its mass
            lo, hi = spec.distribution.window(domain.lo, domain.hi)
            probe = self.sample(spec, domain, np.random.default_rng(0), PROBE_DRAWS)
        else:
            lo, hi = self.window(spec.encoding, domain.lo, domain.hi)
            probe = sample_numbers(np.random.default_rng(0), PROBE_DRAWS, domain.lo, domain.hi, lo, hi)
        passing = ~violations(Batch(PROBE_DRAWS, self.facts, values={name: probe}), self.preds)
        if passing.mean() >= 0.2:  # random draws do well enough
            return
        lo, hi = max(lo, domain.lo), min(hi, domain.hi)
        if lo > hi:
            lo, hi = domain.lo, min(domain.hi, domain.lo + ENUMERATE_WINDOW - 1)
        hi = min(hi, lo + ENUMERATE_WINDOW - 1)
        candidates = np.unique(np.concatenate([np.arange(lo, hi + 1, dtype=np.int64),
                                               np.array([domain.lo, domain.hi], dtype=np.int64)]))
        batch = Batch(int(candidates.size), self.facts, values={name: candidates})
        feasible = candidates[~violations(batch, self.preds)]
        if feasible.size:
            self.feasible_values[name] = feasible

    def feasible(self, var: Any, value: int) -> bool:
        """Whether the group's CHECKs allow `var` (a variable or a constant literal) to equal `value`."""
        if isinstance(var, bool):
            return int(var) == int(value)
        model = self.row.model
        probe = model.new_bool_var("probe")
        model.add(var == int(value)).only_enforce_if(probe)
        model.add_assumption(probe)
        status, _ = self.solve(model)
        model.clear_assumptions()
        model.add_assumptions(list(self.row.assumptions.values()))
        return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    def extreme(self, var: cp_model.IntVar, maximise: bool, null: Any = False) -> int:
        """The variable's least or greatest feasible value while its column is not NULL."""
        model = self.row.model
        if not isinstance(null, bool):
            probe = model.new_bool_var("probe")
            model.add(null == 0).only_enforce_if(probe)
            model.add_assumption(probe)
        if maximise:
            model.maximize(var)
        else:
            model.minimize(var)
        status, solver = self.solve(model)
        model.clear_objective()
        model.clear_assumptions()
        model.add_assumptions(list(self.row.assumptions.values()))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return int(solver.value(var))
        lo, hi = self.row.vars.bounds[var.name]
        return hi if maximise else lo

    # ── drawing rows ─────────────────────────────────────────────────────────
    def draw(self, batch: Batch, rows: np.ndarray, rng: np.random.Generator, only: str | None = None) -> None:
        """(Re-)draw every non-fixed column of the group (or just `only`) for `rows`."""
        k = int(rows.size)
        for name, spec in self.specs.items():
            if spec.fixed is not None or (only is not None and name != only):
                continue
            domain = self.domains[name]
            if domain.can_null and domain.can_value:
                rate = COUPLED_NULL_RATE if name in self.null_coupled else spec.null_rate
                null = rng.random(k) < rate
                if name in batch.nulls and name not in self.null_sensitive:  # a re-draw
                    null = batch.nulls[name][rows].copy()
            else:
                null = np.full(k, domain.can_null and not domain.can_value)
            if spec.encoding.kind is Kind.TEXT:
                self.draw_text(batch, name, rows, null, rng)
            else:
                batch.values.setdefault(name, np.zeros(batch.n, dtype=np.int64))[rows] = \
                    self.draw_values(spec, domain, rows, rng)
            if spec.tree:
                null |= rows == 0  # the first row has no earlier row to point at
                if not spec.nullable:
                    null[:] = False
            batch.nulls.setdefault(name, np.zeros(batch.n, dtype=bool))[rows] = null

    def draw_values(self, spec: ColumnSpec, domain: Domain, rows: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        k = int(rows.size)
        if spec.tree and spec.tree_values is not None:
            parents = np.floor(rng.random(k) * np.maximum(rows, 1)).astype(np.int64)
            return spec.tree_values[parents]
        if spec.choices is not None:
            pool = spec.choices[(spec.choices >= domain.lo) & (spec.choices <= domain.hi)]
            if pool.size == 0:
                pool = spec.choices
            return pool[rng.integers(0, pool.size, k)]
        feasible = self.feasible_values.get(spec.name)
        if spec.distribution is not None and domain.can_value:
            return self.sample(spec, domain, rng, k, feasible)
        if feasible is not None:  # uniform over the enumerated values, edges included at EDGE_RATE
            picked = feasible[rng.integers(0, feasible.size, k)]
            edge = rng.random(k)
            picked = np.where(edge < EDGE_RATE, feasible[0], picked)
            return np.where(edge > 1 - EDGE_RATE, feasible[-1], picked)
        lo, hi = self.window(spec.encoding, domain.lo, domain.hi)
        return sample_numbers(rng, k, domain.lo, domain.hi, lo, hi)

    def sample(self, spec: ColumnSpec, domain: Domain, rng: np.random.Generator, k: int,
               feasible: np.ndarray | None = None) -> np.ndarray:
        """k draws of the column's distribution inside its domain, or among its enumerated feasible values."""
        assert spec.distribution is not None
        try:
            if feasible is not None:
                return spec.distribution.pick(rng, k, feasible)
            return spec.distribution.sample(rng, k, domain.lo, domain.hi)
        except DistributionError as error:
            raise UnsupportedError(self.table, f"column {spec.name}", str(error)) from None

    def draw_text(self, batch: Batch, name: str, rows: np.ndarray, null: np.ndarray,
                  rng: np.random.Generator) -> None:
        facts = self.facts[name]
        domain = self.domains[name]
        k = int(rows.size)
        other = len(facts.literals)
        options = np.array(domain.choices or (other,), dtype=np.int64)
        weights = np.where(options == other, max(1.0, (options.size - 1)), 1.0)
        choice = rng.choice(options, size=k, p=weights / weights.sum())
        batch.choice.setdefault(name, np.zeros(batch.n, dtype=np.int64))[rows] = choice
        length = batch.length.setdefault(name, np.zeros(batch.n, dtype=np.int64))
        lo, hi = self.window(Encoding(Kind.TEXT), domain.lo, domain.hi)
        drawn = sample_numbers(rng, k, domain.lo, domain.hi, lo, hi)
        is_other = choice == other
        bits = {}
        for match, lengths in facts.pattern_lengths.items():
            bit = rng.random(k) < 0.9
            bits[match] = bit
            allowed = np.array([n for n in lengths if domain.lo <= n <= domain.hi] or [domain.lo])
            pick = allowed[np.minimum((rng.random(k) * allowed.size).astype(np.int64), allowed.size - 1)]
            drawn = np.where(bit & is_other & ~np.isin(drawn, allowed), pick, drawn)
        for index, literal in enumerate(facts.literals):
            drawn = np.where(choice == index, len(literal), drawn)
            for match, bit in bits.items():
                bits[match] = np.where(choice == index, facts.literal_matches[(match, index)], bit)
        length[rows] = drawn
        for match, bit in bits.items():
            batch.match.setdefault(match, np.zeros(batch.n, dtype=bool))[rows] = bit

    def failures(self, batch: Batch) -> tuple[list[np.ndarray], list[tuple[str, ...]]]:
        """Per check (and per pattern-length link): the rows it fails, and the columns it reads."""
        evaluation = Evaluation(batch)
        masks, readers = [], []
        for check in self.checks:
            assert check.pred is not None
            _, false = evaluation.pred(check.pred)
            masks.append(false)
            readers.append(check.columns)
        masks.append(evaluation.errors)  # arithmetic PostgreSQL would reject: any column may be to blame
        readers.append(tuple(self.specs))
        for match, lengths in self.facts_patterns():
            masks.append(batch.match[match] & ~np.isin(batch.length[match.column], lengths))
            readers.append((match.column,))
        return masks, readers

    def facts_patterns(self) -> list[tuple[ir.Match, np.ndarray]]:
        return [(m, np.array(ls)) for f in self.facts.values() for m, ls in f.pattern_lengths.items()]

    def fill(self, batch: Batch, rng: np.random.Generator) -> None:
        """Draw every row, re-draw failures, solve the stubborn rest one by one.

        Re-draws are mostly local: a failing row re-draws one column of one CHECK it
        fails, keeping the rest (like a Gibbs step); every fourth round re-draws
        the whole group for the rows still failing.
        """
        self.draw(batch, np.arange(batch.n), rng)
        if not self.preds:
            return
        movable = {name for name, spec in self.specs.items() if spec.fixed is None}
        for round_ in range(REDRAW_ROUNDS):
            masks, readers = self.failures(batch)
            failing = np.stack(masks)
            bad = np.flatnonzero(failing.any(axis=0))
            if bad.size == 0:
                return
            if round_ % 4 == 3:
                self.draw(batch, bad, rng)
                continue
            # one failing check per bad row, chosen at random, then one of its movable columns
            chosen = np.argmax(failing[:, bad] * rng.random((failing.shape[0], bad.size)), axis=0)
            picks = rng.random(bad.size)
            targets: dict[str, list[np.ndarray]] = {}
            for check in np.unique(chosen).tolist():
                columns = [c for c in readers[check] if c in movable]
                if not columns:
                    continue
                mine = chosen == check
                which = (picks[mine] * len(columns)).astype(np.int64)
                for index, name in enumerate(columns):
                    targets.setdefault(name, []).append(bad[mine][which == index])
            for name, parts in sorted(targets.items()):
                self.draw(batch, np.sort(np.concatenate(parts)), rng, only=name)
        masks, _ = self.failures(batch)
        stubborn = np.flatnonzero(np.stack(masks).any(axis=0))
        free = all(spec.fixed is None and not spec.tree for spec in self.specs.values())
        solved = stubborn[:REPAIR_POOL] if free else stubborn
        for row in solved.tolist():
            self.repair(batch, row)
        rest = stubborn[solved.size:]
        if rest.size:  # nothing is fixed in this group: any solved row is a valid row; copy them
            self.copy_rows(batch, solved[rng.integers(0, solved.size, rest.size)], rest)

    def copy_rows(self, batch: Batch, sources: np.ndarray, targets: np.ndarray) -> None:
        for arrays in (batch.values, batch.nulls, batch.choice, batch.length):
            for name in self.specs:
                if name in arrays:
                    arrays[name][targets] = arrays[name][sources]
        for match in self.row.vars.match:
            batch.match[match][targets] = batch.match[match][sources]

    def repair(self, batch: Batch, row: int) -> None:
        """Solve one row exactly with CP-SAT, hinted by its random draw."""
        model = self.row.model.clone()
        model.clear_hints()
        model.clear_assumptions()
        vars_ = self.row.vars

        def same(var: cp_model.IntVar) -> cp_model.IntVar:
            return model.get_int_var_from_proto_index(var.index)

        for name, spec in self.specs.items():
            null = vars_.null[name]
            is_null = bool(batch.null(name)[row])
            if spec.fixed is not None:
                if not isinstance(null, bool):
                    model.add(same(null) == int(is_null))
                if not is_null and name in vars_.value:
                    model.add(same(vars_.value[name]) == int(batch.values[name][row]))
                if not is_null and name in vars_.choice:
                    model.add(same(vars_.choice[name]) == int(batch.choice[name][row]))
                continue
            if not isinstance(null, bool):
                model.add_hint(same(null), is_null)
            if spec.tree and spec.tree_values is not None:  # a self-reference: an earlier row, or none
                earlier = np.unique(spec.tree_values[:row]).tolist()
                if earlier:
                    model.add_linear_expression_in_domain(same(vars_.value[name]), cp_model.Domain.from_values(
                        earlier)).only_enforce_if(same(null).negated() if not isinstance(null, bool) else [])
                elif not isinstance(null, bool):
                    model.add(same(null) == 1)
                else:  # NOT NULL and the first row: it points at itself
                    model.add(same(vars_.value[name]) == int(spec.tree_values[0]))
            if name in vars_.value:
                model.add_hint(same(vars_.value[name]), int(batch.values[name][row]))
            elif name in vars_.choice:
                model.add_hint(same(vars_.choice[name]), int(batch.choice[name][row]))
                model.add_hint(same(vars_.length[name]), int(batch.length[name][row]))
        for assumption in self.row.assumptions.values():
            model.add(same(assumption) == 1)
        status, solver = self.solve(model, seed=row % 1_000_003)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise UnsatisfiableError(
                self.table,
                [ConstraintRef(c.name, c.sql) for c in self.checks],
                hint=f"row {row}: no values satisfy them given the keys and foreign keys drawn for it "
                     "(report this with the schema)",
            )
        for name, spec in self.specs.items():
            if spec.fixed is not None:
                continue
            null = vars_.null[name]
            batch.nulls.setdefault(name, np.zeros(batch.n, dtype=bool))[row] = (
                bool(solver.value(same(null))) if not isinstance(null, bool) else null)
            if name in vars_.value:
                batch.values[name][row] = solver.value(same(vars_.value[name]))
            elif name in vars_.choice:
                batch.choice[name][row] = solver.value(same(vars_.choice[name]))
                batch.length[name][row] = solver.value(same(vars_.length[name]))
        for match, bit in vars_.match.items():
            batch.match[match][row] = bool(solver.value(same(bit)))
