"""Numbers, booleans and the other integer-shaped types, in PostgreSQL's input syntax.

Realism, modestly: most values are small and non-negative (what a quantity,
a price or a count looks like), and a few per cent reach the type's limits so
that data exercises the edges a schema allows.
"""

from __future__ import annotations

import numpy as np

from fraiseql_data.schema.model import TypeRef
from fraiseql_data.values.literal import concat, digits, integer_chars, only_where, to_strings

INTEGER_BOUNDS: dict[str, tuple[int, int]] = {
    "smallint": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
    "oid": (0, 2**32 - 1),
}
TYPICAL_MAX = 10_000
DEFAULT_NUMERIC = (14, 2)  # unconstrained numeric: look like an amount with cents
NEGATIVE_SHARE = 0.05
_INT64_DIGITS = 18  # 10**18 - 1 still fits an int64


def sample_integers(rng: np.random.Generator, n: int, low: int, high: int) -> np.ndarray:
    """n int64s in [low, high]: mostly 0..10_000, 3% anywhere, 1% exactly at a bound.

    When [low, high] misses 0..10_000 entirely, values are uniform over [low, high].
    """
    typical_low, typical_high = max(low, 0), min(high, TYPICAL_MAX)
    if typical_low > typical_high:
        typical_low, typical_high = low, high
    out = rng.integers(typical_low, typical_high, endpoint=True, size=n, dtype=np.int64)
    roll = rng.random(n)
    wide = roll < 0.03
    out[wide] = rng.integers(low, high, endpoint=True, size=int(wide.sum()), dtype=np.int64)
    out[roll < 0.005] = low
    out[(roll >= 0.005) & (roll < 0.01)] = high
    return out


def sample_integer_type(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    low, high = INTEGER_BOUNDS[type.name]
    return to_strings(integer_chars(sample_integers(rng, n, low, high)))


def sample_oids(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """Small object ids, as found in a catalog (PostgreSQL does not check they exist)."""
    return to_strings(integer_chars(rng.integers(1, 100_000, size=n)))


def numeric_precision_scale(type: TypeRef) -> tuple[int, int]:
    """(precision, scale) of a numeric type; numeric(p) has scale 0."""
    if not type.modifiers:
        return DEFAULT_NUMERIC
    precision, *rest = type.modifiers
    return precision, rest[0] if rest else 0


def fixed_point(units: np.ndarray, scale: int) -> np.ndarray:
    """Integers counted in 10^-scale units (cents for scale 2) as a decimal-string matrix."""
    whole, fraction = np.divmod(units, 10**scale)
    return concat(len(units), integer_chars(whole), ".", digits(fraction, scale))


def _signs(rng: np.random.Generator, nonzero: np.ndarray, share: float = NEGATIVE_SHARE) -> np.ndarray:
    """A one-column matrix: `-` for about `share` of the non-zero rows (no `-0`), nothing elsewhere."""
    n = len(nonzero)
    return only_where(np.full((n, 1), ord("-"), dtype=np.uint8), (rng.random(n) < share) & nonzero)


def sample_numeric(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """Decimals written with exactly the column's scale and |v| < 10^(p - s), so none is rounded."""
    precision, scale = numeric_precision_scale(type)
    if scale <= 0:
        # numeric(p, -k) holds p significant digits followed by k zeros.
        mantissa = sample_integers(rng, n, 0, 10 ** min(precision, _INT64_DIGITS) - 1)
        zeros = only_where(concat(n, "0" * -scale), mantissa != 0)
        return to_strings(concat(n, _signs(rng, mantissa != 0), integer_chars(mantissa), zeros))
    whole_digits = min(precision - scale, _INT64_DIGITS)
    whole = sample_integers(rng, n, 0, 10**whole_digits - 1) if whole_digits > 0 else np.zeros(n, np.int64)
    # With scale > precision the first (scale - precision) fraction digits must be zero;
    # past 18 random digits the rest are zeros (an int64 holds no more).
    leading = max(0, scale - precision)
    random_digits = min(scale - leading, _INT64_DIGITS)
    fraction = rng.integers(0, 10**random_digits, size=n, dtype=np.int64)
    trailing = scale - leading - random_digits
    sign = _signs(rng, (whole != 0) | (fraction != 0))
    return to_strings(
        concat(
            n,
            sign,
            integer_chars(whole),
            "." + "0" * leading,
            digits(fraction, random_digits),
            "0" * trailing,
        )
    )


def sample_floats(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """Measurements spanning a few orders of magnitude, 10% negative; up to 2 decimals for real, 4 else."""
    decimals = 2 if type.name == "real" else 4
    scale = 10**decimals
    units = np.rint(np.minimum(rng.lognormal(mean=3.0, sigma=2.0, size=n), 1e9) * scale).astype(np.int64)
    whole, fraction = np.divmod(units, scale)
    # Drop trailing zeros of the fraction, keeping at least one digit: 40.09, 38.9, 2.0.
    position = np.arange(decimals)
    trailing_zero = (fraction[:, None] % 10 ** (decimals - position) == 0) & (position > 0)
    fraction_chars = np.where(trailing_zero, np.uint8(0), digits(fraction, decimals))
    return to_strings(concat(n, _signs(rng, units != 0, 0.1), integer_chars(whole), ".", fraction_chars))


def sample_money(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """Amounts like `12.34` (money's input is locale-dependent; `.` is the C/English decimal point)."""
    return to_strings(fixed_point(sample_integers(rng, n, 0, 2**53), 2))


def sample_booleans(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    return np.where(rng.random(n) < 0.5, "true", "false").tolist()


def sample_pg_lsns(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """WAL positions like `16/B374D848`: a small log id and a 32-bit offset, in hex."""
    log_id = integer_chars(rng.integers(0, 256, size=n), base=16, upper=True)
    offset = integer_chars(rng.integers(0, 2**32, size=n), base=16, upper=True)
    return to_strings(concat(n, log_id, "/", offset))
