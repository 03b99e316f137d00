"""Issue 8's catalog target: `examples/catalog/schema.sql` at 250k rows per table (1M rows) in under 15 s.

Timed end to end on the embedded server: the seeding itself (connect, introspect,
generate, COPY, commit), with server start and DDL reported apart.

    python -m tests.benchmarks.catalog [--rows 250000] [--time-limit 600]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from tests.benchmarks.harness import (
    ProgressLog,
    add_common_arguments,
    create_with_ddl,
    peak_rss_mib,
    row_counts,
    run_guarded,
    timed_seed,
)

from fraiseql_data.generate import SeedOptions
from fraiseql_data.server import EmbeddedPostgres

CATALOG_DDL = Path(__file__).parents[2] / "examples/catalog/schema.sql"


def run(rows: int, seed: int, progress: ProgressLog, jobs: int = 1) -> None:
    started = time.perf_counter()
    with EmbeddedPostgres() as server:
        dsn = create_with_ddl(server, "catalog", CATALOG_DDL.read_text(encoding="utf-8"))
        ready = time.perf_counter()
        progress.started = ready
        # the database is the run's own, as for `fraiseql-data seed FILE.sql`: load with constraints re-created
        report, seconds = timed_seed(dsn, SeedOptions(rows=rows, seed=seed), progress, rebuild=True, jobs=jobs)
        counts = row_counts(dsn, report.dataset)
    total = sum(counts.values())
    print(f"rows: {total} in all ({', '.join(f'{t}={n}' for t, n in counts.items())})")
    for note in report.dataset.notes:
        print(f"note: {note}")
    print(f"server start + DDL: {ready - started:.2f} s")
    print(f"seeding end to end: {seconds:.2f} s ({total / seconds:,.0f} rows/s; goal < 15 s for 1M rows)")
    print(f"    generate {report.generate_seconds:.2f} s, COPY+commit {report.load_seconds:.2f} s, "
          f"connect+introspect {seconds - report.generate_seconds - report.load_seconds:.2f} s")
    print(f"peak RSS: {peak_rss_mib():.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser, rows=250_000)
    args = parser.parse_args()
    progress = ProgressLog()
    run_guarded(args, progress, lambda: run(args.rows, args.seed, progress, args.jobs))


if __name__ == "__main__":
    main()
