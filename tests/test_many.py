"""Many witnesses: ten synthetic renderings of the interview at once."""

from __future__ import annotations

import itertools
import random

import pytest
from lxml import etree

import align
from align.tei import witness_text
from conftest import assert_valid, seed

TEI = "{http://www.tei-c.org/ns/1.0}"
SWAPS = {"forces": "troops", "Kazakhstan": "Qazaqstan", "situation": "state of affairs", "will": "shall",
         "peacekeeping": "peace-keeping", "Republic": "republic", "President": "president"}


def rendering(sentences: list[str], rng: random.Random) -> list[str]:
    """A second translator's version: words swapped or dropped, a sentence omitted, one added."""
    out = []
    for s in sentences:
        words = s.split()
        for i, w in enumerate(words):
            if w in SWAPS and rng.random() < 0.5:
                words[i] = SWAPS[w]
        if len(words) > 6 and rng.random() < 0.3:
            del words[rng.randrange(1, len(words) - 1)]
        if rng.random() < 0.05:
            continue
        out.append(" ".join(words))
    out.insert(rng.randrange(len(out)), "This sentence was added by one translator alone, about nothing else.")
    return out


@pytest.fixture(scope="module")
def ten() -> tuple[align.Collation, list[align.Witness]]:
    base = align.segment(align.load(seed("000"))[0])
    sentences = [s.text for s in base.sentences if s.kind == "sentence" and len(s.text.split()) > 4][5:45]
    rng = random.Random(7)
    witnesses = [align.witness("\n".join(rendering(sentences, rng)), f"t{k}") for k in range(10)]
    return align.collate(witnesses), witnesses


def test_ten_witnesses_collate_into_valid_tei_that_reads_back(ten, tei_schema):
    collation, witnesses = ten
    for mode in ("parallel", "standoff"):
        tree = assert_valid(tei_schema, align.to_tei(collation, mode))
        assert len(tree.findall(f".//{TEI}listWit/{TEI}witness")) == 10
        for w in witnesses:
            assert " ".join(witness_text(tree, w.sigil).split()) == " ".join(w.text.split())


def test_ten_witnesses_align_their_shared_sentences(ten):
    collation, witnesses = ten
    counts = collation.sentence_counts()
    for w in witnesses:
        sentences = collation.sentences(w.sigil)
        linked = {i for u in collation.units if len(u.witnesses_present()) > 1 for i in u.sentences[w.sigil]}
        # Everything but the one added sentence is shared with the other renderings.
        assert len(linked) >= len(sentences) - 2, w.sigil
        assert counts[w.sigil]["collated"] + counts[w.sigil]["set_apart"] == len(sentences)
    # Units where all ten agree exist, and the swaps show up as variants of all ten.
    full = [u for u in collation.units if len(u.witnesses_present()) == 10]
    assert len(full) >= 20


def test_identical_readings_are_grouped(ten):
    collation, _ = ten
    apps = [(u, p) for u in collation.units for p in u.pieces if isinstance(p, align.App)]
    assert apps
    for unit, app in apps:
        texts = [(r.text, r.space) for r in app.readings]
        assert len(set(texts)) == len(texts)
        # Every witness present in the unit has exactly one reading at each place.
        assert sorted(s for r in app.readings for s in r.wits) == sorted(unit.witnesses_present())
    apps = [app for _, app in apps]
    assert any(len(r.wits) >= 3 for app in apps for r in app.readings if r.text)
    types = {app.type for app in apps}
    assert {"lexical", "gap"} <= types


def test_a_pair_keeps_its_alignment_when_more_witnesses_join(pair_collation, four_collation):
    """The two translations 000/001 are aligned inside the four seeds exactly as
    alone: later witnesses (the retellings) never join units of earlier ones."""
    from align.evaluate import evaluate, load_gold
    from conftest import GOLD

    a, b = pair_collation.sigla
    alone = {(frozenset(x), frozenset(y)) for x, y in pair_collation.pair_links(a, b)}
    inside = {(frozenset(x), frozenset(y)) for x, y in four_collation.pair_links(a, b)}
    assert alone == inside
    gold = load_gold(GOLD / "gold_000_001.json")
    assert evaluate(four_collation, gold, a, b).strict.f1 == evaluate(pair_collation, gold, a, b).strict.f1


def test_units_are_compared_through_a_few_representatives():
    from align.sentences import REPRESENTATIVES, _Group, _representatives

    keys = {w: [f"{w} sentence {i}" for i in range(3)] for w in "abcde"}
    groups = [_Group({w: [0] for w in "abcde"}), _Group({"d": [1]}), _Group({"b": [2], "e": [2]})]
    reps = _representatives(groups, list("abcde"), keys)
    assert len(reps) == REPRESENTATIVES
    assert [r[0] for r in reps] == ["a sentence 0", "b sentence 0", "c sentence 0"][:REPRESENTATIVES]
    assert [r[1] for r in reps] == ["d sentence 1"] + [""] * (REPRESENTATIVES - 1)
    assert [r[2] for r in reps][:2] == ["b sentence 2", "e sentence 2"]


@pytest.mark.parametrize("a,b", [("001", "003"), ("000", "004")])
def test_a_retelling_keeps_its_links_among_more_witnesses(a, b, four_collation):
    """A report joining after the translations links its summaries to every unit
    they render, and a doubtful join at the edges of its links is undone as it
    would be in the pair (measured pairs F1 inside the four / alone: 0.667 /
    0.667 and 0.629 / 0.595; 0.629 and 0.524 inside while a join's doubt was
    hidden in its unit's mean confidence, 0.516 and 0.400 before summaries
    were linked). The issue's bar: within 0.01, in every measure: strict F1 of
    000/004 was 0.348 inside against 0.417 alone while 004's photo caption
    ``Kazakhstan protest`` joined its last link among the four (0.435 now)."""
    from align.evaluate import evaluate, load_gold
    from conftest import GOLD

    gold = load_gold(GOLD / f"gold_{a}_{b}.json")
    alone = align.collate([seed(a), seed(b)])
    sa, sb = (next(s for s in four_collation.sigla if s.startswith(f"w{x}")) for x in (a, b))
    inside, by_itself = evaluate(four_collation, gold, sa, sb), evaluate(alone, gold, *alone.sigla)
    for measure in ("pairs", "strict", "lax"):
        assert getattr(inside, measure).f1 >= getattr(by_itself, measure).f1 - 0.01, measure


def test_the_same_witnesses_give_the_same_tei_in_any_process():
    """Reproducible output: string hashing (set order) changes between processes,
    and no result may depend on it."""
    import os
    import subprocess
    import sys

    script = ("import sys, warnings; warnings.simplefilter('ignore'); import align; "
              "sys.stdout.buffer.write(align.to_tei(align.collate(sys.argv[1:])))")
    paths = [str(seed(s)) for s in ("000", "001", "003", "004")]
    outputs = {
        subprocess.run([sys.executable, "-c", script, *paths], capture_output=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": str(n)}).stdout
        for n in (1, 2, 3)
    }
    assert len(outputs) == 1 and next(iter(outputs)).startswith(b"<?xml")


# Three renderings: two keep the first two sentences apart, one joins them.
CAT_APART = ("The cat sat quietly on the old mat by the door. The dog ran happily in the green park all day. "
             "Then everyone went home for dinner.")
CAT_APART_TOO = ("The cat sat calmly on the old mat by the door. The dog ran cheerfully in the green park all day. "
                 "Then everybody went home for dinner.")
CAT_JOINED = ("The cat sat quietly on the old mat by the door, and the dog ran happily in the green park all day. "
              "Then everyone went home for dinner.")


def test_two_witnesses_keep_their_own_links_inside_a_unit_a_third_makes_coarse():
    # b merges a's first two sentences; a and c keep them apart: the unit holds
    # all three, and a/c's links come from its word collation, as they do alone.
    witnesses = [align.witness(CAT_APART, "a"), align.witness(CAT_JOINED, "b"), align.witness(CAT_APART_TOO, "c")]
    three = align.collate(witnesses)
    assert any(u.sentences["a"] == (0, 1) and u.sentences["b"] == (0,) for u in three.units)
    assert three.pair_links("a", "c") == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    assert three.pair_links("a", "c") == align.collate([witnesses[0], witnesses[2]]).pair_links("a", "c")
    assert three.pair_links("a", "b") == [((0, 1), (0,)), ((2,), (1,))]
    assert three.pair_links("b", "c") == [((0,), (0, 1)), ((1,), (2,))]
    # What the TEI shows gives the same links (sentence milestones, places).
    back = align.read_tei(align.to_tei(three))
    assert back.pair_links("a", "c") == three.pair_links("a", "c")


def test_a_sentence_sharing_no_place_with_the_other_is_not_linked_to_it():
    from align.model import App, Reading, Sentence, Text, Unit, unit_links

    sa = (Sentence("a", 0, 0, 9, "Two dogs."), Sentence("a", 1, 10, 22, "Added here."))
    sb = (Sentence("b", 0, 0, 9, "Two dogs."), Sentence("b", 1, 10, 21, "One more."))
    unit = Unit(1, "sentence", {"a": (0, 1), "b": (0, 1)}, 1.0,
                pieces=(Text("Two dogs."), App((Reading(("a",), "Added here.", True), Reading(("b",), "", False)), "gap"),
                        App((Reading(("a",), "", False), Reading(("b",), "One more.", True)), "gap")))
    assert unit_links(unit, "a", "b", (0, 1), (0, 1), sa, sb) == [((0,), (0,))]


def test_a_rendering_that_joins_two_sentences_the_others_keep_apart_merges_them_not_omits(tei_schema):
    # a and c keep the first two sentences apart; b, in order, joins them: its
    # sentence stands in the first unit and renders the second beside it.
    witnesses = [align.witness(CAT_APART, "a"), align.witness(CAT_APART_TOO, "c"), align.witness(CAT_JOINED, "b")]
    three = align.collate(witnesses)
    assert [u.sentences for u in three.units] == [{"a": (0,), "c": (0,), "b": (0,)}, {"a": (1,), "c": (1,), "b": ()},
                                                  {"a": (2,), "c": (2,), "b": (1,)}]
    assert {(t.kind, tuple(t.sentences.items())) for t in three.transpositions} == {
        ("merge", (("a", (1,)), ("b", (0,)))), ("merge", (("c", (1,)), ("b", (0,))))}
    assert not three.moved  # in order: no transposition claimed
    # b's links to each other witness are those it has alone with it.
    for other in ("a", "c"):
        alone = align.collate([w for w in witnesses if w.sigil in (other, "b")])
        assert three.pair_links(other, "b") == alone.pair_links(other, "b") == [((0, 1), (0,)), ((2,), (1,))]
    from align.words import unit_type

    assert unit_type(three.units[1], three.transpositions) == "merge"  # b left nothing out there
    for mode in ("parallel", "standoff"):
        tei = align.to_tei(three, mode)
        assert_valid(tei_schema, tei)
        back = align.read_tei(tei)
        assert back.transpositions == three.transpositions
        assert back.pair_links("a", "b") == three.pair_links("a", "b")
    tree = etree.fromstring(align.to_tei(three))
    assert [g.get("type") for g in tree.iter(f"{TEI}linkGrp")] == ["merge"]
    assert tree.findall(f".//{TEI}app[@type='merge']")
    from align.stats import collation_stats

    assert (collation_stats(three).transpositions, collation_stats(three).merges) == (0, 2)
    # The HTML view names them apart from transpositions, and lets the reader filter them.
    from lxml import html as lxml_html

    from align.writers import get_writer

    page = lxml_html.document_fromstring(get_writer("html").dumps(three))
    assert page.xpath("string(//section[@id='transpositions']/h2)") == "Transpositions (0) and merges (2)"
    assert "merge" in page.xpath("//input[@class='type-filter']/@value")
    assert get_writer("apparatus").dumps(three).decode().count("(merge)") == 1


def test_a_rendering_in_order_merges_on_a_page_of_other_news():
    """Whether a step renders in order is judged inside the span of its links: b's
    page opens with other news (more lines than the text), and its merge stays
    a merge. Counted over the whole page, b was a "retelling" and what it
    renders beside the unit it joins became transpositions (a translation of
    the seeds' interview that merges sentences, on such a page: 22 claimed)."""
    news = "\n".join(f"Weather report {k}: rain is expected in the northern provinces tomorrow." for k in range(6))
    witnesses = [align.witness(CAT_APART, "a"), align.witness(CAT_APART_TOO, "c"),
                 align.witness(news + "\n\n" + CAT_JOINED, "b")]
    three = align.collate(witnesses)
    assert not three.moved
    assert {(t.kind, tuple(t.sentences.items())) for t in three.transpositions} == {
        ("merge", (("a", (1,)), ("b", (6,)))), ("merge", (("c", (1,)), ("b", (6,))))}


def test_each_rendering_keeps_its_links_to_the_first_inside_six():
    # Generated renderings of one text (benchmarks/generate.py: splits, merges,
    # omissions, additions, each rendering its own): every pair with the first
    # is as good inside the six as alone (the generator's gold), within the issue's
    # 0.01 (measured: at most 0.008). Before pair links came from the units' word
    # collation and merges were linked, inside lost up to 0.06; before a part of a place
    # linked only the sentences it shares words with, and anchors could grow, 0.02.
    import sys
    from pathlib import Path

    from align.evaluate import evaluate

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import generate

    pairs = generate.generate_witnesses(200, 6)
    witnesses = [align.witness(t, f"w{i}") for i, t in enumerate([pairs[0].text_a] + [p.text_b for p in pairs])]
    six = align.collate(witnesses)
    for k, pair in enumerate(pairs, start=1):
        gold = {"links": pair.links}
        alone = evaluate(align.collate([witnesses[0], witnesses[k]]), gold, "w0", f"w{k}").strict.f1
        inside = evaluate(six, gold, "w0", f"w{k}").strict.f1
        assert alone >= 0.99 and inside >= alone - 0.01, (k, inside, alone)


def test_merges_whatever_the_order_and_no_sentence_in_two_links():
    from align.words import unit_type

    keeps_apart = CAT_APART.replace("quietly", "silently").replace("happily", "gladly")
    texts = {"a": CAT_APART, "c": CAT_APART_TOO, "b": CAT_JOINED, "e": keeps_apart}
    alone = align.collate([align.witness(CAT_JOINED, "b"), align.witness(keeps_apart, "e")]).pair_links("b", "e")
    for order in (["a", "c", "b", "e"], ["a", "c", "e", "b"]):
        c = align.collate([align.witness(texts[s], s) for s in order])
        # e, aligned after b or before it, keeps apart what b joins: a merge either way.
        assert {t.kind for t in c.transpositions} == {"merge"} and not c.moved, order
        for x, y in itertools.combinations(c.sigla, 2):
            links = c.pair_links(x, y)
            assert len({i for xs, _ in links for i in xs}) == sum(len(xs) for xs, _ in links), (order, x, y)
            assert len({j for _, ys in links for j in ys}) == sum(len(ys) for _, ys in links), (order, x, y)
        assert c.pair_links("b", "e") == alone, order
    # b joins a's second and third sentences; the links that b's two sentences
    # have inside the first unit become one with the merge, as alone.
    a = ("The cat sat quietly on the old mat by the door. The dog ran happily in the green park all day. "
         "The birds sang loudly in the tall oak trees. Then everyone went home for dinner.")
    c = ("The cat sat calmly on the old mat by the door, and the dog ran cheerfully in the green park all day. "
         "The birds sang loudly in the tall oak trees. Then everybody went home for dinner.")
    b = ("The cat sat quietly on the old mat by the door. The dog ran happily in the green park all day while "
         "the birds sang loudly in the tall oak trees. Then everyone went home for dinner.")
    three = align.collate([align.witness(a, "a"), align.witness(c, "c"), align.witness(b, "b")])
    assert three.pair_links("a", "b") == align.collate([align.witness(a, "a"), align.witness(b, "b")]).pair_links("a", "b")
    # A witness that simply lacks a sentence of a unit where a merge stands: a gap, not a merge.
    lacks = CAT_APART.split(". ", 1)[1]
    four = align.collate([align.witness(CAT_APART, "a"), align.witness(CAT_APART_TOO, "c"),
                          align.witness(CAT_JOINED, "b"), align.witness(lacks, "d")])
    assert [(u.absent(), unit_type(u, four.transpositions)) for u in four.units] == [
        (("d",), "gap"), (("b",), "merge"), ((), "gap")]


def test_a_link_of_another_kind_than_its_group_is_refused():
    three = align.collate([align.witness(CAT_APART, "a"), align.witness(CAT_APART_TOO, "c"),
                           align.witness(CAT_JOINED, "b")])
    xml = align.to_tei(three)
    assert b'<link type="merge"' in xml
    with pytest.raises(align.TEIReadError, match="group"):
        align.read_tei(xml.replace(b'<link type="merge"', b'<link type="transposition"', 1))


def test_a_sentence_one_witness_lacks_is_not_linked_through_another_that_merges():
    # w1 renders w0's two sentences as one, so they share a unit with w5, which renders
    # only the first: w0/w5 links the first alone, w0/w1 both; read back alike from TEI.
    before = "The module reads the configuration at start. "
    after = " Every call returns a new object."
    w0 = before + "Returns the absolute value of the operand. Retrieve the size of a file." + after
    w1 = before + "Gives back the absolute result of the operand, and retrieve the size of a document." + after
    w5 = before + "Gives back the absolute result of the operand." + after
    c = align.collate([align.witness(w0, "w0"), align.witness(w1, "w1"), align.witness(w5, "w5")])
    assert any(u.sentences["w0"] == (1, 2) and u.sentences["w5"] == (1,) for u in c.units)
    assert c.pair_links("w0", "w5") == [((0,), (0,)), ((1,), (1,)), ((3,), (2,))]
    assert ((1, 2), (1,)) in c.pair_links("w0", "w1")
    for mode in ("parallel", "standoff"):
        back = align.read_tei(align.to_tei(c, mode))
        assert back.pair_links("w0", "w5") == c.pair_links("w0", "w5")
        assert back.pair_links("w0", "w1") == c.pair_links("w0", "w1")
