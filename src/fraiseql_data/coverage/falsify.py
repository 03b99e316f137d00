"""A row that makes one CHECK FALSE while every other CHECK it is linked to holds.

The probe for a CHECK needs such a row: PostgreSQL must then reject it naming
that CHECK and no other. The solver finds it by negating the CHECK ("is FALSE",
not merely "not TRUE": a NULL CHECK passes) among the other CHECKs that share
columns with it. When no such row exists the solver says why, which the report
flags: a tautology (never FALSE), a contradiction (never anything but FALSE),
or a CHECK implied by others (named, as a minimal set).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from fraiseql_data.constraints import ir
from fraiseql_data.constraints.compile import CompiledCheck, CompiledTable
from fraiseql_data.constraints.cpsat import RowModel
from fraiseql_data.constraints.encoding import TEXT_MAX, Kind
from fraiseql_data.constraints.evaluate import violations
from fraiseql_data.constraints.text import TextFacts
from fraiseql_data.solver.batch import Batch, Strings
from fraiseql_data.solver.decode import decode
from fraiseql_data.solver.strings import TextColumn, realise

SOLVE_SECONDS = 5.0
REALISE_TRIES = 8
NEAREST_SECONDS = 0.25  # the nearest violating value: good enough when found, no need to prove it nearest
MAGNITUDE = 2**52  # CP-SAT needs headroom below int64; no probe needs values this large
TARGET = "target"

FOUND, TAUTOLOGY, CONTRADICTION, IMPLIED, UNREALISED, UNSUPPORTED, UNSOLVED = (
    "found", "tautology", "contradiction", "implied", "unrealised", "unsupported", "unsolved")


Row = dict[str, str | None]


@dataclass(frozen=True)
class Falsified:
    verdict: str
    rows: tuple[Row, ...] = ()  # violating rows, PostgreSQL text per linked column, nearest the boundary first
    by: tuple[str, ...] = ()  # the CHECKs that imply the target (IMPLIED)


def is_false(pred: ir.Pred) -> ir.Pred:
    """TRUE exactly when `pred` is FALSE; posting it "not FALSE" rules out NULL too."""
    return ir.And((ir.Not(pred), ir.Not(ir.IsNull(pred))))


def is_true(pred: ir.Pred) -> ir.Pred:
    return ir.And((pred, ir.Not(ir.IsNull(pred))))


def linked(compiled: CompiledTable, target: CompiledCheck) -> tuple[list[str], list[CompiledCheck]]:
    """The columns and other CHECKs transitively sharing columns with `target`."""
    columns = set(target.columns)
    others = [c for c in compiled.translated if c is not target and c.columns]
    group: list[CompiledCheck] = []
    grew = True
    while grew:
        grew = False
        for check in others:
            if not any(check is g for g in group) and columns & set(check.columns):
                group.append(check)
                columns |= set(check.columns)
                grew = True
    return [c.name for c in compiled.table.columns if c.name in columns], group


def solver() -> cp_model.CpSolver:
    found = cp_model.CpSolver()
    found.parameters.num_workers = 1
    found.parameters.max_time_in_seconds = SOLVE_SECONDS
    return found


def solve(row: RowModel, names: list[str], seconds: float = SOLVE_SECONDS) -> tuple[Any, cp_model.CpSolver]:
    row.model.clear_assumptions()
    row.model.add_assumptions([row.assumptions[n] for n in names])
    found = solver()
    found.parameters.max_time_in_seconds = seconds
    return found.solve(row.model), found


def minimal_core(row: RowModel, names: list[str], answer: cp_model.CpSolver) -> list[str]:
    """A minimal set of assumptions that cannot hold together (deletion-based; cores are tiny)."""
    indices = set(answer.sufficient_assumptions_for_infeasibility())
    core = [n for n in names if row.assumptions[n].index in indices] or list(names)
    for name in list(core):
        trial = [n for n in core if n != name]
        if trial and solve(row, trial)[0] == cp_model.INFEASIBLE:
            core = trial
    return core


def falsify(compiled: CompiledTable, target: CompiledCheck, choices: Mapping[str, np.ndarray] | None = None,
            seed: int = 0) -> Falsified:
    """A row (as text for the linked columns) on which `target` is FALSE and its linked CHECKs are not.

    `choices` restricts columns to encoded values (a foreign key's existing parent keys), so that the
    row, if PostgreSQL accepts it, is refused by nothing but the missing CHECK.
    """
    assert target.pred is not None, "opaque CHECKs have no predicate to negate"
    columns, others = linked(compiled, target)
    if any(compiled.encodings[c].kind is Kind.OTHER for c in columns):
        return Falsified(UNSUPPORTED)
    preds = [c.pred for c in others if c.pred is not None]
    facts = {c: TextFacts.build(c, [*preds, target.pred], min(compiled.encodings[c].max_len, TEXT_MAX))
             for c in columns if compiled.encodings[c].kind is Kind.TEXT}

    allowed = {c: np.unique(v) for c, v in (choices or {}).items() if c in columns and len(v)}
    bounds = {c: (max(e.lo, -MAGNITUDE), min(e.hi, MAGNITUDE)) for c in columns
              if (e := compiled.encodings[c]).kind is not Kind.TEXT}
    bounds.update({c: (int(v[0]), int(v[-1])) for c, v in allowed.items()})

    def model() -> RowModel:
        row = RowModel({c: compiled.encodings[c] for c in columns}, {c: compiled.nullable[c] for c in columns},
                       bounds, facts)
        for name, values in allowed.items():
            if name in row.vars.value:
                row.model.add_linear_expression_in_domain(row.vars.value[name],
                                                          cp_model.Domain.from_values(values.tolist()))
        return row

    alone = model()
    alone.require(TARGET, target.pred)
    if solve(alone, [TARGET])[0] == cp_model.INFEASIBLE:
        return Falsified(CONTRADICTION)
    row = model()
    names = [str(i) for i in range(len(preds))]
    for name, pred in zip(names, preds, strict=True):
        row.require(name, pred)
    row.require(TARGET, is_false(target.pred))
    status, answer = solve(row, [*names, TARGET])
    if status == cp_model.INFEASIBLE:
        core = minimal_core(row, [*names, TARGET], answer)
        implying = tuple(others[int(n)].name for n in core if n != TARGET)
        return Falsified(IMPLIED, by=implying) if implying else Falsified(TAUTOLOGY)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Falsified(UNSOLVED)
    held = model()
    for name, pred in zip(names, preds, strict=True):
        held.require(name, pred)
    held.require(TARGET, is_true(target.pred))
    inside = solve(held, [*names, TARGET], NEAREST_SECONDS)  # only a centre for `nearest`: no need to wait
    answers = [*nearest(row, [*names, TARGET], target, inside), answer]
    checked = [*preds, is_false(target.pred)]
    rows: dict[tuple[tuple[str, str | None], ...], Row] = {}
    for found in answers:
        values = realised(compiled, row, found, columns, facts, checked, seed)
        if values is not None:
            rows.setdefault(tuple(sorted(values.items())), values)
    return Falsified(FOUND, tuple(rows.values())) if rows else Falsified(UNREALISED)


def nearest(row: RowModel, names: list[str], target: CompiledCheck,
            holding: tuple[Any, cp_model.CpSolver]) -> list[cp_model.CpSolver]:
    """Violating rows just below and just above a row where the CHECK holds, one pair per column it reads.

    A CHECK weakened in the live database (`<= 1000` for `<= 200`) still refuses far-off values: the
    values nearest the boundary are the ones only the true CHECK refuses.
    """
    status, inside = holding
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return []
    measured = {n.column for n in ir.walk(target.pred) if isinstance(n, ir.TextLength)} if target.pred else set()
    found = []
    for column in target.columns:
        var = row.vars.value.get(column) if column not in measured else row.vars.length.get(column)
        null = row.vars.null.get(column, False)
        if var is None or (not isinstance(null, bool) and inside.value(null)):
            continue
        middle = inside.value(var)
        for below in (True, False):
            probe = row.model.clone()
            probe.clear_assumptions()
            probe.add_bool_and([probe.get_bool_var_from_proto_index(row.assumptions[n].index) for n in names])
            if not isinstance(null, bool):
                probe.add(probe.get_bool_var_from_proto_index(null.index) == 0)
            same = probe.get_int_var_from_proto_index(var.index)
            if below:
                probe.add(same < middle)
                probe.maximize(same)
            else:
                probe.add(same > middle)
                probe.minimize(same)
            probe.add_hint(same, middle - 1 if below else middle + 1)
            answer = solver()
            answer.parameters.max_time_in_seconds = NEAREST_SECONDS
            if answer.solve(probe) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                found.append(answer)
    return found


def realised(compiled: CompiledTable, row: RowModel, answer: cp_model.CpSolver, columns: list[str],
             facts: dict[str, TextFacts], preds: list[ir.Pred], seed: int) -> Row | None:
    """The solved row as PostgreSQL text; text columns are realised until the row checks out exactly."""
    batch = Batch(1, facts)
    found = row.vars
    for name in columns:
        null = found.null[name]
        batch.nulls[name] = np.array([null if isinstance(null, bool) else bool(answer.value(null))])
        if name in found.value:
            batch.values[name] = np.array([answer.value(found.value[name])], dtype=np.int64)
        else:
            batch.choice[name] = np.array([answer.value(found.choice[name])], dtype=np.int64)
            batch.length[name] = np.array([answer.value(found.length[name])], dtype=np.int64)
    for match, bit in found.match.items():
        batch.match[match] = np.array([bool(answer.value(bit))])
    values = {name: decode(compiled.encodings[name], batch.values[name], batch.nulls[name])[0]
              for name in columns if name in batch.values}
    texts = [name for name in columns if name in facts]
    measured = {n.column for p in preds for n in ir.walk(p) if isinstance(n, ir.TextLength)}
    rng = np.random.default_rng(seed)
    for attempt in range(REALISE_TRIES):
        text = {name: realise(TextColumn(name, facts[name], batch.nulls[name], batch.choice[name],
                                         batch.length[name] if name in measured else None,
                                         {m: b for m, b in batch.match.items() if m.column == name},
                                         compiled.encodings[name].max_len), rng, np.array([attempt]))
                for name in texts}
        if not violations(Strings(batch, text), preds).any():
            return {**values, **{name: t[0] for name, t in text.items()}}
    return None
