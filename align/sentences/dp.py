"""The bead DP: the best in-order path of links between two sequences.

Dynamic programming over beads (1-1, 1-0, 0-1, 1-2, 2-1, 2-2), in the line of
Gale & Church and vecalign. A bead linking sentences gains
``similarity - threshold`` (minus a small penalty for merges and splits), a
sentence left alone gains nothing: so a sentence is linked only where its
similarity beats the threshold, and unrelated text stays alone instead of being
forced onto a neighbour. Similarities are computed in bulk (one ``cdist`` per
bead shape and witness), and the DP is vectorised along each row, so no
Python object is made per cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..scorers import Scorer

_SKIP_UNIT, _ONE_ONE, _TWO_ONE, _ONE_TWO, _TWO_TWO, _SKIP_NEW = range(6)
# (units consumed, new sentences consumed) per bead
_STEPS = {_SKIP_UNIT: (1, 0), _ONE_ONE: (1, 1), _TWO_ONE: (2, 1), _ONE_TWO: (1, 2), _TWO_TWO: (2, 2), _SKIP_NEW: (0, 1)}
_NEG = np.float32(-1e9)


@dataclass(frozen=True)
class Bead:
    """A step of the alignment path: units ``[i0, i1)`` with new sentences ``[j0, j1)``."""

    i0: int
    i1: int
    j0: int
    j1: int
    score: float


def _similarities(
    scorer: Scorer, left: Sequence[Sequence[str]], right: Sequence[str]
) -> np.ndarray:
    """Max over the left witnesses of scorer(left_w, right); empty strings score 0."""
    out = np.zeros((len(left[0]) if left else 0, len(right)), dtype=np.float32)
    right_empty = np.array([not r for r in right], dtype=bool)
    for keys in left:
        rows = [i for i, k in enumerate(keys) if k]
        if not rows or not right:
            continue
        sims = scorer([keys[i] for i in rows], list(right))
        np.maximum(out[rows], sims, out=sims)
        out[rows] = sims
    out[:, right_empty] = 0.0
    return out


def _pairs(keys: Sequence[str]) -> list[str]:
    return [f"{a} {b}".strip() if a and b else "" for a, b in zip(keys, keys[1:])]


def align_path(
    unit_keys: Sequence[Sequence[str]],
    keys: Sequence[str],
    scorer: Scorer,
    threshold: float,
    merge_penalty: float,
    unit_breaks: Sequence[bool] = (),
    new_breaks: Sequence[bool] = (),
) -> tuple[list[Bead], np.ndarray]:
    """Best bead path between units (their keys per earlier witness) and new sentences.

    ``unit_breaks[i]`` / ``new_breaks[j]`` forbid merging item i with i+1 (a
    speaker turn starts between them). Returns the beads and the 1-1
    similarity matrix (for confidences)."""
    n, m = (len(unit_keys[0]) if unit_keys else 0), len(keys)
    s11 = _similarities(scorer, unit_keys, keys)
    s21 = _similarities(scorer, [_pairs(k) for k in unit_keys], keys)
    s12 = _similarities(scorer, unit_keys, _pairs(keys))
    s22 = _similarities(scorer, [_pairs(k) for k in unit_keys], _pairs(keys))
    ub = np.asarray(unit_breaks, dtype=bool)
    nb = np.asarray(new_breaks, dtype=bool)
    if ub.any():
        s21[ub, :] = 0.0
        s22[ub, :] = 0.0
    if nb.any():
        s12[:, nb] = 0.0
        s22[:, nb] = 0.0
    raw = {_ONE_ONE: s11, _TWO_ONE: s21, _ONE_TWO: s12, _TWO_TWO: s22}

    score = np.full((n + 1, m + 1), _NEG, dtype=np.float32)
    back = np.zeros((n + 1, m + 1), dtype=np.int8)
    cols = np.arange(m + 1)
    for i in range(n + 1):
        cand = np.full(m + 1, _NEG, dtype=np.float32)
        kind = np.full(m + 1, _SKIP_NEW, dtype=np.int8)
        if i == 0:
            cand[0] = 0.0
        else:
            options = [(_SKIP_UNIT, score[i - 1], 0, None)]
            options.append((_ONE_ONE, score[i - 1, :-1], 1, s11[i - 1] - threshold))
            if m > 1:
                options.append((_ONE_TWO, score[i - 1, :-2], 2, s12[i - 1] - threshold - merge_penalty))
            if i > 1:
                options.append((_TWO_ONE, score[i - 2, :-1], 1, s21[i - 2] - threshold - merge_penalty))
                if m > 1:
                    options.append((_TWO_TWO, score[i - 2, :-2], 2, s22[i - 2] - threshold - 2 * merge_penalty))
            for code, prev, dj, gain in options:
                value = prev if gain is None else prev + gain
                target = cand[dj:]
                better = value > target
                target[better] = value[better]
                kind[dj:][better] = code
        # 0-1 beads chain along the row at no cost: a running maximum.
        best = np.maximum.accumulate(cand)
        source = np.maximum.accumulate(np.where(cand >= best, cols, 0))
        score[i] = best
        back[i] = np.where(source == cols, kind, _SKIP_NEW)

    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        code = int(back[i, j])
        di, dj = _STEPS[code]
        if code == _SKIP_NEW and j == 0:  # unreachable guard
            di, dj = 1, 0
        offset = {_ONE_ONE: (1, 1), _TWO_ONE: (2, 1), _ONE_TWO: (1, 2), _TWO_TWO: (2, 2)}.get(code)
        sim = float(raw[code][i - offset[0], j - offset[1]]) if offset else 0.0
        beads.append(Bead(i - di, i, j - dj, j, sim))
        i, j = i - di, j - dj
    beads.reverse()
    return beads, raw[_ONE_ONE]


