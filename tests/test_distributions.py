"""Distributions and null rates: the requested shape is produced, and every constraint still holds.

The unit tests compare draws with scipy's truncated distributions (Kolmogorov-Smirnov, or chi-squared
for zipf). The database tests seed thousands of rows into PostgreSQL, which accepts them (the CHECKs
hold), read them back and test the same way. Seeds are fixed, so every statistic is deterministic; the
thresholds (p > 0.001 on a correct sampler) leave a wide margin.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import numpy as np
import psycopg
import pytest
from click.testing import CliRunner
from scipy import stats

from fraiseql_data.cli import main
from fraiseql_data.constraints.encoding import Encoding, Kind, encode_type
from fraiseql_data.errors import UnknownTableError, UnsupportedError
from fraiseql_data.generate import SeedOptions, generate
from fraiseql_data.run import seed_dsn
from fraiseql_data.schema.ddl import parse_ddl
from fraiseql_data.schema.model import Schema, TypeRef
from fraiseql_data.server import PostgresServer
from fraiseql_data.values.distributions import (
    DistributionError,
    LogNormal,
    Normal,
    Uniform,
    Zipf,
    parse,
    truncated_normal,
)

P_MIN = 0.001
NUMERIC_8_2 = encode_type(TypeRef("numeric", (8, 2)), Schema())
INTEGER = encode_type(TypeRef("integer"), Schema())
DATE = encode_type(TypeRef("date"), Schema())
TIMESTAMPTZ = encode_type(TypeRef("timestamp with time zone"), Schema())
EPOCH_DAY = dt.date(1970, 1, 1)


def rng(seed: int = 7) -> np.random.Generator:
    return np.random.default_rng(seed)


def truncated_cdf(dist: stats.rv_continuous, lo: float, hi: float):
    """The CDF of `dist` conditioned on [lo, hi]."""
    low, high = dist.cdf(lo), dist.cdf(hi)
    return lambda x: (np.clip(dist.cdf(x), low, high) - low) / (high - low)


def jittered(values: np.ndarray) -> np.ndarray:
    """Whole-unit draws spread uniformly over the unit they were rounded from: continuous again, for KS."""
    return values + np.random.default_rng(0).uniform(-0.5, 0.5, values.size)


def chi_squared_p(observed: np.ndarray, expected_p: np.ndarray) -> float:
    """Pearson's test, with the bins expecting fewer than 5 counts merged into one."""
    expected = expected_p / expected_p.sum() * observed.sum()
    small = expected < 5
    if small.any():
        observed = np.append(observed[~small], observed[small].sum())
        expected = np.append(expected[~small], expected[small].sum())
    return float(stats.chisquare(observed, expected).pvalue)


# ── parsing ──────────────────────────────────────────────────────────────────
def test_specs_parse_into_encoded_units() -> None:
    assert parse("uniform", INTEGER) == Uniform("uniform")
    assert parse("normal(50.00, 12.5)", NUMERIC_8_2) == Normal("normal(50.00, 12.5)", 5000.0, 1250.0)
    assert parse(" LogNormal( 3 , 0.5 ) ", NUMERIC_8_2) == LogNormal(" LogNormal( 3 , 0.5 ) ", 3.0, 0.5, 100.0)
    assert parse("zipf(1.5)", NUMERIC_8_2) == Zipf("zipf(1.5)", 1.5, 100)
    assert parse("uniform(0.015, 2)", NUMERIC_8_2) == Uniform("uniform(0.015, 2)", 2, 200)
    june = (dt.date(2024, 6, 1) - EPOCH_DAY).days
    assert parse("normal(2024-06-01, 30)", DATE) == Normal("normal(2024-06-01, 30)", float(june), 30.0)
    assert parse("zipf(2)", DATE) == Zipf("zipf(2)", 2.0, 1)
    assert parse("lognormal(2, 1)", DATE) == LogNormal("lognormal(2, 1)", 2.0, 1.0, 1.0, from_low=True)
    noon_utc = june * 86_400 + 12 * 3600
    assert parse("normal(2024-06-01T14:00:00+02:00, 0.5)", TIMESTAMPTZ) == Normal(
        "normal(2024-06-01T14:00:00+02:00, 0.5)", float(noon_utc), 43_200.0)
    assert parse("zipf(3)", TIMESTAMPTZ).step == 86_400  # type: ignore[attr-defined]


@pytest.mark.parametrize(("spec", "encoding", "message"), [
    ("gauss(1, 2)", INTEGER, "unknown distribution 'gauss'"),
    ("normal(1, 2", INTEGER, "expected uniform"),
    ("normal(1)", INTEGER, "normal takes 2 parameters, not 1"),
    ("uniform(1)", INTEGER, "uniform takes 0 or 2 parameters"),
    ("normal(x, 1)", INTEGER, "'x' is not a number"),
    ("normal(1, 0)", INTEGER, "sd must be positive"),
    ("normal(inf, 1)", INTEGER, "not a finite number"),
    ("lognormal(1, -1)", INTEGER, "sigma must be positive"),
    ("zipf(1)", INTEGER, "a must be above 1"),
    ("uniform(3, 1)", INTEGER, "low is above high"),
    ("normal(yesterday, 3)", DATE, "not an ISO date"),
    ("normal(2024-13-01, 3)", DATE, "not an ISO date"),
    ("normal(1, 1)", Encoding(Kind.TEXT), "numeric, date and timestamp columns"),
])
def test_bad_specs_are_errors_that_echo_the_spec(spec: str, encoding: Encoding, message: str) -> None:
    with pytest.raises(DistributionError, match=message) as error:
        parse(spec, encoding)
    assert repr(spec) in str(error.value)


def test_no_mass_inside_the_bounds_is_an_error() -> None:
    with pytest.raises(DistributionError, match="none above zero"):
        parse("lognormal(0, 1)", INTEGER).sample(rng(), 10, -100, -1)
    with pytest.raises(DistributionError, match="does not meet"):
        parse("uniform(500, 600)", INTEGER).sample(rng(), 10, 0, 100)


# ── truncated sampling ───────────────────────────────────────────────────────
def test_truncated_normal_matches_scipy() -> None:
    lo, hi = 0, 100_000  # numeric(8,2) CHECK (x BETWEEN 0 AND 1000), encoded in cents
    draws = parse("normal(300, 200)", NUMERIC_8_2).sample(rng(), 5000, lo, hi)
    assert draws.dtype == np.int64 and draws.min() >= lo and draws.max() <= hi
    dist = stats.truncnorm((lo - 0.5 - 30_000) / 20_000, (hi + 0.5 - 30_000) / 20_000, loc=30_000, scale=20_000)
    assert stats.kstest(draws, dist.cdf).pvalue > P_MIN


@pytest.mark.parametrize(("a", "b"), [(-1.0, 0.5), (1.5, 4.0), (-6.0, -2.5), (3.0, np.inf), (-np.inf, -4.0)])
def test_standard_normal_truncation_by_inverse_cdf(a: float, b: float) -> None:
    z = truncated_normal(rng(), 4000, a, b)
    assert z.min() >= a and z.max() <= b
    assert stats.kstest(z, stats.truncnorm(a, b).cdf).pvalue > P_MIN


def test_far_tail_is_an_exponential_not_a_pile_on_the_bound() -> None:
    z = truncated_normal(rng(), 4000, 40.0, 41.0)  # 40 sds out: the density is exp(-40 (z - 40))
    assert z.min() >= 40.0 and z.max() <= 41.0
    assert stats.kstest(z - 40.0, stats.truncexpon(40.0, scale=1 / 40).cdf).pvalue > P_MIN
    draws = parse("normal(0, 1)", INTEGER).sample(rng(), 2000, 50, 1000)
    assert (draws == 50).mean() > 0.9 and draws.max() < 60  # the near bound, as the truncated normal has it


def test_lognormal_matches_scipy() -> None:
    lo, hi = 1_000, 5_000  # 10.00 .. 50.00
    draws = parse("lognormal(3, 0.5)", NUMERIC_8_2).sample(rng(), 5000, lo, hi)
    assert draws.min() >= lo and draws.max() <= hi
    cdf = truncated_cdf(stats.lognorm(0.5, scale=np.exp(3)), (lo - 0.5) / 100, (hi + 0.5) / 100)
    assert stats.kstest(draws / 100, cdf).pvalue > P_MIN


def test_lognormal_of_dates_counts_days_from_the_least_date() -> None:
    lo = (dt.date(2024, 1, 1) - EPOCH_DAY).days
    draws = parse("lognormal(2, 0.7)", DATE).sample(rng(), 5000, lo, lo + 365)
    cdf = truncated_cdf(stats.lognorm(0.7, scale=np.exp(2)), 0, 365.5)
    assert stats.kstest(jittered(draws) - lo, cdf).pvalue > P_MIN


def test_zipf_ranks_the_domain_from_its_low_end() -> None:
    lo, hi = 1, 50
    draws = parse("zipf(1.5)", INTEGER).sample(rng(), 20_000, lo, hi)
    assert draws.min() >= lo and draws.max() <= hi
    ranks = np.arange(1, hi - lo + 2)
    observed = np.bincount(draws - lo, minlength=ranks.size)
    assert chi_squared_p(observed, ranks ** -1.5) > P_MIN
    assert observed[0] == observed.max()


def test_zipf_over_a_wide_domain_integrates_its_tail() -> None:
    lo, hi = 0, 10**9
    draws = parse("zipf(1.2)", INTEGER).sample(rng(), 50_000, lo, hi)
    ranks = draws - lo + 1
    assert ranks.max() > 100_000  # past the exactly weighed head
    edges = np.array([1, 2, 3, 11, 101, 1001, 10**4 + 1, 10**5 + 1, 10**6 + 1, 10**7 + 1, 10**9 + 2])
    observed = np.histogram(ranks, bins=edges)[0]
    head = np.cumsum(np.arange(1, 10**7 + 1, dtype=np.float64) ** -1.2)
    tail = ((10**7 + 0.5) ** -0.2 - (10**9 + 1.5) ** -0.2) / 0.2
    mass = np.append(np.diff(np.concatenate([[0.0], head[edges[1:-1] - 2]])), tail)
    assert chi_squared_p(observed, mass) > P_MIN


def test_zipf_over_timestamps_steps_one_day() -> None:
    lo = 1_700_000_000
    draws = parse("zipf(2)", TIMESTAMPTZ).sample(rng(), 1000, lo, lo + 30 * 86_400 + 5)
    assert set(((draws - lo) % 86_400).tolist()) == {0}


def test_uniform_covers_its_range_evenly() -> None:
    draws = parse("uniform(10, 19)", INTEGER).sample(rng(), 10_000, 0, 100)
    assert draws.min() == 10 and draws.max() == 19
    assert chi_squared_p(np.bincount(draws - 10), np.ones(10)) > P_MIN


def test_picking_among_feasible_values_conditions_the_distribution() -> None:
    feasible = np.arange(0, 10_001, 500, dtype=np.int64)  # CHECK (n % 500 = 0), enumerated
    normal = parse("normal(4000, 1500)", INTEGER).pick(rng(), 20_000, feasible)
    expected = np.exp(-0.5 * ((feasible - 4000) / 1500) ** 2)
    assert chi_squared_p(np.array([(normal == v).sum() for v in feasible]), expected) > P_MIN
    zipf = parse("zipf(1.5)", INTEGER).pick(rng(), 20_000, feasible)
    expected = (feasible - feasible[0] + 1.0) ** -1.5  # rank: steps above the least value, plus one
    assert chi_squared_p(np.array([(zipf == v).sum() for v in feasible]), expected) > P_MIN


def test_draws_are_a_pure_function_of_the_rng() -> None:
    for spec in ("uniform", "normal(5, 20)", "lognormal(1, 1)", "zipf(1.3)"):
        dist = parse(spec, INTEGER)
        assert np.array_equal(dist.sample(rng(3), 500, 1, 1000), dist.sample(rng(3), 500, 1, 1000))


# ── seeded into PostgreSQL ───────────────────────────────────────────────────
ORDERS = """
CREATE SCHEMA shop;
CREATE TABLE shop.orders (
    id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    amount numeric(10,2) CHECK (amount BETWEEN 0 AND 1000),
    score integer CHECK (score BETWEEN 1 AND 100 AND score % 2 = 0),
    placed_on date CHECK (placed_on BETWEEN '2024-01-01' AND '2024-12-31'),
    paid_at timestamptz CHECK (paid_at >= '2024-06-01 00:00:00+00' AND paid_at < '2024-07-01 00:00:00+00'),
    lo integer NOT NULL CHECK (lo BETWEEN 0 AND 100),
    hi integer NOT NULL CHECK (hi BETWEEN 0 AND 100),
    batch integer CHECK (batch % 500 = 0 AND batch BETWEEN 0 AND 100000),
    weight double precision,
    note text,
    CHECK (lo <= hi)
);
"""
ROWS = 4000
SHAPES = {"amount": "normal(300, 200)", "score": "zipf(1.5)", "placed_on": "normal(2024-07-01, 60)",
          "lo": "normal(40, 15)", "hi": "normal(60, 15)", "batch": "normal(40000, 15000)",
          "paid_at": "normal(2024-06-10T12:00:00+00:00, 5)", "weight": "lognormal(3, 0.5)"}


def fetch(dsn: str, sql: str) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql).fetchall()


def column(dsn: str, name: str) -> np.ndarray:
    """The column's non-NULL values as floats (dates as day numbers)."""
    values = [v for (v,) in fetch(dsn, f"SELECT {name} FROM shop.orders WHERE {name} IS NOT NULL")]
    if values and isinstance(values[0], dt.date):
        return np.array([(v - EPOCH_DAY).days for v in values], dtype=np.float64)
    return np.array(values, dtype=np.float64)


def null_share(dsn: str, name: str) -> float:
    (share,) = fetch(dsn, f"SELECT avg(({name} IS NULL)::int)::float FROM shop.orders")[0]
    return float(share)


@pytest.fixture(scope="module")
def seeded(pg_server: PostgresServer) -> Iterator[str]:
    """One seeded database for the statistical tests (they only read it)."""
    name = f"dist_{uuid.uuid4().hex[:12]}"
    pg_server.create_database(name)
    dsn = pg_server.dsn(name)
    with psycopg.connect(dsn) as conn:
        conn.execute(ORDERS)
    seed_dsn(dsn, SeedOptions(rows=ROWS, seed=11, distributions={"shop.orders": SHAPES},
                              null_rates={"orders": {"amount": 0.25, "note": 0.5}}))
    yield dsn
    pg_server.drop_database(name)


def test_postgres_holds_every_row(seeded: str) -> None:
    (count, crossed) = fetch(seeded, "SELECT count(*), count(*) FILTER (WHERE lo > hi) FROM shop.orders")[0]
    assert (count, crossed) == (ROWS, 0)  # and PostgreSQL checked every CHECK on COPY


def test_numeric_column_is_a_normal_truncated_to_its_check(seeded: str) -> None:
    amount = column(seeded, "amount")
    assert amount.min() >= 0 and amount.max() <= 1000
    spread = amount + np.random.default_rng(0).uniform(-0.005, 0.005, amount.size)  # undo the rounding to cents
    dist = stats.truncnorm((-0.005 - 300) / 200, (1000.005 - 300) / 200, loc=300, scale=200)
    assert stats.kstest(spread, dist.cdf).pvalue > P_MIN
    assert (amount == 0).mean() < 0.01 and (amount == 1000).mean() < 0.01  # no pile on the bounds


def test_integer_column_is_zipf_over_the_values_its_check_allows(seeded: str) -> None:
    score = column(seeded, "score").astype(np.int64)
    assert set(np.unique(score % 2).tolist()) == {0} and score.min() >= 2 and score.max() <= 100
    evens = np.arange(2, 101, 2)
    observed = np.array([(score == v).sum() for v in evens])
    assert chi_squared_p(observed, (evens - 1.0) ** -1.5) > P_MIN  # 2 is rank 1, 4 rank 3, ... (odd ranks fail)


def test_date_column_is_a_normal_truncated_to_its_check(seeded: str) -> None:
    days = column(seeded, "placed_on")
    first, last = (dt.date(2024, 1, 1) - EPOCH_DAY).days, (dt.date(2024, 12, 31) - EPOCH_DAY).days
    mean = (dt.date(2024, 7, 1) - EPOCH_DAY).days
    assert days.min() >= first and days.max() <= last
    dist = stats.truncnorm((first - 0.5 - mean) / 60, (last + 0.5 - mean) / 60, loc=mean, scale=60)
    assert stats.kstest(jittered(days), dist.cdf).pvalue > P_MIN


def test_timestamp_column_is_a_normal_in_days_truncated_to_its_check(seeded: str) -> None:
    moments = [v for (v,) in fetch(seeded, "SELECT paid_at FROM shop.orders WHERE paid_at IS NOT NULL")]
    june, july = dt.datetime(2024, 6, 1, tzinfo=dt.UTC), dt.datetime(2024, 7, 1, tzinfo=dt.UTC)
    assert min(moments) >= june and max(moments) < july
    days = np.array([(m - june).total_seconds() for m in moments]) / 86_400  # days into June
    dist = stats.truncnorm((0 - 9.5) / 5, (30 - 9.5) / 5, loc=9.5, scale=5)
    assert stats.kstest(days, dist.cdf).pvalue > P_MIN


def test_cross_column_check_keeps_each_column_near_its_distribution(seeded: str) -> None:
    lo, hi = column(seeded, "lo"), column(seeded, "hi")
    values = np.arange(101)
    p_lo, p_hi = np.exp(-0.5 * ((values - 40) / 15) ** 2), np.exp(-0.5 * ((values - 60) / 15) ** 2)
    joint = np.outer(p_lo, p_hi) * (values[:, None] <= values[None, :])  # the two normals given lo <= hi
    joint /= joint.sum()
    # Re-drawing one column of a failing row is a Gibbs step, not full rejection: close to the
    # conditional distribution, not exactly it. Each mean is within a tenth of an sd.
    assert abs(lo.mean() - (values * joint.sum(axis=1)).sum()) < 1.5
    assert abs(hi.mean() - (values * joint.sum(axis=0)).sum()) < 1.5
    assert abs(lo.std() - 15) < 2 and abs(hi.std() - 15) < 2


def test_enumerated_column_weighs_its_feasible_values_by_the_distribution(seeded: str) -> None:
    batch = column(seeded, "batch").astype(np.int64)
    feasible = np.arange(0, 100_001, 500)
    assert set(np.unique(batch % 500).tolist()) == {0}
    observed = np.array([(batch == v).sum() for v in feasible])
    assert chi_squared_p(observed, np.exp(-0.5 * ((feasible - 40_000) / 15_000) ** 2)) > P_MIN


def test_column_no_check_reads_follows_its_distribution(seeded: str) -> None:
    weight = column(seeded, "weight")
    assert stats.kstest(weight, stats.lognorm(0.5, scale=np.exp(3)).cdf).pvalue > P_MIN


def test_null_rates_per_column_and_default(seeded: str) -> None:
    assert abs(null_share(seeded, "amount") - 0.25) < 0.03
    assert abs(null_share(seeded, "note") - 0.5) < 0.03
    for name in ("score", "placed_on", "paid_at", "batch", "weight"):  # the default 10%, re-draws included
        assert abs(null_share(seeded, name) - 0.1) < 0.025, name
    assert null_share(seeded, "lo") == 0


NULLS = """
CREATE TABLE t (
    id integer PRIMARY KEY,
    a integer CHECK (a IS NOT NULL),
    b integer CHECK (b > 0),
    c integer CHECK (COALESCE(c, 0) > 5),
    d text
);
"""


def test_null_rates_never_break_a_check(make_db) -> None:
    dsn = make_db(NULLS)
    seed_dsn(dsn, SeedOptions(rows=2000, seed=2, null_rate=1.0, null_rates={"t": {"b": 0.7}}))
    (a, b, c, d) = fetch(dsn, "SELECT avg((a IS NULL)::int)::float, avg((b IS NULL)::int)::float, "
                              "avg((c IS NULL)::int)::float, avg((d IS NULL)::int)::float FROM t")[0]
    assert (a, c, d) == (0.0, 0.0, 1.0)  # the CHECKs forbid NULL in a and c; d is free
    assert abs(b - 0.7) < 0.03
    none = make_db(NULLS)
    seed_dsn(none, SeedOptions(rows=500, seed=2, null_rate=0.0))
    assert fetch(none, "SELECT count(*) FROM t WHERE a IS NULL OR b IS NULL OR c IS NULL OR d IS NULL") == [(0,)]


def test_same_seed_same_rows() -> None:
    schema = parse_ddl(ORDERS)
    options = SeedOptions(rows=300, seed=5, distributions={"shop.orders": SHAPES},
                          null_rates={"shop.orders": {"note": 0.3}})
    first = generate(schema, options).tables["shop.orders"].rows()
    assert generate(schema, options).tables["shop.orders"].rows() == first
    other = SeedOptions(rows=300, seed=6, distributions={"shop.orders": SHAPES})
    assert generate(schema, other).tables["shop.orders"].rows() != first


@pytest.mark.parametrize(("distributions", "null_rates", "error", "message"), [
    ({"shop.nope": {"amount": "uniform"}}, {}, UnknownTableError, "shop.nope"),
    ({"orders": {"amout": "uniform"}}, {}, UnsupportedError, "'amout' is not a written column"),
    ({"orders": {"id": "uniform"}}, {}, UnsupportedError, "numbered by its sequence"),
    ({"orders": {"note": "normal(1, 2)"}}, {}, UnsupportedError, "numeric, date and timestamp columns"),
    ({"orders": {"amount": "normal(300)"}}, {}, UnsupportedError, "--dist amount=normal\\(300\\)"),
    ({}, {"orders": {"lo": 0.2}}, UnsupportedError, "lo is NOT NULL"),
    ({}, {"orders": {"note": 1.5}}, UnsupportedError, "between 0 and 1"),
    ({}, {"nope": {"note": 0.5}}, UnknownTableError, "nope"),
])
def test_bad_options_are_named_before_anything_is_generated(distributions, null_rates, error, message) -> None:
    with pytest.raises(error, match=message):
        generate(parse_ddl(ORDERS), SeedOptions(rows=5, distributions=distributions, null_rates=null_rates))


KEYS = """
CREATE TABLE parent (id integer PRIMARY KEY, code integer UNIQUE);
CREATE TABLE child (id integer PRIMARY KEY, parent_id integer REFERENCES parent (id));
"""


@pytest.mark.parametrize(("table", "column", "message"), [
    ("parent", "code", "in key parent_code_key, whose values are drawn distinct"),
    ("child", "parent_id", "in foreign key child_parent_id_fkey, whose values come from public.parent"),
])
def test_keys_take_no_distribution_or_null_rate(table: str, column: str, message: str) -> None:
    schema = parse_ddl(KEYS)
    with pytest.raises(UnsupportedError, match=message):
        generate(schema, SeedOptions(rows=5, distributions={table: {column: "uniform"}}))
    with pytest.raises(UnsupportedError, match=message):
        generate(schema, SeedOptions(rows=5, null_rates={table: {column: 0.5}}))


def test_a_domain_the_distribution_cannot_reach_is_an_error() -> None:
    schema = parse_ddl("CREATE TABLE t (x integer CHECK (x BETWEEN -100 AND -1));")
    with pytest.raises(UnsupportedError, match=r"column x .*none above zero"):
        generate(schema, SeedOptions(rows=5, distributions={"t": {"x": "lognormal(0, 1)"}}))


def test_cli_dist_nulls_and_null_rate(make_db) -> None:
    dsn = make_db(ORDERS)
    result = CliRunner().invoke(main, [
        "seed", "--dsn", dsn, "--rows", "2000", "--seed", "3", "--null-rate", "0",
        "--dist", "shop.orders.amount=normal(700, 50)", "--dist", "orders.placed_on=uniform(2024-03-01, 2024-03-31)",
        "--nulls", "orders.note=0.5"])
    assert result.exit_code == 0, result.output
    amount = column(dsn, "amount")
    assert abs(amount.mean() - 700) < 5 and abs(amount.std() - 50) < 5
    days = column(dsn, "placed_on")
    march = (dt.date(2024, 3, 1) - EPOCH_DAY).days
    assert days.min() == march and days.max() == march + 30
    assert abs(null_share(dsn, "note") - 0.5) < 0.04
    assert fetch(dsn, "SELECT count(*) FROM shop.orders WHERE amount IS NULL OR score IS NULL") == [(0,)]


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--dist", "orders.amount"], 2, "expected [SCHEMA.]TABLE.COLUMN=VALUE"),
    (["--nulls", "orders.note=lots"], 2, "the rate is not a number"),
    (["--null-rate", "2"], 2, "0<=x<=1"),
    (["--dist", "orders.amont=normal(1, 2)"], 1, "table shop.orders: --dist amont=normal(1, 2) — 'amont' is not"),
    (["--dist", "orders.amount=gauss(1, 2)"], 1, "unknown distribution 'gauss'"),
    (["--nulls", "ordrs.note=0.5"], 1, "table='ordrs' is not in the schema"),
])
def test_cli_names_the_bad_option(make_db, args: list[str], code: int, message: str) -> None:
    result = CliRunner().invoke(main, ["seed", "--dsn", make_db(ORDERS), "--rows", "5", *args])
    assert result.exit_code == code
    assert message in result.output
