"""FraiseQL Trinity tables: `pk_<entity>` identity, `id` UUID, `identifier` slug.

The `id` of a Trinity row is a fraiseql-uuid pattern UUID that decodes back to
(table code, row number), so a UUID seen in a log says where it came from.
Table codes are derived from table names, deterministically, and made
distinct across the schema.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from fraiseql_uuid import Pattern

from fraiseql_data.schema.model import Schema, Table

CODE_SPACE = 1_000_000


def entity(table: Table) -> str:
    return table.name.removeprefix("tb_")


def is_trinity(table: Table) -> bool:
    names = table.column_map
    id_column = names.get("id")
    return f"pk_{entity(table)}" in names and id_column is not None and id_column.type.name == "uuid"


@lru_cache(maxsize=64)
def table_codes(schema: Schema) -> dict[str, int]:
    """A distinct six-digit code per Trinity table, stable under adding other tables."""
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


def trinity_ids(schema: Schema, table: Table, column: str, n: int, *, start: int = 0, scenario: int = 0,
                test_case: int = 0) -> list[str] | None:
    """Pattern UUIDs for a Trinity table's `id` column (None for any other column): rows
    start+1 .. start+n, numbered as the table's rows are."""
    if column != "id" or not is_trinity(table):
        return None
    code = table_codes(schema)[table.qualified]
    pattern = Pattern()
    prefix = pattern.generate(table_code=f"{code:06d}", instance=0, scenario=scenario, test_case=test_case)[:-12]
    return [f"{prefix}{i:012d}" for i in range(start + 1, start + n + 1)]
