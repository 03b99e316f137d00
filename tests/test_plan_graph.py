"""`build_plan`: fill order, cycles and their cuts, on hand-built schemas, the shared DDL, and PostgreSQL."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from fraiseql_data.errors import CycleError, UnknownTableError
from fraiseql_data.plan.graph import BrokenEdge, build_plan, fk_label
from fraiseql_data.schema.introspect import introspect
from fraiseql_data.schema.model import Column, Domain, ForeignKey, Schema, Table, TypeRef, Unique

SHARED = Path(__file__).parents[2] / "shared"
INT = TypeRef("integer")


def fk(
    name: str, columns: str, parent: str, *, deferrable: bool = False, match_full: bool = False
) -> ForeignKey:
    """A key from `columns` (comma-separated) to `parent`'s `id` (or as many id columns)."""
    cols = tuple(columns.split(","))
    ref_cols = ("id",) if len(cols) == 1 else tuple(f"id{i}" for i in range(len(cols)))
    return ForeignKey(name, cols, "s", parent, ref_cols, deferrable=deferrable, match_full=match_full)


def table(
    name: str, *keys: ForeignKey, nullable: frozenset[str] = frozenset(), type_: str = "integer"
) -> Table:
    """Table `s.name`: an `id` key plus each key's columns, NOT NULL unless listed in `nullable`."""
    columns = {"id": Column("id", INT, nullable=False)}
    for key in keys:
        for c in key.columns:
            columns[c] = Column(c, TypeRef(type_), nullable=c in nullable)
    return Table(
        "s",
        name,
        tuple(columns.values()),
        primary_key=Unique(f"{name}_pkey", ("id",), primary=True),
        foreign_keys=keys,
    )


def schema(*tables: Table, domains: tuple[Domain, ...] = ()) -> Schema:
    return Schema(tuple(sorted(tables, key=lambda t: t.qualified)), domains=domains)


def test_chain_fills_parents_first() -> None:
    plan = build_plan(
        schema(table("c", fk("c_b", "b_id", "b")), table("b", fk("b_a", "a_id", "a")), table("a"))
    )
    assert plan.order == ("s.a", "s.b", "s.c")
    assert plan.components == (("s.a",), ("s.b",), ("s.c",))
    assert plan.cycles == () and plan.broken == () and plan.self_refs == {} and plan.external == {}
    assert plan.parents("s.b") == ("s.a",) and plan.children("s.b") == ("s.c",)
    assert plan.parents("s.a") == () and plan.children("s.c") == ()
    with pytest.raises(UnknownTableError):
        plan.parents("s.nope")


def test_diamond_orders_by_level_then_name() -> None:
    plan = build_plan(
        schema(
            table("top"),
            table("right", fk("r_top", "top_id", "top")),
            table("left", fk("l_top", "top_id", "top")),
            table("bottom", fk("b_left", "left_id", "left"), fk("b_right", "right_id", "right")),
        )
    )
    assert plan.order == ("s.top", "s.left", "s.right", "s.bottom")
    assert plan.parents("s.bottom") == ("s.left", "s.right")
    assert plan.children("s.top") == ("s.left", "s.right")


def test_partitioned_parents_and_partitions_are_tables() -> None:
    parent = replace(table("event", fk("event_user", "user_id", "user")), partitioned=True)
    partition = replace(table("event_2024", fk("event_user", "user_id", "user")), partition_of="s.event")
    plan = build_plan(
        schema(parent, partition, table("user"), table("tag", fk("tag_event", "event_id", "event")))
    )
    assert plan.order == ("s.user", "s.event", "s.event_2024", "s.tag")
    assert plan.children("s.event") == ("s.tag",)


def test_self_reference_is_listed_not_a_cycle() -> None:
    tree, chain = fk("parent", "parent_id", "node"), fk("prev", "prev_id", "node")
    plan = build_plan(schema(table("node", tree, chain, nullable=frozenset({"parent_id"}))))
    assert plan.order == ("s.node",) and plan.cycles == () and plan.broken == ()
    assert plan.self_refs == {"s.node": (tree, chain)}  # sorted by name
    assert plan.parents("s.node") == () and plan.children("s.node") == ()


def test_two_cycle_prefers_the_deferrable_key() -> None:
    owner = fk("org_owner", "owner_id", "user", deferrable=True)
    member = fk("user_org", "org_id", "org")
    # Both cuttable (user.org_id is nullable): the deferrable one is free, so it is the one cut.
    plan = build_plan(schema(table("org", owner), table("user", member, nullable=frozenset({"org_id"}))))
    assert plan.cycles == (("s.org", "s.user"),)
    assert plan.broken == (BrokenEdge("s.org", owner, "deferred"),)
    assert plan.order == ("s.org", "s.user")


def test_two_cycle_cut_by_a_nullable_key() -> None:
    manager = fk("dept_manager", "manager_id", "emp")
    plan = build_plan(
        schema(
            table("dept", manager, nullable=frozenset({"manager_id"})),
            table("emp", fk("emp_dept", "dept_id", "dept")),
        )
    )
    assert plan.broken == (BrokenEdge("s.dept", manager, "update", ("manager_id",)),)
    assert plan.order == ("s.dept", "s.emp")


def test_three_cycle_cut_once() -> None:
    plan = build_plan(
        schema(
            table("a", fk("a_b", "b_id", "b")),
            table("b", fk("b_c", "c_id", "c"), nullable=frozenset({"c_id"})),
            table("c", fk("c_a", "a_id", "a"), nullable=frozenset({"a_id"})),
        )
    )
    assert len(plan.broken) == 1 and plan.broken[0].how == "update"
    assert plan.cycles == (plan.order,) and set(plan.order) == {"s.a", "s.b", "s.c"}
    cut = plan.broken[0]
    for child in plan.order:  # every key but the cut one has its parent first
        for parent in plan.parents(child):
            if (child, parent) != (cut.table, cut.parent):
                assert plan.order.index(parent) < plan.order.index(child)


def test_the_key_on_most_cycles_is_cut() -> None:
    # hub -> x -> a -> hub and hub -> x -> b -> hub, every key nullable: hub's one key breaks both
    # cycles, although a's and b's keys come first by name.
    down = fk("hub_x", "x_id", "x")
    plan = build_plan(
        schema(
            table("hub", down, nullable=frozenset({"x_id"})),
            table("x", fk("x_a", "a_id", "a"), fk("x_b", "b_id", "b"), nullable=frozenset({"a_id", "b_id"})),
            table("a", fk("a_hub", "hub_id", "hub"), nullable=frozenset({"hub_id"})),
            table("b", fk("b_hub", "hub_id", "hub"), nullable=frozenset({"hub_id"})),
        )
    )
    assert plan.broken == (BrokenEdge("s.hub", down, "update", ("x_id",)),)
    assert plan.order == ("s.hub", "s.a", "s.b", "s.x")


def test_cuts_are_minimal_and_prefer_the_cheap_kind() -> None:
    # Cycles a->b->a and a->b->c->a share a->b (nullable). b->a is DEFERRABLE but alone it leaves a->b->c->a,
    # so the greedy takes it first; then a->b is needed anyway and the deferred cut is given back.
    a_b, b_a, b_c, c_a = (
        fk("a_b", "b_id", "b"),
        fk("b_a", "a_id", "a", deferrable=True),
        fk("b_c", "c_id", "c"),
        fk("c_a", "a_id", "a"),
    )
    plan = build_plan(
        schema(table("a", a_b, nullable=frozenset({"b_id"})), table("b", b_a, b_c), table("c", c_a))
    )
    assert plan.broken == (BrokenEdge("s.a", a_b, "update", ("b_id",)),)
    assert plan.order == ("s.a", "s.c", "s.b")


def test_cycle_and_self_reference_together() -> None:
    parent = fk("cat_parent", "parent_id", "cat")
    plan = build_plan(
        schema(
            table(
                "cat", parent, fk("cat_item", "item_id", "item"), nullable=frozenset({"parent_id", "item_id"})
            ),
            table("item", fk("item_cat", "cat_id", "cat")),
        )
    )
    assert plan.self_refs == {"s.cat": (parent,)}
    assert [(b.table, b.fk.name) for b in plan.broken] == [("s.cat", "cat_item")]
    assert plan.order == ("s.cat", "s.item")


def test_uncuttable_cycle_names_tables_and_keys() -> None:
    tables = (
        table("store", fk("store_manager", "manager_id", "staff")),
        table("staff", fk("staff_store", "store_id", "store")),
        table("other", fk("other_store", "store_id", "store")),
    )
    with pytest.raises(CycleError) as raised:
        build_plan(schema(*tables))
    assert raised.value.tables == ("s.staff", "s.store")
    assert raised.value.edges == (
        "s.staff.staff_store (store_id) -> s.store",
        "s.store.store_manager (manager_id) -> s.staff",
    )
    message = str(raised.value)
    assert "s.staff -> s.store -> s.staff" in message and "staff_store (store_id)" in message


def test_uncuttable_part_of_a_larger_component_is_named() -> None:
    # a<->b is uncuttable; c joins the component through cuttable keys; the error names only a and b.
    with pytest.raises(CycleError) as raised:
        build_plan(
            schema(
                table("a", fk("a_b", "b_id", "b"), fk("a_c", "c_id", "c"), nullable=frozenset({"c_id"})),
                table("b", fk("b_a", "a_id", "a")),
                table("c", fk("c_a", "a_id", "a")),
            )
        )
    assert raised.value.tables == ("s.a", "s.b")


def test_an_edge_goes_only_when_every_key_along_it_can_be_cut() -> None:
    first, second = fk("p_c1", "c1", "c"), fk("p_c2", "c2", "c")
    child = table("c", fk("c_p", "p_id", "p"))
    (broken_first, broken_second) = build_plan(
        schema(table("p", first, second, nullable=frozenset({"c1", "c2"})), child)
    ).broken
    assert (broken_first.fk, broken_second.fk) == (first, second)
    with pytest.raises(CycleError) as raised:
        build_plan(schema(table("p", first, second, nullable=frozenset({"c1"})), child))
    assert raised.value.edges == ("s.c.c_p (p_id) -> s.p", "s.p.p_c2 (c2) -> s.c")


@pytest.mark.parametrize(
    ("match_full", "nullable", "expected"),
    [
        (False, {"t0"}, ("update", ("t0",))),  # MATCH SIMPLE: one NULL column exempts the row
        (True, {"t0"}, None),  # MATCH FULL: a partly NULL key is refused
        (True, {"t0", "t1"}, ("update", ("t0", "t1"))),
    ],
)
def test_composite_key_cut_follows_match_type(
    match_full: bool, nullable: set[str], expected: tuple[str, tuple[str, ...]] | None
) -> None:
    tenant = fk("p_tenant", "t0,t1", "c", match_full=match_full)
    s = schema(table("p", tenant, nullable=frozenset(nullable)), table("c", fk("c_p", "p_id", "p")))
    if expected is None:
        with pytest.raises(CycleError):
            build_plan(s)
        return
    (cut,) = build_plan(s).broken
    assert (cut.how, cut.null_columns) == expected


def test_not_null_domain_makes_a_column_uncuttable() -> None:
    domains = (
        Domain("s", "strict_id", INT, nullable=False),
        Domain("s", "alias_id", TypeRef("s.strict_id")),  # a domain over a NOT NULL domain
    )
    tables = (
        table("a", fk("a_b", "b_id", "b"), nullable=frozenset({"b_id"}), type_="s.alias_id"),
        table("b", fk("b_a", "a_id", "a")),
    )
    with pytest.raises(CycleError):
        build_plan(schema(*tables, domains=domains))


def test_subset_reports_external_parents() -> None:
    s = schema(
        table("a"),
        table("b", fk("b_a", "a_id", "a")),
        table("c", fk("c_b", "b_id", "b"), fk("c_gone", "x_id", "missing")),
    )
    plan = build_plan(s, ["c", "s.b"])  # bare names resolve when unambiguous
    assert plan.order == ("s.b", "s.c")
    assert plan.external == {"s.b": (s.table("b").foreign_keys[0],), "s.c": (s.table("c").foreign_keys[1],)}
    assert plan.parents("s.c") == ("s.b",)
    assert build_plan(s).external == {"s.c": (s.table("c").foreign_keys[1],)}
    with pytest.raises(UnknownTableError):
        build_plan(s, ["nope"])


def test_same_plan_whatever_the_input_order() -> None:
    nullable = frozenset({"n0", "n1", "n2"})
    tables = [
        table(
            f"t{i}",
            *(fk(f"t{i}_{j}", f"n{k}", f"t{j}") for k, j in enumerate({(i * 7) % 12, (i + 1) % 12})),
            nullable=nullable,
        )
        for i in range(12)
    ]
    expected = build_plan(schema(*tables))
    assert expected.broken
    rng = random.Random(7)
    for _ in range(5):
        shuffled = [
            replace(t, foreign_keys=tuple(rng.sample(t.foreign_keys, len(t.foreign_keys)))) for t in tables
        ]
        rng.shuffle(shuffled)
        assert build_plan(Schema(tuple(shuffled))) == expected
        assert build_plan(Schema(tuple(shuffled))).describe() == expected.describe()


def test_describe_shows_order_cycles_and_cuts() -> None:
    owner = fk("org_owner", "owner_id", "user", deferrable=True)
    text = build_plan(
        schema(
            table("org", owner),
            table(
                "user",
                fk("user_org", "org_id", "org"),
                fk("user_boss", "boss_id", "user"),
                fk("user_x", "x_id", "x"),
            ),
        ),
        ["org", "user"],
    ).describe()
    assert "  1. s.org   [cycle 1]  <- s.user" in text
    assert "  2. s.user  [cycle 1]  <- s.org" in text
    assert f"cut {fk_label('s.org', owner)}: DEFERRABLE, checked at commit" in text
    assert "s.user.user_boss (boss_id) -> s.user" in text  # self-reference
    assert "s.user.user_x (x_id) -> s.x" in text  # external parent


def test_five_hundred_tables_plan_fast() -> None:
    # A binary tree of NOT NULL keys up to the parent; every fifth node's grandparent points back down at it
    # through a nullable key, closing a 3-cycle that only that key can cut.
    keys: dict[int, list[ForeignKey]] = {i: [] for i in range(500)}
    nullable: dict[int, set[str]] = {i: set() for i in range(500)}
    for i in range(1, 500):
        keys[i].append(fk(f"t{i:03}_up", "up", f"t{(i - 1) // 2:03}"))
        if i % 5 == 0 and i >= 3:
            grandparent = ((i - 1) // 2 - 1) // 2
            keys[grandparent].append(fk(f"t{grandparent:03}_down{i}", f"down{i}", f"t{i:03}"))
            nullable[grandparent].add(f"down{i}")
    tables = [table(f"t{i:03}", *keys[i], nullable=frozenset(nullable[i])) for i in range(500)]
    started = time.perf_counter()
    plan = build_plan(schema(*tables))
    assert time.perf_counter() - started < 1.0
    assert len(plan.order) == 500
    assert len(plan.broken) == sum(map(len, nullable.values())) == 99


def _read_shared(name: str) -> Schema:
    ddl = pytest.importorskip("fraiseql_data.schema.ddl", reason="the DDL reader is not there yet")
    return ddl.parse_ddl((SHARED / name).read_text())


def test_catalog_cycle_is_cut_at_the_deferrable_owner_key() -> None:
    plan = build_plan(_read_shared("schemas/catalog.sql"))
    assert ("catalog.tb_organization", "catalog.tb_user") in plan.cycles
    (cut,) = plan.broken
    assert (cut.table, cut.fk.name, cut.how) == (
        "catalog.tb_organization",
        "fk_organization_owner",
        "deferred",
    )


def test_pagila_store_staff_cycle_is_refused() -> None:
    # store.manager_staff_id and staff.store_id are both NOT NULL and neither key is DEFERRABLE.
    s = _read_shared("real_schemas/pagila.sql")
    with pytest.raises(CycleError) as raised:
        build_plan(s)
    assert raised.value.tables == ("public.staff", "public.store")
    assert raised.value.edges == (
        "public.staff.staff_store_id_fkey (store_id) -> public.store",
        "public.store.store_manager_staff_id_fkey (manager_staff_id) -> public.staff",
    )
    without_store = [t.qualified for t in s.tables if t.name != "store"]
    plan = build_plan(s, without_store)
    assert plan.external["public.staff"][0].ref_qualified == "public.store"


# Every kind of cut at once: PostgreSQL accepts one row per table written in plan order.
PLANNED_DDL = """
CREATE SCHEMA s;
CREATE TABLE s.a (id int PRIMARY KEY);
CREATE TABLE s.b (id int PRIMARY KEY, a_id int NOT NULL REFERENCES s.a);
CREATE TABLE s.c (id int PRIMARY KEY, d_id int NOT NULL);
CREATE TABLE s.d (id int PRIMARY KEY, c_id int NOT NULL REFERENCES s.c);
ALTER TABLE s.c ADD CONSTRAINT c_d FOREIGN KEY (d_id) REFERENCES s.d DEFERRABLE INITIALLY IMMEDIATE;
CREATE TABLE s.e (tenant int NOT NULL, id int NOT NULL, f_id int, PRIMARY KEY (tenant, id));
CREATE TABLE s.f (tenant int NOT NULL, id int NOT NULL, e_id int NOT NULL, PRIMARY KEY (tenant, id),
                  FOREIGN KEY (tenant, e_id) REFERENCES s.e);
ALTER TABLE s.e ADD CONSTRAINT e_f FOREIGN KEY (tenant, f_id) REFERENCES s.f;
CREATE TABLE s.g (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES s.g,
                  b_id int NOT NULL REFERENCES s.b);
"""


def test_postgresql_accepts_rows_in_plan_order(make_db: Callable[[str], str]) -> None:
    with psycopg.connect(make_db(PLANNED_DDL)) as conn:
        live = introspect(conn)
        plan = build_plan(live)
        assert [(b.table, b.fk.name, b.how, b.null_columns) for b in plan.broken] == [
            ("s.c", "c_d", "deferred", ()),
            ("s.e", "e_f", "update", ("f_id",)),
        ]
        assert "s.g" in plan.self_refs
        for cut in plan.broken:
            if cut.how == "deferred":
                constraint = sql.Identifier(live.table(cut.table).schema, cut.fk.name)
                conn.execute(sql.SQL("SET CONSTRAINTS {} DEFERRED").format(constraint))
        nulls = {(cut.table, c) for cut in plan.broken for c in cut.null_columns}
        for name in plan.order:  # one row per table, every value 1, cut columns NULL
            t = live.table(name)
            conn.execute(
                sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
                    sql.Identifier(t.schema, t.name),
                    sql.SQL(", ").join(sql.Identifier(c.name) for c in t.columns),
                    sql.SQL(", ").join(
                        sql.Literal(None if (name, c.name) in nulls else 1) for c in t.columns
                    ),
                )
            )
        for name, column in sorted(nulls):
            t = live.table(name)
            conn.execute(
                sql.SQL("UPDATE {} SET {} = 1").format(
                    sql.Identifier(t.schema, t.name), sql.Identifier(column)
                )
            )
        conn.commit()
        assert conn.execute("SELECT f_id FROM s.e").fetchone() == (1,)
