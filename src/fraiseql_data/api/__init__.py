"""The Python front for tests: build rows with `SeedBuilder`, read them as `Seeds`."""

from fraiseql_data.api.builder import Batch, Handle, SeedBuilder
from fraiseql_data.api.markers import seed_data
from fraiseql_data.api.overrides import OverrideError, Ref, ref
from fraiseql_data.api.schema_source import load_schema
from fraiseql_data.api.seeds import SeedRow, Seeds, SeedTable

__all__ = ["Batch", "Handle", "OverrideError", "Ref", "SeedBuilder", "SeedRow", "SeedTable", "Seeds", "load_schema",
           "ref", "seed_data"]
