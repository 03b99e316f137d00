"""FraiseQL Trinity tables: `pk_<entity>` identity, `id` UUID, `identifier` slug.

The `id` of a Trinity row is a fraiseql-uuid pattern UUID that decodes back to
(table code, scenario, test case, row number), so a UUID seen in a log says
where it came from: which table, which run or test, which row. Table codes are
derived from table names, deterministically, and made distinct across the
schema; a config may pin some of them. `uuid="random"` gives plain random
UUID v4s instead, still a pure function of (seed, table, row).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

import numpy as np
from fraiseql_uuid import Pattern

from fraiseql_data.errors import TrinityIdError
from fraiseql_data.schema.model import Schema, Table

if TYPE_CHECKING:
    from fraiseql_data.solver.table import GenerateOptions

UUIDMode = Literal["pattern", "random"]
UUID_MODES: tuple[UUIDMode, ...] = ("pattern", "random")
CODE_SPACE = 1_000_000  # six digits of table code
SCENARIOS = 10_000  # four digits of scenario
TEST_CASES = 100  # two digits of test case
INSTANCES = 10**12  # twelve digits of row number


def entity(table: Table) -> str:
    return table.name.removeprefix("tb_")


def is_trinity(table: Table) -> bool:
    names = table.column_map
    id_column = names.get("id")
    return f"pk_{entity(table)}" in names and id_column is not None and id_column.type.name == "uuid"


def derived_codes(schema: Schema) -> dict[str, int]:
    """A distinct code per Trinity table from its name alone, stable under adding other tables."""
    codes: dict[str, int] = {}
    used: set[int] = set()
    for table in sorted((t for t in schema.tables if is_trinity(t)), key=lambda t: t.qualified):
        digest = hashlib.blake2b(table.qualified.encode(), digest_size=8).digest()
        code = int.from_bytes(digest, "big") % (CODE_SPACE - 1) + 1
        while code in used:
            code = code % (CODE_SPACE - 1) + 1
        used.add(code)
        codes[table.qualified] = code
    return codes


@lru_cache(maxsize=64)
def table_codes(schema: Schema, pinned: tuple[tuple[str, int], ...] = ()) -> dict[str, int]:
    """Each Trinity table's code: `pinned` ones (qualified name, code) as given, the others derived.

    A pinned code must fit six digits, belong to a Trinity table and differ from every other
    table's code: two tables sharing a code would give the same UUIDs.
    """
    codes = derived_codes(schema)
    owner = {code: name for name, code in codes.items()}
    pins = dict(pinned)
    for name, code in pinned:
        if not 0 <= code < CODE_SPACE:
            raise TrinityIdError(f"table code {code} of {name} is out of range",
                                 f"use 0 to {CODE_SPACE - 1} (six digits)", (name,))
        if name not in codes:
            raise TrinityIdError(f"{name} has a table code but is not a Trinity table",
                                 "only tables with pk_<entity> and a uuid `id` get pattern ids", (name,))
        other = next((n for n, c in pins.items() if c == code and n != name), None)
        if other is None and owner.get(code, name) != name and owner[code] not in pins:
            other = owner[code]
        if other is not None:
            taken = "given to" if other in pins else "derived for"
            raise TrinityIdError(f"table code {code} of {name} is also {taken} {other}",
                                 f"give {name} another code (`fraiseql-data introspect` lists the tables)",
                                 (name, other))
    return codes | pins


def check_ids(schema: Schema, options: GenerateOptions) -> None:
    """Raise before generating anything when the options cannot give distinct, decodable ids."""
    if not 0 <= options.scenario < SCENARIOS:
        raise TrinityIdError(f"scenario {options.scenario} is out of range", f"use 0 to {SCENARIOS - 1}")
    if not 0 <= options.test_case < TEST_CASES:
        raise TrinityIdError(f"test case {options.test_case} is out of range", f"use 0 to {TEST_CASES - 1}")
    if options.uuid not in UUID_MODES:
        raise TrinityIdError(f"uuid mode {options.uuid!r} is unknown", "use 'pattern' or 'random'")
    table_codes(schema, options.table_codes)


def trinity_ids(schema: Schema, table: Table, column: str, n: int, *, options: GenerateOptions,
                start: int = 0) -> list[str] | None:
    """UUIDs for rows start+1 .. start+n of a Trinity table's `id` column (None for any other column).

    Row i of the table always gets the same UUID, whichever block it is generated in.
    """
    if column != "id" or not is_trinity(table):
        return None
    if options.uuid == "random":
        return random_ids(options.seed, table.qualified, start, n)
    if start + n >= INSTANCES:
        raise TrinityIdError(f"{table.qualified} has more rows than the 12 digits of a pattern id hold",
                             "pass --uuid random", (table.qualified,))
    code = table_codes(schema, options.table_codes)[table.qualified]
    prefix = Pattern().generate(table_code=f"{code:06d}", instance=0, scenario=options.scenario,
                                test_case=options.test_case)[:-12]
    return [f"{prefix}{i:012d}" for i in range(start + 1, start + n + 1)]


def random_ids(seed: int, table: str, start: int, n: int) -> list[str]:
    """Random UUID v4s for rows start .. start+n-1: a counter-based stream, so row i's UUID is fixed."""
    key = int.from_bytes(hashlib.blake2b(f"{seed}\x1f{table}\x1fid".encode(), digest_size=16).digest(), "big")
    raw = np.random.Philox(key=key, counter=start).random_raw(4 * n).reshape(n, 4)[:, :2]
    octets = np.ascontiguousarray(raw, dtype="<u8").view(np.uint8).reshape(n, 16).copy()
    octets[:, 6] = (octets[:, 6] & 0x0F) | 0x40  # version 4
    octets[:, 8] = (octets[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
    digits = octets.tobytes().hex()
    return [f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
            for h in (digits[32 * i:32 * i + 32] for i in range(n))]


def pinned_codes(schema: Schema, codes: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    """User-given table codes keyed by qualified name (a bare name resolves as elsewhere), sorted."""
    return tuple(sorted((schema.table(name).qualified, code) for name, code in codes.items()))
