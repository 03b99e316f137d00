"""Children per parent and tree shapes, checked in PostgreSQL after loading the rows."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from fraiseql_data.cli import main
from fraiseql_data.errors import CapacityError, UnsupportedError
from fraiseql_data.generate import SeedOptions, generate
from fraiseql_data.run import seed_dsn
from fraiseql_data.schema.introspect import introspect
from fraiseql_data.solver.fanout import FanoutSpecError

SHOP = """
CREATE TABLE customer (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                     customer_id int NOT NULL REFERENCES customer, note text);
CREATE TABLE visit (id serial PRIMARY KEY, customer_id int REFERENCES customer);
CREATE TABLE region (country text, code text, name text, PRIMARY KEY (country, code));
CREATE TABLE store (id serial PRIMARY KEY, country text NOT NULL, code text NOT NULL,
                    FOREIGN KEY (country, code) REFERENCES region);
"""


def one(dsn: str, query: str) -> tuple[Any, ...]:
    with psycopg.connect(dsn) as conn:
        row = conn.execute(query).fetchone()
        assert row is not None
        return row


def per_parent(dsn: str, table: str, column: str, parents: str) -> tuple[int, int, int, int]:
    """(children, parents with any, fewest per parent incl. zero, most per parent) as PostgreSQL counts them."""
    return one(dsn, f"""
        SELECT (SELECT count(*) FROM {table} WHERE {column} IS NOT NULL),
               count(*) FILTER (WHERE n > 0), min(n), max(n)
        FROM (SELECT p.id, count(c.{column}) AS n FROM {parents} p LEFT JOIN {table} c ON c.{column} = p.id
              GROUP BY p.id) counted""")


def test_zipf_skews_children_towards_few_parents(make_db) -> None:
    dsn = make_db(SHOP)
    seed_dsn(dsn, SeedOptions(rows=100, seed=2, rows_for={"orders": 3000, "visit": 3000},
                              children={"orders.customer_id": "zipf(2)"}))
    children, _, _, most = per_parent(dsn, "orders", "customer_id", "customer")
    assert children == 3000
    assert most > 0.4 * 3000  # 1/zeta(2) ≈ 61% go to the most popular customer
    _, used, _, top_uniform = per_parent(dsn, "visit", "customer_id", "customer")  # left uniform
    assert top_uniform < 80 and used > 90


def test_exact_children_sets_the_row_count(make_db) -> None:
    dsn = make_db(SHOP)
    report = seed_dsn(dsn, SeedOptions(rows=40, seed=5, children={
        "public.orders.customer_id": "exact(3)", "store.country": "exact(2)", "visit.customer_id": "exact(1)"}))
    assert report.dataset.tables["public.orders"].n == 120
    assert per_parent(dsn, "orders", "customer_id", "customer") == (120, 40, 3, 3)
    assert per_parent(dsn, "visit", "customer_id", "customer") == (40, 40, 1, 1)  # no random NULLs
    assert one(dsn, "SELECT count(*), min(n), max(n) FROM (SELECT r.country, r.code, count(s.id) AS n FROM region r "
                    "LEFT JOIN store s USING (country, code) GROUP BY 1, 2) x") == (40, 2, 2)
    assert one(dsn, "SELECT count(*) FROM store")[0] == 80


def test_exact_children_with_other_counts(make_db) -> None:
    dsn = make_db(SHOP)
    children = {"orders.customer_id": "exact(3)", "visit.customer_id": "exact(2)"}
    report = seed_dsn(dsn, SeedOptions(rows=30, seed=1, rows_for={"orders": 50, "visit": 100}, children=children))
    orders = per_parent(dsn, "orders", "customer_id", "customer")
    assert orders[0] == 50 and orders[3] <= 3  # fewer rows: never more than N per parent
    assert per_parent(dsn, "visit", "customer_id", "customer") == (60, 30, 2, 2)  # nullable: the rest have none
    assert one(dsn, "SELECT count(*) FROM visit WHERE customer_id IS NULL")[0] == 40
    assert report.dataset.tables["public.visit"].n == 100
    dsn = make_db(SHOP)
    with pytest.raises(CapacityError, match=r"exact\(3\)"):  # NOT NULL: more rows than slots cannot be written
        seed_dsn(dsn, SeedOptions(rows=30, seed=1, rows_for={"orders": 100}, children=children))
    assert one(dsn, "SELECT count(*) FROM customer")[0] == 0  # nothing was written


def test_fanout_is_deterministic(make_db) -> None:
    dsn = make_db(SHOP)
    with psycopg.connect(dsn) as conn:
        schema = introspect(conn)
    options = SeedOptions(rows=50, seed=9, children={"orders.customer_id": "zipf(1.3)", "store.code": "exact(2)"},
                          trees={})
    first, second = generate(schema, options), generate(schema, options)
    assert all(first.tables[t].text == second.tables[t].text for t in first.tables)


def test_bad_fanout_specs_name_the_argument(make_db) -> None:
    dsn = make_db(SHOP + """
        CREATE TABLE profile (id serial PRIMARY KEY, customer_id int UNIQUE REFERENCES customer);
        CREATE TABLE coupon (id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES customer,
                             CHECK (customer_id % 2 = 0));""")
    with psycopg.connect(dsn) as conn:
        schema = introspect(conn)
    for spec, message in (("zipf(1)", "A > 1"), ("zipf", "A > 1"), ("exact(0)", "N >= 1"), ("pareto(2)", "expected"),
                          ("uniform(3)", "no argument")):
        with pytest.raises(FanoutSpecError, match=r"--children 'orders\.customer_id=.*" + message.replace("(", r"\(")):
            generate(schema, SeedOptions(rows=5, children={"orders.customer_id": spec}))
    with pytest.raises(FanoutSpecError, match="'note' is no foreign-key column"):
        generate(schema, SeedOptions(rows=5, children={"orders.note": "exact(2)"}))
    with pytest.raises(FanoutSpecError, match="nope"):
        generate(schema, SeedOptions(rows=5, children={"nope.customer_id": "exact(2)"}))
    with pytest.raises(UnsupportedError, match="unique key"):  # a 1:1 key: one child per parent at most anyway
        generate(schema, SeedOptions(rows=5, children={"profile.customer_id": "zipf(2)"}))
    with pytest.raises(UnsupportedError, match="CHECK"):
        generate(schema, SeedOptions(rows=5, children={"coupon.customer_id": "zipf(2)"}))
    result = CliRunner().invoke(main, ["seed", "--dsn", dsn, "--children", "orders.customer_id=exact(x)"])
    assert result.exit_code == 1 and "--children 'orders.customer_id=exact(x)'" in result.output
    result = CliRunner().invoke(main, ["seed", "--dsn", dsn, "--children", "customer_id=exact(2)"])
    assert result.exit_code == 2 and "TABLE.COLUMN=SPEC" in result.output
    assert one(dsn, "SELECT count(*) FROM orders")[0] == 0  # nothing was written


TREE = """
CREATE TABLE category (id int PRIMARY KEY, parent_id int REFERENCES category, name text NOT NULL);
CREATE TABLE employee (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                       manager_id bigint NOT NULL REFERENCES employee, name text);
"""

SHAPE = """
WITH RECURSIVE walk AS (
    SELECT id, 1 AS depth FROM {table} WHERE {roots}
    UNION ALL
    SELECT c.id, w.depth + 1 FROM {table} c JOIN walk w ON c.{column} = w.id WHERE c.id <> w.id)
SELECT (SELECT count(*) FROM walk), (SELECT count(DISTINCT id) FROM walk), (SELECT max(depth) FROM walk),
       (SELECT count(*) FROM {table} WHERE {roots}),
       (SELECT max(n) FROM (SELECT count(*) AS n FROM {table} WHERE {column} <> id GROUP BY {column}) f)
"""


def shape(dsn: str, table: str, column: str, nullable: bool) -> tuple[int, int, int, int, int]:
    """(rows reached from the roots, distinct rows reached, deepest level, roots, most children of one row)."""
    roots = f"{column} IS NULL" if nullable else f"{column} = id"
    return one(dsn, SHAPE.format(table=table, column=column, roots=roots))


def test_trees_keep_depth_and_fanout_bounds(make_db) -> None:
    dsn = make_db(TREE)
    seed_dsn(dsn, SeedOptions(rows=500, seed=4, trees={"category.parent_id": "depth:3,fanout:12,roots:4",
                                                       "public.employee.manager_id": "fanout:3,depth:7"}))
    reached, distinct, depth, roots, widest = shape(dsn, "category", "parent_id", nullable=True)
    assert (reached, distinct) == (500, 500)  # every row hangs off a root, once: a forest
    assert depth == 3 and roots >= 4 and widest <= 12
    assert roots == 4  # 4 roots × (1 + 12 + 144) hold 500 rows: no more are needed
    reached, distinct, depth, roots, widest = shape(dsn, "employee", "manager_id", nullable=False)
    assert (reached, distinct) == (500, 500) and depth <= 7 and widest <= 3
    assert roots == 5  # a handful by default; they point at themselves (NOT NULL)
    assert one(dsn, "SELECT count(*) FROM employee WHERE manager_id = id")[0] == roots


def test_default_tree_looks_like_a_hierarchy(make_db) -> None:
    dsn = make_db(TREE)
    seed_dsn(dsn, SeedOptions(rows=200, seed=8))
    for table, column, nullable in (("category", "parent_id", True), ("employee", "manager_id", False)):
        reached, distinct, depth, roots, widest = shape(dsn, table, column, nullable)
        assert (reached, distinct) == (200, 200)
        assert 3 <= depth <= 5 and 1 <= roots <= 5 and widest <= 5


def test_tree_needs_more_roots_than_asked_when_rows_do_not_fit(make_db) -> None:
    dsn = make_db(TREE)
    result = CliRunner().invoke(main, ["seed", "--dsn", dsn, "--rows", "100",
                                       "--tree", "category.parent_id=depth:2,fanout:4,roots:1",
                                       "--tree", "employee.manager_id=depth:1"])
    assert result.exit_code == 0, result.output
    reached, _, depth, roots, widest = shape(dsn, "category", "parent_id", nullable=True)
    assert reached == 100 and depth == 2 and widest <= 4 and roots == 20  # 20 × (1 + 4) = 100
    assert one(dsn, "SELECT count(*) FROM employee WHERE manager_id = id")[0] == 100  # depth 1: all roots
    result = CliRunner().invoke(main, ["seed", "--dsn", dsn, "--tree", "category.parent_id=depth:0"])
    assert result.exit_code == 1 and "--tree 'category.parent_id=depth:0'" in result.output


def test_exact_children_under_a_wider_unique_key(make_db) -> None:
    dsn = make_db("CREATE TABLE invoice (id int PRIMARY KEY);"
                  "CREATE TABLE line (invoice_id int NOT NULL REFERENCES invoice, line_no smallint NOT NULL,"
                  " PRIMARY KEY (invoice_id, line_no));"
                  "CREATE TABLE note (invoice_id int REFERENCES invoice, tag text, UNIQUE (invoice_id, tag));")
    seed_dsn(dsn, SeedOptions(rows=30, seed=3, children={"line.invoice_id": "exact(4)", "note.invoice_id": "zipf(2)"},
                              rows_for={"note": 200}))
    assert one(dsn, "SELECT count(*), min(n), max(n) FROM (SELECT i.id, count(l.line_no) AS n FROM invoice i "
                    "LEFT JOIN line l ON l.invoice_id = i.id GROUP BY i.id) x") == (30, 4, 4)
    assert one(dsn, "SELECT count(DISTINCT (invoice_id, line_no)) FROM line") == (120,)
    top = one(dsn, "SELECT count(*) FROM note WHERE invoice_id IS NOT NULL GROUP BY invoice_id ORDER BY 1 DESC LIMIT 1")
    assert top[0] > 60  # zipf(2): the most popular invoice has over a third of the notes
