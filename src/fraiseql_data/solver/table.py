"""Generating one table: keys, foreign keys, CHECK groups, then text.

The order matters and is the design: (1) CHECK groups are proved satisfiable
and their domains narrowed; (2) unique keys are drawn without replacement
from those domains; (3) foreign keys pick parent keys; (4) each group fills
its other columns around the fixed ones; (5) integers become text and text
columns are realised; columns nothing constrains come from the value layer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import sqlglot
from sqlglot import exp

from fraiseql_data.constraints import ir
from fraiseql_data.constraints.compile import CompiledCheck, CompiledTable
from fraiseql_data.constraints.encoding import Encoding, Kind
from fraiseql_data.constraints.evaluate import violations
from fraiseql_data.constraints.text import PATTERN_LENGTH_CAP, TextFacts, language, transformed
from fraiseql_data.constraints.translate import day_number, second_number
from fraiseql_data.errors import CapacityError, ConstraintRef, UnsatisfiableError, UnsupportedError
from fraiseql_data.schema.model import DefaultKind, ForeignKey, Schema, Table, TypeRef, Unique
from fraiseql_data.solver.batch import Batch, Strings
from fraiseql_data.solver.decode import decode
from fraiseql_data.solver.fanout import UNIFORM, Fanout, TreeShape, pick_parents, tree_parents
from fraiseql_data.solver.group import ColumnSpec, GroupSolver
from fraiseql_data.solver.keys import ENUMERATE_LIMIT, Component, decompose, product_space
from fraiseql_data.solver.sampling import distinct_ranks
from fraiseql_data.solver.strings import TextColumn, base36, realise, trusted_matches
from fraiseql_data.values.distributions import parse as parse_distribution
from fraiseql_data.values.identity import UUIDMode, trinity_ids
from fraiseql_data.values.names import draw, pool, provider, slugify, strip_rank, with_rank
from fraiseql_data.values.types import UnknownTypeError, sample_type

Texts = list[str | None]
TEXT_ROUNDS = 8
BLOCK_ROWS = 65_536  # rows realised at a time; part of the output's definition (blocks are seeded by number)


DEFAULT_CLOCK = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # anchors realistic dates; fixed for determinism


@dataclass(frozen=True)
class GenerateOptions:
    seed: int = 0
    as_of: dt.datetime = DEFAULT_CLOCK
    null_rate: float = 0.1
    locale: str = "en_US"  # Faker locale for values chosen by column name
    realistic: bool = True  # False: no name-based providers (faster, plainer)
    uuid: UUIDMode = "pattern"  # Trinity `id`s: fraiseql-uuid pattern ids, or seeded random UUID v4s
    scenario: int = 0  # carried in pattern ids (0..9999)
    test_case: int = 0  # carried in pattern ids (0..99)
    table_codes: tuple[tuple[str, int], ...] = ()  # pinned (qualified table, code); the others derived
    distributions: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # table → column → SPEC
    null_rates: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # table → column → rate
    children: Mapping[tuple[str, str], Fanout] = field(default_factory=dict)  # (table, FK name) → fan-out
    trees: Mapping[tuple[str, str], TreeShape] = field(default_factory=dict)  # (table, self-FK column) → shape


@dataclass
class TableData:
    """A generated table: text per column, encoded integers where there are some."""

    table: Table
    n: int
    columns: tuple[str, ...]
    text: dict[str, Texts]
    encoded: dict[str, np.ndarray] = field(default_factory=dict)
    nulls: dict[str, np.ndarray] = field(default_factory=dict)
    limit: str | None = None  # the constraint that capped the row count, if one did

    def take(self, mask: np.ndarray) -> TableData:
        """The rows where `mask` holds, in order."""
        if mask.all():
            return self
        index = np.flatnonzero(mask).tolist()
        return TableData(self.table, len(index), self.columns,
                         {c: [values[i] for i in index] for c, values in self.text.items()},
                         {c: v[mask] for c, v in self.encoded.items()}, {c: v[mask] for c, v in self.nulls.items()},
                         self.limit)

    def rows(self) -> list[tuple[str | None, ...]]:
        return list(zip(*(self.text[c] for c in self.columns), strict=True)) if self.columns else []

    @classmethod
    def join(cls, table: Table, limit: str | None, parts: list[TableData], n: int) -> TableData:
        """Blocks of one table, in order, as one."""
        if len(parts) == 1:
            parts[0].limit = limit
            return parts[0]
        columns = tuple(c.name for c in table.columns if c.generated is None)
        if not parts:
            return TableData(table, 0, columns, {c: [] for c in columns}, limit=limit)
        text = {c: [v for part in parts for v in part.text[c]] for c in parts[0].text}
        encoded = {c: np.concatenate([part.encoded[c] for part in parts]) for c in parts[0].encoded}
        nulls = {c: np.concatenate([part.nulls[c] for part in parts]) for c in parts[0].nulls}
        return TableData(table, n, columns, text, encoded, nulls, limit)

    def retained(self, columns: set[str]) -> TableData:
        """Only what other tables read (their foreign keys' referenced columns): a streamed
        table's rows are gone once written, but children still pick parents from these."""
        return TableData(self.table, self.n, self.columns, {c: v for c, v in self.text.items() if c in columns},
                         {c: v for c, v in self.encoded.items() if c in columns},
                         {c: v for c, v in self.nulls.items() if c in columns}, self.limit)


@dataclass
class TablePlan:
    """What is decided across rows before any block is realised (see `TableGenerator.plan`)."""

    n: int
    limit: str | None
    specs: dict[str, ColumnSpec]
    fixed: dict[str, tuple[np.ndarray, np.ndarray]]  # keys and foreign keys, every row
    solvers: list[GroupSolver]
    unique_text: dict[str, str]  # column → the transform its uniqueness is under
    seen: dict[str, set[str | None]] = field(default_factory=dict)  # unique free values so far, by column

    @property
    def blocks(self) -> int:
        return max(1, -(-self.n // BLOCK_ROWS))


@dataclass(frozen=True)
class Rows:
    """The block being realised: global row numbers [start, stop) of `total`."""

    start: int
    stop: int
    total: int
    suffix: tuple[str, ...]  # the block's random streams are its own (none for the first block)


def stream(options: GenerateOptions, *parts: str) -> np.random.Generator:
    """An independent random stream per (seed, table, column, purpose)."""
    digest = hashlib.blake2b("\x1f".join((str(options.seed), *parts)).encode(), digest_size=16).digest()
    return np.random.default_rng(int.from_bytes(digest, "big"))


def window_for(as_of: dt.datetime):
    """Realistic sub-ranges for each kind, clipped to the solved domain by the sampler."""
    today = day_number(as_of.date())
    now = second_number(as_of)

    def window(encoding: Encoding, lo: int, hi: int) -> tuple[int, int]:
        kind = encoding.kind
        if kind is Kind.DATE:
            return today - 3650, today + 365
        if kind in (Kind.TIMESTAMP, Kind.TIMESTAMPTZ):
            return now - 3 * 365 * 86_400, now
        if kind is Kind.TEXT:
            return max(lo, 1), 40
        if kind in (Kind.NUMERIC, Kind.FLOAT):
            return 0, 10_000 * 10**encoding.scale
        if kind is Kind.INT:
            return 0, 10_000
        return lo, hi

    return window


def key_transform(key: Unique, column: str) -> str:
    """'lower', 'upper' or 'btrim' when an expression index keys the column through it ('' otherwise)."""
    for element in key.expressions or ():
        try:
            tree = sqlglot.parse_one(element, read="postgres")
        except sqlglot.errors.ParseError:
            continue
        for fold, name in ((exp.Lower, "lower"), (exp.Upper, "upper"), (exp.Trim, "btrim")):
            if isinstance(tree, fold) and isinstance(tree.this, exp.Column) and tree.this.name == column:
                return name
    return ""


def keep_rows(fixed: dict[str, tuple[np.ndarray, np.ndarray]], rows: slice | np.ndarray) -> None:
    """Cut every already drawn column (values and nulls) to the same rows, in place."""
    for name, (values, null) in fixed.items():
        fixed[name] = (values[rows], null[rows])


def looks_like_name(column: str) -> bool:
    """'name', 'title', 'label' and '*_name' columns read better capitalised."""
    return column in ("name", "title", "label") or column.endswith("_name")


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


class TableGenerator:
    def __init__(self, compiled: CompiledTable, schema: Schema, options: GenerateOptions,
                 parents: dict[str, TableData]) -> None:
        self.compiled = compiled
        self.table = compiled.table
        self.schema = schema
        self.options = options
        self.parents = parents
        self.window = window_for(options.as_of)
        self.columns = tuple(c.name for c in self.table.columns if c.generated is None)
        self.checks = [c for c in compiled.translated if c.columns]
        for check in compiled.translated:  # a CHECK that reads no column is a constant
            if not check.columns and violations(Batch(1, {}), [check.pred]).any():  # type: ignore[list-item]
                raise UnsatisfiableError(self.table.qualified, [ConstraintRef(check.name, check.sql)])
        self.groups = self.find_groups()
        self.rows = Rows(0, 0, 0, ())
        self.fk_of: dict[str, ForeignKey] = {}
        self.shaped: set[str] = set()  # foreign keys drawn by their fan-out before a wider key (draw_shaped_keys)
        self.parent_texts: dict[str, list[str | None]] = {}
        self.facts: dict[str, TextFacts] = {}
        for fk in self.table.foreign_keys:
            for column in fk.columns:
                self.fk_of.setdefault(column, fk)

    def rng(self, *parts: str) -> np.random.Generator:
        return stream(self.options, self.table.qualified, *parts)

    def rank_key(self, column: str) -> int:
        """The column's key for unique strings by row number: the same in every block."""
        return int(self.rng("rank", column).integers(1 << 62))

    def block_rng(self, *parts: str) -> np.random.Generator:
        return stream(self.options, self.table.qualified, *parts, *self.rows.suffix)

    def find_groups(self) -> list[tuple[list[str], list[CompiledCheck]]]:
        links = UnionFind()
        for check in self.checks:
            first, *rest = check.columns
            links.find(first)
            for other in rest:
                links.union(first, other)
        columns: dict[str, list[str]] = {}
        for name in self.columns:
            if name in links.parent:
                columns.setdefault(links.find(name), []).append(name)
        checks: dict[str, list[CompiledCheck]] = {}
        for check in self.checks:
            checks.setdefault(links.find(check.columns[0]), []).append(check)
        return [(columns[root], checks[root]) for root in sorted(columns, key=lambda r: columns[r][0])]

    # ── the whole table ──────────────────────────────────────────────────────
    def generate(self, requested: int) -> TableData:
        """Every row at once: the plan, then its blocks joined."""
        plan = self.plan(requested)
        return TableData.join(self.table, plan.limit, [self.block(plan, k) for k in range(plan.blocks)], plan.n)

    def plan(self, requested: int) -> TablePlan:
        """Everything decided across rows: the row count, keys and foreign keys (compact numpy
        arrays), and each CHECK group proved and narrowed. Blocks are realised from it."""
        rates = self.options.null_rates.get(self.table.qualified, {})
        shapes = self.options.distributions.get(self.table.qualified, {})
        specs = {name: ColumnSpec(name, self.compiled.encodings[name], self.compiled.nullable[name],
                                  rates.get(name, self.options.null_rate),
                                  distribution=parse_distribution(shapes[name], self.compiled.encodings[name])
                                  if name in shapes else None) for name in self.columns}
        parent_keys = self.attach_foreign_keys(specs)
        solvers = self.prepare_groups(specs)
        n, limit = self.count(requested, specs)
        fixed: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        unique_text: dict[str, str] = {}  # column → transform its uniqueness is under
        sequence = self.sequences(n)
        for name, values in sequence.items():
            fixed[name] = (values, np.zeros(n, dtype=bool))
        n, key_limit = self.draw_keys(n, specs, solvers, fixed, unique_text, parent_keys)
        limit = limit or key_limit
        keep_rows(fixed, slice(n))
        self.draw_foreign_keys(n, specs, fixed, parent_keys)
        return TablePlan(n, limit, specs, fixed, solvers, unique_text)

    def block(self, plan: TablePlan, k: int) -> TableData:
        """Rows [k·BLOCK_ROWS, (k+1)·BLOCK_ROWS) of the plan: a pure function of (plan, k), so blocks
        can be made in any order, by any process, and streamed without holding the table."""
        start, stop = k * BLOCK_ROWS, min((k + 1) * BLOCK_ROWS, plan.n)
        self.rows = Rows(start, stop, plan.n, () if k == 0 else (f"block{k}",))
        for name, spec in plan.specs.items():
            arrays = plan.fixed.get(name)
            spec.fixed = None if arrays is None else (arrays[0][start:stop], arrays[1][start:stop])
        data = TableData(self.table, stop - start, self.columns, {})
        for (columns, checks), solver in zip(self.groups, plan.solvers, strict=True):
            self.fill_group(data, columns, checks, solver, plan.specs, plan.unique_text)
        for name in self.columns:
            if name not in data.text:
                self.fill_free(data, name, plan.specs[name], plan)
        self.derive_slugs(data, plan.unique_text)
        return data

    # ── groups ───────────────────────────────────────────────────────────────
    def prepare_groups(self, specs: dict[str, ColumnSpec]) -> list[GroupSolver]:
        solvers = []
        for columns, checks in self.groups:
            for name in columns:
                if self.compiled.encodings[name].kind is Kind.OTHER:
                    raise UnsupportedError(self.table.qualified, f"column {name}",
                                           "a CHECK reads a column whose type has no solver encoding")
            facts = {name: TextFacts.build(name, [c.pred for c in checks if c.pred is not None],
                                           min(self.compiled.encodings[name].max_len, 10_000))
                     for name in columns if self.compiled.encodings[name].kind is Kind.TEXT}
            self.facts.update(facts)
            solver = GroupSolver(self.table.qualified, checks, {c: specs[c] for c in columns}, facts, self.window)
            solver.prove()
            solver.narrow()
            solvers.append(solver)
        return solvers

    def fill_group(self, data: TableData, columns: list[str], checks: list[CompiledCheck], solver: GroupSolver,
                   specs: dict[str, ColumnSpec], unique_text: dict[str, str]) -> None:
        n = data.n
        batch = Batch(n, solver.facts)
        for name in columns:
            spec = specs[name]
            if spec.fixed is None:
                continue
            values, batch.nulls[name] = spec.fixed
            if spec.encoding.kind is not Kind.TEXT:
                batch.values[name] = values
                continue
            facts = solver.facts[name]  # a literal index drawn by a key
            batch.choice[name] = values
            batch.length[name] = np.array([len(lit) for lit in facts.literals] + [0])[values]
            for match in facts.pattern_lengths:
                flags = [facts.literal_matches[(match, i)] for i in range(len(facts.literals))] + [False]
                batch.match[match] = np.array(flags)[values]
        solver.fill(batch, self.block_rng("group", columns[0]))
        preds = [c.pred for c in checks if c.pred is not None]
        text_columns = [c for c in columns if self.compiled.encodings[c].kind is Kind.TEXT]
        for name in columns:
            if name not in text_columns:
                values, null = batch.values[name], batch.null(name)
                data.encoded[name], data.nulls[name] = values, null
                data.text[name] = decode(self.compiled.encodings[name], values, null)
        if text_columns:
            self.realise_text(data, batch, text_columns, preds, solver, unique_text)

    def realise_text(self, data: TableData, batch: Batch, names: list[str], preds: list[ir.Pred],
                     solver: GroupSolver, unique_text: dict[str, str]) -> None:
        measured = {node.column for p in preds for node in ir.walk(p) if isinstance(node, ir.TextLength)}
        ids = np.arange(self.rows.start, self.rows.stop)
        rng = self.block_rng("text", names[0])
        trusted: dict[ir.Match, np.ndarray] = {}
        for name in names:
            column = TextColumn(
                name, solver.facts[name], batch.null(name), batch.choice[name],
                batch.length[name] if name in measured else None,
                {m: b for m, b in batch.match.items() if m.column == name},
                self.compiled.encodings[name].max_len, unique=name in unique_text, pool=self.pool(name),
                capitalised=looks_like_name(name), rank_key=self.rank_key(name),
                population=self.rows.total)
            try:
                data.text[name] = realise(column, rng, ids)
            except ValueError:  # more distinct strings asked of a pattern than its language holds
                raise self.pattern_capacity(name, column) from None
            trusted.update(trusted_matches(column))
        strings = Strings(batch, {n: data.text[n] for n in names}, trusted)
        for _ in range(TEXT_ROUNDS):
            bad = violations(strings, preds) | self.duplicates(data, names, unique_text)
            if not bad.any():
                return
            rows = np.flatnonzero(bad)
            for name in names:
                column = TextColumn(
                    name, solver.facts[name], batch.null(name)[rows], batch.choice[name][rows],
                    batch.length[name][rows] if name in measured else None,
                    {m: b[rows] for m, b in batch.match.items() if m.column == name},
                    self.compiled.encodings[name].max_len, unique=name in unique_text, pool=self.pool(name),
                    capitalised=looks_like_name(name), rank_key=self.rank_key(name),
                population=self.rows.total)
                redone = realise(column, rng, ids[rows] + self.rows.total * (_ + 1))
                for row, text in zip(rows.tolist(), redone, strict=True):
                    data.text[name][row] = text
        failed = [c for c in self.checks if set(c.columns) & set(names)]
        raise UnsatisfiableError(self.table.qualified, [ConstraintRef(c.name, c.sql) for c in failed],
                                 hint="no strings could be realised for them (report this with the schema)")

    def text_capacity(self, column: str, solvers: list[GroupSolver]) -> tuple[int, str]:
        """How many distinct strings a text column can hold: a pattern every row must match bounds it,
        and so does a short length limit (distinct values are drawn as base-36 ranks there)."""
        max_len = self.compiled.encodings[column].max_len
        short = (36**max_len // 2, "") if max_len <= 8 else (2**63, "")
        for solver in solvers:
            facts = solver.facts.get(column)
            if facts is None:
                continue
            best, name = 2**63, ""
            for match, bit in solver.row.vars.match.items():
                if match.column == column and not solver.feasible(bit, False):
                    top = min(facts.max_len, PATTERN_LENGTH_CAP)
                    count = language(match).count(0, top)
                    if count < best:
                        best, name = count, next((c.name for c in solver.checks if column in c.columns), "")
            return min((best, name), short)
        return short

    def pattern_capacity(self, name: str, column: TextColumn) -> CapacityError:
        patterns = sorted(column.bits, key=lambda m: (m.kind, m.pattern))
        capacity = min((language(m).count(0, min(column.max_len, PATTERN_LENGTH_CAP)) for m in patterns),
                       default=0)
        checks = "; ".join(f"CHECK {c.name} ({c.sql})" for c in self.checks if name in c.columns)
        return CapacityError(self.table.qualified, f"UNIQUE ({name}) with {checks}", capacity,
                             int((~column.null).sum()))

    @staticmethod
    def duplicates(data: TableData, names: list[str], unique_text: dict[str, str]) -> np.ndarray:
        bad = np.zeros(data.n, dtype=bool)
        for name in names:
            if name not in unique_text:
                continue
            seen: set[str] = set()
            for row, text in enumerate(data.text[name]):
                if text is None:
                    continue
                text = transformed(text, unique_text[name])
                if text in seen:
                    bad[row] = True
                seen.add(text)
        return bad

    # ── columns nothing constrains ──────────────────────────────────────────
    def fill_free(self, data: TableData, name: str, spec: ColumnSpec, plan: TablePlan) -> None:
        n = data.n
        rng = self.block_rng("free", name)
        if spec.fixed is not None:
            values, null = spec.fixed
            data.nulls[name] = null
            if spec.encoding.kind in (Kind.TEXT, Kind.OTHER):  # a parent's text key, by row index
                data.text[name] = self.parent_text(name, values, null)
            else:
                data.encoded[name] = values
                data.text[name] = decode(spec.encoding, values, null)
            return
        column = self.table.column(name)
        ids = trinity_ids(self.schema, self.table, name, n, options=self.options, start=self.rows.start)
        if ids is not None:
            data.text[name] = ids  # type: ignore[assignment]
            return
        try:
            recognisable = draw(rng, self.pool(name), n, spec.encoding.max_len) if spec.encoding.kind is Kind.TEXT \
                else None
            texts: Texts = list(recognisable or sample_type(column.type, self.schema, rng, n)) \
                if spec.distribution is None else decode(spec.encoding, spec.distribution.sample(
                    rng, n, spec.encoding.lo, spec.encoding.hi), np.zeros(n, dtype=bool))
        except UnknownTypeError as error:
            if spec.nullable:
                data.text[name] = [None] * n
                return
            raise UnsupportedError(self.table.qualified, f"column {name} ({column.type})",
                                   f"{error}; make the column nullable or pass a value for it") from None
        if name in plan.unique_text:
            texts = self.distinct(column.type, spec, texts, rng, plan.seen.setdefault(name, set()))
        elif spec.nullable:
            null = rng.random(n) < spec.null_rate
            texts = [None if z else t for t, z in zip(texts, null.tolist(), strict=True)]
        data.text[name] = texts

    def distinct(self, type_: TypeRef, spec: ColumnSpec, texts: Texts, rng: np.random.Generator,
                 seen: set[str | None]) -> Texts:
        """Make a unique column's free values distinct: a rank suffix for text (the global row number,
        so blocks never clash), re-draws against every value so far otherwise."""
        if spec.encoding.kind is Kind.TEXT:
            return [with_rank(t or "", rank, spec.encoding.max_len) if len(str(rank)) < spec.encoding.max_len
                    else base36(rank)[-spec.encoding.max_len:]
                    for rank, t in enumerate(texts, start=self.rows.start + 1)]
        out = list(texts)
        for row, value in enumerate(out):
            tries = 0
            while value in seen:
                if tries == 50:
                    raise UnsupportedError(self.table.qualified, f"unique column {spec.name} ({type_})",
                                           "cannot draw enough distinct values of this type; override it")
                value = sample_type(type_, self.schema, rng, 1)[0]
                tries += 1
            seen.add(value)
            out[row] = value
        return out

    def pool(self, name: str) -> tuple[str, ...]:
        """Recognisable values for a text column, by its name ('email', 'city', ...); empty if none."""
        if not self.options.realistic:
            return ()
        method = provider(self.table, name, self.table.column(name).type)
        return pool(self.options.locale, method, self.options.seed) if method else ()

    def derive_slugs(self, data: TableData, unique_text: dict[str, str]) -> None:
        """A unique `identifier`/`slug` column reads like the row's name: `acme-printers-3`.

        Kept only where the column's own CHECKs still hold; elsewhere the solver's value stays.
        """
        source = next((c for c in ("name", "title", "label", "display_name") if c in data.text), None)
        if source is None or not self.options.realistic:
            return
        for name in ("identifier", "slug"):
            if name not in unique_text or unique_text[name] or name not in data.text:
                continue
            max_len = self.compiled.encodings[name].max_len
            slugs = [None if old is None else with_rank(slugify(strip_rank(base or "")) or "item", rank, max_len)
                     for rank, (old, base) in enumerate(zip(data.text[name], data.text[source], strict=True),
                                                        start=self.rows.start + 1)]
            own = [c.pred for c in self.checks if set(c.columns) == {name} and c.pred is not None]
            batch = Batch(data.n, self.facts)
            bad = violations(Strings(batch, {name: slugs}), own) if own else np.zeros(data.n, dtype=bool)
            data.text[name] = [old if b else new
                               for old, new, b in zip(data.text[name], slugs, bad.tolist(), strict=True)]

    # ── keys ─────────────────────────────────────────────────────────────────
    def sequences(self, n: int) -> dict[str, np.ndarray]:
        """Identity and serial columns: 1..n, as PostgreSQL would number them."""
        found = {}
        for column in self.table.columns:
            numbered = column.identity is not None or column.default_kind == DefaultKind.SEQUENCE
            if column.name in self.fk_of:  # also a foreign key: its values come from the parent
                continue
            if any(column.name in cols for cols, _ in self.groups):  # a CHECK bounds it: drawn as a key
                continue
            if numbered and self.compiled.encodings[column.name].kind is Kind.INT:
                found[column.name] = np.arange(1, n + 1, dtype=np.int64)
        return found

    def key_components(self, key: Unique, specs: dict[str, ColumnSpec], solvers: list[GroupSolver],
                       parent_keys: dict[str, TableData], n: int,
                       fixed: dict[str, tuple[np.ndarray, np.ndarray]]) -> list[Component] | None:
        domains = {name: s.domains[name] for s in solvers for name in s.domains}
        components: list[Component] = []
        covered: set[str] = set()
        for name in key.columns:
            if name in covered:
                continue
            fk = self.fk_of.get(name)
            if fk is not None and fk.ref_qualified == self.table.qualified and len(fk.columns) == 1:
                target = fixed.get(fk.ref_columns[0])  # a self-reference: any row's key (same COPY)
                if target is None:
                    return None
                values = np.unique(target[0][~target[1]])
                components.append(Component((name,), int(values.size), {name: values}))
                covered.add(name)
                continue
            if fk is not None:
                if fk.name not in parent_keys:
                    return None
                components.append(self.parent_component(fk, key, parent_keys[fk.name]))
                covered |= set(fk.columns)
                continue
            encoding = specs[name].encoding
            domain = domains.get(name)
            if encoding.kind is Kind.TEXT and domain is not None:  # a literal set: draw literal indices
                literals = np.array(domain.choices, dtype=np.int64)
                components.append(Component((name,), int(literals.size), {name: literals}))
                covered.add(name)
                continue
            if encoding.kind in (Kind.TEXT, Kind.OTHER):
                return None
            lo, hi = (domain.lo, domain.hi) if domain else (encoding.lo, encoding.hi)
            wlo, whi = self.window(encoding, lo, hi)
            wlo, whi = max(lo, wlo), min(hi, whi)
            if wlo > whi:
                wlo, whi = lo, hi
            size = whi - wlo + 1
            if size < 4 * n:  # widen the window to leave room for distinct values
                whi = min(hi, wlo + 4 * n)
                wlo = max(lo, whi - 4 * n)
                size = whi - wlo + 1
            size = min(size, ENUMERATE_LIMIT * 8)
            components.append(Component((name,), size, {name: wlo + np.arange(size, dtype=np.int64)}))
            covered.add(name)
        return components

    @staticmethod
    def parent_component(fk: ForeignKey, key: Unique, parent: TableData) -> Component:
        """The parent rows a key's FK columns can take, one per distinct value of the key's part."""
        refs = dict(zip(fk.columns, fk.ref_columns, strict=True))
        usable = np.ones(parent.n, dtype=bool)
        for ref in fk.ref_columns:
            usable &= np.fromiter((v is not None for v in parent.text[ref]), dtype=bool, count=parent.n)
        rows = np.flatnonzero(usable)
        in_key = [c for c in fk.columns if c in key.columns]
        seen: dict[tuple[str | None, ...], int] = {}
        for row in rows.tolist():
            seen.setdefault(tuple(parent.text[refs[c]][row] for c in in_key), row)
        rows = np.array(sorted(seen.values()), dtype=np.int64)
        values = {}
        for column, ref in refs.items():
            if ref in parent.encoded:
                values[column] = parent.encoded[ref][rows]
            else:  # text keys travel as the parent's strings
                values[column] = np.array(parent.text[ref], dtype=object)[rows]
        return Component(fk.columns, int(rows.size), values)

    def draw_keys(self, n: int, specs: dict[str, ColumnSpec], solvers: list[GroupSolver],
                  fixed: dict[str, tuple[np.ndarray, np.ndarray]], unique_text: dict[str, str],
                  parent_keys: dict[str, TableData]) -> tuple[int, str | None]:
        limit = None
        for key in sorted(self.table.keys, key=lambda k: len(k.columns)):  # narrow keys first: they imply wider ones
            columns = set(key.columns)
            if self.cut_key(key, parent_keys):
                continue
            self.draw_shaped_keys(n, key, specs, fixed, parent_keys)
            if any(c in fixed and self.alone_unique(c, fixed) for c in columns):
                continue
            text = [c for c in key.columns if specs[c].encoding.kind in (Kind.TEXT, Kind.OTHER)
                    and c not in fixed and c not in self.fk_of and self.free_text(c, solvers)]
            if text:
                unique_text[text[0]] = key_transform(key, text[0])
                capacity, pattern = self.text_capacity(text[0], solvers)
                if capacity < n:  # a required pattern holds fewer distinct strings than rows
                    n = capacity
                    width = self.compiled.encodings[text[0]].max_len
                    limit = limit or (f"UNIQUE ({text[0]}) with CHECK {pattern}" if pattern
                                      else f"UNIQUE ({text[0]}) of at most {width} characters")
                    keep_rows(fixed, slice(n))
                continue
            drawn = [c for c in key.columns if c in fixed]
            rest = Unique(key.name, tuple(c for c in key.columns if c not in fixed), key.primary)
            components = self.key_components(rest, specs, solvers, parent_keys, n, fixed)
            if components is None or any(set(c.columns) & set(drawn) for c in components):
                raise UnsupportedError(self.table.qualified, f"unique key {key.name} ({', '.join(key.columns)})",
                                       "its columns cannot be drawn distinct yet (keys issue)")
            if drawn:  # partly drawn by an earlier key: distinct remainders within each drawn value
                keep, picked = self.distinct_within(key, components, [fixed[c] for c in drawn], n)
                if not keep.all():
                    limit = limit or self.describe_limit(key, [])
                    keep_rows(fixed, keep)
                    n = int(keep.sum())
            else:
                wanted = n
                n, picked, limit_here = self.distinct_tuples(key, components, n)
                nulls_fit = self.null_rows(key, specs, wanted, n, fixed)
                if nulls_fit:  # NULLs are distinct (or, under NULLS NOT DISTINCT, one NULL is): more rows fit
                    picked = [np.concatenate([index, np.full(nulls_fit, -1)]) for index in picked]
                    n += nulls_fit
                    limit_here = limit_here if n < wanted else None
                limit = limit or limit_here
            for component, index in zip(components, picked, strict=True):
                values, nulls = component.take(np.maximum(index, 0))
                for name in component.columns:
                    nulls[name] = nulls[name] | (index < 0)
                    if values[name].dtype == object:  # a parent's text key: carried as strings
                        self.parent_texts[name] = values[name].tolist()
                        specs[name].encoding = Encoding(Kind.OTHER, type=specs[name].encoding.type)
                        fixed[name] = (np.arange(index.size, dtype=np.int64), nulls[name])
                    else:
                        fixed[name] = (values[name], nulls[name])
            keep_rows(fixed, slice(n))
        return n, limit

    @staticmethod
    def null_rows(key: Unique, specs: dict[str, ColumnSpec], wanted: int, drawn: int,
                  fixed: dict[str, tuple[np.ndarray, np.ndarray]]) -> int:
        """How many rows beyond a full single-column key can hold NULL there instead."""
        missing = wanted - drawn
        if missing <= 0 or len(key.columns) != 1 or key.primary or not specs[key.columns[0]].nullable:
            return 0
        room = min((values.size for values, _ in fixed.values()), default=wanted) - drawn  # what other keys allow
        return max(0, min(1 if key.nulls_not_distinct else missing, room))

    @staticmethod
    def free_text(column: str, solvers: list[GroupSolver]) -> bool:
        """A text column that may hold strings other than compared literals (so can be made unique)."""
        for solver in solvers:
            if column in solver.domains and column in solver.facts:
                return len(solver.facts[column].literals) in solver.domains[column].choices
        return True

    @staticmethod
    def alone_unique(column: str, fixed: dict[str, tuple[np.ndarray, np.ndarray]]) -> bool:
        values, null = fixed[column]
        kept = values[~null] if null.any() else values
        if kept.size < 2 or bool((kept[1:] > kept[:-1]).all()):  # a sequence: increasing, so distinct
            return True
        ordered = np.sort(kept)
        return not bool((ordered[1:] == ordered[:-1]).any())

    def distinct_tuples(self, key: Unique, components: list[Component], n: int
                        ) -> tuple[int, list[np.ndarray], str | None]:
        """n distinct tuples, filtered by CHECKs that read only the key's columns."""
        rng = self.rng("key", key.name)
        space = product_space(components)
        key_columns = {c for comp in components for c in comp.columns}
        filters = [c for c in self.checks if set(c.columns) <= key_columns and c.pred is not None]
        limit = None
        if space <= ENUMERATE_LIMIT:
            ranks = rng.permutation(space).astype(np.int64)
            ranks = self.keep_valid(ranks, components, filters)
            if ranks.size < n:
                limit = self.describe_limit(key, filters)
                n = int(ranks.size)
            ranks = ranks[:n]
        else:
            ranks = distinct_ranks(rng, min(space, int(n * 1.3) + 32), space)
            ranks = self.keep_valid(ranks, components, filters)
            while ranks.size < n:  # filters rejected many: draw more, never repeating
                more = distinct_ranks(rng, min(space, 2 * n + 32), space)
                ranks = np.unique(np.concatenate([ranks, self.keep_valid(more, components, filters)]))
                ranks = rng.permutation(ranks)
            ranks = ranks[:n]
        return n, decompose(ranks, components), limit

    def distinct_within(self, key: Unique, components: list[Component],
                        drawn: list[tuple[np.ndarray, np.ndarray]], n: int) -> tuple[np.ndarray, list[np.ndarray]]:
        """Per group of rows sharing the already drawn key columns, distinct tuples of the rest.

        Rows of a group larger than the rest's product cannot be keyed and are dropped (keep=False).
        """
        rng = self.rng("key-within", key.name)
        space = product_space(components)
        stacked = np.stack([np.where(null, -1, values) for values, null in drawn], axis=1)
        _, group = np.unique(stacked, axis=0, return_inverse=True)
        group = group.reshape(-1)
        ranks = np.zeros(n, dtype=np.int64)
        keep = np.ones(n, dtype=bool)
        order = np.argsort(group, kind="stable")
        bounds = np.flatnonzero(np.diff(group[order])) + 1
        for rows in np.split(order, bounds):
            take = min(int(rows.size), space)
            ranks[rows[:take]] = distinct_ranks(rng, take, space)
            keep[rows[take:]] = False
        digits = decompose(ranks[keep], components)
        return keep, digits

    def keep_valid(self, ranks: np.ndarray, components: list[Component],
                   filters: list[CompiledCheck]) -> np.ndarray:
        if not filters or ranks.size == 0:
            return ranks
        batch = Batch(int(ranks.size), self.facts)
        for component, index in zip(components, decompose(ranks, components), strict=True):
            values, nulls = component.take(index)
            for name, array in values.items():
                (batch.choice if name in self.facts else batch.values)[name] = array
            batch.nulls.update(nulls)
        bad = violations(batch, [c.pred for c in filters if c.pred is not None])
        return ranks[~bad]

    def describe_limit(self, key: Unique, filters: list[CompiledCheck]) -> str:
        what = f"{'PRIMARY KEY' if key.primary else 'UNIQUE'} {key.name} ({', '.join(key.columns)})"
        if filters:
            what += " with " + "; ".join(f"CHECK {c.name} ({c.sql})" for c in filters)
        for name in key.columns:
            fk = self.fk_of.get(name)
            if fk is not None:
                what += f" over the rows of {fk.ref_qualified}"
                break
        return what

    # ── foreign keys ─────────────────────────────────────────────────────────
    def attach_foreign_keys(self, specs: dict[str, ColumnSpec]) -> dict[str, TableData]:
        """Parent data per FK; single-column encodable FKs become group choices."""
        found = {}
        for fk in self.table.foreign_keys:
            if fk.ref_qualified == self.table.qualified:
                if len(fk.columns) == 1:
                    specs[fk.columns[0]].tree = True
                continue
            parent = self.parents.get(fk.ref_qualified)
            if parent is None:
                continue
            found[fk.name] = parent
            if len(fk.columns) == 1 and fk.ref_columns[0] in parent.encoded:
                values = parent.encoded[fk.ref_columns[0]]
                kept = values[~parent.nulls.get(fk.ref_columns[0], np.zeros(values.size, dtype=bool))]
                specs[fk.columns[0]].choices = kept
        return found

    def count(self, requested: int, specs: dict[str, ColumnSpec]) -> tuple[int, str | None]:
        """Rows the foreign keys allow: a NOT NULL FK to an empty parent allows none, one with exact(N)
        children per parent N per usable parent row."""
        limit = None
        for fk in self.table.foreign_keys:
            parent = self.parents.get(fk.ref_qualified)
            if parent is None or all(specs[c].nullable for c in fk.columns):
                continue
            if parent.n == 0:
                return 0, f"FOREIGN KEY {fk.name} references {fk.ref_qualified}, which has no rows"
            fanout = self.fanout(fk)
            if fanout.kind == "exact":
                choices = specs[fk.columns[0]].choices if len(fk.columns) == 1 else None
                usable = choices.size if choices is not None else self.parents_allowed(fk, parent).size
                if usable * fanout.count < requested:
                    requested, limit = usable * fanout.count, f"FOREIGN KEY {fk.name} with {fanout} children per parent"
        return requested, limit

    def cut_key(self, key: Unique, parent_keys: dict[str, TableData]) -> bool:
        """A key on a foreign key cut to break a cycle (its parent comes later): the run fills it, distinct,
        once the parent's rows exist (generate.fill_broken). Not when other keys reference its columns:
        their children would need the values before they exist."""
        fk = self.fk_of.get(key.columns[0])
        if fk is None or not set(key.columns) <= set(fk.columns) or fk.name in parent_keys \
                or fk.ref_qualified == self.table.qualified:
            return False
        return not any(ref.ref_qualified == self.table.qualified and set(ref.ref_columns) & set(key.columns)
                       for table in self.schema.tables for ref in table.foreign_keys)

    def draw_shaped_keys(self, n: int, key: Unique, specs: dict[str, ColumnSpec],
                         fixed: dict[str, tuple[np.ndarray, np.ndarray]], parent_keys: dict[str, TableData]) -> None:
        """A key's foreign keys with a --children fan-out are drawn first, by that fan-out; the key then
        takes distinct values of its other columns within each parent (invoice lines under one invoice)."""
        for fk in self.table.foreign_keys:
            if (self.table.qualified, fk.name) in self.options.children and set(fk.columns) < set(key.columns) \
                    and fk.name in parent_keys and not any(c in fixed for c in fk.columns):
                self.shaped.add(fk.name)
                self.draw_foreign_keys(n, specs, fixed, parent_keys, only=fk)

    def fanout(self, fk: ForeignKey) -> Fanout:
        return self.options.children.get((self.table.qualified, fk.name), UNIFORM)

    def refuse_shape(self, fk: ForeignKey, where: str) -> None:
        """A fan-out or tree shape asked of a foreign key that is drawn elsewhere (keys, CHECK groups)."""
        if (self.table.qualified, fk.name) in self.options.children or \
                (self.table.qualified, fk.columns[0]) in self.options.trees:
            raise UnsupportedError(self.table.qualified, f"--children/--tree on {fk.name} ({', '.join(fk.columns)})",
                                   f"its values are drawn {where}, where fan-out and tree shape are not supported")

    def draw_foreign_keys(self, n: int, specs: dict[str, ColumnSpec],
                          fixed: dict[str, tuple[np.ndarray, np.ndarray]], parent_keys: dict[str, TableData],
                          only: ForeignKey | None = None) -> None:
        """Composite and non-numeric FKs: whole parent tuples per row, fixed before the groups
        (`only`: just that one, drawn before the keys)."""
        in_groups = {c for cols, _ in self.groups for c in cols}
        for fk in (only,) if only is not None else self.table.foreign_keys:
            if any(c in fixed for c in fk.columns):
                if fk.name not in self.shaped:
                    self.refuse_shape(fk, "as part of a unique key")
                continue
            spec = specs[fk.columns[0]]
            if spec.tree:
                target = fixed.get(fk.ref_columns[0])
                if target is None or target[1].any():
                    raise UnsupportedError(
                        self.table.qualified, f"self-reference {fk.name} ({', '.join(fk.columns)})",
                        f"it references {fk.ref_columns[0]}, whose values are not drawn before the rest of the row "
                        "yet (keys issue)")
                spec.tree_values = target[0]
                if fk.columns[0] not in in_groups:
                    self.draw_tree(n, spec, target[0], fixed)
                else:
                    self.refuse_shape(fk, "by the solver of a CHECK on them")
                continue
            if fk.name not in parent_keys:
                continue
            if len(fk.columns) == 1 and specs[fk.columns[0]].choices is not None:
                if fk.columns[0] not in in_groups:
                    self.draw_single_fk(n, fk, specs[fk.columns[0]], fixed)
                else:
                    self.refuse_shape(fk, "by the solver of a CHECK on them")
                continue
            parent = parent_keys[fk.name]
            rng = self.rng("fk", fk.name)
            allowed = self.parents_allowed(fk, parent)
            fanout = self.fanout(fk)
            index = pick_parents(rng, fanout, allowed.size, n) if allowed.size else np.zeros(n, dtype=np.int64)
            pick = allowed[np.maximum(index, 0)] if allowed.size else index
            nullable = all(specs[c].nullable for c in fk.columns)
            null = (rng.random(n) < self.options.null_rate) if nullable and fanout.kind != "exact" \
                else np.zeros(n, dtype=bool)
            null |= index < 0  # beyond exact(N) per parent: only reached by a nullable key (count() caps the rest)
            if parent.n == 0:
                null[:] = True
            for column, ref in zip(fk.columns, fk.ref_columns, strict=True):
                if ref in parent.encoded:
                    fixed[column] = (parent.encoded[ref][pick] if parent.n else np.zeros(n, dtype=np.int64), null)
                else:
                    specs[column].encoding = Encoding(Kind.OTHER, type=specs[column].encoding.type)
                    fixed[column] = (pick, null | (parent.n == 0))
                    self.parent_texts[column] = list(parent.text[ref]) or [None]

    def parents_allowed(self, fk: ForeignKey, parent: TableData) -> np.ndarray:
        """The parent rows whose key satisfies this table's CHECKs that read only the FK's columns."""
        rows = np.arange(parent.n)
        filters = [c.pred for c in self.checks if set(c.columns) <= set(fk.columns) and c.pred is not None]
        refs = dict(zip(fk.columns, fk.ref_columns, strict=True))
        if not filters or parent.n == 0 or not all(refs[c] in parent.encoded for c in fk.columns):
            return rows
        batch = Batch(parent.n, {}, values={c: parent.encoded[refs[c]] for c in fk.columns},
                      nulls={c: parent.nulls.get(refs[c], np.zeros(parent.n, dtype=bool)) for c in fk.columns})
        allowed = rows[~violations(batch, filters)]
        if allowed.size == 0:
            failing = [c for c in self.checks if set(c.columns) <= set(fk.columns)]
            raise UnsatisfiableError(self.table.qualified, [ConstraintRef(c.name, c.sql) for c in failing],
                                     hint=f"no row of {fk.ref_qualified} has a key they accept ({fk.name})")
        return allowed

    def draw_single_fk(self, n: int, fk: ForeignKey, spec: ColumnSpec,
                       fixed: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
        rng = self.rng("fk", fk.name)
        choices = spec.choices
        assert choices is not None
        fanout = self.fanout(fk)  # exact(N): every row has a parent, as far as the parents' slots go
        random_null = spec.nullable and fanout.kind != "exact"
        null = (rng.random(n) < self.options.null_rate) if random_null else np.zeros(n, dtype=bool)
        if choices.size == 0:
            null[:] = True
            fixed[spec.name] = (np.zeros(n, dtype=np.int64), null)
            return
        pick = pick_parents(rng, fanout, choices.size, n)
        fixed[spec.name] = (choices[np.maximum(pick, 0)], null | (pick < 0))

    def draw_tree(self, n: int, spec: ColumnSpec, pk: np.ndarray,
                  fixed: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
        """A self-reference as a forest of bounded depth and fan-out (fanout.tree_parents): each row points at
        an earlier row; roots at none, or at themselves where the column is NOT NULL."""
        shape = self.options.trees.get((self.table.qualified, spec.name), TreeShape())
        parents = tree_parents(self.rng("tree", spec.name), shape, n)
        roots = parents < 0
        fixed[spec.name] = (pk[np.where(roots, np.arange(n), parents)], roots & spec.nullable)

    def parent_text(self, name: str, values: np.ndarray, null: np.ndarray) -> Texts:
        texts = self.parent_texts[name]
        return [None if z else texts[i] for i, z in zip(values.tolist(), null.tolist(), strict=True)]
