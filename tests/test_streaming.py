"""Tables larger than a block are generated and COPYed a block at a time.

The partition contract: block k of a table is a pure function of (schema, options, k),
so the rows streamed into PostgreSQL are exactly the rows `generate()` makes whole,
and keys stay distinct across blocks because they are settled before any block.
"""

from __future__ import annotations

import psycopg
import pytest

from fraiseql_data.errors import CapacityError
from fraiseql_data.generate import SeedOptions, generate
from fraiseql_data.run import seed_dsn
from fraiseql_data.schema.introspect import introspect
from fraiseql_data.solver.table import BLOCK_ROWS

ROWS = 2 * BLOCK_ROWS + 1234  # three blocks, the last one short

STREAMED_DDL = """
CREATE TABLE tb_region (
    pk_region INT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id UUID NOT NULL UNIQUE,
    identifier TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);
CREATE TABLE tb_site (
    pk_site BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id UUID NOT NULL UNIQUE,
    identifier TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    fk_region INT NOT NULL REFERENCES tb_region,
    fk_parent BIGINT REFERENCES tb_site,
    code TEXT NOT NULL UNIQUE CHECK (code ~ '^[A-Z]{3}-[0-9]{5}$'),
    email TEXT UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('depot', 'shop', 'office')),
    opened_on DATE NOT NULL,
    closed_on DATE,
    capacity INT NOT NULL CHECK (capacity BETWEEN 1 AND 500),
    CHECK (closed_on IS NULL OR closed_on > opened_on),
    CHECK (kind <> 'depot' OR capacity >= 100)
);
"""


def table_rows(dsn: str, table: str, order: str) -> list[tuple[str | None, ...]]:
    with psycopg.connect(dsn) as conn:
        cur = conn.execute(f"SELECT * FROM {table} ORDER BY {order}")  # test-only names, no user input
        return [tuple(None if v is None else str(v) for v in row) for row in cur.fetchall()]


def test_streamed_rows_are_the_rows_generate_makes(make_db) -> None:
    dsn = make_db(STREAMED_DDL)
    options = SeedOptions(rows=ROWS, seed=3, rows_for={"public.tb_region": 40})
    report = seed_dsn(dsn, options, keep_rows=False)
    assert report.dataset.tables["public.tb_site"].n == ROWS
    assert report.dataset.tables["public.tb_site"].text == {}  # nothing kept: no table references its text
    with psycopg.connect(dsn) as conn:
        schema = introspect(conn)
        conn.execute("SET TIME ZONE 'UTC'")
        count, parents, codes = conn.execute(
            "SELECT count(*), count(fk_parent), count(DISTINCT code) FROM tb_site").fetchone() or (0, 0, 0)
    assert count == ROWS and codes == ROWS and parents > 0
    whole = generate(schema, options).tables["public.tb_site"]
    stored = table_rows(dsn, "tb_site", "pk_site")
    assert len(stored) == ROWS
    # PostgreSQL prints dates and uuids as we wrote them: the same rows, in the same order
    assert [row[:3] for row in stored[::997]] == [r[:3] for r in whole.rows()[::997]]
    assert [row[6:9] for row in stored[::997]] == [r[6:9] for r in whole.rows()[::997]]


def test_an_error_after_a_streamed_table_leaves_nothing(make_db) -> None:
    seats = ("CREATE TABLE tb_seat (fk_site BIGINT REFERENCES tb_site,"
             " n SMALLINT NOT NULL UNIQUE CHECK (n BETWEEN 1 AND 50));")
    dsn = make_db(STREAMED_DDL + seats)
    with pytest.raises(CapacityError, match="tb_seat"):
        seed_dsn(dsn, SeedOptions(rows=BLOCK_ROWS + 10, rows_for={"public.tb_seat": 60}), keep_rows=False)
    with psycopg.connect(dsn) as conn:
        counts = conn.execute("SELECT (SELECT count(*) FROM tb_region), (SELECT count(*) FROM tb_site)").fetchone()
    assert counts == (0, 0)


def test_jobs_make_the_same_rows(make_db) -> None:
    """Blocks made by forked workers are the blocks this process would make: same rows, same order."""
    options = SeedOptions(rows=ROWS, seed=5, rows_for={"public.tb_region": 40})
    alone, together = make_db(STREAMED_DDL), make_db(STREAMED_DDL)
    seed_dsn(alone, options, keep_rows=False)
    report = seed_dsn(together, options, keep_rows=False, jobs=2)
    assert report.dataset.tables["public.tb_site"].n == ROWS
    assert table_rows(together, "tb_site", "pk_site") == table_rows(alone, "tb_site", "pk_site")
    assert table_rows(together, "tb_region", "pk_region") == table_rows(alone, "tb_region", "pk_region")
