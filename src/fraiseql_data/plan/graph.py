"""The foreign-key graph: in which order tables can be filled, and where cycles are cut.

Edges run child -> parent. Tables are grouped into strongly connected
components and the components filled parents first. A component of two or more
tables is a cycle: no table in it can go first until some of its foreign keys
are cut, either because the key is DEFERRABLE (checked at commit, so the rows
may arrive in any order inside the one transaction) or because its columns take
NULL (insert NULL, UPDATE once the parent rows exist). Self-references are not
cycles for ordering: PostgreSQL checks a non-deferred key at the end of each
statement, so rows of one COPY may point at each other.

Everything is sorted by name, so the same schema always gives the same plan.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from graphlib import TopologicalSorter
from types import MappingProxyType
from typing import Literal

from fraiseql_data.errors import CycleError, UnknownTableError
from fraiseql_data.schema.model import Column, ForeignKey, Schema, Table

BreakHow = Literal["deferred", "update", "statement"]
Edge = tuple[str, str]  # (child, parent), qualified table names

# A deferred key costs nothing (values are filled normally); an UPDATE costs a second write;
# one statement for the whole cycle costs a round through temporary tables.
_COST: dict[BreakHow, int] = {"deferred": 0, "update": 1, "statement": 2}


def fk_label(table: str, fk: ForeignKey) -> str:
    """`table.fk_name (cols) -> parent`: how errors and `describe` name a foreign key."""
    return f"{table}.{fk.name} ({', '.join(fk.columns)}) -> {fk.ref_qualified}"


@dataclass(frozen=True)
class BrokenEdge:
    """A foreign key cut so that its cycle can be filled.

    `deferred`: the key is DEFERRABLE; every row goes in one transaction after
    `SET CONSTRAINTS ... DEFERRED` and its values are filled normally.
    `update`: the child rows are inserted with `null_columns` NULL (which
    exempts the row from the check: all columns under MATCH FULL, the nullable
    ones under MATCH SIMPLE) and UPDATEd once the parent rows exist.
    """

    table: str
    fk: ForeignKey
    how: BreakHow
    null_columns: tuple[str, ...] = ()

    @property
    def parent(self) -> str:
        return self.fk.ref_qualified

    def __str__(self) -> str:
        label = fk_label(self.table, self.fk)
        if self.how == "deferred":
            return f"{label}: DEFERRABLE, checked at commit"
        if self.how == "statement":
            return f"{label}: NOT NULL and not DEFERRABLE, so the cycle's tables go in with one INSERT statement"
        nulls = ", ".join(self.null_columns)
        return f"{label}: insert {nulls} as NULL, UPDATE once {self.parent} is filled"


@dataclass(frozen=True)
class Plan:
    """Fill order over a set of tables, with the cuts that make it possible.

    `order` lists every table, parents before children once the `broken` keys
    are ignored. `components` are the strongly connected components in fill
    order, each in its own fill order. `foreign_keys` holds, per table, the keys
    to other tables of the plan; `self_refs` the keys to the table itself;
    `external` the keys to tables outside the plan, whose rows must already exist.
    """

    order: tuple[str, ...]
    components: tuple[tuple[str, ...], ...]
    broken: tuple[BrokenEdge, ...]
    foreign_keys: Mapping[str, tuple[ForeignKey, ...]] = field(hash=False)
    self_refs: Mapping[str, tuple[ForeignKey, ...]] = field(hash=False)
    external: Mapping[str, tuple[ForeignKey, ...]] = field(hash=False)

    @property
    def cycles(self) -> tuple[tuple[str, ...], ...]:
        return tuple(c for c in self.components if len(c) > 1)

    def parents(self, table: str) -> tuple[str, ...]:
        """Plan tables `table` references, cut keys included, itself excluded."""
        return tuple(sorted({fk.ref_qualified for fk in self._keys_of(table)}))

    def children(self, table: str) -> tuple[str, ...]:
        """Plan tables referencing `table`, cut keys included, itself excluded."""
        self._keys_of(table)
        return self._children.get(table, ())

    @cached_property
    def _children(self) -> dict[str, tuple[str, ...]]:
        found: dict[str, set[str]] = defaultdict(set)
        for child, keys in self.foreign_keys.items():
            for fk in keys:
                found[fk.ref_qualified].add(child)
        return {parent: tuple(sorted(children)) for parent, children in found.items()}

    def _keys_of(self, table: str) -> tuple[ForeignKey, ...]:
        try:
            return self.foreign_keys[table]
        except KeyError:
            raise UnknownTableError(table, self.order) from None

    def describe(self) -> str:
        """The plan for people: fill order, cycles and their cuts, self and external references."""
        cycle_of = {t: n for n, cycle in enumerate(self.cycles, 1) for t in cycle}
        width = max((len(t) for t in self.order), default=0)
        lines = [f"Fill order ({len(self.order)} tables, parents first):"]
        for position, table in enumerate(self.order, 1):
            line = f"  {position:>3}. {table:<{width}}"
            if table in cycle_of:
                line += f"  [cycle {cycle_of[table]}]"
            if parents := self.parents(table):
                line += f"  <- {', '.join(parents)}"
            lines.append(line.rstrip())
        if self.cycles:
            lines += ["", f"Cycles ({len(self.cycles)}):"]
            for number, cycle in enumerate(self.cycles, 1):
                lines.append(f"  cycle {number}: {', '.join(cycle)}")
                lines += [f"    cut {cut}" for cut in self.broken if cut.table in cycle]
        for title, keys in (
            ("Self-references (rows point at rows of the same table)", self.self_refs),
            ("External parents (not filled here: their rows must already exist)", self.external),
        ):
            if keys:
                lines += ["", f"{title}:"]
                lines += [f"  {fk_label(t, fk)}" for t, fks in keys.items() for fk in fks]
        return "\n".join(lines)


def build_plan(schema: Schema, tables: Collection[str] | None = None, *, single_statement: bool = False) -> Plan:
    """Order `tables` (default: all; `schema.name` or an unambiguous bare name) for filling.

    A cycle that no DEFERRABLE or nullable key can cut raises `CycleError`, unless
    `single_statement`: PostgreSQL checks non-deferred foreign keys at the end of
    each statement, so one INSERT statement (writable CTEs) can fill such a cycle.
    """
    names: Iterable[str] = schema.table_map if tables is None else {schema.table(n).qualified for n in tables}
    selected = sorted(names)
    inside = set(selected)
    keys: dict[str, tuple[ForeignKey, ...]] = {}
    self_refs: dict[str, tuple[ForeignKey, ...]] = {}
    external: dict[str, tuple[ForeignKey, ...]] = {}
    for name in selected:
        fks = sorted(schema.table_map[name].foreign_keys, key=lambda fk: (fk.name, fk.columns))
        keys[name] = tuple(fk for fk in fks if fk.ref_qualified != name and fk.ref_qualified in inside)
        if own := tuple(fk for fk in fks if fk.ref_qualified == name):
            self_refs[name] = own
        if outside := tuple(fk for fk in fks if fk.ref_qualified not in inside):
            external[name] = outside

    edges = {(child, fk.ref_qualified) for child, fks in keys.items() for fk in fks}
    components = _strong_components(selected, _successors(selected, edges))
    component_of = {t: c[0] for c in components for t in c}
    component_deps: dict[str, set[str]] = {c[0]: set() for c in components}
    for child, parent in edges:
        if component_of[child] != component_of[parent]:
            component_deps[component_of[child]].add(component_of[parent])
    by_first = {c[0]: c for c in components}

    filled: list[tuple[str, ...]] = []
    broken: list[BrokenEdge] = []
    for first in _ordered(component_deps):
        members = by_first[first]
        if len(members) == 1:
            filled.append(members)
            continue
        order, cuts = _break_cycle(schema, members, keys, single_statement)
        filled.append(order)
        broken += cuts
    return Plan(
        order=tuple(t for c in filled for t in c),
        components=tuple(filled),
        broken=tuple(sorted(broken, key=lambda b: (b.table, b.fk.name))),
        foreign_keys=MappingProxyType(keys),
        self_refs=MappingProxyType(self_refs),
        external=MappingProxyType(external),
    )


def _break_cycle(
    schema: Schema, members: tuple[str, ...], keys: Mapping[str, tuple[ForeignKey, ...]], single_statement: bool
) -> tuple[tuple[str, ...], list[BrokenEdge]]:
    """Cut keys of one strongly connected component until it is acyclic: its order and the cuts."""
    inside = set(members)
    by_edge: dict[Edge, list[ForeignKey]] = defaultdict(list)
    for child in members:
        for fk in keys[child]:
            if fk.ref_qualified in inside:
                by_edge[(child, fk.ref_qualified)].append(fk)
    cuts = {
        edge: [_cut(schema, schema.table_map[edge[0]], fk, single_statement) for fk in fks]
        for edge, fks in by_edge.items()
    }
    uncuttable = {
        edge: [fk for fk, cut in zip(by_edge[edge], edge_cuts, strict=True) if cut is None]
        for edge, edge_cuts in cuts.items()
        if None in edge_cuts
    }
    _refuse_uncuttable(members, uncuttable)
    # An edge goes only when every key along it can be cut; it then costs its dearest cut.
    cost = {
        edge: max(_COST[c.how] for c in edge_cuts if c is not None)
        for edge, edge_cuts in cuts.items()
        if edge not in uncuttable
    }
    removed = _cover(members, set(by_edge), cost)
    kept = set(by_edge) - set(removed)
    deps: dict[str, set[str]] = {t: set() for t in members}
    for child, parent in kept:
        deps[child].add(parent)
    chosen = [c for edge in removed for c in cuts[edge] if c is not None]
    return tuple(_ordered(deps)), chosen


def _cut(schema: Schema, table: Table, fk: ForeignKey, single_statement: bool = False) -> BrokenEdge | None:
    """How `fk` can be cut: deferred if DEFERRABLE, else by NULL-then-UPDATE if NULL exempts a row,
    else (when allowed) by inserting the whole cycle in one statement."""
    if fk.deferrable:
        return BrokenEdge(table.qualified, fk, "deferred")
    nullable = tuple(c for c in fk.columns if _accepts_null(schema, table.column(c)))
    if nullable and (not fk.match_full or len(nullable) == len(fk.columns)):
        return BrokenEdge(table.qualified, fk, "update", nullable)
    return BrokenEdge(table.qualified, fk, "statement") if single_statement else None


def _accepts_null(schema: Schema, column: Column) -> bool:
    """A column can be written NULL: nullable, not generated, and no NOT NULL domain in its type."""
    if not column.nullable or column.generated is not None:
        return False
    type_name = column.type.name
    seen: set[str] = set()
    while (domain := schema.domain_map.get(type_name)) is not None and type_name not in seen:
        if not domain.nullable:
            return False
        seen.add(type_name)
        type_name = domain.base.name
    return True


def _refuse_uncuttable(members: Sequence[str], uncuttable: Mapping[Edge, Sequence[ForeignKey]]) -> None:
    """Raise `CycleError` naming the shortest cycle made only of edges that cannot be cut."""
    succ = _successors(members, uncuttable)
    stuck = [c for c in _strong_components(members, succ) if len(c) > 1]
    if not stuck:
        return
    tables = _shortest_cycle(stuck[0][0], succ)
    hops = zip(tables, tables[1:] + tables[:1], strict=True)
    raise CycleError(
        tables, [fk_label(child, fk) for child, parent in hops for fk in uncuttable[child, parent]]
    )


def _cover(members: Sequence[str], edges: set[Edge], cost: Mapping[Edge, int]) -> list[Edge]:
    """Greedy feedback edge set over the cuttable edges, then pruned to a minimal one.

    Cheapest cut first, then the edge on most cycles of the sample (each edge's
    shortest cycle), until the sample is broken; then sample again, until no
    cycle is left. The pruning gives back, dearest first, any cut the others
    make unnecessary.
    """
    kept = set(edges)
    removed: list[Edge] = []
    while uncovered := _shortest_cycles(members, _successors(members, kept)):
        while uncovered:
            counts = Counter(e for cycle in uncovered for e in cycle if e in cost)
            best = min(counts, key=lambda e: (cost[e], -counts[e], e))
            kept.discard(best)
            removed.append(best)
            uncovered = [cycle for cycle in uncovered if best not in cycle]
    succ: dict[str, set[str]] = {t: set() for t in members}
    for child, parent in kept:
        succ[child].add(parent)
    for child, parent in sorted(reversed(removed), key=lambda e: -cost[e]):
        if not _reaches(succ, parent, child):  # giving the edge back closes no cycle
            succ[child].add(parent)
            removed.remove((child, parent))
    return sorted(removed)


def _reaches(succ: Mapping[str, Iterable[str]], source: str, target: str) -> bool:
    seen = {source}
    todo = [source]
    while todo:
        for nxt in succ[todo.pop()]:
            if nxt == target:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def _shortest_cycles(nodes: Sequence[str], succ: Mapping[str, Sequence[str]]) -> list[frozenset[Edge]]:
    """For every edge on a cycle, the edges of a shortest cycle through it, without repeats.

    One breadth-first search per table: from `v`, the path back to each `u`
    with an edge `u -> v` closes a shortest cycle through that edge.
    """
    found: dict[frozenset[Edge], None] = {}
    for component in _strong_components(nodes, succ):
        if len(component) == 1:
            continue
        inside = set(component)
        preds: dict[str, list[str]] = defaultdict(list)
        for node in component:
            for nxt in succ[node]:
                preds[nxt].append(node)
        for start in component:
            came_from = {start: start}
            queue = deque([start])
            while queue:
                node = queue.popleft()
                for nxt in succ[node]:
                    if nxt in inside and nxt not in came_from:
                        came_from[nxt] = node
                        queue.append(nxt)
            for last in preds[start]:
                cycle = {(last, start)}
                node = last
                while node != start:
                    cycle.add((came_from[node], node))
                    node = came_from[node]
                found[frozenset(cycle)] = None
    return list(found)


def _successors(nodes: Iterable[str], edges: Iterable[Edge]) -> dict[str, list[str]]:
    succ: dict[str, set[str]] = {n: set() for n in nodes}
    for child, parent in edges:
        succ[child].add(parent)
    return {n: sorted(s) for n, s in succ.items()}


def _strong_components(nodes: Sequence[str], succ: Mapping[str, Sequence[str]]) -> list[tuple[str, ...]]:
    """Tarjan's algorithm, iterative (deep FK chains would overflow recursion); members sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[tuple[str, ...]] = []
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(succ[root]))]
        while work:
            node, pending = work[-1]
            for nxt in pending:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(succ[nxt])))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    caller = work[-1][0]
                    low[caller] = min(low[caller], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    found.append(tuple(sorted(component)))
    return found


def _shortest_cycle(start: str, succ: Mapping[str, Sequence[str]]) -> list[str]:
    """Breadth-first from `start` back to itself: the tables of the shortest cycle, in FK order."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in succ[node]:
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return path[::-1]
            if nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    raise AssertionError(f"{start} is on no cycle")


def _ordered(deps: Mapping[str, Iterable[str]]) -> list[str]:
    """Topological order, parents first, by levels: each level's ready nodes in name order."""
    sorter = TopologicalSorter(deps)
    sorter.prepare()
    order: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        order += ready
        sorter.done(*ready)
    return order
