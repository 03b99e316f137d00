"""What the solver knows about one text column: literals, lengths, patterns.

The solver never handles strings. For each text column it sees the literals
the CHECKs compare it with (plus "none of them"), the character lengths the
type and the patterns allow, and whether each literal matches each pattern.
The realiser later produces a string consistent with the solved abstraction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from fraiseql_data.constraints import ir
from fraiseql_data.values.regex import Language, UnsupportedPattern

PATTERN_LENGTH_CAP = 255  # strings matching a pattern are kept to this many characters


@lru_cache(maxsize=512)
def language(match: ir.Match) -> Language:
    if match.kind == "regex":
        # `x ~ p` holds when p matches anywhere in x: the language of every string containing a match
        return Language.from_regex(match.pattern, case_insensitive=match.case_insensitive, free_ends=True)
    if match.kind == "like":
        return Language.from_like(match.pattern, case_insensitive=match.case_insensitive)
    return Language.from_similar(match.pattern)


def supported(match: ir.Match) -> bool:
    try:
        language(match)
    except UnsupportedPattern:
        return False
    return True


@lru_cache(maxsize=512)
def lengths_of(match: ir.Match, min_len: int, max_len: int) -> tuple[int, ...]:
    """The lengths at which the pattern's language has strings."""
    lang = language(match)
    top = min(max_len, PATTERN_LENGTH_CAP)
    return tuple(n for n in range(min_len, top + 1) if lang.count(n, n) > 0)


def transformed(value: str, transform: str) -> str:
    if transform == "lower":
        return value.lower()
    if transform == "upper":
        return value.upper()
    if transform == "btrim":
        return value.strip(" ")
    return value


@dataclass
class TextFacts:
    column: str
    literals: tuple[str, ...]
    min_len: int
    max_len: int
    pattern_lengths: dict[ir.Match, tuple[int, ...]] = field(default_factory=dict)
    literal_matches: dict[tuple[ir.Match, int], bool] = field(default_factory=dict)
    other_allowed: bool = True

    @staticmethod
    def transformed(value: str, transform: str) -> str:
        return transformed(value, transform)

    @classmethod
    def build(cls, column: str, preds: list[ir.Pred], max_len: int) -> TextFacts:
        literals: set[str] = set()
        matches: set[ir.Match] = set()
        for pred in preds:
            for node in ir.walk(pred):
                if isinstance(node, ir.TextIs) and node.column == column:
                    literals |= node.values
                elif isinstance(node, ir.Match) and node.column == column:
                    matches.add(node)
        ordered = tuple(sorted(literals))
        facts = cls(column, ordered, 0, max_len)
        for match in sorted(matches, key=lambda m: (m.kind, m.pattern, m.case_insensitive)):
            facts.pattern_lengths[match] = lengths_of(match, 0, max_len)
            lang = language(match)
            for index, literal in enumerate(ordered):
                facts.literal_matches[(match, index)] = lang.matches(literal)
        return facts
