"""Sentence alignment on hand-made cases: splits, merges, omissions, additions, unrelated text."""

from __future__ import annotations

import numpy as np
import pytest

import align
from align.model import Settings
from align.scorers import SCORERS, get_scorer

BASE = [
    "The delegation arrived in the capital on Monday morning.",
    "The minister welcomed the guests at the airport and spoke about cooperation.",
    "Talks on the new trade agreement will continue until Friday.",
    "Both sides expect to sign the document next week.",
    "Journalists were not allowed to attend the closed session.",
]


def links(collation: align.Collation) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    a, b = collation.sigla
    return [(u.sentences[a], u.sentences[b]) for u in collation.units if u.sentences[a] and u.sentences[b]]


def collate_texts(a: list[str], b: list[str]) -> align.Collation:
    return align.collate([align.witness(" ".join(a), "a"), align.witness(" ".join(b), "b")])


def test_identical_texts_align_one_to_one():
    c = collate_texts(BASE, BASE)
    assert links(c) == [((i,), (i,)) for i in range(5)]
    assert all(u.confidence >= 0.99 for u in c.units)


def test_split_sentence_is_a_one_to_two_link():
    other = list(BASE)
    other[1:2] = ["The minister welcomed the guests at the airport.", "He spoke about cooperation."]
    c = collate_texts(BASE, other)
    assert ((1,), (1, 2)) in links(c)
    assert ((2,), (3,)) in links(c) and ((4,), (5,)) in links(c)


def test_merged_sentences_are_a_two_to_one_link():
    other = list(BASE)
    other[2:4] = ["Talks on the new trade agreement will continue until Friday, and both sides expect to sign the document next week."]
    c = collate_texts(BASE, other)
    assert ((2, 3), (2,)) in links(c)
    assert ((4,), (3,)) in links(c)


def test_omitted_and_added_sentences_stay_alone():
    other = [BASE[0], BASE[1], "A spokesman declined to comment on the rumours about the harvest.", BASE[3], BASE[4]]
    del other[3]  # omit "Both sides expect..."
    other.insert(3, BASE[2])
    # other: 0,1,NEW,2,4 -> BASE 3 omitted, NEW added
    c = collate_texts(BASE, other)
    assert links(c) == [((0,), (0,)), ((1,), (1,)), ((2,), (3,)), ((4,), (4,))]
    alone = {(tuple(u.sentences["a"]), tuple(u.sentences["b"])) for u in c.units if len(u.witnesses_present()) == 1}
    assert ((3,), ()) in alone and ((), (2,)) in alone


def test_unrelated_sentences_are_not_forced_onto_neighbours():
    noise = [
        "Heavy rain is expected in the northern provinces over the weekend.",
        "The football club announced the signing of a new goalkeeper.",
    ]
    c = collate_texts(BASE, noise + BASE)
    assert links(c) == [((i,), (i + 2,)) for i in range(5)]
    for unit in c.units:
        if unit.sentences["b"] and unit.sentences["b"][0] < 2:
            assert unit.sentences["a"] == ()


def test_seed_news_items_pair_with_nothing(pair_collation):
    a, b = pair_collation.sigla
    news = [s.index for s in pair_collation.sentences(b) if "2023" in s.text or "Channel-Perekhvat" in s.text]
    assert len(news) >= 4
    for unit in pair_collation.units:
        if set(unit.sentences[b]) & set(news):
            assert unit.sentences[a] == (), unit


def test_reordered_words_inside_a_sentence_still_link():
    other = list(BASE)
    other[0] = "On Monday morning the delegation arrived in the capital."
    c = collate_texts(BASE, other)
    assert ((0,), (0,)) in links(c)


def test_confidence_is_high_for_clear_links_and_lower_for_loose_ones():
    other = list(BASE)
    other[1] = "At the airport the guests were greeted by the minister, who talked about working together."
    c = collate_texts(BASE, other)
    by_first = {u.sentences["a"]: u.confidence for u in c.units if u.sentences["a"]}
    assert by_first[(0,)] >= 0.99
    assert by_first[(1,)] < by_first[(0,)]


def test_three_witnesses_progressively():
    third = list(BASE)
    third[4] = "The press could not attend the closed session."
    c = align.collate([align.witness(" ".join(BASE), "a"), align.witness(" ".join(BASE), "b"),
                       align.witness(" ".join(third), "c")])
    assert len(c.units) == 5
    assert all(len(u.witnesses_present()) == 3 for u in c.units)


@pytest.mark.parametrize("name", sorted(SCORERS))
def test_scorers_share_one_signature_and_range(name):
    scorer = get_scorer(name)
    sims = scorer(["a b c", "x y z"], ["a b c", "c b a", "q"])
    assert sims.shape == (2, 3) and sims.dtype == np.float32
    assert sims[0, 0] == pytest.approx(1.0)
    assert ((sims >= 0) & (sims <= 1)).all()
    assert scorer([], ["x"]).shape == (0, 1)


def test_unknown_scorer_is_an_align_error():
    with pytest.raises(align.AlignError):
        align.collate([align.witness("A text.", "a"), align.witness("A text.", "b")], settings=Settings(scorer="nope"))


def test_long_texts_use_anchors_and_keep_the_alignment(monkeypatch, pair_collation):
    """Past FULL_DP_CELLS the DP runs only between anchors; on the seeds (forced
    to that path) the links stay those of the full DP, near enough."""
    from align.sentences import anchors as sentences
    from align.evaluate import evaluate, load_gold
    from conftest import GOLD, seed

    calls = []
    real = sentences._anchors
    monkeypatch.setattr(sentences, "_anchors", lambda *a: calls.append(1) or real(*a))
    monkeypatch.setattr(sentences, "FULL_DP_CELLS", 500)
    anchored = align.collate([seed("000"), seed("001")])
    assert calls
    gold = load_gold(GOLD / "gold_000_001.json")
    full = evaluate(pair_collation, gold, *pair_collation.sigla)
    result = evaluate(anchored, gold, *anchored.sigla)
    assert result.strict.recall >= full.strict.recall - 0.03
    assert result.strict.precision >= full.strict.precision - 0.03


def test_anchor_chain_increases_in_both_texts():
    from align.sentences.anchors import increasing as _increasing

    pairs = [(0, 5, 0.9), (1, 1, 0.9), (2, 2, 0.9), (3, 0, 0.9), (4, 3, 0.9), (5, 9, 0.9), (6, 4, 0.9)]
    chain = _increasing(pairs)
    assert [(i, j) for i, j, _ in chain] == [(1, 1), (2, 2), (4, 3), (6, 4)]
    assert _increasing([]) == []
