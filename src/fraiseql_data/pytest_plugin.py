"""pytest plugin: a database with your schema, rows per test, and nothing left behind.

Once per session (so once per xdist worker) the plugin starts the embedded
PostgreSQL (or uses `--fraiseql-data-dsn`), loads the DDL into a template
database and clones it into a database private to the worker. Each test that
asks for `seed` or `seeds` runs inside a transaction that is rolled back
afterwards; `fraiseql_data_fresh_dsn` clones a whole database for a test whose
code under test commits or opens its own connections. Trinity ids made for a
test carry the xdist worker (scenario) and the test (test case), so parallel
tests never make the same id and an id tells which test made it.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from fraiseql_data.api.builder import SeedBuilder
from fraiseql_data.api.markers import MARKER
from fraiseql_data.api.seeds import Seeds
from fraiseql_data.schema.introspect import introspect
from fraiseql_data.schema.model import Schema
from fraiseql_data.server import EmbeddedPostgres, ExternalPostgres, PostgresServer
from fraiseql_data.values.identity import SCENARIOS, TEST_CASES

SCHEMA_OPTION = "fraiseql_data_schema"
DSN_OPTION = "fraiseql_data_dsn"
NO_SCHEMA = ("no schema: pass --fraiseql-data-schema FILE.sql or --fraiseql-data-dsn DSN "
             "(or set fraiseql_data_schema / fraiseql_data_dsn in the pytest ini file)")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fraiseql-data", "seed PostgreSQL test data")
    group.addoption("--fraiseql-data-schema", dest=SCHEMA_OPTION, metavar="FILE.sql",
                    help="DDL loaded into a template database on the embedded server (or on --fraiseql-data-dsn)")
    group.addoption("--fraiseql-data-dsn", dest=DSN_OPTION, metavar="DSN",
                    help="a PostgreSQL server to use instead of the embedded one; alone, a database holding the schema")
    parser.addini(SCHEMA_OPTION, "DDL file for the fraiseql-data fixtures", default="")
    parser.addini(DSN_OPTION, "PostgreSQL DSN for the fraiseql-data fixtures", default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f'{MARKER}(table, count=10, **overrides): rows of `table` (and its parents) in the `seeds` fixture')


def setting(config: pytest.Config, name: str) -> str:
    value = config.getoption(name) or config.getini(name)
    return str(value) if value else ""


def worker_id() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


class Database:
    """The worker's database: a clone of the schema's template (or the DSN's own database)."""

    def __init__(self, config: pytest.Config) -> None:
        self.ddl_path = setting(config, SCHEMA_OPTION)
        self.dsn_setting = setting(config, DSN_OPTION)
        if not self.ddl_path and not self.dsn_setting:
            raise pytest.UsageError(NO_SCHEMA)
        if self.ddl_path and not Path(self.ddl_path).is_file():
            raise pytest.UsageError(f"--fraiseql-data-schema {self.ddl_path}: no such file")
        self.embedded: EmbeddedPostgres | None = None
        self.server: PostgresServer | None = None
        self.created: list[str] = []
        self.template = ""
        self.dsn = self.dsn_setting

    def start(self) -> None:
        if not self.ddl_path:  # the DSN's database already holds the schema: rollback is the isolation
            return
        if self.dsn_setting:
            self.server = ExternalPostgres(self.dsn_setting)
        else:
            self.embedded = EmbeddedPostgres()
            self.embedded.start()
            self.server = self.embedded
        ddl = Path(self.ddl_path).read_text(encoding="utf-8")
        digest = hashlib.sha256(ddl.encode()).hexdigest()[:12]
        self.template = self.fresh_name(f"fqd_tmpl_{digest}")
        self.server.create_database(self.template)
        self.created.append(self.template)
        with psycopg.connect(self.server.dsn(self.template)) as conn:
            conn.execute(ddl.encode())  # a whole script, no parameters
        self.dsn = self.clone()

    def fresh_name(self, prefix: str) -> str:
        return f"{prefix}_{worker_id()}_{uuid.uuid4().hex[:8]}"

    def clone(self) -> str:
        if self.server is None:
            raise pytest.UsageError("a fresh database per test needs --fraiseql-data-schema (a DDL to clone)")
        name = self.fresh_name("fqd_test")
        self.server.create_database(name, template=self.template)
        self.created.append(name)
        return self.server.dsn(name)

    def drop(self, dsn: str) -> None:
        name = psycopg.conninfo.conninfo_to_dict(dsn).get("dbname")
        if self.server is not None and isinstance(name, str) and name in self.created:
            self.server.drop_database(name)
            self.created.remove(name)

    def stop(self) -> None:
        if self.server is not None:
            for name in reversed(self.created):
                self.server.drop_database(name)
        self.created.clear()
        if self.embedded is not None:
            self.embedded.stop()


@pytest.fixture(scope="session")
def fraiseql_data_database(pytestconfig: pytest.Config) -> Iterator[Database]:
    database = Database(pytestconfig)
    try:
        database.start()
        yield database
    finally:
        database.stop()


@pytest.fixture(scope="session")
def fraiseql_data_dsn(fraiseql_data_database: Database) -> str:
    """A DSN for a database holding the schema, private to this test worker."""
    return fraiseql_data_database.dsn


@pytest.fixture(scope="session")
def fraiseql_data_schema(fraiseql_data_dsn: str) -> Schema:
    """The schema model, as PostgreSQL sees it."""
    with psycopg.connect(fraiseql_data_dsn) as conn:
        return introspect(conn)


@pytest.fixture(scope="session")
def _fraiseql_data_session_connection(fraiseql_data_dsn: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(fraiseql_data_dsn) as conn:
        yield conn


@pytest.fixture
def fraiseql_data_connection(_fraiseql_data_session_connection: psycopg.Connection[Any]
                             ) -> Iterator[psycopg.Connection[Any]]:
    """The worker's connection inside a transaction that is rolled back after the test."""
    conn = _fraiseql_data_session_connection
    with conn.transaction(force_rollback=True):
        yield conn


@pytest.fixture
def fraiseql_data_fresh_dsn(fraiseql_data_database: Database) -> Iterator[str]:
    """A database cloned from the template for this test alone (commit freely), dropped afterwards."""
    dsn = fraiseql_data_database.clone()
    yield dsn
    fraiseql_data_database.drop(dsn)


def per_test_seed(request: pytest.FixtureRequest) -> int:
    """A stable seed per test, so each test's rows differ yet a rerun gives the same rows."""
    return int.from_bytes(hashlib.blake2b(request.node.nodeid.encode(), digest_size=4).digest(), "big")


def worker_scenario() -> int:
    """The Trinity scenario of this process: the xdist worker number (gw3 → 3), 0 without xdist.

    Tests running at the same time run on different workers, so their ids differ in the scenario
    even when their test cases are equal.
    """
    number = worker_id().removeprefix("gw")
    return int(number) % SCENARIOS if number.isdigit() else 0


def trinity_test_case(nodeid: str) -> int:
    """The Trinity test case of a test: 1..99 from its node id (0 stays for ids made outside tests)."""
    return int.from_bytes(hashlib.blake2b(nodeid.encode(), digest_size=4).digest(), "big") % (TEST_CASES - 1) + 1


@pytest.fixture
def seed(request: pytest.FixtureRequest, fraiseql_data_connection: psycopg.Connection[Any],
         fraiseql_data_schema: Schema) -> SeedBuilder:
    """A SeedBuilder bound to the test's transaction: `seed.add(...)`, then `seed.execute()`.

    Its Trinity ids carry the worker as scenario and the test's own test case, recorded in the
    test's user properties (and so in JUnit XML) to tell which test made an id.
    """
    scenario, test_case = worker_scenario(), trinity_test_case(request.node.nodeid)
    request.node.user_properties.append(("fraiseql_data_trinity", f"scenario={scenario} test_case={test_case}"))
    return SeedBuilder(fraiseql_data_connection, fraiseql_data_schema, seed=per_test_seed(request),
                       scenario=scenario, test_case=test_case)


@pytest.fixture
def seeds(request: pytest.FixtureRequest, seed: SeedBuilder) -> Seeds:
    """The rows of the test's `seed_data` markers (and their parents), written in the test's transaction."""
    markers = list(request.node.iter_markers(MARKER))
    if not markers:
        raise pytest.UsageError(
            f"the `seeds` fixture needs @pytest.mark.{MARKER}(table, count=...) on {request.node.nodeid}")
    for marker in reversed(markers):  # closest decorator last: as written, top to bottom
        table, *rest = marker.args
        options = dict(marker.kwargs)
        count = rest[0] if rest else options.pop("count", 10)
        seed.add(table, count, **options)
    return seed.execute()
