"""PostgreSQL's DDL grammar, as far as the schema model needs it: statements to syntax records.

sqlglot's postgres parser reads expressions well but much of PostgreSQL's DDL
only partly (`NO INHERIT`, identity sequence options, CREATE DOMAIN, `ALTER
TABLE ... ADD CHECK`, `NULLS NOT DISTINCT` indexes, `ON ONLY`, ...). So the
statement structure is read here, over sqlglot's tokens, following the grammar
in PostgreSQL's documentation, and sqlglot parses only the expressions inside.
A statement of a kind the model does not need is classified by its first words
and never tokenized, so function bodies in any language cannot trip it up.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import TokenType

from fraiseql_data.errors import DDLSyntaxError
from fraiseql_data.schema.ddl_syntax import (
    AddColumn,
    AddConstraint,
    AddEnumValue,
    AddIdentity,
    AlterAction,
    AlterDomain,
    AlterTable,
    AttachPartition,
    CheckDef,
    ColumnDef,
    Constraint,
    CreateComposite,
    CreateDomain,
    CreateEnum,
    CreateIndex,
    CreateOtherType,
    CreateRelation,
    CreateSchema,
    CreateTable,
    DefaultDef,
    DomainDefault,
    DomainNotNull,
    Drop,
    DropColumn,
    DropConstraint,
    DropExpression,
    DropIdentity,
    ExcludeDef,
    ForeignKeyDef,
    GeneratedDef,
    IdentityDef,
    Ignored,
    IndexElement,
    Inherit,
    KeyDef,
    LikeDef,
    Name,
    NotNull,
    Nullable,
    RenameConstraint,
    RenameEnumValue,
    RenameTable,
    SetDefault,
    SetIdentityKind,
    SetNotNull,
    SetSearchPath,
    SetType,
    Skip,
    Syntax,
    TableConstraint,
    Unsupported,
)
from fraiseql_data.schema.model import Identity
from fraiseql_data.schema.sql_cursor import SyntaxProblem, TokenCursor, fold
from fraiseql_data.schema.statements import Statement

# The first word of every PostgreSQL command (and psql's `\` meta-commands are gone by now).
_COMMANDS = frozenset(
    {
        "ABORT", "ALTER", "ANALYZE", "ANALYSE", "BEGIN", "CALL", "CHECKPOINT", "CLOSE", "CLUSTER",
        "COMMENT", "COMMIT", "COPY", "CREATE", "DEALLOCATE", "DECLARE", "DELETE", "DISCARD", "DO", "DROP",
        "END", "EXECUTE", "EXPLAIN", "FETCH", "GRANT", "IMPORT", "INSERT", "LISTEN", "LOAD", "LOCK",
        "MERGE", "MOVE", "NOTIFY", "PREPARE", "REASSIGN", "REFRESH", "REINDEX", "RELEASE", "RESET",
        "REVOKE", "ROLLBACK", "SAVEPOINT", "SECURITY", "SELECT", "SET", "SHOW", "START", "TABLE",
        "TRUNCATE", "UNLISTEN", "UPDATE", "VACUUM", "VALUES", "WITH"
    }
)  # fmt: skip
# Object kinds CREATE/ALTER/DROP accept (first word), after modifiers such as OR REPLACE or TEMP.
_OBJECT_KINDS = frozenset(
    {
        "ACCESS", "AGGREGATE", "CAST", "COLLATION", "CONVERSION", "DATABASE", "DEFAULT", "DOMAIN", "EVENT",
        "EXTENSION", "FOREIGN", "FUNCTION", "GROUP", "INDEX", "LANGUAGE", "LARGE", "MATERIALIZED",
        "OPERATOR", "POLICY", "PROCEDURE", "PUBLICATION", "ROLE", "ROUTINE", "RULE", "SCHEMA", "SEQUENCE",
        "SERVER", "STATISTICS", "SUBSCRIPTION", "SYSTEM", "TABLE", "TABLESPACE", "TEXT", "TRANSFORM",
        "TRIGGER", "TYPE", "USER", "VIEW", "OWNED"
    }
)  # fmt: skip
_CREATE_MODIFIERS = frozenset(
    {
        "OR", "REPLACE", "GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED", "UNIQUE", "RECURSIVE",
        "TRUSTED", "PROCEDURAL", "CONSTRAINT"
    }
)  # fmt: skip
_WORD = re.compile(r"(?:\s+|--[^\n]*|/\*.*?\*/)*([A-Za-z_][A-Za-z_0-9$]*)", re.DOTALL)
_SET_CONFIG_SEARCH_PATH = re.compile(r"set_config\s*\(\s*'search_path'\s*,\s*'((?:[^']|'')*)'", re.IGNORECASE)
_VIEW_NAME = re.compile(
    r"""\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:TEMP|TEMPORARY)\s+)?(?:RECURSIVE\s+)?
        (?:MATERIALIZED\s+)?VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?
        ((?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*))*)""",
    re.IGNORECASE | re.VERBOSE,
)


def head_words(text: str, count: int) -> list[str]:
    """The first `count` words of a statement, upper-cased, skipping comments (no tokenizing)."""
    words: list[str] = []
    pos = 0
    while len(words) < count and (match := _WORD.match(text, pos)):
        words.append(match.group(1).upper())
        pos = match.end()
    return words


def parse_statement(statement: Statement) -> Syntax:
    """Read one statement; DDLSyntaxError if it is malformed or no PostgreSQL command at all."""
    words = head_words(statement.text, 6)
    if statement.text.lstrip().startswith("("):
        return Skip()  # a parenthesised query
    if not words or words[0] not in _COMMANDS:
        shown = words[0] if words else statement.text.strip()[:20]
        raise DDLSyntaxError(statement.line, statement.text, f"{shown!r} does not start any SQL command")
    reader = _STATEMENT_READERS.get(words[0])
    if reader is None:
        return Skip()
    try:
        return reader(statement, words)
    except (ParseError, TokenError) as error:
        raise DDLSyntaxError(statement.line, statement.text, _first_line(str(error))) from None
    except SyntaxProblem as error:
        raise DDLSyntaxError(statement.line, statement.text, str(error)) from None


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "cannot be parsed"


def _created_kind(words: list[str]) -> list[str]:
    """The words after CREATE and its modifiers (`CREATE OR REPLACE TEMP VIEW v` -> VIEW v)."""
    rest = words[1:]
    while rest and rest[0] in _CREATE_MODIFIERS and rest[:2] != ["CONSTRAINT", "TRIGGER"]:
        rest = rest[1:]
    return rest


def _read_create(statement: Statement, words: list[str]) -> Syntax:
    kind = _created_kind(words)
    first = kind[0] if kind else ""
    if first not in _OBJECT_KINDS and first != "CONSTRAINT":
        raise SyntaxProblem(f"CREATE {first or '(nothing)'} is not something PostgreSQL can create")
    if first == "TABLE":
        return _Grammar(statement.text).create_table()
    if first == "INDEX":
        return _Grammar(statement.text).create_index()
    if first == "TYPE":
        return _Grammar(statement.text).create_type()
    if first == "DOMAIN":
        return _Grammar(statement.text).create_domain()
    if first == "SCHEMA":
        return _Grammar(statement.text).create_schema(statement)
    if first == "SEQUENCE":
        return _Grammar(statement.text).create_sequence()
    if first in ("VIEW", "MATERIALIZED") or kind[:2] == ["RECURSIVE", "VIEW"]:
        return _view(statement.text)
    if first in ("TRIGGER", "RULE", "EVENT", "CONSTRAINT"):
        return Skip(f"line {statement.line}: CREATE {' '.join(kind[:2])} is not run: it may change the rows written")
    if kind[:2] == ["FOREIGN", "TABLE"]:
        return Skip(f"line {statement.line}: foreign table skipped: rows cannot be generated for it")
    return Skip()


def _read_alter(statement: Statement, words: list[str]) -> Syntax:
    kind = words[1:]
    first = kind[0] if kind else ""
    if first not in _OBJECT_KINDS:
        raise SyntaxProblem(f"ALTER {first or '(nothing)'} is not something PostgreSQL can alter")
    if first == "TABLE" and kind[1:3] != ["ALL", "IN"]:
        return _Grammar(statement.text).alter_table(statement.line)
    if first == "TYPE":
        return _Grammar(statement.text).alter_type(statement.line)
    if first == "DOMAIN":
        return _Grammar(statement.text).alter_domain(statement.line)
    return Skip()


_DROPPED_KINDS = frozenset({"TABLE", "INDEX", "TYPE", "DOMAIN", "SEQUENCE", "VIEW", "SCHEMA"})


def _read_drop(statement: Statement, words: list[str]) -> Syntax:
    kind = words[1:2]
    if kind and kind[0] not in _OBJECT_KINDS:
        raise SyntaxProblem(f"DROP {kind[0]} is not something PostgreSQL can drop")
    if (kind and kind[0] in _DROPPED_KINDS) or words[1:3] == ["MATERIALIZED", "VIEW"]:
        return _Grammar(statement.text).drop()
    return Skip()


def _read_set(statement: Statement, words: list[str]) -> Syntax:
    rest = words[1:]
    if rest[:1] in (["SESSION"], ["LOCAL"]):
        rest = rest[1:]
    if rest[:1] == ["SEARCH_PATH"]:
        return _Grammar(statement.text).set_search_path()
    return Skip()


def _read_reset(statement: Statement, words: list[str]) -> Syntax:
    return SetSearchPath(None) if words[1:2] in (["SEARCH_PATH"], ["ALL"]) else Skip()


def _read_select(statement: Statement, words: list[str]) -> Syntax:
    match = _SET_CONFIG_SEARCH_PATH.search(statement.text)
    return SetSearchPath(_search_path_list(match.group(1).replace("''", "'"))) if match else Skip()


def _read_do(statement: Statement, words: list[str]) -> Syntax:
    return Skip(f"line {statement.line}: DO block is not run: objects it creates are not read")


_STATEMENT_READERS: dict[str, Callable[[Statement, list[str]], Syntax]] = {
    "CREATE": _read_create,
    "ALTER": _read_alter,
    "DROP": _read_drop,
    "SET": _read_set,
    "RESET": _read_reset,
    "SELECT": _read_select,
    "DO": _read_do,
}


def _search_path_list(value: str) -> tuple[str, ...]:
    """`'"$user", Public'` -> ("$user", "public"): a search_path setting's list syntax."""
    items = re.findall(r'\s*("(?:[^"]|"")*"|[^,]*)\s*(?:,|$)', value)
    schemas = []
    for item in items:
        item = item.strip()
        if item.startswith('"'):
            schemas.append(item[1:-1].replace('""', '"'))
        elif item:
            schemas.append(fold(item))
    return tuple(schemas)


def _view(text: str) -> Syntax:
    match = _VIEW_NAME.match(text)
    if match is None:
        raise SyntaxProblem("CREATE VIEW without a view name")
    parts = re.findall(r'"((?:[^"]|"")+)"|([A-Za-z_][\w$]*)', match.group(1))
    names = [quoted.replace('""', '"') if quoted else fold(plain) for quoted, plain in parts]
    return CreateRelation(Name(names[-2] if len(names) > 1 else None, names[-1]), view=True)


_ON_DELETE_ACTIONS = ("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT")
# Words that end a DEFAULT expression: the start of the next column constraint.
_CONSTRAINT_STARTS = frozenset(
    {"CONSTRAINT", "CHECK", "DEFAULT", "GENERATED", "UNIQUE", "PRIMARY", "REFERENCES", "COLLATE",
     "DEFERRABLE", "INITIALLY", "STORAGE", "COMPRESSION"}
)  # fmt: skip
_LIKE_OPTIONS = frozenset({"DEFAULTS", "CONSTRAINTS", "INDEXES", "IDENTITY", "GENERATED"})
# ALTER TABLE actions that change nothing the model holds.
_HARMLESS_ALTERS = (
    ("OWNER",), ("ENABLE",), ("DISABLE",), ("CLUSTER",), ("SET", "WITHOUT"), ("SET", "WITH"), ("SET", "("),
    ("RESET",), ("SET", "TABLESPACE"), ("SET", "LOGGED"), ("SET", "UNLOGGED"), ("SET", "ACCESS"),
    ("REPLICA",), ("FORCE",), ("NO", "FORCE"), ("VALIDATE",), ("OF",), ("NOT", "OF"),
)  # fmt: skip
_HARMLESS_COLUMN_ALTERS = (("SET", "STATISTICS"), ("SET", "STORAGE"), ("SET", "COMPRESSION"),
                           ("SET", "("), ("RESET",), ("OPTIONS",))  # fmt: skip


class _Grammar(TokenCursor):
    """The statement and constraint forms, read from this cursor's position."""

    # -- constraints --------------------------------------------------------------

    def column_constraints(self) -> tuple[Constraint, ...]:
        """Column constraints up to the end of this cursor (a column or domain definition)."""
        found: list[Constraint] = []
        while not self.done():
            name = self.name() if self.accept("CONSTRAINT") else None
            if self.accept("NOT", "NULL"):
                found.append(NotNull())
            elif self.accept("NULL"):
                found.append(Nullable())
            elif self.accept("CHECK"):
                found.append(self._check_rest(name))
            elif self.accept("DEFAULT"):
                found.append(DefaultDef(self.expression_until(self._ends_default)))
            elif self.accept("GENERATED"):
                found.append(self._generated_rest())
            elif self.accept("UNIQUE"):
                found.append(KeyDef(name, (), False, self._nulls_not_distinct()))
                self._index_parameters()
            elif self.accept("PRIMARY", "KEY"):
                found.append(KeyDef(name, (), True))
                self._index_parameters()
            elif self.accept("REFERENCES"):
                found.append(self._references_rest(name, ()))
            elif self.accept("COLLATE"):
                self.qualified_name()
            elif self.accept("STORAGE") or self.accept("COMPRESSION"):
                self.name()
            elif found and self._constraint_attributes(found):
                continue
            else:
                raise self.unexpected()
        return tuple(found)

    def _ends_default(self) -> bool:
        token = self.peek()
        assert token is not None
        words = self.words(token)
        if not words:
            return False
        if words[0] in _CONSTRAINT_STARTS:
            return True
        return self.at("NOT", "NULL") or self.at("NULL") or self.at("NOT", "DEFERRABLE")

    def _constraint_attributes(self, found: list[Constraint]) -> bool:
        """DEFERRABLE / INITIALLY ... after a key or foreign key: applied to it in place."""
        last = found[-1]
        if not isinstance(last, (KeyDef, ForeignKeyDef)):
            return self.accept("NOT", "VALID") or self.accept("NO", "INHERIT") or self.accept("ENFORCED")
        deferrable, deferred = last.deferrable, last.initially_deferred
        if self.accept("NOT", "DEFERRABLE"):
            deferrable = False
        elif self.accept("DEFERRABLE"):
            deferrable = True
        elif self.accept("INITIALLY", "DEFERRED"):
            deferrable = deferred = True
        elif self.accept("INITIALLY", "IMMEDIATE"):
            deferred = False
        else:
            return self.accept("NOT", "VALID") or self.accept("ENFORCED")
        found[-1] = replace(last, deferrable=deferrable, initially_deferred=deferred)
        return True

    def _check_rest(self, name: str | None) -> CheckDef:
        expression = self.paren_expression()
        no_inherit = self.accept("NO", "INHERIT")
        return CheckDef(name, expression, no_inherit)

    def _generated_rest(self) -> Constraint:
        if self.accept("ALWAYS"):
            kind = Identity.ALWAYS
        else:
            self.expect("BY", "DEFAULT")
            kind = Identity.BY_DEFAULT
        self.expect("AS")
        if self.accept("IDENTITY"):
            return IdentityDef(kind, self._sequence_options_name())
        expression = self.paren_expression()
        self.expect("STORED")
        return GeneratedDef(expression)

    def _sequence_options_name(self) -> Name | None:
        """The SEQUENCE NAME in an identity's `( sequence options )`, if any."""
        if not self.is_punct("("):
            return None
        end = self.group_end(self.pos)
        inner = self.sub(self.pos + 1, end - 1)
        self.pos = end
        while not inner.done():
            if inner.accept("SEQUENCE", "NAME"):
                return inner.qualified_name()
            inner.pos += 1
        return None

    def _nulls_not_distinct(self) -> bool:
        if self.accept("NULLS", "NOT", "DISTINCT"):
            return True
        self.accept("NULLS", "DISTINCT")
        return False

    def _index_parameters(self) -> None:
        """INCLUDE (...), WITH (...), USING INDEX TABLESPACE x: nothing the model holds."""
        while True:
            if self.accept("INCLUDE") or self.accept("WITH"):
                self.skip_group()
            elif self.accept("USING", "INDEX", "TABLESPACE"):
                self.name()
            else:
                return

    def _references_rest(self, name: str | None, columns: tuple[str, ...]) -> ForeignKeyDef:
        ref = self.qualified_name()
        ref_columns = self.name_list() if self.is_punct("(") else ()
        match_full = False
        on_delete = "NO ACTION"
        while True:
            if self.accept("MATCH"):
                match_full = self.name() == "full"
            elif self.accept("ON", "DELETE"):
                on_delete = self._referential_action()
            elif self.accept("ON", "UPDATE"):
                self._referential_action()
            else:
                break
        return ForeignKeyDef(name, columns, ref, ref_columns, match_full, on_delete)

    def _referential_action(self) -> str:
        for action in _ON_DELETE_ACTIONS:
            if self.accept(*action.split()):
                if action.startswith("SET") and self.is_punct("("):
                    self.name_list()  # SET NULL (columns): PostgreSQL 15 column list
                return action
        raise self.unexpected()

    def table_constraint(self) -> TableConstraint:
        """CHECK / UNIQUE / PRIMARY KEY / FOREIGN KEY / EXCLUDE, with attributes, to this cursor's end."""
        name = self.name() if self.accept("CONSTRAINT") else None
        constraint: TableConstraint
        if self.accept("CHECK"):
            constraint = self._check_rest(name)
        elif self.accept("UNIQUE"):
            nulls_not_distinct = self._nulls_not_distinct()
            if self.at("USING", "INDEX"):
                raise _UsingIndex()
            constraint = KeyDef(name, self.name_list(), False, nulls_not_distinct)
            self._index_parameters()
        elif self.accept("PRIMARY", "KEY"):
            if self.at("USING", "INDEX"):
                raise _UsingIndex()
            constraint = KeyDef(name, self.name_list(), True)
            self._index_parameters()
        elif self.accept("FOREIGN", "KEY"):
            constraint = self._references_after_columns(name)
        elif self.accept("EXCLUDE"):
            start = self.pos
            self.skip_rest()
            return ExcludeDef(name, "EXCLUDE " + self.text(start, self.pos))
        else:
            raise self.unexpected()
        found: list[Constraint] = [constraint]
        while not self.done():
            if not self._constraint_attributes(found):
                raise self.unexpected()
        result = found[0]
        assert isinstance(result, (CheckDef, KeyDef, ForeignKeyDef))
        return result

    def _references_after_columns(self, name: str | None) -> ForeignKeyDef:
        columns = self.name_list()
        self.expect("REFERENCES")
        return self._references_rest(name, columns)

    # -- statements ---------------------------------------------------------------

    def create_table(self) -> Syntax:
        self.expect("CREATE")
        temporary = False
        while not self.accept("TABLE"):
            if self.done():
                raise self.unexpected()
            temporary |= self.words(self.tokens[self.pos])[:1] in (["TEMP"], ["TEMPORARY"])
            self.pos += 1
        if_not_exists = self.accept("IF", "NOT", "EXISTS")
        name = self.qualified_name()
        elements: list[ColumnDef | TableConstraint | LikeDef] = []
        partition_of = of_type = None
        if self.accept("OF"):
            of_type = self.qualified_name()
        elif self.accept("PARTITION", "OF"):
            partition_of = self.qualified_name()
        if self.is_punct("("):
            elements = [item.table_element(typed=of_type is None and partition_of is None)
                        for item in self.split_group()]  # fmt: skip
        inherits: tuple[Name, ...] = ()
        partitioned = as_query = False
        while not self.done():
            if self.accept("INHERITS"):
                self.expect("(")
                inherits = self.qualified_name_list()
                self.expect(")")
            elif self.accept("PARTITION", "BY"):
                partitioned = True
                self.name()
                self.skip_group()
            elif self.accept("FOR", "VALUES"):
                self._skip_partition_bound()
            elif self.accept("DEFAULT") or self.accept("WITHOUT", "OIDS"):
                continue
            elif self.accept("USING") or self.accept("TABLESPACE"):
                self.name()
            elif self.accept("WITH"):
                self.skip_group()
            elif self.accept("ON", "COMMIT"):
                self.pos += 2 if not self.at("DROP") else 1
            elif self.accept("AS") or self.accept("EXECUTE"):
                as_query = True
                self.skip_rest()
            else:
                raise self.unexpected()
        return CreateTable(name, tuple(elements), inherits, partition_of, of_type, partitioned,
                           temporary, if_not_exists, as_query)  # fmt: skip

    def _skip_partition_bound(self) -> None:
        if self.accept("IN") or self.accept("WITH"):
            self.skip_group()
        else:
            self.expect("FROM")
            self.skip_group()
            self.expect("TO")
            self.skip_group()

    def table_element(self, typed: bool = True) -> ColumnDef | TableConstraint | LikeDef:
        """One item of a CREATE TABLE's parenthesised list (this cursor spans exactly it)."""
        if self.accept("LIKE"):
            return self._like_rest()
        if self._at_table_constraint():
            return self.table_constraint()
        return self.column_def(typed)

    def _at_table_constraint(self) -> bool:
        return any(self.at(*words) for words in (("CONSTRAINT",), ("CHECK",), ("UNIQUE",),
                                                 ("PRIMARY", "KEY"), ("FOREIGN", "KEY"), ("EXCLUDE",)))  # fmt: skip

    def column_def(self, typed: bool = True) -> ColumnDef:
        """`name type constraints`; PARTITION OF / OF columns (`typed=False`) have no type."""
        name = self.name()
        if not typed:
            self.accept("WITH", "OPTIONS")
            return ColumnDef(name, None, self.column_constraints())
        column_type = self.type_name()
        return ColumnDef(name, column_type, self.column_constraints())

    def _like_rest(self) -> LikeDef:
        table = self.qualified_name()
        including: set[str] = set()
        while not self.done():
            if self.accept("INCLUDING"):
                option = self.name().upper()
                including |= set(_LIKE_OPTIONS) if option == "ALL" else {option}
            else:
                self.expect("EXCLUDING")
                option = self.name().upper()
                including -= set(_LIKE_OPTIONS) if option == "ALL" else {option}
        return LikeDef(table, frozenset(including))

    def create_index(self) -> Syntax:
        self.expect("CREATE")
        unique = self.accept("UNIQUE")
        self.expect("INDEX")
        self.accept("CONCURRENTLY")
        if_not_exists = self.accept("IF", "NOT", "EXISTS")
        name = None if self.at("ON") else self.name()
        self.expect("ON")
        only = self.accept("ONLY")
        table = self.qualified_name()
        if self.accept("USING"):
            self.name()
        elements = tuple(item.index_element() for item in self.split_group())
        nulls_not_distinct = False
        predicate = None
        while not self.done():
            if self.accept("INCLUDE") or self.accept("WITH"):
                self.skip_group()
            elif self.at("NULLS"):
                nulls_not_distinct = self._nulls_not_distinct()
            elif self.accept("TABLESPACE"):
                self.name()
            elif self.accept("WHERE"):
                predicate = self.rest_expression()
            else:
                raise self.unexpected()
        return CreateIndex(name, table, elements, unique, nulls_not_distinct, predicate, if_not_exists, only)

    def index_element(self) -> IndexElement:
        """A key column, `(expression)` or function call; COLLATE, opclass and ordering ignored."""
        if self.is_punct("("):
            expression = self.paren_expression()
            return IndexElement(None, expression, _suggested_column_name(expression))
        start = self.pos
        self.name()
        while self.is_punct(".") and self.is_name(1):
            self.pos += 2
        if self.is_punct("("):
            self.pos = self.group_end(self.pos)
            expression = self.expression(start, self.pos)
            return IndexElement(None, expression, _suggested_column_name(expression))
        self.pos = start
        return IndexElement(self.name())

    def create_type(self) -> Syntax:
        self.expect("CREATE")
        self.expect("TYPE")
        name = self.qualified_name()
        if not self.accept("AS"):
            return CreateOtherType(name)  # a base type `( INPUT = ... )` or a shell type
        if self.accept("ENUM"):
            labels = [item.string() for item in self.split_group()]
            return CreateEnum(name, tuple(labels))
        if self.accept("RANGE"):
            return CreateOtherType(name)
        attributes = []
        for item in self.split_group():
            attribute = item.name()
            attributes.append((attribute, item.type_name()))
            if item.accept("COLLATE"):
                item.qualified_name()
            item.end()
        return CreateComposite(name, tuple(attributes))

    def create_domain(self) -> Syntax:
        self.expect("CREATE")
        self.expect("DOMAIN")
        name = self.qualified_name()
        self.accept("AS")
        base = self.type_name()
        return CreateDomain(name, base, self.column_constraints())

    def create_schema(self, statement: Statement) -> Syntax:
        self.expect("CREATE")
        self.expect("SCHEMA")
        if_not_exists = self.accept("IF", "NOT", "EXISTS")
        if self.accept("AUTHORIZATION"):
            name = self.name()  # the schema is named after the role
        else:
            name = self.name()
            if self.accept("AUTHORIZATION"):
                self.name()
        starts = [index for index in range(self.pos, len(self.tokens)) if self._element_start(index)]
        if not starts and not self.done():
            raise self.unexpected()
        elements = []
        for start, end in zip(starts, [*starts[1:], len(self.tokens)][: len(starts)], strict=True):
            offset = self.tokens[start].start
            line = statement.line + self.sql.count("\n", 0, offset)
            elements.append(Statement(line, self.text(start, end)))
        return CreateSchema(name, tuple(elements), if_not_exists)

    def _element_start(self, index: int) -> bool:
        """A CREATE or GRANT at parenthesis depth 0 starts a schema element."""
        if self.words(self.tokens[index])[:1] not in (["CREATE"], ["GRANT"]):
            return False
        depth = 0
        for token in self.tokens[self.pos : index]:
            if token.token_type == TokenType.L_PAREN:
                depth += 1
            elif token.token_type == TokenType.R_PAREN:
                depth -= 1
        return depth == 0

    def create_sequence(self) -> Syntax:
        self.expect("CREATE")
        while not self.accept("SEQUENCE"):  # past TEMP / UNLOGGED
            if self.done():
                raise self.unexpected()
            self.pos += 1
        self.accept("IF", "NOT", "EXISTS")
        return CreateRelation(self.qualified_name())

    def set_search_path(self) -> Syntax:
        self.expect("SET")
        if not self.accept("SESSION"):
            self.accept("LOCAL")
        self.expect("SEARCH_PATH")
        if not self.accept("TO"):
            self.expect("=")
        if self.accept("DEFAULT"):
            return SetSearchPath(None)
        schemas = []
        while True:
            if self.at_string():
                schemas.append(self.string())
            else:
                schemas.append(self.name())
            if not self.accept(","):
                break
        self.end()
        return SetSearchPath(tuple(schema for schema in schemas if schema))

    def drop(self) -> Syntax:
        self.expect("DROP")
        kind = self.name().upper()
        if kind == "MATERIALIZED":
            self.expect("VIEW")
            kind = "VIEW"
        self.accept("CONCURRENTLY")
        if_exists = self.accept("IF", "EXISTS")
        names = self.qualified_name_list()
        cascade = self.accept("CASCADE")
        self.accept("RESTRICT")
        self.end()
        return Drop(kind, names, if_exists, cascade)

    def alter_type(self, line: int) -> Syntax:
        self.expect("ALTER")
        self.expect("TYPE")
        name = self.qualified_name()
        if self.accept("ADD", "VALUE"):
            self.accept("IF", "NOT", "EXISTS")
            label = self.string()
            before = self.string() if self.accept("BEFORE") else None
            after = self.string() if self.accept("AFTER") else None
            self.end()
            return AddEnumValue(name, label, before, after)
        if self.accept("RENAME", "VALUE"):
            old = self.string()
            self.expect("TO")
            return RenameEnumValue(name, old, self.string())
        if self.at("OWNER") or self.at("SET", "("):
            return Skip()
        return Skip(f"line {line}: ALTER TYPE {self.text(self.pos, self.pos + 3)} ... is not followed")

    def alter_domain(self, line: int) -> Syntax:
        self.expect("ALTER")
        self.expect("DOMAIN")
        name = self.qualified_name()
        action: CheckDef | DomainDefault | DomainNotNull | DropConstraint
        if self.accept("ADD"):
            constraint = self.table_constraint()
            if not isinstance(constraint, CheckDef):
                raise SyntaxProblem("a domain constraint must be a CHECK")
            action = constraint
        elif self.accept("SET", "DEFAULT"):
            action = DomainDefault(self.rest_expression())
        elif self.accept("DROP", "DEFAULT"):
            action = DomainDefault(None)
        elif self.accept("SET", "NOT", "NULL"):
            action = DomainNotNull(True)
        elif self.accept("DROP", "NOT", "NULL"):
            action = DomainNotNull(False)
        elif self.accept("DROP", "CONSTRAINT"):
            if_exists = self.accept("IF", "EXISTS")
            action = DropConstraint(self.name(), if_exists)
        elif self.at("OWNER") or self.at("VALIDATE"):
            return Skip()
        else:
            return Skip(f"line {line}: ALTER DOMAIN {self.text(self.pos, self.pos + 3)} ... is not followed")
        return AlterDomain(name, action)

    def alter_table(self, line: int) -> Syntax:
        self.expect("ALTER")
        self.expect("TABLE")
        if_exists = self.accept("IF", "EXISTS")
        only = self.accept("ONLY")
        name = self.qualified_name()
        self.accept("*")
        if self.at("RENAME") or self.at("SET", "SCHEMA") or self.at("ATTACH") or self.at("DETACH"):
            return AlterTable(name, (self._alter_whole_table(),), only, if_exists)
        actions = [item.alter_action() for item in self._split_actions()]
        return AlterTable(name, tuple(actions), only, if_exists)

    def _split_actions(self) -> list[_Grammar]:
        actions = []
        start = self.pos
        depth = 0
        for index in range(self.pos, len(self.tokens)):
            kind = self.tokens[index].token_type
            if kind == TokenType.L_PAREN:
                depth += 1
            elif kind == TokenType.R_PAREN:
                depth -= 1
            elif kind == TokenType.COMMA and depth == 0:
                actions.append(self.sub(start, index))
                start = index + 1
        actions.append(self.sub(start, len(self.tokens)))
        return actions

    def _alter_whole_table(self) -> AlterAction:
        """The ALTER TABLE forms that stand alone (no comma-separated list)."""
        start = self.pos
        if self.accept("RENAME", "CONSTRAINT"):
            old = self.name()
            self.expect("TO")
            return RenameConstraint(old, self.name())
        if self.accept("RENAME", "TO"):
            return RenameTable(self.name())
        if self.accept("ATTACH", "PARTITION"):
            child = self.qualified_name()
            self.skip_rest()
            return AttachPartition(child)
        self.skip_rest()
        return Unsupported(self.text(start, self.pos))

    def alter_action(self) -> AlterAction:
        """One comma-separated ALTER TABLE action (this cursor spans exactly it)."""
        start = self.pos
        if self.accept("ADD"):
            if self._at_table_constraint():
                try:
                    return AddConstraint(self.table_constraint())
                except _UsingIndex:
                    return Unsupported(self.text(start, len(self.tokens)))
            self.accept("COLUMN")
            if_not_exists = self.accept("IF", "NOT", "EXISTS")
            return AddColumn(self.column_def(), if_not_exists)
        if self.accept("DROP", "CONSTRAINT"):
            if_exists = self.accept("IF", "EXISTS")
            constraint = self.name()
            self.accept("CASCADE")
            self.accept("RESTRICT")
            self.end()
            return DropConstraint(constraint, if_exists)
        if self.accept("DROP"):
            self.accept("COLUMN")
            if_exists = self.accept("IF", "EXISTS")
            column = self.name()
            cascade = self.accept("CASCADE")
            self.accept("RESTRICT")
            self.end()
            return DropColumn(column, if_exists, cascade)
        if self.accept("ALTER") and not self.at("CONSTRAINT"):
            self.accept("COLUMN")
            return self._alter_column(start)
        if self.accept("INHERIT"):
            return Inherit(self.qualified_name())
        if any(self.at(*words) for words in _HARMLESS_ALTERS):
            self.skip_rest()
            return Ignored()
        self.skip_rest()
        return Unsupported(self.text(start, self.pos))

    def _alter_column(self, start: int) -> AlterAction:
        column = self.name()
        action: AlterAction
        if self.accept("SET", "DEFAULT"):
            action = SetDefault(column, self.rest_expression())
        elif self.accept("DROP", "DEFAULT"):
            action = SetDefault(column, None)
        elif self.accept("SET", "NOT", "NULL"):
            action = SetNotNull(column, True)
        elif self.accept("DROP", "NOT", "NULL"):
            action = SetNotNull(column, False)
        elif self.accept("SET", "DATA", "TYPE") or self.accept("TYPE"):
            action = SetType(column, self.type_name())
            self.skip_rest()  # COLLATE, USING: the values, not the type
        elif self.accept("ADD", "GENERATED"):
            identity = self._generated_rest()
            if not isinstance(identity, IdentityDef):
                raise SyntaxProblem("ADD GENERATED must add an identity")
            action = AddIdentity(column, identity)
        elif self.accept("SET", "GENERATED"):
            kind = Identity.ALWAYS if self.accept("ALWAYS") else Identity.BY_DEFAULT
            self.skip_rest()
            action = SetIdentityKind(column, kind)
        elif self.accept("DROP", "IDENTITY"):
            self.skip_rest()
            action = DropIdentity(column)
        elif self.accept("DROP", "EXPRESSION"):
            self.skip_rest()
            action = DropExpression(column)
        elif any(self.at(*words) for words in _HARMLESS_COLUMN_ALTERS):
            self.skip_rest()
            return Ignored()
        else:
            self.skip_rest()
            return Unsupported(self.text(start, self.pos))
        self.end()
        return action


class _UsingIndex(Exception):
    """`ADD CONSTRAINT ... USING INDEX`: turns an index the reader may not know into a key."""


def _suggested_column_name(expression: exp.Expr) -> str | None:
    """The index column name PostgreSQL derives from a key expression (FigureIndexColname)."""
    while isinstance(expression, exp.Paren):
        expression = expression.this
    if isinstance(expression, exp.Column):
        return expression.name
    if isinstance(expression, exp.Cast):
        inner = _suggested_column_name(expression.this)
        return inner or expression.to.sql(dialect="postgres").lower().split("(")[0].split(".")[-1]
    if isinstance(expression, exp.Anonymous):
        return str(expression.this).lower().split(".")[-1]
    if isinstance(expression, exp.Dot) and isinstance(expression.expression, exp.Func):
        return _suggested_column_name(expression.expression)
    if isinstance(expression, exp.Case):
        return "case"
    if isinstance(expression, exp.Func):
        return expression.sql_name().lower()
    return None
