"""`fraiseql-data coverage`: the CI command.

Exit codes: 0 when every constraint is satisfiable and enforced (or, with
--baseline, when nothing is worse than the baseline); 1 otherwise, and for
errors of this package; 2 for usage errors (click's).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from fraiseql_data.coverage import CoverageResult, Finding, run_coverage, worse
from fraiseql_data.run import connect, embedded_database


def read_baseline(path: Path) -> list[Finding]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [Finding.from_json(item) for item in data["constraints"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise click.BadParameter(f"{path}: not a coverage JSON report ({error})", param_hint="--baseline") from None


def run(ddl: Path | None, dsn: str | None, seed: int) -> CoverageResult:
    """FILE is the truth when given; --dsn is what is probed when given; else the embedded server is both."""
    if ddl is None:
        assert dsn is not None
        with connect(dsn) as conn:
            return run_coverage(conn, seed=seed)
    with embedded_database(ddl.read_text(encoding="utf-8")) as truth:
        if dsn is None:
            return run_coverage(truth, seed=seed)
        with connect(dsn) as live:
            return run_coverage(truth, live, seed=seed)


@click.command(name="coverage")
@click.argument("ddl", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dsn", help="Probe this database (with FILE: FILE says which constraints must exist).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit"]), default="text", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here.")
@click.option("--baseline", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A previous --format json report: fail only on what got worse.")
@click.option("--seed", "seed_value", type=int, default=0, show_default=True, help="Random seed of the witness rows.")
def coverage(ddl: Path | None, dsn: str | None, fmt: str, output: Path | None, baseline: Path | None,
             seed_value: int) -> None:
    """Prove every constraint is modelled, satisfiable and enforced (rolls everything back).

    \b
    fraiseql-data coverage schema.sql
    fraiseql-data coverage schema.sql --dsn postgresql:///app --format junit --output coverage.xml
    fraiseql-data coverage --dsn postgresql:///app --format json --baseline coverage-baseline.json
    """
    if ddl is None and dsn is None:
        raise click.UsageError("give a DDL file, --dsn, or both")
    before = read_baseline(baseline) if baseline else None
    result = run(ddl, dsn, seed_value)
    regressed = worse(result.findings, before) if before is not None else result.failed
    from fraiseql_data.coverage.report import as_json, as_junit, as_text

    if fmt == "json":
        text = as_json(result)
    elif fmt == "junit":
        text = as_junit(result)
    else:
        text = as_text(result, regressed if before is not None else ())
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    if regressed:
        what = "worse than the baseline" if before is not None else "not satisfiable or not enforced"
        click.echo(f"{len(regressed)} constraint(s) {what}", err=True)
        sys.exit(1)
