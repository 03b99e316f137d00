"""Foreign-key cycles of three tables, and cycles with self-references, loaded into PostgreSQL.

Each schema is seeded through COPY (seed_dsn), through the SQL script output
(psql), and through the CLI with a DDL file; every row must be accepted and the
joins must find each child's parent.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from fraiseql_data.cli import main
from fraiseql_data.errors import CapacityError
from fraiseql_data.generate import SeedOptions, generate
from fraiseql_data.run import seed_dsn
from fraiseql_data.schema.introspect import introspect
from fraiseql_data.server import find_bindir
from fraiseql_data.sinks.files import write_sql
from test_seed import counts, run_script

RING = """
CREATE TABLE a (id int PRIMARY KEY, b_id int NOT NULL);
CREATE TABLE b (id int PRIMARY KEY, c_id int NOT NULL);
CREATE TABLE c (id int PRIMARY KEY, a_id int {c_to_a});
ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b;
ALTER TABLE b ADD FOREIGN KEY (c_id) REFERENCES c;
ALTER TABLE c ADD FOREIGN KEY (a_id) REFERENCES a {deferrable};
"""
NULLABLE_EDGE = RING.format(c_to_a="CHECK (a_id % 2 = 0)", deferrable="")
DEFERRABLE_EDGE = RING.format(c_to_a="NOT NULL UNIQUE", deferrable="DEFERRABLE INITIALLY IMMEDIATE")
EDGES = (("a", "b_id", "b"), ("b", "c_id", "c"), ("c", "a_id", "a"))


def orphans_and_links(dsn: str, edges: tuple[tuple[str, str, str], ...]) -> dict[str, tuple[int, int]]:
    """Per foreign key: (children whose parent the join does not find, children joined to a parent)."""
    found = {}
    with psycopg.connect(dsn) as conn:
        for child, column, parent in edges:
            row = conn.execute(f"SELECT count(*) FILTER (WHERE c.{column} IS NOT NULL AND p.id IS NULL), count(p.id) "
                               f"FROM {child} c LEFT JOIN {parent} p ON p.id = c.{column}").fetchone()
            assert row is not None
            found[f"{child}.{column}"] = (row[0], row[1])
    return found


def seed_three_ways(make_db, ddl: str, tmp_path: Path, rows: int) -> list[str]:
    """The same schema seeded by COPY, by the SQL script and by the CLI's DDL-file run (its SQL output loaded)."""
    by_copy = make_db(ddl)
    seed_dsn(by_copy, SeedOptions(rows=rows, seed=6))
    by_script = make_db(ddl)
    with psycopg.connect(by_script) as conn:
        dataset = generate(introspect(conn), SeedOptions(rows=rows, seed=6))
    run_script(by_script, dataset, tmp_path / "script.sql")
    schema_file, output = tmp_path / "schema.sql", tmp_path / "cli.sql"
    schema_file.write_text(ddl)
    result = CliRunner().invoke(main, ["seed", str(schema_file), "--rows", str(rows), "--seed", "6",
                                       "--format", "sql", "--output", str(output)])
    assert result.exit_code == 0, result.output
    by_cli = make_db(ddl)
    subprocess.run([str(Path(find_bindir()) / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", by_cli,
                    "-f", str(output)], check=True)
    return [by_copy, by_script, by_cli]


def test_three_cycle_through_a_nullable_edge(make_db, tmp_path: Path) -> None:
    for dsn in seed_three_ways(make_db, NULLABLE_EDGE, tmp_path, 60):
        assert counts(dsn) == {"public.a": 60, "public.b": 60, "public.c": 60}
        links = orphans_and_links(dsn, EDGES)
        assert links["a.b_id"] == (0, 60) and links["b.c_id"] == (0, 60)
        assert links["c.a_id"][0] == 0 and links["c.a_id"][1] > 30  # the cut key got real parents afterwards
        with psycopg.connect(dsn) as conn:  # ...and only those its CHECK accepts
            assert conn.execute("SELECT count(*) FROM c WHERE a_id % 2 <> 0").fetchone() == (0,)


def test_three_cycle_through_a_deferrable_unique_edge(make_db, tmp_path: Path) -> None:
    for dsn in seed_three_ways(make_db, DEFERRABLE_EDGE, tmp_path, 40):
        assert counts(dsn) == {"public.a": 40, "public.b": 40, "public.c": 40}
        assert orphans_and_links(dsn, EDGES) == {"a.b_id": (0, 40), "b.c_id": (0, 40), "c.a_id": (0, 40)}
        with psycopg.connect(dsn) as conn:  # 1:1: every a has exactly one c
            assert conn.execute("SELECT count(DISTINCT a_id) FROM c").fetchone() == (40,)


def test_cut_one_to_one_key_needs_enough_parents(make_db) -> None:
    dsn = make_db(DEFERRABLE_EDGE)
    with pytest.raises(CapacityError, match="c_a_id_fkey"):
        seed_dsn(dsn, SeedOptions(rows=10, rows_for={"c": 20, "b": 20}))
    assert counts(dsn) == {"public.a": 0, "public.b": 0, "public.c": 0}


CYCLE_AND_TREES = """
CREATE TABLE team (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, lead_id int NOT NULL,
                   parent_id int NOT NULL REFERENCES team);
CREATE TABLE person (id int PRIMARY KEY, team_id int NOT NULL REFERENCES team, mentor_id int REFERENCES person,
                     desk_id int NOT NULL UNIQUE);
CREATE TABLE desk (id int PRIMARY KEY, person_id int REFERENCES person);
ALTER TABLE team ADD FOREIGN KEY (lead_id) REFERENCES person;
ALTER TABLE person ADD FOREIGN KEY (desk_id) REFERENCES desk (id) DEFERRABLE INITIALLY DEFERRED;
"""


def test_cycle_with_self_references(make_db, tmp_path: Path) -> None:
    for dsn in seed_three_ways(make_db, CYCLE_AND_TREES, tmp_path, 50):
        assert counts(dsn) == {"public.team": 50, "public.person": 50, "public.desk": 50}
        links = orphans_and_links(dsn, (("team", "lead_id", "person"), ("team", "parent_id", "team"),
                                        ("person", "team_id", "team"), ("person", "mentor_id", "person"),
                                        ("person", "desk_id", "desk"), ("desk", "person_id", "person")))
        assert all(orphans == 0 for orphans, _ in links.values())
        assert links["team.lead_id"][1] == 50 and links["team.parent_id"][1] == 50
        with psycopg.connect(dsn) as conn:  # both trees are forests: every row reached from a root
            for table, column in (("team", "parent_id"), ("person", "mentor_id")):
                reached = conn.execute(
                    f"WITH RECURSIVE walk AS (SELECT id FROM {table} WHERE {column} IS NULL OR {column} = id "
                    f"UNION ALL SELECT t.id FROM {table} t JOIN walk w ON t.{column} = w.id WHERE t.id <> w.id) "
                    "SELECT count(*) FROM walk").fetchone()
                assert reached == (50,)


def test_fanout_on_a_cut_edge(make_db) -> None:
    dsn = make_db(NULLABLE_EDGE)
    seed_dsn(dsn, SeedOptions(rows=200, seed=2, children={"c.a_id": "zipf(3)"}))
    with psycopg.connect(dsn) as conn:
        top = conn.execute("SELECT count(*) FROM c GROUP BY a_id HAVING a_id IS NOT NULL "
                           "ORDER BY 1 DESC LIMIT 1").fetchone()
        assert top is not None and top[0] > 100  # 1/zeta(3) ≈ 83% of the non-NULL keys
    assert orphans_and_links(dsn, EDGES)["c.a_id"][0] == 0


def test_sql_output_of_a_cycle_is_deterministic(make_db) -> None:
    dsn = make_db(NULLABLE_EDGE)
    with psycopg.connect(dsn) as conn:
        schema = introspect(conn)
    scripts = []
    for _ in range(2):
        buffer = io.StringIO()
        write_sql(generate(schema, SeedOptions(rows=30, seed=4)), buffer)
        scripts.append(buffer.getvalue())
    assert scripts[0] == scripts[1] and "UPDATE" in scripts[0]
