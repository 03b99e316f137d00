"""Drawing integers from a solved domain: mostly realistic, sometimes at the edges.

Good test data probes boundaries, so a small share of draws lands exactly on
the domain's bounds; the rest is uniform inside a realistic window (say, the
last ten years for a date) clipped to the domain.
"""

from __future__ import annotations

import numpy as np

EDGE_RATE = 0.03  # share of draws placed on each bound


def sample_numbers(rng: np.random.Generator, n: int, lo: int, hi: int, window_lo: int, window_hi: int) -> np.ndarray:
    """n integers in [lo, hi]: uniform in the window, with the bounds at EDGE_RATE each."""
    if lo > hi:
        raise ValueError(f"empty domain [{lo}, {hi}]")
    span = window_hi - window_lo
    clipped_lo, clipped_hi = max(lo, window_lo), min(hi, window_hi)
    if clipped_lo > clipped_hi or (clipped_hi - clipped_lo) * 10 < min(span, hi - lo):
        # the domain barely meets the window (x <= 0 against 0..10000): a window as wide, on the domain's side
        if hi < window_hi:
            clipped_lo, clipped_hi = max(lo, hi - span), hi
        else:
            clipped_lo, clipped_hi = lo, min(hi, lo + span)
    window_lo, window_hi = clipped_lo, clipped_hi
    span = window_hi - window_lo + 1
    if span <= 2**62:
        values = window_lo + (rng.random(n) * span).astype(np.int64)
        values = np.minimum(values, window_hi)
    else:  # spans beyond int64 (full bigint ranges): draw 62 bits and scale
        values = np.array([window_lo + int(x) * span // 2**62 for x in rng.integers(0, 2**62, n)], dtype=object)
        values = values.astype(np.int64)
    edge = rng.random(n)
    values = np.where(edge < EDGE_RATE, lo, values)
    values = np.where(edge > 1 - EDGE_RATE, hi, values)
    return values.astype(np.int64)


def distinct_ranks(rng: np.random.Generator, n: int, space: int) -> np.ndarray:
    """n distinct integers in [0, space), drawn without replacement, in random order."""
    if n > space:
        raise ValueError(f"{n} distinct values requested from a space of {space}")
    if space <= max(4 * n, 1024):
        return rng.permutation(space)[:n].astype(np.int64)
    if space < 2**62:
        found = np.unique(rng.integers(0, space, int(n * 1.1) + 16))
        while found.size < n:
            found = np.unique(np.concatenate([found, rng.integers(0, space, n - found.size + 16)]))
        return rng.permutation(found)[:n].astype(np.int64)
    picked: set[int] = set()
    while len(picked) < n:
        picked.update(int(x) * (space // 2**62) for x in rng.integers(0, 2**62, n - len(picked)))
    return np.array(sorted(picked)[:n], dtype=object)[rng.permutation(n)]
