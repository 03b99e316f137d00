"""Each CHECK construct, in its DDL spelling and PostgreSQL's normalised one.

PostgreSQL stores `role IN ('a', 'b')` as `role = ANY (ARRAY['a'::text, ...])`;
both spellings must compile to the same IR. The table below is loaded into a
real server, its CHECKs read back with pg_get_constraintdef, compiled, and
then seeded: PostgreSQL must accept every generated row.
"""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from fraiseql_data.constraints import ir
from fraiseql_data.constraints.compile import EXACT, OPAQUE, STRING, compile_table
from fraiseql_data.constraints.translate import Scope, translate_check
from fraiseql_data.generate import SeedOptions
from fraiseql_data.run import seed_dsn
from fraiseql_data.schema.introspect import introspect

AS_OF = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

# (constraint name, DDL expression, expected classification)
CONSTRUCTS = [
    ("c_cmp_const", "qty >= 0 AND qty <> 13", EXACT),
    ("c_cmp_columns", "lo < hi", EXACT),
    ("c_arith", "lo + hi * 2 - 1 < 1000 AND (hi - lo) % 7 <> 3 AND -lo < 50 AND abs(lo) < 400", EXACT),
    ("c_division", "hi / 3 >= 1", EXACT),
    ("c_in_text", "kind IN ('site', 'building', 'room')", EXACT),
    ("c_not_in_int", "qty NOT IN (1, 2, 3)", EXACT),
    ("c_between", "score BETWEEN 1 AND 100", EXACT),
    ("c_between_symmetric", "qty BETWEEN SYMMETRIC 500 AND 0", EXACT),
    ("c_bool_logic", "NOT (kind = 'site' AND qty > 400) OR flag", EXACT),
    ("c_is_null", "(parent IS NULL) = (kind = 'site')", EXACT),
    ("c_is_distinct", "lo IS DISTINCT FROM hi", EXACT),
    ("c_not_distinct", "NOT (parent IS NOT DISTINCT FROM 0)", EXACT),
    ("c_case_when", "CASE WHEN kind = 'room' THEN qty <= 300 ELSE qty >= 0 END", EXACT),
    ("c_case_value", "CASE kind WHEN 'site' THEN 10 WHEN 'room' THEN 20 END > 5 OR kind = 'building'", EXACT),
    ("c_coalesce", "coalesce(parent, 1) > 0", EXACT),
    ("c_nullif", "nullif(qty, 0) IS NULL OR qty > 0", EXACT),
    ("c_least_greatest", "least(lo, hi) >= -500 AND greatest(lo, hi) <= 500", EXACT),
    ("c_numeric_scale", "price > 0.05 AND price < 9999.99", EXACT),
    ("c_enum_order", "mood >= 'ok'", EXACT),
    ("c_date_window", "born > DATE '1900-01-01' AND born <= CURRENT_DATE - INTERVAL '16 years'", EXACT),
    ("c_date_arith", "ends > starts AND ends <= starts + 365", EXACT),
    ("c_timestamp_now", "created_at <= now() AND created_at > CURRENT_TIMESTAMP - INTERVAL '30 days'", EXACT),
    ("c_num_nonnulls", "num_nonnulls(parent, note) >= 1", EXACT),
    ("c_length", "char_length(code) BETWEEN 3 AND 8 AND length(note) < 30", STRING),
    ("c_like", "email LIKE '%_@_%._%'", STRING),
    ("c_regex", "code ~ '^[A-Z]{3}[0-9]{0,5}$'", STRING),
    ("c_regex_ci", "slug ~* '^[a-z]+(-[a-z0-9]+)*$'", STRING),
    ("c_not_like", "note NOT LIKE 'x%'", STRING),
    ("c_similar", "tag SIMILAR TO '[a-z]+( [a-z]+)*'", STRING),
    ("c_octets", "octet_length(note) < 100", OPAQUE),  # bytes depend on the encoding: PostgreSQL judges it
    ("c_case_fold", "lower(kind) <> 'depot'", EXACT),
    ("c_trim", "btrim(tag) <> ''", EXACT),
    ("c_not_regex", "tag !~ '^[0-9]+$'", STRING),
    ("c_ilike", "email ILIKE '%@%'", STRING),
    ("c_upper", "upper(kind) <> 'DEPOT'", EXACT),
    ("c_num_nulls", "num_nulls(score, born) <= 1", EXACT),
    ("c_casts", "price::numeric(10, 2) >= 0.05 AND qty::bigint < 100000 AND born::timestamp > '1900-01-01'", EXACT),
    ("c_any_all", "qty <> ALL (ARRAY[7, 8]) AND lo = ANY (ARRAY[lo, 1])", EXACT),
    ("c_user_function", "is_even(qty)", OPAQUE),
]

DDL = """
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE FUNCTION is_even(n integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT n % 2 = 0 $$;
CREATE TABLE t (
    qty integer NOT NULL, lo integer NOT NULL, hi integer NOT NULL, kind text NOT NULL, score smallint,
    flag boolean NOT NULL, parent integer, price numeric(8, 2) NOT NULL, mood mood NOT NULL, born date,
    starts date NOT NULL, ends date NOT NULL, created_at timestamptz NOT NULL, note text, code varchar(8) NOT NULL,
    email text NOT NULL, slug text NOT NULL, tag text NOT NULL,
""" + ",\n".join(f"    CONSTRAINT {name} CHECK ({sql})" for name, sql, _ in CONSTRUCTS) + "\n);"


@pytest.fixture(scope="module")
def compiled_forms(pg_server):  # type: ignore[no-untyped-def]
    name = "check_forms"
    pg_server.create_database(name)
    try:
        with psycopg.connect(pg_server.dsn(name)) as conn:
            conn.execute(DDL)  # type: ignore[call-overload]
            conn.commit()
            schema = introspect(conn)
        yield schema
    finally:
        pg_server.drop_database(name)


def test_every_construct_compiles_alike_in_both_forms(compiled_forms) -> None:  # type: ignore[no-untyped-def]
    schema = compiled_forms
    table = schema.table("public.t")
    compiled = {c.name: c for c in compile_table(table, schema, AS_OF).checks}
    scope = Scope(compile_table(table, schema, AS_OF).encodings, schema, AS_OF)
    for name, ddl_sql, classification in CONSTRUCTS:
        check = compiled[name]
        assert check.classification == classification, (name, check.sql, check.reason)
        if classification == OPAQUE:
            continue
        assert check.pred == translate_check(ddl_sql, scope), (name, check.sql)


def test_three_valued_traps(compiled_forms) -> None:  # type: ignore[no-untyped-def]
    schema = compiled_forms
    scope = Scope(compile_table(schema.table("public.t"), schema, AS_OF).encodings, schema, AS_OF)
    # NOT (a = 'x') stays NULL when a is NULL: a NOT around the TextIs, not a negated set
    pred = translate_check("NOT (note = 'x')", scope)
    assert pred == ir.Not(ir.TextIs("note", frozenset({"x"})))
    # CASE without ELSE is NULL, which passes
    pred = translate_check("CASE WHEN qty > 5 THEN true END", scope)
    assert isinstance(pred, ir.CasePred) and pred.default == ir.Truth(None)


def test_pg_accepts_rows_for_every_construct(make_db) -> None:
    dsn = make_db(DDL)
    with psycopg.connect(dsn) as conn:
        conn.execute("ALTER TABLE t DROP CONSTRAINT c_user_function")  # opaque: judged elsewhere
        conn.commit()
    report = seed_dsn(dsn, SeedOptions(rows=400, seed=2))
    data = report.dataset.tables["public.t"]
    assert data.n == 400
    scores = [int(s) for s in data.text["score"] if s is not None]
    assert len(set(scores)) >= 60  # diverse inside BETWEEN 1 AND 100
    assert 1 in scores and 100 in scores  # and the edges are probed
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 400  # type: ignore[index]
