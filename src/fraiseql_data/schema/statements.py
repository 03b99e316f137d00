"""Split a SQL script into statements the way psql does, remembering where each starts.

sqlglot reads a whole script at once and cannot say which statement is broken,
so scripts are cut here first: at semicolons outside quotes ('...', E'...',
"..."), dollar quotes ($$...$$, $tag$...$tag$), comments (--, nested /* */)
and parentheses. psql meta-commands (`\\connect`, `\\restrict`) are skipped, and
so is the data block that follows a pg_dump `COPY ... FROM stdin;`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Everything that can change the scanner's state; the text between matches is plain SQL.
_SPECIAL = re.compile(r"""--|/\*|[Ee]'|'|"|\$(?:[A-Za-z_\x80-\U0010ffff][\w\x80-\U0010ffff]*)?\$|;|\(|\)|\\""")
_BLOCK_COMMENT = re.compile(r"/\*|\*/")
_STRING_END = re.compile(r"(?:[^']|'')*'")
_ESCAPE_STRING_END = re.compile(r"(?:[^'\\]|''|\\.)*'", re.DOTALL)
_IDENTIFIER_END = re.compile(r'(?:[^"]|"")*"')
_IDENTIFIER_CHAR = re.compile(r"[\w$\x80-\U0010ffff]")
_COPY_FROM_STDIN = re.compile(r"\s*COPY\b.*\bFROM\s+STDIN\b", re.IGNORECASE | re.DOTALL)
_COPY_DATA_END = re.compile(r"^\\\.[ \t]*\r?$", re.MULTILINE)


@dataclass(frozen=True)
class Statement:
    """One statement's text (without its semicolon) and the 1-based line it starts on."""

    line: int
    text: str


def split_statements(script: str) -> list[Statement]:
    """The statements of `script`, in order; a last statement without `;` is kept too."""
    return list(_Splitter(script).statements())


class _Splitter:
    def __init__(self, script: str) -> None:
        self.script = script
        self.pos = 0
        self.line = 1
        self.line_pos = 0  # how far `line` has been counted

    def line_at(self, pos: int) -> int:
        self.line += self.script.count("\n", self.line_pos, pos)
        self.line_pos = pos
        return self.line

    def statements(self) -> list[Statement]:
        found: list[Statement] = []
        script = self.script
        start: int | None = None  # where the current statement's first token is
        depth = 0
        while True:
            match = _SPECIAL.search(script, self.pos)
            plain_end = match.start() if match else len(script)
            if start is None and script[self.pos : plain_end].strip():
                start = self.pos + len(script[self.pos : plain_end]) - len(script[self.pos : plain_end].lstrip())
            if match is None:
                break
            token = match.group()
            if token == "--":
                newline = script.find("\n", match.end())
                self.pos = len(script) if newline < 0 else newline
                continue
            if token == "/*":
                self.pos = self._block_comment_end(match.end())
                continue
            if start is None and token == "\\":
                newline = script.find("\n", match.end())  # a psql meta-command runs to the end of its line
                self.pos = len(script) if newline < 0 else newline
                continue
            if start is None:
                start = match.start()
            if token == ";" and depth == 0:
                text = script[start : match.start()]
                found.append(Statement(self.line_at(start), text))
                self.pos = match.end()
                start = None
                if _COPY_FROM_STDIN.match(text):
                    self._skip_copy_data()
                continue
            self.pos = self._after(match, token)
            if token == "(":
                depth += 1
            elif token == ")":
                depth = max(depth - 1, 0)
        if start is not None:
            found.append(Statement(self.line_at(start), script[start:]))
        return found

    def _after(self, match: re.Match[str], token: str) -> int:
        """Where scanning resumes after the quote, dollar quote or character `match` found."""
        script = self.script
        if token == "'":
            end = _STRING_END.match(script, match.end())
        elif token in ("E'", "e'"):
            if match.start() > 0 and _IDENTIFIER_CHAR.match(script, match.start() - 1):
                return match.start() + 1  # the E ends an identifier: a plain string follows
            end = _ESCAPE_STRING_END.match(script, match.end())
        elif token == '"':
            end = _IDENTIFIER_END.match(script, match.end())
        elif token.startswith("$") and len(token) > 1:
            if match.start() > 0 and _IDENTIFIER_CHAR.match(script, match.start() - 1):
                return match.start() + 1  # `a$b$` is an identifier, not a dollar quote
            close = script.find(token, match.end())
            return len(script) if close < 0 else close + len(token)
        else:
            return match.end()
        return end.end() if end else len(script)

    def _block_comment_end(self, pos: int) -> int:
        """Block comments nest in PostgreSQL."""
        depth = 1
        while depth:
            match = _BLOCK_COMMENT.search(self.script, pos)
            if match is None:
                return len(self.script)
            depth += 1 if match.group() == "/*" else -1
            pos = match.end()
        return pos

    def _skip_copy_data(self) -> None:
        end = _COPY_DATA_END.search(self.script, self.pos)
        self.pos = len(self.script) if end is None else end.end()
