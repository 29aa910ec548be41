"""Page furniture never links pages; a witness is judged related from how its
sentences meet the others' against chance (issue 11). Hand-made witnesses in
tests/data/related: a three-sentence retelling of 000 in indirect speech, two
short reports of the same event that render other statements (a TASS
interview, Tokayev's address), and three short pages with shared furniture."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import align
from align.clean import match_key
from align.sentences.furniture import dissolve_furniture_links, furniture_like
from align.sentences.related import unrelated_witnesses
from conftest import seed

DATA = Path(__file__).parent / "data" / "related"


def _collate(*sources, sigla):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        collation = align.collate(list(sources), sigla=list(sigla))
    flagged = [str(w.message) for w in caught if issubclass(w.category, align.UnrelatedWitnessWarning)]
    return collation, flagged


def _linked(collation: align.Collation, sigil: str) -> set[int]:
    out = {i for u, _ in collation.links() if u.kind == "sentence" for i in u.sentences[sigil]}
    return out | {i for t in collation.transpositions for i in t.sentences.get(sigil, ())}


def _texts(collation: align.Collation, sigil: str, part: str) -> list[str]:
    sentences = collation.sentences(sigil)
    return [sentences[i].text for u in collation.units if u.part == part for i in u.sentences[sigil]]


@pytest.mark.parametrize("others", [["000"], ["001"], ["000", "001"]])
def test_a_three_sentence_retelling_is_kept_and_linked(others):
    sigla = [f"s{o}" for o in others] + ["retold"]
    c, flagged = _collate(*[seed(o) for o in others], DATA / "retelling_000_three.txt", sigla=sigla)
    assert not flagged
    assert _linked(c, "retold") == {0, 1, 2}
    assert all(u.part == "body" for u in c.units if u.sentences["retold"])


@pytest.mark.parametrize("name", ["other_interview_tass.txt", "other_interview_tokayev.txt"])
@pytest.mark.parametrize("others", [["000"], ["000", "001"]])
def test_a_report_of_another_interview_is_flagged_and_links_nothing(name, others):
    sigla = [f"s{o}" for o in others] + ["other"]
    c, flagged = _collate(*[seed(o) for o in others], DATA / name, sigla=sigla)
    assert any("'other'" in m for m in flagged)
    assert not _linked(c, "other")
    assert all(u.part == "body" for u in c.units if u.sentences["other"])


def test_the_distractor_is_flagged_among_several_witnesses():
    c, flagged = _collate(seed("000"), seed("001"), seed("002"), sigla=["sputnik", "ria", "later"])
    assert any("'later'" in m for m in flagged)
    assert not _linked(c, "later")
    # The two translations still link throughout.
    assert len([u for u, _ in c.links() if u.kind == "sentence"]) > 60


def test_the_distractor_and_a_page_of_the_same_site_share_no_navigation():
    c, flagged = _collate(seed("001"), seed("002"), sigla=["ria", "later"])
    assert any("'later'" in m for m in flagged) and not c.links()


def test_furniture_of_different_pages_is_never_linked():
    pages = ["page_sputnik_short.txt", "page_ria_short.txt", "page_tass_short.txt"]
    c, flagged = _collate(*[DATA / p for p in pages], sigla=["a", "b", "tass"])
    assert any("'tass'" in m for m in flagged) and not _linked(c, "tass")
    for unit, sentences in c.links():
        assert not all(furniture_like(match_key(s.text)) for ss in sentences.values() for s in ss), unit
    # The four content sentences of a and b link; their "Read more", "Save", dates are set apart.
    assert len([u for u, _ in c.links() if u.kind == "sentence"]) == 4
    for sigil in ("a", "b"):
        apart = _texts(c, sigil, "front") + _texts(c, sigil, "back")
        assert {"Read more", "Save", "Share"} <= set(apart)
        assert not any(furniture_like(match_key(t)) for t in _texts(c, sigil, "body"))


@pytest.mark.parametrize("partner", ["000", "003", "004", "retelling"])
def test_the_news_items_of_001_are_set_apart_with_any_partner(partner):
    source = DATA / "retelling_000_three.txt" if partner == "retelling" else seed(partner)
    c, flagged = _collate(seed("001"), source, sigla=["ria", "partner"])
    assert not flagged
    front = _texts(c, "ria", "front")
    assert len(front) >= 7 and all("Bishkek" not in t for t in _texts(c, "ria", "body"))
    assert not any("Stanislav Vasilyevich" in t for t in front)
    # Navigation at the end never links the partner.
    assert {"Go back", "Back to the section", "Back to the all news"} <= set(_texts(c, "ria", "back"))


def test_a_headline_that_paraphrases_the_interview_is_not_furniture(pair_collation):
    sputnik = pair_collation.sigla[0]
    body = _texts(pair_collation, sputnik, "body")
    assert any(t.startswith("CSTO Head: Current Events in Kazakhstan") for t in body)
    assert _texts(pair_collation, sputnik, "front") == ["Russia"]


def test_content_sentences_of_a_retelling_are_not_set_apart():
    c, _ = _collate(seed("000"), seed("004"), sigla=["sputnik", "republic"])
    body = " ".join(_texts(c, "republic", "body"))
    assert "two" in body and "During an interview with Sputnik" in body
    assert "(Image: AP)" in _texts(c, "republic", "back")


def test_a_lead_that_sums_up_what_the_partners_lead_says_is_not_furniture():
    # 003's lead links no sentence of 001 (it paraphrases an answer loosely), but it
    # says what 001's own lead says (both sum up the interview): it is the text.
    c, _ = _collate(seed("001"), seed("003"), sigla=["ria", "rbk"])
    assert any(t.startswith("CSTO Secretary General Zas said that the duration") for t in _texts(c, "rbk", "body"))
    assert len(_texts(c, "ria", "front")) == 7  # 001's news items stay apart


def test_furniture_like_lines():
    for line in ["Read more", "Save", "Share", "06.01.2022", "Go back", "Back to the all news", "For how long?"]:
        assert furniture_like(match_key(line)), line
    assert not furniture_like(match_key("We expect that the period will be short."))


def test_a_short_link_inside_the_body_stays():
    # "For how long?" between two answers is the text, not page furniture.
    c, _ = _collate(seed("000"), seed("001"), sigla=["sputnik", "ria"])
    assert any(s.text == "For how long?" for _, ss in c.links() for s in ss["ria"])


def test_dissolving_keeps_short_texts_whole():
    keys = {"a": ["then it slept"], "b": ["then it slept"]}
    unit = align.Unit(1, "sentence", {"a": (0,), "b": (0,)}, 1.0)
    assert dissolve_furniture_links([unit], keys) == [unit]


def test_relatedness_of_the_seeds():
    def keys(*names):
        return {n: [match_key(s.text) for s in align.segment_file(seed(n))[0].sentences] for n in names}

    alone, _ = unrelated_witnesses(keys("000", "001", "002", "003", "004"), set(), "english")
    assert alone == {"002"}
