"""Unique keys by construction: distinct tuples drawn by rank from a product domain.

Each key column contributes a finite list of candidate values (a foreign key's
parent tuples, an enum's labels, a solved integer range, a literal set); a key
is a product of those lists, and N distinct ranks in that product give N
distinct tuples — no retries, exact even when the product barely exceeds N.
Key-only CHECKs (`CHECK (a <> b)` on a junction table) filter the tuples;
when the product is small it is enumerated, so capacity is exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ENUMERATE_LIMIT = 2_000_000


@dataclass
class Component:
    """One factor of a key's product domain: `size` candidates, columns filled by index."""

    columns: tuple[str, ...]
    size: int
    values: dict[str, np.ndarray]  # column → encoded values indexed by candidate (len == size)
    nulls: dict[str, np.ndarray] | None = None

    def take(self, index: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        values = {c: self.values[c][index] for c in self.columns}
        nulls = {c: (self.nulls[c][index] if self.nulls and c in self.nulls else np.zeros(index.size, dtype=bool))
                 for c in self.columns}
        return values, nulls


def product_space(components: list[Component]) -> int:
    space = 1
    for component in components:
        space *= component.size
    return space


def decompose(ranks: np.ndarray, components: list[Component]) -> list[np.ndarray]:
    """Mixed-radix digits of each rank: one candidate index per component."""
    digits = []
    rest = ranks.astype(object) if ranks.dtype == object else ranks.copy()
    for component in reversed(components):
        digits.append((rest % component.size).astype(np.int64))
        rest = rest // component.size
    return digits[::-1]


def enumerate_all(components: list[Component]) -> np.ndarray:
    return np.arange(product_space(components), dtype=np.int64)
