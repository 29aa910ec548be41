"""The scorer family's base: one signature for every sentence similarity.

Like rapidfuzz's scorers, every scorer takes the same arguments: two lists of
matching keys (see :func:`align.clean.match_key`), and returns the full
similarity matrix in [0, 1] as float32, computed in bulk (never one Python
call per pair).
"""

from __future__ import annotations

from typing import Any, Callable, ClassVar, Optional, Sequence

import numpy as np


class Scorer:
    name: ClassVar[str] = ""
    description: ClassVar[str] = ""

    def __call__(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def pairwise(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        """The similarity of each query with the choice at the same place (the
        diagonal of ``self(queries, choices)``, without the rest of the matrix)."""
        return np.array([self([q], [c])[0, 0] for q, c in zip(queries, choices)], dtype=np.float32)


# Two sequences (characters, or a word scorer's words) both longer than this
# are compared block by block: rapidfuzz takes time with the product of the
# lengths (two sentences of 2 MB with no full stop: minutes). The blocks are
# aligned by their share of each text, BLOCK items of the longer one at a time,
# and their scores averaged by size: for Indel-based scores (``ratio``,
# ``words``) a lower bound of the exact score, close to it where the texts run
# in step, as renderings of one text do. Normal sentences are far shorter.
LONG = 5_000
BLOCK = 2_000


def blockwise(function: Callable[..., Any], a: Sequence[Any], b: Sequence[Any]) -> float:
    """``function(a, b)``, block by block where both are longer than LONG."""
    n, m = len(a), len(b)
    if n <= LONG or m <= LONG:
        return float(function(a, b))
    k = -(-max(n, m) // BLOCK)
    total = weight = 0.0
    for t in range(k):
        x, y = a[t * n // k : (t + 1) * n // k], b[t * m // k : (t + 1) * m // k]
        total += float(function(x, y)) * (len(x) + len(y))
        weight += len(x) + len(y)
    return total / weight


def _unique(items: Sequence[Any]) -> tuple[list[Any], Optional[np.ndarray]]:
    """The distinct items in order and where each item is among them (None: all distinct)."""
    distinct = dict.fromkeys(items)
    if len(distinct) == len(items):
        return list(items), None
    for k, x in enumerate(distinct):
        distinct[x] = k
    return list(distinct), np.fromiter(map(distinct.__getitem__, items), dtype=np.int64, count=len(items))


def bulk(function: Callable[..., Any], queries: Sequence[Any], choices: Sequence[Any], pairwise: bool) -> np.ndarray:
    """``process.cdist`` (or ``cpdist`` with ``pairwise``) of ``function``, long
    pairs block by block (see :func:`blockwise`). In a matrix each distinct text
    is scored once: many witnesses of one text repeat their sentences, and a
    score depends on the pair alone."""
    if not pairwise:
        uq, qi = _unique(queries)
        uc, ci = _unique(choices)
        if qi is not None or ci is not None:
            qi = np.arange(len(uq)) if qi is None else qi
            ci = np.arange(len(uc)) if ci is None else ci
            return _bulk(function, uq, uc, False)[np.ix_(qi, ci)]
    return _bulk(function, queries, choices, pairwise)


def _bulk(function: Callable[..., Any], queries: Sequence[Any], choices: Sequence[Any], pairwise: bool) -> np.ndarray:
    from rapidfuzz import process

    if not queries or not choices or max(map(len, queries)) <= LONG or max(map(len, choices)) <= LONG:
        scores = process.cpdist if pairwise else process.cdist
        return scores(queries, choices, scorer=function, dtype=np.float32, workers=1)
    long_q = [i for i, q in enumerate(queries) if len(q) > LONG]
    long_c = {j for j, c in enumerate(choices) if len(c) > LONG}
    if pairwise:
        slow = [i for i in long_q if i in long_c]
        if not slow:
            return process.cpdist(queries, choices, scorer=function, dtype=np.float32, workers=1)
        short = [i for i in range(len(queries)) if i not in set(slow)]
        out = np.zeros(len(queries), dtype=np.float32)
        if short:
            out[short] = process.cpdist([queries[i] for i in short], [choices[i] for i in short],
                                        scorer=function, dtype=np.float32, workers=1)
        for i in slow:
            out[i] = blockwise(function, queries[i], choices[i])
        return out
    if not long_q or not long_c:
        return process.cdist(queries, choices, scorer=function, dtype=np.float32, workers=1)
    # Long queries are scored on their own: exactly against short choices, by blocks against long ones.
    short_q = [i for i in range(len(queries)) if i not in set(long_q)]
    short_c = [j for j in range(len(choices)) if j not in long_c]
    out = np.zeros((len(queries), len(choices)), dtype=np.float32)
    if short_q:
        out[short_q] = process.cdist([queries[i] for i in short_q], choices, scorer=function, dtype=np.float32, workers=1)
    for i in long_q:
        if short_c:
            out[i, short_c] = process.cdist([queries[i]], [choices[j] for j in short_c], scorer=function,
                                            dtype=np.float32, workers=1)[0]
        for j in long_c:
            out[i, j] = blockwise(function, queries[i], choices[j])
    return out


class RapidfuzzScorer(Scorer):
    """A scorer that is one rapidfuzz function run through ``process.cdist``."""

    function: ClassVar[Callable[..., Any]]

    def __call__(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        if not queries or not choices:
            return np.zeros((len(queries), len(choices)), dtype=np.float32)
        out = bulk(type(self).function, queries, choices, pairwise=False)
        out /= 100.0
        return out

    def pairwise(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        if not queries:
            return np.zeros(0, dtype=np.float32)
        out = bulk(type(self).function, queries, choices, pairwise=True)
        out /= 100.0
        return out
