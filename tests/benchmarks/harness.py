"""What every benchmark script shares: timing, peak memory, a time limit, the psql baseline, profiles.

The scripts print plain lines (`label: value`) so that a run's output can be
pasted into an issue note as it is.
"""

from __future__ import annotations

import _thread
import argparse
import cProfile
import io
import os
import pstats
import resource
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from fraiseql_data.generate import Dataset, SeedOptions
from fraiseql_data.run import RunReport, load_ddl, seed_connection
from fraiseql_data.server import EmbeddedPostgres, find_bindir
from fraiseql_data.sinks.files import write_sql

DEFAULT_TIME_LIMIT = 600.0  # seconds: stop a run that would exceed ~10 minutes
DEFAULT_RSS_LIMIT = 8192.0  # MiB: stop a run long before it takes the machine's memory


def peak_rss_mib() -> float:
    """This process's peak resident set size so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mib() -> float:
    """The resident set size now, from /proc (0 where there is none)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0


class ProgressLog:
    """The engine's progress callback: when each table finished, so an interrupted run says how far it got."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.done: list[tuple[str, int, float]] = []

    def __call__(self, table: str, rows: int, done: int, total: int) -> None:
        elapsed = time.perf_counter() - self.started
        self.done.append((table, rows, elapsed))
        print(f"  generated {table} ({done}/{total}): {rows} rows at {elapsed:.1f} s, "
              f"RSS {current_rss_mib():.0f} MiB", flush=True)

    def summary(self) -> str:
        if not self.done:
            return "no table finished generating"
        return ", ".join(f"{table} ({rows} rows, {at:.1f} s)" for table, rows, at in self.done)


class Watchdog:
    """Stops a run that takes too long or grows too big, so it can still say how far it got.

    It raises KeyboardInterrupt in the main thread, so `with` blocks (the embedded
    server) still clean up. The interrupt lands when the main thread next runs
    Python bytecode: a long C call (a numpy kernel, a COPY round trip) finishes first.
    """

    def __init__(self, seconds: float, rss_limit_mib: float, poll: float = 0.5) -> None:
        self.seconds = seconds
        self.rss_limit_mib = rss_limit_mib
        self.poll = poll
        self.reason = "interrupted"
        self._stop = threading.Event()

    def _watch(self) -> None:
        deadline = time.monotonic() + self.seconds
        while not self._stop.wait(self.poll):
            if time.monotonic() > deadline:
                self.reason = f"time limit of {self.seconds:g} s reached"
            elif current_rss_mib() > self.rss_limit_mib:
                self.reason = f"RSS passed the limit of {self.rss_limit_mib:g} MiB"
            else:
                continue
            _thread.interrupt_main()
            return

    @contextmanager
    def watching(self) -> Iterator[None]:
        thread = threading.Thread(target=self._watch, daemon=True)
        thread.start()
        try:
            yield
        finally:
            self._stop.set()


def add_common_arguments(parser: argparse.ArgumentParser, rows: int) -> None:
    parser.add_argument("--rows", type=int, default=rows, help=f"rows per table (default {rows})")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1, help="processes making blocks of rows (default 1)")
    parser.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT,
                        help=f"stop the run after this many seconds (default {DEFAULT_TIME_LIMIT:g})")
    parser.add_argument("--rss-limit", type=float, default=DEFAULT_RSS_LIMIT,
                        help=f"stop the run when this process passes this many MiB (default {DEFAULT_RSS_LIMIT:g})")


def create_with_ddl(server: EmbeddedPostgres, name: str, ddl: str) -> str:
    """A database on `server` holding `ddl`; its DSN."""
    server.create_database(name)
    dsn = server.dsn(name)
    with psycopg.connect(dsn) as conn:
        load_ddl(conn, ddl)
    return dsn


def timed_seed(dsn: str, options: SeedOptions, progress: ProgressLog | None = None,
               rebuild: bool = False, jobs: int = 1) -> tuple[RunReport, float]:
    """fraiseql-data end to end (connect, introspect, generate, COPY, commit) and its wall time.

    `rebuild`: load as for a database the run owns (constraints re-created at the end)."""
    started = time.perf_counter()
    with psycopg.connect(dsn) as conn:
        report = seed_connection(conn, options, progress=progress, rebuild=rebuild, keep_rows=False, jobs=jobs)
    return report, time.perf_counter() - started


def timed_psql_load(dsn: str, dataset: Dataset, directory: Path) -> tuple[float, int]:
    """The baseline: `psql -f` of the dataset's SQL script (COPY blocks); its wall time and the script size."""
    script = directory / "seed.sql"
    with script.open("w", encoding="utf-8") as out:
        write_sql(dataset, out)
    psql = os.path.join(find_bindir(), "psql")
    started = time.perf_counter()
    subprocess.run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-f", str(script)],
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started, script.stat().st_size


def row_counts(dsn: str, dataset: Dataset) -> dict[str, int]:
    """Rows PostgreSQL holds per table of the dataset: both loads must agree with the dataset."""
    counts = {}
    with psycopg.connect(dsn) as conn:
        for name, data in dataset.tables.items():
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(data.table.schema, data.table.name))
            row = conn.execute(query).fetchone()
            counts[name] = int(row[0]) if row else 0
    return counts


def profiled(call: Callable[[], Any], top: int = 15, out: Path | None = None) -> tuple[Any, str]:
    """Run `call` under cProfile; its result and the top functions by cumulative and by own time."""
    profile = cProfile.Profile()
    result = profile.runcall(call)
    if out is not None:
        profile.dump_stats(out)
    text = io.StringIO()
    stats = pstats.Stats(profile, stream=text).strip_dirs()
    for order, title in (("cumulative", "cumulative time"), ("tottime", "own time")):
        text.write(f"=== top {top} by {title} ===\n")
        stats.sort_stats(order).print_stats(top)
    return result, text.getvalue()


def run_guarded(args: argparse.Namespace, progress: ProgressLog, body: Callable[[], None]) -> None:
    """Run `body` under the watchdog (`--time-limit`, `--rss-limit`); if stopped, say why and how far it got."""
    watchdog = Watchdog(args.time_limit, args.rss_limit)
    try:
        with watchdog.watching():
            body()
    except KeyboardInterrupt:
        raise SystemExit(f"stopped ({watchdog.reason}) {time.perf_counter() - progress.started:.0f} s into seeding; "
                         f"generated: {progress.summary()}; peak RSS {peak_rss_mib():.0f} MiB") from None
