"""A whole run: schema + options → every table's rows, in fill order.

A pure function of (schema, options): it reads no database, so the same seed
gives the same rows, and the sinks (COPY, SQL, JSON, CSV) only write them.
Foreign keys that a cycle forces us to cut are filled last, from the parent's
rows; the COPY sink then defers them or UPDATEs them in place.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from fraiseql_data.constraints.compile import OPAQUE, CompiledCheck, compile_table
from fraiseql_data.errors import (
    CapacityError,
    ConstraintRef,
    UnknownTableError,
    UnsatisfiableError,
    UnsupportedError,
)
from fraiseql_data.plan.graph import BrokenEdge, Plan, build_plan
from fraiseql_data.schema.model import Schema
from fraiseql_data.solver.fanout import UNIFORM, Fanout, exact_rows, pick_parents, resolve_children, resolve_trees
from fraiseql_data.solver.table import DEFAULT_CLOCK, GenerateOptions, TableData, TableGenerator, stream
from fraiseql_data.values.overrides import maker

if TYPE_CHECKING:
    from fraiseql_data.validate import Validator

@dataclass(frozen=True)
class SeedOptions:
    """What to seed. `as_of` pins the clock CHECKs read (CURRENT_DATE, now()): without it,
    a database run uses its own transaction's now(), so time-dependent CHECKs hold when
    PostgreSQL evaluates them, and output stays byte-identical unless a CHECK reads the clock."""

    rows: int = 10
    seed: int = 0
    rows_for: Mapping[str, int] = field(default_factory=dict)
    strict: bool = False
    as_of: dt.datetime | None = None  # the clock of CURRENT_DATE/now() in CHECKs; None: see `clock`
    clock: dt.datetime | None = None  # set by the loader to the database transaction's now()
    null_rate: float = 0.1
    allow_opaque: bool = False
    overrides: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # table → column → SPEC
    locale: str = "en_US"
    children: Mapping[str, str] = field(default_factory=dict)  # table.column → uniform | zipf(A) | exact(N)
    trees: Mapping[str, str] = field(default_factory=dict)  # table.column → depth:N,fanout:N,roots:N


@dataclass
class Dataset:
    plan: Plan
    tables: dict[str, TableData]  # in fill order
    notes: list[str]

    @property
    def broken(self) -> tuple[BrokenEdge, ...]:
        return self.plan.broken


Progress = Callable[[str, int, int, int], None]  # (table, its rows, tables done, tables in all)
JUDGE_ROUNDS = 4
JUDGE_GROWTH = 20  # at most this many candidates per requested row


def resolve_counts(schema: Schema, options: SeedOptions) -> dict[str, int]:
    exact = {}
    for name, count in options.rows_for.items():
        table = schema.table(name)  # raises UnknownTableError naming the table
        if count < 0:
            raise UnknownTableError(name) from None
        exact[table.qualified] = count
    return exact


def generate(schema: Schema, options: SeedOptions, progress: Progress | None = None,
             validator: Validator | None = None) -> Dataset:
    """Every table's rows; `validator` (a database) judges the CHECKs the compiler cannot translate."""
    exact = resolve_counts(schema, options)
    tables = [t.qualified for t in schema.tables if not t.partitioned]
    plan = build_plan(schema, tables, single_statement=True)
    clock = options.as_of or options.clock or DEFAULT_CLOCK
    gen_options = GenerateOptions(options.seed, options.as_of or DEFAULT_CLOCK, options.null_rate, options.locale,
                                  children=resolve_children(schema, options.children),
                                  trees=resolve_trees(schema, options.trees))
    overrides = {schema.table(name).qualified: columns for name, columns in options.overrides.items()}
    done: dict[str, TableData] = {}
    generators: dict[str, TableGenerator] = {}  # their CHECKs also bound the keys cut from cycles (fill_broken)
    notes: list[str] = []
    for position, name in enumerate(plan.order, start=1):
        table = schema.table(name)
        fanned = exact_rows(table, gen_options.children, {t: d.n for t, d in done.items()})
        requested = exact.get(name, options.rows if fanned is None else fanned)
        if requested == 0:  # left out: nothing to prove or draw
            done[name] = TableData(table, 0, tuple(c.name for c in table.columns if c.generated is None),
                                   {c.name: [] for c in table.columns if c.generated is None})
            continue
        compiled = compile_table(table, schema, clock)
        opaque = [c for c in compiled.checks if c.classification == OPAQUE]
        judged = [c for c in opaque if c.domain_column is None] if validator is not None else []
        unjudged = [c for c in opaque if c not in judged]
        if unjudged and not options.allow_opaque:
            first = unjudged[0]
            where = "offline" if validator is None else "in a domain"
            raise UnsupportedError(
                name, f"CHECK {first.name} ({first.sql}) is opaque ({where}): {first.reason}",
                "seed through a database (--dsn, or a DDL file on the embedded server) so PostgreSQL judges it, "
                "or pass --allow-opaque (a row it rejects then rolls the whole run back)")
        generator = generators[name] = TableGenerator(compiled, schema, gen_options, done)
        data = generator.generate(requested)
        if judged and validator is not None:
            data = judge(generator, data, requested, judged, validator)
        if name in overrides:
            override(data, overrides[name], schema, clock, gen_options)
        if data.n < requested:
            limit = data.limit or "the constraints"
            if name in exact or options.strict:
                raise CapacityError(name, limit, data.n, requested)
            notes.append(f"{name}: {data.n} of {requested} rows — limited by {limit}")
        done[name] = data
        if progress is not None:
            progress(name, data.n, position, len(plan.order))
    for edge in plan.broken:
        fill_broken(edge, done, gen_options, generators.get(edge.table))
    return Dataset(plan, done, notes)


def judge(generator: TableGenerator, data: TableData, requested: int, checks: list[CompiledCheck],
          validator: Validator) -> TableData:
    """Keep the rows PostgreSQL accepts; draw more candidates while too few pass."""
    candidates = requested
    ceiling = max(requested * JUDGE_GROWTH, 50_000)  # candidates ever drawn for one table: bounded memory
    for _ in range(JUDGE_ROUNDS):
        kept = data.take(~validator.failing(data, checks))
        if kept.n >= requested or data.n < candidates:  # enough, or the keys allow no more candidates
            return kept.take(np.arange(kept.n) < requested)
        if (kept.n == 0 and data.n >= 1000) or candidates >= ceiling:
            break  # PostgreSQL rejects (nearly) everything drawn: more of the same will not help
        rate = max(kept.n, 1) / max(data.n, 1)
        candidates = min(int(requested / rate * 1.2) + 16, ceiling)
        data = generator.generate(candidates)
    listed = [ConstraintRef(c.name, c.sql) for c in checks]
    if kept.n:  # some passed: the table gets them, and the summary says why it has fewer
        limit = "; ".join(f"CHECK {c.name} ({c.sql})" for c in checks)
        return replace(kept, limit=f"{limit}, judged by PostgreSQL ({kept.n} of {data.n} candidates kept)")
    raise UnsatisfiableError(generator.table.qualified, listed,
                             hint=f"PostgreSQL rejected nearly every generated candidate ({kept.n} of {data.n} kept); "
                                  "these CHECKs are opaque to the solver")


def override(data: TableData, columns: Mapping[str, str], schema: Schema, clock: dt.datetime,
             options: GenerateOptions) -> None:
    """Write the user's values into a generated table, then check them against its constraints
    (an error naming the constraint, before anything is written)."""
    from fraiseql_data.api.row_checks import check_rows  # the fronts' checker; imported late (it imports us)

    table = data.table
    for column, spec in columns.items():
        if column not in data.columns:
            raise UnsupportedError(table.qualified, f"--set {column}={spec}",
                                   f"{column!r} is not a written column (columns: {', '.join(data.columns)})")
        rng = random.Random(f"{options.seed}:{table.qualified}:{column}:override")
        data.text[column] = list(maker(spec, options.locale, options.seed)(rng, data.n))
        data.encoded.pop(column, None)  # children read this column's text from now on
    check_rows(data, schema, clock, columns, "--set " + ", ".join(f"{c}={v}" for c, v in columns.items()))


def fill_broken(edge: BrokenEdge, done: dict[str, TableData], options: GenerateOptions,
                generator: TableGenerator | None) -> None:
    """Give a cut foreign key its values now that the parent's rows exist: parents its CHECKs accept
    (`generator` drew the child table), distinct ones where the key is also UNIQUE (1:1)."""
    child, parent = done[edge.table], done[edge.parent]
    rng = stream(options, edge.table, "broken", edge.fk.name)
    n = child.n
    columns = edge.fk.columns
    label = f"FOREIGN KEY {edge.fk.name} ({', '.join(columns)}), cut to break a cycle"
    nullable = all(child.table.column(c).nullable for c in columns)
    fanout = options.children.get((edge.table, edge.fk.name), UNIFORM)
    if any(set(key.columns) <= set(columns) for key in child.table.keys):
        if fanout is not UNIFORM:
            raise UnsupportedError(edge.table, f"--children {fanout} on {edge.fk.name}",
                                   "the key is also UNIQUE: each parent has at most one child")
        fanout = Fanout("exact", count=1)
    allowed = np.arange(parent.n)
    if generator is not None and n:
        mixed = [c for c in generator.checks if set(c.columns) & set(columns) and not set(c.columns) <= set(columns)]
        if mixed:
            raise UnsupportedError(edge.table, f"CHECK {mixed[0].name} ({mixed[0].sql})",
                                   f"it reads {label}, and other columns; such keys are filled last, without them")
        allowed = generator.parents_allowed(edge.fk, parent)
    null = (rng.random(n) < options.null_rate) if nullable and fanout.kind != "exact" else np.zeros(n, dtype=bool)
    if parent.n == 0:
        null[:] = True
    index = pick_parents(rng, fanout, max(allowed.size, 1), n)
    if (index < 0).any() and not nullable:
        raise CapacityError(edge.table, f"{label} with {fanout} children per parent", allowed.size * fanout.count, n)
    null |= index < 0
    pick = allowed[np.maximum(index, 0)] if allowed.size else np.zeros(n, dtype=np.int64)
    for column, ref in zip(columns, edge.fk.ref_columns, strict=True):
        texts = parent.text[ref]
        child.text[column] = [None if z or parent.n == 0 else texts[i]
                              for i, z in zip(pick.tolist(), null.tolist(), strict=True)]
        if ref in parent.encoded and parent.n:
            child.encoded[column] = parent.encoded[ref][pick]
            child.nulls[column] = null
        else:  # no integers stand for these values any more
            child.encoded.pop(column, None)
            child.nulls.pop(column, None)
