"""Long texts: confident links found cheaply anchor the path, and the DP runs
between consecutive anchors only, so time and memory grow with the text, not
with its square."""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from ..chain import increasing
from ..scorers import Scorer
from .dp import Bead, Costs, align_path, grow, key_lengths, length_weight

# Above this many cells (units x new sentences) the full DP matrix is not built:
# confident 1-1 links found cheaply (sentences sharing a rare word) anchor the
# path, and the DP runs between consecutive anchors only. Time and memory then
# grow with the text, not with its square.
FULL_DP_CELLS = 1_000_000
ANCHOR_SIMILARITY = 0.85
# A rare word occurs at most this often on each side; candidates lie this close
# to the diagonal (as a share of the text).
RARE = 2
DRIFT = 0.1


def anchored_path(
    unit_keys: Sequence[Sequence[str]],
    keys: Sequence[str],
    scorer: Scorer,
    costs: Costs,
    unit_breaks: Sequence[bool] = (),
    new_breaks: Sequence[bool] = (),
    anchorable: Optional[Sequence[bool]] = None,
) -> tuple[list[Bead], np.ndarray, np.ndarray]:
    """:func:`align_path` for texts of any length. Returns the beads and, per
    unit and per new sentence, its best 1-1 similarity (for confidences).
    ``anchorable``: the units that may anchor (default: all)."""
    n, m = (len(unit_keys[0]) if unit_keys else 0), len(keys)
    la, lb = key_lengths(unit_keys), np.array([len(k) for k in keys], dtype=np.float32)
    weight = length_weight(la, lb) if n and m else 1.0
    anchors = _anchors(unit_keys, keys, scorer, anchorable) if n * m * weight > FULL_DP_CELLS else []
    if anchors and costs.variance is None and costs.length_weight:
        # The anchors are confident links: the length model of the whole texts.
        costs = costs.fitted(la[[i for i, _, _ in anchors]], lb[[j for _, j, _ in anchors]])
    best_unit = np.zeros(n, dtype=np.float32)
    best_new = np.zeros(m, dtype=np.float32)
    beads: list[Bead] = []
    fixed: set[Bead] = set()  # the anchors' beads
    previous = (0, 0)
    for i, j, sim in anchors + [(n, m, None)]:
        (i0, j0), (i1, j1) = previous, (i, j)
        if i1 > i0 or j1 > j0:
            args = ([k[i0:i1] for k in unit_keys], keys[j0:j1], scorer, costs,
                    list(unit_breaks[i0 : max(i0, i1 - 1)]), list(new_breaks[j0 : max(j0, j1 - 1)]))
            if anchors and (i1 - i0) * (j1 - j0) * weight > FULL_DP_CELLS:
                # Still long between two anchors: words rare here may be common in the whole text.
                part, unit_best, new_best = anchored_path(*args, None if anchorable is None else anchorable[i0:i1])
            else:
                part, s11 = align_path(*args)
                unit_best = s11.max(axis=1) if s11.size else 0.0
                new_best = s11.max(axis=0) if s11.size else 0.0
            beads.extend(Bead(b.i0 + i0, b.i1 + i0, b.j0 + j0, b.j1 + j0, b.score, b.deviation) for b in part)
            best_unit[i0:i1] = unit_best
            best_new[j0:j1] = new_best
        if sim is not None:
            beads.append(Bead(i, i + 1, j, j + 1, sim))
            fixed.add(beads[-1])
            best_unit[i], best_new[j] = sim, sim
            previous = (i + 1, j + 1)
    if anchors:
        # An anchor is a 1-1 link, and the DP runs beside it, never through it: the
        # rest of a sentence split in two right after an anchor ("Retrieve the size."
        # "Of a document.") joins it here, as beside any link of the DP.
        linked = sum(b.j1 - b.j0 for b in beads if b.is_link)
        beads = grow(beads, unit_keys, keys, scorer, costs, list(unit_breaks), list(new_breaks), la, lb,
                     linked / max(m, 1), only=fixed)
    return beads, best_unit, best_new


def _anchors(unit_keys: Sequence[Sequence[str]], keys: Sequence[str], scorer: Scorer,
             anchorable: Optional[Sequence[bool]] = None) -> list[tuple[int, int, float]]:
    """Confident 1-1 links, increasing in both texts: pairs of sentences that
    share a word rare on both sides, lie near the diagonal, score at least
    ANCHOR_SIMILARITY and are each other's best candidate (among the units
    ``anchorable``, default all)."""
    # Where no word is rare enough (a text that repeats its vocabulary), a little
    # less rare will do: more candidates, still checked by similarity.
    for rare in (RARE, 2 * RARE, 4 * RARE):
        found = _anchors_with(unit_keys, keys, scorer, rare, anchorable)
        if found:
            return found
    return []


def _anchors_with(
    unit_keys: Sequence[Sequence[str]], keys: Sequence[str], scorer: Scorer, rare: int,
    anchorable: Optional[Sequence[bool]] = None,
) -> list[tuple[int, int, float]]:
    n, m = len(unit_keys[0]), len(keys)

    def rare_words(texts: Sequence[str]) -> dict[str, list[int]]:
        where: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            words = text.split()
            # Words and word pairs: a pair is rare where each of its words is common.
            for w in {w for w in words if len(w) > 3} | {f"{a} {b}" for a, b in zip(words, words[1:])}:
                where.setdefault(w, []).append(i)
        return {w: v for w, v in where.items() if len(v) <= rare}

    new_rare = rare_words(keys)
    candidates: dict[int, set[int]] = {}
    # Candidates from each unit's first witness (every unit has one): rare words
    # of the others would cost as much again for each witness and find the same units.
    for texts in unit_keys[:1]:
        for w, rows in rare_words(texts).items():
            for i in rows:
                for j in new_rare.get(w, ()):
                    if abs(i / n - j / m) <= DRIFT:
                        candidates.setdefault(i, set()).add(j)
    best_for_new: dict[int, tuple[float, int]] = {}
    best_for_unit: dict[int, tuple[float, int]] = {}
    pairs = sorted((i, j) for i, js in candidates.items() for j in js)
    rows = np.array([i for i, _ in pairs], dtype=np.int64)
    cols = np.array([j for _, j in pairs], dtype=np.int64)
    sims = np.zeros(len(pairs), dtype=np.float32)
    for texts in unit_keys:
        # All candidates of a witness in one call: the scorer's pairwise form.
        keep = np.flatnonzero([bool(texts[i]) for i in rows.tolist()]) if pairs else np.zeros(0, dtype=np.int64)
        if keep.size:
            found = scorer.pairwise([texts[i] for i in rows[keep].tolist()], [keys[j] for j in cols[keep].tolist()])
            sims[keep] = np.maximum(sims[keep], found)
    for (i, j), sim in zip(pairs, sims.tolist()):
        if sim >= ANCHOR_SIMILARITY:
            if sim > best_for_unit.get(i, (0.0, -1))[0]:
                best_for_unit[i] = (sim, j)
            if sim > best_for_new.get(j, (0.0, -1))[0]:
                best_for_new[j] = (sim, i)
    # A unit that few witnesses share (one witness's sentence out of its place,
    # which the others render in a unit of their own) may be a new sentence's
    # best match but is no anchor: anchored there, the new witness would follow
    # that one witness's order for good.
    mutual = sorted((i, j, sim) for i, (sim, j) in best_for_unit.items()
                    if best_for_new[j][1] == i and (anchorable is None or anchorable[i]))
    return increasing(mutual)
