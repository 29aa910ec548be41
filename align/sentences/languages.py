"""Witnesses in several languages: a source beside its translations.

The witnesses of one language are aligned among themselves first, the source's
language last (:func:`by_language`); a witness joining units in another language
is aligned with the costs of :func:`across_languages`, and judged related by a
permutation test (:func:`over_chance`) rather than by one strong link, which
no pair in two languages has (see :mod:`align.scorers.crosslang`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np

from ..model import Segmentation
from ..scorers import Scorer
from .anchors import anchored_path
from .dp import Bead, Costs

# Across languages no single link tells (see align.scorers.crosslang): a witness
# in another language is related if the alignment gains clearly more (the sum the
# DP maximises: links' similarity less threshold and length cost, less the cost
# of sentences left alone) than it does with the witness's sentences shuffled: a
# translation's sentences follow the source's order, another text's do not. Clearly:
# by CHANCE_MARGIN per sentence and by CHANCE_SPREAD standard deviations of the shuffles.
CHANCE_MARGIN = 0.05
CHANCE_SPREAD = 3.0
# A witness of one or two sentences is too short to test: its links must be this similar.
SHORT_WITNESS_LINK = 0.5
# A multilingual scorer (embeddings) is scored beside a lexicon learned from
# the first path only where that path gains this much more than chance per new
# sentence, as a translation's does: a retelling's links teach chance word pairs
# that blur the embeddings. With the embeddings, development pairs (Spanish
# against the WEB): Mark 1-3 gains 0.34 beyond chance per sentence, the
# synoptic retellings of benchmarks/synoptic.py --spanish 0.08-0.10; 0.2 lies
# between (the check book Romans 1-3: 0.30).
TRANSLATION_MARGIN = 0.2
SHUFFLES = 8
LONG_ENOUGH = 200
# A witness joining units in another language (see align.scorers.crosslang):
# lexical similarity across languages is weaker, so a link needs less of it
# (CROSS_THRESHOLD), a sentence left alone costs CROSS_SKIP (a translation renders
# nearly every sentence of its source) and the length cost weighs CROSS_LENGTH_WEIGHT.
# Fitted on the development books of benchmarks/crosslang.py (the Spanish
# Reina-Valera against the WEB, Matthew to Acts; README "Witnesses in other languages").
# Refitted for the embed extra's scorer (27 settings around these, 2026-12-07) they
# stay: no other setting aligns the development books better with it either.
CROSS_THRESHOLD = 0.1
CROSS_SKIP = 0.1
CROSS_LENGTH_WEIGHT = 0.03


def across_languages(costs: Costs) -> Costs:
    """The costs of a step that joins a witness to units in another language. The
    same for the embed extra's scorer: its threshold fitted alone (0.35, the cosine
    that best tells a translation from its chapter's other verses) aligned Mark
    worse inside the DP (pairs F1 0.902 / 0.876 against the KJV / WEB) than these
    costs do (0.919 / 0.890)."""
    return replace(costs, threshold=min(costs.threshold, CROSS_THRESHOLD), skip=CROSS_SKIP,
                   length_weight=max(costs.length_weight, CROSS_LENGTH_WEIGHT))


def by_language(segmentations: Sequence[Segmentation], languages: dict[str, str], source: str = "") -> list[Segmentation]:
    """The order witnesses are aligned in: the witnesses of one language together,
    the language with most witnesses first, the source's language (``source``'s,
    else the first witness's) last: translations keep the links they make with
    each other alone, and the source joins the units they form."""
    sigla = [seg.witness.sigil for seg in segmentations]
    count = {lang: sum(1 for w in sigla if languages[w] == lang) for lang in languages.values()}
    first_of = {lang: next(k for k, w in enumerate(sigla) if languages[w] == lang) for lang in count}
    source = languages[source if source in languages else sigla[0]]
    rank = sorted(count, key=lambda lang: (lang == source, -count[lang], first_of[lang]))
    return sorted(segmentations, key=lambda seg: (rank.index(languages[seg.witness.sigil]), sigla.index(seg.witness.sigil)))


def mean_link(beads: Sequence[Bead]) -> float:
    scores = [b.score for b in beads if b.is_link]
    return float(np.mean(scores)) if scores else 0.0


def path_gain(beads: Sequence[Bead], costs: Costs) -> float:
    """What a path gains, as the DP counts it."""
    return sum(costs.bead_gain(b) for b in beads)


def over_chance(beads: Sequence[Bead], unit_keys: list[list[str]], new_keys: list[str], scorer: Scorer,
                costs: Costs, unit_breaks: Sequence[bool], new_breaks: Sequence[bool]) -> tuple[float, float]:
    """What the path gains beyond the paths the same alignment finds for the new
    sentences shuffled (their mean; fixed shuffles: the result does not vary
    between runs), per new sentence, and what it must gain beyond them to beat
    chance. Long texts need one shuffle: what a path of many links gains varies
    little. Fewer than three sentences a side: the mean link's excess over
    SHORT_WITNESS_LINK, needing 0."""
    m, n = len(new_keys), len(unit_keys[0]) if unit_keys else 0
    if min(m, n) < 3:
        return mean_link(beads) - SHORT_WITNESS_LINK, 0.0
    # The shorter side is shuffled: a few sentences placed in a long text keep
    # much of their freedom when the long side is shuffled instead.
    short = min(m, n)
    rng = np.random.default_rng(short)
    gains = []
    for _ in range(1 if short >= LONG_ENOUGH else SHUFFLES):
        order = rng.permutation(short).tolist()
        if m <= n:
            chance, _, _ = anchored_path(unit_keys, [new_keys[k] for k in order], scorer, costs, unit_breaks,
                                         [False] * (m - 1))
        else:
            chance, _, _ = anchored_path([[rank[k] for k in order] for rank in unit_keys], new_keys, scorer, costs,
                                         [False] * (n - 1), new_breaks)
        gains.append(path_gain(chance, costs))
    spread = float(np.std(gains)) if len(gains) > 1 else 0.0
    excess = path_gain(beads, costs) - float(np.mean(gains))
    return excess / m, max(CHANCE_MARGIN * m, CHANCE_SPREAD * spread) / m
