"""Network addresses: inet, cidr, macaddr and macaddr8.

Addresses are mostly IPv4 (1.x to 223.x, never multicast), a fifth IPv6 in the
unique-local range fd00::/8. A cidr value never has bits set past its prefix,
which PostgreSQL would reject; inet values may, as inet allows.
"""

from __future__ import annotations

import numpy as np

from fraiseql_data.schema.model import TypeRef
from fraiseql_data.values.binary import random_bytes
from fraiseql_data.values.literal import (
    concat,
    grouped,
    hex_bytes,
    integer_chars,
    only_where,
    text_matrix,
    to_strings,
    where_rows,
)

IPV6_SHARE = 0.2
INET_PREFIX_SHARE = 0.25  # inet values written with a /prefix
_OCTETS = text_matrix([str(i) for i in range(256)])  # "7" is padded with NULs to three bytes


def _masked(data: np.ndarray, prefix: np.ndarray) -> np.ndarray:
    """Clear every bit at or past each row's prefix length."""
    bits = np.unpackbits(data, axis=1)
    bits[np.arange(bits.shape[1]) >= prefix[:, None]] = 0
    return np.packbits(bits, axis=1)


def _ipv4_chars(data: np.ndarray) -> np.ndarray:
    """Dotted quad, `192.168.1.5`: each byte looked up as its decimal text."""
    return grouped(_OCTETS.take(data, axis=0).reshape(len(data), 12), 3, ".")


def _ipv6_chars(data: np.ndarray) -> np.ndarray:
    """Eight colon-separated groups of four hex digits (the uncompressed form)."""
    return grouped(hex_bytes(data), 4, ":")


def _addresses(rng: np.random.Generator, n: int, cidr: bool) -> list[str]:
    v6 = rng.random(n) < IPV6_SHARE
    v4_data = random_bytes(rng, n, 4)
    v4_data[:, 0] = rng.integers(1, 223, endpoint=True, size=n)
    v6_data = random_bytes(rng, n, 16)
    v6_data[:, 0] = 0xFD
    v4_prefix = rng.integers(8, 32, endpoint=True, size=n)
    prefix = np.where(v6, rng.integers(48, 128, endpoint=True, size=n), v4_prefix)
    if cidr:
        v4_data, v6_data = _masked(v4_data, prefix), _masked(v6_data, prefix)
    text = where_rows(v6, _ipv6_chars(v6_data), _ipv4_chars(v4_data))
    with_prefix = np.ones(n, dtype=bool) if cidr else rng.random(n) < INET_PREFIX_SHARE
    return to_strings(concat(n, text, only_where(concat(n, "/", integer_chars(prefix)), with_prefix)))


def sample_inet(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    return _addresses(rng, n, cidr=type.name == "cidr")


def sample_macaddr(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """`08:00:2b:01:02:03` (six bytes) or, for macaddr8, eight."""
    width = 8 if type.name == "macaddr8" else 6
    return to_strings(grouped(hex_bytes(random_bytes(rng, n, width)), 2, ":"))
