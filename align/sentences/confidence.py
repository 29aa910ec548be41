"""A link's confidence: the probability that it is right, fitted on data.

A unit's ``@cert`` is read by scholars as "check this below 0.5", so it must
be a probability, not a similarity. A logistic model maps what the aligner
knows of a link (its similarity, Gale & Church's length deviation, how many
sentences it joins) to the probability that the link is right, with
coefficients fitted on real translations with a known alignment
(``benchmarks/bible.py --fit``: the development books, KJV against WEB) and
stored in ``align/data/confidence.json``; its calibration is measured on books
never fitted on (``benchmarks/bible.py --check``).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from typing import Sequence

import numpy as np

# Linear in each (a monotone model: a more similar link is never less likely right).
FEATURES = ("bias", "similarity", "deviation", "extra sentences")


def features(similarity: float, deviation: float, sentences: int) -> list[float]:
    return [1.0, similarity, deviation, float(max(sentences - 2, 0))]


@lru_cache(maxsize=1)
def coefficients() -> tuple[float, ...]:
    text = resources.files("align").joinpath("data/confidence.json").read_text("utf-8")
    model = json.loads(text)
    if tuple(model["features"]) != FEATURES:
        raise ValueError("align/data/confidence.json was fitted on other features; refit it")
    return tuple(float(c) for c in model["coefficients"])


def probability(similarity: float, deviation: float, sentences: int) -> float:
    """P(the link is right | what the aligner knows of it)."""
    z = sum(c * x for c, x in zip(coefficients(), features(similarity, deviation, sentences)))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def fit(rows: Sequence[Sequence[float]], labels: Sequence[bool], l2: float = 1e-3) -> list[float]:
    """Logistic regression by Newton's method (a small L2 penalty keeps it finite)."""
    x = np.asarray(rows, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    w = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + l2 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w.tolist()


def reliability(points: Sequence[tuple[float, bool]], bins: int = 10) -> tuple[list[tuple[float, float, int, float]], float]:
    """Reliability table (per confidence bin: low edge, mean confidence, units,
    share right) and the expected calibration error."""
    table = []
    ece = 0.0
    n = len(points)
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(c, ok) for c, ok in points if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if not inside:
            continue
        mean = sum(c for c, _ in inside) / len(inside)
        right = sum(ok for _, ok in inside) / len(inside)
        table.append((lo, mean, len(inside), right))
        ece += len(inside) / n * abs(mean - right)
    return table, ece
