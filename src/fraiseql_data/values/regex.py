"""String languages of PostgreSQL patterns: `~` / `~*` regexes, LIKE / ILIKE, SIMILAR TO.

A CHECK such as `serial ~ '^[A-Z]{3}-[0-9]{6}$'` is satisfied by construction,
even on a UNIQUE column: the pattern is parsed (PostgreSQL's ARE syntax; LIKE
and SIMILAR TO are first rewritten into it, see `like.py`) into a small tree,
the tree into an NFA, and the NFA into a DFA over a partition of the characters
it can produce. Counting the DFA's paths by length gives the exact number of
distinct strings of each length; exact counts give ranks, and ranks give
distinct strings without retry loops (a UNIQUE column's capacity is the count).

Two sets of characters are at play. *Membership* (`Language.matches`) follows
PostgreSQL over all of Unicode, running the same automaton over the string
(like PostgreSQL's engine, it never backtracks, so no pattern makes it
exponential). *Generation* draws, at each position, from a subset of what
PostgreSQL accepts there: characters written in the pattern as they are
written (case included, even under `~*`), members of explicit ranges bar
control characters, ASCII members of named classes (`[[:alpha:]]` gives A-Za-z, `\\s`
gives a space only), and `alphabet` (default `DEFAULT_ALPHABET`) wherever the
pattern allows "anything but" (`.`, `%`, `_`, `[^...]`, `\\D`). So every
generated string matches, and counts are counts of what can be generated.

Named classes follow the C locale (ASCII) and `~*` folds case with Python's
`str.lower`/`str.upper`; for non-ASCII characters PostgreSQL's answer to
either depends on the database's LC_CTYPE, which `Language.locale_sensitive`
flags (`matches` is exact for ASCII strings whatever the locale).
"""

from __future__ import annotations

import itertools
import math
import re
import string
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import NoReturn

import numpy as np
import numpy.typing as npt

from fraiseql_data.errors import FraiseQLDataError
from fraiseql_data.values.like import like_to_regex, similar_to_regex

# Readable characters for positions the pattern leaves open: no whitespace, no
# backslash or quotes, nothing COPY or a SQL literal would need to escape.
DEFAULT_ALPHABET = string.ascii_letters + string.digits + "-_."

DUPMAX = 255  # PostgreSQL's largest repetition bound
MAX_NFA_STATES = 200_000
MAX_DFA_STATES = 10_000
INT64_LIMIT = 1 << 63
RANK_ROOM = 64  # unique strings by rank come from a universe this many times the rows
UNICODE_END = 0x110000


class UnsupportedPattern(FraiseQLDataError, ValueError):
    """A pattern we cannot turn into a language: its CHECK is left for PostgreSQL to judge.

    Raised for PostgreSQL-only features (back-references, lookaround, word
    boundaries, most embedded options) and for patterns PostgreSQL rejects.
    """

    def __init__(self, pattern: str, reason: str) -> None:
        self.pattern = pattern
        self.reason = reason
        super().__init__(f"cannot generate strings for pattern {pattern!r}: {reason}")


# --- character sets ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _CharSet:
    """Code points as sorted, disjoint, non-touching half-open spans: ranges stay cheap."""

    spans: tuple[tuple[int, int], ...] = ()

    @staticmethod
    def of(spans: Iterable[tuple[int, int]]) -> _CharSet:
        merged: list[tuple[int, int]] = []
        for lo, hi in sorted(s for s in spans if s[0] < s[1]):
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
            else:
                merged.append((lo, hi))
        return _CharSet(tuple(merged))

    @staticmethod
    def chars(text: str) -> _CharSet:
        return _CharSet.of((ord(c), ord(c) + 1) for c in text)

    def __contains__(self, code: int) -> bool:
        i = bisect_right(self.spans, code, key=lambda span: span[0]) - 1
        return i >= 0 and code < self.spans[i][1]

    def __or__(self, other: _CharSet) -> _CharSet:
        return _CharSet.of(self.spans + other.spans)

    def __sub__(self, other: _CharSet) -> _CharSet:
        out: list[tuple[int, int]] = []
        for lo, hi in self.spans:
            for cut_lo, cut_hi in other.spans:
                if cut_hi <= lo or cut_lo >= hi:
                    continue
                if cut_lo > lo:
                    out.append((lo, cut_lo))
                lo = max(lo, cut_hi)
                if lo >= hi:
                    break
            if lo < hi:
                out.append((lo, hi))
        return _CharSet(tuple(out))


_EMPTY = _CharSet()
_EVERYTHING = _CharSet(((0, UNICODE_END),))
_UNSTORABLE = _CharSet(((0, 1), (0xD800, 0xE000)))  # NUL and surrogates: no text value holds them
# Controls are generated only where the pattern names them one by one, never from a range.
_UNGENERATED_IN_RANGES = _UNSTORABLE | _CharSet(((0, 0x20), (0x7F, 0xA0)))

_ALPHA = string.ascii_letters
_ALNUM = _ALPHA + string.digits
_PUNCT = "".join(chr(c) for c in range(0x21, 0x7F) if not chr(c).isalnum())
_PUNCT_GENERATED = "".join(c for c in _PUNCT if c not in "\\'\"")
# name -> (members, generated members), C-locale meaning.
_NAMED_CLASSES: dict[str, tuple[str, str]] = {
    "alpha": (_ALPHA, _ALPHA),
    "digit": (string.digits, string.digits),
    "alnum": (_ALNUM, _ALNUM),
    "upper": (string.ascii_uppercase, string.ascii_uppercase),
    "lower": (string.ascii_lowercase, string.ascii_lowercase),
    "xdigit": (string.hexdigits, string.hexdigits),
    "word": (_ALNUM + "_", _ALNUM + "_"),
    "space": (" \t\n\r\f\v", " "),
    "blank": (" \t", " "),
    "punct": (_PUNCT, _PUNCT_GENERATED),
    "graph": (_ALNUM + _PUNCT, _ALNUM + _PUNCT_GENERATED),
    "print": (" " + _ALNUM + _PUNCT, " " + _ALNUM + _PUNCT_GENERATED),
    "cntrl": ("".join(map(chr, range(0x20))) + "\x7f", ""),
}
_SHORTHANDS = {"d": "digit", "s": "space", "w": "word"}  # \D, \S, \W: their complements
_SHORTHAND_ESCAPES = frozenset("dswDSW")
_CHAR_ESCAPES = {
    "a": 0x07,
    "b": 0x08,
    "B": 0x5C,
    "e": 0x1B,
    "f": 0x0C,
    "n": 0x0A,
    "r": 0x0D,
    "t": 0x09,
    "v": 0x0B,
}


# --- the pattern tree --------------------------------------------------------------------------


def _case_variants(char: str) -> list[str]:
    return [v for v in (char.lower(), char.upper()) if len(v) == 1 and v != char]


@dataclass(frozen=True)
class _Atom:
    """One character position: PostgreSQL accepts `members` there (anything else when
    `negated`); we generate from `gen`, a subset of what it accepts."""

    members: _CharSet
    negated: bool
    gen: _CharSet

    def accepts(self, char: str, case_insensitive: bool) -> bool:
        """Under `~*` PostgreSQL adds each member's other case; so a character is in when it,
        or its other case, is a member (and a negated class leaves out both cases)."""
        variants = _case_variants(char) if case_insensitive else []
        hit = ord(char) in self.members or any(ord(v) in self.members for v in variants)
        return hit != self.negated


@dataclass(frozen=True)
class _Anchor:
    end: bool  # `$` / `\Z` when true, `^` / `\A` otherwise


@dataclass(frozen=True)
class _Seq:
    items: tuple[_Node, ...]


@dataclass(frozen=True)
class _Alt:
    options: tuple[_Node, ...]


@dataclass(frozen=True)
class _Repeat:
    item: _Node
    low: int
    high: int | None  # None: unbounded


_Node = _Atom | _Anchor | _Seq | _Alt | _Repeat


def _longest(node: _Node) -> int | None:
    """An upper bound on the length of the node's strings; None when unbounded."""
    match node:
        case _Atom():
            return 1
        case _Anchor():
            return 0
        case _Seq(items=items):
            lengths = [_longest(item) for item in items]
            return None if None in lengths else sum(n for n in lengths if n is not None)
        case _Alt(options=options):
            lengths = [_longest(option) for option in options]
            return None if None in lengths else max(n for n in lengths if n is not None)
        case _Repeat(item=item, high=high):
            inner = _longest(item)
            if inner == 0:
                return 0
            return None if inner is None or high is None else inner * high
    raise AssertionError(node)


# --- parsing PostgreSQL's advanced regular expressions -----------------------------------------


@dataclass(frozen=True)
class _Member:
    """One bracket-expression element: a single character (a possible range end) or a class."""

    members: _CharSet
    gen: _CharSet
    code: int | None = None  # the character, when the element may start or end a range


class _AreParser:
    """Recursive descent over the ARE syntax of PostgreSQL's manual, section 9.7.3."""

    def __init__(self, pattern: str, body: str, case_insensitive: bool, alphabet: str) -> None:
        self.pattern = pattern  # for messages
        self.text = body
        self.pos = 0
        self.case_insensitive = case_insensitive
        self.alphabet = alphabet
        self.locale_sensitive = case_insensitive

    def fail(self, reason: str) -> NoReturn:
        raise UnsupportedPattern(self.pattern, reason)

    def peek(self, ahead: int = 0) -> str:
        at = self.pos + ahead
        return self.text[at] if at < len(self.text) else ""

    def take(self, what: str = "character") -> str:
        char = self.peek()
        if not char:
            self.fail(f"pattern ends where a {what} was expected")
        self.pos += 1
        return char

    def parse(self) -> _Node:
        tree = self.alternation()
        if self.pos < len(self.text):
            self.fail("parentheses () not balanced")
        return tree

    def alternation(self) -> _Node:
        options = [self.branch()]
        while self.peek() == "|":
            self.pos += 1
            options.append(self.branch())
        return options[0] if len(options) == 1 else _Alt(tuple(options))

    def branch(self) -> _Node:
        items: list[_Node] = []
        while self.peek() not in ("", "|", ")"):
            items.append(self.piece())
        return items[0] if len(items) == 1 else _Seq(tuple(items))

    def piece(self) -> _Node:
        atom = self.atom()
        bounds = self.quantifier()
        if bounds is None:
            return atom
        if isinstance(atom, _Anchor):
            self.fail("quantifier operand invalid (an anchor cannot repeat)")
        if self.peek() == "?":
            self.pos += 1  # non-greedy: the same language
        if self.quantifier() is not None:
            self.fail("quantifier operand invalid (two quantifiers in a row)")
        return _Repeat(atom, *bounds)

    def quantifier(self) -> tuple[int, int | None] | None:
        char = self.peek()
        if char in ("*", "+", "?"):
            self.pos += 1
            return {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        if char == "{" and self.peek(1).isascii() and self.peek(1).isdigit():
            self.pos += 1
            low = self.number()
            high: int | None = low
            if self.peek() == ",":
                self.pos += 1
                high = self.number() if self.peek().isascii() and self.peek().isdigit() else None
            if self.take("}") != "}":
                self.fail("invalid repetition count(s)")
            if low > DUPMAX or (high is not None and not low <= high <= DUPMAX):
                self.fail("invalid repetition count(s)")
            return low, high
        return None

    def number(self) -> int:
        start = self.pos
        while self.peek().isascii() and self.peek().isdigit():
            self.pos += 1
        return int(self.text[start : self.pos])

    def atom(self) -> _Node:
        char = self.take()
        if char == "(":
            if self.peek() == "?":
                if self.peek(1) != ":":
                    what = "lookahead and lookbehind" if self.peek(1) in ("=", "!", "<") else "embedded option"
                    self.fail(f"{what} constraints are not supported")
                self.pos += 2
            inner = self.alternation()
            if self.peek() != ")":
                self.fail("parentheses () not balanced")
            self.pos += 1
            return _Seq((inner,)) if isinstance(inner, _Anchor) else inner  # `(^)*` may repeat; `^*` not
        if char in ("^", "$"):
            return _Anchor(end=char == "$")
        if char == ".":
            return self.negated(_EMPTY)
        if char == "[":
            return self.bracket()
        if char == "\\":
            return self.escape()
        if char in "*+?" or (char == "{" and self.peek().isascii() and self.peek().isdigit()):
            self.fail("quantifier operand invalid (nothing to repeat)")
        return self.literal(ord(char))

    def literal(self, code: int) -> _Atom:
        chars = _CharSet.of([(code, min(code + 1, UNICODE_END))])  # beyond Unicode: matches nothing
        return _Atom(chars, False, chars - _UNSTORABLE)

    def negated(self, chars: _CharSet) -> _Atom:
        """Anything but `chars`: generated from the alphabet, filtered by the real test."""
        atom = _Atom(chars, True, _EMPTY)
        kept = "".join(c for c in self.alphabet if atom.accepts(c, self.case_insensitive))
        return _Atom(chars, True, _CharSet.chars(kept))

    def named(self, name: str) -> tuple[_CharSet, _CharSet]:
        if name not in _NAMED_CLASSES:
            self.fail(f"invalid character class [:{name}:]")
        self.locale_sensitive = True
        chars, gen = _NAMED_CLASSES[name]
        return _CharSet.chars(chars), _CharSet.chars(gen)

    def escape(self) -> _Node:
        char = self.take("character after a backslash")
        if char in _SHORTHAND_ESCAPES:
            chars, gen = self.named(_SHORTHANDS[char.lower()])
            return _Atom(chars, False, gen) if char.islower() else self.negated(chars)
        if char in ("A", "Z"):
            return _Anchor(end=char == "Z")
        if char in ("m", "M", "y", "Y"):
            self.fail(f"word-boundary constraint \\{char} is not supported")
        return self.literal(self.char_escape(char))

    def char_escape(self, char: str) -> int:
        """The code point of a character-entry escape (the backslash already read)."""
        if char in _CHAR_ESCAPES:
            return _CHAR_ESCAPES[char]
        if char == "c":
            return ord(self.take("control character name")) & 0x1F
        if char in ("u", "U", "x"):
            digits = self.hex_digits(4 if char == "u" else 8 if char == "U" else None)
            return int(digits, 16)
        if char == "0":
            start = self.pos - 1
            while self.pos - start < 3 and self.peek() in ("0", "1", "2", "3", "4", "5", "6", "7"):
                self.pos += 1
            return int(self.text[start : self.pos], 8)
        if char in "123456789":
            self.fail(f"back-reference \\{char} is not supported")
        if char.isalnum():
            self.fail(f"invalid escape \\{char}")
        return ord(char)

    def hex_digits(self, exactly: int | None) -> str:
        start = self.pos
        while self.peek() and self.peek() in string.hexdigits and (exactly is None or self.pos - start < exactly):
            self.pos += 1
        digits = self.text[start : self.pos]
        if not digits or (exactly is not None and len(digits) != exactly) or len(digits) > 8:
            self.fail("invalid escape \\ sequence")
        return digits

    def bracket(self) -> _Atom:
        negated = self.peek() == "^"
        if negated:
            self.pos += 1
        chars, gen = _EMPTY, _EMPTY
        first = True
        while True:
            if not self.peek():
                self.fail("brackets [] not balanced")
            if self.peek() == "]" and not first:
                self.pos += 1
                break
            first = False
            member = self.member()
            ranged = self.peek() == "-" and self.peek(1) not in ("]", "")
            if ranged:
                self.pos += 1
                end = self.member()
                if member.code is None or end.code is None or end.code < member.code:
                    self.fail("invalid character range")
                span = _CharSet.of([(member.code, min(end.code + 1, UNICODE_END))])
                member = _Member(span, span - _UNGENERATED_IN_RANGES)
            if (ranged or member.code is None) and self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.fail("invalid character range")
            chars, gen = chars | member.members, gen | member.gen
        return self.negated(chars) if negated else _Atom(chars, False, gen)

    def member(self) -> _Member:
        char = self.take()
        if char == "[" and self.peek() in (":", ".", "="):
            kind = self.take()
            end = self.text.find(kind + "]", self.pos)
            if end < 0:
                self.fail("brackets [] not balanced")
            name, self.pos = self.text[self.pos : end], end + 2
            if kind == ":":
                return _Member(*self.named(name))
            if len(name) != 1:
                self.fail(f"collating element [{kind}{name}{kind}] is not supported")
            return self.single(ord(name), may_range=kind == ".")
        if char == "\\":
            escaped = self.take("character after a backslash")
            if escaped in _SHORTHAND_ESCAPES:
                chars, gen = self.named(_SHORTHANDS[escaped.lower()])
                if escaped.islower():
                    return _Member(chars, gen)
                # A complement inside brackets: generate from the alphabet, minus the class itself.
                return _Member(_EVERYTHING - chars, _CharSet.chars(self.alphabet) - chars)
            return self.single(self.char_escape(escaped))
        return self.single(ord(char))

    def single(self, code: int, may_range: bool = True) -> _Member:
        atom = self.literal(code)
        return _Member(atom.members, atom.gen, code if may_range else None)


def _parse(pattern: str, case_insensitive: bool, alphabet: str) -> tuple[_Node, bool, bool]:
    """(tree, case-insensitive after embedded options, locale-sensitive) for an ARE."""
    body = pattern
    literal = False
    if body.startswith("***="):
        body, literal = body[4:], True
    elif body.startswith("***:"):
        body = body[4:]
    elif body.startswith("***"):
        raise UnsupportedPattern(pattern, "invalid director (only ***: and ***= exist)")
    options = re.match(r"\(\?([a-zA-Z]*)\)", body) if not literal else None
    if options:
        body = body[options.end() :]
        for flag in options.group(1):
            if flag in ("i", "c"):
                case_insensitive = flag == "i"
            elif flag == "q":
                literal = True
            elif flag not in ("s", "t"):
                raise UnsupportedPattern(pattern, f"embedded option {flag!r} is not supported")
    parser = _AreParser(pattern, body, case_insensitive, alphabet)
    tree = _Seq(tuple(parser.literal(ord(c)) for c in body)) if literal else parser.parse()
    return tree, case_insensitive, parser.locale_sensitive


# --- automata ----------------------------------------------------------------------------------


class _Nfa:
    """Thompson construction; anchors are transitions taken only at the string's ends."""

    def __init__(self, tree: _Node, pattern: str) -> None:
        self.pattern = pattern
        self.eps: list[list[int]] = []
        self.moves: list[list[tuple[int, int]]] = []  # (atom id, target)
        self.anchors: list[list[tuple[bool, int]]] = []  # (is an end anchor, target)
        self.atoms: list[_Atom] = []
        self._atom_ids: dict[_Atom, int] = {}
        self.entry = self.state()
        self.final = self.build(tree, self.entry)

    def state(self) -> int:
        if len(self.eps) >= MAX_NFA_STATES:
            raise UnsupportedPattern(self.pattern, "too large to enumerate (nested repetition counts)")
        self.eps.append([])
        self.moves.append([])
        self.anchors.append([])
        return len(self.eps) - 1

    def build(self, node: _Node, entry: int) -> int:
        """Add `node` after state `entry`; return its exit state."""
        match node:
            case _Atom():
                out = self.state()
                if node not in self._atom_ids:
                    self._atom_ids[node] = len(self.atoms)
                    self.atoms.append(node)
                self.moves[entry].append((self._atom_ids[node], out))
                return out
            case _Anchor(end=end):
                out = self.state()
                self.anchors[entry].append((end, out))
                return out
            case _Seq(items=items):
                for item in items:
                    entry = self.build(item, entry)
                return entry
            case _Alt(options=options):
                out = self.state()
                for option in options:
                    self.eps[self.build(option, entry)].append(out)
                return out
            case _Repeat(item=item, low=low, high=high):
                for _ in range(low):
                    entry = self.build(item, entry)
                if high is None:
                    loop = self.state()  # fresh, so nothing before the loop can repeat
                    self.eps[entry].append(loop)
                    self.eps[self.build(item, loop)].append(loop)
                    return loop
                exits = [entry]
                for _ in range(high - low):
                    exits.append(self.build(item, exits[-1]))
                out = self.state()
                for state in exits:
                    self.eps[state].append(out)
                return out
        raise AssertionError(node)

    def closure(self, seeds: Iterable[int], at_start: bool, at_end: bool) -> frozenset[int]:
        seen = set(seeds)
        stack = list(seen)
        while stack:
            state = stack.pop()
            reached = self.eps[state] + [t for end, t in self.anchors[state] if (at_end if end else at_start)]
            for target in reached:
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        return frozenset(seen)


class _Matcher:
    """PostgreSQL's `~` test without backtracking: the NFA run over the string as a DFA
    built lazily, one (state, character) transition at a time, so that no pattern and
    no input can take exponential time. A match may start at any position."""

    CACHE_LIMIT = 100_000  # transitions kept; beyond that the cache starts over

    def __init__(self, tree: _Node, pattern: str, case_insensitive: bool) -> None:
        self._nfa = _Nfa(tree, pattern)
        self._case_insensitive = case_insensitive
        self._restart = self._nfa.closure((self._nfa.entry,), at_start=False, at_end=False)
        self._sets: list[frozenset[int]] = []
        self._ids: dict[frozenset[int], int] = {}
        self._found: list[bool] = []  # a match ends here: the rest of the string does not matter
        self._found_at_end: list[bool] = []  # a match ends here if the string ends here
        self._next: dict[tuple[int, str], int] = {}
        self._add(self._nfa.closure((self._nfa.entry,), at_start=True, at_end=False), at_start=True)

    def _add(self, states: frozenset[int], at_start: bool = False) -> int:
        if not at_start:  # the start state alone may cross `^`: never reached again
            self._ids[states] = len(self._sets)
        self._sets.append(states)
        self._found.append(self._nfa.final in states)
        at_end = self._nfa.closure(states, at_start=at_start, at_end=True)
        self._found_at_end.append(self._nfa.final in at_end)
        return len(self._sets) - 1

    def _step(self, state: int, char: str) -> int:
        atoms, nfa = self._nfa.atoms, self._nfa
        moved = {
            target
            for q in self._sets[state]
            for aid, target in nfa.moves[q]
            if atoms[aid].accepts(char, self._case_insensitive)
        }
        following = nfa.closure(moved, at_start=False, at_end=False) | self._restart
        nxt = self._ids.get(following)
        if nxt is None:
            nxt = self._add(following)
        if len(self._next) >= self.CACHE_LIMIT:
            self._next.clear()
        self._next[state, char] = nxt
        return nxt

    def many(self, values: list[str]) -> npt.NDArray[np.bool_]:
        """`self(v)` for every value at once: strings of one length share a code array, and each
        position advances all of them with one lookup per distinct (state, character) pair."""
        out = np.zeros(len(values), dtype=bool)
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        for length in np.unique(lengths).tolist():
            rows = np.flatnonzero(lengths == length)
            if length == 0:
                out[rows] = self._found_at_end[0]
                continue
            text = "".join(values[i] for i in rows.tolist())
            codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).reshape(rows.size, length)
            state = np.zeros(rows.size, dtype=np.int64)
            found = np.zeros(rows.size, dtype=bool)
            for position in range(length):
                found |= np.asarray(self._found, dtype=bool)[state]
                keys = state * UNICODE_END + codes[:, position]
                pairs, inverse = np.unique(keys, return_inverse=True)
                targets = []
                for key in pairs.tolist():
                    current, char = divmod(key, UNICODE_END)
                    nxt = self._next.get((current, chr(char)))
                    targets.append(self._step(current, chr(char)) if nxt is None else nxt)
                state = np.asarray(targets, dtype=np.int64)[inverse.reshape(-1)]
            out[rows] = found | np.asarray(self._found_at_end, dtype=bool)[state]
        return out

    def __call__(self, value: str) -> bool:
        state = 0
        for char in value:
            if self._found[state]:
                return True
            nxt = self._next.get((state, char))
            state = self._step(state, char) if nxt is None else nxt
        return self._found_at_end[state]


class _Step:
    """Placing one character with `remaining` still to go, for every DFA state at once.

    Tables are (state, piece): a piece is a run of characters (in code-point
    order) that no generated set splits, so all of them lead to the same state.
    A row's widths count the completions through each piece; batches pick a
    piece per row with one comparison against the row's cumulative widths, and
    need no grouping by state.
    """

    def __init__(self, automaton: _Automaton, remaining: int) -> None:
        below = automaton.counts(remaining)
        self.target = np.array([[row[b] for _, _, b in automaton.pieces] for row in automaton.trans], np.int32)
        self.below = [[below[t] if t >= 0 else 0 for t in row] for row in self.target.tolist()]
        self.widths = [[size * n for (_, size, _), n in zip(automaton.pieces, row, strict=True)] for row in self.below]

    @cached_property
    def rank_tables(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(ends, starts, below) in int64, clipped: rows used by `unrank` never need clipping,
        since every count on a path of a length is at most that length's count (< 2**63)."""
        ends = [list(itertools.accumulate(row)) for row in self.widths]
        starts = [
            [e - w for e, w in zip(erow, wrow, strict=True)] for erow, wrow in zip(ends, self.widths, strict=True)
        ]
        return _clipped(ends), _clipped(starts), _clipped(self.below)

    @cached_property
    def cumulative_probability(self) -> npt.NDArray[np.float64]:
        """Per state, cumulative widths over the state's total (rows of dead states stay zero)."""
        rows = [[w / total for w in row] if (total := sum(row)) else [0.0] * len(row) for row in self.widths]
        return np.cumsum(np.array(rows, dtype=np.float64).reshape(len(rows), -1), axis=1)


def _clipped(table: list[list[int]]) -> npt.NDArray[np.int64]:
    return np.array([[min(v, INT64_LIMIT - 1) for v in row] for row in table], dtype=np.int64)


class _Automaton:
    """A DFA over a partition of the generated characters, with exact counts per length.

    Every string has exactly one path, so path counts are string counts, however
    ambiguous the pattern (`a*a*`, `(a|a)`). The DFA state remembers whether it
    is the start, where `^` may still be crossed.
    """

    def __init__(self, tree: _Node, pattern: str) -> None:
        nfa = _Nfa(tree, pattern)
        self._partition([atom.gen for atom in nfa.atoms])
        blocks_of_atom = [[b for b, sig in enumerate(self.signatures) if aid in sig] for aid in range(len(nfa.atoms))]
        states = [nfa.closure((nfa.entry,), at_start=True, at_end=False)]
        index = {(states[0], True): 0}
        self.accept: list[bool] = []
        self.trans: list[list[int]] = []  # (state, block) -> state, -1 for none
        while len(self.trans) < len(states):
            here = len(self.trans)
            self.accept.append(nfa.final in nfa.closure(states[here], at_start=here == 0, at_end=True))
            targets: dict[int, set[int]] = {}
            for state in states[here]:
                for aid, target in nfa.moves[state]:
                    for block in blocks_of_atom[aid]:
                        targets.setdefault(block, set()).add(target)
            row = [-1] * len(self.signatures)
            for block, seeds in targets.items():
                key = (nfa.closure(seeds, at_start=False, at_end=False), False)
                if key not in index:
                    if len(states) >= MAX_DFA_STATES:
                        raise UnsupportedPattern(pattern, "too many automaton states to count exactly")
                    index[key] = len(states)
                    states.append(key[0])
                row[block] = index[key]
            self.trans.append(row)
        self._moves = [[(self.block_size[b], t) for b, t in enumerate(row) if t >= 0] for row in self.trans]
        self._table: list[list[int]] = [[int(a) for a in self.accept]]
        self._steps: dict[int, _Step] = {}
        self.lo = np.array([lo for lo, _, _ in self.pieces], dtype=np.int64)
        self.size = np.array([size for _, size, _ in self.pieces], dtype=np.int64)

    def _partition(self, sets: list[_CharSet]) -> None:
        """Cut the characters into pieces no set splits; group pieces of equal membership into blocks."""
        bounds = sorted({edge for s in sets for span in s.spans for edge in span})
        members: list[set[int]] = [set() for _ in bounds]
        for sid, charset in enumerate(sets):
            for lo, hi in charset.spans:
                for k in range(bisect_left(bounds, lo), bisect_left(bounds, hi)):
                    members[k].add(sid)
        block_ids: dict[frozenset[int], int] = {}
        self.pieces: list[tuple[int, int, int]] = []  # (first code point, size, block)
        self.block_size: list[int] = []
        for k, sids in enumerate(members):
            if sids:
                block = block_ids.setdefault(frozenset(sids), len(block_ids))
                if block == len(self.block_size):
                    self.block_size.append(0)
                size = bounds[k + 1] - bounds[k]
                self.block_size[block] += size
                self.pieces.append((bounds[k], size, block))
        self.signatures = list(block_ids)

    def counts(self, remaining: int) -> list[int]:
        """Per state, the number of accepted strings of exactly `remaining` more characters."""
        while len(self._table) <= remaining:
            below = self._table[-1]
            self._table.append([sum(size * below[t] for size, t in moves) for moves in self._moves])
        return self._table[remaining]

    def step(self, remaining: int) -> _Step:
        if remaining not in self._steps:
            self._steps[remaining] = _Step(self, remaining)
        return self._steps[remaining]

    def nth(self, length: int, rank: int) -> str:
        """The `rank`-th string of `length` characters in code-point (lexicographic) order."""
        state, out = 0, []
        for position in range(length):
            step = self.step(length - position - 1)
            for piece, width in enumerate(step.widths[state]):
                if rank < width:
                    below = step.below[state][piece]
                    out.append(chr(self.pieces[piece][0] + rank // below))
                    rank %= below
                    state = int(step.target[state, piece])
                    break
                rank -= width
        return "".join(out)

    def unrank(self, length: int, ranks: npt.NDArray[np.int64]) -> list[str]:
        """`nth` for a whole batch at once, in int64 (the length's count must be below 2**63)."""
        codes = np.zeros((len(ranks), length), dtype="<u4")
        state = np.zeros(len(ranks), dtype=np.int32)
        rest = np.array(ranks, dtype=np.int64)
        for position in range(length):
            step = self.step(length - position - 1)
            ends, starts, below = step.rank_tables
            piece = (ends[state] <= rest[:, None]).sum(axis=1)
            offset = rest - starts[state, piece]
            completions = below[state, piece]
            codes[:, position] = self.lo[piece] + offset // completions
            rest = offset % completions
            state = step.target[state, piece]
        return _strings(codes)

    def walk(self, length: int, n: int, rng: np.random.Generator) -> list[str]:
        """`n` strings of `length`, each uniform (to float precision) over the length's strings."""
        codes = np.zeros((n, length), dtype="<u4")
        state = np.zeros(n, dtype=np.int32)
        for position in range(length):
            cumulative = self.step(length - position - 1).cumulative_probability[state]
            drawn = rng.random(n) * cumulative[:, -1]
            piece = np.minimum((cumulative <= drawn[:, None]).sum(axis=1), len(self.pieces) - 1)
            codes[:, position] = self.lo[piece] + rng.integers(0, self.size[piece])
            state = self.step(length - position - 1).target[state, piece]
        return _strings(codes)


def _strings(codes: npt.NDArray[np.uint32]) -> list[str]:
    """Rows of code points as Python strings, through numpy's UCS-4 string type."""
    rows, length = codes.shape
    if length == 0:
        return [""] * rows
    return codes.view(f"<U{length}")[:, 0].tolist()


def _distinct_ranks(rng: np.random.Generator, population: int, n: int) -> npt.NDArray[np.int64]:
    """`n` distinct ranks below `population` (at least 4n): a uniform n-subset.

    Drawing with replacement until n distinct values have appeared gives every
    n-subset the same chance; with population >= 4n fewer than one draw in
    eight is a repeat, so the loop ends after a few rounds.
    """
    chosen = np.unique(rng.integers(0, population, size=n, dtype=np.int64))
    while len(chosen) < n:
        extra = rng.integers(0, population, size=n - len(chosen), dtype=np.int64)
        chosen = np.unique(np.concatenate([chosen, extra]))
    return chosen


# --- the public face ---------------------------------------------------------------------------


class Language:
    """The strings a PostgreSQL pattern accepts, as far as we generate them: count, rank, sample.

    Build one with `from_regex`, `from_like` or `from_similar`. Lengths are
    counted in characters (`char_length`); `max_len` may be left out only when
    the pattern bounds the length itself.
    """

    def __init__(
        self,
        tree: _Node,
        *,
        pattern: str,
        case_insensitive: bool,
        locale_sensitive: bool,
        free_ends: bool,
        alphabet: str,
    ) -> None:
        """Internal: use the `from_*` constructors."""
        self.pattern = pattern
        self.case_insensitive = case_insensitive
        self.locale_sensitive = locale_sensitive
        self._matcher = _Matcher(tree, pattern, case_insensitive)
        if free_ends:
            anything = _Repeat(_Atom(_EMPTY, True, _CharSet.chars(alphabet)), 0, None)
            tree = _Seq((anything, tree, anything))
        self.max_length = _longest(tree)
        self._automaton = _Automaton(tree, pattern)

    def __repr__(self) -> str:
        return f"Language({self.pattern!r})"

    @classmethod
    def from_regex(
        cls,
        pattern: str,
        *,
        case_insensitive: bool = False,
        free_ends: bool = False,
        alphabet: str = DEFAULT_ALPHABET,
    ) -> Language:
        """`x ~ pattern` (`~*` with `case_insensitive`).

        PostgreSQL accepts a string when the pattern matches anywhere in it. We
        generate strings that are themselves a match (anchors then hold
        trivially); with `free_ends`, also strings with free text from
        `alphabet` around the match, wherever anchors allow it: the language is
        then exactly the accepted strings over the generated characters, for a
        larger capacity and less tidy values.
        """
        tree, insensitive, locale_sensitive = _parse(pattern, case_insensitive, alphabet)
        return cls(
            tree,
            pattern=pattern,
            case_insensitive=insensitive,
            locale_sensitive=locale_sensitive,
            free_ends=free_ends,
            alphabet=alphabet,
        )

    @classmethod
    def from_like(
        cls,
        pattern: str,
        *,
        escape: str = "\\",
        case_insensitive: bool = False,
        alphabet: str = DEFAULT_ALPHABET,
    ) -> Language:
        """`x LIKE pattern ESCAPE escape` (ILIKE with `case_insensitive`; `escape=""`: none)."""
        try:
            regex = like_to_regex(pattern, escape)
        except ValueError as e:
            raise UnsupportedPattern(pattern, str(e)) from None
        return cls._from_translation(pattern, regex, case_insensitive, alphabet)

    @classmethod
    def from_similar(cls, pattern: str, *, escape: str = "\\", alphabet: str = DEFAULT_ALPHABET) -> Language:
        """`x SIMILAR TO pattern ESCAPE escape`: a whole-string match."""
        try:
            regex = similar_to_regex(pattern, escape)
        except ValueError as e:
            raise UnsupportedPattern(pattern, str(e)) from None
        return cls._from_translation(pattern, regex, False, alphabet)

    @classmethod
    def _from_translation(cls, pattern: str, regex: str, case_insensitive: bool, alphabet: str) -> Language:
        try:
            tree, insensitive, locale_sensitive = _parse(regex, case_insensitive, alphabet)
        except UnsupportedPattern as e:
            raise UnsupportedPattern(pattern, e.reason) from None
        return cls(
            tree,
            pattern=pattern,
            case_insensitive=insensitive,
            locale_sensitive=locale_sensitive,
            free_ends=False,
            alphabet=alphabet,
        )

    def matches(self, value: str) -> bool:
        """Whether PostgreSQL's operator accepts `value` (see `locale_sensitive` for non-ASCII)."""
        return self._matcher(value)

    def matches_many(self, values: list[str]) -> npt.NDArray[np.bool_]:
        """`matches` for many values at once, vectorised: the same answers, far faster."""
        return self._matcher.many(values)

    def _lengths(self, min_len: int, max_len: int | None) -> range:
        if min_len < 0:
            raise ValueError(f"{min_len=} must not be negative")
        if max_len is None:
            if self.max_length is None:
                raise ValueError(f"{self} has strings of every length: pass max_len")
            max_len = self.max_length
        elif self.max_length is not None:
            max_len = min(max_len, self.max_length)
        return range(min_len, max_len + 1)

    def length_counts(self, min_len: int = 0, max_len: int | None = None) -> dict[int, int]:
        """{length: number of distinct strings of that length}, lengths without strings left out."""
        out = {}
        for length in self._lengths(min_len, max_len):
            count = self._automaton.counts(length)[0]
            if count:
                out[length] = count
        return out

    def count(self, min_len: int = 0, max_len: int | None = None) -> int:
        """The exact number of distinct strings with min_len <= char_length <= max_len."""
        return sum(self.length_counts(min_len, max_len).values())

    def nth(self, k: int, min_len: int = 0, max_len: int | None = None) -> str:
        """The k-th string (0 <= k < count) in shortlex order: by length, then by code points."""
        if k < 0:
            raise IndexError(f"{k=} is negative")
        for length, count in self.length_counts(min_len, max_len).items():
            if k < count:
                return self._automaton.nth(length, k)
            k -= count
        raise IndexError(f"{self} has fewer than {k=} more strings in that length range")

    def sample(
        self,
        rng: np.random.Generator,
        n: int,
        min_len: int = 0,
        max_len: int | None = None,
        *,
        unique: bool = False,
    ) -> list[str]:
        """`n` strings, deterministic for the state of `rng`; with `unique`, all distinct.

        Lengths are spread with weights log2(1 + count of the length), the
        number of bits a string of that length carries: long strings (more
        varied) come more often, but not exponentially more, so short and long
        values both appear. Within a length every string is equally likely. Unique
        draws take ranks without replacement (exact even when n equals the
        count), moving a length's surplus to lengths with room left.
        """
        if n < 0:
            raise ValueError(f"{n=} must not be negative")
        if n == 0:
            return []
        table = self.length_counts(min_len, max_len)
        total = sum(table.values())
        if total == 0:
            raise ValueError(f"{self} has no string with {min_len} <= length <= {max_len}")
        if unique and n > total:
            raise ValueError(f"{self} has only {total} distinct strings in that length range, not {n}")
        counts = list(table.values())
        weights = np.array([math.log2(1 + c) for c in counts])
        quotas = _unique_quotas(rng, n, counts, weights) if unique else rng.multinomial(n, weights / weights.sum())
        out: list[str] = []
        for length, count, quota in zip(table, counts, quotas.tolist(), strict=True):
            if quota:
                out.extend(self._draw(rng, length, count, quota, unique))
        return [out[i] for i in rng.permutation(n)]

    def by_rank(self, ids: npt.NDArray[np.int64], key: int, population: int, min_len: int = 0,
                max_len: int | None = None) -> list[str]:
        """A string per id, distinct for distinct ids below `population` rows: ids go through a keyed
        affine bijection of a universe of ranks. Any subset of ids (a block of rows) can be realised on
        its own and never clashes with another. The universe is the shortest lengths holding
        RANK_ROOM × population strings (every string when fewer exist), so strings stay short."""
        table = self.length_counts(min_len, max_len)
        if not table:
            raise ValueError(f"{self} has no string with {min_len} <= length <= {max_len}")
        universe: dict[int, int] = {}
        for length, count in table.items():
            universe[length] = count
            if sum(universe.values()) >= RANK_ROOM * max(population, 1):
                break
        total = sum(universe.values())
        if total >= INT64_LIMIT:  # lengths of at least 2**63 strings each: a repeat is a once-in-a-lifetime event
            huge = [length for length, count in universe.items() if count >= INT64_LIMIT]
            walk = np.random.default_rng([key, *ids[:1].tolist(), int(ids.size)])
            lengths = walk.choice(huge, size=ids.size)
            out = [""] * int(ids.size)
            for length in np.unique(lengths).tolist():
                where = np.flatnonzero(lengths == length)
                for position, text in zip(where.tolist(), self._automaton.walk(length, where.size, walk), strict=True):
                    out[position] = text
            return out
        step = key % total or 1
        while math.gcd(step, total) != 1:
            step += 1
        ranks = np.array([(step * i + key) % total for i in ids.tolist()], dtype=np.int64)
        bounds = np.cumsum(list(universe.values()))
        which = np.searchsorted(bounds, ranks, side="right")
        out = [""] * int(ids.size)
        for index, length in enumerate(universe):
            where = np.flatnonzero(which == index)
            if where.size:
                below = int(bounds[index - 1]) if index else 0
                for position, text in zip(where.tolist(), self._automaton.unrank(length, ranks[where] - below),
                                          strict=True):
                    out[position] = text
        return out

    def _draw(self, rng: np.random.Generator, length: int, population: int, n: int, unique: bool) -> list[str]:
        if population < INT64_LIMIT:
            if not unique:
                ranks = rng.integers(0, population, size=n, dtype=np.int64)
            elif population <= 4 * n:
                ranks = rng.choice(population, size=n, replace=False)
            else:
                ranks = _distinct_ranks(rng, population, n)
            return self._automaton.unrank(length, ranks)
        strings = self._automaton.walk(length, n, rng)
        if not unique:
            return strings
        # At least 2**63 strings: a repeat is a once-in-a-lifetime event, topped up all the same.
        distinct = dict.fromkeys(strings)
        while len(distinct) < n:
            distinct.update(dict.fromkeys(self._automaton.walk(length, n - len(distinct), rng)))
        return list(distinct)


def _unique_quotas(
    rng: np.random.Generator, n: int, counts: list[int], weights: npt.NDArray[np.float64]
) -> npt.NDArray[np.int64]:
    """How many distinct strings to take of each length: a weighted draw, capped by each count.

    A length drawn beyond its count keeps its count and hands the surplus on to
    lengths with room left; each round fills at least one length, so this ends.
    """
    caps = np.array([min(c, n) for c in counts], dtype=np.int64)
    quotas = np.zeros(len(counts), dtype=np.int64)
    remaining = n
    while remaining:
        open_weights = np.where(quotas < caps, weights, 0.0)
        quotas += rng.multinomial(remaining, open_weights / open_weights.sum())
        remaining = int(np.maximum(quotas - caps, 0).sum())
        quotas = np.minimum(quotas, caps)
    return quotas
