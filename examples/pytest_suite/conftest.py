"""The example suite's own fixtures: the schema model, read once from the DDL file for Hypothesis."""

from __future__ import annotations

from pathlib import Path

from fraiseql_data import load_schema

SCHEMA = load_schema(Path(__file__).parents[1] / "catalog" / "schema.sql")
