"""The names PostgreSQL gives to what a DDL statement leaves unnamed.

A DDL file rarely names its constraints, yet errors, the coverage report and the
comparison with a live catalog all go by PostgreSQL's names, so the DDL reader
must choose them exactly as the server does: `makeObjectName`,
`ChooseConstraintName` / `ChooseRelationName` (a numeric suffix on collision)
and `ChooseIndexNameAddition` / `ChooseIndexColumnNames` from
src/backend/commands/indexcmds.c and src/backend/catalog/pg_constraint.c.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

NAMEDATALEN = 64  # PostgreSQL's compile-time limit: names hold at most 63 bytes


def _clip(name: str, max_bytes: int) -> str:
    """The longest prefix of whole characters that fits in `max_bytes` UTF-8 bytes (pg_mbcliplen)."""
    encoded = name.encode()
    if len(encoded) <= max_bytes:
        return name
    return encoded[:max_bytes].decode(errors="ignore")


def truncate_identifier(name: str) -> str:
    """An identifier as stored: cut to 63 bytes, as the parser does with a NOTICE."""
    return _clip(name, NAMEDATALEN - 1)


def make_object_name(name1: str, name2: str | None, label: str | None) -> str:
    """`name1_name2_label`, shortening the longer of name1/name2 first so the whole fits in 63 bytes."""
    overhead = (1 if name2 is not None else 0) + (len(label.encode()) + 1 if label else 0)
    available = NAMEDATALEN - 1 - overhead
    len1 = len(name1.encode())
    len2 = len(name2.encode()) if name2 is not None else 0
    while len1 + len2 > available:
        if len1 > len2:
            len1 -= 1
        else:
            len2 -= 1
    parts = [_clip(name1, len1)]
    if name2 is not None:
        parts.append(_clip(name2, len2))
    if label:
        parts.append(label)
    return "_".join(parts)


def choose_name(name1: str, name2: str | None, label: str, is_taken: Callable[[str], bool]) -> str:
    """The first of `name1_name2_label`, `..._label1`, `..._label2`, ... that is not taken."""
    candidate = make_object_name(name1, name2, label)
    attempt = 0
    while is_taken(candidate):
        attempt += 1
        candidate = make_object_name(name1, name2, f"{label}{attempt}")
    return candidate


def name_addition(column_names: Sequence[str]) -> str:
    """Column names joined by `_`, stopping once the result is already too long for a name."""
    joined = ""
    for name in column_names:
        if joined:
            joined += "_"
        joined += name
        if len(joined.encode()) >= NAMEDATALEN:
            break
    return joined


def index_column_names(elements: Sequence[str | None]) -> list[str]:
    """Per index element: its column name or the name its expression suggests (None: `expr`),
    made distinct with numeric suffixes."""
    chosen: list[str] = []
    for element in elements:
        original = element or "expr"
        candidate = original
        suffix = 0
        while candidate in chosen:
            suffix += 1
            candidate = _clip(original, NAMEDATALEN - 1 - len(str(suffix))) + str(suffix)
        chosen.append(candidate)
    return chosen
