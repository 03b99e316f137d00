"""What a user's test suite looks like: markers, the `seed` builder, and a property test."""

from __future__ import annotations

import psycopg
from hypothesis import given, settings

from conftest import SCHEMA
from fraiseql_data import SeedBuilder, Seeds, ref, seed_data
from fraiseql_data.hypothesis import datasets


def count(conn: psycopg.Connection, table: str) -> int:
    schema, name = table.split(".")
    query = psycopg.sql.SQL("SELECT count(*) FROM {}").format(psycopg.sql.Identifier(schema, name))
    row = conn.execute(query).fetchone()
    assert row is not None
    return int(row[0])


@seed_data("shop.tb_brand", count=2, founded_year=1900)
@seed_data("shop.tb_product", count=7, weight_grams=250)
def test_marker_rows_and_parents(seeds: Seeds, fraiseql_data_connection: psycopg.Connection) -> None:
    assert len(seeds.tb_product) == 7
    assert {p.weight_grams for p in seeds.tb_product} == {250}
    assert [b.founded_year for b in seeds.tb_brand] == [1900, 1900]
    brands = {b.pk_brand for b in seeds.tb_brand}  # added automatically: every product needs one
    assert all(p.fk_brand in brands for p in seeds.tb_product)
    assert count(fraiseql_data_connection, "shop.tb_product") == 7


def test_previous_test_was_rolled_back(fraiseql_data_connection: psycopg.Connection) -> None:
    assert count(fraiseql_data_connection, "shop.tb_product") == 0


def test_builder_pins_parents(seed: SeedBuilder) -> None:
    acme = seed.add("shop.tb_brand", 1, name="Acme")
    seed.add("shop.tb_product", 3, fk_brand=acme[0], weight_grams=[100, 200, 300])
    seed.add("shop.tb_price", 2, fk_product=ref("shop.tb_product", 0), currency="EUR")
    seeds = seed.execute()
    assert [p.weight_grams for p in seeds.tb_product] == [100, 200, 300]
    assert {p.fk_brand for p in seeds.tb_product} == {seeds.tb_brand[0].pk_brand}
    rows = seed.connection.execute("SELECT b.name FROM shop.tb_product p JOIN shop.tb_brand b "
                                   "ON b.pk_brand = p.fk_brand").fetchall()
    assert rows == [("Acme",)] * 3


@settings(max_examples=10, deadline=None)
@given(data=datasets(SCHEMA, tables=["shop.tb_product"], max_rows=4))
def test_every_dataset_loads(data: Seeds, fraiseql_data_dsn: str) -> None:
    with psycopg.connect(fraiseql_data_dsn) as conn, conn.transaction(force_rollback=True):  # nothing stays
        data.insert(conn)
        assert count(conn, "shop.tb_product") == len(data.tb_product)
