"""Links across which two translations' sentence boundaries cross
(align/sentences/crossings.py): the word evidence on its own, and Mary's song in
Luke 1:46-48, where the Reina-Valera 1909 and the WEB end their sentences at
different places, on the whole book (Debian's SWORD modules, which .ci/run installs)."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

from align.sentences import crossings
from conftest import ROOT


def same_words(key: str, other: str) -> np.ndarray:
    # A toy lexicon: a word translates itself, nothing else.
    others = set(other.split())
    return np.array([1.0 if w in others else 0.0 for w in key.split()], dtype=np.float32)


def test_a_boundary_inside_a_sentence_is_found_from_the_words():
    # The first link's sentence ends with two words the second link's other side
    # renders: the boundary of side b lies inside it.
    crossing = crossings.evidence((["w1 w2 w3 w4"], ["w1 w2"]), (["w5 w6"], ["w3 w4 w5 w6"]), same_words)
    assert crossing == pytest.approx(2.0)
    # The start of the second link's sentence rendered by the first link: the same.
    assert crossings.evidence((["w1 w2"], ["w1 w2 w3"]), (["w3 w4 w5"], ["w4 w5"]), same_words) == pytest.approx(1.0)
    # Two right links: each sentence's words are its own link's.
    assert crossings.evidence((["w1 w2"], ["w1 w2"]), (["w3 w4"], ["w3 w4"]), same_words) == 0.0
    # Side a's boundary inside side b's sentence "w3 w4 w5": found from side b.
    assert crossings.evidence((["w1 w2", "w3 w4"], ["w1 w2"]), (["w5"], ["w3 w4 w5"]), same_words) == pytest.approx(2.0)


def test_without_a_lexicon_the_path_is_unchanged():
    from align.scorers import get_scorer
    from align.sentences.dp import Bead, Costs

    beads = [Bead(0, 1, 0, 1, 0.9), Bead(1, 2, 1, 2, 0.9)]
    # The scorer of one language knows no word translations.
    out = crossings.crossed(beads, [["a b", "c d"]], ["a b c", "d"], get_scorer("blend"), Costs(0.35))
    assert out == beads


sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.fixture(scope="module")
def luke():
    bible = pytest.importorskip("bible")
    pytest.importorskip("pysword", reason="pysword is in the test extra")
    if not os.path.isdir(os.path.join(bible.SWORD, "modules", "texts", "ztext", "spaRV1909eb")):
        pytest.skip("no SWORD modules: apt-get install sword-text-kjv sword-text-web sword-text-sparv")
    return pytest.importorskip("sentence_gold").texts("Luke")


def links_of(data) -> set:
    import warnings

    import align

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        collation = align.collate([align.witness(data["whole"]["es"], "es", lang="es"),
                                   align.witness(data["whole"]["web"], "web", lang="en")],
                                  settings=align.Settings(source="es"))
    return {(tuple(collation.sentences("es")[i].text[:30] for i in x), tuple(collation.sentences("web")[j].text[:30] for j in y))
            for x, y in collation.pair_links("es", "web")}


def test_marys_song_is_one_link_where_the_boundaries_cross(luke, monkeypatch):
    song = (("Entonces María dijo: engrandec", "Porque ha mirado á la bajeza d"),
            ("Mary said, “My soul magnifies ", "My spirit has rejoiced in God ", "For behold, from now on, all g"))
    assert song in links_of(luke)
    # Without the word evidence the DP links the sentences one by one.
    monkeypatch.setattr(crossings, "CROSSING_EVIDENCE", float("inf"))
    assert song not in links_of(luke)
