"""Column overrides as the CLI and config files spell them: `--set schema.table.column=SPEC`.

A SPEC is a constant (`member`), a list to cycle through (`[red,green,blue]`),
a Faker provider (`faker:company`), or a pattern: `#` a digit, `X` a capital
letter, `A` a letter or digit, `{d:N}` N digits, `[a,b]` one of the choices,
and `\\` before any of these for the character itself (`ABC-####`,
`[Red,Green,Blue]-###`). A value is a pattern when it holds `#`, `{d:` or `[`, or
starts with `pattern:`; anything else is a constant. Overridden values are checked against the table's
constraints before anything is written.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable

from fraiseql_data.errors import FraiseQLDataError
from fraiseql_data.values.names import pool

TOKEN = re.compile(r"\\(.)|\{d:(\d+)\}|\[([^\]]*)\]|(#)|(X)|(A)|(.)", re.DOTALL)
Maker = Callable[[random.Random, int], list[str]]


class OverrideSpecError(FraiseQLDataError, ValueError):
    def __init__(self, spec: str, reason: str) -> None:
        super().__init__(f"--set value {spec!r}: {reason}")


def parse_assignment(text: str) -> tuple[str, str, str]:
    """'catalog.tb_user.role=admin' → ('catalog.tb_user', 'role', 'admin')."""
    target, sep, spec = text.partition("=")
    table, dot, column = target.rpartition(".")
    if not sep or not dot or not table or not column:
        raise OverrideSpecError(text, "expected schema.table.column=VALUE")
    return table, column, spec


def maker(spec: str, locale: str = "en_US", seed: int = 0) -> Maker:
    """Values for n rows from a SPEC (see the module docstring)."""
    if spec.startswith("faker:"):
        try:
            values = pool(locale, spec.removeprefix("faker:"), seed) if spec[6:].isidentifier() else ()
        except AttributeError:  # Faker has no such method
            values = ()
        if not values:
            raise OverrideSpecError(spec, "not a Faker provider")
        return lambda rng, n: [values[rng.randrange(len(values))] for _ in range(n)]
    if spec.startswith("[") and spec.endswith("]") and not any(ch in spec[1:-1] for ch in "[]#{"):
        items = spec[1:-1].split(",")
        return lambda rng, n: [items[i % len(items)] for i in range(n)]
    forced = spec.startswith("pattern:")
    if not forced and not ("#" in spec or "{d:" in spec or "[" in spec):
        return lambda rng, n: [spec] * n  # a constant ('Admin' stays 'Admin': X and A count only in patterns)
    parts = list(TOKEN.finditer(spec.removeprefix("pattern:")))
    return lambda rng, n: [expand(parts, rng) for _ in range(n)]


def expand(parts: list[re.Match[str]], rng: random.Random) -> str:
    out = []
    for part in parts:
        escaped, digits, choice, digit, letter, alnum, plain = part.groups()
        if escaped is not None:
            out.append(escaped)
        elif digits is not None:
            out.append("".join(rng.choice(string.digits) for _ in range(int(digits))))
        elif choice is not None:
            out.append(rng.choice(choice.split(",")))
        elif digit:
            out.append(rng.choice(string.digits))
        elif letter:
            out.append(rng.choice(string.ascii_uppercase))
        elif alnum:
            out.append(rng.choice(string.ascii_letters + string.digits))
        else:
            out.append(plain)
    return "".join(out)
