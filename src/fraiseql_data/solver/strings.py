"""Realising text columns from their solved abstraction.

The solver decided, per row, whether a text column is NULL, which literal it
equals (or none), its length, and which patterns it matches. Here the actual
strings are made: literals as they are, pattern rows sampled from the
pattern's language at the solved length, the rest readable words cut to
length. Unique columns get distinct strings by construction (distinct ranks
of a language, or a distinct numeric suffix).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fraiseql_data.constraints import ir
from fraiseql_data.constraints.text import PATTERN_LENGTH_CAP, TextFacts, language
from fraiseql_data.values.names import draw, with_rank
from fraiseql_data.values.text import WORDS, sample_phrases

Texts = list[str | None]
NATURAL_MAX = 40  # unconstrained text stays readable: at most this many characters by default


@dataclass
class TextColumn:
    """One text column's abstract solution for a batch of rows."""

    name: str
    facts: TextFacts
    null: np.ndarray
    choice: np.ndarray
    length: np.ndarray | None  # None: length is not constrained, choose freely
    bits: dict[ir.Match, np.ndarray]
    max_len: int
    unique: bool = False
    pool: tuple[str, ...] = ()  # recognisable values for the column (by its name), used where they fit
    capitalised: bool = False  # a name or title: words start with a capital
    rank_key: int = 0  # unique: the column's own key for drawing strings by row number (see Language.by_rank)
    population: int = 0  # rows in the whole table (this batch may be one block of it)


ASCII_WORDS = tuple(w for w in WORDS if w.isascii())
CLOSING = 15  # the last stretch of a string is closed by one or two words of exactly the length left


def closers() -> dict[int, tuple[str, ...]]:
    """Every one- or two-word string of each length up to CLOSING (a few letters where none exists)."""
    found: dict[int, list[str]] = {}
    for first in ASCII_WORDS:
        found.setdefault(len(first), []).append(first)
        for second in ASCII_WORDS:
            if first != second and len(first) + 1 + len(second) <= CLOSING:
                found.setdefault(len(first) + 1 + len(second), []).append(f"{first} {second}")
    return {n: tuple(found.get(n) or ["abcdefghijklmnopqrstuvw"[:n]]) for n in range(1, CLOSING + 1)}


CLOSERS = closers()


def words_of_length(rng: np.random.Generator, lengths: np.ndarray) -> list[str]:
    """Readable ASCII strings of exactly the given lengths: whole words, the last ones chosen to fit."""
    out = []
    for length, draws in zip(lengths.tolist(), rng.random((lengths.size, 64)).tolist(), strict=True):
        parts: list[str] = []
        used = 0
        for chance in draws:
            room = length - used - (1 if parts else 0)
            if room <= 0:
                break
            if room <= CLOSING:
                fits = CLOSERS[room]
                parts.append(fits[int(chance * len(fits))])
                used = length
                break
            word = ASCII_WORDS[int(chance * len(ASCII_WORDS))]
            parts.append(word)
            used += len(word) + (1 if len(parts) > 1 else 0)
        text = " ".join(parts)
        out.append(text if len(text) == length else (text + "x" * length)[:length])
    return out


def of_lengths(rng: np.random.Generator, column: TextColumn, lengths: np.ndarray) -> list[str]:
    """Strings of exactly the solved lengths: a pool value of that length where there is one, else words."""
    by_length: dict[int, list[str]] = {}
    for value in column.pool:
        by_length.setdefault(len(value), []).append(value)
    picks = rng.random(lengths.size).tolist()
    out = [by_length[n][int(p * len(by_length[n]))] if n in by_length else "" for n, p in
           zip(lengths.tolist(), picks, strict=True)]
    missing = [row for row, text in enumerate(out) if not text]  # words only where no pool value fits
    words = words_of_length(rng, lengths[missing]) if missing else []
    for row, text in zip(missing, words, strict=True):
        out[row] = text.title() if column.capitalised else text
    return out


def natural(rng: np.random.Generator, n: int, max_len: int) -> list[str]:
    top = max(1, min(max_len, NATURAL_MAX))
    texts = sample_phrases(rng, n, max_words=3)
    return [t if len(t) <= top else t[:top].rstrip() or t[:top] for t in texts]


def suffixed(texts: list[str], ranks: np.ndarray, max_len: int, exact: bool) -> list[str]:
    """Make strings distinct with a rank suffix, keeping within the length limit."""
    out = []
    for text, rank in zip(texts, ranks.tolist(), strict=True):
        suffix = f"-{rank}"
        if exact:  # keep the solved length: replace the tail
            room = len(text) - len(suffix)
            out.append((text[:room] + suffix) if room >= 0 else str(rank)[-len(text):].rjust(len(text), "0"))
        elif len(suffix) <= max_len:
            out.append(text[: max_len - len(suffix)] + suffix)
        else:  # no room for a separator: the rank alone, in base 36
            out.append(base36(rank)[-max_len:])
    return out


def base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


def realise(column: TextColumn, rng: np.random.Generator, row_ids: np.ndarray) -> Texts:
    """Strings for every row of the column (None where NULL)."""
    n = int(column.null.size)
    literals = column.facts.literals
    other = len(literals)
    out: list[str | None] = [None] * n
    is_other = (column.choice == other) & ~column.null
    for index, literal in enumerate(literals):
        for row in np.flatnonzero((column.choice == index) & ~column.null).tolist():
            out[row] = literal
    rows = np.flatnonzero(is_other)
    if rows.size == 0:
        return out
    patterns = [m for m in sorted(column.bits, key=lambda m: (m.kind, m.pattern)) if m in column.bits]
    lengths = column.length[rows] if column.length is not None else None
    # Rows that must match a pattern: sample from the first one they must match.
    pending = np.ones(rows.size, dtype=bool)
    for match in patterns:
        wanted = column.bits[match][rows] & pending
        if not wanted.any():
            continue
        picked = np.flatnonzero(wanted)
        strings = sample_language(match, rng, picked, lengths, column, row_ids[rows])
        for position, text in zip(picked.tolist(), strings, strict=True):
            out[int(rows[position])] = text
        pending &= ~wanted
    rest = np.flatnonzero(pending)
    if rest.size:
        if lengths is not None:
            texts = of_lengths(rng, column, lengths[rest])
        else:
            pooled = draw(rng, column.pool, int(rest.size), column.max_len)
            texts = pooled or natural(rng, int(rest.size), column.max_len)
            if column.capitalised and not pooled:
                texts = [t.title() for t in texts]
        if column.unique and lengths is None and column.pool:
            texts = [with_rank(t, r, column.max_len) for t, r in zip(texts, row_ids[rows[rest]].tolist(), strict=True)]
        elif column.unique:
            texts = suffixed(texts, row_ids[rows[rest]], column.max_len, exact=lengths is not None)
        for position, text in zip(rest.tolist(), texts, strict=True):
            out[int(rows[position])] = text
    return out


def trusted_matches(column: TextColumn) -> dict[ir.Match, np.ndarray]:
    """Rows whose string is known to match (or not) each pattern without running it.

    Literal rows were solved with each literal's true match; an "other" row was drawn
    from the language of the first pattern it must match. Only the rest need checking.
    """
    other = len(column.facts.literals)
    is_literal = column.choice < other
    pending = ~is_literal & ~column.null
    trusted = {}
    for match in sorted(column.bits, key=lambda m: (m.kind, m.pattern)):
        drawn_from = pending & column.bits[match]
        trusted[match] = is_literal | drawn_from
        pending &= ~drawn_from
    return trusted


def sample_language(match: ir.Match, rng: np.random.Generator, picked: np.ndarray, lengths: np.ndarray | None,
                    column: TextColumn, ids: np.ndarray) -> list[str]:
    lang = language(match)
    top = min(column.max_len, PATTERN_LENGTH_CAP)
    # readable lengths when they hold enough strings (for the whole table: every block must choose alike)
    if lang.count(0, min(top, NATURAL_MAX)) >= max(picked.size, column.population):
        top = min(top, NATURAL_MAX)
    if lengths is None:
        sampled = lang.by_rank(ids[picked], column.rank_key, column.population, 0, top) if column.unique \
            else lang.sample(rng, int(picked.size), 0, top)
        fits = [v for v, good in zip(column.pool, lang.matches_many(list(column.pool)).tolist(), strict=True)
                if good and len(v) <= top]
        if not fits:
            return sampled
        chosen = [fits[i] for i in rng.integers(0, len(fits), int(picked.size)).tolist()]
        if column.unique:
            chosen = [with_rank(v, r, top) for v, r in zip(chosen, ids[picked].tolist(), strict=True)]
        # a recognisable value where it still matches; the language's own string elsewhere
        ok = lang.matches_many(chosen).tolist()
        return [c if good else fallback for c, good, fallback in zip(chosen, ok, sampled, strict=True)]
    wanted = lengths[picked]
    out: list[str] = [""] * int(picked.size)
    for length in np.unique(wanted).tolist():
        where = np.flatnonzero(wanted == length)
        strings = lang.by_rank(ids[picked][where], column.rank_key, column.population, int(length), int(length)) \
            if column.unique \
            else lang.sample(rng, int(where.size), int(length), int(length))
        for position, text in zip(where.tolist(), strings, strict=True):
            out[position] = text
    return out
