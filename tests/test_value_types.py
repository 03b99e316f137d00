"""Values for every PostgreSQL type: accepted by a real server, round-tripping, within limits."""

from __future__ import annotations

import datetime
import ipaddress
import re
import uuid
from collections.abc import Callable
from decimal import Decimal

import numpy as np
import psycopg
import pytest
from psycopg import sql

from fraiseql_data.schema.model import CompositeType, Domain, EnumType, Schema, TypeRef
from fraiseql_data.values.literal import (
    quote_array_element,
    quote_hstore,
    quote_record_field,
)
from fraiseql_data.values.temporal import SPAN_DAYS, civil_dates
from fraiseql_data.values.types import UnknownTypeError, max_chars, sample_type, type_bounds

ROWS = 300
MOOD_LABELS = ("sad", "so, so", 'it\'s "fine"', "null", "back\\slash", "{braced}", "happy")

KITCHEN_SINK_PREAMBLE = r"""
CREATE EXTENSION citext;
CREATE EXTENSION hstore;
CREATE SCHEMA kit;
CREATE TYPE kit.mood AS ENUM ('sad', 'so, so', 'it''s "fine"', 'null', 'back\slash', '{braced}', 'happy');
CREATE TYPE kit.address AS (street text, number integer, tags text[], mood kit.mood, since date);
CREATE TYPE kit.pair AS (a text, b text);
CREATE DOMAIN kit.label AS text;
CREATE DOMAIN kit.amount AS numeric(8,3);
"""

# (column, SQL type, TypeRef as the schema readers give it, text output equals the input)
COLUMNS: list[tuple[str, str, TypeRef, bool]] = [
    ("c_smallint", "smallint", TypeRef("smallint"), True),
    ("c_integer", "integer", TypeRef("integer"), True),
    ("c_bigint", "bigint", TypeRef("bigint"), True),
    ("c_numeric_10_2", "numeric(10,2)", TypeRef("numeric", (10, 2)), True),
    ("c_numeric", "numeric", TypeRef("numeric"), True),
    ("c_numeric_3_5", "numeric(3,5)", TypeRef("numeric", (3, 5)), True),
    ("c_numeric_3_neg2", "numeric(3,-2)", TypeRef("numeric", (3, -2)), True),
    ("c_numeric_40_30", "numeric(40,30)", TypeRef("numeric", (40, 30)), True),
    ("c_numeric_5", "numeric(5)", TypeRef("numeric", (5,)), True),
    ("c_real", "real", TypeRef("real"), False),
    ("c_double", "double precision", TypeRef("double precision"), False),
    ("c_money", "money", TypeRef("money"), False),
    ("c_boolean", "boolean", TypeRef("boolean"), True),
    ("c_text", "text", TypeRef("text"), True),
    ("c_varchar_5", "varchar(5)", TypeRef("character varying", (5,)), True),
    ("c_varchar", "varchar", TypeRef("character varying"), True),
    ("c_char_3", "char(3)", TypeRef("character", (3,)), False),
    ("c_char", "character", TypeRef("character", (1,)), True),
    ("c_bpchar", "bpchar", TypeRef("bpchar"), True),
    ("c_qchar", '"char"', TypeRef('"char"'), True),
    ("c_name", "name", TypeRef("name"), True),
    ("c_bytea", "bytea", TypeRef("bytea"), True),
    ("c_uuid", "uuid", TypeRef("uuid"), True),
    ("c_date", "date", TypeRef("date"), True),
    ("c_time", "time", TypeRef("time without time zone"), True),
    ("c_time_3", "time(3)", TypeRef("time without time zone", (3,)), True),
    ("c_timetz", "timetz", TypeRef("time with time zone"), True),
    ("c_timestamp", "timestamp", TypeRef("timestamp without time zone"), True),
    ("c_timestamptz", "timestamptz", TypeRef("timestamp with time zone"), True),
    ("c_interval", "interval", TypeRef("interval"), False),
    ("c_json", "json", TypeRef("json"), True),
    ("c_jsonb", "jsonb", TypeRef("jsonb"), False),
    ("c_xml", "xml", TypeRef("xml"), True),
    ("c_inet", "inet", TypeRef("inet"), False),
    ("c_cidr", "cidr", TypeRef("cidr"), False),
    ("c_macaddr", "macaddr", TypeRef("macaddr"), True),
    ("c_macaddr8", "macaddr8", TypeRef("macaddr8"), True),
    ("c_bit_5", "bit(5)", TypeRef("bit", (5,)), True),
    ("c_bit", "bit", TypeRef("bit", (1,)), True),
    ("c_varbit_8", "varbit(8)", TypeRef("bit varying", (8,)), True),
    ("c_varbit", "varbit", TypeRef("bit varying"), True),
    ("c_point", "point", TypeRef("point"), False),
    ("c_line", "line", TypeRef("line"), False),
    ("c_lseg", "lseg", TypeRef("lseg"), False),
    ("c_box", "box", TypeRef("box"), False),
    ("c_path", "path", TypeRef("path"), False),
    ("c_polygon", "polygon", TypeRef("polygon"), False),
    ("c_circle", "circle", TypeRef("circle"), False),
    ("c_tsvector", "tsvector", TypeRef("tsvector"), False),
    ("c_tsquery", "tsquery", TypeRef("tsquery"), False),
    ("c_int4range", "int4range", TypeRef("int4range"), False),
    ("c_int8range", "int8range", TypeRef("int8range"), False),
    ("c_numrange", "numrange", TypeRef("numrange"), False),
    ("c_tsrange", "tsrange", TypeRef("tsrange"), False),
    ("c_tstzrange", "tstzrange", TypeRef("tstzrange"), False),
    ("c_daterange", "daterange", TypeRef("daterange"), False),
    ("c_int4multirange", "int4multirange", TypeRef("int4multirange"), False),
    ("c_int8multirange", "int8multirange", TypeRef("int8multirange"), False),
    ("c_nummultirange", "nummultirange", TypeRef("nummultirange"), False),
    ("c_tsmultirange", "tsmultirange", TypeRef("tsmultirange"), False),
    ("c_tstzmultirange", "tstzmultirange", TypeRef("tstzmultirange"), False),
    ("c_datemultirange", "datemultirange", TypeRef("datemultirange"), False),
    ("c_oid", "oid", TypeRef("oid"), True),
    ("c_pg_lsn", "pg_lsn", TypeRef("pg_lsn"), True),
    ("c_citext", "citext", TypeRef("public.citext"), True),
    ("c_hstore", "hstore", TypeRef("public.hstore"), False),
    ("c_mood", "kit.mood", TypeRef("kit.mood"), True),
    ("c_address", "kit.address", TypeRef("kit.address"), True),
    ("c_label", "kit.label", TypeRef("kit.label"), True),
    ("c_amount", "kit.amount", TypeRef("kit.amount"), True),
    ("c_int_arr", "integer[]", TypeRef("integer", (), 1), True),
    ("c_text_arr", "text[]", TypeRef("text", (), 1), True),
    ("c_numeric_arr", "numeric(6,2)[]", TypeRef("numeric", (6, 2), 1), True),
    ("c_varchar_arr", "varchar(3)[]", TypeRef("character varying", (3,), 1), True),
    ("c_json_arr", "json[]", TypeRef("json", (), 1), True),
    ("c_jsonb_arr", "jsonb[]", TypeRef("jsonb", (), 1), False),
    ("c_hstore_arr", "hstore[]", TypeRef("public.hstore", (), 1), False),
    ("c_mood_arr", "kit.mood[]", TypeRef("kit.mood", (), 1), True),
    ("c_address_arr", "kit.address[]", TypeRef("kit.address", (), 1), True),
    ("c_label_arr", "kit.label[]", TypeRef("kit.label", (), 1), True),
    ("c_citext_arr", "citext[]", TypeRef("public.citext", (), 1), True),
    ("c_uuid_arr", "uuid[]", TypeRef("uuid", (), 1), True),
    ("c_bytea_arr", "bytea[]", TypeRef("bytea", (), 1), True),
    ("c_tstz_arr", "timestamptz[]", TypeRef("timestamp with time zone", (), 1), True),
    ("c_box_arr", "box[]", TypeRef("box", (), 1), False),
    ("c_point_arr", "point[]", TypeRef("point", (), 1), False),
    ("c_range_arr", "int4range[]", TypeRef("int4range", (), 1), False),
    ("c_int_2d", "integer[][]", TypeRef("integer", (), 2), True),
    ("c_text_2d", "text[][]", TypeRef("text", (), 2), True),
    ("c_date_2d", "date[][]", TypeRef("date", (), 2), True),
    ("c_mood_2d", "kit.mood[][]", TypeRef("kit.mood", (), 2), True),
]

KIT_SCHEMA = Schema(
    enums=(EnumType("kit", "mood", MOOD_LABELS),),
    domains=(
        Domain("kit", "label", TypeRef("text")),
        Domain("kit", "amount", TypeRef("numeric", (8, 3))),
    ),
    composites=(
        CompositeType(
            "kit",
            "address",
            (
                ("street", TypeRef("text")),
                ("number", TypeRef("integer")),
                ("tags", TypeRef("text", (), 1)),
                ("mood", TypeRef("kit.mood")),
                ("since", TypeRef("date")),
            ),
        ),
        CompositeType("kit", "pair", (("a", TypeRef("text")), ("b", TypeRef("text")))),
    ),
)

KITCHEN_SINK_DDL = (
    KITCHEN_SINK_PREAMBLE
    + "CREATE TABLE kit.sink (\n"
    + ",\n".join(f"    {name} {sql_type} NOT NULL" for name, sql_type, _, _ in COLUMNS)
    + "\n);\n"
)


def generate(seed: int, n: int = ROWS) -> dict[str, list[str]]:
    rng = np.random.default_rng(seed)
    return {name: sample_type(type, KIT_SCHEMA, rng, n) for name, _, type, _ in COLUMNS}


# ---------------------------------------------------------------- against PostgreSQL


def test_kitchen_sink_rows_are_accepted_and_round_trip(make_db: Callable[[str], str]) -> None:
    dsn = make_db(KITCHEN_SINK_DDL)
    values = generate(seed=7)
    names = [name for name, _, _, _ in COLUMNS]
    copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier("kit", "sink"), sql.SQL(", ").join(map(sql.Identifier, names))
    )
    with psycopg.connect(dsn) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        with conn.cursor() as cur, cur.copy(copy_sql) as copy:
            for row in zip(*(values[name] for name in names), strict=True):
                copy.write_row(row)
        # Where the type's output syntax is its input syntax, PostgreSQL must print back our text.
        exact = [name for name, _, _, same in COLUMNS if same]
        select = sql.SQL("SELECT {} FROM {} ORDER BY ctid").format(
            sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(c)) for c in exact),
            sql.Identifier("kit", "sink"),
        )
        stored = conn.execute(select).fetchall()
        checks = conn.execute(
            "SELECT min(scale(c_numeric_10_2)), max(scale(c_numeric_10_2)), max(length(c_varchar_5)), "
            "max(length(c_char_3)), count(*) FILTER (WHERE array_ndims(c_int_2d) = 2), "
            "count(*) FILTER (WHERE isempty(c_int4range)), count(*) FILTER (WHERE lower_inf(c_int4range)) "
            "FROM kit.sink"
        ).fetchone()
    assert len(stored) == ROWS
    for column, got in zip(exact, zip(*stored, strict=True), strict=True):
        assert list(got) == values[column], column
    assert checks is not None
    min_scale, max_scale, varchar_len, char_len, two_dimensional, empty_ranges, unbounded = checks
    assert (min_scale, max_scale) == (2, 2)
    assert varchar_len <= 5 and char_len <= 3
    assert two_dimensional > 0.8 * ROWS
    assert empty_ranges > 0 and unbounded > 0


TRICKY = ["", "NULL", "null", "a,b", 'say "hi"', "back\\slash", " lead", "trail ", "{x}", "(y)", "[z]", "a;b",
          "tab\there", "new\nline", "ünï", "'quote'"]  # fmt: skip


def test_quoting_round_trips_through_postgresql(make_db: Callable[[str], str]) -> None:
    dsn = make_db(KITCHEN_SINK_PREAMBLE)
    array = "{" + ",".join(quote_array_element(s) for s in TRICKY) + "}"
    records = ["(" + quote_record_field(s) + "," + quote_record_field(s[::-1]) + ")" for s in TRICKY]
    hstore = ", ".join(f"{quote_hstore(s)}=>{quote_hstore(s)}" for s in TRICKY)
    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT %s::text[]", (array,)).fetchone()
        assert row is not None and row[0] == TRICKY
        for text, record in zip(TRICKY, records, strict=True):
            row = conn.execute("SELECT (%s::kit.pair).a, (%s::kit.pair).b", (record, record)).fetchone()
            assert row == (text, text[::-1])
        query = "SELECT akeys(%s::hstore) @> %s AND avals(%s::hstore) @> %s"
        assert conn.execute(query, (hstore, TRICKY) * 2).fetchone() == (True,)


# ---------------------------------------------------------------- without a database


def test_same_seed_same_values_other_seed_other_values() -> None:
    first, again, other = generate(seed=1, n=50), generate(seed=1, n=50), generate(seed=2, n=50)
    assert first == again
    for name, _, _, _ in COLUMNS:
        if name not in ("c_bit", "c_char", "c_qchar", "c_boolean"):  # tiny domains may repeat
            assert first[name] != other[name], name


def test_every_value_is_a_string_and_n_is_respected() -> None:
    values = generate(seed=3, n=40)
    assert all(len(col) == 40 and all(isinstance(v, str) for v in col) for col in values.values())
    assert sample_type(TypeRef("integer"), Schema(), np.random.default_rng(0), 0) == []


@pytest.mark.parametrize(
    ("precision", "scale"), [(10, 2), (3, 5), (3, -2), (40, 30), (1, 0), (18, 0), (30, 2), (5, 5), (2, 1)]
)
def test_numeric_respects_precision_and_scale(precision: int, scale: int) -> None:
    values = sample_type(TypeRef("numeric", (precision, scale)), Schema(), np.random.default_rng(5), 2000)
    limit = Decimal(10) ** (precision - scale)
    for text in values:
        value = Decimal(text)
        assert abs(value) < limit, text
        if scale > 0:
            assert len(text.partition(".")[2]) == scale, text
        else:
            assert value % (Decimal(10) ** -scale) == 0 and "." not in text, text
    assert any(v.startswith("-") for v in values)
    assert not any(re.fullmatch(r"-0*(\.0*)?", v) for v in values)


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 20, 255])
def test_character_values_fit_their_length_in_characters(limit: int) -> None:
    for name in ("character varying", "character"):
        type = TypeRef(name, (limit,))
        values = sample_type(type, Schema(), np.random.default_rng(limit), 3000)
        assert max_chars(type) == limit
        assert all(0 < len(v) <= limit and v == v.rstrip() for v in values)
    assert any(not v.isascii() for v in sample_type(TypeRef("text"), Schema(), np.random.default_rng(0), 500))
    names = sample_type(TypeRef("name"), Schema(), np.random.default_rng(0), 500)
    assert all(len(v.encode()) <= 63 and re.fullmatch(r"[a-z]+(_[a-z]+)*", v) for v in names)


@pytest.mark.parametrize("name", ["smallint", "integer", "bigint", "oid"])
def test_integers_stay_in_bounds_mostly_small_sometimes_extreme(name: str) -> None:
    type = TypeRef(name)
    bounds = type_bounds(type)
    assert bounds is not None
    values = [int(v) for v in sample_type(type, Schema(), np.random.default_rng(9), 20_000)]
    assert all(bounds[0] <= v <= bounds[1] for v in values)
    if name != "oid":
        assert sum(0 <= v <= 10_000 for v in values) > 0.9 * len(values)
        assert bounds[0] in values and bounds[1] in values


def test_floats_money_and_lsn_look_right() -> None:
    rng = np.random.default_rng(4)
    for text in sample_type(TypeRef("real"), Schema(), rng, 2000):
        assert re.fullmatch(r"-?\d+\.\d{1,2}", text) and text != "-0.0", text
    assert all(re.fullmatch(r"\d+\.\d\d", t) for t in sample_type(TypeRef("money"), Schema(), rng, 2000))
    assert all(
        re.fullmatch(r"[0-9A-F]{1,2}/[0-9A-F]{1,8}", t) for t in sample_type(TypeRef("pg_lsn"), Schema(), rng, 500)
    )


def test_dates_and_timestamps_stay_between_1970_and_2030() -> None:
    rng = np.random.default_rng(8)
    dates = [datetime.date.fromisoformat(d) for d in sample_type(TypeRef("date"), Schema(), rng, 3000)]
    assert min(dates) >= datetime.date(1970, 1, 1) and max(dates) <= datetime.date(2030, 12, 31)
    for text in sample_type(TypeRef("timestamp with time zone"), Schema(), rng, 500):
        assert text.endswith("+00")
        assert 1970 <= datetime.datetime.fromisoformat(text).year <= 2030
    days = np.arange(0, SPAN_DAYS + 1)
    year, month, day = civil_dates(days)
    epoch = datetime.date(1970, 1, 1).toordinal()
    expected = [datetime.date.fromordinal(epoch + int(d)) for d in days]
    assert [datetime.date(*ymd) for ymd in zip(year.tolist(), month.tolist(), day.tolist(), strict=True)] == expected


def test_bits_uuids_and_network_addresses_are_well_formed() -> None:
    rng = np.random.default_rng(6)
    assert all(re.fullmatch("[01]{5}", v) for v in sample_type(TypeRef("bit", (5,)), Schema(), rng, 500))
    varbits = sample_type(TypeRef("bit varying", (8,)), Schema(), rng, 500)
    assert all(re.fullmatch("[01]{1,8}", v) for v in varbits) and len({len(v) for v in varbits}) == 8
    assert all(uuid.UUID(v).version == 4 for v in sample_type(TypeRef("uuid"), Schema(), rng, 500))
    for text in sample_type(TypeRef("cidr"), Schema(), rng, 1000):
        ipaddress.ip_network(text, strict=True)  # raises if host bits are set
    inets = [ipaddress.ip_interface(v) for v in sample_type(TypeRef("inet"), Schema(), rng, 1000)]
    assert {i.version for i in inets} == {4, 6}
    macs = sample_type(TypeRef("macaddr8"), Schema(), rng, 100)
    assert all(re.fullmatch(r"[0-9a-f]{2}(:[0-9a-f]{2}){7}", m) for m in macs)


def test_geometry_is_never_degenerate_where_postgresql_refuses_it() -> None:
    rng = np.random.default_rng(2)
    for text in sample_type(TypeRef("line"), Schema(), rng, 3000):
        a, b, _ = text.strip("{}").split(",")
        assert (float(a), float(b)) != (0.0, 0.0)
    assert all(v.count("(") - 1 >= 3 for v in sample_type(TypeRef("polygon"), Schema(), rng, 500))
    assert all(float(v.rsplit(",", 1)[1].rstrip(">")) >= 0 for v in sample_type(TypeRef("circle"), Schema(), rng, 500))


def test_ranges_have_lower_below_upper() -> None:
    values = sample_type(TypeRef("int4range"), Schema(), np.random.default_rng(3), 2000)
    bounded = [re.fullmatch(r"\[(\d+),(\d+)[)\]]", v) for v in values]
    assert all(int(m[1]) < int(m[2]) for m in bounded if m)
    assert {"empty", "(,)"} <= set(values)
    multiranges = sample_type(TypeRef("datemultirange"), Schema(), np.random.default_rng(3), 200)
    assert "{}" in multiranges and all(v.startswith("{") and v.endswith("}") for v in multiranges)


def test_arrays_are_rectangular_and_quote_their_elements() -> None:
    rng = np.random.default_rng(11)
    flat = sample_type(TypeRef("integer", (), 1), Schema(), rng, 1000)
    lengths = {0 if v == "{}" else v.count(",") + 1 for v in flat}
    assert lengths == {0, 1, 2, 3, 4}
    for text in sample_type(TypeRef("integer", (), 2), Schema(), rng, 500):
        if text != "{}":
            rows = re.findall(r"\{([^{}]*)\}", text)
            assert len({r.count(",") for r in rows}) == 1, text
    box = r'"?\(-?[\d.]+,-?[\d.]+\),\(-?[\d.]+,-?[\d.]+\)"?'
    boxes = sample_type(TypeRef("box", (), 1), Schema(), rng, 200)
    assert all(re.fullmatch(rf"\{{({box}(;{box})*)?\}}", v) for v in boxes)  # box's delimiter is `;`
    assert any(";" in v for v in boxes)
    moods = sample_type(TypeRef("kit.mood", (), 1), KIT_SCHEMA, rng, 300)
    assert any('"null"' in v for v in moods) and any('"it\'s \\"fine\\""' in v for v in moods)


def test_domains_enums_and_composites_come_from_the_schema() -> None:
    rng = np.random.default_rng(12)
    assert set(sample_type(TypeRef("kit.mood"), KIT_SCHEMA, rng, 500)) == set(MOOD_LABELS)
    amounts = sample_type(TypeRef("kit.amount"), KIT_SCHEMA, rng, 500)
    assert all(abs(Decimal(a)) < 100_000 and len(a.partition(".")[2]) == 3 for a in amounts)
    rows = sample_type(TypeRef("kit.address"), KIT_SCHEMA, rng, 100)
    assert all(r.startswith("(") and r.endswith(")") for r in rows)


@pytest.mark.parametrize(
    ("type", "needle"),
    [
        (TypeRef("public.geometry"), "public.geometry"),
        (TypeRef("regclass"), "catalog objects"),
        (TypeRef("anyelement"), "anyelement"),
        (TypeRef("kit.nothing", (), 1), "kit.nothing"),
    ],
)
def test_unknown_types_raise_a_helpful_error(type: TypeRef, needle: str) -> None:
    with pytest.raises(UnknownTypeError, match=re.escape(needle)) as error:
        sample_type(type, KIT_SCHEMA, np.random.default_rng(0), 3)
    assert "override" in str(error.value) and "NULL" in str(error.value)


def test_bounds_and_lengths_for_the_solver() -> None:
    assert type_bounds(TypeRef("smallint")) == (-32768, 32767)
    assert type_bounds(TypeRef("bigint")) == (-(2**63), 2**63 - 1)
    assert type_bounds(TypeRef("oid")) == (0, 2**32 - 1)
    assert type_bounds(TypeRef("numeric")) is None
    assert type_bounds(TypeRef("integer", (), 1)) is None
    assert max_chars(TypeRef("character varying")) is None
    assert max_chars(TypeRef("text")) is None
    assert max_chars(TypeRef('"char"')) == 1
    assert max_chars(TypeRef("character")) == 1
    assert max_chars(TypeRef("integer")) is None
