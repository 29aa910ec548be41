"""Segmentation: paragraphs, speaker turns and sentences, with every trap of the seeds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.model import Witness
from align.readers import read_witnesses
from align.segment import segment, sentence_spans
from conftest import seed


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def seg(prefix: str):
    return segment(read_witnesses(seed(prefix))[0])


def test_editorial_ellipsis_followed_by_capital_ends_a_sentence():
    text = "It is possible to draw a conclusion based on this afternoon [...] Some changes are evident. As a result, we hope."
    assert sentences(text) == [
        "It is possible to draw a conclusion based on this afternoon [...]",
        "Some changes are evident.",
        "As a result, we hope.",
    ]


def test_bracketed_insertions_do_not_end_sentences():
    text = "Routinely, all our [member] states agreed. Over the course of tomorrow [Friday], we will complete it."
    assert sentences(text) == ["Routinely, all our [member] states agreed.",
                                "Over the course of tomorrow [Friday], we will complete it."]


def test_initials_do_not_end_a_sentence():
    text = "It was chaired by the Vice-Minister T.S. Sultangaziev, and the IV meeting was held. Then J. R. Smith spoke."
    assert sentences(text) == ["It was chaired by the Vice-Minister T.S. Sultangaziev, and the IV meeting was held.",
                               "Then J. R. Smith spoke."]


def test_numbers_and_dates_stay_inside_sentences():
    text = "On 02.10.2024 training began. There are about 2,500 people. In total about 3.6 thousand. Mr. Zas said so."
    assert sentences(text) == ["On 02.10.2024 training began.", "There are about 2,500 people.",
                               "In total about 3.6 thousand.", "Mr. Zas said so."]


def test_quotes_ending_and_inside_sentences():
    assert sentences('And it sounds like this: "for a short period." What kind of short period?') == [
        'And it sounds like this: "for a short period."', "What kind of short period?"]
    one = "It is unpleasant to read that “we took advantage of the situation,” as this is nonsense."
    assert sentences(one) == [one]


def test_a_line_break_always_ends_a_sentence():
    w = Witness("a", "2,500 peacekeeping forces deployed amid chaos\nFurthermore, Zas noted it\n\nGo back")
    assert [s.text for s in segment(w).sentences] == [
        "2,500 peacekeeping forces deployed amid chaos", "Furthermore, Zas noted it", "Go back"]


def test_seed_000_speaker_labels_turns_and_trailing_discuss():
    s = seg("000")
    labels = [x.text for x in s.sentences if x.kind == "label"]
    assert labels.count("Sputnik:") == 10 and labels.count("Secretary General:") == 10
    assert [t.speaker for t in s.turns[:2]] == ["Sputnik", "Secretary General"]
    assert s.sentences[-1].text == "Discuss" and s.sentences[-2].text.endswith("need some help.")
    lone = [x for x in s.sentences if x.text == "Sputnik"]
    assert len(lone) == 1 and lone[0].kind == "sentence" and lone[0].turn is None
    first_q = next(x for x in s.sentences if x.kind == "sentence" and x.turn == 0)
    assert first_q.text.startswith("Stanislav Vasilievich, on what basis")


def test_seed_001_dash_turns_alternate_question_and_answer():
    s = seg("001")
    assert len(s.turns) == 20
    assert [t.speaker for t in s.turns[:4]] == ["Q", "A", "Q", "A"]
    assert all(t.label == "—" for t in s.turns)
    # The no-break space after the dash does not hide the label.
    q = next(x for x in s.sentences if x.text.startswith("Stanislav Vasilyevich"))
    assert q.kind == "sentence" and q.turn == 0
    assert not any(x.text.startswith("—") for x in s.sentences if x.kind == "sentence")
    assert [x.text for x in s.sentences[-3:]] == ["Go back", "Back to the section", "Back to the all news"]


def test_seed_002_repeated_headline_with_colon_is_not_a_label():
    s = seg("002")
    headlines = [x for x in s.sentences if x.text.startswith("Stanislav Zas: In the Republic")]
    assert len(headlines) == 2 and all(x.kind == "sentence" and x.turn is None for x in headlines)
    assert "T.S. Sultangaziev" in next(x.text for x in s.sentences if "Sultangaziev" in x.text)
    assert [x.text for x in s.sentences[:1]] == ["02.10.2024"]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_offsets_point_at_the_text_and_nothing_is_lost(prefix):
    s = seg(prefix)
    text = s.witness.text
    covered = [False] * len(text)
    for x in s.sentences:
        assert text[x.start:x.end] == x.text
        for i in range(x.start, x.end):
            assert not covered[i], "segments overlap"
            covered[i] = True
    rest = "".join(ch for ch, c in zip(text, covered) if not c)
    assert not rest.strip(), f"uncovered text: {rest.strip()[:80]!r}"
    assert [x.index for x in s.sentences] == list(range(len(s.sentences)))
    assert [x.start for x in s.sentences] == sorted(x.start for x in s.sentences)


def test_entities_are_repaired_before_segmentation():
    s = seg("003")
    assert not any("& mdash;" in x.text for x in s.sentences)
    assert any(re.search(r"for a short period\.$", x.text) for x in s.sentences)


def test_punkt_runs_on_the_shipped_lists_without_downloading(monkeypatch):
    import importlib

    import nltk

    segment_module = importlib.import_module("align.segment")

    def no_download(*args, **kwargs):
        raise AssertionError("nltk.download() called")

    monkeypatch.setattr(nltk, "download", no_download)
    segment_module._punkt.cache_clear()
    every, prepositive = segment_module._abbreviations()
    assert {"mr", "e.g", "u.s", "co", "p.m"} <= every and {"mr", "e.g"} <= prepositive <= every
    assert sentences("Let's ask Jane and co. They should know. Mr. Will Smith came.") == [
        "Let's ask Jane and co.", "They should know.", "Mr. Will Smith came."]


@pytest.mark.parametrize("text", [
    'He said to them, “Is it lawful to do good?” But they were silent. “Behold, my mother!”',
    'And it sounds like this: "for a short period." What kind? (Sent1.) Sent2. ’Quoted’ end.',
    "in this country. '' The CSTO includes Russia. -- Then: ”done.” Next one » here.",
])
def test_realignment_is_punkts_own(text):
    """align applies Punkt's boundary realignment itself (faster): the ends must be Punkt's."""
    from align.segment import _punkt, _punkt_ends

    tokenizer = _punkt()
    assert _punkt_ends(tokenizer, text, 0, len(text)) == [e for _, e in tokenizer.span_tokenize(text)]


# -- Punkt without nltk.redos's wrapper ---------------------------------------

_PUNKT_ALPHABET = list("abcXYZ éÉßñçŞğ Жжзь ΑΒγ 日本 ١٢٣ 123 0 .....,,;;::!!??\"'()[]{}«»„“”‘’—–-…"
                       "\u0301\u0308\u00a0\t\n*@#%&$\x85\u2028") + [
    "Mr.", "U.S.", "e.g.", "т. е.", "z. B.", "Sr.", "No.", "1.", "a)", "St.", " A. ", "...", " The ", " и "]


def _spans_both_ways(text: str, lang: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Sentence spans with align's Punkt, and with nltk's own (same parameters)."""
    import importlib

    module = importlib.import_module("align.segment")
    ours = module._punkt(lang)
    plain = type(ours)(ours._params)  # nltk's own token and language variables
    original = module._punkt
    try:
        module._punkt = lambda lang="en": plain
        theirs = sentence_spans(text, lang=lang)
    finally:
        module._punkt = original
    return sentence_spans(text, lang=lang), theirs


def test_punkt_unwrapped_is_in_use():
    import importlib

    module = importlib.import_module("align.segment")
    tokenizer = module._punkt("en")
    punkt = importlib.import_module(type(tokenizer).__module__)
    if not hasattr(punkt, "redos"):
        pytest.skip("this nltk compiles Punkt's patterns plainly")
    assert tokenizer._Token is not punkt.PunktToken
    assert not hasattr(tokenizer._Token._RE_NUMERIC, "_timeout")
    assert not hasattr(tokenizer._lang_vars.period_context_re(), "_timeout")


@pytest.mark.parametrize("prefix", ["000", "001", "003", "004", "005"])
def test_punkt_unwrapped_splits_the_seeds_as_nltk_does(prefix):
    witness = read_witnesses(seed(prefix))[0]
    lang = "ru" if prefix == "005" else "en"
    ours, theirs = _spans_both_ways(witness.text, lang)
    assert len(ours) > 10
    assert ours == theirs


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PUNKT_ALPHABET), min_size=1, max_size=120).map("".join),
       st.sampled_from(["en", "ru", "es", "de", "fr"]))
def test_punkt_unwrapped_splits_any_text_as_nltk_does(text, lang):
    ours, theirs = _spans_both_ways(text, lang)
    assert ours == theirs
