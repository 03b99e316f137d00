"""Distributions and null rates: the requested shape is produced, and every constraint still holds.

The unit tests compare draws with scipy's truncated distributions (Kolmogorov-Smirnov, or chi-squared
for zipf). The database tests seed thousands of rows into PostgreSQL, which accepts them (the CHECKs
hold), read them back and test the same way. Seeds are fixed, so every statistic is deterministic; the
thresholds (p > 0.001 on a correct sampler) leave a wide margin.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from scipy import stats

from fraiseql_data.constraints.encoding import Encoding, Kind, encode_type
from fraiseql_data.schema.model import Schema, TypeRef
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
