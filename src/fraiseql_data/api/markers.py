"""`seed_data(...)`: the pytest marker as a plain decorator, importable without pytest at import time."""

from __future__ import annotations

from typing import Any

MARKER = "seed_data"


def seed_data(table: str, count: int = 10, **overrides: Any) -> Any:
    """`@seed_data("catalog.tb_model", count=7, color=True)`: the `seeds` fixture gets these rows (stackable)."""
    import pytest

    return getattr(pytest.mark, MARKER)(table, count=count, **overrides)
