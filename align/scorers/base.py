"""The scorer family's base: one signature for every sentence similarity.

Like rapidfuzz's scorers, every scorer takes the same arguments: two lists of
matching keys (see :func:`align.clean.match_key`), and returns the full
similarity matrix in [0, 1] as float32, computed in bulk (never one Python
call per pair).
"""

from __future__ import annotations

from typing import Any, Callable, ClassVar, Sequence

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


class RapidfuzzScorer(Scorer):
    """A scorer that is one rapidfuzz function run through ``process.cdist``."""

    function: ClassVar[Callable[..., Any]]

    def __call__(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        from rapidfuzz import process

        if not queries or not choices:
            return np.zeros((len(queries), len(choices)), dtype=np.float32)
        out = process.cdist(queries, choices, scorer=type(self).function, dtype=np.float32, workers=1)
        out /= 100.0
        return out

    def pairwise(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        from rapidfuzz import process

        if not queries:
            return np.zeros(0, dtype=np.float32)
        out = process.cpdist(queries, choices, scorer=type(self).function, dtype=np.float32, workers=1)
        out /= 100.0
        return out
