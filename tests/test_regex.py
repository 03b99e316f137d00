"""Pattern languages: exact counts, ranks, sampling, and PostgreSQL's own verdict."""

from __future__ import annotations

import itertools
import random
import re
import time
from collections.abc import Callable

import numpy as np
import psycopg
import pytest
from psycopg import sql

from fraiseql_data.values.like import similar_to_regex
from fraiseql_data.values.regex import DEFAULT_ALPHABET, Language, UnsupportedPattern

SERIAL = r"^[A-Z]{3}-[0-9]{6}$"
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
EMAIL_LIKE = "%_@_%._%"


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def brute_force(oracle: str, chars: str, max_len: int, *, search: bool = False) -> list[str]:
    """Every string over `chars` up to `max_len` that Python's `re` accepts, in shortlex order."""
    test = re.compile(oracle, re.DOTALL)
    accept = test.search if search else test.fullmatch
    words = ("".join(w) for n in range(max_len + 1) for w in itertools.product(sorted(chars), repeat=n))
    return [w for w in words if accept(w)]


# (PostgreSQL pattern, equivalent Python regex, characters to enumerate, alphabet, free ends)
SMALL_LANGUAGES = [
    ("a|ab|b*", r"a|ab|b*", "ab", "ab", False),
    ("(a|a)", r"a", "ab", "ab", False),
    ("a*a*", r"a*", "ab", "ab", False),
    ("^[ab]+(-[ab]+)*$", r"[ab]+(?:-[ab]+)*", "ab-", "ab-", False),
    ("x?[ab]{1,2}$", r"x?[ab]{1,2}", "abx", "ab", False),
    ("(^a|b)c", r"(?:a|b)c", "abc", "ab", False),
    ("a^b|c", r"c", "abc", "ab", False),
    (".b", r"[ab]b", "ab", "ab", False),
    ("[^a]b*", r"[bc]b*", "abc", "abc", False),
    ("(ab|a)(bc|c)?", r"(?:ab|a)(?:bc|c)?", "abc", "ab", False),
    ("ab", r"ab", "ab", "ab", True),
    ("^a", r"\Aa", "ab", "ab", True),
    ("a$|^b", r"a\Z|\Ab", "ab", "ab", True),
    ("[01]{2}", r"[01]{2}", "01a", "01a", True),
]


@pytest.mark.parametrize(("pattern", "oracle", "chars", "alphabet", "free_ends"), SMALL_LANGUAGES)
def test_counts_and_ranks_are_exact_against_brute_force(
    pattern: str, oracle: str, chars: str, alphabet: str, free_ends: bool
) -> None:
    max_len = 5
    lang = Language.from_regex(pattern, free_ends=free_ends, alphabet=alphabet)
    expected = brute_force(oracle, chars, max_len, search=free_ends)
    assert lang.count(0, max_len) == len(expected)
    assert [lang.nth(k, 0, max_len) for k in range(len(expected))] == expected  # a bijection, shortlex
    by_length = {n: sum(len(w) == n for w in expected) for n in range(max_len + 1)}
    assert lang.length_counts(0, max_len) == {n: c for n, c in by_length.items() if c}
    with pytest.raises(IndexError):
        lang.nth(len(expected), 0, max_len)


def test_serial_number_language() -> None:
    lang = Language.from_regex(SERIAL)
    assert lang.max_length == 10
    assert lang.count() == 26**3 * 10**6
    assert lang.length_counts(2, 120) == {10: 26**3 * 10**6}
    assert lang.nth(0) == "AAA-000000"
    assert lang.nth(lang.count() - 1) == "ZZZ-999999"
    assert lang.nth(10**6 + 17) == "AAB-000017"


def test_unique_sampling_is_exact_when_n_equals_the_count() -> None:
    lang = Language.from_regex("^[ab]{1,3}$")
    everything = {lang.nth(k) for k in range(lang.count())}
    assert len(everything) == lang.count() == 14
    drawn = lang.sample(rng(), 14, unique=True)
    assert sorted(drawn) == sorted(everything)
    with pytest.raises(ValueError, match="only 14 distinct"):
        lang.sample(rng(), 15, unique=True)


def test_unique_sampling_barely_below_the_count() -> None:
    lang = Language.from_regex("^[A-C]{2}[0-9]$|^x{1,4}$")
    assert lang.count() == 94
    drawn = lang.sample(rng(3), 93, unique=True)
    assert len(set(drawn)) == 93
    assert all(lang.matches(s) for s in drawn)


def test_sampling_is_deterministic_for_a_seed() -> None:
    lang = Language.from_regex(SLUG)
    assert lang.sample(rng(7), 50, 0, 30) == lang.sample(rng(7), 50, 0, 30)
    assert lang.sample(rng(7), 50, 0, 30) != lang.sample(rng(8), 50, 0, 30)


def test_samples_spread_over_lengths() -> None:
    lang = Language.from_regex(SLUG)
    lengths = [len(s) for s in lang.sample(rng(), 2000, 2, 30)]
    assert min(lengths) >= 2 and max(lengths) <= 30
    assert sum(n <= 10 for n in lengths) > 100  # short values appear ...
    assert sum(n >= 25 for n in lengths) > 100  # ... and long ones


@pytest.mark.parametrize(
    ("make", "max_len"),
    [
        (lambda: Language.from_regex(SERIAL), None),
        (lambda: Language.from_regex(SLUG), 30),  # counts beyond 2**63: random walks, deduplicated
        (lambda: Language.from_like(EMAIL_LIKE), 40),
    ],
    ids=["serial", "slug", "email"],
)
def test_many_unique_strings(make: Callable[[], Language], max_len: int | None) -> None:
    lang = make()
    drawn = lang.sample(rng(), 20_000, 0, max_len, unique=True)
    assert len(set(drawn)) == 20_000
    assert all(lang.matches(s) for s in drawn)
    assert all(len(s) <= (max_len or 10) for s in drawn)


def test_non_unique_sampling_may_repeat_small_languages() -> None:
    lang = Language.from_regex("^[ab]$")
    drawn = lang.sample(rng(), 100)
    assert set(drawn) == {"a", "b"}
    assert lang.sample(rng(), 0) == []


def test_length_bounds() -> None:
    lang = Language.from_regex("^[0-9]{2,4}$")
    assert lang.count(3, 3) == 1000
    assert lang.count(0, 1) == 0
    assert all(len(s) == 3 for s in lang.sample(rng(), 50, 3, 3))
    with pytest.raises(ValueError, match="no string"):
        lang.sample(rng(), 1, 5, 9)
    with pytest.raises(ValueError, match="every length"):
        Language.from_regex("^a+$").count()


def test_unanchored_patterns_generate_the_match_itself_or_with_free_ends() -> None:
    tidy = Language.from_regex("[0-9]")
    assert tidy.count() == 10
    assert tidy.matches("abc7def")
    padded = Language.from_regex("[0-9]", free_ends=True)
    size = len(DEFAULT_ALPHABET)
    assert padded.count(0, 2) == 10 + (size**2 - (size - 10) ** 2)  # every 1-2 char string holding a digit


def test_case_insensitive() -> None:
    vat = Language.from_regex(r"^[a-z]{2}\d{8,12}$", case_insensitive=True)
    assert vat.matches("FR12345678901")
    assert vat.matches("fR12345678")
    assert not vat.matches("FR1234567")
    assert all(vat.matches(s) for s in vat.sample(rng(), 200))
    negated = Language.from_regex("^[^a-z]$", case_insensitive=True)
    assert not negated.matches("A")
    assert not any(c.isalpha() for c in negated.sample(rng(), 200))
    assert Language.from_regex("(?i)^abc$").matches("ABC")
    assert not Language.from_regex("(?c)^abc$", case_insensitive=True).matches("ABC")
    ilike = Language.from_like("ab%", case_insensitive=True)
    assert ilike.matches("ABxyz")
    assert not ilike.matches("xab")


def test_postgresql_class_syntax() -> None:
    assert Language.from_regex("^[[:upper:][:digit:]]{2}$").count() == 36**2
    assert Language.from_regex(r"^\d{3}$").count() == 1000
    assert Language.from_regex(r"^\w$").count() == 63
    assert set(Language.from_regex(r"^\s$").sample(rng(), 20)) == {" "}  # generated: a space ...
    assert Language.from_regex(r"^\s$").matches("\t")  # ... accepted: any white space
    others = Language.from_regex("^[^[:alnum:]]$")
    assert {others.nth(k) for k in range(others.count())} == {"-", "_", "."}
    assert Language.from_regex(r"^[\d.-]+$").matches("1.2-3")
    assert Language.from_regex(r"^[\Da]$").matches("a")
    assert not Language.from_regex(r"^[\Da]$").matches("5")
    assert Language.from_regex("^[]a]$").matches("]")
    assert Language.from_regex("^[^]a]$").matches("b")
    assert Language.from_regex("^[[.-.]a]$").matches("-")
    assert Language.from_regex("[[:alpha:]]").locale_sensitive
    assert not Language.from_regex("^[a-z]$").locale_sensitive


def test_regex_membership_follows_postgresql() -> None:
    assert Language.from_regex("abc").matches("xxabcxx")  # `~` matches anywhere
    assert not Language.from_regex("a$").matches("a\n")  # `$` is the very end
    assert Language.from_regex("^.$").matches("\n")  # `.` matches newlines
    assert Language.from_regex(r"^\x41\u00e9\B$").matches("Aé\\")
    assert Language.from_regex(r"^\012$").matches("\n")  # octal
    assert Language.from_regex("^a{,3}$").matches("a{,3}")  # `{` without a digit is literal
    assert Language.from_regex("^a+?b*?$").matches("aab")  # non-greedy: the same language
    assert Language.from_regex("***=a.b").matches("xa.by")
    assert not Language.from_regex("***=a.b").matches("axb")
    assert Language.from_regex("(^|x)a").matches("ab")
    assert not Language.from_regex("a^b").matches("ab")
    assert Language.from_regex("").matches("anything")


def test_membership_never_backtracks() -> None:
    lang = Language.from_regex("^(a+)+$")
    started = time.perf_counter()
    assert not lang.matches("a" * 40 + "!")
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a)\1",  # back-reference
        "(?=a)b",
        "(?!a)b",
        "(?<=a)b",
        r"\mword\M",
        r"\yword",
        "(?x) a b",
        "(?n)a",
        "a(?i)b",
        "a**",
        "*a",
        "^*",
        "[z-a]",
        "[a-z-0]",
        "(a",
        "a)",
        "[a",
        "a{2,1}",
        "a{256}",
        r"\q",
        "[[:nope:]]",
        "[[.hyphen.]]",
        "***x",
    ],
)
def test_unsupported_and_invalid_patterns(pattern: str) -> None:
    with pytest.raises(UnsupportedPattern) as caught:
        Language.from_regex(pattern)
    assert caught.value.pattern == pattern


def test_like() -> None:
    email = Language.from_like(EMAIL_LIKE)
    assert email.matches("a@b.c")
    assert not email.matches("@b.c")
    assert not email.matches("a@b.")
    assert min(email.length_counts(0, 10)) == 5
    percent = Language.from_like(r"100\%")
    assert percent.matches("100%")
    assert not percent.matches("1000")
    assert percent.count() == 1
    hash_escaped = Language.from_like("a#_b%", escape="#")
    assert hash_escaped.matches("a_bzz")
    assert not hash_escaped.matches("axb")
    no_escape = Language.from_like("a\\_", escape="")
    assert no_escape.matches("a\\x")
    assert Language.from_like("a_c", alphabet="xy").count() == 2
    assert Language.from_like("a.c").count() == 1  # `.` is not special in LIKE
    with pytest.raises(UnsupportedPattern, match="escape"):
        Language.from_like("abc\\")
    with pytest.raises(UnsupportedPattern, match="escape"):
        Language.from_like("abc", escape="##")


def test_similar_to() -> None:
    code = Language.from_similar("[A-Z]{2}[0-9]+")
    assert code.matches("AB1")
    assert not code.matches("AB")
    assert not code.matches("xAB1")  # a whole-string match
    assert code.length_counts(0, 4) == {3: 26**2 * 10, 4: 26**2 * 100}
    assert not Language.from_similar("a.b").matches("axb")  # `.` is literal
    assert Language.from_similar("(a|b)*c%_").matches("abacxy")
    assert Language.from_similar(r"a\%").matches("a%")
    assert Language.from_similar(r"\d+").matches("123")  # the escape passes `\d` to the regex
    with pytest.raises(UnsupportedPattern):
        Language.from_similar('a\\"b\\"c')


@pytest.mark.parametrize(
    ("pattern", "escape", "regex"),
    [  # PostgreSQL 15's own similar_to_escape() output
        (r"a.b%c_d(e|f)\d[x\]]^$", "\\", r"^(?:a\.b.*c.d(?:e|f)\d[x\]]\^\$)$"),
        (r"a.b%c_d(e|f)\d[x\]]^$", "#", r"^(?:a\.b.*c.d(?:e|f)\\d[x\\]]\^\$)$"),
        ("[]%]x%", "\\", "^(?:[]%]x.*)$"),
        ("[^]%]x%", "\\", "^(?:[^]%]x.*)$"),
        ("[[:alpha:]%]x%", "\\", "^(?:[[:alpha:]%]x.*)$"),
        ("a\\", "\\", "^(?:a)$"),
    ],
)
def test_similar_to_translation_matches_postgresql(pattern: str, escape: str, regex: str) -> None:
    assert similar_to_regex(pattern, escape) == regex


# Patterns checked by PostgreSQL itself: (operator, pattern, max length to generate).
CHECKED_BY_POSTGRES = [
    ("~", SERIAL, 10),
    ("~", SLUG, 30),
    ("~*", r"^[a-z]{2}\d{8,12}$", 14),
    ("~", r"^[[:upper:]][[:lower:]]+( [[:alpha:]]+)?$", 20),
    ("~", r"^\w+[.-]?\w*@[^[:space:]@]+\.[a-z]{2,4}$", 30),
    ("~", r"^(?:\+?[0-9]{1,3}[ -])?\(?[0-9]{3}\)?[ -]?[0-9]{4}$", 20),
    ("~", r"^[^[:alnum:]]{2}\d\D[\D]\S\W$", 7),
    ("~", r"^([a-f0-9]{8}-)([a-f0-9]{4}-){3}[a-f0-9]{12}$", 36),
    ("~", r"(^a|b$)c", 3),
    ("~", "***=a.b*", 4),
    ("~*", "(?c)^Ab$", 2),
    ("~", r"^\x41{2}\u00e9[[.-.]\]]$", 4),
    ("LIKE", EMAIL_LIKE, 40),
    ("LIKE", r"100\%%", 8),
    ("ILIKE", "ab_%", 6),
    ("SIMILAR TO", "[A-Z]{2}[0-9]+", 8),
    ("SIMILAR TO", "(ab|cd)*%x_", 8),
]


def mutated(value: str, rand: random.Random) -> str:
    """A near miss: one character changed, dropped, added or re-cased (all ASCII, so the
    verdict of named classes and case folding does not depend on the database locale)."""
    at = rand.randint(0, len(value))
    char = rand.choice("aZ9 -.@%_\\()+")
    edits = [value[:at] + char + value[at:], value.swapcase(), value + value[:at]]
    if value:
        at = min(at, len(value) - 1)
        edits += [value[:at] + value[at + 1 :], value[:at] + char + value[at + 1 :]]
    return rand.choice(edits)


def language_for(operator: str, pattern: str) -> Language:
    if operator in ("~", "~*"):
        return Language.from_regex(pattern, case_insensitive=operator == "~*")
    if operator in ("LIKE", "ILIKE"):
        return Language.from_like(pattern, case_insensitive=operator == "ILIKE")
    return Language.from_similar(pattern)


def test_postgresql_accepts_what_we_generate(make_db: Callable[[str], str]) -> None:
    """The one test that asks PostgreSQL: CHECKs on a table, then `s OP pattern` batch by batch."""
    dsn = make_db(
        r"""
        CREATE TABLE tb_device (
            serial_number text NOT NULL UNIQUE CHECK (serial_number ~ '^[A-Z]{3}-[0-9]{6}$'),
            identifier varchar(30) NOT NULL UNIQUE
                CHECK (identifier ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length(identifier) BETWEEN 2 AND 30),
            email text NOT NULL UNIQUE CHECK (email LIKE '%_@_%._%' AND char_length(email) <= 40),
            code text NOT NULL CHECK (code SIMILAR TO '[A-Z]{2}[0-9]+'),
            vat text NOT NULL CHECK (vat ~* '^[a-z]{2}\d{8,12}$')
        );
        """
    )
    rows = 2000
    columns = {
        "serial_number": Language.from_regex(SERIAL).sample(rng(1), rows, unique=True),
        "identifier": Language.from_regex(SLUG).sample(rng(2), rows, 2, 30, unique=True),
        "email": Language.from_like(EMAIL_LIKE).sample(rng(3), rows, 0, 40, unique=True),
        "code": Language.from_similar("[A-Z]{2}[0-9]+").sample(rng(4), rows, 0, 12),
        "vat": Language.from_regex(r"^[a-z]{2}\d{8,12}$", case_insensitive=True).sample(rng(5), rows),
    }
    probes = random.Random(0)
    with psycopg.connect(dsn) as conn:
        copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier("tb_device"), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        with conn.cursor() as cur, cur.copy(copy_sql) as copy:
            for row in zip(*columns.values(), strict=True):
                copy.write_row(row)
        assert conn.execute("SELECT count(*) FROM tb_device").fetchone() == (rows,)

        for operator, pattern, max_len in CHECKED_BY_POSTGRES:
            lang = language_for(operator, pattern)
            generated = lang.sample(rng(), 300, 0, max_len)
            near_misses = [mutated(s, probes) for s in generated]
            query = sql.SQL("SELECT s {} %s FROM unnest(%s::text[]) AS s").format(sql.SQL(operator))
            verdicts = [v for (v,) in conn.execute(query, (pattern, generated + near_misses)).fetchall()]
            assert verdicts[: len(generated)] == [True] * len(generated), (operator, pattern)
            assert [lang.matches(s) for s in near_misses] == verdicts[len(generated) :], (operator, pattern)


@pytest.mark.parametrize("pattern", ["^[A-Z]{3}-[0-9]{2}$", "^[a-z][a-z0-9-]{2,30}$", "^(ab|cd)+x?$"])
def test_by_rank_is_distinct_across_blocks(pattern: str) -> None:
    """Rows drawn in separate blocks (any subsets of row numbers) never share a string."""
    lang = Language.from_regex(pattern)
    population = 3_000
    blocks = np.array_split(np.arange(population, dtype=np.int64), 7)
    strings = [s for block in blocks for s in lang.by_rank(block, key=12345, population=population, max_len=31)]
    assert len(set(strings)) == population
    assert all(re.fullmatch(pattern[1:-1], s) for s in strings)
    again = lang.by_rank(blocks[3], key=12345, population=population, max_len=31)
    assert again == strings[sum(b.size for b in blocks[:3]):][:blocks[3].size]  # a block is the same on its own


def test_by_rank_fills_a_language_exactly() -> None:
    lang = Language.from_regex("^[ab]{2,3}$")  # 4 + 8 strings
    strings = lang.by_rank(np.arange(12, dtype=np.int64), key=7, population=12)
    assert len(strings) == 12
    assert set(strings) == {a + b for a in "ab" for b in "ab"} | {a + b + c for a in "ab" for b in "ab" for c in "ab"}
