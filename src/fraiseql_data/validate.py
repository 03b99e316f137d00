"""PostgreSQL as the judge of CHECKs the compiler cannot translate ("opaque").

The one place where generation asks a database: candidate rows are COPYed
into a constraint-free temporary copy of the table, inside a savepoint, and
PostgreSQL says which rows make an opaque CHECK FALSE. The savepoint is rolled
back, so nothing stays behind.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import psycopg
from psycopg import sql

from fraiseql_data.constraints.compile import CompiledCheck
from fraiseql_data.sinks.copy import copy_blocks, table_ident
from fraiseql_data.solver.table import TableData

ROW_COLUMN = "__fraiseql_row"
PROBE = "fraiseql_data_probe"


class Validator(Protocol):
    def failing(self, data: TableData, checks: list[CompiledCheck]) -> np.ndarray:
        """A mask of the rows for which some of `checks` is FALSE."""
        ...


class PostgresValidator:
    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def failing(self, data: TableData, checks: list[CompiledCheck]) -> np.ndarray:
        bad = np.zeros(data.n, dtype=bool)
        if data.n == 0 or not checks:
            return bad
        table = data.table
        probe = sql.Identifier(PROBE)
        conditions = sql.SQL(" OR ").join(sql.SQL("({}) IS FALSE").format(sql.SQL(c.sql)) for c in checks)
        conn = self.conn
        try:
            with conn.transaction(force_rollback=True):
                conn.execute(sql.SQL("CREATE TEMP TABLE {} (LIKE {}) ON COMMIT DROP").format(
                    probe, table_ident(table.schema, table.name)))
                for column in table.columns:
                    if not column.nullable:
                        conn.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN {} DROP NOT NULL").format(
                            probe, sql.Identifier(column.name)))
                conn.execute(sql.SQL("ALTER TABLE {} ADD COLUMN {} bigint").format(probe, sql.Identifier(ROW_COLUMN)))
                columns = sql.SQL(", ").join(map(sql.Identifier, (*data.columns, ROW_COLUMN)))
                with conn.cursor() as cur, cur.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(probe, columns)) as copy:
                    for block in copy_blocks(data, extra=[str(row) for row in range(data.n)]):
                        copy.write(block)
                found = conn.execute(sql.SQL("SELECT {} FROM {} WHERE {}").format(
                    sql.Identifier(ROW_COLUMN), probe, conditions)).fetchall()
        except psycopg.Error as error:
            from fraiseql_data.errors import SeedingError

            raise SeedingError(table.qualified, f"while PostgreSQL judged its opaque CHECKs: {error}") from error
        bad[[int(r[0]) for r in found]] = True
        return bad
