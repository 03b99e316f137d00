"""Values made of random bits: uuid, bytea and bit strings, built as byte matrices."""

from __future__ import annotations

import numpy as np

from fraiseql_data.schema.model import TypeRef
from fraiseql_data.values.literal import concat, hex_bytes, to_strings

MAX_BYTEA_BYTES = 16
MAX_VARBIT_BITS = 64  # bit varying values stay short whatever the declared limit


def random_bytes(rng: np.random.Generator, n: int, width: int) -> np.ndarray:
    return rng.integers(0, 256, size=(n, width), dtype=np.uint8)


def sample_uuids(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """Random (version 4) UUIDs in the canonical 8-4-4-4-12 form."""
    data = random_bytes(rng, n, 16)
    data[:, 6] = (data[:, 6] & 0x0F) | 0x40
    data[:, 8] = (data[:, 8] & 0x3F) | 0x80
    h = hex_bytes(data)
    return to_strings(concat(n, h[:, :8], "-", h[:, 8:12], "-", h[:, 12:16], "-", h[:, 16:20], "-", h[:, 20:]))


def _cut(chars: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """NUL out every column at or past each row's length (to_strings then drops them)."""
    chars = chars.copy()
    chars[np.arange(chars.shape[1]) >= lengths[:, None]] = 0
    return chars


def sample_bytea(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """0..16 random bytes in bytea's hex format, `\\x0a1b2c`."""
    lengths = rng.integers(0, MAX_BYTEA_BYTES, endpoint=True, size=n)
    return to_strings(concat(n, "\\x", _cut(hex_bytes(random_bytes(rng, n, MAX_BYTEA_BYTES)), lengths * 2)))


def sample_bits(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """bit(n) gets exactly n bits (bare `bit` is bit(1)); bit varying(n) 1..min(n, 64) bits."""
    if type.name == "bit":
        width = type.modifiers[0] if type.modifiers else 1
    else:
        width = min(type.modifiers[0], MAX_VARBIT_BITS) if type.modifiers else MAX_VARBIT_BITS
    bits = np.unpackbits(random_bytes(rng, n, (width + 7) // 8), axis=1, count=width) + np.uint8(ord("0"))
    if type.name == "bit":
        return to_strings(bits)
    return to_strings(_cut(bits, rng.integers(1, width, endpoint=True, size=n)))
