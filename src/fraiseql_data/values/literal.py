"""Building blocks of PostgreSQL text literals: byte-matrix formatting and quoting.

Values are built as (n, width) matrices of UTF-8 bytes — digits, separators,
words — and turned into n Python strings in one pass (`to_strings`): numpy
does the arithmetic, one `bytes.decode` and one `str.split` do the rest, which
is what keeps 100k values within a few tens of milliseconds. A NUL byte anywhere in a row
is padding and disappears, so the same matrices carry variable-width values
(numbers without leading zeros, optional signs and suffixes, phrases).

The quoting rules are those of PostgreSQL's own output functions, so an
element or field is quoted exactly where `array_out` or `record_out` would.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

_DIGITS_LOWER = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_DIGITS_UPPER = np.frombuffer(b"0123456789ABCDEF", dtype=np.uint8)
_HEX_PAIRS = np.frombuffer(b"".join(b"%02x" % i for i in range(256)), dtype=np.uint8).reshape(256, 2)

# Characters that force double quotes around an array element (`;` is box's delimiter)
# or a composite field.
_ARRAY_SPECIAL = re.compile(r'[{}",\\;\s]')
_RECORD_SPECIAL = re.compile(r'[",\\()\s]')


def to_strings(chars: np.ndarray) -> list[str]:
    """The rows of an (n, width) UTF-8 byte matrix as strings, NUL bytes dropped.

    Rows must not contain newlines (they separate the rows on the way out).
    """
    n, width = chars.shape
    lines = np.empty((n, width + 1), dtype=np.uint8)
    lines[:, :width] = chars
    lines[:, width] = ord("\n")
    flat = lines.ravel()
    if not flat.all():
        flat = flat[flat != 0]
    return flat.tobytes().decode().split("\n")[:-1]


def digits(values: np.ndarray, width: int, base: int = 10, upper: bool = False) -> np.ndarray:
    """Zero-padded digits of non-negative integers as an (n, width) matrix."""
    table = _DIGITS_UPPER if upper else _DIGITS_LOWER
    out = np.empty((len(values), width), dtype=np.uint8)
    rest = values.astype(np.uint64)
    for column in range(width - 1, -1, -1):
        rest, digit = np.divmod(rest, np.uint64(base))
        out[:, column] = table.take(digit)
    return out


def integer_chars(values: np.ndarray, base: int = 10, upper: bool = False) -> np.ndarray:
    """Signed int64s in base 10 or 16 as a matrix padded with NULs, so without leading zeros."""
    values = values.astype(np.int64)
    negative = values < 0
    magnitude = values.astype(np.uint64)
    magnitude[negative] = ~magnitude[negative] + np.uint64(1)  # two's complement: |int64 min| fits
    largest = int(magnitude.max()) if len(values) else 0
    width = max(1, (largest.bit_length() + 3) // 4 if base == 16 else len(str(largest)))
    chars = digits(magnitude, width, base, upper)
    powers = np.uint64(base) ** np.arange(width - 1, 0, -1, dtype=np.uint64)
    chars[:, :-1][magnitude[:, None] < powers] = 0  # leading zeros, never the units digit
    sign = np.where(negative, ord("-"), 0).astype(np.uint8)
    return np.hstack([sign[:, None], chars])


def hex_bytes(data: np.ndarray) -> np.ndarray:
    """Lower-case hex of an (n, k) uint8 matrix as an (n, 2k) matrix."""
    return _HEX_PAIRS.take(data, axis=0).reshape(data.shape[0], data.shape[1] * 2)


def text_matrix(strings: Sequence[str]) -> np.ndarray:
    """UTF-8 bytes of each string, NUL-padded to a common width: a table to index rows from."""
    encoded = [s.encode() for s in strings]
    out = np.zeros((len(encoded), max(map(len, encoded), default=0)), dtype=np.uint8)
    for row, data in zip(out, encoded, strict=True):
        row[: len(data)] = np.frombuffer(data, dtype=np.uint8)
    return out


def concat(n: int, *parts: np.ndarray | str) -> np.ndarray:
    """Join matrices and literal separators column-wise into one (n, width) matrix."""
    columns = [
        part if isinstance(part, np.ndarray) else np.broadcast_to(text_matrix([part]), (n, len(part.encode())))
        for part in parts
    ]
    return np.hstack(columns)


def only_where(chars: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """The matrix with every row where `keep` is false blanked to NULs (an absent part)."""
    return np.where(keep[:, None], chars, np.uint8(0))


def where_rows(condition: np.ndarray, chosen: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Row-wise choice between two matrices of any widths (the narrower is NUL-padded)."""
    width = max(chosen.shape[1], other.shape[1])
    chosen = np.pad(chosen, ((0, 0), (0, width - chosen.shape[1])))
    other = np.pad(other, ((0, 0), (0, width - other.shape[1])))
    return np.where(condition[:, None], chosen, other)


def grouped(chars: np.ndarray, size: int, sep: str) -> np.ndarray:
    """Put a one-character separator between every `size` columns: `0a1b2c` -> `0a:1b:2c`."""
    n, width = chars.shape
    groups = chars.reshape(n, width // size, size)
    separators = np.full((n, width // size, 1), ord(sep), dtype=np.uint8)
    return np.concatenate([groups, separators], axis=2).reshape(n, -1)[:, :-1]


def pick(choices: Sequence[str], rng: np.random.Generator, n: int) -> list[str]:
    """n strings drawn uniformly from `choices`."""
    return [choices[i] for i in rng.integers(0, len(choices), size=n).tolist()]


def join_groups(items: Sequence[str], counts: Sequence[int], sep: str) -> list[str]:
    """Consecutive runs of `items`, `counts[i]` long, each joined with `sep`."""
    out, start = [], 0
    for count in counts:
        out.append(sep.join(items[start : start + count]))
        start += count
    return out


def quote_array_element(value: str) -> str:
    """An element of an array literal, quoted when `array_in` would misread it bare."""
    if value and not _ARRAY_SPECIAL.search(value) and value.upper() != "NULL":
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def quote_array_elements(values: list[str]) -> list[str]:
    """`quote_array_element` of each value; one scan of the batch usually shows none needs it."""
    joined = "".join(values)
    if all(values) and not _ARRAY_SPECIAL.search(joined) and "null" not in joined.lower():
        return values
    return [quote_array_element(v) for v in values]


def quote_record_field(value: str) -> str:
    """A field of a composite (row) literal, quoted as `record_out` quotes it."""
    if value and not _RECORD_SPECIAL.search(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '""') + '"'


def quote_record_fields(values: list[str]) -> list[str]:
    """`quote_record_field` of each value; one scan of the batch usually shows none needs it."""
    if all(values) and not _RECORD_SPECIAL.search("".join(values)):
        return values
    return [quote_record_field(v) for v in values]


def quote_hstore(value: str) -> str:
    """A key or value of an hstore literal (always quoted, backslash-escaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def by_table(values: np.ndarray, text: Callable[[np.ndarray], list[str]]) -> list[str]:
    """Text for int64 values through a table of their range when it is small (dates span a few
    thousand days): each distinct string is made once, and rows only index it."""
    if values.size == 0:
        return []
    lo, hi = int(values.min()), int(values.max())
    if hi - lo > 2 * values.size:
        return text(values)
    table = np.array(text(np.arange(lo, hi + 1, dtype=np.int64)), dtype=object)
    return table[values - lo].tolist()
