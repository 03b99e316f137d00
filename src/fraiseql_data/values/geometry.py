"""Geometric literals: points, lines, segments, boxes, paths, polygons and circles.

Coordinates have one decimal, within ±1000. Every value is valid by
construction: a line's A and B are never both zero, a polygon has at least
three points, a circle's radius is non-negative.
"""

from __future__ import annotations

import numpy as np

from fraiseql_data.schema.model import TypeRef
from fraiseql_data.values.literal import concat, digits, integer_chars, join_groups, to_strings


def _number_chars(rng: np.random.Generator, n: int, low: int = -10_000, high: int = 10_000) -> np.ndarray:
    """Decimals with one digit after the point, in [low/10, high/10), as a matrix."""
    tenths = rng.integers(low, high, size=n)
    sign = np.where(tenths < 0, ord("-"), 0).astype(np.uint8)[:, None]
    whole, fraction = np.divmod(np.abs(tenths), 10)
    return concat(n, sign, integer_chars(whole), ".", digits(fraction, 1))


def _point_chars(rng: np.random.Generator, n: int) -> np.ndarray:
    return concat(n, "(", _number_chars(rng, n), ",", _number_chars(rng, n), ")")


def _point_lists(rng: np.random.Generator, n: int, fewest: int, most: int) -> list[str]:
    """n comma-separated lists of fewest..most points."""
    counts = rng.integers(fewest, most, endpoint=True, size=n).tolist()
    return join_groups(to_strings(_point_chars(rng, sum(counts))), counts, ",")


def sample_points(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    return to_strings(_point_chars(rng, n))


def sample_lines(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """`{A,B,C}` for Ax + By + C = 0, with A and B not both zero."""
    a = rng.integers(-10, 10, endpoint=True, size=n)
    b = rng.integers(-10, 10, endpoint=True, size=n)
    a[(a == 0) & (b == 0)] = 1
    return to_strings(concat(n, "{", integer_chars(a), ",", integer_chars(b), ",", _number_chars(rng, n), "}"))


def sample_segments(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    return to_strings(concat(n, "[", _point_chars(rng, n), ",", _point_chars(rng, n), "]"))


def sample_boxes(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """Two opposite corners `(x1,y1),(x2,y2)` (PostgreSQL orders them itself)."""
    return to_strings(concat(n, _point_chars(rng, n), ",", _point_chars(rng, n)))


def sample_paths(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """2..5 points, half open `[...]`, half closed `(...)`."""
    closed = (rng.random(n) < 0.5).tolist()
    return [f"({p})" if c else f"[{p}]" for p, c in zip(_point_lists(rng, n, 2, 5), closed, strict=True)]


def sample_polygons(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    return [f"({p})" for p in _point_lists(rng, n, 3, 6)]


def sample_circles(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """`<(x,y),r>` with 0 <= r < 500."""
    centre_x, centre_y, radius = _number_chars(rng, n), _number_chars(rng, n), _number_chars(rng, n, 0, 5_000)
    return to_strings(concat(n, "<(", centre_x, ",", centre_y, "),", radius, ">"))
