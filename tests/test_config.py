"""Config files: the options they set reach PostgreSQL, flags win, and every mistake names its key and file."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from fraiseql_uuid import Pattern

from fraiseql_data import ConfigError, SeedOptions, find_config, load_config, load_schema
from fraiseql_data.cli import main
from fraiseql_data.run import seed_dsn
from fraiseql_data.values.identity import derived_codes

EXAMPLE = Path(__file__).parents[1] / "examples" / "catalog" / "schema.sql"

FULL = """\
rows = 6
seed = 7
strict = false
locale = "de_DE"
null_rate = 0.0
as_of = 2025-06-01
allow_opaque = false
[rows_for]
"shop.tb_brand" = 3
tb_category = 4
[overrides."shop.tb_brand"]
name = "[Acme,Globex,Initech]"
founded_year = 1999
[trinity]
uuid = "pattern"
scenario = 42
test_case = 7
table_codes = { "shop.tb_brand" = 12 }
"""


def fetch(dsn: str, sql: str) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql).fetchall()


def test_config_file_in_the_current_directory_seeds_and_flags_win(make_db, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    dsn = make_db(EXAMPLE.read_text())
    (tmp_path / "fraiseql-data.toml").write_text(FULL)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["seed", "--dsn", dsn, "--rows-for", "shop.tb_category=5", "--test-case", "8"])
    assert result.exit_code == 0, result.output
    counts = dict(fetch(dsn, "SELECT 'brand', count(*) FROM shop.tb_brand UNION ALL "
                             "SELECT 'category', count(*) FROM shop.tb_category UNION ALL "
                             "SELECT 'product', count(*) FROM shop.tb_product"))
    assert counts == {"brand": 3, "category": 5, "product": 6}  # file: rows, rows_for; flag: tb_category
    brands = fetch(dsn, "SELECT id::text, name, founded_year FROM shop.tb_brand ORDER BY pk_brand")
    assert [(name, year) for _, name, year in brands] == [("Acme", 1999), ("Globex", 1999), ("Initech", 1999)]
    decoded = [Pattern().decode(uuid) for uuid, _, _ in brands]
    assert {(d["table_code"], d["scenario"], d["test_case"]) for d in decoded} == {("000012", 42, 8)}
    assert [d["instance"] for d in decoded] == [1, 2, 3]


def test_pyproject_section_through_the_python_api(make_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dsn = make_db(EXAMPLE.read_text())
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n')
    monkeypatch.chdir(tmp_path)
    assert find_config() is None  # a pyproject.toml without our section is not a config
    assert load_config() == SeedOptions()
    pyproject.write_text('[project]\nname = "x"\n[tool.fraiseql-data]\nrows = 2\nseed = 3\n'
                         '[tool.fraiseql-data.trinity]\nuuid = "random"\n'
                         '[tool.fraiseql-data.rows_for]\n"shop.tb_price" = 0\n')
    assert find_config() == Path("pyproject.toml")
    options = load_config(schema=load_schema(EXAMPLE))
    assert (options.rows, options.seed, options.uuid, dict(options.rows_for)) == (2, 3, "random", {"shop.tb_price": 0})
    report = seed_dsn(dsn, options)
    stored = fetch(dsn, "SELECT id FROM shop.tb_brand UNION ALL SELECT id FROM shop.tb_product")
    assert len(stored) == 4 and all(uuid.version == 4 for (uuid,) in stored)
    assert {str(u) for (u,) in stored} == {*report.dataset.tables["shop.tb_brand"].text["id"],
                                           *report.dataset.tables["shop.tb_product"].text["id"]}
    assert fetch(dsn, "SELECT count(*) FROM shop.tb_price") == [(0,)]


def test_an_unknown_table_in_the_file_fails_the_cli_before_writing(make_db, tmp_path: Path) -> None:
    dsn = make_db(EXAMPLE.read_text())
    config = tmp_path / "team.toml"
    config.write_text('rows = 2\n[overrides.tb_nope]\nname = "x"\n')
    result = CliRunner().invoke(main, ["seed", "--dsn", dsn, "--config", str(config)])
    assert result.exit_code == 1
    assert f"error: {config}: overrides.tb_nope: table='tb_nope' is not in the schema" in result.output
    assert fetch(dsn, "SELECT count(*) FROM shop.tb_brand") == [(0,)]


@pytest.mark.parametrize(("text", "key", "reason"), [
    ("rowz = 5", "rowz", "unknown key (known: rows, seed"),
    ('rows = "ten"', "rows", "expected an integer, got str 'ten'"),
    ("rows = -1", "rows", "-1 is out of range (at least 0)"),
    ("strict = 1", "strict", "expected true or false"),
    ("null_rate = 1.5", "null_rate", "expected a number from 0 to 1"),
    ('as_of = "yesterday"', "as_of", "expected a date or timestamp"),
    ('rows_for = 3', "rows_for", "expected a table, got int 3"),
    ('[rows_for]\n"shop.tb_brand" = true', 'rows_for."shop.tb_brand"', "expected an integer, got bool"),
    ('[overrides.tb_brand]\nname = ["a"]', "overrides.tb_brand.name", "expected a value SPEC"),
    ('[overrides.tb_brand]\nname = "faker:no_such_provider"', "overrides.tb_brand.name", "not a Faker provider"),
    ('[trinity]\nuuid = "v7"', "trinity.uuid", "expected one of 'pattern', 'random'"),
    ("[trinity]\nscenario = 10000", "trinity.scenario", "out of range (0 to 9999)"),
    ("[trinity]\ntest_case = 100", "trinity.test_case", "out of range (0 to 99)"),
    ("[trinity]\ntable_codes = { tb_brand = 1000000 }", "trinity.table_codes.tb_brand", "out of range (0 to 999999)"),
    ("[trinity]\ncolour = 1", "trinity.colour", "unknown key (known: uuid, scenario, test_case, table_codes)"),
    ("rows = ", "(file)", "is not valid TOML"),
])
def test_bad_keys_name_the_key_and_the_file(tmp_path: Path, text: str, key: str, reason: str) -> None:
    path = tmp_path / "fraiseql-data.toml"
    path.write_text(text + "\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: {key}: ")
    assert reason in str(caught.value)


def test_pyproject_keys_are_named_in_full(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.fraiseql-data]\nrows = 1.5\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml: tool.fraiseql-data.rows: expected an integer"):
        load_config(path)
    path.write_text("[tool.other]\nrows = 1\n")
    with pytest.raises(ConfigError, match=r"\[tool.fraiseql-data\]: no such table"):
        load_config(path)


def test_tables_columns_and_codes_are_checked_against_the_schema(tmp_path: Path) -> None:
    schema = load_schema(EXAMPLE)
    path = tmp_path / "fraiseql-data.toml"
    brand_code = derived_codes(schema)["shop.tb_brand"]
    cases = [
        ('[rows_for]\n"shop.tb_nope" = 2', 'rows_for."shop.tb_nope"', "table='shop.tb_nope' is not in the schema"),
        ('[overrides.tb_brand]\ncolour = "red"', "overrides.tb_brand.colour",
         "'colour' is not a written column of shop.tb_brand (columns: pk_brand, id, identifier, name, founded_year)"),
        (f"[trinity.table_codes]\ntb_product = {brand_code}", "trinity.table_codes.tb_product",
         f"table code {brand_code} of shop.tb_product is also derived for shop.tb_brand"),
        ('[trinity.table_codes]\ntb_product = 5\n"shop.tb_brand" = 5', 'trinity.table_codes."shop.tb_brand"',
         "table code 5 of shop.tb_brand is also given to shop.tb_product"),
    ]
    for text, key, reason in cases:
        path.write_text(text + "\n")
        with pytest.raises(ConfigError) as caught:
            load_config(path, schema)
        assert str(caught.value).startswith(f"{path}: {key}: "), str(caught.value)
        assert reason in str(caught.value)
    path.write_text(f"[trinity.table_codes]\ntb_brand = 9\ntb_product = {brand_code}\n")  # the freed code is free
    assert dict(load_config(path, schema).table_codes) == {"tb_brand": 9, "tb_product": brand_code}
