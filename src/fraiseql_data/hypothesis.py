"""Hypothesis strategies: rows of one table, and whole FK-consistent datasets.

Both are built from Hypothesis primitives (`st.integers` for a seed, a row
number and row counts) and the deterministic engine, so every example
satisfies the schema by construction (no filtering, so no `filter_too_much`)
and failures shrink toward seed 0, row 0 and the fewest rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from hypothesis import strategies as st

from fraiseql_data.api.builder import SeedBuilder
from fraiseql_data.api.schema_source import SchemaSource, load_schema
from fraiseql_data.api.seeds import Seeds
from fraiseql_data.schema.model import Schema

BLOCKS = 64  # distinct generated blocks per table: rows come from a cached block, so examples are cheap
BLOCK_ROWS = 32
SEEDS = 2**16


@lru_cache(maxsize=512)
def _block(schema: Schema, table: str, block: int) -> Seeds:
    builder = SeedBuilder(schema=schema, seed=block)
    builder.add(table, BLOCK_ROWS)
    return builder.build()


def rows(schema: SchemaSource, table: str, **overrides: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts of one row of `table` (Python values) satisfying its CHECKs and NOT NULLs.

    `overrides` are values or strategies for columns, taken as given (like
    `hypothesis.extra.django.from_model`).
    """
    model = load_schema(schema)
    qualified = model.table(table).qualified
    drawn = {name: value if isinstance(value, st.SearchStrategy) else st.just(value)
             for name, value in overrides.items()}
    for name in drawn:
        model.table(qualified).column(name)  # a typo fails now, not at the first draw

    def one(block: int, index: int, fixed: dict[str, Any]) -> dict[str, Any]:
        row = _block(model, qualified, block)[qualified][index].as_dict()
        row.update(fixed)
        return row

    return st.builds(one, st.integers(0, BLOCKS - 1), st.integers(0, BLOCK_ROWS - 1), st.fixed_dictionaries(drawn))


@lru_cache(maxsize=256)
def _dataset(schema: Schema, counts: tuple[tuple[str, int], ...], seed: int) -> Seeds:
    builder = SeedBuilder(schema=schema, seed=seed)
    for table, count in counts:
        if count:
            builder.add(table, count)
    return builder.build()


def datasets(schema: SchemaSource, tables: Sequence[str], max_rows: int = 5, min_rows: int = 0
             ) -> st.SearchStrategy[Seeds]:
    """Seeds holding `min_rows`..`max_rows` rows of each table (plus the parents they need).

    Every UNIQUE and FOREIGN KEY holds across the rows; `seeds.insert(conn)` loads them.
    """
    model = load_schema(schema)
    names = [model.table(t).qualified for t in tables]

    def build(counts: list[int], seed: int) -> Seeds:
        return _dataset(model, tuple(zip(names, counts, strict=True)), seed)

    counts = st.lists(st.integers(min_rows, max_rows), min_size=len(names), max_size=len(names))
    return st.builds(build, counts, st.integers(0, SEEDS - 1))


__all__ = ["datasets", "rows"]
