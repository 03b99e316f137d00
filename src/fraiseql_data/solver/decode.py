"""Encoded integers back to PostgreSQL text, vectorised.

The inverse of `constraints.encoding`: cents to `12.34`, day numbers to
`2024-05-01`, seconds to `2024-05-01 12:00:00+00`, enum indices to labels.
"""

from __future__ import annotations

import numpy as np

from fraiseql_data.constraints.encoding import Encoding, Kind
from fraiseql_data.values.literal import by_table

Texts = list[str | None]


def with_nulls(strings: list[str], null: np.ndarray) -> Texts:
    if not null.any():
        return strings  # type: ignore[return-value]
    return [None if is_null else s for s, is_null in zip(strings, null.tolist(), strict=True)]


def decimals(values: np.ndarray, scale: int) -> list[str]:
    if scale == 0:
        return values.astype(str).tolist()
    factor = 10**scale
    magnitude = np.abs(values.astype(object)) if values.dtype == object else np.abs(values)
    whole, fraction = np.divmod(magnitude, factor)
    sign = np.where(values < 0, "-", "")
    fraction_text = np.char.zfill(fraction.astype(str), scale)
    return np.char.add(np.char.add(np.char.add(sign, whole.astype(str)), "."), fraction_text).tolist()


def decode(encoding: Encoding, values: np.ndarray, null: np.ndarray) -> Texts:
    """Text for each encoded value (None where null)."""
    kind = encoding.kind
    if values.size == 0:
        return []
    if kind is Kind.INT:
        strings = list(map(str, values.tolist()))
    elif kind in (Kind.NUMERIC, Kind.FLOAT):
        strings = decimals(values, encoding.scale)
    elif kind is Kind.BOOL:
        strings = np.where(values.astype(bool), "t", "f").tolist()
    elif kind is Kind.DATE:
        strings = by_table(values, lambda days: days.astype("datetime64[D]").astype(str).tolist())
    elif kind in (Kind.TIMESTAMP, Kind.TIMESTAMPTZ):
        text = np.char.replace(values.astype("datetime64[s]").astype(str), "T", " ")
        if kind is Kind.TIMESTAMPTZ:
            text = np.char.add(text, "+00")
        strings = text.tolist()
    elif kind is Kind.TIME:
        hours, rest = np.divmod(values, 3600)
        minutes, seconds = np.divmod(rest, 60)
        strings = [f"{h:02d}:{m:02d}:{s:02d}" for h, m, s in zip(hours.tolist(), minutes.tolist(),
                                                                    seconds.tolist(), strict=True)]
    elif kind is Kind.ENUM:
        labels = np.array(encoding.labels, dtype=object)
        strings = labels[np.clip(values, 0, len(labels) - 1)].tolist()
    else:
        raise TypeError(f"{kind} has no integer encoding")
    return with_nulls(strings, null)
