"""The DDL reader: names, types and constraints exactly as PostgreSQL would catalog them.

No database here: every expectation below was checked against PostgreSQL 15
(the same DDL run on a real server, then read back from pg_catalog).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from fraiseql_data.errors import DDLSyntaxError
from fraiseql_data.schema.ddl import parse_ddl
from fraiseql_data.schema.model import DefaultKind, Identity, Schema, Table, TypeRef
from fraiseql_data.schema.pg_names import choose_name, make_object_name
from fraiseql_data.schema.statements import split_statements
from fraiseql_data.schema.types import canonical_type

REAL_SCHEMAS = Path(__file__).parents[2] / "shared/real_schemas"
REAL_SCHEMA_TABLES = {
    "adventureworks": 68,
    "airlines_demo": 8,
    "benchbase": 71,
    "chado": 213,
    "graphile_starter": 12,
    "guacamole": 23,
    "ledgersmb": 158,
    "pagila": 21,
}


@pytest.fixture(scope="module")
def catalog(catalog_sql: str) -> Schema:
    return parse_ddl(catalog_sql)


def table(ddl: str, name: str) -> Table:
    return parse_ddl(ddl).table(name)


# ---------------------------------------------------------------- the shared catalog


def test_catalog_enum_labels_keep_their_order(catalog: Schema) -> None:
    assert catalog.enum_map["catalog.machine_status"].labels == ("ordered", "installed", "active", "retired")


def test_catalog_domain_has_base_type_and_named_check(catalog: Schema) -> None:
    domain = catalog.domain_map["catalog.iso_currency"]
    assert domain.base == TypeRef("character", (3,))
    assert [c.name for c in domain.checks] == ["iso_currency_check"]
    assert "'EUR'" in domain.checks[0].expression and domain.checks[0].columns == ()


def test_catalog_identity_column(catalog: Schema) -> None:
    column = catalog.table("catalog.tb_organization").column("pk_organization")
    assert column.identity is Identity.ALWAYS
    assert (column.nullable, column.default, column.default_kind) == (False, None, DefaultKind.NONE)


def test_catalog_deferrable_foreign_key_added_by_alter(catalog: Schema) -> None:
    (fk,) = [f for f in catalog.table("catalog.tb_organization").foreign_keys if f.name == "fk_organization_owner"]
    assert (fk.columns, fk.ref_qualified, fk.ref_columns) == (("fk_owner",), "catalog.tb_user", ("pk_user",))
    assert fk.deferrable and fk.initially_deferred and fk.on_delete == "NO ACTION"


def test_catalog_composite_primary_key_and_unnamed_table_check(catalog: Schema) -> None:
    compatibility = catalog.table("catalog.tb_model_compatibility")
    assert compatibility.primary_key is not None
    assert compatibility.primary_key.name == "tb_model_compatibility_pkey"
    assert compatibility.primary_key.columns == ("fk_model", "fk_compatible_model")
    (check,) = compatibility.checks
    assert check.name == "tb_model_compatibility_check"
    assert check.columns == ("fk_model", "fk_compatible_model")


def test_catalog_named_multi_column_unique(catalog: Schema) -> None:
    model = catalog.table("catalog.tb_model")
    (unique,) = [u for u in model.uniques if u.name == "model_name_per_manufacturer"]
    assert unique.columns == ("fk_manufacturer", "name") and not unique.is_index


def test_catalog_numeric_modifiers(catalog: Schema) -> None:
    assert catalog.table("catalog.tb_contract").column("monthly_fee").type == TypeRef("numeric", (10, 2))
    assert catalog.table("catalog.tb_contract").column("currency").type == TypeRef("catalog.iso_currency")


def test_catalog_default_constraint_names(catalog: Schema) -> None:
    user = catalog.table("catalog.tb_user")
    assert "tb_user_email_check" in {c.name for c in user.checks}
    assert "tb_user_email_key" in {u.name for u in user.uniques}
    assert [f.name for f in user.foreign_keys] == ["tb_user_fk_organization_fkey"]
    assert user.primary_key is not None and user.primary_key.name == "tb_user_pkey"


def test_catalog_default_kinds(catalog: Schema) -> None:
    user = catalog.table("catalog.tb_user")
    assert user.column("id").default_kind is DefaultKind.VOLATILE
    assert user.column("created_at").default_kind is DefaultKind.VOLATILE
    assert user.column("role").default_kind is DefaultKind.CONSTANT
    assert user.column("birth_date").default_kind is DefaultKind.NONE


def test_catalog_everything_sorted(catalog: Schema) -> None:
    names = [(t.schema, t.name) for t in catalog.tables]
    assert names == sorted(names) and len(names) == 9
    for t in catalog.tables:
        assert [c.name for c in t.checks] == sorted(c.name for c in t.checks)
        assert [u.name for u in t.uniques] == sorted(u.name for u in t.uniques)
    assert catalog.warnings == ()


# ---------------------------------------------------------------- PostgreSQL's names


def test_unnamed_checks_count_up_in_the_order_written() -> None:
    t = table(
        "CREATE TABLE t (a int CHECK (a > 0), b int CHECK (b > 0) CHECK (b < 10), c int CHECK (a < c),"
        " CHECK (a > 1), CHECK (a + b > 0), CHECK (true), d int CHECK (d > a));",
        "t",
    )
    assert {c.name: c.expression for c in t.checks} == {
        "t_a_check": "a > 0",
        "t_b_check": "b > 0",
        "t_b_check1": "b < 10",
        "t_check": "a < c",  # a column CHECK naming two columns is named like a table CHECK
        "t_a_check1": "a > 1",
        "t_check1": "a + b > 0",
        "t_check2": "TRUE",
        "t_check3": "d > a",
    }


def test_duplicate_keys_collapse_and_multi_column_names() -> None:
    t = table(
        "CREATE TABLE t (a int, b int, e int REFERENCES t, UNIQUE (a, b), UNIQUE (a, b), PRIMARY KEY (a),"
        " UNIQUE (a), FOREIGN KEY (e, a) REFERENCES t (a, b));",
        "t",
    )
    assert t.primary_key is not None and t.primary_key.name == "t_pkey"
    assert [u.name for u in t.uniques] == ["t_a_b_key"]
    assert [f.name for f in t.foreign_keys] == ["t_e_a_fkey", "t_e_fkey"]
    assert t.foreign_keys[1].ref_columns == ("a",)  # REFERENCES t: the primary key
    assert [c.name for c in t.columns if not c.nullable] == ["a"]


def test_alter_table_keys_are_not_deduplicated() -> None:
    t = table(
        "CREATE TABLE w (a int); ALTER TABLE w ADD CHECK (a > 0), ADD CHECK (a > 1), ADD UNIQUE (a), ADD UNIQUE (a);",
        "w",
    )
    assert [c.name for c in t.checks] == ["w_a_check", "w_a_check1"]
    assert [u.name for u in t.uniques] == ["w_a_key", "w_a_key1"]


def test_long_names_truncate_the_longer_part_first() -> None:
    long_table = "averyveryveryveryveryveryveryveryverylongtablenamethatgoesonandon"
    long_column = "averyveryveryveryveryveryveryveryverylongcolumnnamethatgoesonandon"
    t = table(
        f"CREATE TABLE {long_table} ({long_column} int UNIQUE CHECK ({long_column} > 0),"
        f" b serial, c int, d int, CHECK (c > d), CHECK (c < d), UNIQUE (c, d, b, {long_column}));",
        long_table[:63],
    )
    assert t.name == long_table[:63] and t.columns[0].name == long_column[:63]
    assert sorted(c.name for c in t.checks) == [
        "averyveryveryveryveryveryver_averyveryveryveryveryveryver_check",
        "averyveryveryveryveryveryveryveryverylongtablenamethatgo_check1",
        "averyveryveryveryveryveryveryveryverylongtablenamethatgoe_check",
    ]
    assert [u.name for u in t.uniques] == [
        "averyveryveryveryveryveryvery_averyveryveryveryveryveryvery_key",
        "averyveryveryveryveryveryvery_c_d_b_averyveryveryveryveryve_key",
    ]
    assert t.column("b").default == (
        "nextval('public.averyveryveryveryveryveryveryveryverylongtablenamethatgoe_b_seq'::regclass)"
    )


def test_constraint_names_collide_across_the_schema() -> None:
    schema = parse_ddl(
        "CREATE TABLE t_a (x int, CONSTRAINT t_a_check CHECK (x > 0));"
        "CREATE TABLE t (a int CHECK (a > 0));"
        "CREATE TABLE t_b_key (x int);"  # a relation name blocks an index name too
        "CREATE TABLE u (b int UNIQUE);"
    )
    assert [c.name for c in schema.table("t").checks] == ["t_a_check1"]
    assert [u.name for u in schema.table("u").uniques] == ["u_b_key"]
    assert [
        u.name for u in parse_ddl("CREATE TABLE u_b_key (x int); CREATE TABLE u (b int UNIQUE);").table("u").uniques
    ] == ["u_b_key1"]


def test_make_object_name_and_choose_name() -> None:
    assert make_object_name("t", "a_b", "key") == "t_a_b_key"
    assert make_object_name("t", None, "pkey") == "t_pkey"
    assert len(make_object_name("x" * 63, "y" * 63, "fkey").encode()) == 63
    assert make_object_name("é" * 40, None, "check") == "é" * 28 + "_check"  # 2-byte characters are kept whole
    taken = {"t_check", "t_check1"}
    assert choose_name("t", None, "check", taken.__contains__) == "t_check2"


# ---------------------------------------------------------------- search_path, serial, types


def test_search_path_decides_where_unqualified_names_go() -> None:
    schema = parse_ddl(
        """
        CREATE SCHEMA app;
        SET search_path = app, public;
        CREATE TYPE mood AS ENUM ('ok');
        CREATE TABLE a (m mood, id serial PRIMARY KEY);
        RESET search_path;
        CREATE TABLE b (a_id int REFERENCES app.a);
        SELECT pg_catalog.set_config('search_path', '', false);
        CREATE TABLE app.c (m app.mood);
        SET search_path TO nonexistent, app;
        CREATE TABLE d (x int);
        """
    )
    assert [t.qualified for t in schema.tables] == ["app.a", "app.c", "app.d", "public.b"]
    assert schema.table("app.a").column("m").type == TypeRef("app.mood")
    assert schema.table("app.a").column("id").default == "nextval('app.a_id_seq'::regclass)"
    assert schema.table("public.b").foreign_keys[0].ref_qualified == "app.a"


def test_serial_columns_become_integers_with_a_sequence() -> None:
    t = table(
        "CREATE SEQUENCE t_id_seq; CREATE TABLE t (id serial, big bigserial, small smallserial, s2 serial2);",
        "t",
    )
    id_, big, small, _ = t.columns
    assert (id_.type, id_.nullable, id_.default_kind) == (TypeRef("integer"), False, DefaultKind.SEQUENCE)
    assert id_.default == "nextval('public.t_id_seq1'::regclass)"  # t_id_seq was taken
    assert big.type == TypeRef("bigint") and small.type == TypeRef("smallint")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("int", TypeRef("integer")),
        ("int4", TypeRef("integer")),
        ("pg_catalog.int8", TypeRef("bigint")),
        ('"int2"', TypeRef("smallint")),
        ("decimal(5,2)", TypeRef("numeric", (5, 2))),
        ("numeric(7)", TypeRef("numeric", (7, 0))),
        ("numeric", TypeRef("numeric")),
        ("float(10)", TypeRef("real")),
        ("float(30)", TypeRef("double precision")),
        ("float", TypeRef("double precision")),
        ("double precision", TypeRef("double precision")),
        ("varchar", TypeRef("character varying")),
        ("character varying(20)", TypeRef("character varying", (20,))),
        ("char", TypeRef("character", (1,))),
        ("character(5)", TypeRef("character", (5,))),
        ("bpchar", TypeRef("character")),
        ('"char"', TypeRef('"char"')),
        ("bit", TypeRef("bit", (1,))),
        ("bit varying(5)", TypeRef("bit varying", (5,))),
        ("varbit", TypeRef("bit varying")),
        ("timestamptz", TypeRef("timestamp with time zone")),
        ("timestamp(3) with time zone", TypeRef("timestamp with time zone", (3,))),
        ("timestamp", TypeRef("timestamp without time zone")),
        ("time(2) without time zone", TypeRef("time without time zone", (2,))),
        ("timetz", TypeRef("time with time zone")),
        ("interval day to second(3)", TypeRef("interval", (3,))),
        ("bool", TypeRef("boolean")),
        ("jsonb", TypeRef("jsonb")),
        ("tstzrange", TypeRef("tstzrange")),
        ("int[]", TypeRef("integer", (), 1)),
        ("integer ARRAY", TypeRef("integer", (), 1)),
        ("int ARRAY[4]", TypeRef("integer", (), 1)),
        ("text[][]", TypeRef("text", (), 2)),
        ("varchar(5)[]", TypeRef("character varying", (5,), 1)),
        ("citext", TypeRef("public.citext")),
        ('"Name"', TypeRef("public.Name")),
    ],
)
def test_column_types_are_canonical(written: str, expected: TypeRef) -> None:
    assert (
        table(f'CREATE DOMAIN "Name" AS varchar(50); CREATE TABLE t (c {written});', "t").column("c").type == expected
    )


def test_canonical_type_knows_builtins_only() -> None:
    assert canonical_type("character varying", (3,)) == TypeRef("character varying", (3,))
    assert canonical_type("integer", quoted=True) is None  # "integer" is no catalog type name
    assert canonical_type("_int4", quoted=True) == TypeRef("integer", (), 1)
    assert canonical_type("mood") is None


# ---------------------------------------------------------------- defaults, identity, generated


def test_defaults_are_classified() -> None:
    t = table(
        "CREATE SEQUENCE s; CREATE TABLE t (a int DEFAULT -1, b text[] DEFAULT '{}', c int[] DEFAULT ARRAY[1, 2],"
        " d date DEFAULT CURRENT_DATE, e text DEFAULT current_user, f uuid DEFAULT gen_random_uuid(),"
        " g int DEFAULT NULL, h varchar(3) DEFAULT NULL, i text DEFAULT 'x' || 'y', j int DEFAULT nextval('s'));",
        "t",
    )
    kinds = {c.name: c.default_kind for c in t.columns}
    assert kinds == {
        "a": DefaultKind.CONSTANT,
        "b": DefaultKind.CONSTANT,
        "c": DefaultKind.CONSTANT,
        "d": DefaultKind.VOLATILE,
        "e": DefaultKind.VOLATILE,
        "f": DefaultKind.VOLATILE,
        "g": DefaultKind.NONE,  # PostgreSQL stores no default for a bare NULL ...
        "h": DefaultKind.CONSTANT,  # ... but keeps one wrapped in a varchar(3) length coercion
        "i": DefaultKind.CONSTANT,
        "j": DefaultKind.SEQUENCE,
    }


def test_identity_and_generated_columns() -> None:
    t = table(
        "CREATE TABLE t (a int GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME my_seq START 5),"
        " b int GENERATED ALWAYS AS (a * 2) STORED, c int NOT NULL);"
        "ALTER TABLE ONLY t ALTER COLUMN c ADD GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME public.t_c_seq);",
        "t",
    )
    assert t.column("a").identity is Identity.BY_DEFAULT and not t.column("a").nullable
    assert t.column("b").generated == "a * 2" and t.column("b").default is None
    assert t.column("c").identity is Identity.ALWAYS


# ---------------------------------------------------------------- inheritance and partitions


INHERITANCE = """
CREATE TABLE p (id serial PRIMARY KEY, a int NOT NULL DEFAULT 5 CHECK (a > 0), b int GENERATED ALWAYS AS IDENTITY,
                u text UNIQUE, CHECK (a < 100) NO INHERIT);
CREATE TABLE q (z int, CONSTRAINT qz CHECK (z > 0));
CREATE TABLE c (x int, a int CHECK (a < 50), z int NOT NULL) INHERITS (p, q);
ALTER TABLE p ADD COLUMN n int DEFAULT 1 CHECK (n > 0);
ALTER TABLE p ADD CONSTRAINT pc CHECK (a <> 3);
"""


def test_inherits_copies_columns_checks_and_not_null() -> None:
    schema = parse_ddl(INHERITANCE)
    child = schema.table("c")
    assert [c.name for c in child.columns] == ["id", "a", "b", "u", "z", "x", "n"]
    assert child.inherits == ("public.p", "public.q")
    assert sorted(c.name for c in child.checks) == ["c_a_check", "p_a_check", "p_n_check", "pc", "qz"]
    assert child.column("id").default == "nextval('public.p_id_seq'::regclass)"
    assert child.column("b").identity is None and not child.column("b").nullable  # identity is not inherited
    assert child.primary_key is None and child.uniques == ()  # nor are keys


PARTITIONS = """
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE m (k int, d date NOT NULL, s text, r int REFERENCES p, CHECK (k > 0), PRIMARY KEY (k), UNIQUE (k, s))
    PARTITION BY RANGE (k);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (10);
CREATE TABLE m2 PARTITION OF m (d DEFAULT now(), CHECK (k > 10)) FOR VALUES FROM (10) TO (20);
ALTER TABLE m ADD UNIQUE (k, d);
CREATE TABLE m3_k_d_key (x int);
CREATE TABLE m3 PARTITION OF m DEFAULT;
"""


def test_partitions_take_columns_and_renamed_keys() -> None:
    schema = parse_ddl(PARTITIONS)
    assert schema.table("m").partitioned and schema.table("m2").partition_of == "public.m"
    m2 = schema.table("m2")
    assert [c.name for c in m2.columns] == ["k", "d", "s", "r"]
    assert m2.column("d").default_kind is DefaultKind.VOLATILE and not m2.column("d").nullable
    assert sorted(c.name for c in m2.checks) == ["m2_k_check", "m_k_check"]
    assert m2.primary_key is not None and m2.primary_key.name == "m2_pkey"
    assert [u.name for u in m2.uniques] == ["m2_k_d_key", "m2_k_s_key"]
    assert [f.name for f in m2.foreign_keys] == ["m_r_fkey"]
    assert [u.name for u in schema.table("m3").uniques] == ["m3_k_d_key1", "m3_k_s_key"]


def test_pg_dump_attaches_partitions_and_adds_keys_per_table() -> None:
    schema = parse_ddl(
        "CREATE TABLE public.m (k integer NOT NULL) PARTITION BY RANGE (k);"
        "CREATE TABLE public.m1 (k integer NOT NULL);"
        "ALTER TABLE ONLY public.m ATTACH PARTITION public.m1 FOR VALUES FROM (0) TO (10);"
        "ALTER TABLE ONLY public.m ADD CONSTRAINT m_pkey PRIMARY KEY (k);"
        "ALTER TABLE ONLY public.m1 ADD CONSTRAINT m1_pkey PRIMARY KEY (k);"
        "ALTER INDEX public.m_pkey ATTACH PARTITION public.m1_pkey;"
    )
    m1 = schema.table("m1")
    assert m1.partition_of == "public.m" and schema.table("m").partitioned
    assert m1.primary_key is not None and m1.primary_key.name == "m1_pkey" and m1.uniques == ()


def test_enums_and_domains_change_after_creation() -> None:
    schema = parse_ddl(
        "CREATE TYPE mood AS ENUM ('sad', 'ok');"
        "ALTER TYPE mood ADD VALUE 'happy' AFTER 'ok';"
        "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh' BEFORE 'ok';"
        "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';"
        "CREATE DOMAIN pct AS numeric(5,2) CHECK (VALUE >= 0);"
        "ALTER DOMAIN pct ADD CHECK (VALUE <= 100);"
        "ALTER DOMAIN pct SET NOT NULL;"
    )
    assert schema.enum_map["public.mood"].labels == ("blue", "meh", "ok", "happy")
    pct = schema.domain_map["public.pct"]
    assert [c.name for c in pct.checks] == ["pct_check", "pct_check1"]
    assert pct.base == TypeRef("numeric", (5, 2)) and not pct.nullable


# ---------------------------------------------------------------- unique indexes, ALTER TABLE reshaping


def test_partial_and_expression_unique_indexes() -> None:
    t = table(
        "CREATE TABLE t (a int, email text, deleted_at timestamptz);"
        "CREATE UNIQUE INDEX t_live ON ONLY t USING btree (a) INCLUDE (email) WHERE deleted_at IS NULL;"
        "CREATE INDEX t_lower_a_idx ON t (a);"
        "CREATE UNIQUE INDEX ON t (lower(email), a) NULLS NOT DISTINCT;",
        "t",
    )
    live, lower = t.uniques
    assert (live.name, live.columns, live.predicate, live.expressions) == ("t_live", ("a",), "deleted_at IS NULL", None)
    assert live.is_index
    assert lower.name == "t_lower_a_idx1" and lower.nulls_not_distinct  # t_lower_a_idx is taken
    assert lower.columns == ("a", "email") and lower.expressions == ("LOWER(email)", "a")


def test_drop_and_add_column_reshape_a_table() -> None:
    t = table(
        "CREATE TABLE t (a int, b int, c int, UNIQUE (a, b), CHECK (a > b), CHECK (c > 0));"
        "ALTER TABLE t DROP COLUMN b;"
        "ALTER TABLE t ADD d varchar(3) NOT NULL DEFAULT 'x', ADD COLUMN e serial UNIQUE;"
        "ALTER TABLE t ALTER COLUMN c SET NOT NULL, ALTER COLUMN c SET DEFAULT 7;",
        "t",
    )
    assert [c.name for c in t.columns] == ["a", "c", "d", "e"]
    assert [c.name for c in t.checks] == ["t_c_check"]
    assert [u.name for u in t.uniques] == ["t_e_key"]
    assert not t.column("c").nullable and t.column("c").default == "7"


def test_create_schema_elements_and_like() -> None:
    schema = parse_ddl(
        "CREATE SCHEMA shop"
        "  CREATE UNIQUE INDEX ON item (owner)"
        "  CREATE TABLE customer (id int PRIMARY KEY, name text NOT NULL)"
        "  CREATE TABLE item (id serial PRIMARY KEY, owner int REFERENCES customer);"
        "CREATE TABLE copy (LIKE shop.customer INCLUDING ALL);"
    )
    assert [u.name for u in schema.table("shop.item").uniques] == ["item_owner_idx"]
    assert schema.table("shop.item").foreign_keys[0].ref_qualified == "shop.customer"
    copy = schema.table("public.copy")
    assert copy.primary_key is not None and copy.primary_key.name == "copy_pkey"
    assert not copy.column("name").nullable


# ---------------------------------------------------------------- errors, warnings, splitting


def test_syntax_error_names_line_and_statement() -> None:
    ddl = "-- header\nCREATE TABLE ok (a int);\n\nCREAT TABLE broken (\n  a int\n);\nCREATE TABLE later (b int);"
    with pytest.raises(DDLSyntaxError) as raised:
        parse_ddl(ddl)
    assert raised.value.line == 4
    assert "line 4" in str(raised.value) and "CREAT TABLE broken" in str(raised.value)


def test_malformed_table_raises_but_unparsed_function_bodies_do_not() -> None:
    with pytest.raises(DDLSyntaxError) as raised:
        parse_ddl("CREATE TABLE ok (a int);\nCREATE TABLE t (a int,, b int);")
    assert raised.value.line == 2
    schema = parse_ddl(
        "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
        "BEGIN PERFORM ';'; RETURN NEW; END $body$;\n"
        "CREATE TABLE t (a int);"
    )
    assert [t.name for t in schema.tables] == ["t"]


def test_statements_that_may_matter_leave_warnings() -> None:
    schema = parse_ddl(
        "CREATE TABLE t (a int);\n"
        "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
        "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();\n"
        "ALTER TABLE t RENAME COLUMN a TO b;\n"
        "ALTER TABLE t OWNER TO CURRENT_USER;\n"
        "GRANT SELECT ON t TO PUBLIC; COMMENT ON TABLE t IS 'x'; CREATE EXTENSION IF NOT EXISTS citext;\n"
    )
    assert len(schema.warnings) == 2
    assert schema.warnings[0].startswith("line 3:") and "TRIGGER" in schema.warnings[0]
    assert "RENAME COLUMN" in schema.warnings[1]


def test_splitter_respects_quotes_comments_and_dollar_quotes() -> None:
    script = (
        "/* a /* nested */ comment; */\n"
        "SELECT 'it''s; fine', E'back\\'slash;', \"odd;name\";\n"
        "CREATE FUNCTION f() AS $$ SELECT 1; $$;  -- trailing; comment\n"
        "DO $tag$ BEGIN PERFORM 'x$$;'; END $tag$;\n"
        "\\connect somewhere\n"
        "COPY t (a) FROM stdin;\n1;\n2\n\\.\n"
        "CREATE TABLE rule_like (a int CHECK ((a > 0)));\n"
        "SELECT 1"
    )
    statements = split_statements(script)
    assert [s.line for s in statements] == [2, 3, 4, 6, 10, 11]
    assert statements[2].text.startswith("DO $tag$") and statements[2].text.endswith("$tag$")
    assert statements[-1].text == "SELECT 1"


# ---------------------------------------------------------------- real-world schemas


@pytest.mark.parametrize("name", sorted(REAL_SCHEMA_TABLES))
def test_real_schemas_parse(name: str) -> None:
    path = REAL_SCHEMAS / f"{name}.sql"
    if not path.is_file():
        pytest.fail(f"{path} is missing: the tests expect the shared/ folder beside the repository", pytrace=False)
    started = time.perf_counter()
    schema = parse_ddl(path.read_text())
    assert time.perf_counter() - started < 5  # chado, the largest, takes about half a second
    assert len(schema.tables) == REAL_SCHEMA_TABLES[name]
    assert schema.warnings == ()
