"""A whole run: schema + options → every table's rows, in fill order.

A pure function of (schema, options): it reads no database, so the same seed
gives the same rows, and the sinks (COPY, SQL, JSON, CSV) only write them.
Foreign keys that a cycle forces us to cut are filled last, from the parent's
rows; the COPY sink then defers them or UPDATEs them in place.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from fraiseql_data.blocks import Blocks, Made
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
from fraiseql_data.solver.table import (
    DEFAULT_CLOCK,
    GenerateOptions,
    TableData,
    TableGenerator,
    TablePlan,
    stream,
)
from fraiseql_data.values.distributions import resolve
from fraiseql_data.values.identity import UUIDMode, check_ids, pinned_codes
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
    uuid: UUIDMode = "pattern"  # Trinity `id`s: "pattern" (decodable fraiseql-uuid ids) or "random" (UUID v4)
    scenario: int = 0  # carried in pattern ids: which run made them (0..9999)
    test_case: int = 0  # carried in pattern ids: which test made them (0..99)
    table_codes: Mapping[str, int] = field(default_factory=dict)  # Trinity table → pinned code (0..999999)
    distributions: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # table → column → SPEC
    null_rates: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # table → column → rate
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


T = TypeVar("T")
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


class Engine:
    """One run's tables in fill order, each made whole (`produce`) or a block at a time (`stream`).

    A table is streamed when nothing needs all of its rows at once: it is not in an FK cycle,
    PostgreSQL judges none of its CHECKs and no override rewrites it. Children read only the
    parent columns their foreign keys reference, so that is all a streamed table leaves behind.
    """

    def __init__(self, schema: Schema, options: SeedOptions, progress: Progress | None = None,
                 validator: Validator | None = None, *, keep_rows: bool = True, jobs: int = 1) -> None:
        self.schema = schema
        self.jobs = jobs  # processes making a large table's blocks (the output is the same for any number)
        self.keep_rows = keep_rows  # False: a streamed table keeps only what its children reference
        self.options = options
        self.progress = progress
        self.validator = validator
        self.exact = resolve_counts(schema, options)
        self.plan = build_plan(schema, [t.qualified for t in schema.tables if not t.partitioned],
                               single_statement=True)
        self.clock = options.as_of or options.clock or DEFAULT_CLOCK
        distributions, null_rates = resolve(schema, options.distributions, options.null_rates)
        self.gen_options = GenerateOptions(
            options.seed, options.as_of or DEFAULT_CLOCK, options.null_rate, options.locale, uuid=options.uuid,
            scenario=options.scenario, test_case=options.test_case,
            table_codes=pinned_codes(schema, options.table_codes), distributions=distributions, null_rates=null_rates,
            children=resolve_children(schema, options.children), trees=resolve_trees(schema, options.trees))
        check_ids(schema, self.gen_options)
        self.overrides: dict[str, dict[str, str]] = {}
        for name, columns in options.overrides.items():  # merged per column: `tb_x` and `public.tb_x` are one table
            self.overrides.setdefault(schema.table(name).qualified, {}).update(columns)
        self.done: dict[str, TableData] = {}
        self.generators: dict[str, TableGenerator] = {}  # their CHECKs also bound the keys cut from cycles
        self.notes: list[str] = []
        self.seconds = 0.0  # spent generating (the rest of a run is COPY and waiting on the server)
        self.referenced: dict[str, set[str]] = {}
        for table in schema.tables:
            for fk in table.foreign_keys:
                if fk.ref_qualified != table.qualified:
                    self.referenced.setdefault(fk.ref_qualified, set()).update(fk.ref_columns)
        cyclic = {t for component in self.plan.cycles for t in component}
        self.whole = cyclic | {e.table for e in self.plan.broken} | set(self.overrides)

    def position(self, name: str) -> int:
        return self.plan.order.index(name) + 1

    def generator(self, name: str) -> tuple[TableGenerator | None, list[CompiledCheck], int]:
        """The table's generator (None when no rows are wanted), the CHECKs PostgreSQL must judge, the count."""
        table = self.schema.table(name)
        fanned = exact_rows(table, self.gen_options.children, {t: d.n for t, d in self.done.items()})
        requested = self.exact.get(name, self.options.rows if fanned is None else fanned)
        if requested == 0:  # left out: nothing to prove or draw
            return None, [], 0
        compiled = compile_table(table, self.schema, self.clock)
        opaque = [c for c in compiled.checks if c.classification == OPAQUE]
        judged = [c for c in opaque if c.domain_column is None] if self.validator is not None else []
        unjudged = [c for c in opaque if c not in judged]
        if unjudged and not self.options.allow_opaque:
            first = unjudged[0]
            where = "offline" if self.validator is None else "in a domain"
            raise UnsupportedError(
                name, f"CHECK {first.name} ({first.sql}) is opaque ({where}): {first.reason}",
                "seed through a database (--dsn, or a DDL file on the embedded server) so PostgreSQL judges it, "
                "or pass --allow-opaque (a row it rejects then rolls the whole run back)")
        generator = self.generators[name] = TableGenerator(compiled, self.schema, self.gen_options, self.done)
        return generator, judged, requested

    def streams(self, name: str) -> bool:
        return name not in self.whole

    def produce(self, name: str) -> TableData:
        """The whole table, judged by PostgreSQL and overridden where asked."""
        started = time.perf_counter()
        generator, judged, requested = self.generator(name)
        return self.whole_table(name, generator, judged, requested, started)

    def whole_table(self, name: str, generator: TableGenerator | None, judged: list[CompiledCheck], requested: int,
                    started: float) -> TableData:
        if generator is None:
            table = self.schema.table(name)
            data = TableData(table, 0, tuple(c.name for c in table.columns if c.generated is None),
                             {c.name: [] for c in table.columns if c.generated is None})
        else:
            data = generator.generate(requested)
            if judged and self.validator is not None:
                data = judge(generator, data, requested, judged, self.validator)
            if name in self.overrides:
                override(data, self.overrides[name], self.schema, self.clock, self.gen_options)
            self.check_count(name, data.n, requested, data.limit)
        self.done[name] = data
        self.seconds += time.perf_counter() - started
        if self.progress is not None:
            self.progress(name, data.n, self.position(name), len(self.plan.order))
        return data

    def stream(self, name: str, encode: Callable[[TableData], T]) -> Iterator[T]:
        """The table's rows a block at a time, each encoded for the sink (in a worker, with jobs).
        Its count and keys are settled here, before the first block is asked for (so a capacity
        error comes before its COPY starts). A table PostgreSQL judges is made whole first (its
        rows are kept by what the server says)."""
        started = time.perf_counter()
        generator, judged, requested = self.generator(name)
        if generator is None or judged:
            return iter([encode(self.whole_table(name, generator, judged, requested, started))])
        plan = generator.plan(requested)
        self.check_count(name, plan.n, requested, plan.limit)
        keep = set(generator.columns) if self.keep_rows else self.referenced.get(name, set())
        blocks = Blocks(generator, plan, encode, keep, self.jobs)
        self.seconds += time.perf_counter() - started
        return self.collect(name, generator, plan, iter(blocks))

    def collect(self, name: str, generator: TableGenerator, plan: TablePlan, blocks: Iterator[Made[T]]
                ) -> Iterator[T]:
        parts: list[TableData] = []
        for k in range(plan.blocks):
            started = time.perf_counter()
            encoded, kept = next(blocks)
            self.seconds += time.perf_counter() - started
            yield encoded
            parts.append(kept)
            if self.progress is not None:
                done = self.position(name) - (k + 1 < plan.blocks)
                self.progress(name, kept.n, done, len(self.plan.order))
        self.done[name] = TableData.join(generator.table, plan.limit, parts, plan.n)

    def check_count(self, name: str, n: int, requested: int, limit: str | None) -> None:
        if n < requested:
            if name in self.exact or self.options.strict:
                raise CapacityError(name, limit or "the constraints", n, requested)
            self.notes.append(f"{name}: {n} of {requested} rows — limited by {limit or 'the constraints'}")

    def fill_broken(self, names: Iterable[str]) -> None:
        """The cut foreign keys of these (cyclic) tables, now that every table of their cycle exists."""
        tables = set(names)
        for edge in self.plan.broken:
            if edge.table in tables:
                fill_broken(edge, self.done, self.gen_options, self.generators.get(edge.table))

    def dataset(self) -> Dataset:
        return Dataset(self.plan, {name: self.done[name] for name in self.plan.order if name in self.done},
                       self.notes)


def generate(schema: Schema, options: SeedOptions, progress: Progress | None = None,
             validator: Validator | None = None) -> Dataset:
    """Every table's rows, whole; `validator` (a database) judges the CHECKs the compiler cannot translate."""
    engine = Engine(schema, options, progress, validator)
    for name in engine.plan.order:
        engine.produce(name)
    engine.fill_broken(engine.plan.order)
    return engine.dataset()


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
