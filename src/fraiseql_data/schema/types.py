"""PostgreSQL's built-in type names, as written in DDL and as the catalog reports them.

DDL spells a type many ways (`int`, `int4`, `INTEGER`, `pg_catalog.int4`);
`format_type(oid, NULL)` knows one (`integer`). Both readers must agree, so the
DDL reader maps every spelling through these tables. Unquoted spellings
include the SQL-standard keywords (`double precision`, `character varying`);
a quoted name matches only a catalog type name exactly (`"char"` is the
one-byte type, `"Name"` is no built-in at all).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fraiseql_data.schema.model import TypeRef

# Catalog type name (pg_type.typname) -> format_type(oid, NULL), where they differ.
_RENAMED_TYPNAMES: Mapping[str, str] = {
    "int2": "smallint",
    "int4": "integer",
    "int8": "bigint",
    "float4": "real",
    "float8": "double precision",
    "bool": "boolean",
    "varchar": "character varying",
    "bpchar": "character",
    "char": '"char"',
    "varbit": "bit varying",
    "time": "time without time zone",
    "timetz": "time with time zone",
    "timestamp": "timestamp without time zone",
    "timestamptz": "timestamp with time zone",
}

# Built-in types whose catalog name is already what format_type prints.
_PLAIN_TYPNAMES = frozenset(
    {
        "numeric", "text", "name", "bytea", "date", "interval", "uuid", "json", "jsonb", "jsonpath", "xml",
        "inet", "cidr", "macaddr", "macaddr8", "bit", "money", "point", "line", "lseg", "box", "path",
        "polygon", "circle", "tsvector", "tsquery", "int4range", "int8range", "numrange", "tsrange",
        "tstzrange", "daterange", "int4multirange", "int8multirange", "nummultirange", "tsmultirange",
        "tstzmultirange", "datemultirange", "oid", "regclass", "regtype", "regproc", "regprocedure",
        "regoper", "regoperator", "regconfig", "regdictionary", "regnamespace", "regrole", "regcollation",
        "tid", "xid", "xid8", "cid", "pg_lsn", "pg_snapshot", "txid_snapshot", "refcursor", "aclitem",
        "int2vector", "oidvector"
    }
)  # fmt: skip

# pg_type.typname -> canonical name: what a quoted or pg_catalog-qualified name may match.
CATALOG_TYPES: Mapping[str, str] = {
    **{name: name for name in _PLAIN_TYPNAMES},
    **_RENAMED_TYPNAMES,
}

# The grammar's own spellings (unquoted only), on top of the catalog names.
KEYWORD_TYPES: Mapping[str, str] = {
    "int": "integer",
    "integer": "integer",
    "smallint": "smallint",
    "bigint": "bigint",
    "real": "real",
    "double precision": "double precision",
    "float": "double precision",
    "decimal": "numeric",
    "dec": "numeric",
    "boolean": "boolean",
    "character varying": "character varying",
    "char varying": "character varying",
    "nchar varying": "character varying",
    "national character varying": "character varying",
    "national char varying": "character varying",
    "character": "character",
    "char": "character",
    "nchar": "character",
    "national character": "character",
    "national char": "character",
    "bit varying": "bit varying",
    "time without time zone": "time without time zone",
    "time with time zone": "time with time zone",
    "timestamp without time zone": "timestamp without time zone",
    "timestamp with time zone": "timestamp with time zone",
}

# Keyword spellings whose omitted length means 1: `char` is character(1), `bit` is bit(1).
_DEFAULT_LENGTH_ONE = frozenset({"character", "char", "nchar", "national character", "national char", "bit"})

# serial pseudo-types: the integer type they stand for (the column also gets NOT NULL and a sequence).
SERIAL_TYPES: Mapping[str, str] = {
    "smallserial": "smallint",
    "serial2": "smallint",
    "serial": "integer",
    "serial4": "integer",
    "bigserial": "bigint",
    "serial8": "bigint",
}

_FLOAT4_MAX_PRECISION = 24  # float(p) is real up to 24 binary digits, double precision above


def canonical_type(
    name: str, modifiers: Sequence[int] = (), array_dims: int = 0, *, quoted: bool = False
) -> TypeRef | None:
    """The built-in type `name` denotes, with its modifiers normalised; None if it is no built-in.

    `name` is the type as written, without a `pg_catalog.` qualifier: for an
    unquoted name, lower-case words separated by single spaces (`double
    precision`, `timestamp with time zone`); for a quoted one, the exact text.
    """
    canonical = CATALOG_TYPES.get(name) if quoted else KEYWORD_TYPES.get(name) or CATALOG_TYPES.get(name)
    if canonical is None:
        if name.startswith("_") and (element := canonical_type(name[1:], modifiers, quoted=True)):
            return TypeRef(element.name, element.modifiers, array_dims + 1)  # `_int4` is int4's array type
        return None
    mods = tuple(modifiers)
    if name == "float" and not quoted:
        canonical = "real" if mods and mods[0] <= _FLOAT4_MAX_PRECISION else "double precision"
        mods = ()
    elif canonical == "numeric" and len(mods) == 1:
        mods = (mods[0], 0)
    elif not mods and not quoted and name in _DEFAULT_LENGTH_ONE:
        mods = (1,)
    return TypeRef(canonical, mods, array_dims)
