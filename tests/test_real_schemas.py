"""The eight real-world schemas of the shared folder seed at 20 rows per table.

This is the joint bar of the CHECK-compiler, keys and values work: every table
of every schema gets rows PostgreSQL accepts (or as many as its constraints
allow, reported), in one transaction.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from fraiseql_data.generate import SeedOptions
from fraiseql_data.run import seed_dsn

REAL = Path(__file__).parents[2] / "shared" / "real_schemas"
NAMES = ["adventureworks", "airlines_demo", "benchbase", "chado", "graphile_starter", "guacamole", "ledgersmb",
         "pagila"]


@pytest.mark.parametrize("name", NAMES)
def test_real_schema_seeds(make_db, name: str) -> None:
    path = REAL / f"{name}.sql"
    assert path.exists(), f"{path} is missing: the shared folder must sit beside the repository"
    dsn = make_db(path.read_text())
    report = seed_dsn(dsn, SeedOptions(rows=20, seed=1))
    short = {note.split(":")[0] for note in report.dataset.notes}
    with psycopg.connect(dsn) as conn:
        for table, data in report.dataset.tables.items():
            if data.table.partitioned:
                continue
            schema, _, bare = table.partition(".")
            count = conn.execute(sql.SQL("SELECT count(*) FROM ONLY {}").format(sql.Identifier(schema, bare)))
            found = count.fetchone()[0]  # type: ignore[index]
            assert found == data.n, table
            assert found == 20 or table in short, (table, found)
