"""The `fraiseql-data` command line.

Errors of this package print as one clear message on stderr with exit code 1;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import click
import psycopg
from click.core import ParameterSource

from fraiseql_data.config import Config, find_config, parse_moment, read_config
from fraiseql_data.errors import FraiseQLDataError
from fraiseql_data.generate import Progress, SeedOptions
from fraiseql_data.run import RunReport, connect, embedded_database, seed_connection
from fraiseql_data.schema.ddl import parse_ddl
from fraiseql_data.schema.introspect import introspect
from fraiseql_data.solver.fanout import parse_children, parse_tree
from fraiseql_data.values.identity import SCENARIOS, TEST_CASES, UUID_MODES
from fraiseql_data.values.overrides import parse_assignment


class Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FraiseQLDataError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(1)


@click.group(cls=Group)
@click.version_option(package_name="fraiseql-data")
def main() -> None:
    """Rows that every CHECK, UNIQUE and FOREIGN KEY of a PostgreSQL schema accepts.

    \b
    Examples:
      fraiseql-data seed examples/catalog/schema.sql --rows 1000
      fraiseql-data seed --dsn postgresql://localhost/dev --rows 100 --seed 7
      fraiseql-data introspect --dsn postgresql://localhost/dev --show-deps
    """


def parse_rows_for(values: tuple[str, ...]) -> dict[str, int]:
    counts = {}
    for item in values:
        name, sep, count = item.rpartition("=")
        if not sep or not name or not count.isdigit():
            raise click.BadParameter(f"{item!r}: expected schema.table=N", param_hint="--rows-for")
        counts[name] = int(count)
    return counts


def per_column(values: tuple[str, ...], option: str) -> dict[str, dict[str, str]]:
    """'shop.orders.amount=normal(300, 100)' → {'shop.orders': {'amount': 'normal(300, 100)'}}."""
    found: dict[str, dict[str, str]] = {}
    for item in values:
        target, sep, value = item.partition("=")
        table, dot, column = target.strip().rpartition(".")
        if not sep or not dot or not table or not column or not value.strip():
            raise click.BadParameter(f"{item!r}: expected [SCHEMA.]TABLE.COLUMN=VALUE", param_hint=option)
        found.setdefault(table, {})[column] = value.strip()
    return found


def null_rates(values: tuple[str, ...]) -> dict[str, dict[str, float]]:
    rates: dict[str, dict[str, float]] = {}
    for table, columns in per_column(values, "--nulls").items():
        for column, rate in columns.items():
            try:
                rates.setdefault(table, {})[column] = float(rate)
            except ValueError:
                raise click.BadParameter(f"{table}.{column}={rate}: the rate is not a number",
                                         param_hint="--nulls") from None
    return rates


def parse_shapes(values: tuple[str, ...], argument: str, check: Callable[[str, str, str], object]) -> dict[str, str]:
    """`TABLE.COLUMN=SPEC` items → {TABLE.COLUMN: SPEC}, each SPEC parsed once here for an early error."""
    shapes = {}
    for item in values:
        target, sep, spec = item.partition("=")
        if not sep or "." not in target.strip("."):
            raise click.BadParameter(f"{item!r}: expected TABLE.COLUMN=SPEC", param_hint=argument)
        check(spec, argument, target)
        shapes[target] = spec
    return shapes


def as_of_option(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return parse_moment(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date or timestamp (2026-01-31, 2026-01-31T12:00:00+00:00)",
                                 param_hint="--as-of") from None


FLAGS = {"rows": "rows", "seed_value": "seed", "strict": "strict", "allow_opaque": "allow_opaque", "locale": "locale",
         "uuid_mode": "uuid", "scenario": "scenario", "test_case": "test_case",
         "null_rate": "null_rate"}  # parameter → SeedOptions field


def seed_options(ctx: click.Context, base: SeedOptions) -> SeedOptions:
    """The config file's options (or the defaults) with every flag given on the command line on top."""
    params = ctx.params

    def given(name: str) -> bool:
        return ctx.get_parameter_source(name) is not ParameterSource.DEFAULT

    changes: dict[str, Any] = {field: params[name] for name, field in FLAGS.items() if given(name)}
    if given("as_of"):
        changes["as_of"] = as_of_option(params["as_of"])
    if given("rows_for"):
        changes["rows_for"] = {**base.rows_for, **parse_rows_for(params["rows_for"])}
    if given("sets"):
        overrides = {table: dict(columns) for table, columns in base.overrides.items()}
        for item in params["sets"]:
            table, column, spec = parse_assignment(item)
            overrides.setdefault(table, {})[column] = spec
        changes["overrides"] = overrides
    if given("children"):
        changes["children"] = {**base.children, **parse_shapes(params["children"], "--children", parse_children)}
    if given("trees"):
        changes["trees"] = {**base.trees, **parse_shapes(params["trees"], "--tree", parse_tree)}
    if given("dists"):
        changes["distributions"] = merged(base.distributions, per_column(params["dists"], "--dist"))
    if given("nulls"):
        changes["null_rates"] = merged(base.null_rates, null_rates(params["nulls"]))
    return replace(base, **changes)


V = TypeVar("V")


def merged(base: Mapping[str, Mapping[str, V]], given: dict[str, dict[str, V]]) -> dict[str, dict[str, V]]:
    """Per-column settings from the command line over the config file's, column by column."""
    out = {table: dict(columns) for table, columns in base.items()}
    for table, columns in given.items():
        out.setdefault(table, {}).update(columns)
    return out


def read_seed_config(path: Path | None) -> Config | None:
    """--config FILE, else fraiseql-data.toml or pyproject.toml's [tool.fraiseql-data] here, else none."""
    found = path or find_config()
    return read_config(found) if found is not None else None


def check_config(conn: psycopg.Connection[Any], config: Config | None) -> None:
    """The tables and columns the config file names exist (an error naming the key and the file, before seeding)."""
    if config is not None and config.tables:
        config.check(introspect(conn))


def progress_printer() -> tuple[Progress | None, Callable[[], None]]:
    """A progress bar on a terminal (tables done, rows, rows/s, ETA); silence otherwise."""
    if not sys.stderr.isatty():
        return None, lambda: None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
              TextColumn("{task.fields[rows]:,} rows, {task.fields[rate]:,.0f} rows/s"), TimeRemainingColumn(),
              console=Console(stderr=True), transient=True)
    task = bar.add_task("generating", total=None, rows=0, rate=0.0)
    started = time.perf_counter()
    rows_so_far = 0
    bar.start()

    def step(table: str, rows: int, done: int, total: int) -> None:
        nonlocal rows_so_far
        rows_so_far += rows
        rate = rows_so_far / max(time.perf_counter() - started, 1e-9)
        bar.update(task, description=f"generated {table}", completed=done, total=total, rows=rows_so_far,
                   rate=rate)

    return step, bar.stop


def summary(report: RunReport, out: Callable[[str], None]) -> None:
    dataset = report.dataset
    width = max((len(n) for n in dataset.tables), default=10)
    total = 0
    for name, data in dataset.tables.items():
        out(f"  {name:<{width}}  {data.n:>9} rows")
        total += data.n
    out(f"  {'total':<{width}}  {total:>9} rows  (generated in {report.generate_seconds:.2f} s, "
        f"loaded in {report.load_seconds:.2f} s)")
    for edge in dataset.broken:
        out(f"  cycle: {edge}")
    for note in dataset.notes:
        out(f"  fewer rows: {note}")


@main.command()
@click.argument("ddl", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dsn", help="Seed this database (every table of every non-system schema).")
@click.option("--rows", type=click.IntRange(min=0), default=10, show_default=True, help="Target rows per table.")
@click.option("--seed", "seed_value", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--rows-for", multiple=True, metavar="SCHEMA.TABLE=N", help="Exact row count for one table.")
@click.option("--strict/--no-strict", default=False,
              help="Fail when a table's constraints allow fewer rows than --rows.")
@click.option("--dry-run", is_flag=True, help="Seed, report, roll back.")
@click.option("--as-of", help="The fixed clock for CURRENT_DATE/now() (ISO date or timestamp).")
@click.option("--allow-opaque/--no-allow-opaque", default=False,
              help="Seed tables whose CHECKs are not modelled; PostgreSQL judges.")
@click.option("--set", "sets", multiple=True, metavar="SCHEMA.TABLE.COLUMN=VALUE",
              help="Override a column: a constant, [a,b,c] to cycle, faker:PROVIDER, or a pattern (ABC-####).")
@click.option("--locale", default="en_US", show_default=True, help="Faker locale for values chosen by column name.")
@click.option("--uuid", "uuid_mode", type=click.Choice(UUID_MODES), default="pattern", show_default=True,
              help="Trinity `id`s: decodable fraiseql-uuid pattern ids, or seeded random UUID v4s.")
@click.option("--scenario", type=click.IntRange(0, SCENARIOS - 1), default=0, show_default=True,
              help="Scenario number carried in pattern ids.")
@click.option("--test-case", type=click.IntRange(0, TEST_CASES - 1), default=0, show_default=True,
              help="Test case number carried in pattern ids.")
@click.option("--dist", "dists", multiple=True, metavar="SCHEMA.TABLE.COLUMN=SPEC",
              help="Distribution of a numeric, date or timestamp column within its CHECKs: uniform, "
                   "uniform(low, high), normal(mean, sd), lognormal(mu, sigma) or zipf(a).")
@click.option("--null-rate", type=click.FloatRange(0, 1), default=0.1, show_default=True,
              help="Share of NULLs in nullable columns (where their CHECKs allow NULL).")
@click.option("--nulls", multiple=True, metavar="SCHEMA.TABLE.COLUMN=RATE", help="Null rate of one column.")
@click.option("--children", multiple=True, metavar="TABLE.COLUMN=SPEC",
              help="Children per parent of a foreign key: uniform (default), zipf(A) with A > 1, or exact(N).")
@click.option("--tree", "trees", multiple=True, metavar="TABLE.COLUMN=SHAPE",
              help="Shape of a self-reference: depth:N,fanout:N,roots:N (defaults: depth 5, fan-out 5, a few roots).")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes making a large table's rows while this one writes them (same rows for any number).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Options file (default: ./fraiseql-data.toml, else [tool.fraiseql-data] in ./pyproject.toml).")
@click.option("--format", "fmt", type=click.Choice(["sql", "json", "csv"]), help="Write the rows as this format.")
@click.option("--output", type=click.Path(path_type=Path), help="Output file (sql, json) or directory (csv).")
@click.pass_context
def seed(ctx: click.Context, ddl: Path | None, dsn: str | None, dry_run: bool, jobs: int, config_path: Path | None,
         fmt: str | None, output: Path | None, **_: Any) -> None:
    """Seed a database (--dsn) or a DDL file through the embedded PostgreSQL.

    Options come from a config file when there is one; flags given here win.

    \b
    fraiseql-data seed --dsn postgresql:///dev --rows 100 --seed 1
    fraiseql-data seed schema.sql --rows 1000 --format sql --output seed.sql
    fraiseql-data seed schema.sql --rows 1000 --dist 'shop.orders.amount=normal(120, 40)'
    fraiseql-data seed schema.sql --children shop.tb_order.fk_customer='zipf(1.5)' --tree tb_category.fk_parent=depth:4
    """
    if (ddl is None) == (dsn is None):
        raise click.UsageError("give either a DDL file or --dsn")
    config = read_seed_config(config_path)
    options = seed_options(ctx, config.options if config is not None else SeedOptions())
    step, stop = progress_printer()
    try:
        if dsn is not None:
            with connect(dsn) as conn:
                check_config(conn, config)
                report = seed_connection(conn, options, dry_run=dry_run, progress=step, keep_rows=fmt is not None,
                                         jobs=jobs)
        else:
            assert ddl is not None
            with embedded_database(ddl.read_text(encoding="utf-8")) as conn:
                check_config(conn, config)
                report = seed_connection(conn, options, dry_run=True, progress=step, rebuild=True,
                                         keep_rows=fmt is not None, jobs=jobs)
    finally:
        stop()
    if dsn is None:
        where = "accepted by PostgreSQL on the embedded server"
    else:
        where = "rolled back (dry run)" if dry_run else "committed"
    click.echo(f"seeded {len(report.dataset.tables)} tables, {where}:", err=fmt is not None and output is None)
    summary(report, lambda line: click.echo(line, err=fmt is not None and output is None))
    if fmt is not None:
        write_output(report, fmt, output)


def write_output(report: RunReport, fmt: str, output: Path | None) -> None:
    from fraiseql_data.sinks.files import write_csv, write_json, write_sql

    if fmt == "csv":
        for path in write_csv(report.dataset, output or Path("seed-csv")):
            click.echo(f"wrote {path}", err=True)
        return
    writer = write_sql if fmt == "sql" else write_json
    if output is None:
        writer(report.dataset, sys.stdout)
        return
    with output.open("w", encoding="utf-8") as handle:
        writer(report.dataset, handle)
    click.echo(f"wrote {output}", err=True)


@main.command(name="introspect")
@click.argument("ddl", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dsn", help="Read this database's schema.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--show-deps", is_flag=True, help="Show the foreign-key fill order and how cycles are broken.")
def introspect_command(ddl: Path | None, dsn: str | None, fmt: str, show_deps: bool) -> None:
    """Show tables, columns, constraints (with each CHECK's classification) and dependencies.

    \b
    fraiseql-data introspect schema.sql --show-deps
    fraiseql-data introspect --dsn postgresql:///dev --format json
    """
    if (ddl is None) == (dsn is None):
        raise click.UsageError("give either a DDL file or --dsn")
    if dsn is not None:
        with connect(dsn) as conn:
            schema = introspect(conn)
    else:  # offline: the DDL reader agrees with pg_catalog (tests/test_readers_agree.py)
        assert ddl is not None
        schema = parse_ddl(ddl.read_text(encoding="utf-8"))
    from fraiseql_data.report import describe_schema, schema_json

    if fmt == "json":
        click.echo(json.dumps(schema_json(schema), indent=1))
    else:
        click.echo(describe_schema(schema, show_deps=show_deps))


from fraiseql_data.cli_coverage import coverage  # noqa: E402  (the command lives in its own module)

main.add_command(coverage)
