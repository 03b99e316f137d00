"""Shared fixtures: one PostgreSQL per test session and a fresh database per test.

The server is the embedded cluster, started once per session (so once per xdist
worker, each worker having its own), or the server named by
$FRAISEQL_DATA_TEST_DSN. Fixtures are lazy: tests that need no database start none.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from fraiseql_data.server import EmbeddedPostgres, ExternalPostgres, PostgresServer

TEST_DSN_ENV = "FRAISEQL_DATA_TEST_DSN"
# Names of databases we create carry the worker id: xdist workers may share an external server.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
CATALOG_SQL = Path(__file__).parents[2] / "shared/schemas/catalog.sql"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    external = os.environ.get(TEST_DSN_ENV)
    if external:
        yield ExternalPostgres(external)
        return
    with EmbeddedPostgres() as embedded:
        yield embedded


@pytest.fixture(scope="session")
def _ddl_templates(pg_server: PostgresServer) -> Iterator[dict[str, str]]:
    """Template database name by DDL text: each distinct DDL is run once per session."""
    templates: dict[str, str] = {}
    yield templates
    for name in templates.values():
        pg_server.drop_database(name)


def _create_template(pg_server: PostgresServer, ddl: str) -> str:
    name = f"tmpl_{WORKER}_{hashlib.sha256(ddl.encode()).hexdigest()[:16]}"
    pg_server.drop_database(name)  # left over by a crashed run against an external server
    pg_server.create_database(name)
    try:
        with psycopg.connect(pg_server.dsn(name)) as conn:
            conn.execute(ddl)  # no parameters: psycopg sends the many statements as one query
            conn.commit()
    except BaseException:
        pg_server.drop_database(name)
        raise
    return name


@pytest.fixture
def make_db(pg_server: PostgresServer, _ddl_templates: dict[str, str]) -> Iterator[Callable[[str], str]]:
    """`make_db(ddl) -> dsn` of a fresh database holding that DDL, dropped after the test."""
    made: list[str] = []

    def make(ddl: str) -> str:
        if ddl not in _ddl_templates:
            _ddl_templates[ddl] = _create_template(pg_server, ddl)
        name = f"test_{WORKER}_{uuid.uuid4().hex[:12]}"
        pg_server.create_database(name, template=_ddl_templates[ddl])
        made.append(name)
        return pg_server.dsn(name)

    yield make
    for name in made:
        pg_server.drop_database(name)


@pytest.fixture(scope="session")
def catalog_sql() -> str:
    """The shared FraiseQL-style catalog schema (every constraint kind at least once)."""
    if not CATALOG_SQL.is_file():
        pytest.fail(
            f"{CATALOG_SQL} is missing: the tests expect the shared/ folder beside the repository "
            "(clone it next to this checkout)",
            pytrace=False,
        )
    return CATALOG_SQL.read_text()
