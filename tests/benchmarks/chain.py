"""Issue 8's headline ratio: seeding a 4-table FK chain vs `psql` COPYing the very same rows.

One embedded server, two databases holding the same DDL. (a) fraiseql-data end to
end into the first (connect, introspect, generate, COPY, commit); (b) the same
dataset written as a SQL script (`write_sql`) and run by `psql -f` into the
second. Both loads go into empty, fully constrained tables, so the ratio (a)/(b)
is the engine's overhead over a plain COPY of its own output.

    python -m tests.benchmarks.chain [--rows 100000] [--profile [--profile-out chain.prof]]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from tests.benchmarks.harness import (
    ProgressLog,
    add_common_arguments,
    create_with_ddl,
    peak_rss_mib,
    profiled,
    row_counts,
    run_guarded,
    timed_psql_load,
    timed_seed,
)

from fraiseql_data.generate import SeedOptions, generate
from fraiseql_data.server import EmbeddedPostgres

# Trinity tables (pk_<x> identity, id uuid, identifier text), 11 IN/BETWEEN CHECKs, one multi-column UNIQUE.
CHAIN_DDL = """
CREATE SCHEMA bench;

CREATE TABLE bench.tb_region (
    pk_region BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id UUID NOT NULL UNIQUE,
    identifier TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    zone TEXT NOT NULL CHECK (zone IN ('north', 'south', 'east', 'west')),
    priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 10)
);

CREATE TABLE bench.tb_customer (
    pk_customer BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id UUID NOT NULL UNIQUE,
    identifier TEXT NOT NULL UNIQUE,
    fk_region BIGINT NOT NULL REFERENCES bench.tb_region (pk_region),
    email TEXT NOT NULL,
    tier TEXT NOT NULL CHECK (tier IN ('free', 'pro', 'enterprise')),
    age INTEGER CHECK (age BETWEEN 18 AND 120),
    credit NUMERIC(10, 2) NOT NULL CHECK (credit BETWEEN 0 AND 100000)
);

CREATE TABLE bench.tb_order (
    pk_order BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id UUID NOT NULL UNIQUE,
    identifier TEXT NOT NULL UNIQUE,
    fk_customer BIGINT NOT NULL REFERENCES bench.tb_customer (pk_customer),
    status TEXT NOT NULL CHECK (status IN ('new', 'paid', 'shipped', 'cancelled')),
    placed_on DATE NOT NULL CHECK (placed_on BETWEEN DATE '2020-01-01' AND DATE '2025-12-31'),
    total NUMERIC(12, 2) NOT NULL CHECK (total BETWEEN 0 AND 1000000)
);

CREATE TABLE bench.tb_order_line (
    pk_order_line BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id UUID NOT NULL UNIQUE,
    identifier TEXT NOT NULL UNIQUE,
    fk_order BIGINT NOT NULL REFERENCES bench.tb_order (pk_order),
    line_no SMALLINT NOT NULL CHECK (line_no BETWEEN 1 AND 50),
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    unit TEXT NOT NULL CHECK (unit IN ('piece', 'box', 'pallet')),
    CONSTRAINT order_line_position UNIQUE (fk_order, line_no)
);
"""


def compare(rows: int, seed: int, progress: ProgressLog, rebuild: bool = False, jobs: int = 1) -> None:
    """Print (a), (b), the ratio, and the split of (a). `rebuild`: (a) loads as for a database it owns."""
    options = SeedOptions(rows=rows, seed=seed)
    with EmbeddedPostgres() as server, tempfile.TemporaryDirectory(prefix="fraiseql-bench-") as scratch:
        seeded = create_with_ddl(server, "seeded", CHAIN_DDL)
        baseline = create_with_ddl(server, "baseline", CHAIN_DDL)
        progress.started = time.perf_counter()
        report, engine_seconds = timed_seed(seeded, options, progress, rebuild=rebuild, jobs=jobs)
        same_rows = generate(report.schema, options)  # the seeded run streamed its rows and kept none
        psql_seconds, script_bytes = timed_psql_load(baseline, same_rows, Path(scratch))
        total = sum(data.n for data in report.dataset.tables.values())
        counts = row_counts(seeded, report.dataset)
        if counts != row_counts(baseline, report.dataset):
            raise SystemExit(f"the two loads disagree: {counts} vs {row_counts(baseline, report.dataset)}")
    rest = engine_seconds - report.generate_seconds - report.load_seconds
    print(f"rows: {rows} per table, {total} in all ({', '.join(f'{t}={n}' for t, n in counts.items())})")
    print(f"(a) fraiseql-data end to end: {engine_seconds:.2f} s ({total / engine_seconds:,.0f} rows/s)")
    print(f"    generate {report.generate_seconds:.2f} s, COPY+commit {report.load_seconds:.2f} s, "
          f"connect+introspect {rest:.2f} s")
    print(f"(b) psql -f of the same rows: {psql_seconds:.2f} s ({total / psql_seconds:,.0f} rows/s, "
          f"script {script_bytes / 2**20:.1f} MiB)")
    print(f"ratio (a)/(b): {engine_seconds / psql_seconds:.2f} (goal <= 2.0, aim 1.3)")
    print(f"ratio COPY part of (a)/(b): {report.load_seconds / psql_seconds:.2f}")
    print(f"peak RSS: {peak_rss_mib():.0f} MiB")


def profile(rows: int, seed: int, out: Path | None, progress: ProgressLog) -> None:
    """cProfile one end-to-end seeding; where the Python time goes."""
    options = SeedOptions(rows=rows, seed=seed)
    with EmbeddedPostgres() as server:
        seeded = create_with_ddl(server, "seeded", CHAIN_DDL)
        started = progress.started = time.perf_counter()
        (report, _), stats = profiled(lambda: timed_seed(seeded, options, progress), out=out)
        wall = time.perf_counter() - started
    print(f"profiled run: {wall:.2f} s under cProfile (generate {report.generate_seconds:.2f} s, "
          f"COPY+commit {report.load_seconds:.2f} s)")
    print(stats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser, rows=100_000)
    parser.add_argument("--profile", action="store_true", help="profile one seeding instead of comparing")
    parser.add_argument("--profile-out", type=Path, help="also write the raw cProfile stats here")
    parser.add_argument("--rebuild", action="store_true",
                        help="(a) loads with constraints re-created at the end, as for a database the run owns")
    args = parser.parse_args()
    progress = ProgressLog()
    if args.profile:
        run_guarded(args, progress, lambda: profile(args.rows, args.seed, args.profile_out, progress))
    else:
        run_guarded(args, progress, lambda: compare(args.rows, args.seed, progress, args.rebuild, args.jobs))


if __name__ == "__main__":
    main()
