"""Sentence alignment: which sentences of the witnesses say the same thing.

Dynamic programming over beads (1-1, 1-0, 0-1, 1-2, 2-1, 2-2), in the line of
Gale & Church and vecalign. A bead linking sentences gains
``similarity - threshold`` (minus a small penalty for merges and splits), a
sentence left alone gains nothing: so a sentence is linked only where its
similarity beats the threshold, and unrelated text stays alone instead of being
forced onto a neighbour.

More than two witnesses are aligned progressively: witness k is aligned to the
units built from witnesses 1..k-1, a unit scoring the best similarity any of
its witnesses gives. Similarities are computed in bulk (one ``cdist`` per
bead shape and witness), and the DP is vectorised along each row, so no
Python object is made per cell.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from typing import Sequence

import numpy as np

from .clean import match_key
from .model import Segmentation, Settings, Unit
from .scorers import Scorer, get_scorer

# A witness is related to the others only if at least one of its links is
# this similar: renderings of one text always share some close sentence (a
# quotation, a plain statement), different texts on one topic do not.
STRONG_LINK = 0.6

_SKIP_UNIT, _ONE_ONE, _TWO_ONE, _ONE_TWO, _TWO_TWO, _SKIP_NEW = range(6)
# (units consumed, new sentences consumed) per bead
_STEPS = {_SKIP_UNIT: (1, 0), _ONE_ONE: (1, 1), _TWO_ONE: (2, 1), _ONE_TWO: (1, 2), _TWO_TWO: (2, 2), _SKIP_NEW: (0, 1)}
_NEG = np.float32(-1e9)


@dataclass
class _Group:
    """A unit under construction."""

    sentences: dict[str, list[int]]
    label: bool = False
    scores: list[float] = field(default_factory=list)
    alone: list[float] = field(default_factory=list)


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
    threshold: float,
    merge_penalty: float,
    unit_breaks: Sequence[bool] = (),
    new_breaks: Sequence[bool] = (),
) -> tuple[list[Bead], np.ndarray, np.ndarray]:
    """:func:`align_path` for texts of any length. Returns the beads and, per
    unit and per new sentence, its best 1-1 similarity (for confidences)."""
    n, m = (len(unit_keys[0]) if unit_keys else 0), len(keys)
    anchors = _anchors(unit_keys, keys, scorer) if n * m > FULL_DP_CELLS else []
    best_unit = np.zeros(n, dtype=np.float32)
    best_new = np.zeros(m, dtype=np.float32)
    beads: list[Bead] = []
    previous = (0, 0)
    for i, j, sim in anchors + [(n, m, None)]:
        (i0, j0), (i1, j1) = previous, (i, j)
        if i1 > i0 or j1 > j0:
            args = ([k[i0:i1] for k in unit_keys], keys[j0:j1], scorer, threshold, merge_penalty,
                    list(unit_breaks[i0 : max(i0, i1 - 1)]), list(new_breaks[j0 : max(j0, j1 - 1)]))
            if anchors and (i1 - i0) * (j1 - j0) > FULL_DP_CELLS:
                # Still long between two anchors: words rare here may be common in the whole text.
                part, unit_best, new_best = anchored_path(*args)
            else:
                part, s11 = align_path(*args)
                unit_best = s11.max(axis=1) if s11.size else 0.0
                new_best = s11.max(axis=0) if s11.size else 0.0
            beads.extend(Bead(b.i0 + i0, b.i1 + i0, b.j0 + j0, b.j1 + j0, b.score) for b in part)
            best_unit[i0:i1] = unit_best
            best_new[j0:j1] = new_best
        if sim is not None:
            beads.append(Bead(i, i + 1, j, j + 1, sim))
            best_unit[i], best_new[j] = sim, sim
            previous = (i + 1, j + 1)
    return beads, best_unit, best_new


def _anchors(unit_keys: Sequence[Sequence[str]], keys: Sequence[str], scorer: Scorer) -> list[tuple[int, int, float]]:
    """Confident 1-1 links, increasing in both texts: pairs of sentences that
    share a word rare on both sides, lie near the diagonal, score at least
    ANCHOR_SIMILARITY and are each other's best candidate."""
    # Where no word is rare enough (a text that repeats its vocabulary), a little
    # less rare will do: more candidates, still checked by similarity.
    for rare in (RARE, 2 * RARE, 4 * RARE):
        found = _anchors_with(unit_keys, keys, scorer, rare)
        if found:
            return found
    return []


def _anchors_with(
    unit_keys: Sequence[Sequence[str]], keys: Sequence[str], scorer: Scorer, rare: int
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
    for texts in unit_keys:
        for w, rows in rare_words(texts).items():
            for i in rows:
                for j in new_rare.get(w, ()):
                    if abs(i / n - j / m) <= DRIFT:
                        candidates.setdefault(i, set()).add(j)
    best_for_new: dict[int, tuple[float, int]] = {}
    best_for_unit: dict[int, tuple[float, int]] = {}
    for i, js in candidates.items():
        js_sorted = sorted(js)
        sims = np.zeros(len(js_sorted), dtype=np.float32)
        for texts in unit_keys:
            if texts[i]:
                np.maximum(sims, scorer([texts[i]], [keys[j] for j in js_sorted])[0], out=sims)
        for j, sim in zip(js_sorted, sims.tolist()):
            if sim >= ANCHOR_SIMILARITY:
                if sim > best_for_unit.get(i, (0.0, -1))[0]:
                    best_for_unit[i] = (sim, j)
                if sim > best_for_new.get(j, (0.0, -1))[0]:
                    best_for_new[j] = (sim, i)
    mutual = sorted((i, j, sim) for i, (sim, j) in best_for_unit.items() if best_for_new[j][1] == i)
    return _increasing(mutual)


def _increasing(pairs: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """The longest chain of pairs increasing in both coordinates (pairs sorted by i)."""
    from bisect import bisect_left as _bl

    tails: list[int] = []  # smallest j ending a chain of each length
    tail_index: list[int] = []
    parent = [-1] * len(pairs)
    for k, (_, j, _) in enumerate(pairs):
        pos = _bl(tails, j)
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


def _link_step(
    groups: list[_Group], done: list[str], seg: Segmentation, order: list[int],
    keys: dict[str, list[str]], segs: dict[str, Segmentation], scorer: Scorer, settings: Settings,
) -> list[_Group]:
    """Align one more witness's sentences (``order``: their indices) to the units so far."""
    sigil = seg.witness.sigil
    unit_keys = [[" ".join(keys[w][k] for k in g.sentences.get(w, [])) for g in groups] for w in done]
    new_keys = [keys[sigil][i] for i in order]
    turn = {w: [s.turn for s in segs[w].sentences] for w in done + [sigil]}
    new_breaks = [turn[sigil][a] != turn[sigil][b] for a, b in zip(order, order[1:])]
    unit_breaks = [
        any(g.sentences.get(w) and h.sentences.get(w) and turn[w][g.sentences[w][-1]] != turn[w][h.sentences[w][0]]
            for w in done)
        for g, h in zip(groups, groups[1:])
    ]
    beads, best_for_unit, best_for_new = anchored_path(
        unit_keys, new_keys, scorer, settings.threshold, settings.merge_penalty, unit_breaks, new_breaks)
    # A witness none of whose links is strong shares nothing real with the
    # witnesses so far (same topic, other text): its weak links are chance.
    related = any(b.score >= STRONG_LINK for b in beads if b.i1 > b.i0 and b.j1 > b.j0)
    out: list[_Group] = []
    for bead in beads:
        olds = groups[bead.i0 : bead.i1]
        news = [order[j] for j in range(bead.j0, bead.j1)]
        if olds and news and related:
            merged = _Group({})
            for g in olds:
                for w, idx in g.sentences.items():
                    merged.sentences.setdefault(w, []).extend(idx)
                merged.scores.extend(g.scores)
            merged.sentences[sigil] = news
            merged.scores.append(bead.score)
            out.append(merged)
            continue
        for offset, g in enumerate(olds):
            g.alone.append(1.0 - float(best_for_unit[bead.i0 + offset]))
            out.append(g)
        for offset, j in enumerate(news):
            out.append(_Group({sigil: [j]}, alone=[1.0 - float(best_for_new[bead.j0 + offset])]))
    return out


def _place_labels(groups: list[_Group], segmentations: Sequence[Segmentation]) -> list[_Group]:
    """Put each speaker label just before the unit holding its turn's first sentence;
    labels of several witnesses that precede the same unit form one unit."""
    where: dict[int, dict[str, list[int]]] = {}
    tail: dict[str, list[int]] = {}
    home = {(w, i): u for u, g in enumerate(groups) for w, idx in g.sentences.items() for i in idx}
    for seg in segmentations:
        sigil = seg.witness.sigil
        pending: list[int] = []
        for s in seg.sentences:
            if s.kind == "label":
                pending.append(s.index)
            elif pending:
                where.setdefault(home[(sigil, s.index)], {}).setdefault(sigil, []).extend(pending)
                pending = []
        if pending:
            tail[sigil] = pending
    out: list[_Group] = []
    for u, g in enumerate(groups):
        if u in where:
            out.append(_Group(where[u], label=True, scores=list(g.scores), alone=list(g.alone)))
        out.append(g)
    if tail:
        out.append(_Group(tail, label=True))
    return out


def align_sentences(segmentations: Sequence[Segmentation], settings: Settings) -> list[Unit]:
    """Align the sentences of all witnesses into units, in reading order.

    Speaker labels take no part in the alignment (a label says nothing about
    content); they are placed afterwards, before their turn's first sentence."""
    scorer = get_scorer(settings.scorer)
    keys = {seg.witness.sigil: [match_key(s.text) for s in seg.sentences] for seg in segmentations}
    order = {
        seg.witness.sigil: [s.index for s in seg.sentences if s.kind == "sentence"] for seg in segmentations
    }
    by_sigil = {seg.witness.sigil: seg for seg in segmentations}
    first = segmentations[0].witness.sigil
    groups = [_Group({first: [i]}) for i in order[first]]
    done = [first]
    for seg in segmentations[1:]:
        groups = _link_step(groups, done, seg, order[seg.witness.sigil], keys, by_sigil, scorer, settings)
        done.append(seg.witness.sigil)
    groups = _place_labels(groups, segmentations)

    sigla = [seg.witness.sigil for seg in segmentations]
    units = []
    for n, g in enumerate(groups, start=1):
        confidence = float(np.mean(g.scores)) if g.scores else (min(g.alone) if g.alone else 1.0)
        units.append(
            Unit(
                n=n,
                kind="label" if g.label else "sentence",
                sentences={s: tuple(g.sentences.get(s, ())) for s in sigla},
                confidence=round(max(0.0, min(1.0, confidence)), 3),
            )
        )
    return units


# --- second pass: what a retelling has elsewhere ---------------------------------

# A retelling's sentence and an earlier witness's sentence out of order are
# paired when their content words agree this much (IDF-weighted cosine, see
# align.scorers.content); tuned on the retellings 003 and 004 against their
# hand alignments in tests/data.
CROSS_THRESHOLD = 0.4
# More sentences of the earlier witness join a pairing (a summary of several)
# when they are near the best one and nearly as similar.
SUMMARY_SHARE = 0.75
SUMMARY_REACH = 2
# Sentences with fewer content words than this say too little to be paired out of order.
MIN_CONTENT_WORDS = 3


def _shared_sentences(units: Sequence[Unit]) -> dict[str, set[int]]:
    """Per witness, its sentences that a unit links to another witness."""
    out: dict[str, set[int]] = {}
    for unit in units:
        if unit.kind == "sentence" and len(unit.witnesses_present()) > 1:
            for sigil, idx in unit.sentences.items():
                out.setdefault(sigil, set()).update(idx)
    return out


def find_transpositions(
    units: Sequence[Unit], segmentations: Sequence[Segmentation], settings: Settings
) -> list[tuple[dict[str, tuple[int, ...]], float]]:
    """Pairings the in-order alignment cannot make, between a later witness's
    sentence and an earlier witness's sentences similar in content words:

    * the sentence is linked to nothing of the earlier witness: its best match
      anywhere, with that match's near neighbours when they are nearly as
      similar (a summary of several sentences);
    * it is linked already: near neighbours of its partners that it also
      covers (the rest of a summary).

    Only the earlier witness's sentences between its first and last linked
    sentence are candidates: what lies outside is its own page furniture.
    Returns (sentences of the two witnesses, similarity) per pairing."""
    from .scorers.content import Content, content_words, stopwords

    segs = {seg.witness.sigil: seg for seg in segmentations}
    sigla = list(segs)
    where = {(s, i): u for u, unit in enumerate(units) for s, idx in unit.sentences.items() for i in idx}
    shared = _shared_sentences(units)
    keys = {s: [match_key(x.text) for x in segs[s].sentences] for s in sigla}
    stop = stopwords(settings.language)

    def candidates(sigil: str, inner: bool) -> list[int]:
        linked = sorted(shared.get(sigil, ()))
        lo, hi = (linked[0], linked[-1]) if inner and linked else (0, len(keys[sigil]) - 1)
        return [
            i for i in range(lo, hi + 1)
            if segs[sigil].sentences[i].kind == "sentence"
            and len(content_words(keys[sigil][i], settings.language) - stop) >= MIN_CONTENT_WORDS
        ]

    found: list[tuple[dict[str, tuple[int, ...]], float]] = []
    for k, later in enumerate(sigla[1:], start=1):
        if not shared.get(later):
            continue  # an unrelated witness stays unrelated
        for earlier in sigla[:k]:
            ys, xs = candidates(later, False), candidates(earlier, True)
            if not ys or not xs:
                continue
            scorer = Content(settings.language, corpus=[keys[later][i] for i in ys] + [keys[earlier][i] for i in xs])

            def near(around: Sequence[int]) -> list[int]:
                # The candidates within reach of these sentences (xs is sorted).
                lo = bisect_left(xs, min(around) - SUMMARY_REACH)
                hi = bisect_right(xs, max(around) + SUMMARY_REACH)
                return [x for x in xs[lo:hi] if any(abs(x - p) <= SUMMARY_REACH for p in around)]

            def sims(y: int, x_list: list[int]) -> np.ndarray:
                return scorer([keys[later][y]], [keys[earlier][x] for x in x_list])[0]

            alone = [y for y in ys if not units[where[(later, y)]].sentences.get(earlier)]
            # Sentences linked to nothing of the earlier witness: their best match anywhere
            # (rows in blocks, so that long texts never need a full matrix).
            for start in range(0, len(alone), 256):
                block = alone[start : start + 256]
                matrix = scorer([keys[later][y] for y in block], [keys[earlier][x] for x in xs])
                for row, y in enumerate(block):
                    best = int(np.argmax(matrix[row]))
                    score = float(matrix[row, best])
                    if score < CROSS_THRESHOLD:
                        continue
                    around = near([xs[best]])
                    values = sims(y, around)
                    group = [x for x, v in zip(around, values) if v >= SUMMARY_SHARE * score]
                    # Sentences the later witness already links elsewhere are not moved here.
                    group = [x for x in group if not units[where[(earlier, x)]].sentences.get(later)] or group
                    found.append(({earlier: tuple(sorted(group)), later: (y,)}, score))
            # Sentences linked already: the rest of a summary, near their partners.
            for y in ys:
                partners = units[where[(later, y)]].sentences.get(earlier, ())
                if not partners:
                    continue
                around = near(partners)
                if all(x in partners for x in around):
                    continue
                values = dict(zip(around, sims(y, around)))
                base = max((values.get(p, 0.0) for p in partners), default=0.0)
                floor = max(CROSS_THRESHOLD, SUMMARY_SHARE * base)
                group = [x for x in around if x not in partners and values[x] >= floor]
                if group:
                    found.append(({earlier: tuple(group), later: (y,)}, max(float(values[x]) for x in group)))
    return found


def set_apart(units: Sequence[Unit], linked: dict[str, set[int]]) -> list[Unit]:
    """Mark units of one witness's leading or trailing material (before its first
    or after its last sentence linked to another witness) as ``front``/``back``.

    ``linked``: per witness, its sentences linked in a unit or a transposition.
    A run that holds a speaker label is the text going on (a retelling that
    covers part of an interview), not page furniture: it stays in the body.
    A witness with no linked sentence at all (an unrelated text, which the
    caller warns about) has no leading or trailing material: it stays whole."""
    first = {s: min(v) for s, v in linked.items() if v}
    last = {s: max(v) for s, v in linked.items() if v}
    lead: dict[str, bool] = {}
    trail: dict[str, bool] = {}
    for unit in units:
        if unit.kind == "label":
            for s, idx in unit.sentences.items():
                if idx and s in first and min(idx) < first[s]:
                    lead[s] = True
                if idx and s in last and max(idx) > last[s]:
                    trail[s] = True
    out = []
    for unit in units:
        present = unit.witnesses_present()
        part = "body"
        if present and all(s in first and max(unit.sentences[s]) < first[s] and not lead.get(s) for s in present):
            part = "front"
        elif present and all(s in last and min(unit.sentences[s]) > last[s] and not trail.get(s) for s in present):
            part = "back"
        out.append(replace(unit, part=part))
    return out
