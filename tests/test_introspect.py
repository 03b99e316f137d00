"""`introspect` against a real PostgreSQL: the shared catalog, an edge-case DDL, real-world schemas."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from psycopg.pq import TransactionStatus

from fraiseql_data.schema.introspect import introspect
from fraiseql_data.schema.model import (
    Check,
    CompositeType,
    DefaultKind,
    Domain,
    EnumType,
    ForeignKey,
    Identity,
    Schema,
    TypeRef,
    Unique,
)

REAL_SCHEMAS = Path(__file__).parents[2] / "shared/real_schemas"

EDGE_DDL = """
CREATE EXTENSION citext;
CREATE EXTENSION tablefunc;      -- owns composite types (tablefunc_crosstab_2, ...)
CREATE EXTENSION cube;
CREATE EXTENSION earthdistance;  -- owns a domain (earth)
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN app.short_code AS varchar(5);
CREATE DOMAIN app.upper_code AS app.short_code NOT NULL DEFAULT 'AAA' CHECK (VALUE = upper(VALUE));
CREATE TYPE app.address AS (street text, zip varchar(10), tags text[]);
CREATE TABLE app.account (
    id serial PRIMARY KEY,
    tenant integer NOT NULL,
    login text NOT NULL,
    email citext NOT NULL,
    code char(2),
    deleted_at timestamptz(3),
    scores int[],
    labels varchar(20)[] NOT NULL DEFAULT '{}',
    grid int[][],
    moods app.mood[],
    flags bit varying(8),
    kind "char",
    amount numeric,
    rate numeric(12, 4),
    wait interval(2),
    region app.upper_code,
    home app.address,
    double_tenant integer GENERATED ALWAYS AS (tenant * 2) STORED,
    created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
    obsolete text
);
ALTER TABLE app.account DROP COLUMN obsolete;
ALTER TABLE app.account ADD COLUMN handle text CONSTRAINT account_handle_key UNIQUE NULLS NOT DISTINCT;
CREATE UNIQUE INDEX account_live_email ON app.account (email) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX account_lower_login ON app.account (lower(login), tenant);
CREATE UNIQUE INDEX account_code ON app.account (code) INCLUDE (tenant);
CREATE TABLE app.note (
    id integer PRIMARY KEY,
    body text CHECK (length(body) > 0),
    CONSTRAINT note_id_positive CHECK (id > 0) NO INHERIT
);
CREATE TABLE app.account_note (account_code char(2) REFERENCES app.account (code)) INHERITS (app.note);
CREATE TABLE app.event (id integer, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE app.event_2024 PARTITION OF app.event FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE app.event_ref (
    event_id integer,
    event_at date,
    CONSTRAINT event_ref_event FOREIGN KEY (event_at, event_id)
        REFERENCES app.event (at, id) MATCH FULL ON DELETE CASCADE
);
CREATE TABLE app.booking (room integer, during tsrange, EXCLUDE USING gist (during WITH &&));
CREATE TABLE "Weird Table" ("Odd Col" integer, "MixedCase" text DEFAULT 'x');
ALTER TABLE "Weird Table" ADD CONSTRAINT "odd positive" CHECK ("Odd Col" > 0) NOT VALID;
CREATE UNIQUE INDEX "weird lower" ON "Weird Table" (lower("MixedCase"));
"""


def _introspect(dsn: str) -> Schema:
    with psycopg.connect(dsn) as conn:
        return introspect(conn)


@pytest.fixture
def catalog(make_db: Callable[[str], str], catalog_sql: str) -> Schema:
    return _introspect(make_db(catalog_sql))


@pytest.fixture
def edge(make_db: Callable[[str], str]) -> Schema:
    return _introspect(make_db(EDGE_DDL))


def test_catalog_types(catalog: Schema) -> None:
    assert catalog.enums == (
        EnumType("catalog", "machine_status", ("ordered", "installed", "active", "retired")),
    )
    assert catalog.domains == (
        Domain(
            "catalog",
            "iso_currency",
            TypeRef("character", (3,)),
            checks=(
                Check(
                    "iso_currency_check",
                    "(VALUE = ANY (ARRAY['EUR'::bpchar, 'USD'::bpchar, 'GBP'::bpchar, 'CHF'::bpchar]))",
                ),
            ),
        ),
    )
    assert catalog.composites == ()
    assert catalog.warnings == ()


def test_catalog_tables_and_columns(catalog: Schema) -> None:
    assert [t.name for t in catalog.tables] == sorted(t.name for t in catalog.tables)
    assert {t.schema for t in catalog.tables} == {"catalog"}
    assert len(catalog.tables) == 9
    for table in catalog.tables:
        pk = table.columns[0]
        if pk.name.startswith("pk_"):
            assert pk.identity is Identity.ALWAYS and pk.default is None and not pk.nullable
    contract = catalog.table("catalog.tb_contract")
    assert contract.column("monthly_fee").type == TypeRef("numeric", (10, 2))
    assert contract.column("overage_rate").type == TypeRef("numeric", (6, 4))
    assert contract.column("currency").type == TypeRef("catalog.iso_currency")
    assert catalog.table("tb_manufacturer").column("country_code").type == TypeRef("character", (2,))

    user = catalog.table("tb_user")
    assert (user.column("id").default, user.column("id").default_kind) == (
        "gen_random_uuid()",
        DefaultKind.VOLATILE,
    )
    assert (user.column("role").default, user.column("role").default_kind) == (
        "'member'::text",
        DefaultKind.CONSTANT,
    )
    assert user.column("created_at").default_kind is DefaultKind.VOLATILE
    assert user.column("email").default_kind is DefaultKind.NONE
    assert user.column("birth_date").nullable and not user.column("email").nullable
    assert catalog.table("tb_model").column("duplex").default_kind is DefaultKind.CONSTANT
    machine = catalog.table("tb_machine")
    assert machine.column("status").default == "'ordered'::catalog.machine_status"
    assert machine.column("page_counter").default_kind is DefaultKind.CONSTANT


def test_catalog_constraints(catalog: Schema) -> None:
    organization = catalog.table("tb_organization")
    assert organization.foreign_keys == (
        ForeignKey(
            "fk_organization_owner",
            ("fk_owner",),
            "catalog",
            "tb_user",
            ("pk_user",),
            deferrable=True,
            initially_deferred=True,
        ),
    )
    compatibility = catalog.table("tb_model_compatibility")
    assert compatibility.primary_key == Unique(
        "tb_model_compatibility_pkey", ("fk_model", "fk_compatible_model"), primary=True
    )
    assert compatibility.checks == (
        Check(
            "tb_model_compatibility_check",
            "(fk_model <> fk_compatible_model)",
            ("fk_model", "fk_compatible_model"),
        ),
    )
    model = catalog.table("tb_model")
    assert Unique("model_name_per_manufacturer", ("fk_manufacturer", "name")) in model.uniques
    assert [u.name for u in model.uniques] == sorted(u.name for u in model.uniques)
    assert model.primary_key not in model.uniques
    range_check = next(c for c in model.checks if c.name == "model_paper_weight_range")
    assert range_check == Check(
        "model_paper_weight_range",
        "(min_paper_weight_gsm < max_paper_weight_gsm)",
        ("max_paper_weight_gsm", "min_paper_weight_gsm"),  # table order, not expression order
    )
    period = catalog.table("tb_contract").checks[0]
    assert period.name == "contract_period" and period.columns == ("start_date", "end_date")
    location = catalog.table("tb_location")
    assert (
        ForeignKey(
            "tb_location_fk_parent_location_fkey",
            ("fk_parent_location",),
            "catalog",
            "tb_location",
            ("pk_location",),
        )
        in location.foreign_keys
    )


def test_column_types_and_defaults(edge: Schema) -> None:
    account = edge.table("app.account")
    types = {c.name: c.type for c in account.columns}
    assert types == {
        "id": TypeRef("integer"),
        "tenant": TypeRef("integer"),
        "login": TypeRef("text"),
        "email": TypeRef("public.citext"),
        "code": TypeRef("character", (2,)),
        "deleted_at": TypeRef("timestamp with time zone", (3,)),
        "scores": TypeRef("integer", (), 1),
        "labels": TypeRef("character varying", (20,), 1),
        "grid": TypeRef("integer", (), 2),
        "moods": TypeRef("app.mood", (), 1),
        "flags": TypeRef("bit varying", (8,)),
        "kind": TypeRef('"char"'),
        "amount": TypeRef("numeric"),
        "rate": TypeRef("numeric", (12, 4)),
        "wait": TypeRef("interval", (2,)),
        "region": TypeRef("app.upper_code"),
        "home": TypeRef("app.address"),
        "double_tenant": TypeRef("integer"),
        "created_at": TypeRef("timestamp with time zone"),
        "handle": TypeRef("text"),
    }
    assert [c.name for c in account.columns][-2:] == ["created_at", "handle"]  # dropped column skipped
    id_column = account.column("id")
    assert (id_column.default, id_column.default_kind) == (
        "nextval('app.account_id_seq'::regclass)",
        DefaultKind.SEQUENCE,
    )
    assert account.column("labels").default_kind is DefaultKind.CONSTANT
    created = account.column("created_at")
    assert (created.default, created.default_kind) == ("CURRENT_TIMESTAMP", DefaultKind.VOLATILE)
    generated = account.column("double_tenant")
    assert (generated.generated, generated.default, generated.default_kind) == (
        "(tenant * 2)",
        None,
        DefaultKind.NONE,
    )


def test_user_types_exclude_extension_objects(edge: Schema) -> None:
    assert edge.enums == (EnumType("app", "mood", ("sad", "ok", "happy")),)
    assert edge.domains == (
        Domain("app", "short_code", TypeRef("character varying", (5,))),
        Domain(
            "app",
            "upper_code",
            TypeRef("app.short_code"),
            nullable=False,
            default="'AAA'::character varying",
            checks=(Check("upper_code_check", "((VALUE)::text = upper((VALUE)::text))"),),
        ),
    )
    assert edge.composites == (
        CompositeType(
            "app",
            "address",
            (
                ("street", TypeRef("text")),
                ("zip", TypeRef("character varying", (10,))),
                ("tags", TypeRef("text", (), 1)),
            ),
        ),
    )
    assert [t.qualified for t in edge.tables] == [
        "app.account",
        "app.account_note",
        "app.booking",
        "app.event",
        "app.event_2024",
        "app.event_ref",
        "app.note",
        "public.Weird Table",
    ]


def test_unique_constraints_and_indexes(edge: Schema) -> None:
    account = edge.table("app.account")
    assert account.primary_key == Unique("account_pkey", ("id",), primary=True)
    assert account.uniques == (
        Unique("account_code", ("code",), is_index=True),  # INCLUDE columns are not key columns
        Unique("account_handle_key", ("handle",), nulls_not_distinct=True),
        Unique("account_live_email", ("email",), predicate="(deleted_at IS NULL)", is_index=True),
        Unique(
            "account_lower_login",
            ("tenant", "login"),
            expressions=("lower(login)", "tenant"),
            is_index=True,
        ),
    )
    weird = edge.table("public.Weird Table")
    assert weird.uniques == (
        Unique("weird lower", ("MixedCase",), expressions=('lower("MixedCase")',), is_index=True),
    )


def test_checks_keep_inherited_copies_and_lose_modifiers(edge: Schema) -> None:
    weird = edge.table("Weird Table")
    assert [c.name for c in weird.columns] == ["Odd Col", "MixedCase"]
    assert weird.column("MixedCase").default == "'x'::text"
    assert weird.checks == (Check("odd positive", '("Odd Col" > 0)', ("Odd Col",)),)  # NOT VALID dropped
    note = edge.table("app.note")
    assert note.checks == (
        Check("note_body_check", "(length(body) > 0)", ("body",)),
        Check("note_id_positive", "(id > 0)", ("id",)),  # NO INHERIT dropped
    )
    child = edge.table("app.account_note")
    assert child.checks == (Check("note_body_check", "(length(body) > 0)", ("body",)),)
    assert child.primary_key is None  # a PRIMARY KEY is not inherited


def test_inheritance_and_partitions(edge: Schema) -> None:
    child = edge.table("app.account_note")
    assert (child.inherits, child.partition_of, child.partitioned) == (("app.note",), None, False)
    assert [c.name for c in child.columns] == ["id", "body", "account_code"]
    assert child.foreign_keys == (
        ForeignKey("account_note_account_code_fkey", ("account_code",), "app", "account", ("code",)),
    )
    parent = edge.table("app.event")
    assert (parent.partitioned, parent.partition_of) == (True, None)
    partition = edge.table("app.event_2024")
    assert (partition.partitioned, partition.partition_of, partition.inherits) == (False, "app.event", ())
    assert partition.primary_key == Unique("event_2024_pkey", ("id", "at"), primary=True)


def test_foreign_key_to_partitioned_table(edge: Schema) -> None:
    # PostgreSQL adds internal per-partition copies of this constraint: only the real one is listed.
    assert edge.table("app.event_ref").foreign_keys == (
        ForeignKey(
            "event_ref_event",
            ("event_at", "event_id"),  # constraint key order, not table order
            "app",
            "event",
            ("at", "id"),
            match_full=True,
            on_delete="CASCADE",
        ),
    )


def test_exclusion_constraint_is_a_warning(edge: Schema) -> None:
    assert len(edge.warnings) == 1
    assert edge.warnings[0].startswith("table app.booking: EXCLUDE constraint booking_during_excl")


def test_connection_left_as_found(make_db: Callable[[str], str], catalog_sql: str) -> None:
    with psycopg.connect(make_db(catalog_sql)) as conn:
        introspect(conn)
        assert conn.info.transaction_status is TransactionStatus.IDLE
        conn.execute("SELECT 1")
        introspect(conn)  # inside the caller's transaction: a savepoint, the transaction stays open
        assert conn.info.transaction_status is TransactionStatus.INTRANS


@pytest.mark.parametrize(
    "name",
    [
        "adventureworks",
        "airlines_demo",
        "benchbase",
        "chado",
        "graphile_starter",
        "guacamole",
        "ledgersmb",
        "pagila",
    ],
)
def test_real_schemas(make_db: Callable[[str], str], name: str) -> None:
    schema = _introspect(make_db((REAL_SCHEMAS / f"{name}.sql").read_text()))
    assert len(schema.tables) > 0
    assert all(t.columns for t in schema.tables)
    for table in schema.tables:
        for fk in table.foreign_keys:
            assert fk.ref_qualified in schema.table_map
            assert len(fk.columns) == len(fk.ref_columns)
