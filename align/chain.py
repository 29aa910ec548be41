"""The longest chain of pairs in the same order on both sides: the sentence
anchors and the word alignment of long units keep only such a chain of their
candidate matches (one shared patience/longest-increasing-subsequence step)."""

from __future__ import annotations

from bisect import bisect_left
from typing import Sequence, TypeVar

Pair = TypeVar("Pair", bound=tuple)


def increasing(pairs: Sequence[Pair]) -> list[Pair]:
    """The longest chain of ``pairs`` (tuples starting ``(i, j, ...)``, sorted
    by ``i``) whose ``j`` increase strictly, in order."""
    tails: list[int] = []  # smallest j ending a chain of each length
    tail_index: list[int] = []
    parent = [-1] * len(pairs)
    for k, pair in enumerate(pairs):
        j = pair[1]
        pos = bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_index.append(k)
        else:
            tails[pos] = j
            tail_index[pos] = k
        parent[k] = tail_index[pos - 1] if pos else -1
    chain = []
    k = tail_index[-1] if tail_index else -1
    while k >= 0:
        chain.append(pairs[k])
        k = parent[k]
    return chain[::-1]
