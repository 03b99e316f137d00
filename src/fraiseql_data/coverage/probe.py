"""Probes: one change per constraint that PostgreSQL must refuse, naming that constraint.

Every attempt runs in its own savepoint, rolled back whatever happens. An
attempt ends one of three ways: refused by the constraint under test (it is
enforced); refused by something else (we cannot tell, try the next attempt);
or accepted, and then a query over the table confirms that a violating row
(or pair, or orphan) really is there before the constraint is declared not
enforced — so a realiser mistake can never pass for a missing constraint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import psycopg
from psycopg import sql

from fraiseql_data.schema.model import Check, ForeignKey, Identity, Table, Unique

Row = dict[str, str | None]
TRUE = sql.SQL("TRUE")
CHECK_VIOLATION, NOT_NULL_VIOLATION, UNIQUE_VIOLATION, FK_VIOLATION = "23514", "23502", "23505", "23503"


@dataclass(frozen=True)
class Verdict:
    enforced: bool | None
    detail: str


@dataclass(frozen=True)
class Attempt:
    what: str  # "a new row ...", for the report
    mutate: Callable[[], None]


@dataclass(frozen=True)
class Existing:
    """A witness row in the database: its ctid and its columns as text."""

    ctid: str
    values: Row


def relation(table: Table) -> sql.Composable:
    """The table alone (not its INHERITS children); a partitioned table is only its partitions."""
    name = sql.Identifier(table.schema, table.name)
    return name if table.partitioned else sql.SQL("ONLY {}").format(name)


def writable(table: Table) -> list[str]:
    return [c.name for c in table.columns if c.generated is None]


def message(error: psycopg.Error) -> str:
    return (error.diag.message_primary or str(error)).strip()


def fetch(conn: psycopg.Connection[Any], table: Table, where: sql.Composable = TRUE,
          params: Sequence[Any] = ()) -> Existing | None:
    """The first row matching `where`, as text."""
    columns = writable(table)
    texts = sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(c)) for c in columns)
    found = conn.execute(sql.SQL("SELECT ctid::text, {} FROM {} WHERE {} LIMIT 1").format(
        texts, relation(table), where), params).fetchone()
    if found is None:
        return None
    return Existing(found[0], dict(zip(columns, found[1:], strict=True)))


def insert(conn: psycopg.Connection[Any], table: Table, row: Row) -> None:
    """INSERT a row given as text (PostgreSQL parses each value as its column's type)."""
    columns = [c for c in writable(table) if c in row]
    overriding = any(table.column(c).identity is Identity.ALWAYS for c in columns)
    conn.execute(sql.SQL("INSERT INTO {} ({}) {}VALUES ({})").format(
        sql.Identifier(table.schema, table.name), sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.SQL("OVERRIDING SYSTEM VALUE " if overriding else ""),
        sql.SQL(", ").join(sql.Placeholder() * len(columns))), [row[c] for c in columns])


def update(conn: psycopg.Connection[Any], table: Table, ctid: str, changes: Row) -> None:
    columns = list(changes)
    conn.execute(sql.SQL("UPDATE {} SET {} WHERE ctid = %s").format(
        relation(table), sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(c)) for c in columns)),
        [*(changes[c] for c in columns), ctid])


def exists(conn: psycopg.Connection[Any], query: sql.Composable) -> bool:
    found = conn.execute(sql.SQL("SELECT EXISTS ({})").format(query)).fetchone()
    return bool(found and found[0])


def attempt(conn: psycopg.Connection[Any], step: Attempt, refused_by_it: Callable[[psycopg.Error], bool],
            violated: Callable[[], bool]) -> Verdict:
    try:
        with conn.transaction(force_rollback=True):
            step.mutate()
            confirmed = violated()
    except psycopg.Error as error:
        if refused_by_it(error):
            return Verdict(True, f"{step.what}: refused ({message(error)})")
        named = error.diag.constraint_name
        by = f" by {named}" if named else ""
        return Verdict(None, f"{step.what}: refused{by} instead ({message(error)})")
    if confirmed:
        return Verdict(False, f"{step.what} that violates it was accepted")
    return Verdict(None, f"{step.what}: accepted, but it did not violate the constraint")


def first_verdict(conn: psycopg.Connection[Any], steps: Sequence[Attempt],
                  refused_by_it: Callable[[psycopg.Error], bool], violated: Callable[[], bool],
                  nothing: str) -> Verdict:
    """The first conclusive attempt; otherwise every attempt's outcome."""
    tried = []
    for step in steps:
        verdict = attempt(conn, step, refused_by_it, violated)
        if verdict.enforced is not None:
            return verdict
        tried.append(verdict.detail)
    return Verdict(None, "; ".join(tried) or nothing)


# ── one probe per kind ───────────────────────────────────────────────────────
def probe_check(conn: psycopg.Connection[Any], table: Table, check: Check, columns: Sequence[str],
                rows: Sequence[Row], spare: Row | None, existing: Existing | None) -> Verdict:
    """Every violating row must be refused; each is tried as its CHECK's own `columns` changed, then all."""
    verdicts = [probe_check_row(conn, table, check, {c: v for c, v in row.items() if c in columns}, row, spare,
                                existing) for row in rows]
    return combined(verdicts)


def probe_check_row(conn: psycopg.Connection[Any], table: Table, check: Check, target: Row, linked: Row,
                    spare: Row | None, existing: Existing | None) -> Verdict:
    changes = [target] if target == linked else [target, linked]
    shown = ", ".join(f"{c} = {v!r}" for c, v in target.items())
    steps = [Attempt(f"a new row with {shown}", partial(insert, conn, table, {**spare, **c}))
             for c in changes if spare]
    if existing is not None:
        steps += [Attempt(f"an existing row set to {shown}", partial(update, conn, table, existing.ctid, c))
                  for c in changes]
        steps.append(Attempt(f"a copy of an existing row with {shown}",
                             partial(insert, conn, table, {**existing.values, **linked})))
    return first_verdict(
        conn, steps,
        lambda e: e.sqlstate == CHECK_VIOLATION and e.diag.constraint_name == check.name,
        lambda: exists(conn, sql.SQL("SELECT FROM {} WHERE ({}) IS FALSE").format(
            relation(table), sql.SQL(check.expression))),
        "no witness row to change")


def probe_not_null(conn: psycopg.Connection[Any], table: Table, column: str, spare: Row | None,
                   existing: Existing | None) -> Verdict:
    steps = []
    if spare is not None:
        steps.append(Attempt("a new row with it NULL", lambda: insert(conn, table, {**spare, column: None})))
    if existing is not None:
        steps.append(Attempt("an existing row set NULL", lambda: update(conn, table, existing.ctid, {column: None})))
        steps.append(Attempt("a copy of an existing row with it NULL",
                             lambda: insert(conn, table, {**existing.values, column: None})))
    return first_verdict(
        conn, steps,
        lambda e: e.sqlstate == NOT_NULL_VIOLATION and e.diag.column_name == column,
        lambda: exists(conn, sql.SQL("SELECT FROM {} WHERE {} IS NULL").format(
            relation(table), sql.Identifier(column))),
        "no witness row to change")


def key_elements(key: Unique) -> list[sql.Composable]:
    if key.expressions:
        return [sql.SQL(e) for e in key.expressions]
    return [sql.Identifier(c) for c in key.columns]


def probe_unique(conn: psycopg.Connection[Any], table: Table, key: Unique, spare: Row | None) -> Verdict:
    """A second row with an existing row's key: a new row first, then an existing one, then a plain copy."""
    elements = key_elements(key)
    predicate = sql.SQL(key.predicate) if key.predicate else sql.SQL("TRUE")
    known = sql.SQL(" AND ").join(sql.SQL("{} IS NOT NULL").format(sql.Identifier(c)) for c in key.columns)
    first = fetch(conn, table, sql.SQL("({}) AND {}").format(predicate, known))
    if first is None:
        return Verdict(None, "no witness row has a non-null key that meets its predicate")
    same = {c: first.values[c] for c in key.columns}
    others = {c for k in table.keys if k.name != key.name and not set(k.columns) <= set(key.columns)
              for c in k.columns} - set(key.columns)
    steps = []
    if spare is not None:
        steps.append(Attempt("a new row with an existing row's key", lambda: insert(conn, table, {**spare, **same})))
    second = fetch(conn, table, sql.SQL("ctid <> %s::tid"), [first.ctid])
    if second is not None and not any(table.column(c).identity is Identity.ALWAYS for c in key.columns):
        copied = {c: v for c, v in first.values.items()
                  if c not in others and table.column(c).identity is not Identity.ALWAYS}
        steps.append(Attempt("an existing row given another row's key",
                             lambda: update(conn, table, second.ctid, copied)))
    steps.append(Attempt("a copy of an existing row", lambda: insert(conn, table, first.values)))
    distinct = [] if key.nulls_not_distinct else [sql.SQL("{} IS NOT NULL").format(e) for e in elements]
    duplicated = sql.SQL("SELECT FROM {} WHERE {} GROUP BY {} HAVING count(*) > 1").format(
        relation(table), sql.SQL(" AND ").join([sql.SQL("({})").format(predicate), *distinct]),
        sql.SQL(", ").join(elements))
    verdict = first_verdict(
        conn, steps,
        lambda e: e.sqlstate == UNIQUE_VIOLATION and e.diag.constraint_name == key.name,
        lambda: exists(conn, duplicated), "no witness row")
    narrower = implied_by(table, key)
    if verdict.enforced is None and narrower:
        return Verdict(None, f"implied by {', '.join(narrower)}: every duplicate of it is a duplicate of that key "
                             f"too, which PostgreSQL reports first (a redundant key)")
    return verdict


def implied_by(table: Table, key: Unique) -> list[str]:
    """Plain keys over a subset of `key`'s columns: they refuse every duplicate `key` would."""
    if key.expressions or key.nulls_not_distinct:
        return []
    return [k.name for k in table.keys if k.name != key.name and not k.predicate and not k.expressions
            and set(k.columns) <= set(key.columns)]


def probe_foreign_key(conn: psycopg.Connection[Any], table: Table, parent: Table, fk: ForeignKey,
                      absent: Row, spare: Row | None, existing: Existing | None) -> Verdict:
    """A row pointing at a parent key that is not there (`absent`: a held-back parent row's key)."""
    steps = []
    if spare is not None:
        steps.append(Attempt("a new row with a missing parent", lambda: insert(conn, table, {**spare, **absent})))
    if existing is not None:
        steps.append(Attempt("an existing row pointed at a missing parent",
                             lambda: update(conn, table, existing.ctid, absent)))
    child, ref = sql.Identifier("c"), sql.Identifier("p")
    known = sql.SQL(" AND ").join(sql.SQL("{}.{} IS NOT NULL").format(child, sql.Identifier(c)) for c in fk.columns)
    match = sql.SQL(" AND ").join(
        sql.SQL("{}.{} = {}.{}").format(ref, sql.Identifier(r), child, sql.Identifier(c))
        for c, r in zip(fk.columns, fk.ref_columns, strict=True))
    orphans = sql.SQL("SELECT FROM {} AS {} WHERE {} AND NOT EXISTS (SELECT FROM {} AS {} WHERE {})").format(
        relation(table), child, known, relation(parent), ref, match)
    return first_verdict(
        conn, steps,
        lambda e: e.sqlstate == FK_VIOLATION and e.diag.constraint_name == fk.name,
        lambda: exists(conn, orphans), "no witness row")


def cast(conn: psycopg.Connection[Any], domain: sql.Composable, value: str | None) -> None:
    conn.execute(sql.SQL("SELECT CAST(%s AS {})").format(domain), [value])


def false_on(conn: psycopg.Connection[Any], base: sql.Composable, check: Check, value: str | None) -> bool:
    """The domain CHECK is FALSE on `value` taken as the base type (VALUE is a column named value)."""
    return exists(conn, sql.SQL("SELECT FROM (SELECT CAST({} AS {}) AS value) AS v WHERE ({}) IS FALSE").format(
        sql.Literal(value), base, sql.SQL(check.expression)))


def probe_domain_check(conn: psycopg.Connection[Any], domain: sql.Composable, base: sql.Composable, check: Check,
                       values: Sequence[str | None]) -> Verdict:
    """Values cast to the domain; accepted only counts if the CHECK really is FALSE on the value."""
    verdicts = [first_verdict(
        conn, [Attempt(f"the value {value!r} cast to the domain", partial(cast, conn, domain, value))],
        lambda e: e.sqlstate == CHECK_VIOLATION and e.diag.constraint_name == check.name,
        partial(false_on, conn, base, check, value), "no value") for value in values]
    return combined(verdicts)


def combined(verdicts: Sequence[Verdict]) -> Verdict:
    """Several probes of one constraint: one accepted is enough to fail it; all must be refused to pass."""
    accepted = [v for v in verdicts if v.enforced is False]
    if accepted:
        return Verdict(False, "; ".join(v.detail for v in accepted))
    if verdicts and all(v.enforced for v in verdicts):
        return Verdict(True, f"{len(verdicts)} probe(s) refused; {verdicts[0].detail}")
    return Verdict(None, "; ".join(v.detail for v in verdicts if not v.enforced) or "nothing to probe with")
