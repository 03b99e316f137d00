"""The solver model corpus: every schema in solver_models/ seeded into a real PostgreSQL.

Each model's header (see solver_models/README.md) states what must happen:
how its CHECKs classify, and whether seeding fills every table (up to a
declared capacity), fails as unsatisfiable naming the conflicting CHECKs, or
is rejected by PostgreSQL. Either way a failed run must leave no rows behind.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from fraiseql_data.constraints.compile import EXACT, OPAQUE, STRING, compile_table
from fraiseql_data.errors import SeedingError, UnsatisfiableError
from fraiseql_data.generate import SeedOptions
from fraiseql_data.run import seed_dsn
from fraiseql_data.schema.introspect import introspect
from fraiseql_data.schema.model import Schema

MODELS_DIR = Path(__file__).parents[1] / "solver_models"
AS_OF = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # classification does not depend on the clock
DEFAULT_ROWS = 100
SLOW_ENV = "FRAISEQL_DATA_SLOW_MODELS"  # set to run the models whose header says `slow`
HEADER_LINE = re.compile(r"--\s*([a-z-]+):\s*(.*?)\s*$")
KEYS = {"about", "expect", "conflict", "classification", "rows", "capacity", "known-failure", "slow"}
OUTCOMES = {"satisfiable", "unsatisfiable", "rejected"}


@dataclass(frozen=True)
class Model:
    """One corpus file: its DDL and the outcome its header promises."""

    name: str
    ddl: str
    expect: str
    classification: dict[str, int]
    rows: int = DEFAULT_ROWS
    capacity: dict[str, int] = field(default_factory=dict)
    conflict_table: str | None = None
    conflict: frozenset[str] = frozenset()
    known_failure: str | None = None
    slow: str | None = None


def parse_pairs(text: str, separator: str) -> dict[str, str]:
    """`a=1 b=2` or `a=1, b=2` → {"a": "1", "b": "2"}."""
    pairs = (item.split(separator, 1) for item in re.split(r"[,\s]+", text) if item)
    return {key.strip(): value.strip() for key, value in pairs}


def read_model(path: Path) -> Model:
    """Parse the leading `-- key: value` block; a malformed header fails collection loudly."""
    ddl = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    for line in ddl.splitlines():
        if not line.startswith("--"):
            break
        found = HEADER_LINE.fullmatch(line)
        if found is None or found.group(1) not in KEYS:
            raise ValueError(f"{path.name}: header line {line!r} is not `-- key: value` with a known key")
        header[found.group(1)] = found.group(2)
    expect = header.get("expect")
    if expect not in OUTCOMES or "about" not in header or "classification" not in header:
        raise ValueError(f"{path.name}: the header needs about, classification and expect (one of {OUTCOMES})")
    classification = {key: int(value) for key, value in parse_pairs(header["classification"], "=").items()}
    if set(classification) != {EXACT, STRING, OPAQUE}:
        raise ValueError(f"{path.name}: classification must count exact, string and opaque")
    conflict_table, conflict = None, frozenset[str]()
    if expect == "unsatisfiable":
        if ":" not in header.get("conflict", ""):
            raise ValueError(f"{path.name}: an unsatisfiable model names `-- conflict: schema.table: names`")
        conflict_table, names = header["conflict"].split(":", 1)
        conflict = frozenset(name.strip() for name in names.split(","))
    return Model(
        name=path.stem, ddl=ddl, expect=expect, classification=classification,
        rows=int(header.get("rows", DEFAULT_ROWS)),
        capacity={table: int(n) for table, n in parse_pairs(header.get("capacity", ""), "=").items()},
        conflict_table=conflict_table, conflict=conflict,
        known_failure=header.get("known-failure"), slow=header.get("slow"),
    )


def model_params() -> Sequence[object]:
    params: list[object] = []
    for path in sorted(MODELS_DIR.glob("*.sql")):
        model = read_model(path)
        marks = [pytest.mark.xfail(strict=True, reason=model.known_failure)] if model.known_failure else []
        if model.slow:
            reason = f"slow (set {SLOW_ENV}=1): {model.slow}"
            marks.append(pytest.mark.skipif(not os.environ.get(SLOW_ENV), reason=reason))
        params.append(pytest.param(model, id=model.name, marks=marks))
    return params


def classification_counts(schema: Schema) -> dict[str, int]:
    counted = Counter({EXACT: 0, STRING: 0, OPAQUE: 0})
    for table in schema.tables:
        counted.update(check.classification for check in compile_table(table, schema, AS_OF).checks)
    return dict(counted)


def row_counts(dsn: str, schema: Schema) -> dict[str, int]:
    with psycopg.connect(dsn) as conn:
        counts = {}
        for table in schema.tables:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table.schema, table.name))
            row = conn.execute(query).fetchone()
            counts[table.qualified] = row[0] if row else 0
        return counts


@pytest.mark.parametrize("model", model_params())
def test_solver_model(model: Model, make_db: Callable[[str], str]) -> None:
    dsn = make_db(model.ddl)
    with psycopg.connect(dsn) as conn:
        schema = introspect(conn)
    assert set(model.capacity) <= {t.qualified for t in schema.tables}, "capacity names an unknown table"
    assert classification_counts(schema) == model.classification

    options = SeedOptions(rows=model.rows, seed=1, allow_opaque=True)
    empty = {table.qualified: 0 for table in schema.tables}
    if model.expect == "satisfiable":
        seed_dsn(dsn, options)
        expected = {table.qualified: model.capacity.get(table.qualified, model.rows) for table in schema.tables}
        assert row_counts(dsn, schema) == expected
    elif model.expect == "unsatisfiable":
        with pytest.raises(UnsatisfiableError) as caught:
            seed_dsn(dsn, options)
        assert caught.value.table == model.conflict_table
        assert {c.name for c in caught.value.constraints} == model.conflict
        assert row_counts(dsn, schema) == empty
    else:
        with pytest.raises(SeedingError):
            seed_dsn(dsn, options)
        assert row_counts(dsn, schema) == empty
