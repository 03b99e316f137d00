"""Array and composite (row) literals around element values of any type.

Elements come from a sampler handed in by the caller (`types.sample_type`), so
arrays of composites of arrays nest without this module knowing any type's
syntax; what it knows is how `array_in` and `record_in` want elements quoted.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from fraiseql_data.schema.model import CompositeType, TypeRef
from fraiseql_data.values.literal import join_groups, quote_array_elements, quote_record_fields

Sampler = Callable[[TypeRef, int], list[str]]

MAX_ARRAY_LENGTH = 4  # one-dimensional arrays hold 0..4 elements
MAX_EXTENT = 3  # each dimension of a multi-dimensional array spans 1..3 (1..2 beyond two dimensions)
EMPTY_SHARE = 0.1  # share of multi-dimensional arrays that are empty, `{}`


def _extents(rng: np.random.Generator, n: int, dims: int) -> np.ndarray:
    """(n, dims) sizes of each array's dimensions; an empty array has 0 in its first."""
    if dims == 1:
        return rng.integers(0, MAX_ARRAY_LENGTH, endpoint=True, size=(n, 1))
    extents = rng.integers(1, MAX_EXTENT if dims == 2 else 2, endpoint=True, size=(n, dims))
    extents[rng.random(n) < EMPTY_SHARE, 0] = 0
    return extents


def sample_arrays(type: TypeRef, rng: np.random.Generator, n: int, sample: Sampler, delimiter: str = ",") -> list[str]:
    """Rectangular arrays of `type.array_dims` dimensions; `delimiter` is the element type's (`;` for box).

    Built from the innermost dimension out: the flat elements are grouped into
    `{...}` runs of the last extent, those runs into runs of the one before, and
    so on, until each array is a single literal.
    """
    extents = _extents(rng, n, type.array_dims)
    items = quote_array_elements(sample(type.element, int(extents.prod(axis=1).sum())))
    for level in range(type.array_dims - 1, -1, -1):
        runs_per_array = extents[:, :level].prod(axis=1)
        run_lengths = np.repeat(extents[:, level], runs_per_array).tolist()
        items = ["{" + body + "}" for body in join_groups(items, run_lengths, delimiter)]
    return items


def sample_records(composite: CompositeType, n: int, sample: Sampler) -> list[str]:
    """Row literals `(v1,v2,...)`, each field quoted where `record_in` needs it."""
    if not composite.attributes:
        return ["()"] * n
    fields = [quote_record_fields(sample(attr_type, n)) for _, attr_type in composite.attributes]
    return ["(" + ",".join(row) + ")" for row in zip(*fields, strict=True)]
