"""Text-shaped types: strings, names, full-text search, JSON, XML and hstore.

A small built-in word list stands in for real prose (realistic providers come
later, from Faker, for columns whose name says what they hold). A few words
carry accents so that length limits are exercised in characters, not bytes;
none holds a quote, backslash or markup character, so the words can be put
into JSON, XML, tsvector and hstore literals as they are.
"""

from __future__ import annotations

import numpy as np

from fraiseql_data.schema.model import TypeRef
from fraiseql_data.values.literal import join_groups, pick, quote_hstore, text_matrix, to_strings

WORDS: tuple[str, ...] = (
    "alpha", "amber", "anchor", "apple", "arrow", "atlas", "autumn", "beacon", "birch", "blue",
    "bold", "breeze", "bridge", "bright", "cable", "canyon", "carbon", "cedar", "cloud", "cobalt",
    "comet", "copper", "coral", "crane", "crystal", "dawn", "delta", "desert", "drift", "eagle",
    "echo", "ember", "falcon", "fern", "field", "flint", "forest", "fox", "frost", "garden",
    "glacier", "golden", "granite", "green", "harbor", "hazel", "horizon", "indigo", "iron", "island",
    "ivory", "jade", "juniper", "lake", "lantern", "lemon", "linen", "lunar", "maple", "marble",
    "meadow", "metro", "mint", "moss", "north", "nova", "oak", "ocean", "olive", "onyx",
    "orbit", "paper", "pearl", "pine", "pixel", "plaza", "prism", "quartz", "quick", "rain",
    "raven", "red", "ridge", "river", "rocket", "sage", "salt", "silver", "slate", "solar",
    "spruce", "stone", "summit", "swift", "thunder", "tide", "timber", "valley", "velvet", "willow",
    "café", "naïve", "über", "jalapeño", "crème",
)  # fmt: skip
_LETTERS = tuple("abcdefghijklmnopqrstuvwxyz")
_WORD_TABLE = text_matrix(WORDS)
_ASCII_WORD_TABLE = text_matrix([w for w in WORDS if w.isascii()])
_HSTORE_VALUES = WORDS + tuple(str(i) for i in range(0, 100, 5))


def sample_phrases(
    rng: np.random.Generator, n: int, max_words: int = 6, sep: str = " ", ascii_only: bool = False
) -> list[str]:
    """n phrases of 1..max_words words, built as one byte matrix (a word slot per column block)."""
    table = _ASCII_WORD_TABLE if ascii_only else _WORD_TABLE
    counts = rng.integers(1, max_words, endpoint=True, size=n)
    words = table[rng.integers(0, len(table), size=(n, max_words))]
    separators = np.full((n, max_words, 1), ord(sep), dtype=np.uint8)
    separators[:, 0] = 0
    slots = np.concatenate([separators, words], axis=2)
    slots[np.arange(max_words) >= counts[:, None]] = 0
    return to_strings(slots.reshape(n, -1))


def sample_text(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """Short phrases; varchar(n)/char(n) get fewer words and are cut to n characters."""
    limit = type.modifiers[0] if type.modifiers else None
    if type.name == "character" and limit is None:
        limit = 1  # bare `character` is character(1)
    if limit is None:
        return sample_phrases(rng, n)
    phrases = sample_phrases(rng, n, max_words=max(1, min(6, limit // 6)))
    return [p if len(p) <= limit else p[:limit].rstrip() for p in phrases]


def sample_char(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """The one-byte `"char"` type: a single ASCII letter."""
    return pick(_LETTERS, rng, n)


def sample_names(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """Identifier-like `name` values: 1..3 snake_case ASCII words, well within 63 bytes."""
    return sample_phrases(rng, n, max_words=3, sep="_", ascii_only=True)


def sample_tsvectors(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """Lexemes with positions, like `'fox':1 'quick':2`."""
    phrases = sample_phrases(rng, n, max_words=4)
    return [" ".join(f"'{w}':{i}" for i, w in enumerate(p.split(" "), start=1)) for p in phrases]


def sample_tsqueries(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """Queries like `'fox' & 'quick'`, `'fox' | 'quick'`, `!'fox'` or one lexeme."""
    first, second = pick(WORDS, rng, n), pick(WORDS, rng, n)
    shapes = rng.integers(0, 4, size=n).tolist()
    forms = ("'{}'", "'{}' & '{}'", "'{}' | '{}'", "!'{}'")
    return [forms[s].format(a, b) for s, a, b in zip(shapes, first, second, strict=True)]


def sample_json(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """Small objects like `{"id": 3, "name": "alpha", "active": true}`, sometimes with a list."""
    ids = rng.integers(1, 10_000, size=n).tolist()
    names = pick(WORDS, rng, n)
    tags = sample_phrases(rng, n, max_words=3)
    active = (rng.random(n) < 0.5).tolist()
    with_tags = (rng.random(n) < 0.3).tolist()
    out = []
    for i, name, tag, flag, tagged in zip(ids, names, tags, active, with_tags, strict=True):
        extra = ', "tags": [' + ", ".join(f'"{t}"' for t in tag.split(" ")) + "]" if tagged else ""
        out.append(f'{{"id": {i}, "name": "{name}", "active": {"true" if flag else "false"}{extra}}}')
    return out


def sample_xml(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """One element per value, like `<item id="3">alpha</item>`."""
    ids = rng.integers(1, 10_000, size=n).tolist()
    return [f'<item id="{i}">{w}</item>' for i, w in zip(ids, pick(WORDS, rng, n), strict=True)]


def sample_hstore(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """0..3 pairs like `"color"=>"amber", "size"=>"12"`; keys are words, values words or numbers."""
    counts = rng.integers(0, 3, endpoint=True, size=n).tolist()
    total = sum(counts)
    keys, values = pick(WORDS, rng, total), pick(_HSTORE_VALUES, rng, total)
    pairs = [f"{quote_hstore(k)}=>{quote_hstore(v)}" for k, v in zip(keys, values, strict=True)]
    return join_groups(pairs, counts, ", ")
