"""How many children each parent row gets: foreign-key fan-out and self-reference trees.

Uniform picks are what a foreign key gets by default, but real data is rarely
flat: a few customers place most orders (zipf), an invoice has exactly three
lines (exact), categories nest a few levels deep with a handful of roots (tree).
These are pure functions of a numpy Generator, so the same seed gives the same
rows; the table generator only calls them where it draws foreign keys.

Specs are spelled as the CLI takes them: `--children TABLE.COLUMN=zipf(1.5)`,
`--children TABLE.COLUMN=exact(3)`, `--tree TABLE.COLUMN=depth:4,fanout:5,roots:2`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from fraiseql_data.errors import FraiseQLDataError
from fraiseql_data.schema.model import ForeignKey, Schema, Table

CHILDREN_SPEC = re.compile(r"\s*(uniform|zipf|exact)\s*(?:\(\s*([^)]*?)\s*\))?\s*", re.IGNORECASE)
DEFAULT_DEPTH = 5  # levels, roots included: category trees and org charts rarely go deeper
DEFAULT_FANOUT = 5  # at most this many children per node
MAX_DEFAULT_ROOTS = 5  # "a handful" of roots, unless depth and fan-out need more to hold every row


class FanoutSpecError(FraiseQLDataError, ValueError):
    """A --children or --tree value that does not parse or names no suitable foreign key."""

    def __init__(self, argument: str, value: str, reason: str) -> None:
        super().__init__(f"{argument} {value!r}: {reason}")


@dataclass(frozen=True)
class Fanout:
    """Children per parent: `uniform`, `zipf` with exponent `a` (> 1), or `exact` with `count` each."""

    kind: Literal["uniform", "zipf", "exact"] = "uniform"
    a: float = 0.0
    count: int = 0

    def __str__(self) -> str:
        return {"uniform": "uniform", "zipf": f"zipf({self.a:g})", "exact": f"exact({self.count})"}[self.kind]


@dataclass(frozen=True)
class TreeShape:
    """A self-reference's forest: at most `depth` levels and `fanout` children per node."""

    depth: int = DEFAULT_DEPTH
    fanout: int = DEFAULT_FANOUT
    roots: int | None = None  # None: a handful, more only when depth × fan-out cannot hold the rows


UNIFORM = Fanout()


def parse_children(value: str, argument: str = "--children", target: str = "") -> Fanout:
    """'uniform', 'zipf(1.5)' or 'exact(3)' → a Fanout; an error names the argument (and `target`, if given)."""
    shown = f"{target}={value}" if target else value
    match = CHILDREN_SPEC.fullmatch(value)
    if match is None:
        raise FanoutSpecError(argument, shown, "expected uniform, zipf(A) with A > 1, or exact(N) with N >= 1")
    kind, arg = match.group(1).lower(), match.group(2)
    if kind == "uniform":
        if arg:
            raise FanoutSpecError(argument, shown, "uniform takes no argument")
        return UNIFORM
    if kind == "zipf":
        try:
            a = float(arg or "")
        except ValueError:
            a = math.nan
        if not a > 1 or math.isinf(a):
            raise FanoutSpecError(argument, shown, "zipf(A) needs a finite exponent A > 1, e.g. zipf(1.5)")
        return Fanout("zipf", a=a)
    if not (arg or "").isdigit() or int(arg or "0") < 1:
        raise FanoutSpecError(argument, shown, "exact(N) needs a whole number N >= 1, e.g. exact(3)")
    return Fanout("exact", count=int(arg or "0"))


def parse_tree(value: str, argument: str = "--tree", target: str = "") -> TreeShape:
    """'depth:4,fanout:5,roots:2' (any subset, in any order) → a TreeShape."""
    shown = f"{target}={value}" if target else value
    fields: dict[str, int] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        key, sep, number = (s.strip() for s in item.partition(":"))
        if not sep or key not in ("depth", "fanout", "roots") or not number.isdigit() or int(number) < 1:
            raise FanoutSpecError(argument, shown,
                                  "expected depth:N, fanout:N and/or roots:N (whole numbers >= 1), comma-separated")
        if key in fields:
            raise FanoutSpecError(argument, shown, f"{key} is given twice")
        fields[key] = int(number)
    return TreeShape(**fields)


# ── resolving TABLE.COLUMN to foreign keys ───────────────────────────────────
def find_fk(schema: Schema, target: str, argument: str, value: str) -> tuple[Table, ForeignKey]:
    """The foreign key `table.column` names: by one of its columns, or by its constraint name."""
    table_name, dot, column = target.rpartition(".")
    if not dot or not table_name or not column:
        raise FanoutSpecError(argument, value, "expected TABLE.COLUMN=SPEC (TABLE may be schema-qualified)")
    try:
        table = schema.table(table_name)
    except KeyError as error:  # UnknownTableError: keep its list of known tables
        raise FanoutSpecError(argument, value, str(error)) from None
    for fk in table.foreign_keys:
        if column in fk.columns or column == fk.name:
            return table, fk
    keys = ", ".join(f"{fk.name} ({', '.join(fk.columns)})" for fk in table.foreign_keys) or "none"
    raise FanoutSpecError(argument, value, f"{column!r} is no foreign-key column or constraint of {table.qualified} "
                                           f"(its foreign keys: {keys})")


def resolve_children(schema: Schema, specs: Mapping[str, str],
                     argument: str = "--children") -> dict[tuple[str, str], Fanout]:
    """User specs keyed 'table.column' → Fanout per (qualified table, foreign-key name)."""
    found: dict[tuple[str, str], Fanout] = {}
    for target, value in specs.items():
        shown = f"{target}={value}"
        table, fk = find_fk(schema, target, argument, shown)
        if fk.ref_qualified == table.qualified:
            raise FanoutSpecError(argument, shown, f"{fk.name} references its own table: shape it with --tree")
        found[(table.qualified, fk.name)] = parse_children(value, argument, target)
    return found


def resolve_trees(schema: Schema, specs: Mapping[str, str],
                  argument: str = "--tree") -> dict[tuple[str, str], TreeShape]:
    """User specs keyed 'table.column' → TreeShape per (qualified table, self-referencing column)."""
    found: dict[tuple[str, str], TreeShape] = {}
    for target, value in specs.items():
        shown = f"{target}={value}"
        table, fk = find_fk(schema, target, argument, shown)
        if fk.ref_qualified != table.qualified or len(fk.columns) != 1:
            raise FanoutSpecError(argument, shown, f"{fk.name} is not a single-column self-reference of "
                                                   f"{table.qualified}: use --children for other foreign keys")
        found[(table.qualified, fk.columns[0])] = parse_tree(value, argument, target)
    return found


def exact_rows(table: Table, children: Mapping[tuple[str, str], Fanout], parent_rows: Mapping[str, int]) -> int | None:
    """The row count exact(N) fan-outs ask of `table` (parent rows × N, the least over its keys), if any."""
    counts = [parent_rows[fk.ref_qualified] * fanout.count for fk in table.foreign_keys
              if (fanout := children.get((table.qualified, fk.name))) is not None and fanout.kind == "exact"
              and fk.ref_qualified in parent_rows]
    return min(counts) if counts else None


# ── drawing ──────────────────────────────────────────────────────────────────
def pick_parents(rng: np.random.Generator, fanout: Fanout, parents: int, n: int) -> np.ndarray:
    """For each of n child rows, the index of its parent in [0, parents); -1 where exact(N) has no room left.

    Uniform is the draw a foreign key always had (one `integers` call), so default output is unchanged.
    """
    if fanout.kind == "uniform":
        return rng.integers(0, parents, n)
    if fanout.kind == "zipf":  # the k-th most popular parent (a random one) gets a share ∝ 1/k^a
        weights = 1.0 / np.arange(1, parents + 1, dtype=np.float64) ** fanout.a
        popular = rng.permutation(parents)
        return popular[rng.choice(parents, n, p=weights / weights.sum())]
    slots = parents * fanout.count  # N slots per parent, taken without replacement
    taken = min(n, slots)
    pick = np.full(n, -1, dtype=np.int64)
    pick[:taken] = rng.choice(slots, taken, replace=False) // fanout.count
    return pick


def subtree_size(fanout: int, levels: int, cap: int) -> int:
    """Nodes in a full tree of `levels` levels and `fanout` children per node, capped at `cap`."""
    total, width = 0, 1
    for _ in range(levels):
        total += width
        if total >= cap:
            return cap
        width *= fanout
    return total


def tree_parents(rng: np.random.Generator, shape: TreeShape, n: int) -> np.ndarray:
    """Each row's parent row (-1 for a root) in a forest within the shape's depth and fan-out.

    Rows come level by level, so a parent always precedes its children. Every level grows by about
    the factor that fills the remaining rows over the remaining levels, with per-node counts varying
    (binomial) within the fan-out; the counts are then nudged so the rest still fits below.
    """
    parent = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return parent
    per_root = subtree_size(shape.fanout, shape.depth, n)
    wanted = shape.roots if shape.roots is not None else max(1, min(MAX_DEFAULT_ROOTS, n // 50))
    roots = min(n, max(wanted, -(-n // per_root)))
    level = np.arange(roots, dtype=np.int64)
    placed, levels_below = roots, shape.depth - 1
    while placed < n:
        remaining = n - placed
        below = subtree_size(shape.fanout, levels_below, remaining)  # rows one child's subtree can hold
        least, most = -(-remaining // below), min(remaining, level.size * shape.fanout)
        growth = (remaining / level.size) ** (1 / levels_below)  # ≈ children per node to fill the levels left
        counts = rng.binomial(shape.fanout, min(growth / shape.fanout, 1.0), level.size)
        counts = nudge(rng, counts, least, most, shape.fanout)
        children = np.repeat(level, counts)
        parent[placed:placed + children.size] = children
        level = np.arange(placed, placed + children.size, dtype=np.int64)
        placed += children.size
        levels_below -= 1
    return parent


def nudge(rng: np.random.Generator, counts: np.ndarray, least: int, most: int, fanout: int) -> np.ndarray:
    """Children counts summing into [least, most], each within [0, fanout], changed at random slots."""
    total = int(counts.sum())
    owners = np.arange(counts.size)
    if total > most:  # drop random children
        slots = np.repeat(owners, counts)
        dropped = slots[rng.choice(total, total - most, replace=False)]
        return counts - np.bincount(dropped, minlength=counts.size)
    if total < least:  # add children where a node has room
        room = fanout - counts
        slots = np.repeat(owners, room)
        added = slots[rng.choice(slots.size, least - total, replace=False)]
        return counts + np.bincount(added, minlength=counts.size)
    return counts
