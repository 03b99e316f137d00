"""Values people recognise, chosen by column name: emails, names, cities, companies.

Faker makes them, but Faker is slow (a few thousand values a second), so each
provider fills a pool once per run (a few hundred values, seeded, so runs are
reproducible) and columns draw from the pools with numpy. The solver still
decides what is allowed: a pool value is used only where it satisfies the
column's length and patterns; otherwise the solver's own string stays.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import numpy as np
from faker import Faker

from fraiseql_data.schema.model import Table, TypeRef

POOL_SIZE = 400
NOT_SLUG = re.compile("[^a-z0-9]+")
COMPANY_TABLES = ("organization", "organisation", "company", "manufacturer", "brand", "vendor", "supplier",
                  "publisher", "carrier", "bank", "store", "shop")
PERSON_TABLES = ("user", "person", "people", "employee", "staff", "customer", "contact", "author", "member",
                 "account", "actor", "student", "patient")


@lru_cache(maxsize=8)
def faker(locale: str) -> Faker:
    return Faker(locale, use_weighting=False)


@lru_cache(maxsize=256)
def pool(locale: str, method: str, seed: int) -> tuple[str, ...]:
    """POOL_SIZE values of one Faker provider, the same for the same (locale, method, seed)."""
    fake = faker(locale)
    fake.seed_instance(seed * 7919 + sum(map(ord, method)))
    make: Callable[[], object] = getattr(fake, method)
    return tuple(dict.fromkeys(str(make()).replace("\n", ", ") for _ in range(POOL_SIZE)))


def provider(table: Table, column: str, type_: TypeRef) -> str | None:
    """The Faker method a column's name asks for, or None (convention first; overrides come later)."""
    name = column.lower()
    words = set(name.replace("-", "_").split("_"))
    length = type_.modifiers[0] if type_.modifiers else None
    if "email" in name or "mail" in words:
        return "email"
    if name in ("first_name", "firstname", "given_name", "forename"):
        return "first_name"
    if name in ("last_name", "lastname", "surname", "family_name"):
        return "last_name"
    if name in ("full_name", "fullname", "display_name", "person_name"):
        return "name"
    if words & {"phone", "mobile", "fax", "telephone"}:
        return "phone_number"
    if words & {"street", "address", "address1", "addressline1"}:
        return "street_address"
    if words & {"city", "town"}:
        return "city"
    if words & {"postcode", "zip", "zipcode"} or name == "postal_code":
        return "postcode"
    if "country" in words:
        if type_.name == "character" and length == 2:
            return "country_code"
        return "country" if length is None or length > 3 else None
    if words & {"company", "organization", "organisation", "employer"}:
        return "company"
    if words & {"url", "website", "homepage"}:
        return "url"
    if name in ("username", "user_name", "login", "handle", "nickname"):
        return "user_name"
    if words & {"description", "comment", "comments", "notes", "note", "summary", "bio", "remarks"}:
        return "sentence"
    if words & {"state", "province", "region"}:
        return "state"
    if name == "title":
        return "catch_phrase"
    if words & {"job", "occupation"}:
        return "job"
    if name == "name" or name.endswith("_name"):
        entity = table.name.lower()
        if any(word in entity for word in COMPANY_TABLES):
            return "company"
        if any(word in entity for word in PERSON_TABLES):
            return "name"
    return None


def draw(rng: np.random.Generator, values: tuple[str, ...], n: int, max_len: int) -> list[str] | None:
    """n values of the pool that fit in max_len characters (None when none fits)."""
    fitting = [v for v in values if len(v) <= max_len] if max_len < 10_000 else list(values)
    if not fitting:
        return None
    return [fitting[i] for i in rng.integers(0, len(fitting), n).tolist()]


def with_rank(value: str, rank: int, max_len: int) -> str:
    """A distinct variant of a pool value: the rank goes before an email's @, else after a dash."""
    if "@" in value:
        local, _, domain = value.partition("@")
        room = max_len - len(domain) - 1 - len(str(rank))
        if room > 0:
            return f"{local[:room]}{rank}@{domain}"
    suffix = f"-{rank}"
    return value[: max(0, max_len - len(suffix))] + suffix


@lru_cache(maxsize=1 << 16)
def slugify(text: str) -> str:
    """'Acme Printers, Inc.' → 'acme-printers-inc' (ASCII letters and digits, dashes between)."""
    if not text.isascii():
        import unicodedata

        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return NOT_SLUG.sub("-", text.lower()).strip("-")[:40].strip("-")


def strip_rank(value: str) -> str:
    """The value without the `-<rank>` a unique column added to it."""
    base, dash, rank = value.rpartition("-")
    return base if dash and rank.isdigit() and base else value
