"""The bead DP: the best in-order path of links between two sequences.

Dynamic programming over beads (1-0, 0-1 and links of up to three sentences
on a side: 1-1, 1-2, 2-1, 2-2, 1-3, 3-1), in the line of Gale & Church and
vecalign. A bead linking sentences gains ``similarity - threshold``, less a
small penalty for merges and splits and a length cost (Gale & Church: the
squared deviation of its lengths from the texts' length ratio), a sentence left
alone gains nothing: so a sentence is linked only where its similarity beats
the threshold, and unrelated text stays alone instead of being forced onto a
neighbour. A link longer than three sentences on a side (one long sentence
rendered as four) grows out of a shorter one (see :func:`grow`), or, where a
sentence left alone costs something (across languages), is looked for around
the sentences left alone (see :func:`rework_gaps`). Similarities
are computed in bulk (one ``cdist`` per bead shape and witness, or pair by pair
in a band around the 1-1 path for long texts), and the DP is vectorised along
each row, so no Python object is made per cell.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional, Sequence

import numpy as np

from ..scorers import Scorer

# Bead shapes that link: (units, new sentences). Skips are (1, 0) and (0, 1).
# (2, 3) and (3, 2), where two translations' sentence boundaries cross, were tried
# (2026-12-07): across languages no link changed on any development book; in one
# language Luke 1-3 (KJV/WEB) gained a link and Mark lost as much (verse grouped
# F1 0.994 -> 0.991), with a tenth more memory across languages. Not kept.
SHAPES = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1))
_NEG = np.float32(-1e9)
# Gale & Church's variance of a translation's length per character (their 6.8,
# for characters of European languages): the prior of the variance each pair of
# texts gets from its own confident links (see Costs.fitted).
LENGTH_VARIANCE = 6.8
# How many links the prior is worth, and how similar a mutual best 1-1 link must
# be to count as confident.
PRIOR_LINKS = 5
CONFIDENT = 0.5
# A length deviation beyond this many standard deviations costs no more: a very
# uneven link is told by its similarity, not by its length alone.
LENGTH_CAP = 4.0
# A sentence alone beside a link joins it even at this much loss of gain, times
# the share of sentences that have a counterpart: in a translation nearly every
# sentence renders something, so one left alone between links is likelier part
# of its neighbour ("God forbid: yea, ..." / "May it never be! Yes, ...") than
# an addition; in a retelling it is not.
GROW_SLACK = 0.05

# Around sentences left alone where that costs something (across languages),
# the DP runs again with links of up to LONG_RUN sentences on one side, on a
# window reaching REWORK_CONTEXT links either side, of at most REWORK_CELLS cells.
# LONG_RUN holds the longest such link of the development books: Matthew's
# genealogy, one Spanish sentence for 27 of the WEB (16 until 2026-12-07 split it
# in two and shifted the links after it; 32 and 64 align every development book
# alike, the check books are unchanged).
LONG_RUN = 32
REWORK_CONTEXT = 3
REWORK_CELLS = 4_000

# Above this many cells the links of several sentences are looked for in a band
# of this many sentences either side of the 1-1 path only.
BAND_CELLS = 40_000
BAND = 8


@dataclass(frozen=True)
class Costs:
    """What a bead gains: ``similarity - threshold - merge_penalty * (sentences - 2)
    - length_weight * min(delta, LENGTH_CAP) ** 2``, with ``delta`` Gale & Church's
    length deviation at the texts' length ``ratio`` (new / units)."""

    threshold: float
    merge_penalty: float = 0.0
    length_weight: float = 0.0
    ratio: float = 1.0
    # None: not yet fitted to the texts at hand (align_path fits it).
    variance: float | None = None
    # What a sentence left alone costs (1-0 and 0-1 beads): 0 where a witness may
    # well add or leave out (retellings); more across languages, where a
    # translation renders nearly every sentence of its source.
    skip: float = 0.0

    def fitted(self, a: np.ndarray, b: np.ndarray) -> "Costs":
        """The length model of these texts, from the lengths of their confident
        1-1 links: the ratio and the variance of a rendering's length. A
        translation keeps lengths close (variance near Gale & Church's 6.8), a
        retelling does not (the seeds' retellings: about 100), so the length of a
        link says much about a translation and little about a retelling. The
        prior (PRIOR_LINKS links at Gale & Church's values) rules where confident
        links are few."""
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        keep = (a > 0) & (b > 0)
        a, b = a[keep], b[keep]
        ratio = (PRIOR_LINKS * 50 * self.ratio + b.sum()) / (PRIOR_LINKS * 50 + a.sum())
        residual = ((b - ratio * a) ** 2 / np.maximum((ratio * a + b) / 2, 1.0)).sum()
        variance = (PRIOR_LINKS * LENGTH_VARIANCE + residual) / (PRIOR_LINKS + len(a))
        return replace(self, ratio=float(ratio), variance=float(variance))

    def deviation(self, a: np.ndarray, b: np.ndarray, cap: float = LENGTH_CAP) -> np.ndarray:
        """Gale & Church's |delta| (capped): how far lengths ``a`` (units) and ``b``
        (new sentences) are from the texts' ratio, in standard deviations."""
        a = np.asarray(a, dtype=np.float32)
        b = np.asarray(b, dtype=np.float32)
        variance = LENGTH_VARIANCE if self.variance is None else self.variance
        delta = (b - self.ratio * a) / np.sqrt(variance * np.maximum((self.ratio * a + b) / 2, 1.0))
        return np.minimum(np.abs(delta), cap).astype(np.float32)

    def length_cost(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if not self.length_weight:
            return np.zeros(np.broadcast_shapes(a.shape, b.shape), dtype=np.float32)
        return (self.length_weight * self.deviation(a, b) ** 2).astype(np.float32)

    def gain(self, sim: np.ndarray, shape: tuple[int, int], a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return sim - self.threshold - self.merge_penalty * (sum(shape) - 2) - self.length_cost(a, b)

    def bead_gain(self, bead: "Bead") -> float:
        """What a bead of a path gains (its score and length deviation as the DP found them)."""
        shape = (bead.i1 - bead.i0, bead.j1 - bead.j0)
        if not bead.is_link:
            return -self.skip * sum(shape)
        return (bead.score - self.threshold - self.merge_penalty * (sum(shape) - 2)
                - self.length_weight * bead.deviation ** 2)


@dataclass(frozen=True)
class Bead:
    """A step of the alignment path: units ``[i0, i1)`` with new sentences ``[j0, j1)``."""

    i0: int
    i1: int
    j0: int
    j1: int
    score: float
    # Gale & Church's length deviation of a link (see Costs.deviation).
    deviation: float = 0.0

    @property
    def sentences(self) -> int:
        return self.i1 - self.i0 + self.j1 - self.j0

    @property
    def is_link(self) -> bool:
        """Whether the bead links sentences of both sides (not a sentence left alone)."""
        return self.i1 > self.i0 and self.j1 > self.j0


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


# Sentences longer than this on average (characters) cost more to compare than
# the cell counts below assume (rapidfuzz's time grows with the product of the
# lengths): their cells count that many times more (a text with no full stop,
# cut into pieces of 2,000 characters). Normal sentences are far shorter.
LONG_SENTENCE = 500


def length_weight(la: np.ndarray, lb: np.ndarray) -> float:
    """How many normal cells one cell of these texts is worth (1 for normal sentences)."""
    if not len(la) or not len(lb):
        return 1.0
    return max(1.0, float(np.mean(la)) * float(np.mean(lb)) / LONG_SENTENCE**2)


def joined(keys: Sequence[str], k: int, breaks: Sequence[bool] = ()) -> list[str]:
    """Each run of ``k`` consecutive keys as one ("" where a run holds an empty
    key or crosses a break: such a run is never one bead)."""
    if k == 1:
        return list(keys)
    out = []
    for i in range(len(keys) - k + 1):
        run = keys[i : i + k]
        crossing = any(breaks[i : i + k - 1]) if breaks else False
        out.append("" if crossing or not all(run) else " ".join(run))
    return out


def _run_lengths(lengths: np.ndarray, k: int) -> np.ndarray:
    if len(lengths) < k:
        return np.zeros(0, dtype=np.float32)
    c = np.concatenate([[0.0], np.cumsum(lengths, dtype=np.float64)])
    return (c[k:] - c[:-k]).astype(np.float32)


def key_lengths(unit_keys: Sequence[Sequence[str]]) -> np.ndarray:
    """A unit's length: the mean length of its keys among the witnesses that have it."""
    if not unit_keys:
        return np.zeros(0, dtype=np.float32)
    lengths = np.array([[len(k) for k in keys] for keys in unit_keys], dtype=np.float32)
    present = (lengths > 0).sum(axis=0)
    return (lengths.sum(axis=0) / np.maximum(present, 1)).astype(np.float32)


def confident_lengths(s11: np.ndarray, la: np.ndarray, lb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lengths of the mutual best 1-1 links at least CONFIDENT similar."""
    if not s11.size:
        return np.zeros(0), np.zeros(0)
    best_j = s11.argmax(axis=1)
    best_i = s11.argmax(axis=0)
    rows = np.arange(s11.shape[0])
    keep = (best_i[best_j] == rows) & (s11[rows, best_j] >= CONFIDENT)
    return la[rows[keep]], lb[best_j[keep]]


def align_path(
    unit_keys: Sequence[Sequence[str]],
    keys: Sequence[str],
    scorer: Scorer,
    costs: Costs,
    unit_breaks: Sequence[bool] = (),
    new_breaks: Sequence[bool] = (),
) -> tuple[list[Bead], np.ndarray]:
    """Best bead path between units (their keys per earlier witness) and new sentences.

    ``unit_breaks[i]`` / ``new_breaks[j]`` forbid merging item i with i+1 (a
    speaker turn starts between them). Returns the beads and the 1-1
    similarity matrix (for confidences)."""
    n, m = (len(unit_keys[0]) if unit_keys else 0), len(keys)
    ub, nb = list(unit_breaks), list(new_breaks)
    la, lb = key_lengths(unit_keys), np.array([len(k) for k in keys], dtype=np.float32)
    s11 = _similarities(scorer, unit_keys, keys) if n and m else np.zeros((n, m), dtype=np.float32)
    confident = confident_lengths(s11, la, lb)
    if costs.variance is None and costs.length_weight:
        costs = costs.fitted(*confident)
    # The share of sentences with a confident counterpart (with a prior of
    # PRIOR_LINKS sentences at one half): near 1 in a translation, low in a retelling.
    coverage = (len(confident[0]) + PRIOR_LINKS / 2) / (min(n, m) + PRIOR_LINKS)
    band = None
    if n * m * length_weight(la, lb) > BAND_CELLS:
        # Links of several sentences are looked for only near the path that
        # 1-1 links alone take (vecalign's coarse-to-fine): their similarity
        # matrices would cost most of the time and say nothing far from it.
        coarse = _path(n, m, {(1, 1): _gains(s11, (1, 1), costs, la, lb)}, costs.skip)
        band = _band(coarse, n, m, BAND)
    raw: dict[tuple[int, int], np.ndarray] = {}
    gains: dict[tuple[int, int], np.ndarray] = {}
    for k, l in SHAPES:
        if n < k or m < l:
            continue
        left, right = [joined(u, k, ub) for u in unit_keys], joined(keys, l, nb)
        if (k, l) == (1, 1):
            sims = s11
        elif band is None:
            sims = _similarities(scorer, left, right)
        else:
            sims = _banded_similarities(scorer, left, right, band)
        raw[(k, l)] = sims
        gains[(k, l)] = _gains(sims, (k, l), costs, la, lb)
    beads = []
    for bead in _path(n, m, gains, costs.skip):
        shape = (bead.i1 - bead.i0, bead.j1 - bead.j0)
        if shape in raw:
            sim = float(raw[shape][bead.i0, bead.j0])
            dev = float(costs.deviation(la[bead.i0 : bead.i1].sum(), lb[bead.j0 : bead.j1].sum()))
            bead = replace(bead, score=sim, deviation=dev)
        beads.append(bead)
    if costs.skip > 0:
        beads = rework_gaps(beads, unit_keys, keys, scorer, costs, ub, nb, la, lb)
    return grow(beads, unit_keys, keys, scorer, costs, ub, nb, la, lb, coverage), s11


def _gains(sims: np.ndarray, shape: tuple[int, int], costs: Costs, la: np.ndarray, lb: np.ndarray) -> np.ndarray:
    k, l = shape
    g = costs.gain(sims, shape, _run_lengths(la, k)[:, None], _run_lengths(lb, l)[None, :])
    g[sims <= 0] = _NEG
    return g.astype(np.float32)


def _path(n: int, m: int, gains: dict[tuple[int, int], np.ndarray], skip: float = 0.0) -> list[Bead]:
    """The DP over skips (each costing ``skip``) and the beads whose gains are given
    (vectorised along rows)."""
    shapes = list(gains)
    score = np.full((n + 1, m + 1), _NEG, dtype=np.float32)
    back = np.zeros((n + 1, m + 1), dtype=np.int8)
    cols = np.arange(m + 1)
    # What the 0-1 skips from column 0 to each column cost (all zero without a skip cost).
    penalty = np.float32(skip) * cols.astype(np.float32)
    skip_unit, skip_new = len(shapes), len(shapes) + 1
    for i in range(n + 1):
        cand = np.full(m + 1, _NEG, dtype=np.float32)
        kind = np.full(m + 1, skip_new, dtype=np.int8)
        if i == 0:
            cand[0] = 0.0
        else:
            options = [(skip_unit, score[i - 1] - np.float32(skip), 0)]
            for code, (k, l) in enumerate(shapes):
                if i >= k and m >= l:
                    options.append((code, score[i - k, : m + 1 - l] + gains[(k, l)][i - k], l))
            for code, value, dj in options:
                target = cand[dj:]
                better = value > target
                target[better] = value[better]
                kind[dj:][better] = code
        # 0-1 beads chain along the row, each costing ``skip``: a running maximum
        # of the candidates raised by what the skips after them would cost.
        raised = cand + penalty
        best = np.maximum.accumulate(raised)
        source = np.maximum.accumulate(np.where(raised >= best, cols, 0))
        score[i] = best - penalty
        back[i] = np.where(source == cols, kind, skip_new)
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        code = int(back[i, j])
        if code == skip_new and j == 0:  # unreachable guard
            code = skip_unit
        di, dj = (1, 0) if code == skip_unit else (0, 1) if code == skip_new else shapes[code]
        beads.append(Bead(i - di, i, j - dj, j, 0.0))
        i, j = i - di, j - dj
    beads.reverse()
    return beads


def _band(beads: list[Bead], n: int, m: int, width: int) -> list[tuple[int, int]]:
    """Per unit row, the columns [lo, hi) within ``width`` of the path.

    Where the coarse path leaves sentences alone between two links (a gap), the
    1-1 links it could not make are most likely links of several sentences that
    cross the gap (one verse of quotations rendered as eight sentences), so every
    row of the gap, and the rows of the links on either side, see the whole gap:
    its box of columns. A gap larger than a band's own square (a passage one
    witness leaves out, or texts that share nothing) is crossed on its diagonal
    instead, so the band's cells stay in proportion to the text."""
    lo, hi = [m] * n, [0] * n

    def see(i: int, a: float, b: float) -> None:
        if 0 <= i < n:
            lo[i] = min(lo[i], max(0, int(a) - width))
            hi[i] = min(m, max(hi[i], int(b) + width + 1))

    links = [b for b in beads if b.is_link]
    for b in links:
        for i in range(b.i0, b.i1):
            see(i, b.j0, b.j0)
    # The gaps: between consecutive links (and before the first, after the last).
    corners = [(0, 0)] + [(b.i0, b.j0, b.i1, b.j1) for b in links] + [(n, m)]
    for before, after in zip(corners, corners[1:]):
        r0, c0 = before[-2:]
        r1, c1 = after[:2]
        if r1 == r0 and c1 == c0:
            continue
        if (r1 - r0 + 2) * (c1 - c0 + 1) <= (2 * width + 1) ** 2:
            for i in range(r0 - 1, r1 + 1):
                see(i, c0, c1)
        else:
            rows = max(r1 - r0, 1)
            for i in range(r0, r1):
                centre = c0 + (i - r0) * (c1 - c0) / rows
                see(i, centre, centre)
    return [(a, b) if a < b else (max(0, min(a, m) - width), min(m, a + width + 1)) for a, b in zip(lo, hi)]


def _banded_similarities(
    scorer: Scorer, left: Sequence[Sequence[str]], right: Sequence[str], band: list[tuple[int, int]]
) -> np.ndarray:
    """:func:`_similarities` computed in the band only (0 elsewhere)."""
    out = np.zeros((len(left[0]) if left else 0, len(right)), dtype=np.float32)
    rows, cols = [], []
    for i in range(out.shape[0]):
        lo, hi = band[i] if i < len(band) else band[-1]
        hi = min(hi, len(right))
        rows.extend([i] * max(hi - lo, 0))
        cols.extend(range(lo, hi))
    if not rows:
        return out
    r, c = np.array(rows), np.array(cols)
    right_full = np.array([bool(x) for x in right])
    for keys in left:
        keep = np.flatnonzero(np.array([bool(x) for x in keys])[r] & right_full[c])
        if not keep.size:
            continue
        rk, ck = r[keep], c[keep]
        sims = scorer.pairwise([keys[i] for i in rk.tolist()], [right[j] for j in ck.tolist()])
        out[rk, ck] = np.maximum(out[rk, ck], sims)
    return out


def rework_gaps(
    beads: list[Bead], unit_keys: Sequence[Sequence[str]], keys: Sequence[str], scorer: Scorer, costs: Costs,
    unit_breaks: Sequence[bool], new_breaks: Sequence[bool], la: np.ndarray, lb: np.ndarray,
) -> list[Bead]:
    """Where leaving a sentence alone costs something (a translation renders
    nearly every sentence), a link longer than the DP's shapes cannot be made and
    the path shifts its neighbours instead, leaving sentences alone around it (one
    Spanish sentence of fourteen quotations rendered as fourteen English
    sentences). Around each stretch of sentences left alone, the DP runs again
    with links of up to LONG_RUN sentences on one side, on a window of whole
    beads; its path replaces the window's only where it gains more, a long link's
    length deviation counted in full (see :func:`_window_path`)."""
    def longest(k: int) -> bool:
        # A link as long as the DP's shapes go: it may be part of a longer one.
        return 0 <= k < len(beads) and beads[k].is_link and max(
            beads[k].i1 - beads[k].i0, beads[k].j1 - beads[k].j0) >= max(map(max, SHAPES))

    def same_side(a: int, b: int) -> bool:
        return 0 <= a < len(beads) and 0 <= b < len(beads) and not beads[a].is_link and not beads[b].is_link \
            and (beads[a].i1 > beads[a].i0) == (beads[b].i1 > beads[b].i0)

    # Sentences left alone beside a link of the longest shape, or several in a row
    # on one side: where a longer link may have been wanted.
    skips = [k for k, b in enumerate(beads) if not b.is_link
             and (longest(k - 1) or longest(k + 1) or same_side(k - 1, k) or same_side(k, k + 1))]
    if not skips:
        return beads
    # Stretches of skips with fewer than 2 * CONTEXT links between them are one window.
    windows: list[list[int]] = []
    for k in skips:
        if windows and sum(b.is_link for b in beads[windows[-1][1] : k]) < 2 * REWORK_CONTEXT:
            windows[-1][1] = k + 1
        else:
            windows.append([k, k + 1])
    out: list[Bead] = []
    at = 0
    for first, last in windows:
        start, links = first, 0
        while start > at and links < REWORK_CONTEXT:
            start -= 1
            links += beads[start].is_link
        end, links = last, 0
        while end < len(beads) and links < REWORK_CONTEXT:
            links += beads[end].is_link
            end += 1
        out.extend(beads[at:start])
        old = beads[start:end]
        i0, i1, j0, j1 = old[0].i0, old[-1].i1, old[0].j0, old[-1].j1
        if (i1 - i0) * (j1 - j0) <= REWORK_CELLS:
            new = _window_path(i0, i1, j0, j1, unit_keys, keys, scorer, costs, unit_breaks, new_breaks, la, lb)
            if sum(map(costs.bead_gain, new)) > sum(map(costs.bead_gain, old)) + 1e-6:
                old = new
        out.extend(old)
        at = end
    return out + beads[at:]


def _window_path(
    i0: int, i1: int, j0: int, j1: int, unit_keys: Sequence[Sequence[str]], keys: Sequence[str], scorer: Scorer,
    costs: Costs, unit_breaks: Sequence[bool], new_breaks: Sequence[bool], la: np.ndarray, lb: np.ndarray,
) -> list[Bead]:
    """The best path of units [i0, i1) and new sentences [j0, j1) over the DP's
    shapes and the long one-sided ones."""
    n, m = i1 - i0, j1 - j0
    ub, nb = list(unit_breaks[i0 : max(i0, i1 - 1)]), list(new_breaks[j0 : max(j0, j1 - 1)])
    wa, wb = la[i0:i1], lb[j0:j1]
    rows, cols = [list(u[i0:i1]) for u in unit_keys], list(keys[j0:j1])
    raw: dict[tuple[int, int], np.ndarray] = {}
    # One call per side for all runs of one side against single sentences of the
    # other (the scorers' cost is mostly per call here: a window is small); the
    # runs of each length are consecutive slices of the result.
    runs = range(1, min(LONG_RUN, n) + 1)
    sims = _similarities(scorer, [[x for k in runs for x in joined(r, k, ub)] for r in rows], cols)
    for k, at in zip(runs, np.cumsum([0] + [n - k + 1 for k in runs])):
        raw[(k, 1)] = sims[at : at + n - k + 1]
    runs = range(2, min(LONG_RUN, m) + 1)
    sims = _similarities(scorer, rows, [x for k in runs for x in joined(cols, k, nb)])
    for k, at in zip(runs, np.cumsum([0] + [m - k + 1 for k in runs])):
        raw[(1, k)] = sims[:, at : at + m - k + 1]
    if n >= 2 and m >= 2:
        raw[(2, 2)] = _similarities(scorer, [joined(r, 2, ub) for r in rows], joined(cols, 2, nb))
    gains = {shape: _gains(sim, shape, costs, wa, wb) for shape, sim in raw.items()}
    out = []
    for b in _path(n, m, gains, costs.skip):
        shape = (b.i1 - b.i0, b.j1 - b.j0)
        b = Bead(b.i0 + i0, b.i1 + i0, b.j0 + j0, b.j1 + j0, 0.0)
        if shape in raw:
            # The window's path is judged (rework_gaps) with a long link's length
            # deviation in full, not capped as in the DP: with every sentence it takes,
            # a long link saves the cost of leaving that sentence alone, so only its
            # length tells one sentence rendered as fourteen from a headline that
            # swallows the news items beside it.
            cap = LENGTH_CAP if shape in SHAPES else np.inf
            b = replace(b, score=float(raw[shape][b.i0 - i0, b.j0 - j0]),
                        deviation=float(costs.deviation(la[b.i0 : b.i1].sum(), lb[b.j0 : b.j1].sum(), cap)))
        out.append(b)
    return out


def link_similarity(b: Bead, unit_keys: Sequence[Sequence[str]], keys: Sequence[str], scorer: Scorer) -> float:
    """A link's similarity measured afresh (the best over the units' witnesses
    that hold all its units): for links the passes after the DP make."""
    left = [" ".join(u[b.i0 : b.i1]) for u in unit_keys if all(u[b.i0 : b.i1])]
    right = " ".join(keys[b.j0 : b.j1])
    return float(scorer.pairwise(left, [right] * len(left)).max()) if left and right else 0.0


def turn_after(breaks: Sequence[bool], i: int) -> bool:
    """Whether a turn starts between item i and item i + 1."""
    return 0 <= i < len(breaks) and breaks[i]


def grow(
    beads: list[Bead], unit_keys: Sequence[Sequence[str]], keys: Sequence[str], scorer: Scorer, costs: Costs,
    unit_breaks: Sequence[bool], new_breaks: Sequence[bool], la: np.ndarray, lb: np.ndarray,
    coverage: float = 0.0, only: Optional[set[Bead]] = None,
) -> list[Bead]:
    """Links longer than the DP's shapes: a sentence left alone next to a link
    joins it where the joined link gains more than the link alone (one long
    sentence rendered as four: the DP links three, the fourth joins here).

    A sentence a translator added lowers the joined similarity and is left
    alone; one that renders the rest of its neighbour's sentence raises it, or
    mends the link's lengths more than it costs in similarity."""

    def gain(b: Bead, sim: float) -> float:
        shape = (b.i1 - b.i0, b.j1 - b.j0)
        return float(costs.gain(np.float32(sim), shape, np.float32(la[b.i0 : b.i1].sum()),
                                np.float32(lb[b.j0 : b.j1].sum())))

    def joinable(b: Bead, alone: Bead) -> Optional[Bead]:
        # The sentence alone and the link, side by side with no turn between them.
        if alone.i1 == alone.i0 + 1 and alone.j0 == alone.j1:
            i = alone.i0
            if i == b.i1 and not turn_after(unit_breaks, i - 1):
                return replace(b, i1=b.i1 + 1)
            if i + 1 == b.i0 and not turn_after(unit_breaks, i):
                return replace(b, i0=i)
        if alone.j1 == alone.j0 + 1 and alone.i0 == alone.i1:
            j = alone.j0
            if j == b.j1 and not turn_after(new_breaks, j - 1):
                return replace(b, j1=b.j1 + 1)
            if j + 1 == b.j0 and not turn_after(new_breaks, j):
                return replace(b, j0=j)
        return None

    out = list(beads)
    k = 0
    while k < len(out):
        bead = out[k]
        grown = False
        if bead.is_link and (only is None or bead in only):
            for n in (k - 1, k + 1):
                if not 0 <= n < len(out) or out[n].is_link:
                    continue
                bigger = joinable(bead, out[n])
                if bigger is None:
                    continue
                # A link's own similarity is its score: the DP's, or the one it grew with.
                sim = link_similarity(bigger, unit_keys, keys, scorer)
                # The sentence alone cost ``skip``; joined, it costs nothing of its own.
                if gain(bigger, sim) <= gain(bead, bead.score) - costs.skip - GROW_SLACK * coverage:
                    continue
                dev = float(costs.deviation(la[bigger.i0 : bigger.i1].sum(), lb[bigger.j0 : bigger.j1].sum()))
                out[k] = replace(bigger, score=sim, deviation=dev)
                if only is not None:
                    only.add(out[k])
                del out[n]
                k -= n < k  # the link moved one place back
                grown = True
                break
        # A link that grew tries again (it may take a run of sentences, one by one).
        k += not grown
    return out
