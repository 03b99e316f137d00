"""Range and multirange literals: `[3,17)`, `empty`, `[2024-01-01,)`, `{[1,3),[5,8)}`.

Bounds always satisfy lower < upper; a few values are empty or unbounded on
one or both sides, because real range columns hold those and code reading them
must cope.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from fraiseql_data.schema.model import TypeRef
from fraiseql_data.values.literal import concat, integer_chars, join_groups, to_strings
from fraiseql_data.values.numbers import fixed_point
from fraiseql_data.values.temporal import SECONDS_PER_DAY, SPAN_DAYS, date_chars, timestamp_chars

Bounds = tuple[list[str], list[str]]  # lower and upper bounds as range_in reads them, lower < upper


def _integer_bounds(rng: np.random.Generator, n: int) -> Bounds:
    lower = rng.integers(0, 10_000, size=n)
    upper = lower + rng.integers(1, 1_000, endpoint=True, size=n)
    return to_strings(integer_chars(lower)), to_strings(integer_chars(upper))


def _numeric_bounds(rng: np.random.Generator, n: int) -> Bounds:
    lower = rng.integers(0, 1_000_000, size=n)  # in cents
    upper = lower + rng.integers(1, 100_000, endpoint=True, size=n)
    return to_strings(fixed_point(lower, 2)), to_strings(fixed_point(upper, 2))


def _date_bounds(rng: np.random.Generator, n: int) -> Bounds:
    lower = rng.integers(0, SPAN_DAYS - 365, size=n)
    upper = lower + rng.integers(1, 365, endpoint=True, size=n)
    return to_strings(date_chars(lower)), to_strings(date_chars(upper))


def _timestamp_bounds(with_zone: bool) -> Callable[[np.random.Generator, int], Bounds]:
    def bounds(rng: np.random.Generator, n: int) -> Bounds:
        lower = rng.integers(0, (SPAN_DAYS - 30) * SECONDS_PER_DAY, size=n)
        upper = lower + rng.integers(1, 30 * SECONDS_PER_DAY, endpoint=True, size=n)
        # A timestamp holds a space, so range_in wants it in double quotes.
        return (
            to_strings(concat(n, '"', timestamp_chars(lower, with_zone), '"')),
            to_strings(concat(n, '"', timestamp_chars(upper, with_zone), '"')),
        )

    return bounds


_BOUNDS: dict[str, Callable[[np.random.Generator, int], Bounds]] = {
    "int4": _integer_bounds,
    "int8": _integer_bounds,
    "num": _numeric_bounds,
    "date": _date_bounds,
    "ts": _timestamp_bounds(with_zone=False),
    "tstz": _timestamp_bounds(with_zone=True),
}
RANGE_TYPES = frozenset(f"{kind}range" for kind in _BOUNDS)
MULTIRANGE_TYPES = frozenset(f"{kind}multirange" for kind in _BOUNDS)

# Shapes and their weights: mostly bounded, some empty or open-ended.
_SHAPES = ("[{lo},{hi})", "[{lo},{hi}]", "empty", "[{lo},)", "(,{hi})", "(,)")
_SHAPE_WEIGHTS = (0.75, 0.05, 0.08, 0.05, 0.05, 0.02)


def _ranges(kind: str, rng: np.random.Generator, n: int) -> list[str]:
    lower, upper = _BOUNDS[kind](rng, n)
    shapes = rng.choice(len(_SHAPES), size=n, p=_SHAPE_WEIGHTS).tolist()
    return [_SHAPES[shape].format(lo=low, hi=high) for shape, low, high in zip(shapes, lower, upper, strict=True)]


def sample_ranges(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    return _ranges(type.name.removesuffix("range"), rng, n)


def sample_multiranges(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """0..3 ranges each (PostgreSQL merges overlaps and drops empties)."""
    counts = rng.integers(0, 3, endpoint=True, size=n).tolist()
    ranges = _ranges(type.name.removesuffix("multirange"), rng, sum(counts))
    return ["{" + body + "}" for body in join_groups(ranges, counts, ",")]
