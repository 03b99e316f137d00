"""Values people recognise: Trinity pattern ids, name-based providers, slugs — all accepted by PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
from fraiseql_uuid import Pattern

from fraiseql_data.generate import SeedOptions
from fraiseql_data.run import seed_dsn
from fraiseql_data.values.identity import table_codes

EXAMPLE = Path(__file__).parents[1] / "examples" / "catalog" / "schema.sql"


def test_trinity_ids_decode_and_names_read_like_names(make_db, catalog_sql: str) -> None:
    dsn = make_db(catalog_sql)
    report = seed_dsn(dsn, SeedOptions(rows=120, seed=9))
    tables = report.dataset.tables
    pattern = Pattern()
    codes = table_codes(report.schema)
    assert len(set(codes.values())) == len(codes)  # one distinct code per Trinity table
    for name, data in tables.items():
        if name not in codes:
            continue
        for row, value in enumerate(data.text["id"], start=1):
            decoded = pattern.decode(value)
            assert int(decoded["instance"]) == row
            assert int(decoded["table_code"]) == codes[name]
    users = tables["catalog.tb_user"]
    assert len(set(users.text["email"])) == users.n  # UNIQUE, and drawn from realistic pools
    assert all(re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", e or "") for e in users.text["email"])
    assert all(name and name[0].isupper() for name in users.text["first_name"])
    with psycopg.connect(dsn) as conn:  # PostgreSQL accepted them, and they are really there
        stored = conn.execute("SELECT count(DISTINCT email) FROM catalog.tb_user").fetchone()[0]  # type: ignore[index]
    assert stored == users.n


def test_identifiers_are_readable_slugs(make_db) -> None:
    dsn = make_db(EXAMPLE.read_text())
    report = seed_dsn(dsn, SeedOptions(rows=200, seed=2))
    brands = report.dataset.tables["shop.tb_brand"]
    slugs = brands.text["identifier"]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z][a-z0-9-]{2,30}", s or "") for s in slugs)
    # most are derived from the brand's name (the rest keep the solver's string where a slug would not fit)
    names = brands.text["name"]
    derived = sum(1 for s, n in zip(slugs, names, strict=True) if s and n and s.split("-")[0] in n.lower())
    assert derived >= len(slugs) // 2
