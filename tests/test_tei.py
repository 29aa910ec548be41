"""The TEI output: valid against the real tei_all, complete, and faithful to every witness."""

from __future__ import annotations

import re

import pytest

import align
from align.clean import words
from align.tei import parse_tei, sigla, witness_text
from conftest import assert_valid, seed

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def test_seed_pair_validates_against_tei_all(tei_schema, pair_collation):
    assert_valid(tei_schema, align.to_tei(pair_collation))


def test_four_renderings_validate_against_tei_all(tei_schema, four_collation):
    tree = assert_valid(tei_schema, align.to_tei(four_collation))
    assert len(tree.findall(f".//{TEI}witness")) == 4


def test_header_lists_witnesses_in_order_with_valid_ids(pair_collation):
    tree = parse_tei(align.to_tei(pair_collation))
    witnesses = tree.findall(f".//{TEI}sourceDesc/{TEI}listWit/{TEI}witness")
    ids = [w.get(XML_ID) for w in witnesses]
    assert ids == ["w000_a4ada30fd18f0cb7", "w001_0e46ad283a0c1166"]
    assert all(re.match(r"^[A-Za-z_][\w.-]*$", i) for i in ids)
    # The file's name, never the folders it was read from.
    assert [w.text for w in witnesses] == ["000_a4ada30fd18f0cb7.txt", "001_0e46ad283a0c1166.txt"]
    assert [w.get("n") for w in witnesses] == ["000_a4ada30fd18f0cb7.txt", "001_0e46ad283a0c1166.txt"]


def test_header_records_encoding_version_and_settings(pair_collation):
    tree = parse_tei(align.to_tei(pair_collation))
    enc = tree.find(f".//{TEI}encodingDesc/{TEI}variantEncoding")
    assert enc.get("method") == "parallel-segmentation" and enc.get("location") == "internal"
    application = tree.find(f".//{TEI}appInfo/{TEI}application")
    assert application.get("ident") == "align" and application.get("version") == align.__version__
    signature = application.find(f"{TEI}p").text
    assert signature == pair_collation.settings.signature() + "|mode:parallel|lemma:yes"
    assert f"align:{align.__version__}" in signature and "scorer:blend" in signature
    categories = {c.get("n") for c in tree.iterfind(f".//{TEI}taxonomy/{TEI}category")}
    assert {"orthographic", "case", "punctuation", "lexical", "transposition", "gap", "editorial"} <= categories


def readings(app):
    return [r for r in app if r.tag in (f"{TEI}lem", f"{TEI}rdg")]


def test_one_seg_per_unit_in_order_with_confidence(pair_collation):
    tree = parse_tei(align.to_tei(pair_collation))
    abs_ = tree.findall(f".//{TEI}text//{TEI}seg")
    assert [int(ab.get("n")) for ab in abs_] == [u.n for u in pair_collation.units]
    assert [int(ab.get("n")) for ab in abs_] == list(range(1, len(abs_) + 1))
    for ab, unit in zip(abs_, pair_collation.units):
        assert 0.0 <= float(ab.get("cert")) <= 1.0
        assert abs(float(ab.get("cert")) - unit.confidence) < 1e-3
    # Speaker turns are visible: one speaker unit per turn label pair at least.
    speakers = [ab for ab in abs_ if ab.get("type") == "speaker"]
    assert len(speakers) >= 20


def test_every_app_has_one_reading_per_witness_and_omissions_are_empty_readings(pair_collation):
    tree = parse_tei(align.to_tei(pair_collation))
    all_sigla = set(sigla(tree))
    apps = tree.findall(f".//{TEI}app")
    assert apps
    for app in apps:
        wits = [w.lstrip("#") for rdg in readings(app) for w in rdg.get("wit").split()]
        assert sorted(wits) == sorted(all_sigla), "each witness in exactly one reading"
        texts = ["".join(r.itertext()) for r in readings(app)]
        assert len(set(texts)) == len(texts), "identical readings are grouped"
    # The unrelated news at the top of 001 is set apart before the collation: 000 has an empty reading there.
    front = tree.findall(f".//{TEI}body/{TEI}div[@type='setApart'][@subtype='leading']/{TEI}p/{TEI}seg")
    rdgs = [r for ab in front for app in ab.findall(f"{TEI}app") for r in readings(app)]
    assert any("Bishkek" in (r.text or "") and r.get("wit") == "#w001_0e46ad283a0c1166" for r in rdgs)
    assert all(r.get("wit") in ("#w000_a4ada30fd18f0cb7", "#w001_0e46ad283a0c1166") for r in rdgs)


@pytest.mark.parametrize("which", ["pair", "four"])
def test_nothing_is_lost_word_by_word(which, pair_collation, four_collation):
    collation = pair_collation if which == "pair" else four_collation
    tree = parse_tei(align.to_tei(collation))
    for witness in collation.witnesses:
        assert words(witness_text(tree, witness.sigil)) == words(witness.text), witness.sigil


def test_near_matches_are_one_variant(pair_collation):
    tree = parse_tei(align.to_tei(pair_collation))
    found = {}
    for app in tree.iterfind(f".//{TEI}app"):
        texts = tuple(sorted("".join(r.itertext()) for r in readings(app)))
        found[texts] = app.get("type")
    assert found[("Kassym-Jomart", "Kassym-Zhomart")] == "orthographic"
    assert found[("Vasilievich", "Vasilyevich")] == "orthographic"


def test_editorial_insertions_are_typed(pair_collation):
    tree = parse_tei(align.to_tei(pair_collation))
    editorial = ["".join(r.itertext()).strip() for app in tree.iterfind(f".//{TEI}app[@type='editorial']")
                 for r in readings(app)]
    assert "[member]" in editorial
    # Where the witness without it goes on with a comma, the place takes the words around it.
    assert "tomorrow [Friday]," in editorial and "tomorrow," in editorial


def test_output_is_deterministic(pair_collation):
    again = align.collate([seed("000"), seed("001")])
    assert align.to_tei(again) == align.to_tei(pair_collation)


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path, pair_collation):
    out = tmp_path / "out.xml"
    align.write(pair_collation, str(out))
    assert out.read_bytes() == align.to_tei(pair_collation)
    assert [p.name for p in tmp_path.iterdir()] == ["out.xml"]
