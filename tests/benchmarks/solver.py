"""Solver throughput, generation only (no database writes): the CHECK-compiler and keys figures.

    python -m tests.benchmarks.solver coupled   # one 100k-row table, eight columns tied by CHECKs
    python -m tests.benchmarks.solver keys      # 1M rows: a tight 3-column UNIQUE over two FKs

The schema is read from a throwaway embedded server; generation itself touches no database.
"""

from __future__ import annotations

import argparse
import time

from tests.benchmarks.harness import peak_rss_mib

from fraiseql_data.generate import SeedOptions, generate
from fraiseql_data.run import embedded_database
from fraiseql_data.schema.introspect import introspect

COUPLED = """
CREATE TYPE phase AS ENUM ('planned', 'running', 'paused', 'done');
CREATE TABLE job (
    id bigint PRIMARY KEY,
    phase phase NOT NULL,
    planned_on date NOT NULL,
    started_on date,
    finished_on date,
    budget numeric(10, 2) NOT NULL,
    spent numeric(10, 2) NOT NULL,
    workers smallint NOT NULL,
    priority smallint NOT NULL,
    CONSTRAINT started_after_plan CHECK (started_on IS NULL OR started_on >= planned_on),
    CONSTRAINT finished_after_start CHECK (finished_on IS NULL OR finished_on > started_on),
    CONSTRAINT phase_dates CHECK ((phase = 'planned') = (started_on IS NULL)),
    CONSTRAINT done_has_end CHECK ((phase = 'done') = (finished_on IS NOT NULL)),
    CONSTRAINT within_budget CHECK (spent <= budget AND spent >= 0 AND budget > 0),
    CONSTRAINT staffed CHECK (workers BETWEEN 1 AND 50 AND (phase <> 'running' OR workers >= 3)),
    CONSTRAINT urgent_small CHECK (priority BETWEEN 1 AND 5 AND (priority < 4 OR budget < 50000))
);
"""

KEYS = """
CREATE TABLE warehouse (id integer PRIMARY KEY);
CREATE TABLE product (id integer PRIMARY KEY);
CREATE TABLE stock (
    fk_warehouse integer NOT NULL REFERENCES warehouse (id),
    fk_product integer NOT NULL REFERENCES product (id),
    bin smallint NOT NULL CHECK (bin BETWEEN 1 AND 12),
    quantity integer NOT NULL CHECK (quantity >= 0),
    CONSTRAINT one_slot UNIQUE (fk_warehouse, fk_product, bin)
);
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("which", choices=["coupled", "keys"])
    parser.add_argument("--rows", type=int, help="rows of the measured table (default 100k / 1M)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.which == "coupled":
        ddl, table, rows, counts = COUPLED, "public.job", args.rows or 100_000, {}
    else:
        # 1M stock rows over 300 x 300 x 12 = 1.08M (warehouse, product, bin) slots: barely larger than the count
        ddl, table, rows, counts = KEYS, "public.stock", args.rows or 1_000_000, {
            "public.warehouse": 300, "public.product": 300}
    with embedded_database(ddl) as conn:
        schema = introspect(conn)
    options = SeedOptions(rows=rows, seed=args.seed, rows_for=counts)
    started = time.perf_counter()
    dataset = generate(schema, options)
    seconds = time.perf_counter() - started
    data = dataset.tables[table]
    print(f"table: {table}")
    print(f"rows: {data.n}")
    print(f"generation: {seconds:.2f} s ({data.n / seconds:,.0f} rows/s, all tables)")
    print(f"peak RSS: {peak_rss_mib():.0f} MiB")
    if args.which == "keys":
        slots = set(zip(data.text["fk_warehouse"], data.text["fk_product"], data.text["bin"], strict=True))
        print(f"distinct (warehouse, product, bin): {len(slots)}")


if __name__ == "__main__":
    main()
