"""Numeric, date and timestamp columns drawn from a named distribution, inside their CHECK bounds.

A SPEC (`--dist TABLE.COLUMN=SPEC`) is one of

- `uniform`: every value of the column's domain equally likely; `uniform(low, high)`: only those in
  [low, high];
- `normal(mean, sd)`;
- `lognormal(mu, sigma)`: exp(N(mu, sigma)), as numpy's `lognormal`;
- `zipf(a)`, a > 1: the domain's least value is rank 1 (the most frequent), one unit up is rank 2, and so on.

Parameters are in the column's units: `normal(50, 12.5)` on a numeric(8,2) means 50.00 ± 12.50. On date and
timestamp columns, locations (a mean, uniform's bounds) are ISO dates or timestamps and spreads (sd) are days;
lognormal counts days after the domain's least value, and zipf's ranks are one day apart.

The solver works on integer encodings (a scaled integer for numeric, day numbers for dates, seconds for
timestamps), so a distribution draws int64s inside [lo, hi]: the column's solved domain, or its type's range
for a column no CHECK reads. Truncation to the bounds is exact, by inverse CDF, never by clipping (which would
pile mass on the bounds). Draws are vectorised and a pure function of the rng.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np

from fraiseql_data.constraints.encoding import EPOCH, SECONDS_PER_DAY, Encoding, Kind, encode, resolve_domain
from fraiseql_data.errors import FraiseQLDataError, UnsupportedError
from fraiseql_data.schema.model import DefaultKind, Schema, Table

SPECS = "uniform, uniform(low, high), normal(mean, sd), lognormal(mu, sigma) or zipf(a)"
NUMBER_KINDS = (Kind.INT, Kind.NUMERIC, Kind.FLOAT)
TEMPORAL_KINDS = (Kind.DATE, Kind.TIMESTAMP, Kind.TIMESTAMPTZ)
LIMIT = 2**62  # encoded bounds are clamped to ±LIMIT: int64 and float arithmetic both stay exact enough
TAIL_Z = 30.0  # beyond this many sds from the mean, a truncated normal is drawn as its exponential tail
WINDOW_Z = 8.0  # a normal's values practically all lie within this many sds of its mean
ZIPF_HEAD = 100_000  # ranks weighed one by one; beyond, the power law is integrated
CALL = re.compile(r"\s*([A-Za-z]+)\s*(?:\((.*)\))?\s*", re.DOTALL)


class DistributionError(FraiseQLDataError, ValueError):
    """A spec that does not parse, or that puts no value inside the column's domain."""

    def __init__(self, spec: str, reason: str) -> None:
        self.spec = spec
        self.reason = reason
        super().__init__(f"distribution {spec!r}: {reason}")


@dataclass(frozen=True)
class Distribution:
    """A distribution over a column's encoded integers; subclasses say how to draw and weigh them."""

    spec: str

    def sample(self, rng: np.random.Generator, n: int, lo: int, hi: int) -> np.ndarray:
        """n int64 values in [lo, hi], distributed as the spec, truncated to the bounds."""
        raise NotImplementedError

    def log_weights(self, values: np.ndarray) -> np.ndarray:
        """Log-probability (up to a constant) of each of the sorted encoded values, the first being the
        domain's least (where lognormal and zipf start on dates); -inf where there is none."""
        raise NotImplementedError

    def window(self, lo: int, hi: int) -> tuple[int, int]:
        """A range of [lo, hi] holding practically all of the distribution's mass inside it."""
        return lo, hi

    def pick(self, rng: np.random.Generator, n: int, values: np.ndarray) -> np.ndarray:
        """n of the given feasible values (sorted, encoded), each as likely as the distribution makes it.

        This is the distribution conditioned on the feasible set: what drawing and rejecting the
        infeasible values would give, without the rejections.
        """
        weights = self.log_weights(values)
        top = weights.max()
        if not np.isfinite(top):
            raise DistributionError(self.spec, f"none of the values the CHECKs allow ({values[0]} .. {values[-1]} "
                                               "encoded) is possible under it")
        cumulative = np.cumsum(np.exp(weights - top))
        index = np.searchsorted(cumulative, rng.random(n) * cumulative[-1], side="right")
        return values[np.minimum(index, values.size - 1)]


@dataclass(frozen=True)
class Uniform(Distribution):
    low: int | None = None  # encoded; None: the domain's own bound
    high: int | None = None

    def window(self, lo: int, hi: int) -> tuple[int, int]:
        return max(lo, self.low if self.low is not None else lo), min(hi, self.high if self.high is not None else hi)

    def sample(self, rng: np.random.Generator, n: int, lo: int, hi: int) -> np.ndarray:
        lo, hi = self.window(*clamped(lo, hi))
        if lo > hi:
            raise DistributionError(self.spec, "its range does not meet the values the column's CHECKs allow")
        return rng.integers(lo, hi, endpoint=True, size=n, dtype=np.int64)

    def log_weights(self, values: np.ndarray) -> np.ndarray:
        lo, hi = self.window(-LIMIT, LIMIT)
        return np.where((values >= lo) & (values <= hi), 0.0, -np.inf)


@dataclass(frozen=True)
class Normal(Distribution):
    mean: float = 0.0  # encoded
    sd: float = 1.0

    def window(self, lo: int, hi: int) -> tuple[int, int]:
        return inside(self.mean - WINDOW_Z * self.sd, self.mean + WINDOW_Z * self.sd, lo, hi)

    def sample(self, rng: np.random.Generator, n: int, lo: int, hi: int) -> np.ndarray:
        lo, hi = clamped(lo, hi)
        z = truncated_normal(rng, n, (lo - 0.5 - self.mean) / self.sd, (hi + 0.5 - self.mean) / self.sd)
        return to_int(self.mean + self.sd * z, lo, hi)

    def log_weights(self, values: np.ndarray) -> np.ndarray:
        z = (values.astype(np.float64) - self.mean) / self.sd
        return -0.5 * z * z


@dataclass(frozen=True)
class LogNormal(Distribution):
    mu: float = 0.0
    sigma: float = 1.0
    unit: float = 1.0  # encoded integers per unit of the value
    from_low: bool = False  # dates and timestamps: the value counts days after the domain's least value

    def origin(self, lo: int) -> float:
        return float(lo) if self.from_low else 0.0

    def window(self, lo: int, hi: int) -> tuple[int, int]:
        low, high = (min(self.mu + z * self.sigma, 700.0) for z in (-WINDOW_Z, WINDOW_Z))  # exp(710) overflows
        return inside(self.origin(lo) + self.unit * math.exp(low), self.origin(lo) + self.unit * math.exp(high),
                      lo, hi)

    def sample(self, rng: np.random.Generator, n: int, lo: int, hi: int) -> np.ndarray:
        lo, hi = clamped(lo, hi)
        origin = self.origin(lo)
        low, high = (lo - 0.5 - origin) / self.unit, (hi + 0.5 - origin) / self.unit
        if high <= 0:
            raise DistributionError(self.spec, "a log-normal value is positive, but the column's CHECKs allow "
                                               "none above zero")
        a = (math.log(low) - self.mu) / self.sigma if low > 0 else -math.inf
        z = truncated_normal(rng, n, a, (math.log(high) - self.mu) / self.sigma)
        return to_int(origin + self.unit * np.exp(self.mu + self.sigma * z), lo, hi)

    def log_weights(self, values: np.ndarray) -> np.ndarray:
        x = (values.astype(np.float64) - self.origin(int(values[0]))) / self.unit
        with np.errstate(divide="ignore", invalid="ignore"):
            log_x = np.log(x)
            weights = -0.5 * ((log_x - self.mu) / self.sigma) ** 2 - log_x
        return np.where(x > 0, weights, -np.inf)


@dataclass(frozen=True)
class Zipf(Distribution):
    a: float = 2.0
    step: int = 1  # encoded integers between consecutive ranks (one unit of the column)

    def sample(self, rng: np.random.Generator, n: int, lo: int, hi: int) -> np.ndarray:
        lo, hi = clamped(lo, hi)
        ranks = zipf_ranks(rng, n, self.a, (hi - lo) // self.step + 1)
        return lo + (ranks - 1) * self.step

    def log_weights(self, values: np.ndarray) -> np.ndarray:
        rank = (values - values[0]).astype(np.float64) / self.step + 1
        return -self.a * np.log(rank)


def clamped(lo: int, hi: int) -> tuple[int, int]:
    return max(int(lo), -LIMIT), min(int(hi), LIMIT)


def inside(low: float, high: float, lo: int, hi: int) -> tuple[int, int]:
    """[low, high] rounded outwards and cut to [lo, hi]; all of [lo, hi] if they do not meet."""
    low, high = max(low, float(lo)), min(high, float(hi))
    if low > high:
        return lo, hi
    return max(lo, math.floor(low)), min(hi, math.ceil(high))


def to_int(x: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Continuous draws (inside [lo - 0.5, hi + 0.5]) to their nearest integers, within [lo, hi]."""
    rounded = np.clip(np.floor(x + 0.5), float(lo), float(hi)).astype(np.int64)
    return np.clip(rounded, lo, hi)  # float(lo), float(hi) may round outwards near ±2^62


def truncated_normal(rng: np.random.Generator, n: int, a: float, b: float) -> np.ndarray:
    """n standard normal values conditioned on [a, b], by inverse CDF (exact truncation).

    Bounds above the mean are mirrored below it, where the CDF keeps its precision; an interval
    beyond TAIL_Z sds is the exponential tail the density becomes there.
    """
    mirrored = a > 0
    if mirrored:
        a, b = -b, -a
    u = rng.random(n)
    if b < -TAIL_Z:  # exp(-z²/2) ≈ exp(-b²/2 - |b|(b - z)) here: exponential away from b, rate |b|
        rate = -b
        z = b + np.log1p(u * np.expm1(-rate * (b - a))) / rate
    else:
        low, high = phi(a), phi(b)
        z = np.clip(normal_quantile(low + u * (high - low)), a, b)
    return -z if mirrored else z


def phi(z: float) -> float:
    """The standard normal CDF."""
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


# P. J. Acklam's rational approximation of the normal quantile (relative error below 1.2e-9).
_A = (-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02, 1.383577518672690e02,
      -3.066479806614716e01, 2.506628277459239e00)
_B = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02, 6.680131188771972e01,
      -1.328068155288572e01)
_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00, -2.549732539343734e00,
      4.374664141464968e00, 2.938163982698783e00)
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)
_P_LOW = 0.02425


def polynomial(coefficients: tuple[float, ...], x: np.ndarray) -> np.ndarray:
    out = np.full_like(x, coefficients[0])
    for c in coefficients[1:]:
        out = out * x + c
    return out


def normal_quantile(p: np.ndarray) -> np.ndarray:
    """The standard normal quantile of each p in [0, 1], vectorised (±inf at 0 and 1)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        q = p - 0.5
        r = q * q
        central = q * polynomial(_A, r) / (polynomial(_B, r) * r + 1.0)
        tail_p = np.minimum(p, 1.0 - p)
        t = np.sqrt(-2.0 * np.log(tail_p))
        tail = polynomial(_C, t) / (polynomial(_D, t) * t + 1.0)
        tail = np.where(p < 0.5, tail, -tail)
    z = np.where(tail_p < _P_LOW, tail, central)
    return np.where(p <= 0, -np.inf, np.where(p >= 1, np.inf, z))


def zipf_ranks(rng: np.random.Generator, n: int, a: float, ranks: int) -> np.ndarray:
    """n ranks in 1..ranks with P(k) ∝ k^-a, by inverse CDF.

    The first ZIPF_HEAD ranks are weighed exactly; the rest of the power law is integrated
    (∫ x^-a over [k - 1/2, k + 1/2] ≈ k^-a there), so any number of ranks costs the same.
    """
    ranks = min(ranks, LIMIT)
    head = min(ranks, ZIPF_HEAD)
    cumulative = np.cumsum(np.arange(1, head + 1, dtype=np.float64) ** -a)
    start = (head + 0.5) ** (1 - a)
    tail = (start - (ranks + 0.5) ** (1 - a)) / (a - 1) if ranks > head else 0.0
    u = rng.random(n) * (cumulative[-1] + tail)
    drawn = np.searchsorted(cumulative, u, side="right").astype(np.int64) + 1
    beyond = u >= cumulative[-1]
    if beyond.any():
        x = (start - (u[beyond] - cumulative[-1]) * (a - 1)) ** (1 / (1 - a))
        drawn[beyond] = to_int(x, head + 1, ranks)
    return np.minimum(drawn, ranks)


# ── parsing ──────────────────────────────────────────────────────────────────
def parse(spec: str, encoding: Encoding) -> Distribution:
    """The distribution a SPEC names, in the encoded units of a column (see the module docstring)."""
    match = CALL.fullmatch(spec)
    if match is None:
        raise DistributionError(spec, f"expected {SPECS}")
    name, inner = match.group(1).lower(), match.group(2)
    args = [a.strip() for a in inner.split(",")] if inner is not None and inner.strip() else []
    if encoding.kind not in NUMBER_KINDS + TEMPORAL_KINDS:
        what = encoding.type or encoding.kind
        raise DistributionError(spec, f"distributions apply to numeric, date and timestamp columns, not {what}")
    units = Units(spec, encoding)
    arity = {"uniform": (0, 2), "normal": (2,), "lognormal": (2,), "zipf": (1,)}
    if name not in arity:
        raise DistributionError(spec, f"unknown distribution {name!r}: expected {SPECS}")
    if len(args) not in arity[name]:
        wanted = " or ".join(str(k) for k in arity[name])
        raise DistributionError(spec, f"{name} takes {wanted} parameters, not {len(args)}")
    if name == "uniform":
        if not args:
            return Uniform(spec)
        low, high = math.ceil(units.location(args[0])), math.floor(units.location(args[1]))
        if low > high:
            raise DistributionError(spec, "low is above high")
        return Uniform(spec, low, high)
    if name == "normal":
        return Normal(spec, units.location(args[0]), units.spread(args[1], "sd"))
    if name == "lognormal":
        sigma = units.number(args[1], "sigma")
        if sigma <= 0:
            raise DistributionError(spec, "sigma must be positive")
        return LogNormal(spec, units.number(args[0], "mu"), sigma, units.unit, encoding.kind in TEMPORAL_KINDS)
    a = units.number(args[0], "a")
    if a <= 1:
        raise DistributionError(spec, "zipf's exponent a must be above 1")
    return Zipf(spec, a, max(int(units.unit), 1))


class Units:
    """A column's units as encoded integers: 10^scale per unit of a number, days for dates and timestamps."""

    def __init__(self, spec: str, encoding: Encoding) -> None:
        self.spec = spec
        self.kind = encoding.kind
        if encoding.kind in NUMBER_KINDS:
            self.unit = float(10**encoding.scale)
        else:
            self.unit = float(SECONDS_PER_DAY if encoding.kind is not Kind.DATE else 1)
        self.scale = encoding.scale

    def number(self, text: str, what: str) -> float:
        try:
            value = float(Decimal(text))
        except (InvalidOperation, ValueError):
            raise DistributionError(self.spec, f"{what} {text!r} is not a number") from None
        if not math.isfinite(value):
            raise DistributionError(self.spec, f"{what} {text!r} is not a finite number")
        return value

    def spread(self, text: str, what: str) -> float:
        value = self.number(text, what)
        if value <= 0:
            raise DistributionError(self.spec, f"{what} must be positive")
        return value * self.unit

    def location(self, text: str) -> float:
        """An encoded position: a number in the column's units, or an ISO date or timestamp."""
        if self.kind in NUMBER_KINDS:
            try:
                value = float(Decimal(text).scaleb(self.scale))
            except (InvalidOperation, ValueError):
                raise DistributionError(self.spec, f"{text!r} is not a number") from None
            if not math.isfinite(value):
                raise DistributionError(self.spec, f"{text!r} is not a finite number")
            return value
        try:
            if self.kind is Kind.DATE:
                return float((dt.date.fromisoformat(text) - EPOCH).days)
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            what = "date (2024-06-30)" if self.kind is Kind.DATE else "timestamp (2024-06-30T12:00:00)"
            raise DistributionError(self.spec, f"{text!r} is not an ISO {what}") from None
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
        return (moment - dt.datetime(1970, 1, 1)).total_seconds()


# ── the per-column options, checked against the schema ──────────────────────
def resolve(schema: Schema, distributions: Mapping[str, Mapping[str, str]],
            null_rates: Mapping[str, Mapping[str, float]]
            ) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, float]]]:
    """Both options keyed by qualified table name, checked before anything is generated.

    The table and column must exist (UnknownTableError, UnsupportedError naming them), the column must be
    one the solver or the value layer draws (keys, foreign keys and sequences are drawn their own way,
    distinct or from the parent, with the global null rate), each SPEC must parse for the column's type,
    and each rate must lie in [0, 1] on a nullable column.
    """
    shapes: dict[str, dict[str, str]] = {}
    for name, columns in distributions.items():
        table = schema.table(name)  # raises UnknownTableError naming the table
        for column, spec in columns.items():
            what = f"--dist {column}={spec}"
            own_column(table, column, what)
            try:
                parse(spec, encode(table.column(column), schema))
            except DistributionError as error:
                raise UnsupportedError(table.qualified, what, error.reason) from None
            shapes.setdefault(table.qualified, {})[column] = spec
    rates: dict[str, dict[str, float]] = {}
    for name, per_column in null_rates.items():
        table = schema.table(name)
        for column, rate in per_column.items():
            what = f"--nulls {column}={rate}"
            own_column(table, column, what)
            if not 0 <= rate <= 1:
                raise UnsupportedError(table.qualified, what, "a null rate lies between 0 and 1")
            if not table.column(column).nullable or resolve_domain(table.column(column).type, schema)[2]:
                raise UnsupportedError(table.qualified, what, f"{column} is NOT NULL")
            rates.setdefault(table.qualified, {})[column] = rate
    return shapes, rates


def own_column(table: Table, column: str, what: str) -> None:
    """Raise unless `column` is written and drawn by the solver or the value layer (not as a key)."""
    written = [c.name for c in table.columns if c.generated is None]
    if column not in written:
        raise UnsupportedError(table.qualified, what,
                               f"{column!r} is not a written column (columns: {', '.join(written)})")
    found = table.column(column)
    if found.identity is not None or found.default_kind == DefaultKind.SEQUENCE:
        raise UnsupportedError(table.qualified, what, f"{column} is numbered by its sequence")
    for key in table.keys:
        if column in key.columns:
            raise UnsupportedError(table.qualified, what,
                                   f"{column} is in key {key.name}, whose values are drawn distinct")
    for fk in table.foreign_keys:
        if column in fk.columns:
            raise UnsupportedError(table.qualified, what,
                                   f"{column} is in foreign key {fk.name}, whose values come from "
                                   f"{fk.ref_qualified}")
