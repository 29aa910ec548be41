"""Sentence alignment: which sentences of the witnesses say the same thing.

One room per concern: :mod:`.dp` (the bead DP between two sequences),
:mod:`.anchors` (long texts), :mod:`.languages` (witnesses in several languages),
:mod:`.confidence` (a link's fitted probability),
:mod:`.transpositions` (what a retelling says elsewhere), :mod:`.related`
(whether a witness renders the text at all), :mod:`.furniture` (material set
apart). This module chains them for any number of witnesses.

More than two witnesses are aligned progressively: witness k is aligned to the
units built from witnesses 1..k-1, a unit scoring the best similarity any of
its witnesses gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Optional, Sequence

import numpy as np

from ..clean import match_key
from ..model import Segmentation, Settings, Unit
from ..scorers import Scorer, get_scorer
from ..lang import LANGUAGES
from ..scorers.crosslang import CrossLanguage, Polyglot, WithLexicon, strip_tags, tag
from .anchors import anchored_path
from . import confidence
from .confidence import judged
from .crossings import crossed
from .dp import Bead, Costs, _similarities, align_path, key_lengths
from .furniture import furniture_like, set_apart
from .languages import TRANSLATION_MARGIN, across_languages, by_language, over_chance
from .transpositions import IN_ORDER_SHARE, Pairing, find_transpositions, shared_sentences

__all__ = ["align_sentences", "align_path", "anchored_path", "find_transpositions", "set_apart", "shared_sentences",
           "Bead", "Pairing"]

# A witness is related to the others only if at least one of its links is
# this similar: renderings of one text always share some close sentence (a
# quotation, a plain statement), different texts on one topic do not.
STRONG_LINK = 0.6


@dataclass
class _Group:
    """A unit under construction."""

    sentences: dict[str, list[int]]
    label: bool = False
    scores: list[float] = field(default_factory=list)
    alone: list[float] = field(default_factory=list)
    # What is worked out from ``sentences`` (representatives' keys, turn breaks),
    # kept while they stay the same: a unit that no new witness joins costs
    # nothing again at the next step.
    version: int = 0
    cache: dict = field(default_factory=dict)

    def add(self, sigil: str, sentences: list[int]) -> None:
        self.sentences[sigil] = sentences
        self.version += 1
        self.cache.clear()

    @property
    def support(self) -> int:
        """How many witnesses have sentences here."""
        return sum(1 for idx in self.sentences.values() if idx)


# A unit is compared with a new witness through at most this many of its
# witnesses' sentences (the first that have it): the cost of adding a witness
# then stays the same however many came before. Ten generated renderings of 1,000
# sentences (benchmarks/alignment.py): with three, 8% more time and the same links
# to the first (strict F1 inside 0.990 against 0.991 with two); the four seeds'
# pairs are the same with two or three.
REPRESENTATIVES = 2


def _representatives(groups: list[_Group], done: list[str], keys: dict[str, list[str]],
                     own: frozenset[str] = frozenset()) -> list[list[str]]:
    """Per representative rank, each unit's key (its r-th witness's sentences, "" if none).
    ``own``: the witnesses in the new witness's language (several languages): a unit
    that has some is represented by them alone, one that has none by the others."""
    count = min(REPRESENTATIVES, len(done))
    out: list[list[str]] = [[] for _ in range(count)]
    rank = {w: k for k, w in enumerate(done)}
    for g in groups:
        rows = g.cache.get(("keys", count, own))
        if rows is None:
            # The unit's own witnesses in witness order: the cost is the unit's, not the number of witnesses.
            present = sorted((w for w, idx in g.sentences.items() if idx and w in rank), key=rank.__getitem__)
            if own and any(w in own for w in present):
                present = [w for w in present if w in own]
            present = present[:count]
            rows = g.cache[("keys", count, own)] = [" ".join(keys[w][k] for k in g.sentences[w]) for w in present]
        for r, column in enumerate(out):
            column.append(rows[r] if r < len(rows) else "")
    return out


def _joinable(groups: Sequence[_Group]) -> bool:
    """Units that may become one: sentences of one and the same witness only, so
    that no earlier pair of witnesses gains a link by it (a witness that joins
    never changes how the witnesses before it are aligned to each other)."""
    return all(len(g.sentences) == 1 and g.sentences.keys() == groups[0].sentences.keys() for g in groups)


def _best_unit(olds: Sequence[_Group], news: list[int], done: list[str], keys: dict[str, list[str]],
               sigil: str, scorer: Scorer) -> int:
    """Which of several units the new sentences render best."""
    new_key = " ".join(keys[sigil][j] for j in news)
    best, where = -1.0, 0
    for k, g in enumerate(olds):
        rank = {w: k for k, w in enumerate(done)}
        texts = [" ".join(keys[w][i] for i in g.sentences[w])
                 for w in sorted((w for w, idx in g.sentences.items() if idx and w in rank), key=rank.__getitem__)]
        sim = float(scorer.pairwise(texts, [new_key] * len(texts)).max()) if texts and new_key else 0.0
        if sim > best:
            best, where = sim, k
    return where


def _furniture(g: _Group, keys: dict[str, list[str]], languages: Optional[dict[str, str]], language: str) -> bool:
    """Whether a unit holds lines too short to say anything alone (``Go back``,
    ``Discuss``, a site's name). Across languages, where leaving a sentence alone
    costs something, the DP's links run over a page's furniture, and a sentence
    joining its neighbour is not linked to such a unit as said beside, and at the
    pages' edges such units are kept off the path (see :func:`_off_the_edges`).
    Not in one language, where short lines are as often the text (``God
    forbid.``) and leaving a sentence alone costs nothing; nor inside the text
    (kept off the path wherever they stand, the Bible's short verses are lost:
    Spanish/WEB Romans 1-3 pairs F1 0.975 -> 0.689)."""
    return all(furniture_like(strip_tags(keys[w][i]), LANGUAGES.get((languages or {}).get(w, ""), language))
               for w, idx in g.sentences.items() for i in idx)


def _without_weak_edges(beads: list[Bead], groups: list[_Group], order: list[int], sigil: str,
                        keys: dict[str, list[str]], language: str, model: str = confidence.LEXICAL) -> list[Bead]:
    """The path with the weak links at its edges undone (see
    :func:`align.sentences.furniture.dissolve_weak_edges`, which judges the
    links of two witnesses after the alignment): a later witness that joins a
    unit of several witnesses adds its one doubtful join to their sure ones, and
    the unit's confidence, their mean, no longer shows it. So each join is
    judged here, as the pair's link would be: before the new witness's first
    sure link or after its last, less sure than SURE and sharing few content
    words (under EDGE_CONTENT) with every witness of the unit, it is no link."""
    from ..scorers.content import corpus_scorer
    from .confidence import probability
    from .furniture import EDGE_CONTENT, SURE

    certain = [probability(b.score, b.deviation, b.sentences, model) if b.is_link else 0.0 for b in beads]
    sure = [k for k, b in enumerate(beads) if b.is_link and certain[k] >= SURE]
    if not sure:
        return beads
    scorer = corpus_scorer(keys, language)
    out: list[Bead] = []
    for k, b in enumerate(beads):
        if b.is_link and not sure[0] <= k <= sure[-1] and certain[k] < SURE:
            new = " ".join(keys[sigil][order[j]] for j in range(b.j0, b.j1))
            olds = [" ".join(keys[w][i] for i in idx) for g in groups[b.i0 : b.i1] for w, idx in g.sentences.items() if idx]
            if float(scorer([new], olds).max()) < EDGE_CONTENT:
                out += [Bead(b.i0, b.i1, b.j0, b.j0, 0.0), Bead(b.i1, b.i1, b.j0, b.j1, 0.0)]
                continue
        out.append(b)
    return out


def _trimmed_edges(beads: list[Bead], new_keys: list[str], groups: list[_Group],
                   keys: dict[str, list[str]], language: str) -> list[Bead]:
    """The path with a line too short to say anything (a photo caption, a
    site's name: see :func:`align.sentences.furniture.furniture_like`) taken
    off the outer end of the new witness's first and last link, where it is the
    page's furniture beside the text. The DP joins such a line to a link when
    its few characters bring the link's lengths closer (a report's caption
    ``Kazakhstan protest`` after its last sentence), not for what it says.
    A unit of such lines at the outer end of the earlier witnesses' side is
    taken off alike (a page's section name ``Russia`` above its headline)."""
    links = [k for k, b in enumerate(beads) if b.is_link]
    if not links:
        return beads

    def trimmed(b: Bead, start: bool, end: bool) -> list[Bead]:
        # The new witness's line first, then the earlier witnesses' unit, at each end asked for.
        before: list[Bead] = []
        after: list[Bead] = []
        if end and b.j1 - b.j0 > 1 and furniture_like(new_keys[b.j1 - 1], language):
            after.insert(0, Bead(b.i1, b.i1, b.j1 - 1, b.j1, 0.0))
            b = replace(b, j1=b.j1 - 1)
        if start and b.j1 - b.j0 > 1 and furniture_like(new_keys[b.j0], language):
            before.append(Bead(b.i0, b.i0, b.j0, b.j0 + 1, 0.0))
            b = replace(b, j0=b.j0 + 1)
        if end and b.i1 - b.i0 > 1 and _furniture(groups[b.i1 - 1], keys, None, language):
            after.insert(0, Bead(b.i1 - 1, b.i1, b.j1, b.j1, 0.0))
            b = replace(b, i1=b.i1 - 1)
        if start and b.i1 - b.i0 > 1 and _furniture(groups[b.i0], keys, None, language):
            before.append(Bead(b.i0, b.i0 + 1, b.j0, b.j0, 0.0))
            b = replace(b, i0=b.i0 + 1)
        return before + [b] + after

    first, last = links[0], links[-1]
    if first == last:
        return beads[:first] + trimmed(beads[first], True, True) + beads[first + 1 :]
    return (beads[:first] + trimmed(beads[first], True, False) + beads[first + 1 : last]
            + trimmed(beads[last], False, True) + beads[last + 1 :])


def _held(groups: Sequence[_Group], w: str) -> list[int]:
    """A witness's sentences in these units, in order."""
    return [i for g in groups for i in g.sentences.get(w, ())]


def _pulled_in(beads: list[Bead], groups: list[_Group], new_keys: list[str], new_breaks: list[bool],
               keys: dict[str, list[str]], scorer: Scorer, model: str = confidence.LEXICAL) -> list[Bead]:
    """The path with a new sentence left alone beside a unit pulled into it where it
    renders the unit's first (last) sentence of an earlier witness that has several
    there. A unit is as coarse as its coarsest witness: once one witness renders two
    sentences of another as one, they stand in one unit, and a later witness that
    renders them apart, with a sentence of its own between (``A. x. B.``), finds no
    shape of the DP that holds all three against the unit: it linked ``B.`` and left
    ``A.`` alone, and the witnesses after it followed ``A.`` into a unit of its own.
    Pulled in when the lone sentence's link to that sentence would be sure (SURE;
    its length deviation, not known here, is weighed 0 as the fitted model weighs
    it) and it renders it better than the unit's own first (last) new sentence does."""
    from .confidence import probability
    from .furniture import SURE

    def best(j: int, sentences: list[tuple[str, int]]) -> float:
        return max(float(scorer([keys[w][i]], [new_keys[j]])[0, 0]) for w, i in sentences)

    def alone(m: int, i: int) -> bool:
        return 0 <= m < len(out) and out[m].i0 == out[m].i1 == i and out[m].j1 > out[m].j0

    out = list(beads)
    for k in range(len(out)):
        b = out[k]
        if not b.is_link:
            continue
        held = {w: idx for w in groups[b.i0].sentences if len(idx := _held(groups[b.i0 : b.i1], w)) >= 2}
        if not held:
            continue
        # Before: the new sentences alone right before this link (at most REACH).
        m = k - 1
        while alone(m, b.i0) and out[m].j1 == (out[m + 1].j0 if m + 1 < k else b.j0):
            m -= 1
        start = out[m + 1].j0 if m + 1 < k else b.j0
        firsts = [(w, idx[0]) for w, idx in held.items()]
        own = best(b.j0, firsts) if start < b.j0 else 0.0
        for j in range(b.j0 - 1, max(start, b.j0 - REACH) - 1, -1):
            if any(new_breaks[j : b.j0]):
                break
            sim = best(j, firsts)
            if probability(sim, 0.0, 2, model) >= SURE and sim > own:
                for n in range(m + 1, k):
                    out[n] = replace(out[n], j1=min(out[n].j1, j))
                b = out[k] = replace(b, j0=j)
                break
        # After: the new sentences alone right after it.
        m = k + 1
        while alone(m, b.i1) and out[m].j0 == (out[m - 1].j1 if m - 1 > k else b.j1):
            m += 1
        end = out[m - 1].j1 if m - 1 > k else b.j1
        lasts = [(w, idx[-1]) for w, idx in held.items()]
        own = best(b.j1 - 1, lasts) if end > b.j1 else 0.0
        for j in range(b.j1, min(end, b.j1 + REACH)):
            if any(new_breaks[b.j1 - 1 : j]):
                break
            sim = best(j, lasts)
            if probability(sim, 0.0, 2, model) >= SURE and sim > own:
                for n in range(k + 1, m):
                    out[n] = replace(out[n], j0=max(out[n].j0, j + 1))
                out[k] = replace(b, j1=j + 1)
                break
    return [b for b in out if b.i1 > b.i0 or b.j1 > b.j0]


# How far beside a link _pulled_in and _merged_across look: the next sentence
# (unit), or the one after a sentence of a witness's own between.
REACH = 2


def _merged_across(beads: list[Bead], groups: list[_Group], new_keys: list[str], keys: dict[str, list[str]],
                   scorer: Scorer, costs: Costs, model: str = confidence.LEXICAL) -> dict[int, list[int]]:
    """Per link of the path (its index), the units passed by beside it that its new
    sentences render too (a merge), across a unit of another witness's own. Units
    are compared through their first witnesses, so where another witness added a
    sentence between two of the first, the joined key of the three units mixed it
    into theirs, and a later witness that renders the two as one (``A, and B.``)
    linked ``A`` alone. Here the two are joined as one witness reads them, the unit
    between passed by, and the DP's own rule decides (the link of both gains more
    than the link of one; a sentence left alone costs nothing in one language),
    where the joined link is more similar and would be sure (SURE)."""
    from .confidence import probability
    from .furniture import SURE

    def joins(b: Bead, v: int, w: str, after: bool) -> bool:
        # Whether the link's new sentences render w's sentences of unit v with its own.
        held, there = _held(groups[b.i0 : b.i1], w), list(groups[v].sentences[w])
        new = " ".join(new_keys[b.j0 : b.j1])
        one = " ".join(keys[w][i] for i in held)
        both = " ".join(keys[w][i] for i in (held + there if after else there + held))
        s_one, s_both = (float(x) for x in scorer.pairwise([one, both], [new, new]))
        count = b.j1 - b.j0
        gain = (costs.gain(np.float32(s_both), (len(held) + len(there), count), np.float32(len(both)), np.float32(len(new)))
                - costs.gain(np.float32(s_one), (len(held), count), np.float32(len(one)), np.float32(len(new))))
        return float(gain) > 0 and s_both > s_one and probability(s_both, 0.0, len(held) + len(there) + count, model) >= SURE

    out: dict[int, list[int]] = {}
    for k, b in enumerate(beads):
        if not b.is_link:
            continue
        found: list[int] = []
        for step in (1, -1):
            # The units passed by right after (before) the link, nearest first.
            m, passed = k + step, []
            while 0 <= m < len(beads) and not beads[m].is_link and beads[m].j0 == beads[m].j1 \
                    and len(passed) < REACH:
                passed.extend(range(beads[m].i0, beads[m].i1) if step > 0 else range(beads[m].i1 - 1, beads[m].i0 - 1, -1))
                m += step
            inner = groups[b.i1 - 1] if step > 0 else groups[b.i0]
            for n, v in enumerate(passed[:REACH]):
                shared = [w for w in inner.sentences if inner.sentences[w] and groups[v].sentences.get(w)
                          and not any(groups[u].sentences.get(w) for u in passed[:n])]
                if any(joins(b, v, w, step > 0) for w in shared):
                    found.append(v)
                    break
        if found:
            out[k] = found
    return out


def _turn_between(g: _Group, h: _Group, turn: dict[str, list[int]]) -> bool:
    """Whether a speaker turn starts between two neighbouring units, for a witness they share."""
    cached = g.cache.get("next")
    if cached is not None and cached[0] is h and cached[1] == h.version:
        return cached[2]
    small, large = (g.sentences, h.sentences) if len(g.sentences) <= len(h.sentences) else (h.sentences, g.sentences)
    found = any(
        g.sentences.get(w) and h.sentences.get(w) and turn[w][g.sentences[w][-1]] != turn[w][h.sentences[w][0]]
        for w in small if w in large and w in turn
    )
    g.cache["next"] = (h, h.version, found)
    return found


# Many witnesses in different orders (retellings, shuffled excerpts) leave many
# units that only one or a few witnesses have: from this many witnesses on,
# where the units outnumber the new witness's sentences SPARSE_RATIO times, the
# path is looked for among the CANDIDATES units closest to each new sentence
# only (the units with most witnesses first among equals); the others are
# passed by. A step then costs about the same however many witnesses came
# before, instead of growing with them. Fewer witnesses keep the full path.
MANY_WITNESSES = 12
SPARSE_RATIO = 4
CANDIDATES = 4


def _sparse_path(
    unit_keys: list[list[str]], new_keys: list[str], scorer: Scorer, costs: Costs,
    unit_break: Callable[[int], bool], new_breaks: list[bool], sizes: Callable[[np.ndarray], np.ndarray],
) -> tuple[list[Bead], np.ndarray, np.ndarray]:
    """:func:`anchored_path` among the units closest to some new sentence (see SPARSE_RATIO)."""
    n, m = len(unit_keys[0]), len(new_keys)
    if not m:
        return [Bead(0, n, 0, 0, 0.0)], np.zeros(n, dtype=np.float32), np.zeros(0, dtype=np.float32)
    # Units that read alike (many witnesses of one text) are scored once: per
    # distinct set of representative keys.
    kinds: dict[tuple[str, ...], int] = {}
    kind = np.array([kinds.setdefault(t, len(kinds)) for t in zip(*unit_keys)])
    distinct = [list(k) for k in zip(*kinds)]
    sims = _similarities(scorer, distinct, new_keys)  # distinct keys x new sentences
    best_unit = sims.max(axis=1)[kind]
    # Per new sentence, its closest units: by similarity, then by size, then in order.
    keep_set: set[int] = set()
    by_kind: dict[int, list[int]] = {}
    for i, k in enumerate(kind.tolist()):
        by_kind.setdefault(k, []).append(i)
    members = {k: np.array(v) for k, v in by_kind.items()}
    for j in range(m):
        column = sims[:, j]
        if not column.max() > 0:
            continue
        best_kinds = np.argsort(-column, kind="stable")[:CANDIDATES]
        rows = np.concatenate([members[int(k)] for k in best_kinds])
        rows = rows[column[kind[rows]] > 0]
        score = np.floor(column[kind[rows]] * 1e4) * 1e4 + np.minimum(sizes(rows), 9_999) - rows / (n + 1)
        keep_set.update(rows[np.argsort(-score, kind="stable")[:CANDIDATES]].tolist())
    keep = sorted(keep_set)
    if not keep:
        beads = [Bead(0, n, 0, 0, 0.0)] + [Bead(n, n, j, j + 1, 0.0) for j in range(m)]
        return beads, best_unit, np.zeros(m, dtype=np.float32)
    sub_keys = [[keys[i] for i in keep] for keys in unit_keys]
    sub_breaks = [b != a + 1 or unit_break(a) for a, b in zip(keep, keep[1:])]
    part, part_best, best_new = anchored_path(sub_keys, new_keys, scorer, costs, sub_breaks, new_breaks)
    best_unit[keep] = part_best
    return _lift(part, keep, n, m), best_unit, best_new


def _lift(part: list[Bead], keep: list[int], n: int, m: int) -> list[Bead]:
    """A path over the units ``keep`` (in order, of ``n``) as a path over all of
    them: the units between are passed by, each run as one step."""
    beads: list[Bead] = []
    at = 0  # the next unit not yet on the path
    for b in part:
        if b.i1 > b.i0:
            first = keep[b.i0]
            if first > at:
                beads.append(Bead(at, first, b.j0, b.j0, 0.0))
            beads.append(Bead(first, keep[b.i1 - 1] + 1, b.j0, b.j1, b.score, b.deviation))
            at = keep[b.i1 - 1] + 1
        else:
            beads.append(b)
    if n > at:
        beads.append(Bead(at, n, m, m, 0.0))
    return beads


def _spread(values: np.ndarray, keep: list[int], n: int) -> np.ndarray:
    """Per-unit values of the units ``keep`` placed among ``n`` (0 elsewhere)."""
    out = np.zeros(n, dtype=np.float32)
    out[keep] = values
    return out


def _off_the_edges(groups: list[_Group], keys: dict[str, list[str]], languages: Optional[dict[str, str]],
                   language: str) -> Optional[list[int]]:
    """The units a witness in another language is aligned with: all but the page
    furniture at the edges (units of lines too short to say anything alone, see
    :func:`_furniture`, before the first or after the last unit that two
    witnesses share). Across languages a sentence left alone costs something,
    and the path would run over ``Go back`` and ``Discuss`` rather than leave
    them; short lines inside the text (``God forbid.``) stay on the path.
    None where nothing is left off."""
    shared = [i for i, g in enumerate(groups) if g.support > 1]
    if not shared:
        return None
    keep = [i for i, g in enumerate(groups)
            if shared[0] <= i <= shared[-1] or not _furniture(g, keys, languages, language)]
    return keep if 0 < len(keep) < len(groups) else None


def _retells(beads: list[Bead], groups: Sequence[_Group], new_keys: Sequence[str], done: Sequence[str],
             language: str) -> bool:
    """Whether a path is a retelling's (its links are judged by a retelling's
    confidence model): between its first and last link, the new witness leaves
    more than a fifth of its sentences unlinked, or leaves that much of every
    earlier witness's units unlinked (see IN_ORDER_SHARE).

    Counted inside the links' span, not over the whole witness: a page's other
    news around a translation makes it no retelling (counted over the whole
    page, a translation of the seeds' interview after a page of other news fell
    to a mean confidence of 0.74 from 0.99). The span is that of the links of
    sentences that say something: one chance link of a line of page furniture
    at the far end of a page (``Discuss``) does not stretch it. Per earlier
    witness: another witness's own material (a page of other news joined
    before) is not the text this one fails to render. And a witness most of
    whose links are strong (see STRONG_LINK) renders the text nearly word for
    word wherever it links: an abridged or expanded edition, whose identical
    sentences a retelling's model rated 0.85."""
    links = [b for b in beads if b.is_link]
    if not links or sum(b.score >= STRONG_LINK for b in links) >= IN_ORDER_SHARE * len(links):
        return False
    body = [b for b in links if not all(furniture_like(k, language) for k in new_keys[b.j0 : b.j1])] or links
    lo, hi = body[0], body[-1]
    if sum(b.j1 - b.j0 for b in body) < IN_ORDER_SHARE * (hi.j1 - lo.j0):
        return True
    linked = {i for b in body for i in range(b.i0, b.i1)}
    span = range(lo.i0, hi.i1)
    for w in done:
        held = [i for i in span if groups[i].sentences.get(w)]
        if held and sum(i in linked for i in held) >= IN_ORDER_SHARE * len(held):
            return False
    return True


def _link_step(
    groups: list[_Group], done: list[str], seg: Segmentation, order: list[int],
    keys: dict[str, list[str]], segs: dict[str, Segmentation], scorer: Scorer, settings: Settings,
    summaries: list[Pairing], turns: Optional[dict[str, list[int]]] = None,
    languages: Optional[dict[str, str]] = None, merges: Optional[list[Pairing]] = None,
) -> list[_Group]:
    """Align one more witness's sentences (``order``: their indices) to the units so
    far; links to units the new sentences render beside the one they join go to
    ``summaries`` (a retelling) or ``merges`` (a rendering in order)."""
    sigil = seg.witness.sigil
    own = frozenset(w for w in done if languages and languages[w] == languages[sigil])
    unit_keys = _representatives(groups, done, keys, own)
    new_keys = [keys[sigil][i] for i in order]
    turn = turns or {w: [s.turn for s in segs[w].sentences] for w in done + [sigil]}
    new_breaks = [turn[sigil][a] != turn[sigil][b] for a, b in zip(order, order[1:])]
    # A witness is aligned across languages until a witness in its own language is in.
    cross = bool(languages) and not own
    sparse = len(done) >= MANY_WITNESSES and len(groups) > SPARSE_RATIO * max(len(new_keys), 1)
    unit_breaks = [] if sparse else [_turn_between(g, h, turn) for g, h in zip(groups, groups[1:])]
    # Lengths are compared at the ratio of the two texts' lengths (a translation
    # into a wordier language is longer throughout).
    old_length = float(key_lengths(unit_keys).sum())
    ratio = sum(len(k) for k in new_keys) / old_length if old_length else 1.0
    costs = Costs(settings.threshold, settings.merge_penalty, settings.length_weight, ratio or 1.0)
    if cross:
        costs = across_languages(costs)
    # The units the new witness's path runs through (None: all of them).
    on_path = _off_the_edges(groups, keys, languages, settings.language) if cross and not sparse and len(done) > 1 else None
    path_keys = unit_keys if on_path is None else [[rank[i] for i in on_path] for rank in unit_keys]
    path_breaks = (unit_breaks if on_path is None
                   else [b != a + 1 or any(unit_breaks[a:b]) for a, b in zip(on_path, on_path[1:])])
    path_groups = groups if on_path is None else [groups[i] for i in on_path]

    def path() -> tuple[list[Bead], np.ndarray, np.ndarray]:
        if sparse:
            # Turn breaks and unit sizes only where the sparse path looks.
            return _sparse_path(
                unit_keys, new_keys, scorer, costs, lambda a: _turn_between(groups[a], groups[a + 1], turn), new_breaks,
                lambda rows: np.array([len(groups[i].sentences) for i in rows.tolist()], dtype=np.int64))
        # Anchors only at units most of the witnesses so far share (see anchors._anchors_with).
        anchorable = [2 * g.support > len(done) for g in path_groups]
        return anchored_path(path_keys, new_keys, scorer, costs, path_breaks, new_breaks, anchorable)

    beads, best_for_unit, best_for_new = path()
    if cross:
        # Judged before any lexicon is learned from these very links (which would favour them).
        excess, needed = over_chance(beads, path_keys, new_keys, scorer, costs, path_breaks, new_breaks)
        related = excess >= needed
    if cross and related and hasattr(scorer, "learn") and (
            not getattr(scorer, "multilingual", False) or excess >= TRANSLATION_MARGIN):
        # Across languages a first path teaches the words that translate each
        # other (a lexicon, see align.scorers.crosslang.Lexicon); the second path
        # uses them. hunalign bootstraps its dictionary the same way. Beside
        # embeddings, only a translation's path teaches (see TRANSLATION_MARGIN).
        linked = [(" ".join(rank[b.i0 : b.i1]), " ".join(new_keys[b.j0 : b.j1]))
                  for b in beads if b.is_link for rank in path_keys if all(rank[b.i0 : b.i1])]
        if scorer.learn(linked):
            beads, best_for_unit, best_for_new = path()
            # Where the two texts' sentence boundaries cross, the words tell (a
            # lexicon is needed, so only once one is learned).
            beads = crossed(beads, path_keys, new_keys, scorer, costs, path_breaks, new_breaks)
    if on_path is not None:
        beads = _lift(beads, on_path, len(groups), len(new_keys))
        best_for_unit = _spread(best_for_unit, on_path, len(groups))
    # A witness none of whose links is strong shares nothing real with the
    # witnesses so far (same topic, other text): its weak links are chance.
    if not cross:
        related = any(b.score >= STRONG_LINK for b in beads if b.is_link)
    # Judged on the path as found: the decisions below read the model it selects.
    retold = _retells(beads, groups, new_keys, done, settings.language)
    model = confidence.model_for(settings.scorer, cross, retelling=retold)
    def judge(g: _Group, bead: Bead) -> float:
        sentences = {w: tuple(idx) for w, idx in g.sentences.items() if idx}
        # A unit none of whose witnesses so far is in the new witness's language was
        # compared across languages (its representative is in another), whatever the step.
        across = cross or (bool(languages) and not own.intersection(w for w in sentences if w != sigil))
        model_here = confidence.model_for(settings.scorer, across, retelling=retold)
        return judged(sentences, bead.score, bead.deviation, bead.sentences, model_here)

    if related and not cross and len(done) > 1:
        beads = _without_weak_edges(beads, groups, order, sigil, keys, settings.language, model)
    if related and not cross:
        beads = _trimmed_edges(beads, new_keys, groups, keys, settings.language)
    if related and not cross and len(done) > 1:
        beads = _pulled_in(beads, groups, new_keys, new_breaks, keys, scorer, model)
    # One verdict for the step: a retelling's joins are judged as such, and what it
    # renders beside the unit it joins is a summary; a rendering in order merged.
    # (Counted over the whole witness until 2026-12-06: a translation that merges
    # sentences, on a page of other news, claimed 22 transpositions, now 4.)
    beside = (_merged_across(beads, groups, new_keys, keys, scorer, costs, model)
              if related and not cross and len(done) > 1 and not retold else {})

    out: list[_Group] = []
    # Per unit rendered beside the one joined: the pairing, and the new sentence at
    # the boundary with that unit (in a rendering in order, the one that spans both).
    said_beside: list[tuple[Pairing, tuple[int, ...]]] = []

    def say_beside(g: _Group, news: list[int], after: bool, score: float) -> None:
        boundary = tuple(news[-1:] if after else news[:1])
        said_beside.extend((({w: tuple(idx), sigil: tuple(news)}, score), boundary)
                           for w, idx in g.sentences.items() if idx)

    for k_bead, bead in enumerate(beads):
        olds = groups[bead.i0 : bead.i1]
        news = [order[j] for j in range(bead.j0, bead.j1)]
        for v in beside.get(k_bead, ()):
            say_beside(groups[v], news, v >= bead.i1, bead.score)
        if olds and news and related:
            if len(olds) > 1 and not _joinable(olds):
                # The new sentences render several units that earlier witnesses keep
                # apart: joining those units would give the earlier witnesses links
                # they do not make. The new sentences join the unit they render
                # best; the others are linked to them as said elsewhere.
                keep = _best_unit(olds, news, done, keys, sigil, scorer)
                for k, g in enumerate(olds):
                    if k == keep:
                        g.add(sigil, news)
                        g.scores.append(judge(g, bead))
                    elif not (cross and _furniture(g, keys, languages, settings.language)):
                        say_beside(g, news, k > keep, bead.score)
                    out.append(g)
                continue
            merged = _Group({})
            for g in olds:
                for w, idx in g.sentences.items():
                    merged.sentences.setdefault(w, []).extend(idx)
                merged.scores.extend(g.scores)
            merged.add(sigil, news)
            merged.scores.append(judge(merged, bead))
            out.append(merged)
            continue
        for offset, g in enumerate(olds):
            # Only the least is used (the unit's confidence): a unit passed by at
            # every step keeps one number, not one per witness.
            alone = 1.0 - float(best_for_unit[bead.i0 + offset])
            g.alone[:] = [min(g.alone[0], alone)] if g.alone else [alone]
            out.append(g)
        for offset, j in enumerate(news):
            out.append(_Group({sigil: [j]}, alone=[1.0 - float(best_for_new[bead.j0 + offset])]))
    # A retelling's summary of several units is linked to all of them; a
    # rendering in order (a translation that merged two sentences the others
    # keep apart) joins the unit it renders best and renders the others beside
    # it: a merge, not a transposition (it is in order) nor a gap (it left nothing out).
    if related and retold:
        summaries.extend(pairing for pairing, _ in said_beside)
    elif related and merges is not None:
        merges.extend(({**sentences, sigil: boundary}, score) for (sentences, score), boundary in said_beside)
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


def align_sentences(
    segmentations: Sequence[Segmentation], settings: Settings
) -> tuple[list[Unit], list[Pairing], list[Pairing]]:
    """Align the sentences of all witnesses into units, in reading order.

    Speaker labels take no part in the alignment (a label says nothing about
    content); they are placed afterwards, before their turn's first sentence.
    Returns the units, the summaries and the merges: a later witness's
    sentences linked to units of earlier witnesses beside the unit they joined
    (pairings in the form of :func:`find_transpositions`), by a retelling and
    by a rendering in order."""
    scorer = get_scorer(settings.scorer)
    keys = {seg.witness.sigil: [match_key(s.text) for s in seg.sentences] for seg in segmentations}
    languages = {seg.witness.sigil: seg.witness.lang for seg in segmentations}
    if len(set(languages.values())) > 1:
        # Witnesses in several languages: each key carries its language, and a
        # pair in two languages is scored across languages (a multilingual scorer,
        # as sentence embeddings are, beside the lexicon the texts teach).
        keys = {w: [tag(languages[w]) + k if k else k for k in ks] for w, ks in keys.items()}
        if not getattr(scorer, "multilingual", False):
            scorer = Polyglot(scorer, CrossLanguage())
        else:
            scorer = WithLexicon(scorer, CrossLanguage())
    else:
        languages = {}
    order = {
        seg.witness.sigil: [s.index for s in seg.sentences if s.kind == "sentence"] for seg in segmentations
    }
    by_sigil = {seg.witness.sigil: seg for seg in segmentations}
    sigla = [seg.witness.sigil for seg in segmentations]
    steps = by_language(segmentations, languages, settings.source) if languages else list(segmentations)
    first = steps[0].witness.sigil
    groups = [_Group({first: [i]}) for i in order[first]]
    done = [first]
    summaries: list[Pairing] = []
    merges: list[Pairing] = []
    # Each witness's speaker turns, once (not again at every later witness's step).
    turns = {seg.witness.sigil: [s.turn for s in seg.sentences] for seg in segmentations}
    for seg in steps[1:]:
        groups = _link_step(groups, done, seg, order[seg.witness.sigil], keys, by_sigil, scorer, settings, summaries,
                            turns, languages, merges)
        done.append(seg.witness.sigil)
    groups = _place_labels(groups, segmentations)

    sigla = [seg.witness.sigil for seg in segmentations]
    units = []
    for n, g in enumerate(groups, start=1):
        sure = float(np.mean(g.scores)) if g.scores else (min(g.alone) if g.alone else 1.0)
        units.append(
            Unit(
                n=n,
                kind="label" if g.label else "sentence",
                sentences={s: tuple(g.sentences.get(s, ())) for s in sigla},
                confidence=round(max(0.0, min(1.0, sure)), 3),
            )
        )
    return units, summaries, merges


