"""Issue 8's memory target: 10M rows into one table with peak RSS <= 300 MB.

Peak RSS is this process's (`resource.getrusage`), i.e. the generator and the COPY
client, not the PostgreSQL server. A run past the time limit is stopped and says
how far it got.

    python -m tests.benchmarks.memory [--rows 10000000] [--time-limit 600]
"""

from __future__ import annotations

import argparse
import time

from tests.benchmarks.harness import (
    ProgressLog,
    add_common_arguments,
    create_with_ddl,
    current_rss_mib,
    peak_rss_mib,
    run_guarded,
    timed_seed,
)

from fraiseql_data.generate import SeedOptions
from fraiseql_data.server import EmbeddedPostgres

EVENT_DDL = """
CREATE SCHEMA bench;

CREATE TABLE bench.tb_event (
    pk_event BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('view', 'click', 'purchase', 'refund')),
    amount INTEGER NOT NULL CHECK (amount BETWEEN 0 AND 1000000),
    happened_on DATE NOT NULL
);
"""


def run(rows: int, seed: int, progress: ProgressLog, jobs: int = 1) -> None:
    with EmbeddedPostgres() as server:
        dsn = create_with_ddl(server, "events", EVENT_DDL)
        progress.started = time.perf_counter()
        print(f"RSS before seeding: {current_rss_mib():.0f} MiB", flush=True)
        report, seconds = timed_seed(dsn, SeedOptions(rows=rows, seed=seed), progress, jobs=jobs)
    total = sum(data.n for data in report.dataset.tables.values())
    print(f"rows: {total}")
    print(f"seeding end to end: {seconds:.2f} s ({total / seconds:,.0f} rows/s)")
    print(f"    generate {report.generate_seconds:.2f} s, COPY+commit {report.load_seconds:.2f} s")
    print(f"peak RSS: {peak_rss_mib():.0f} MiB (goal <= 300 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser, rows=10_000_000)
    args = parser.parse_args()
    progress = ProgressLog()
    run_guarded(args, progress, lambda: run(args.rows, args.seed, progress, args.jobs))


if __name__ == "__main__":
    main()
