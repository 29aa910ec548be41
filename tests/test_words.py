"""Word collation inside units: shared text once, every difference an App of the right type."""

from __future__ import annotations

import align
from align.clean import tokenize
from align.model import App, Text
from align.words import classify, spelling_variant


def pieces(a: str, b: str, *more: str):
    texts = [a, b, *more]
    c = align.collate([align.witness(t, f"w{i}") for i, t in enumerate(texts)])
    assert len(c.units) == 1, [u.shape for u in c.units]
    return c.units[0].pieces


def apps(ps):
    return [(p.type, tuple(r.text for r in p.readings)) for p in ps if isinstance(p, App)]


def test_identical_sentences_are_one_shared_text():
    ps = pieces("The forces will be withdrawn soon.", "The forces will be withdrawn soon.")
    assert ps == (Text("The forces will be withdrawn soon."),)


def test_transliteration_is_one_orthographic_variant_not_gap_plus_addition():
    ps = pieces("President Kassym-Zhomart Tokayev asked for help.", "President Kassym-Jomart Tokayev asked for help.")
    assert apps(ps) == [("orthographic", ("Kassym-Zhomart", "Kassym-Jomart"))]
    assert ps[0] == Text("President") and ps[-1] == Text("Tokayev asked for help.", space=True)


def test_near_match_inside_a_longer_difference_stays_a_variant():
    ps = pieces("Stanislav Vasilievich, on what basis are the forces brought?",
                "Stanislav Vasilyevich, on what basis are the forces brought?")
    assert ("orthographic", ("Vasilievich", "Vasilyevich")) in apps(ps)


def test_omission_is_an_empty_reading():
    ps = pieces("The advance team is already in Kazakhstan.", "The advance team is already in the Republic of Kazakhstan.")
    assert apps(ps) == [("gap", ("", "the Republic of"))]


def test_case_punctuation_lexical_and_editorial():
    ps = pieces("All our [member] states agreed; the collective security treaty is clear and plain.",
                "All our states agreed, the Collective Security Treaty is clear and understandable.")
    found = apps(ps)
    assert ("editorial", ("[member]", "")) in found
    assert ("punctuation", ("agreed;", "agreed,")) in found
    assert ("case", ("collective security treaty", "Collective Security Treaty")) in found
    assert ("lexical", ("plain", "understandable")) in found


def test_identical_readings_are_grouped_across_three_witnesses():
    ps = pieces("The peacekeepers will guard the airport.", "The peacekeepers will guard the airfield.",
                "The peacekeepers will guard the airfield.")
    (app,) = [p for p in ps if isinstance(p, App)]
    assert [(r.wits, r.text) for r in app.readings] == [(("w0",), "airport"), (("w1", "w2"), "airfield")]


def test_readings_keep_the_witness_characters():
    ps = pieces("It is “complete nonsense”, he said.", 'It is "complete nonsense", he said.')
    quotes = [p for p in ps if isinstance(p, App)]
    assert quotes and all(p.type == "punctuation" for p in quotes)
    assert {r.text for p in quotes for r in p.readings} >= {"“", '"'}


def test_classify_transposition_and_spelling():
    assert classify([tokenize("weapons will be used"), tokenize("will be used weapons")]) == "transposition"
    assert spelling_variant("Vasilievich", "Vasilyevich") and spelling_variant("Zhomart", "Jomart")
    assert not spelling_variant("the", "their") and not spelling_variant("differ", "different")


def test_joined_places_keep_an_insertion_at_their_end():
    # w1 adds "in the media" where w2 drops "later": both gaps, joined into one place.
    texts = ["The decision will be published later.", "The decision will be published later in the media.",
             "The decision will surely be published."]
    c = align.collate([align.witness(t, f"w{i}") for i, t in enumerate(texts)])
    (unit,) = c.units
    from align.model import line_of

    for i, text in enumerate(texts):
        assert line_of(unit.written(f"w{i}")) == text


def test_an_absent_witness_does_not_hide_the_others_variants(tei_schema):
    from conftest import assert_valid

    texts = ["Peace came to Kassym-Zhomart Tokayev's country. A storm follows the calm.",
             "Peace came to Kassym-Jomart Tokayev's country. A storm follows the calm.",
             "A storm follows the calm."]
    c = align.collate([align.witness(t, f"w{i}") for i, t in enumerate(texts)])
    unit = next(u for u in c.units if u.absent() == ("w2",))
    assert ("orthographic", ("Kassym-Zhomart", "Kassym-Jomart")) in apps(unit.pieces)
    tree = assert_valid(tei_schema, align.to_tei(c))
    TEI = "{http://www.tei-c.org/ns/1.0}"
    # One level of places: the absent witness reads nothing at each, the shared text is a gap for it.
    places = tree.findall(f".//{TEI}seg[@n='{unit.n}']/{TEI}app")
    assert tree.find(f".//{TEI}app//{TEI}app") is None
    assert [(a.get("type"), [r.get("wit") for r in a]) for a in places if a.get("type") == "orthographic"] == [
        ("orthographic", ["#w0", "#w1", "#w2"])]
    assert all(a[-1].get("wit") == "#w2" and not "".join(a[-1].itertext()) for a in places)
    back = align.read_tei(align.to_tei(c))
    assert [u.pieces for u in back.units] == [u.pieces for u in c.units]
    assert [u.sentences for u in back.units] == [u.sentences for u in c.units]
