"""The seeding runs behind the CLI: into a live database, or through the embedded one.

A DDL file with no DSN goes through a throwaway PostgreSQL: the DDL is loaded
there, the schema read back from pg_catalog (PostgreSQL's own view is the
truth), and the rows COPYed in, so PostgreSQL has checked every row before
any output file is written.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import psycopg

from fraiseql_data.errors import ConnectionFailedError, DDLSyntaxError
from fraiseql_data.generate import Dataset, Engine, Progress, SeedOptions
from fraiseql_data.schema.introspect import introspect
from fraiseql_data.schema.model import Schema
from fraiseql_data.sinks.copy import stream_load
from fraiseql_data.validate import PostgresValidator


@dataclass
class RunReport:
    dataset: Dataset  # a streamed table keeps only the columns its children reference
    schema: Schema
    generate_seconds: float
    load_seconds: float  # COPY and waiting on the server, beyond generating


def connect(dsn: str, autocommit: bool = False) -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(dsn, autocommit=autocommit)
    except psycopg.OperationalError as error:
        raise ConnectionFailedError(dsn, str(error).strip().splitlines()[-1] if str(error) else "") from None


def load_ddl(conn: psycopg.Connection[Any], ddl: str) -> None:
    """Run a DDL script; a syntax error names the line it starts on."""
    try:
        with conn.transaction():
            conn.execute(ddl)
    except psycopg.errors.SyntaxError as error:
        position = int(error.diag.statement_position or 0)
        line = ddl.count("\n", 0, max(position - 1, 0)) + 1
        start = ddl.rfind(";", 0, max(position - 1, 0)) + 1
        end = ddl.find(";", max(position - 1, 0))
        raise DDLSyntaxError(line, ddl[start:end if end >= 0 else None], error.diag.message_primary or str(error)) \
            from None


def seed_connection(conn: psycopg.Connection[Any], options: SeedOptions, *, dry_run: bool = False,
                    progress: Progress | None = None, rebuild: bool = False, keep_rows: bool = True,
                    jobs: int = 1) -> RunReport:
    """Introspect, generate and COPY in one transaction; commit unless dry_run.

    Tables are generated and written a block at a time; `keep_rows=False` lets each block go
    once written (flat memory), and the report's dataset then holds row counts and only the
    columns that foreign keys reference. `jobs` processes make a large table's blocks while
    this one writes (the rows are the same for any number of jobs).
    """
    schema = introspect(conn)
    if options.as_of is None:  # CHECKs that read the clock see this transaction's now()
        conn.execute("SET LOCAL TIME ZONE 'UTC'")
        row = conn.execute("SELECT now()").fetchone()
        options = replace(options, clock=row[0] if row else None)
    started = time.perf_counter()
    engine = Engine(schema, options, progress, validator=PostgresValidator(conn), keep_rows=keep_rows,
                    jobs=jobs)
    try:
        dataset = stream_load(conn, engine, rebuild=rebuild)
        if dry_run:
            conn.rollback()
        else:
            conn.commit()
    except BaseException:
        conn.rollback()
        raise
    total = time.perf_counter() - started
    return RunReport(dataset, schema, engine.seconds, total - engine.seconds)


def seed_dsn(dsn: str, options: SeedOptions, *, dry_run: bool = False, progress: Progress | None = None,
             keep_rows: bool = True, jobs: int = 1) -> RunReport:
    with connect(dsn) as conn:
        return seed_connection(conn, options, dry_run=dry_run, progress=progress, keep_rows=keep_rows, jobs=jobs)


@contextmanager
def embedded_database(ddl: str) -> Iterator[psycopg.Connection[Any]]:
    """A throwaway server and database holding `ddl`, gone afterwards."""
    from fraiseql_data.server import EmbeddedPostgres

    with EmbeddedPostgres() as server:
        server.create_database("seed")
        with connect(server.dsn("seed")) as conn:
            load_ddl(conn, ddl)
            yield conn


def seed_ddl_file(path: Path, options: SeedOptions, *, progress: Progress | None = None) -> RunReport:
    """Seed the DDL in the embedded server (PostgreSQL checks every row), then discard it."""
    with embedded_database(path.read_text(encoding="utf-8")) as conn:
        return seed_connection(conn, options, progress=progress)
