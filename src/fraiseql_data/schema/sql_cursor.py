"""A cursor over one statement's sqlglot tokens, reading PostgreSQL's building blocks.

Names (folded and truncated as PostgreSQL stores them), parenthesised groups,
expressions (handed to sqlglot's parser) and type names (read here: sqlglot's
type parser knows neither `bit varying` nor that a quoted `"Name"` is a user
type rather than the built-in `name`). The DDL grammar builds on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Self

from sqlglot import exp
from sqlglot.dialects.postgres import Postgres
from sqlglot.optimizer.normalize_identifiers import normalize_identifiers
from sqlglot.tokens import Token, TokenType

from fraiseql_data.schema.ddl_syntax import Name, TypeName
from fraiseql_data.schema.pg_names import truncate_identifier

_DIALECT = Postgres()
_STRING_TOKENS = frozenset(
    {
        TokenType.STRING,
        TokenType.NATIONAL_STRING,
        TokenType.BYTE_STRING,
        TokenType.UNICODE_STRING,
        TokenType.HEREDOC_STRING,
        TokenType.RAW_STRING,
        TokenType.BIT_STRING,
        TokenType.HEX_STRING,
    }
)
_WORDLIKE = re.compile(r"[A-Za-z_\x80-\U0010ffff][\w$\x80-\U0010ffff]*")
_INTERVAL_FIELDS = frozenset({"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"})
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(name: str) -> str:
    """An unquoted identifier as PostgreSQL stores it (ASCII letters lower-cased, 63 bytes at most)."""
    return truncate_identifier(name.translate(_ASCII_LOWER))


class SyntaxProblem(Exception):
    """A statement that does not follow PostgreSQL's grammar; the reader turns it into a DDLSyntaxError."""


class TokenCursor:
    """A position in one statement's tokens."""

    def __init__(self, sql: str, tokens: list[Token] | None = None) -> None:
        self.sql = sql
        self.tokens = _DIALECT.tokenize(sql) if tokens is None else tokens
        self.pos = 0

    # -- looking ------------------------------------------------------------

    def peek(self, ahead: int = 0) -> Token | None:
        index = self.pos + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def done(self) -> bool:
        return self.pos >= len(self.tokens)

    @staticmethod
    def words(token: Token) -> list[str]:
        """A token's keyword words, upper-cased (`PRIMARY KEY` is one token of two words)."""
        if token.token_type in _STRING_TOKENS or token.token_type in (TokenType.IDENTIFIER, TokenType.NUMBER):
            return []  # a quoted name or literal never reads as a keyword
        return token.text.upper().split()

    def _match(self, words: tuple[str, ...]) -> int:
        """How many tokens `words` spans from here (0: no match); multi-word tokens must fit whole."""
        index = self.pos
        wanted = list(words)
        while wanted:
            if index >= len(self.tokens):
                return 0
            have = self.words(self.tokens[index])
            if not have or have != wanted[: len(have)]:
                return 0
            wanted = wanted[len(have) :]
            index += 1
        return index - self.pos

    def at(self, *words: str) -> bool:
        return self._match(words) > 0

    def accept(self, *words: str) -> bool:
        spanned = self._match(words)
        self.pos += spanned
        return spanned > 0

    def expect(self, *words: str) -> None:
        if not self.accept(*words):
            raise SyntaxProblem(f"expected {' '.join(words)} {self._where()}")

    def _where(self) -> str:
        token = self.peek()
        if token is None:
            return "at the end of the statement"
        return f"at {token.text!r} (line {token.line} of the statement)"

    def unexpected(self) -> SyntaxProblem:
        return SyntaxProblem(f"unexpected {self._where()}")

    def is_name(self, ahead: int = 0) -> bool:
        token = self.peek(ahead)
        if token is None:
            return False
        if token.token_type in (TokenType.IDENTIFIER, TokenType.VAR):
            return True
        return token.token_type not in _STRING_TOKENS and bool(_WORDLIKE.fullmatch(token.text))

    def is_quoted(self) -> bool:
        token = self.peek()
        return token is not None and token.token_type == TokenType.IDENTIFIER

    def is_punct(self, char: str, ahead: int = 0) -> bool:
        token = self.peek(ahead)
        return token is not None and token.text == char and token.token_type not in _STRING_TOKENS

    # -- reading names --------------------------------------------------------

    def name(self) -> str:
        if not self.is_name():
            raise SyntaxProblem(f"expected a name {self._where()}")
        token = self.tokens[self.pos]
        self.pos += 1
        if token.token_type == TokenType.IDENTIFIER:
            raw = self.sql[token.start : token.end + 1]
            inner = raw[1:-1].replace('""', '"') if raw.startswith('"') else token.text
            return truncate_identifier(inner)
        return fold(token.text)

    def qualified_name(self) -> Name:
        parts = [self.name()]
        while self.is_punct(".") and self.is_name(1):
            self.pos += 1
            parts.append(self.name())
        return Name(parts[-2] if len(parts) > 1 else None, parts[-1])

    def name_list(self) -> tuple[str, ...]:
        """`( name [, ...] )`."""
        self.expect("(")
        names = [self.name()]
        while self.accept(","):
            names.append(self.name())
        self.expect(")")
        return tuple(names)

    def qualified_name_list(self) -> tuple[Name, ...]:
        names = [self.qualified_name()]
        while self.accept(","):
            names.append(self.qualified_name())
        return tuple(names)

    def at_string(self) -> bool:
        token = self.peek()
        return token is not None and token.token_type in _STRING_TOKENS

    def string(self) -> str:
        token = self.peek()
        if token is None or token.token_type not in _STRING_TOKENS:
            raise SyntaxProblem(f"expected a string {self._where()}")
        self.pos += 1
        return token.text

    # -- groups and expressions -----------------------------------------------

    def group_end(self, start: int) -> int:
        """The index just after the `)` matching the `(` at `start`."""
        depth = 0
        for index in range(start, len(self.tokens)):
            token = self.tokens[index]
            if token.token_type == TokenType.L_PAREN:
                depth += 1
            elif token.token_type == TokenType.R_PAREN:
                depth -= 1
                if depth == 0:
                    return index + 1
        raise SyntaxProblem(f"unbalanced parentheses {self._where()}")

    def skip_group(self) -> None:
        if not self.is_punct("("):
            raise SyntaxProblem(f"expected ( {self._where()}")
        self.pos = self.group_end(self.pos)

    def split_group(self) -> list[Self]:
        """The comma-separated items of the `( ... )` here, each as its own cursor; moves past it."""
        if not self.is_punct("("):
            raise SyntaxProblem(f"expected ( {self._where()}")
        end = self.group_end(self.pos)
        items: list[Self] = []
        start = self.pos + 1
        depth = 0
        for index in range(self.pos + 1, end - 1):
            kind = self.tokens[index].token_type
            if kind in (TokenType.L_PAREN, TokenType.L_BRACKET):
                depth += 1
            elif kind in (TokenType.R_PAREN, TokenType.R_BRACKET):
                depth -= 1
            elif kind == TokenType.COMMA and depth == 0:
                items.append(self.sub(start, index))
                start = index + 1
        if start < end - 1:
            items.append(self.sub(start, end - 1))
        self.pos = end
        return items

    def sub(self, start: int, end: int) -> Self:
        return type(self)(self.sql, self.tokens[start:end])

    def text(self, start: int, end: int) -> str:
        if start >= end:
            return ""
        return self.sql[self.tokens[start].start : self.tokens[end - 1].end + 1]

    def expression(self, start: int, end: int) -> exp.Expr:
        """Tokens [start, end) parsed as one SQL expression, unquoted names folded."""
        if start >= end:
            raise SyntaxProblem(f"expected an expression {self._where()}")
        parsed = _DIALECT.parser().parse(self.tokens[start:end], self.sql)
        if len(parsed) != 1 or parsed[0] is None or isinstance(parsed[0], (exp.Alias, exp.Query)):
            raise SyntaxProblem(f"{self.text(start, end)!r} is not an expression")
        expression = normalize_identifiers(parsed[0], dialect="postgres")
        for identifier in expression.find_all(exp.Identifier):
            identifier.set("this", truncate_identifier(identifier.name))
        return expression

    def paren_expression(self) -> exp.Expr:
        """`( expression )`: the expression inside."""
        if not self.is_punct("("):
            raise SyntaxProblem(f"expected ( {self._where()}")
        end = self.group_end(self.pos)
        expression = self.expression(self.pos + 1, end - 1)
        self.pos = end
        return expression

    def expression_until(self, stop: Callable[[], bool]) -> exp.Expr:
        """The expression from here up to the first top-level token where `stop()` holds."""
        start = self.pos
        depth = 0
        while not self.done():
            kind = self.tokens[self.pos].token_type
            if depth == 0 and self.pos > start and stop():
                break
            if kind in (TokenType.L_PAREN, TokenType.L_BRACKET):
                depth += 1
            elif kind in (TokenType.R_PAREN, TokenType.R_BRACKET):
                depth -= 1
            self.pos += 1
        return self.expression(start, self.pos)

    def rest_expression(self) -> exp.Expr:
        start = self.pos
        self.pos = len(self.tokens)
        return self.expression(start, self.pos)

    def skip_rest(self) -> None:
        self.pos = len(self.tokens)

    def end(self) -> None:
        if not self.done():
            raise self.unexpected()

    # -- types ------------------------------------------------------------------

    def type_name(self) -> TypeName:
        """A type as PostgreSQL's grammar reads it: keyword types, qualified names, typmods, arrays."""
        schema: str | None = None
        quoted = False
        first = self.peek()
        if first is None:
            raise SyntaxProblem("expected a type at the end of the statement")
        words = self.words(first)
        if self.is_quoted() or (self.is_name() and self.is_punct(".", 1)):
            quoted = self.is_quoted()
            qualified = self.qualified_name()
            if qualified.schema is not None:
                quoted = True  # pg_catalog.int4 names a catalog type exactly, like a quoted name
            schema, name = qualified.schema, qualified.name
        elif words[:1] in (["TIME"], ["TIMESTAMP"]):
            self.pos += 1
            return self._datetime_type(words[0].lower())
        elif words[:1] == ["INTERVAL"]:
            self.pos += 1
            return self._interval_type()
        elif self.is_name() or len(words) > 1:
            name = self._keyword_type_words()
        else:
            raise SyntaxProblem(f"expected a type {self._where()}")
        modifiers = self._type_modifiers()
        return TypeName(schema, name, quoted, modifiers, self._array_dims())

    def _keyword_type_words(self) -> str:
        """An unqualified, unquoted type name, joining the grammar's multi-word spellings."""
        words = self.words(self.tokens[self.pos])
        self.pos += 1
        if words == ["NATIONAL"] and (token := self.peek()) is not None:
            words += self.words(token)
            self.pos += 1
        if words == ["DOUBLE"] and self.accept("PRECISION"):
            words.append("PRECISION")
        if words[-1] in ("CHARACTER", "CHAR", "NCHAR", "BIT") and self.accept("VARYING"):
            words.append("VARYING")
        return fold(" ".join(words))

    def _datetime_type(self, base: str) -> TypeName:
        modifiers = self._type_modifiers()
        name = base
        if self.accept("WITH", "TIME", "ZONE"):
            name = f"{base} with time zone"
        elif self.accept("WITHOUT", "TIME", "ZONE"):
            name = f"{base} without time zone"
        return TypeName(None, name, False, modifiers, self._array_dims())

    def _interval_type(self) -> TypeName:
        modifiers = self._type_modifiers()
        while (
            (token := self.peek()) is not None
            and self.words(token)[:1]
            and (self.words(token)[0] in _INTERVAL_FIELDS or self.words(token)[0] == "TO")
        ):
            self.pos += 1
        modifiers = self._type_modifiers() or modifiers
        return TypeName(None, "interval", False, modifiers, self._array_dims())

    def _type_modifiers(self) -> tuple[int, ...]:
        if not self.is_punct("("):
            return ()
        items = self.split_group()
        values = []
        for item in items:
            text = "".join(token.text for token in item.tokens)
            if not re.fullmatch(r"[+-]?\d+", text):
                return ()  # not integer typmods (PostGIS-style geometry(Point, 4326)): none to model
            values.append(int(text))
        return tuple(values)

    def _array_dims(self) -> int:
        dims = 0
        while True:
            if self.accept("ARRAY"):
                dims += 1
                if self.is_punct("["):
                    self._skip_brackets()
            elif self.is_punct("["):
                self._skip_brackets()
                dims += 1
            else:
                return dims

    def _skip_brackets(self) -> None:
        self.pos += 1
        while not self.done() and not self.is_punct("]"):
            self.pos += 1
        self.expect("]")
