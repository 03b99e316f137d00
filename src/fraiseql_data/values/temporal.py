"""Dates, times, timestamps and intervals between 1970 and 2030, in ISO form.

Calendar dates come from day numbers by integer arithmetic (the proleptic
Gregorian "civil from days" algorithm), vectorised, so formatting costs a few
array operations. Time zones are always written `+00`, so a value means the
same instant whatever the session's TimeZone is.
"""

from __future__ import annotations

import numpy as np

from fraiseql_data.schema.model import TypeRef
from fraiseql_data.values.literal import by_table, concat, digits, integer_chars, to_strings

SPAN_DAYS = 22_279  # 1970-01-01 .. 2030-12-31
SECONDS_PER_DAY = 86_400


def sample_days(rng: np.random.Generator, n: int) -> np.ndarray:
    """Days since 1970-01-01, up to 2030-12-31."""
    return rng.integers(0, SPAN_DAYS, endpoint=True, size=n)


def sample_seconds(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds since 1970-01-01 00:00:00, up to 2030-12-31 23:59:59."""
    return rng.integers(0, (SPAN_DAYS + 1) * SECONDS_PER_DAY, size=n)


def civil_dates(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, month, day) of days since 1970-01-01 (H. Hinnant's civil_from_days)."""
    z = days.astype(np.int64) + 719_468
    era = z // 146_097
    day_of_era = z - era * 146_097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    month_index = (5 * day_of_year + 2) // 153  # 0 = March
    day = day_of_year - (153 * month_index + 2) // 5 + 1
    month = np.where(month_index < 10, month_index + 3, month_index - 9)
    year = year_of_era + era * 400 + (month <= 2)
    return year, month, day


def date_chars(days: np.ndarray) -> np.ndarray:
    """`YYYY-MM-DD` matrix for days since 1970-01-01."""
    year, month, day = civil_dates(days)
    return concat(len(days), digits(year, 4), "-", digits(month, 2), "-", digits(day, 2))


def clock_chars(seconds_of_day: np.ndarray) -> np.ndarray:
    """`HH:MM:SS` matrix."""
    hours, rest = np.divmod(seconds_of_day, 3600)
    minutes, seconds = np.divmod(rest, 60)
    return concat(len(seconds_of_day), digits(hours, 2), ":", digits(minutes, 2), ":", digits(seconds, 2))


def timestamp_chars(seconds: np.ndarray, with_zone: bool) -> np.ndarray:
    """`YYYY-MM-DD HH:MM:SS` (with `+00` for a zone) matrix for seconds since the epoch."""
    days, seconds_of_day = np.divmod(seconds, SECONDS_PER_DAY)
    return concat(len(seconds), date_chars(days), " ", clock_chars(seconds_of_day), "+00" if with_zone else "")


def sample_dates(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    return by_table(sample_days(rng, n), lambda days: to_strings(date_chars(days)))


def sample_timestamps(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    with_zone = type.name == "timestamp with time zone"
    return to_strings(timestamp_chars(sample_seconds(rng, n), with_zone))


def sample_times(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    zone = "+00" if type.name == "time with time zone" else ""
    return to_strings(concat(n, clock_chars(rng.integers(0, SECONDS_PER_DAY, size=n)), zone))


def sample_intervals(type: TypeRef, rng: np.random.Generator, n: int) -> list[str]:
    """Durations like `3 days 04:05:06`."""
    days = integer_chars(rng.integers(0, 30, endpoint=True, size=n))
    return to_strings(concat(n, days, " days ", clock_chars(rng.integers(0, SECONDS_PER_DAY, size=n))))
