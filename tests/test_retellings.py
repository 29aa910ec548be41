"""Real-world witnesses: page furniture set apart, retellings aligned out of order
(transpositions), checked against the hand alignments in tests/data."""

from __future__ import annotations

import pytest

import align
from align.evaluate import evaluate, load_gold
from align.tei import witness_text
from conftest import GOLD, assert_valid, seed

TEI = "{http://www.tei-c.org/ns/1.0}"


@pytest.fixture(scope="module")
def retelling() -> align.Collation:
    return align.collate([seed("001"), seed("003")], sigla=["ria", "rbk"])


@pytest.fixture(scope="module")
def retelling_004() -> align.Collation:
    return align.collate([seed("000"), seed("004")], sigla=["sputnik", "republic"])


def _texts(collation: align.Collation, sigil: str, part: str) -> list[str]:
    sentences = collation.sentences(sigil)
    return [sentences[i].text for u in collation.units if u.part == part for i in u.sentences[sigil]]


def test_page_furniture_is_set_apart_and_kept(pair_collation):
    ria = pair_collation.sigla[1]
    front, back = _texts(pair_collation, ria, "front"), _texts(pair_collation, ria, "back")
    # 001 opens with five unrelated news items and ends with site navigation.
    assert any("Bishkek" in t for t in front)
    assert back and not any("peacekeeping forces are" in t for t in back)
    body = _texts(pair_collation, ria, "body")
    assert not any("Bishkek" in t for t in body)
    # Set-apart units hold one witness only; body units come between front and back.
    parts = [u.part for u in pair_collation.units]
    assert parts == sorted(parts, key=["front", "body", "back"].index)
    assert all(len(u.witnesses_present()) == 1 for u in pair_collation.units if u.part != "body")
    # Nothing lost: front + body + back is the whole witness, in order.
    assert [s.index for s in pair_collation.sentences(ria)] == sorted(
        i for u in pair_collation.units for i in u.sentences[ria])


def test_set_apart_material_stands_before_and_after_the_collation(pair_collation, tei_schema):
    xml = align.to_tei(pair_collation)
    tree = assert_valid(tei_schema, xml)
    # In the body, where viewers show it (the Versioning Machine shows no <front>/<back>).
    assert tree.find(f".//{TEI}front") is None and tree.find(f".//{TEI}back") is None
    divs = tree.findall(f".//{TEI}body/{TEI}div")
    assert [(d.get("type"), d.get("subtype")) for d in divs[:3]] == [
        ("setApart", "leading"), ("collation", None), ("setApart", "trailing")]
    front, body, back = (" ".join(d.itertext()) for d in divs[:3])
    assert "Bishkek" in front and "Bishkek" not in body
    assert back.strip()


def test_cli_reports_collated_and_set_apart_per_witness(tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "align", "collate", str(seed("000")), str(seed("001")), "-o",
                          str(tmp_path / "o.xml")], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stderr.splitlines() if "set apart" in line]
    assert len(lines) == 2 and "w001_0e46ad283a0c1166" in lines[1]
    collation = align.collate([seed("000"), seed("001")])
    ria = collation.sigla[1]
    apart = sum(1 for u in collation.units if u.part != "body" for i in u.sentences[ria]
                if collation.sentences(ria)[i].kind == "sentence")
    assert f"{apart} set apart" in lines[1]


@pytest.mark.parametrize("pair,fixture,minimum", [
    # (strict recall, lax precision, lax recall): measured 0.62 / 0.57 / 0.62 and 0.38 / 0.75 / 0.69
    # (threshold 0.35, chosen on the Bible and synoptic development sets: more recall, less precision
    # than at 0.4, where they were 0.54 / 0.70 / 0.54 and 0.23 / 0.89 / 0.69).
    ("001_003", "retelling", (0.55, 0.5, 0.55)),
    ("000_004", "retelling_004", (0.35, 0.7, 0.65)),
])
def test_retellings_against_the_hand_alignment(pair, fixture, minimum, request):
    collation = request.getfixturevalue(fixture)
    gold = load_gold(GOLD / f"gold_{pair}.json")
    a, b = collation.sigla
    result = evaluate(collation, gold, a, b)
    print(pair, "strict", result.strict, "lax", result.lax, "pairs", result.pairs)
    assert result.strict.recall >= minimum[0]
    assert result.lax.precision >= minimum[1] and result.lax.recall >= minimum[2]


def test_retelling_links_cross_and_are_transpositions(retelling, tei_schema):
    assert retelling.transpositions
    # A transposition pairs places out of order: the later witness's unit is not
    # where the in-order alignment would put it.
    crossing = []
    for t in retelling.transpositions:
        earlier = [retelling.unit_of("ria", i).n for i in t.sentences["ria"]]
        later = retelling.unit_of("rbk", t.sentences["rbk"][0]).n
        crossing.append(later < min(earlier) or later > max(earlier))
    assert any(crossing)
    for mode in ("parallel", "standoff"):
        tree = assert_valid(tei_schema, align.to_tei(retelling, mode))
        links = tree.findall(f".//{TEI}link[@type='transposition']")
        assert len(links) == len(retelling.transpositions)
        ids = set(tree.xpath("//@xml:id"))
        for link in links:
            assert all(t.lstrip("#") in ids for t in link.get("target").split())
            assert 0 < float(link.get("cert")) <= 1
        if mode == "parallel":
            assert tree.findall(f".//{TEI}app[@type='transposition']")
        # Not duplicated, not lost: each witness reads back once, in order.
        for w in retelling.witnesses:
            assert " ".join(witness_text(tree, w.sigil).split()) == " ".join(w.text.split())


def test_a_quotation_inside_reported_speech_matches_what_it_quotes(retelling):
    links = retelling.pair_links("ria", "rbk")
    ria, rbk = retelling.sentences("ria"), retelling.sentences("rbk")
    quoted = next(s.index for s in rbk if s.text.startswith("“ We expect that the period will be short."))
    partners = [x for x, y in links if quoted in y]
    assert partners and any(ria[i].text.startswith("We expect that the period will be short") for i in partners[0])


def test_unrelated_interview_links_nothing():
    with pytest.warns(align.UnrelatedWitnessWarning, match="w002_cd610519ad23afcb"):
        collation = align.collate([seed("000"), seed("002")])
    assert not collation.links() and not collation.transpositions
    assert not collation.pair_links(*collation.sigla)
    # Neither is page furniture of the other: both stay whole, unpaired.
    assert all(u.part == "body" for u in collation.units)


def test_base_witness_readings_become_lemmata(tei_schema, tmp_path):
    import subprocess
    import sys

    collation = align.collate([seed("000"), seed("001")], sigla=["sputnik", "ria"],
                              settings=align.Settings(base="ria"))
    assert collation.sigla[0] == "ria" and "|base:ria" in collation.settings.signature()
    xml = align.to_tei(collation)
    tree = assert_valid(tei_schema, xml)
    apps = tree.findall(f".//{TEI}app")
    assert apps
    for app in apps:
        assert app[0].tag == f"{TEI}lem" and "#ria" in app[0].get("wit").split()
        assert len(app.findall(f"{TEI}lem")) == 1
    lemmata = {"".join(app[0].itertext()) for app in apps}
    assert "Kassym-Jomart" in lemmata and "Kassym-Zhomart" not in lemmata
    back = align.read_tei(xml)
    assert back.settings.base == "ria"
    for sigil in collation.sigla:
        assert " ".join(witness_text(tree, sigil).split()) == " ".join(collation.witness(sigil).text.split())
    with pytest.raises(align.UnknownWitnessError):
        align.collate([seed("000"), seed("001")], settings=align.Settings(base="nobody"))
    out = subprocess.run([sys.executable, "-m", "align", "collate", str(seed("000")), str(seed("001")),
                          "--base", "nobody", "-o", str(tmp_path / "x.xml")], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 1 and out.stderr.startswith("align: error: no witness 'nobody'")
    assert not (tmp_path / "x.xml").exists()
