"""LIKE and SIMILAR TO patterns rewritten as PostgreSQL regular expressions (AREs).

PostgreSQL itself runs SIMILAR TO through its regex engine after this very
rewrite (`similar_to_escape`), and LIKE is a whole-string match where `%` is
`.*` and `_` is `.`; so one ARE parser serves all three operators and their
languages agree with the server by construction. The functions raise
`ValueError` on patterns PostgreSQL rejects; `Language` turns that into
`UnsupportedPattern`.
"""

from __future__ import annotations


def _escape_char(escape: str) -> str | None:
    """The escape character, or None for `ESCAPE ''` (escaping switched off)."""
    if len(escape) > 1:
        raise ValueError(f"invalid escape string {escape!r}: it must be empty or one character")
    return escape or None


def _literal(char: str) -> str:
    """`char` as an ARE atom matching exactly itself.

    A backslash before a non-alphanumeric character is always a literal in an
    ARE; letters and non-ASCII characters are never special, so stay bare.
    """
    return "\\" + char if char.isascii() and not char.isalnum() else char


def like_to_regex(pattern: str, escape: str = "\\") -> str:
    """The anchored ARE that accepts exactly the strings `x LIKE pattern` accepts."""
    esc = _escape_char(escape)
    parts = ["^"]
    chars = iter(pattern)
    for char in chars:
        if char == esc:
            following = next(chars, None)
            if following is None:
                raise ValueError("LIKE pattern must not end with escape character")
            parts.append(_literal(following))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(_literal(char))
    parts.append("$")
    return "".join(parts)


def similar_to_regex(pattern: str, escape: str = "\\") -> str:
    """The ARE PostgreSQL 15 builds for `x SIMILAR TO pattern` (its `similar_to_escape`).

    Outside brackets `%` and `_` become `.*` and `.`, groups become
    non-capturing, `.`, `^`, `$` and a bare backslash turn literal, and the
    escape character passes the next character to the ARE as `\\c` (so `\\d`
    is still a digit class). Inside brackets everything is copied, tracking
    nesting (`[[:alpha:]]`) and a leading `]` or `^]` the way PostgreSQL does.
    The escape-double-quote separators belong to SUBSTRING, not to CHECKs, and
    are refused.
    """
    esc = _escape_char(escape)
    out = ["^(?:"]
    after_escape = False
    depth = 0  # bracket nesting
    position = 0  # 1 right after "[", 2 after "[^": a "]" there is a member, not the end
    for char in pattern:
        if after_escape:
            if char == '"' and depth == 0:
                raise ValueError("escape-double-quote separators are only meaningful in SUBSTRING")
            out.append("\\" + char)
            position = 3
            after_escape = False
        elif char == esc:
            after_escape = True
        elif depth:
            out.append("\\" + char if char == "\\" else char)
            if char == "]" and position > 2:
                depth -= 1
            elif char == "[":
                depth += 1
                position = 3
            elif char == "^":
                position += 1
            else:
                position = 3
        elif char == "[":
            out.append(char)
            depth, position = 1, 1
        elif char == "%":
            out.append(".*")
        elif char == "_":
            out.append(".")
        elif char == "(":
            out.append("(?:")
        elif char in "\\.^$":
            out.append("\\" + char)
        else:
            out.append(char)
    out.append(")$")  # like PostgreSQL, a trailing escape character is dropped
    return "".join(out)
