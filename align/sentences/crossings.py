"""Links across which two translations' sentence boundaries cross.

One translation ends a sentence inside one of the other's (Luke 1:46-48: ``Mary
said, "My soul magnifies the Lord.`` / ``My spirit has rejoiced in God my Savior,
for he has looked at ...`` against ``Entonces María dijo: engrandece mi alma al
Señor; Y mi espíritu se alegró en Dios mi Salvador.`` / ``Porque ha mirado ...``):
the smallest stretch both render whole is one link of two sentences a side, and
the DP, whose every link gains, links them one by one, each to the sentence it
mostly renders. Neither whole-sentence similarity nor lengths tell such a pair of
links from two right ones; the words do. At the boundary between two links, the
sentence on either side of it is read word by word: where a run of its words at
the boundary translates the other link's words better than its own link's (the
learned lexicon's Dice, summed over the run), the boundary lies inside that
sentence, and the two links are one. (A long sentence put whole in the wrong link
reads the same way, all but its last word; the DP seldom does that, and the joined
link then holds the right one.)
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np

from ..scorers import Scorer
from .dp import Bead, Costs, key_lengths, link_similarity, turn_after

# How many words' worth of translation evidence (Dice summed over the run of a
# boundary sentence's words that the other link translates better) joins two
# links. On the development books (Mark, John, Luke, Acts 1-3, Spanish against
# the WEB, sentence gold, 2026-12-07) three of the five crossings reach 2.4-3.0,
# and no right pair of links (402) passes 1.5.
CROSSING_EVIDENCE = 2.0


def _run(votes: np.ndarray, at_end: bool) -> float:
    """The largest sum of a run of ``votes`` at the sentence's end (start), the
    whole sentence excluded (a whole sentence in the wrong link is a shifted
    boundary, which the DP weighs itself)."""
    if len(votes) < 2:
        return 0.0
    sums = np.cumsum(votes[::-1] if at_end else votes)[:-1]
    return float(max(sums.max(), 0.0))


def evidence(first: tuple[Sequence[str], Sequence[str]], second: tuple[Sequence[str], Sequence[str]],
             translations) -> float:
    """How strongly two adjacent links' boundary lies inside a sentence of one of
    them. ``first`` and ``second``: each link's keys (one side's, the other
    side's); ``translations(key, other)``: per word of key, the Dice of its best
    translation among the other key's words."""
    best = 0.0
    for side in (0, 1):
        own1, own2 = first[side], second[side]
        other1, other2 = " ".join(first[1 - side]), " ".join(second[1 - side])
        last, head = own1[-1], own2[0]
        # The end of the first link's last sentence rendering the second link, or
        # the start of the second link's first sentence rendering the first.
        best = max(best, _run(translations(last, other2) - translations(last, other1), True),
                   _run(translations(head, other1) - translations(head, other2), False))
    return best


def crossed(beads: list[Bead], unit_keys: Sequence[Sequence[str]], new_keys: Sequence[str], scorer: Scorer,
            costs: Costs, unit_breaks: Sequence[bool] = (), new_breaks: Sequence[bool] = ()) -> list[Bead]:
    """The path with each pair of adjacent links whose boundary lies inside a
    sentence (see :func:`evidence`) joined into one link. Only for a scorer that
    knows word translations (a learned lexicon, see
    :meth:`align.scorers.crosslang.Polyglot.translations`)."""
    translations = getattr(scorer, "translations", None)
    if translations is None:
        return beads
    la, lb = key_lengths(unit_keys), np.array([len(k) for k in new_keys], dtype=np.float32)

    out = list(beads)
    k = 0
    while k + 1 < len(out):
        b, c = out[k], out[k + 1]
        if b.is_link and c.is_link and not turn_after(unit_breaks, b.i1 - 1) and not turn_after(new_breaks, b.j1 - 1):
            # The units' witnesses that hold all of both links' units.
            ranks = [rank for rank in unit_keys if all(rank[b.i0 : c.i1])]
            found = max((evidence((rank[b.i0 : b.i1], new_keys[b.j0 : b.j1]), (rank[c.i0 : c.i1], new_keys[c.j0 : c.j1]),
                                  translations) for rank in ranks), default=0.0)
            if found >= CROSSING_EVIDENCE:
                joined = Bead(b.i0, c.i1, b.j0, c.j1, 0.0)
                out[k] = replace(joined, score=link_similarity(joined, unit_keys, new_keys, scorer),
                                 deviation=float(costs.deviation(la[b.i0 : c.i1].sum(), lb[b.j0 : c.j1].sum())))
                del out[k + 1]
                continue
        k += 1
    return out
