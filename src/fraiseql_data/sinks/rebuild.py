"""Loading as pg_restore does: constraints and unique indexes off during COPY, back on after.

For a database the run owns (the embedded server), PostgreSQL checking every
row of every COPY against foreign keys and unique indexes costs more than
checking them once at the end. The constraints are dropped inside the run's
transaction and re-created from their own definitions (`pg_get_constraintdef`,
`pg_get_indexdef`) before it commits: PostgreSQL validates every row all the
same, and any failure still rolls everything back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from fraiseql_data.schema.model import Table

# Re-created in this order: keys before the foreign keys that need them.
ORDER = {"p": 0, "u": 1, "x": 2, "c": 3, "f": 4}


@dataclass(frozen=True)
class Saved:
    schema: str
    table: str
    name: str
    kind: str  # pg_constraint.contype, or "i" for a unique index not behind a constraint
    definition: str


def saved_constraints(conn: psycopg.Connection[Any], tables: list[Table]) -> list[Saved]:
    oids = [f"{t.schema}.{t.name}" for t in tables]
    found = conn.execute(
        """
        SELECT n.nspname, c.relname, con.conname, con.contype::text, pg_get_constraintdef(con.oid)
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE format('%%s.%%s', n.nspname, c.relname) = ANY(%s) AND con.contype IN ('p', 'u', 'f', 'c', 'x')
          AND con.conislocal AND con.conparentid = 0
        UNION ALL
        SELECT n.nspname, c.relname, i.relname, 'i', pg_get_indexdef(i.oid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class c ON c.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE format('%%s.%%s', n.nspname, c.relname) = ANY(%s) AND x.indisunique
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
        """,
        (oids, oids),
    ).fetchall()
    return [Saved(*row) for row in found]


def drop_constraints(conn: psycopg.Connection[Any], tables: list[Table]) -> list[Saved] | None:
    """Drop the tables' constraints and unique indexes, foreign keys first; what to re-create.

    None, with nothing dropped, when PostgreSQL refuses (another table's foreign key
    depends on a key here): the load then goes with the constraints on.
    """
    saved = saved_constraints(conn, tables)
    try:
        with conn.transaction():
            for item in sorted(saved, key=lambda s: -ORDER.get(s.kind, 1)):
                if item.kind == "i":
                    conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(item.schema, item.name)))
                else:
                    conn.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                        sql.Identifier(item.schema, item.table), sql.Identifier(item.name)))
    except psycopg.errors.DependentObjectsStillExist:
        return None
    return saved


def restore_constraints(conn: psycopg.Connection[Any], saved: list[Saved]) -> None:
    """Re-create them, keys before the foreign keys that need them: PostgreSQL checks every row now."""
    for item in sorted(saved, key=lambda s: ORDER.get(s.kind, 1)):
        if item.kind == "i":
            conn.execute(sql.SQL(item.definition))
        else:
            conn.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                sql.Identifier(item.schema, item.table), sql.Identifier(item.name), sql.SQL(item.definition)))
