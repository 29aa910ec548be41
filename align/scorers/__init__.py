"""Sentence similarity scorers (a pluggable family; see :class:`.base.Scorer`).

``token_sort_ratio`` is the default: measured on the 000/001 seed pair against
the hand alignment in ``tests/data`` it found the most gold links while keeping
unrelated sentences apart (see the README's scorer table).
"""

from __future__ import annotations

from rapidfuzz import fuzz

from ..errors import AlignError
from .base import RapidfuzzScorer, Scorer


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


SCORERS: dict[str, Scorer] = {s.name: s for s in (Ratio(), TokenSortRatio(), TokenSetRatio(), WRatio())}


def get_scorer(name: str) -> Scorer:
    try:
        return SCORERS[name]
    except KeyError:
        raise AlignError(f"unknown scorer {name!r} (known: {', '.join(SCORERS)})") from None


__all__ = ["Scorer", "SCORERS", "get_scorer"]
