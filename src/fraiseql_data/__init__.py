"""fraiseql-data: rows that every CHECK, UNIQUE and FOREIGN KEY of a PostgreSQL schema accepts."""

from fraiseql_data.api import SeedBuilder, Seeds, load_schema, ref, seed_data
from fraiseql_data.config import find_config, load_config
from fraiseql_data.errors import (
    CapacityError,
    ConfigError,
    ConnectionFailedError,
    CycleError,
    DDLSyntaxError,
    FraiseQLDataError,
    NoServerBinariesError,
    SeedingError,
    TrinityIdError,
    UnknownTableError,
    UnsatisfiableError,
    UnsupportedError,
)
from fraiseql_data.generate import Dataset, SeedOptions, generate
from fraiseql_data.run import seed_connection, seed_dsn
from fraiseql_data.schema.introspect import introspect
from fraiseql_data.schema.model import Schema
from fraiseql_data.server import EmbeddedPostgres

__all__ = [
    "CapacityError",
    "ConfigError",
    "ConnectionFailedError",
    "CycleError",
    "DDLSyntaxError",
    "Dataset",
    "EmbeddedPostgres",
    "FraiseQLDataError",
    "NoServerBinariesError",
    "Schema",
    "SeedBuilder",
    "SeedOptions",
    "SeedingError",
    "Seeds",
    "TrinityIdError",
    "UnknownTableError",
    "UnsatisfiableError",
    "UnsupportedError",
    "find_config",
    "generate",
    "introspect",
    "load_config",
    "load_schema",
    "ref",
    "seed_connection",
    "seed_data",
    "seed_dsn",
]
