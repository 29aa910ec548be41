"""The default TEI is what the scholars' viewers need (issue 12): a lemma in
every place, flat places, whitespace outside readings, blocks, witness
descriptions, and a file that gives back exactly what was collated."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import align
from align.evaluate import evaluate, load_gold
from align.model import Description
from align.stats import collation_stats
from align.tei import parse_tei
from conftest import GOLD, assert_valid, seed
from tei_rules import TEI, XML_ID, breaches


@pytest.mark.parametrize("which", ["pair", "four"])
def test_default_output_keeps_the_viewers_rules(which, pair_collation, four_collation, tei_schema):
    collation = pair_collation if which == "pair" else four_collation
    xml = align.to_tei(collation)
    assert_valid(tei_schema, xml)
    assert breaches(xml, lemma=collation.sigla[0]) == []


def test_base_free_form_has_no_lemma_and_is_valid(four_collation, tei_schema):
    xml = align.to_tei(four_collation, lemma=False)
    assert_valid(tei_schema, xml)
    assert breaches(xml, lemma=None) == []
    assert b"|lemma:no" in xml
    # Only the readings' element (and order) differ: the same places, the same readings.
    def places(data: bytes) -> list:
        return [(app.get(XML_ID), sorted((r.get("wit"), "".join(r.itertext())) for r in app))
                for app in parse_tei(data).iter(f"{TEI}app")]

    assert places(xml) == places(align.to_tei(four_collation))


def test_the_base_gives_the_lemma():
    collation = align.collate([seed("000"), seed("001"), seed("003")], sigla=["sputnik", "ria", "rbk"],
                              settings=align.Settings(base="ria"))
    assert breaches(align.to_tei(collation), lemma="ria") == []


def test_speaker_turns_are_blocks(pair_collation):
    tree = parse_tei(align.to_tei(pair_collation))
    blocks = tree.findall(f".//{TEI}div[@type='collation']/{TEI}p")
    turns = [p for p in blocks if p[0].get("type") == "speaker"]
    # Every speaker label opens a block, and the interview's turns are many blocks, not one.
    labels = tree.findall(f".//{TEI}div[@type='collation']//{TEI}seg[@type='speaker']")
    assert len(turns) == len(labels) >= 20
    assert all(seg.getparent()[0] is seg for seg in labels)


def test_four_witnesses_read_back_exactly(four_collation):
    xml = align.to_tei(four_collation)
    back = align.read_tei(xml)
    assert [u.sentences for u in back.units] == [u.sentences for u in four_collation.units]
    assert [u.pieces for u in back.units] == [u.pieces for u in four_collation.units]
    assert collation_stats(back) == collation_stats(four_collation)
    sigla = dict(zip(("000", "001", "003", "004"), four_collation.sigla))
    for pair in ("000_001", "001_003", "000_004"):
        gold = load_gold(GOLD / f"gold_{pair}.json")
        a, b = (sigla[p] for p in pair.split("_"))
        assert evaluate(back, gold, a, b) == evaluate(four_collation, gold, a, b), pair
    # A sentence boundary inside a unit is a milestone of the witnesses it belongs to.
    tree = parse_tei(xml)
    milestones = tree.findall(f".//{TEI}milestone[@unit='sentence']")
    assert milestones and all(m.get("edRef").lstrip("#") in four_collation.sigla for m in milestones)


def test_witness_descriptions_from_the_library(tei_schema):
    texts = ["Peace came to the country. A storm follows the calm.", "Peace came to the land. A storm follows."]
    c = align.collate([align.witness(t, f"w{i}", source=f"/home/someone/corpus/{i}.txt") for i, t in enumerate(texts)],
                      descriptions=[Description("Interview", "Sputnik", "2022-01-06", "https://example.org/a"), None])
    xml = align.to_tei(c)
    tree = assert_valid(tei_schema, xml)
    first, second = tree.iter(f"{TEI}witness")
    assert first.find(f"{TEI}bibl/{TEI}title").text == "Interview"
    assert first.find(f"{TEI}bibl/{TEI}ref").get("target") == "https://example.org/a"
    # Never an absolute path: the file's name.
    assert second.text == "1.txt" and b"/home/someone" not in xml
    back = align.read_tei(xml)
    assert back.witnesses[0].description == c.witnesses[0].description and not back.witnesses[1].description


def test_witness_descriptions_from_a_file_on_the_command_line(tmp_path, tei_schema):
    table = tmp_path / "witnesses.csv"
    table.write_text("file,title,publisher,date,url\n"
                     f"{seed('001').name},On the CSTO site,CSTO,2022-01-07,https://example.org/csto\n", "utf-8")
    out = tmp_path / "out.xml"
    run = subprocess.run([sys.executable, "-m", "align", "collate", str(seed("000")), str(seed("001")),
                          "--witnesses", str(table), "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    tree = assert_valid(tei_schema, out.read_bytes())
    witnesses = {w.get(XML_ID): w for w in tree.iter(f"{TEI}witness")}
    bibl = witnesses["w001_0e46ad283a0c1166"].find(f"{TEI}bibl")
    assert [bibl.find(f"{TEI}{k}").text for k in ("title", "publisher", "date")] == ["On the CSTO site", "CSTO", "2022-01-07"]
    assert witnesses["w000_a4ada30fd18f0cb7"].text == seed("000").name
    # JSON, keyed by sigil; options in witness order.
    (tmp_path / "w.json").write_text(json.dumps({"a": {"title": "A"}, "b": {"publisher": "B"}}), "utf-8")
    run = subprocess.run([sys.executable, "-m", "align", "collate", str(seed("000")), str(seed("001")), "-s", "a", "-s", "b",
                          "--witnesses", str(tmp_path / "w.json"), "--no-lemma", "-o", str(out)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    back = align.read_tei(out)
    assert [(w.description.title, w.description.publisher) for w in back.witnesses] == [("A", ""), ("", "B")]
    assert b"<lem " not in out.read_bytes()


@pytest.mark.parametrize("content, message", [
    ("sigil,title\nnobody,X\n", "'nobody' names no witness"),
    ("title\nX\n", "needs a 'sigil' or 'file' column"),
    ("[{\"sigil\": \"a\", \"colour\": \"red\"}]", "unknown field(s) colour"),
    ("{not json", "not valid JSON"),
])
def test_bad_description_files_are_one_line_errors(tmp_path, content, message):
    table = tmp_path / ("w.json" if content.startswith(("[", "{")) else "w.csv")
    table.write_text(content, "utf-8")
    out = tmp_path / "out.xml"
    run = subprocess.run([sys.executable, "-m", "align", "collate", str(seed("000")), str(seed("001")), "-s", "a", "-s", "b",
                          "--witnesses", str(table), "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode != 0 and run.stderr.startswith("align: error:") and message in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and not out.exists()
