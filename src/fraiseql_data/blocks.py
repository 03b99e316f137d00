"""A table's blocks, made in this process or by forked workers (`--jobs`).

Block k is a pure function of the table's plan and k (its random streams are
its own, its row numbers global), so any process can make any block and the
output is byte-identical whatever the number of jobs. Workers are forked once
the plan is settled, so they inherit it instead of receiving it; each returns
its block already encoded for the sink (e.g. COPY text) with the few columns
children will read. At most two blocks per worker wait to be written, so
memory stays flat when the server is the slower side.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator
from multiprocessing.pool import AsyncResult, Pool
from typing import Generic, TypeVar

from fraiseql_data.constraints.encoding import Kind
from fraiseql_data.solver.table import TableData, TableGenerator, TablePlan

T = TypeVar("T")
Made = tuple[T, TableData]  # the encoded block, and what of it is kept for children
AHEAD = 2  # blocks each worker may have waiting

_work: tuple[TableGenerator, TablePlan, Callable[[TableData], object], set[str]] | None = None  # for workers


def make(k: int) -> Made[object]:
    assert _work is not None, "a worker makes blocks of the plan it was forked with"
    generator, plan, encode, keep = _work
    block = generator.block(plan, k)
    return encode(block), block.retained(keep)


def independent(plan: TablePlan) -> bool:
    """Whether blocks may be made apart: a unique free column of a non-text type is kept distinct
    by re-drawing against the values of earlier blocks, so its table is made in order here."""
    return not any(spec.fixed is None and spec.encoding.kind is not Kind.TEXT
                   for name, spec in plan.specs.items() if name in plan.unique_text)


class Blocks(Generic[T]):
    """Iterate to get (encoded block, kept part) in block order. Workers, if any, start now."""

    def __init__(self, generator: TableGenerator, plan: TablePlan, encode: Callable[[TableData], T],
                 keep: set[str], jobs: int) -> None:
        global _work
        self.generator, self.plan, self.encode, self.keep = generator, plan, encode, keep
        self.pool: Pool | None = None
        self.jobs = min(jobs, plan.blocks)
        if jobs > 1 and plan.blocks > 1 and independent(plan):
            _work = (generator, plan, encode, keep)
            self.pool = multiprocessing.get_context("fork").Pool(self.jobs)
            _work = None  # the workers have their copy

    def __iter__(self) -> Iterator[Made[T]]:
        if self.pool is None:
            for k in range(self.plan.blocks):
                block = self.generator.block(self.plan, k)
                yield self.encode(block), block.retained(self.keep)
            return
        pending: deque[AsyncResult[Made[T]]] = deque()
        submitted = 0
        try:
            while submitted < self.plan.blocks or pending:
                while submitted < self.plan.blocks and len(pending) < self.jobs * AHEAD:
                    pending.append(self.pool.apply_async(make, (submitted,)))  # type: ignore[arg-type]
                    submitted += 1
                yield pending.popleft().get()
        finally:
            self.pool.terminate()
            self.pool.join()
