"""A batch of abstract rows: encoded integers, null masks, text abstractions.

`Batch` is what sampling fills and what `constraints.evaluate` reads. Text is
abstract here (which literal, what length, which patterns match); `Strings`
is the same interface over realised strings, used to verify the realiser.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from fraiseql_data.constraints import ir
from fraiseql_data.constraints.text import TextFacts, language, transformed


@dataclass
class Batch:
    n: int
    facts: dict[str, TextFacts]
    values: dict[str, np.ndarray] = field(default_factory=dict)
    nulls: dict[str, np.ndarray] = field(default_factory=dict)
    choice: dict[str, np.ndarray] = field(default_factory=dict)
    length: dict[str, np.ndarray] = field(default_factory=dict)
    match: dict[ir.Match, np.ndarray] = field(default_factory=dict)

    def value(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        return self.values[column], self.null(column)

    def null(self, column: str) -> np.ndarray:
        found = self.nulls.get(column)
        return found if found is not None else np.zeros(self.n, dtype=bool)

    def text_is(self, column: str, values: frozenset[str], transform: str) -> np.ndarray:
        facts = self.facts[column]
        hits = [i for i, lit in enumerate(facts.literals) if transformed(lit, transform) in values]
        return np.isin(self.choice[column], hits)

    def text_length(self, column: str) -> np.ndarray:
        return self.length[column]

    def matches(self, node: ir.Match) -> np.ndarray:
        return self.match[node]

    def subset(self, rows: np.ndarray) -> Batch:
        return Batch(
            int(rows.size),
            self.facts,
            {k: v[rows] for k, v in self.values.items()},
            {k: v[rows] for k, v in self.nulls.items()},
            {k: v[rows] for k, v in self.choice.items()},
            {k: v[rows] for k, v in self.length.items()},
            {k: v[rows] for k, v in self.match.items()},
        )

    def assign(self, rows: np.ndarray, other: Batch) -> None:
        """Write `other`'s rows into these positions (in place)."""
        for mine, theirs in ((self.values, other.values), (self.nulls, other.nulls), (self.choice, other.choice),
                             (self.length, other.length), (self.match, other.match)):
            for key, array in theirs.items():
                if key in mine:
                    mine[key][rows] = array  # type: ignore[index]
                else:
                    full = np.zeros(self.n, dtype=array.dtype)
                    full[rows] = array
                    mine[key] = full  # type: ignore[index]


@dataclass
class Strings:
    """Evaluation over realised text (and the batch's encoded values)."""

    batch: Batch
    text: dict[str, list[str | None]]
    trusted: dict[ir.Match, np.ndarray] = field(default_factory=dict)  # rows whose match bit is exact

    @property
    def n(self) -> int:
        return self.batch.n

    def value(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        return self.batch.value(column)

    def null(self, column: str) -> np.ndarray:
        if column in self.text:
            return np.fromiter((v is None for v in self.text[column]), dtype=bool, count=self.n)
        return self.batch.null(column)

    def text_is(self, column: str, values: frozenset[str], transform: str) -> np.ndarray:
        return np.fromiter((v is not None and transformed(v, transform) in values for v in self.text[column]),
                           dtype=bool, count=self.n)

    def text_length(self, column: str) -> np.ndarray:
        return np.fromiter((len(v or "") for v in self.text[column]), dtype=np.int64, count=self.n)

    def matches(self, node: ir.Match) -> np.ndarray:
        values = self.text[node.column]
        trusted = self.trusted.get(node)
        out = self.batch.match[node].copy() if trusted is not None else np.zeros(self.n, dtype=bool)
        rows = np.flatnonzero(~trusted) if trusted is not None else np.arange(self.n)
        rows = np.array([r for r in rows.tolist() if values[r] is not None], dtype=np.int64)
        if rows.size:
            out[rows] = language(node).matches_many([values[r] for r in rows.tolist()])  # type: ignore[misc]
        if trusted is None:
            return out
        out[~trusted] &= np.fromiter((v is not None for v in values), dtype=bool, count=self.n)[~trusted]
        return out
