"""Seed options from a file: `[tool.fraiseql-data]` in pyproject.toml, or top-level keys in fraiseql-data.toml.

A team writes its row counts, column overrides and Trinity id settings once,
next to its code, instead of on every command line; flags given on the command
line still win. Every key is checked when the file is read (name, type, range),
and the tables and columns it names once the schema is known (`Config.check`),
so a typo is an error naming the key and the file, never a setting silently
ignored.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from fraiseql_data.errors import ConfigError, FraiseQLDataError, TrinityIdError, UnknownTableError
from fraiseql_data.generate import SeedOptions
from fraiseql_data.schema.model import Schema
from fraiseql_data.values.identity import CODE_SPACE, SCENARIOS, TEST_CASES, UUID_MODES, pinned_codes, table_codes
from fraiseql_data.values.overrides import maker

CONFIG_FILE = "fraiseql-data.toml"
PYPROJECT = "pyproject.toml"
SECTION = "tool.fraiseql-data"
TRINITY_KEYS = ("uuid", "scenario", "test_case", "table_codes")
T = TypeVar("T")


def parse_moment(text: str) -> dt.datetime:
    """An ISO date or timestamp; without a time zone, UTC (ValueError if it is neither)."""
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Config:
    """A read config file: the options it sets, and where each table it names appears."""

    path: Path
    options: SeedOptions
    tables: Mapping[str, str]  # table name as written → the first key naming it (for errors)

    def check(self, schema: Schema) -> None:
        """Raise ConfigError, naming the key and the file, for a table, column or table code the schema refutes."""
        for name, key in self.tables.items():
            try:
                table = schema.table(name)
            except UnknownTableError as error:
                raise ConfigError(str(self.path), key, str(error)) from None
            for column in self.options.overrides.get(name, {}):
                found = table.column_map.get(column)
                if found is None or found.generated is not None:
                    written = ", ".join(c.name for c in table.columns if c.generated is None)
                    raise ConfigError(str(self.path), f"{self.prefix}overrides.{quoted(name)}.{column}",
                                      f"{column!r} is not a written column of {table.qualified} (columns: {written})")
        try:
            table_codes(schema, pinned_codes(schema, self.options.table_codes))
        except TrinityIdError as error:
            name = next(n for n in self.options.table_codes if schema.table(n).qualified == error.tables[0])
            raise ConfigError(str(self.path), f"{self.prefix}trinity.table_codes.{quoted(name)}", str(error)) \
                from None

    @property
    def prefix(self) -> str:
        return f"{SECTION}." if self.path.name == PYPROJECT else ""


def find_config(directory: Path | None = None) -> Path | None:
    """fraiseql-data.toml in `directory` (default: the current one), else a pyproject.toml with our section."""
    where = directory or Path()  # relative, so errors name the file as the user knows it
    if (where / CONFIG_FILE).is_file():
        return where / CONFIG_FILE
    pyproject = where / PYPROJECT
    if pyproject.is_file() and "fraiseql-data" in parse(pyproject).get("tool", {}):
        return pyproject
    return None


def load_config(path: str | Path | None = None, schema: Schema | None = None) -> SeedOptions:
    """SeedOptions from a config file (None: the one `find_config` finds, or the defaults if there is none).

    With `schema`, the tables, columns and table codes the file names are checked too
    (otherwise seeding reports an unknown one as it reaches it, without naming the file).
    """
    found = Path(path) if path is not None else find_config()
    if found is None:
        return SeedOptions()
    config = read_config(found)
    if schema is not None:
        config.check(schema)
    return config.options


def parse(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(str(path), "(file)", f"cannot be read: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(str(path), "(file)", f"is not valid TOML: {error}") from None


def read_config(path: Path) -> Config:
    """Read and check every key of a config file (pyproject.toml: its [tool.fraiseql-data] table)."""
    document = parse(path)
    if path.name == PYPROJECT:
        section = document.get("tool", {}).get("fraiseql-data")
        if not isinstance(section, dict):
            raise ConfigError(str(path), f"[{SECTION}]", "no such table: the settings go under it")
        return Reader(path, f"{SECTION}.").read(section)
    return Reader(path, "").read(document)


def quoted(name: str) -> str:
    return f'"{name}"' if "." in name else name


class Reader:
    """Typed reads of one file's keys; every failure is a ConfigError naming the full key."""

    def __init__(self, path: Path, prefix: str) -> None:
        self.path = path
        self.prefix = prefix
        self.tables: dict[str, str] = {}

    def fail(self, key: str, reason: str) -> ConfigError:
        return ConfigError(str(self.path), self.prefix + key, reason)

    def read(self, top: dict[str, Any]) -> Config:
        defaults = SeedOptions()
        readers: dict[str, Callable[[str, Any], Any]] = {
            "rows": lambda k, v: self.integer(k, v, 0),
            "seed": lambda k, v: self.integer(k, v),
            "strict": self.boolean,
            "allow_opaque": self.boolean,
            "locale": self.string,
            "null_rate": self.rate,
            "as_of": self.moment,
            "rows_for": lambda k, v: self.per_table(k, v, lambda kk, vv: self.integer(kk, vv, 0)),
            "overrides": lambda k, v: self.per_table(k, v, self.columns),
        }
        values: dict[str, Any] = {}
        for key, value in top.items():
            if key == "trinity":
                values |= self.trinity(self.mapping(key, value))
            elif key in readers:
                values[key] = readers[key](key, value)
            else:
                raise self.fail(key, f"unknown key (known: {', '.join([*readers, 'trinity'])})")
        locale = values.get("locale", defaults.locale)
        seed = values.get("seed", defaults.seed)
        for table, columns in values.get("overrides", {}).items():
            for column, spec in columns.items():
                try:
                    maker(spec, locale, seed)
                except FraiseQLDataError as error:
                    raise self.fail(f"overrides.{quoted(table)}.{column}", str(error)) from None
        return Config(self.path, SeedOptions(**values), dict(self.tables))

    def trinity(self, section: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key, value in section.items():
            full = f"trinity.{key}"
            if key == "uuid":
                if value not in UUID_MODES:
                    raise self.fail(full, f"expected one of {', '.join(map(repr, UUID_MODES))}, got {value!r}")
                values["uuid"] = value
            elif key == "scenario":
                values["scenario"] = self.integer(full, value, 0, SCENARIOS - 1)
            elif key == "test_case":
                values["test_case"] = self.integer(full, value, 0, TEST_CASES - 1)
            elif key == "table_codes":
                values["table_codes"] = self.per_table(full, value,
                                                       lambda k, v: self.integer(k, v, 0, CODE_SPACE - 1))
            else:
                raise self.fail(full, f"unknown key (known: {', '.join(TRINITY_KEYS)})")
        return values

    # ── typed values ─────────────────────────────────────────────────────────
    def mapping(self, key: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a table, got {type(value).__name__} {value!r}")
        return value

    def per_table(self, key: str, value: Any, read: Callable[[str, Any], T]) -> dict[str, T]:
        out = {}
        for table, item in self.mapping(key, value).items():
            full = f"{key}.{quoted(table)}"
            self.tables.setdefault(table, self.prefix + full)
            out[table] = read(full, item)
        return out

    def columns(self, key: str, value: Any) -> dict[str, str]:
        return {column: self.spec(f"{key}.{column}", spec) for column, spec in self.mapping(key, value).items()}

    def spec(self, key: str, value: Any) -> str:
        """A --set SPEC; TOML numbers and booleans are taken as the constant they spell."""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str | int | float):
            return str(value)
        raise self.fail(key, f"expected a value SPEC (a string, as for --set), got {type(value).__name__}")

    def integer(self, key: str, value: Any, lo: int | None = None, hi: int | None = None) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(key, f"expected an integer, got {type(value).__name__} {value!r}")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            bounds = f"{lo} to {hi}" if hi is not None else f"at least {lo}"
            raise self.fail(key, f"{value} is out of range ({bounds})")
        return value

    def boolean(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, got {type(value).__name__} {value!r}")
        return value

    def string(self, key: str, value: Any) -> str:
        if not isinstance(value, str):
            raise self.fail(key, f"expected a string, got {type(value).__name__} {value!r}")
        return value

    def rate(self, key: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise self.fail(key, f"expected a number from 0 to 1, got {value!r}")
        return float(value)

    def moment(self, key: str, value: Any) -> dt.datetime:
        """A TOML date or date-time, or an ISO string; without a time zone, UTC."""
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        if isinstance(value, dt.date):
            return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)
        try:
            return parse_moment(cast(str, value))
        except (TypeError, ValueError):
            raise self.fail(key, f"expected a date or timestamp (2026-01-31, 2026-01-31T12:00:00Z), got {value!r}") \
                from None
