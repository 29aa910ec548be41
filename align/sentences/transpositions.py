"""The second pass: what a retelling says elsewhere (links the in-order path cannot make)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np

from ..clean import match_key
from ..model import Segmentation, Settings, Unit
from ..scorers import get_scorer

# A later witness is searched for what it says elsewhere against at most this
# many earlier witnesses, the first ones (the base first).
PARTNERS = 10
# A retelling's sentence and an earlier witness's sentence out of order are
# paired when their content words agree this much (IDF-weighted cosine, see
# align.scorers.content); first tuned on the seeds' retellings 003 and 004; on
# the synoptic Gospels (benchmarks/synoptic.py) 0.3-0.4 score alike, 0.4 best.
CROSS_THRESHOLD = 0.4
# Across languages content words are not shared: a pair of witnesses in two
# languages is searched only with a multilingual scorer (the embed extra's),
# whose similarity must reach this. Chosen on the synoptic development pairs
# with Mark in Spanish (benchmarks/synoptic.py --spanish --scorer embedding:
# Mark 1-3 against Matthew and Luke): mean pairs F1 0.491 at 0.3, 0.528 at 0.4,
# 0.535 at 0.5, 0.525 at 0.6 (where nothing is found).
MULTILINGUAL_THRESHOLD = 0.5
# More sentences of the earlier witness join a pairing (a summary of several)
# when they are near the best one and nearly as similar.
SUMMARY_SHARE = 0.75
SUMMARY_REACH = 2
# Sentences with fewer content words than this say too little to be paired out of order.
MIN_CONTENT_WORDS = 3
# A witness that links at least this share of its sentences (between its first
# and last link) in order with an earlier one renders it in order (a
# translation, a reprint), not as a retelling: there, a pairing must cross the
# in-order links and never repeat a sentence the path already linked.
IN_ORDER_SHARE = 0.8
# There, a sentence linked to nothing is looked for within this share of the
# text around its place (as the anchors of long texts are, see anchors.DRIFT).
IN_ORDER_REACH = 0.1


# A pairing: the sentences of two witnesses (the earlier first) and its similarity.
Pairing = tuple[dict[str, tuple[int, ...]], float]


# The last answer of shared_sentences, with the units it was for: callers ask
# again about the same units (once a witness, with many witnesses), and each
# answer walks every unit's every witness.
_SHARED_CACHE: tuple[tuple[Unit, ...], dict[str, frozenset[int]]] = ((), {})


def shared_sentences(units: Sequence[Unit]) -> dict[str, set[int]]:
    """Per witness, its sentences that a unit links to another witness."""
    global _SHARED_CACHE
    cached, answer = _SHARED_CACHE
    if len(cached) != len(units) or not all(a is b for a, b in zip(cached, units)):
        out: dict[str, set[int]] = {}
        for unit in units:
            if unit.kind == "sentence" and sum(1 for idx in unit.sentences.values() if idx) > 1:
                for sigil, idx in unit.sentences.items():
                    out.setdefault(sigil, set()).update(idx)
        answer = {s: frozenset(v) for s, v in out.items()}
        _SHARED_CACHE = (tuple(units), answer)
    return {s: set(v) for s, v in answer.items()}


def find_transpositions(
    units: Sequence[Unit], segmentations: Sequence[Segmentation], settings: Settings
) -> list[Pairing]:
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
    from ..scorers.content import Content, content_words, stopwords

    segs = {seg.witness.sigil: seg for seg in segmentations}
    sigla = list(segs)
    where = {(s, i): u for u, unit in enumerate(units) for s, idx in unit.sentences.items() for i in idx}
    shared = shared_sentences(units)
    keys = {s: [match_key(x.text) for x in segs[s].sentences] for s in sigla}
    stop = stopwords(settings.language)

    @lru_cache(maxsize=None)
    def candidates(sigil: str, inner: bool) -> list[int]:
        linked = sorted(shared.get(sigil, ()))
        lo, hi = (linked[0], linked[-1]) if inner and linked else (0, len(keys[sigil]) - 1)
        return [
            i for i in range(lo, hi + 1)
            if segs[sigil].sentences[i].kind == "sentence"
            and len(content_words(keys[sigil][i], settings.language) - stop) >= MIN_CONTENT_WORDS
        ]

    @lru_cache(maxsize=1)
    def content_scorer() -> Content:
        # One weighting for all pairs: word frequencies over every witness's candidates.
        return Content(settings.language, corpus=[keys[s][i] for s in sigla for i in candidates(s, False)])

    chosen = get_scorer(settings.scorer)
    multilingual = chosen if getattr(chosen, "multilingual", False) else None

    found: list[Pairing] = []
    for k, later in enumerate(sigla[1:], start=1):
        if not shared.get(later):
            continue  # an unrelated witness stays unrelated
        # Each witness against the first PARTNERS before it (the base first): with
        # many witnesses, every pair would cost the square of their number in
        # time and in transpositions found.
        for earlier in sigla[: min(k, PARTNERS)]:
            ys, xs = candidates(later, False), candidates(earlier, True)
            if not ys or not xs:
                continue
            def near(around: Sequence[int]) -> list[int]:
                # The candidates within reach of these sentences (xs is sorted).
                lo = bisect_left(xs, min(around) - SUMMARY_REACH)
                hi = bisect_right(xs, max(around) + SUMMARY_REACH)
                return [x for x in xs[lo:hi] if any(abs(x - p) <= SUMMARY_REACH for p in around)]

            def sims(y: int, x_list: list[int]) -> np.ndarray:
                return scorer([keys[later][y]], [keys[earlier][x] for x in x_list])[0]

            start_pair = len(found)
            alone = [y for y in ys if not units[where[(later, y)]].sentences.get(earlier)]
            linked_ys = [y for y in ys if y not in alone]
            inner = [y for y in ys if linked_ys and linked_ys[0] <= y <= linked_ys[-1]]
            in_order = bool(inner) and len(linked_ys) >= IN_ORDER_SHARE * len(inner)

            if in_order and not alone:
                continue  # a rendering in order with every sentence linked: nothing said elsewhere
            across = segs[earlier].witness.lang != segs[later].witness.lang
            if across and multilingual is None:
                continue
            scorer = multilingual if across else content_scorer()
            threshold = MULTILINGUAL_THRESHOLD if across else CROSS_THRESHOLD

            def free(group: list[int]) -> list[int]:
                # In a rendering in order, a sentence already rendered in order is not said
                # a second time elsewhere (the pairing would repeat a formula); in a
                # retelling it may be (a summary of sentences it also quotes).
                unlinked = [x for x in group if not units[where[(earlier, x)]].sentences.get(later)]
                return unlinked if in_order else (unlinked or group)
            # Sentences linked to nothing of the earlier witness: their best match anywhere
            # (rows in blocks, so that long texts never need a full matrix).
            for start in range(0, len(alone), 256):
                block = alone[start : start + 256]
                cand = xs
                if in_order:
                    # A rendering in order says a sentence elsewhere nearby (two verses
                    # swapped), not across the book: the search stays linear in the text.
                    share = len(keys[earlier]) / max(len(keys[later]), 1)
                    lo = bisect_left(xs, (block[0] - IN_ORDER_REACH * len(keys[later])) * share)
                    hi = bisect_right(xs, (block[-1] + IN_ORDER_REACH * len(keys[later])) * share)
                    cand = xs[lo:hi]
                    if not cand:
                        continue
                matrix = scorer([keys[later][y] for y in block], [keys[earlier][x] for x in cand])
                for row, y in enumerate(block):
                    best = int(np.argmax(matrix[row]))
                    score = float(matrix[row, best])
                    if score < threshold:
                        continue
                    around = near([cand[best]])
                    # The row holds the candidates already (cand is sorted).
                    inside = cand[0] <= min(around) and max(around) <= cand[-1]
                    values = matrix[row, [bisect_left(cand, x) for x in around]] if inside else sims(y, around)
                    group = [x for x, v in zip(around, values) if v >= SUMMARY_SHARE * score]
                    group = free(group)
                    if not group:
                        continue
                    found.append(({earlier: tuple(sorted(group)), later: (y,)}, score))
            # Sentences linked already: the rest of a summary, near their partners.
            # (Not in a rendering in order: the rest would lie beside the sentence's
            # partners, where it crosses nothing.)
            for y in ([] if in_order else ys):
                partners = units[where[(later, y)]].sentences.get(earlier, ())
                if not partners:
                    continue
                around = near(partners)
                if all(x in partners for x in around):
                    continue
                values = dict(zip(around, sims(y, around)))
                base = max((values.get(p, 0.0) for p in partners), default=0.0)
                floor = max(threshold, SUMMARY_SHARE * base)
                group = [x for x in around if x not in partners and values[x] >= floor]
                group = [x for x in group if not in_order or x in free(group)]
                if group:
                    found.append(({earlier: tuple(group), later: (y,)}, max(float(values[x]) for x in group)))
            if in_order and len(found) > start_pair:
                crossing = _crossing(units, earlier, later)
                found[start_pair:] = [f for f in found[start_pair:] if crossing(f[0][earlier], f[0][later][0])]
    return found


def _crossing(units: Sequence[Unit], earlier: str, later: str) -> Callable[[tuple[int, ...], int], bool]:
    """Whether a pairing (earlier's sentences, later's sentence) crosses the
    in-order links of the two witnesses: some unit links an earlier sentence of
    the one with a later sentence of the other. A pairing that crosses nothing
    is one the in-order path could have made and did not (it judged it too
    weak, or linked a neighbour instead): claiming it as a transposition would
    only repeat a link the path refused, as in a translation whose formulaic
    sentences recur through a book."""
    links = sorted(
        (min(b), max(b), min(a), max(a)) for u in units if u.kind == "sentence"
        for a, b in [(u.sentences.get(earlier, ()), u.sentences.get(later, ()))] if a and b
    )
    starts = [link[0] for link in links]
    # Per position: the least earlier sentence linked after it, the greatest linked before it.
    least_after = np.minimum.accumulate([link[2] for link in links][::-1])[::-1] if links else np.zeros(0)
    ends = sorted((link[1], link[3]) for link in links)
    end_keys = [e for e, _ in ends]
    most_before_end = np.maximum.accumulate([x for _, x in ends]) if ends else np.zeros(0)

    def crosses(xs: tuple[int, ...], y: int) -> bool:
        k = bisect_right(starts, y)  # links whose later sentences all come after y
        if k < len(links) and least_after[k] < min(xs):
            return True
        k = bisect_left(end_keys, y)  # links whose later sentences all come before y
        return k > 0 and most_before_end[k - 1] > max(xs)

    return crosses
