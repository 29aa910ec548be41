"""Reading back what align wrote, after a hand or another tool has been at it.

The TEI readers (``read_tei``, ``witness_text``) and the gold reader
(``load_gold``, ``evaluate_file``) accept everything align writes and refuse
everything else with one line (an ``AlignError`` naming the file and the
problem), never another exception: hand-made broken files, then property-based
mutations of align's own outputs (hypothesis), then a few through the CLI (exit
status, one ``align: error:`` line, no traceback, no file left behind).
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import align
import align.evaluate as evaluate_module
import align.tei.read as read_module
from align.errors import AlignError, GoldError, TEIReadError
from align.evaluate import check_gold, evaluate, evaluate_file, gold_witnesses, load_gold
from align.stats import collation_stats
from align.tei import parse_tei, read_tei, witness_text
from conftest import GOLD

TEI_NS = "http://www.tei-c.org/ns/1.0"
TEI = "{%s}" % TEI_NS
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
GOLD_PAIR = GOLD / "gold_000_001.json"

# Hostile inputs tried, by group (the report counts them; see test_hostile_case_count).
PROPERTY_EXAMPLES = {"tei": 100, "standoff": 60, "four": 30, "bytes": 60, "gold": 80}


# -- align's own outputs --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def outputs(pair_collation, four_collation) -> dict[str, bytes]:
    small = align.collate([
        align.witness("Sputnik: How are you today, my friend? I am fine. The weather is nice.\n"
                      "Minister: We agreed on the plan. It will start in May.", sigil="a"),
        align.witness("Sputnik: How are you, friend? I'm fine. The weather is good.\n"
                      "Minister: We have agreed the plan. It starts in May. Thanks to all.", sigil="b"),
        align.witness("Sputnik: How are you today? The weather is nice. I am well.\n"
                      "Minister: The plan is agreed. It will start in May.", sigil="c"),
    ])
    return {
        "pair": align.to_tei(pair_collation, "parallel"),
        "pair-nolemma": align.to_tei(pair_collation, "parallel", lemma=False),
        "pair-standoff": align.to_tei(pair_collation, "standoff"),
        "four": align.to_tei(four_collation, "parallel"),
        "four-standoff": align.to_tei(four_collation, "standoff"),
        "small": align.to_tei(small, "parallel"),
        "small-standoff": align.to_tei(small, "standoff"),
    }


def squeezed(text: str) -> str:
    return "".join(text.split())


def consistent(collation: align.Collation, texts: dict[str, str]) -> None:
    """What a collation read back must be, whatever file it came from."""
    sigla = collation.sigla
    assert len(sigla) >= 2 and len(set(sigla)) == len(sigla)
    for w in collation.witnesses:
        if w.sigil in texts:
            assert squeezed(texts[w.sigil]) == squeezed(w.text)
        for s in collation.sentences(w.sigil):
            assert w.text[s.start:s.end] == s.text
            assert collation.unit_of(w.sigil, s.index).sentences[w.sigil].count(s.index) == 1
        assert squeezed(collation.reading_text(w.sigil)) == squeezed(w.text)
    numbers = [u.n for u in collation.units]
    assert numbers == sorted(set(numbers))
    for u in collation.units:
        assert 0 <= u.confidence <= 1 and set(u.sentences) == set(sigla)
        assert u.witnesses_present()
        for sigil in u.witnesses_present():
            u.written(sigil)
    for t in collation.transpositions:
        assert len(t.sentences) == 2 and all(t.sentences.values()) and 0 <= t.confidence <= 1
    for a, b in combinations(sigla, 2):
        collation.pair_links(a, b)
    collation_stats(collation)
    # What was read is a collation align can write and read again.
    for mode in ("parallel", "standoff"):
        again = read_tei(align.to_tei(collation, mode))
        assert again.sigla == sigla
        assert [squeezed(w.text) for w in again.witnesses] == [squeezed(w.text) for w in collation.witnesses]


def try_everything(xml: bytes, gold: dict | None = None) -> align.Collation | None:
    """Read ``xml`` every way align does; anything but success or an AlignError fails the test."""
    try:
        collation = read_tei(xml)
    except AlignError as exc:
        assert "\n" not in str(exc) and str(exc).strip()
        collation = None
    texts = {}
    try:
        tree = parse_tei(xml)
    except AlignError:
        tree = None
    if tree is not None:
        names = [w.get(XML_ID) or "" for w in tree.iter(f"{TEI}witness")] + ["nobody", "a'b"]
        for sigil in names:
            try:
                texts[sigil] = witness_text(tree, sigil)
            except AlignError as exc:
                assert "\n" not in str(exc)
    if collation is not None:
        consistent(collation, texts)
        if gold is not None and len(collation.sigla) == 2:
            try:
                evaluate(collation, gold, *gold_witnesses(collation, gold))
            except AlignError:
                pass
    return collation


def test_align_outputs_are_read_back(outputs):
    for name, xml in outputs.items():
        assert try_everything(xml) is not None, name


# -- hand-made broken files -----------------------------------------------------------------------

def _tree(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _first(root, path):
    return root.find(path, {"t": TEI_NS})


def _set(path: str, attr: str, value: str | None):
    def mutate(root):
        el = _first(root, path)
        if value is None:
            del el.attrib[attr]
        else:
            el.set(attr, value)
    return mutate


def _remove(path: str):
    def mutate(root):
        el = _first(root, path)
        el.getparent().remove(el)
    return mutate


def _empty_app(root):
    app = _first(root, ".//t:seg/t:app")
    for r in list(app):
        app.remove(r)


def _wit_of_second_reading_to(value):
    def mutate(root):
        app = next(a for a in root.iter(f"{TEI}app") if len(a) >= 2)
        app[1].set("wit", value)
    return mutate


def _duplicate_unit_number(root):
    segs = root.findall(f".//{TEI}seg[@type='unit']")
    segs[1].set("n", segs[0].get("n"))


def _duplicate_id(root):
    segs = root.findall(f".//{TEI}seg[@type='unit']")
    segs[1].set(XML_ID, segs[0].get(XML_ID))


def _nest_unit(root):
    segs = root.findall(f".//{TEI}seg[@type='unit']")
    segs[0].append(copy.deepcopy(segs[1]))
    for el in segs[0][-1].iter():
        el.attrib.pop(XML_ID, None)
    segs[0][-1].set("n", "99999")


def _foreign_element(root):
    seg = root.find(f".//{TEI}seg[@type='unit']")
    hi = etree.SubElement(seg, f"{TEI}hi")
    hi.text = "emphasis"


def _text_between_units(root):
    seg = root.find(f".//{TEI}seg[@type='unit']")
    seg.tail = " stray words "


def _text_in_app(root):
    app = root.find(f".//{TEI}app")
    app.text = "lost"


def _unit_without_text(root):
    seg = root.findall(f".//{TEI}seg[@type='unit']")[3]
    for child in list(seg):
        seg.remove(child)
    seg.text = " "


def _milestone_unknown(root):
    root.find(f".//{TEI}milestone").set("edRef", "#nobody")


def _milestone_twice(root):
    m = root.find(f".//{TEI}milestone[@unit='sentence']")
    twin = copy.deepcopy(m)
    twin.set(XML_ID, "twin")
    twin.tail = None
    m.addprevious(twin)


def _paragraph_twice(root):
    m = root.find(f".//{TEI}milestone[@unit='paragraph']")
    twin = copy.deepcopy(m)
    twin.tail = None
    m.addprevious(twin)


def _paragraph_inside_a_sentence(root):
    # The paragraph mark moved past the first word of the sentence it opened.
    m = next(m for m in root.iterfind(f".//{TEI}milestone[@unit='paragraph']") if " " in (m.tail or "").strip())
    word, rest = m.tail.split(" ", 1)
    before = m.getprevious()
    if before is None:
        m.getparent().text = (m.getparent().text or "") + word + " "
    else:
        before.tail = (before.tail or "") + word + " "
    m.tail = rest


def _paragraph_of_an_absent_witness(root):
    # A witness's paragraph marked in a unit where it has no text.
    for seg in root.iter(f"{TEI}seg"):
        marked = {m.get("edRef") for m in seg.iter(f"{TEI}milestone")}
        if seg.get("type") == "unit" and len(marked) == 1:
            other = next(f"#{w.get(XML_ID)}" for w in root.iter(f"{TEI}witness") if f"#{w.get(XML_ID)}" not in marked)
            mark = etree.Element(f"{TEI}milestone", unit="paragraph", edRef=other)
            mark.tail, seg.text = seg.text, None
            seg.insert(0, mark)
            return
    raise AssertionError("no unit to edit")


def _break_inside_a_unit(root):
    # break="no" (glued to the witness's text before) on a sentence starting inside a unit.
    m = next(m for m in root.iterfind(f".//{TEI}milestone[@unit='sentence']")
             if m.getprevious() is not None and (m.getprevious().tail or "").strip()
             or m.getprevious() is None and (m.getparent().text or "").strip())
    m.set("break", "no")


def _glued_paragraph(root):
    # A witness's paragraph that opens a unit, said to follow its text before with no space.
    for m in root.iterfind(f".//{TEI}seg[@type='unit']/{TEI}milestone[@unit='paragraph']"):
        seg = m.getparent()
        if seg.get("n") == "1" or (seg.text or "").strip() or any(x.tag != m.tag for x in m.itersiblings(preceding=True)):
            continue
        after = m.getnext()
        if after is not None and after.tag == m.tag and after.get("unit") == "sentence" and after.get("edRef") == m.get("edRef"):
            after.set("break", "no")
        else:
            glue = etree.Element(f"{TEI}milestone", unit="sentence", edRef=m.get("edRef"))
            glue.set("break", "no")
            glue.tail, m.tail = m.tail, None
            m.addnext(glue)
        return
    raise AssertionError("no paragraph opening a unit")


def _milestone_other_unit(root):
    root.find(f".//{TEI}milestone").set("unit", "page")


def _transposition(attr, value):
    def mutate(root):
        root.find(f".//{TEI}linkGrp[@type='transposition']/{TEI}link").set(attr, value)
    return mutate


def _standoff_link(attr, value):
    def mutate(root):
        link = root.find(f".//{TEI}linkGrp[@type='alignment']/{TEI}link")
        if value is None:
            del link.attrib[attr]
        else:
            link.set(attr, value)
    return mutate


def _standoff_sentence_twice(root):
    link = root.find(f".//{TEI}linkGrp[@type='alignment']/{TEI}link")
    link.addnext(copy.deepcopy(link))
    link.getnext().set("n", "99999")


def _standoff_sentence_in_no_unit(root):
    link = root.find(f".//{TEI}linkGrp[@type='alignment']/{TEI}link")
    link.set("target", link.get("target").split()[0])


def _signature(old, new):
    def mutate(root):
        p = root.find(f".//{TEI}application/{TEI}p")
        assert old in p.text
        p.text = p.text.replace(old, new)
    return mutate


def _listwit(root):
    w = root.find(f".//{TEI}listWit/{TEI}witness")
    w.getparent().remove(w)


def _witness_twice(root):
    w = root.find(f".//{TEI}listWit/{TEI}witness")
    w.addnext(copy.deepcopy(w))
    w.getnext().attrib.pop(XML_ID)
    w.getnext().set(XML_ID, w.get(XML_ID) + "x")
    w.getnext().set(XML_ID, w.get(XML_ID))


def _sigil_with_space(root):
    root.find(f".//{TEI}listWit/{TEI}witness").set(XML_ID, "has space")


def _many_witnesses(root):
    w = root.find(f".//{TEI}listWit/{TEI}witness")
    from align.readers.base import MAX_WITNESSES

    for k in range(MAX_WITNESSES + 1):
        twin = copy.deepcopy(w)
        twin.set(XML_ID, f"extra{k}")
        w.addnext(twin)


def _not_tei(root):
    root.tag = "{http://www.w3.org/1999/xhtml}html"


def _milestone_content(root):
    root.find(f".//{TEI}milestone").text = "words"


def _rename_first(tag, new):
    def mutate(root):
        root.find(f".//{TEI}{tag}").tag = TEI + new
    return mutate


def _lem_into_seg(root):
    lem = root.find(f".//{TEI}seg/{TEI}app/{TEI}lem")
    seg = lem.getparent().getparent()
    seg.append(lem)


def _standoff_markup(root):
    s = root.find(f".//{TEI}div[@type='witness']//{TEI}s")
    etree.SubElement(s, f"{TEI}hi").text = "x"


def _standoff_empty(root):
    root.find(f".//{TEI}div[@type='witness']//{TEI}s").text = " "


def _standoff_stray(root):
    root.find(f".//{TEI}div[@type='witness']//{TEI}s").tail = " stray "


def _standoff_transposition_one_witness(root):
    link = root.find(f".//{TEI}link[@type='transposition']")
    first = link.get("target").split()[0]
    sigil, index = first[1:].rsplit("-s", 1)
    link.set("target", f"{first} #{sigil}-s{int(index) + 1}")


def _second_transposition_number(root):
    links = root.findall(f".//{TEI}linkGrp[@type='transposition']/{TEI}link")
    links[1].set("n", links[0].get("n"))


def _no_units(root):
    for seg in list(root.iter(f"{TEI}seg")):
        seg.getparent().remove(seg)


MUTATIONS = [
    # (name, which output, mutation, words of the message)
    ("rdg names an unknown witness", "pair", _wit_of_second_reading_to("#x"), "names witness 'x', which is not in <listWit>"),
    ("rdg names a witness without #", "pair", _wit_of_second_reading_to("w001_0e46ad283a0c1166"), "without '#'"),
    ("rdg with empty @wit", "pair", _wit_of_second_reading_to(""), "has no @wit"),
    ("rdg names a witness twice", "four", _wit_of_second_reading_to("#w000_a4ada30fd18f0cb7 #w000_a4ada30fd18f0cb7"), "twice"),
    ("cert abc", "pair", _set(".//t:seg", "cert", "abc"), "cert='abc', not a probability"),
    ("cert nan", "pair", _set(".//t:seg", "cert", "nan"), "cert='nan', not a probability"),
    ("cert -5", "pair", _set(".//t:seg", "cert", "-5"), "cert='-5', not a probability"),
    ("cert 1e999", "pair", _set(".//t:seg", "cert", "1e999"), "cert='1e999', not a probability"),
    ("cert inf", "pair", _set(".//t:seg", "cert", "inf"), "not a probability"),
    ("cert 1.5", "pair", _set(".//t:seg", "cert", "1.5"), "not a probability"),
    ("n not a number", "pair", _set(".//t:seg", "n", "one"), "n='one', not a unit number"),
    ("n negative", "pair", _set(".//t:seg", "n", "-1"), "not a unit number"),
    ("n huge", "pair", _set(".//t:seg", "n", "9" * 400), "not a unit number"),
    ("n missing", "pair", _set(".//t:seg", "n", None), "not a unit number"),
    ("units out of order", "pair", _duplicate_unit_number, "numbered in document order"),
    ("duplicate xml:id", "pair", _duplicate_id, "unit1"),
    ("app with no readings", "pair", _empty_app, "has no readings"),
    ("witness missing from an app", "pair", _remove(".//t:seg/t:app/t:lem"), "has no reading for witness"),
    ("app of an unknown type", "pair", _set(".//t:app", "type", "banana"), "not a variant type"),
    ("unit inside a unit", "pair", _nest_unit, "units do not nest"),
    ("element align never writes", "pair", _foreign_element, "holds <hi>"),
    ("text between units", "pair", _text_between_units, "text outside the units"),
    ("text in an app", "pair", _text_in_app, "text outside its readings"),
    ("unit without text", "pair", _unit_without_text, "has no text"),
    ("milestone of an unknown witness", "pair", _milestone_unknown, "names witness 'nobody'"),
    ("two milestones at one place", "pair", _milestone_twice, "starts no sentence"),
    ("milestone of another unit", "pair", _milestone_other_unit, "unit='page'"),
    ("two paragraph milestones at one place", "pair", _paragraph_twice, "opens no sentence"),
    ("a paragraph milestone inside a sentence", "pair", _paragraph_inside_a_sentence, "opens no sentence"),
    ("a paragraph milestone of a witness absent there", "four", _paragraph_of_an_absent_witness, "has no text there"),
    ("break=no inside a unit", "pair", _break_inside_a_unit, "inside the unit"),
    ("a paragraph glued to the text before", "pair", _glued_paragraph, "with no space before it"),
    ("transposition to an unknown unit", "four", _transposition("target", "#unit1 #nowhere"), "'#nowhere', which is no unit"),
    ("transposition to one place", "four", _transposition("target", "#unit1"), "a transposition links two"),
    ("transposition of an unknown witness", "four", _transposition("ana", "#w000_a4ada30fd18f0cb7 #zz"), "'zz'"),
    ("transposition of one witness", "four", _transposition("ana", "#w000_a4ada30fd18f0cb7"), "pairs two"),
    ("transposition cert", "four", _transposition("cert", "NaN"), "not a probability"),
    ("transposition number", "four", _transposition("n", "x"), "no number"),
    ("standoff unknown sentence", "pair-standoff", _standoff_link("target", "#nowhere #w000_a4ada30fd18f0cb7-s1"), "unknown sentence"),
    ("standoff cert", "pair-standoff", _standoff_link("cert", "-0.5"), "not a probability"),
    ("standoff n", "pair-standoff", _standoff_link("n", None), "no number"),
    ("standoff kind", "pair-standoff", _standoff_link("ana", "poem"), "not sentence or label"),
    ("standoff sentence in two units", "pair-standoff", _standoff_sentence_twice, "in two units"),
    ("standoff sentence in no unit", "pair-standoff", _standoff_sentence_in_no_unit, "in no unit"),
    ("standoff missing witness division", "pair-standoff", _remove(".//t:div[@type='witness']"), "division"),
    ("header threshold nan", "pair", _signature("threshold:0.35", "threshold:nan"), "not a number"),
    ("header threshold 2", "pair", _signature("threshold:0.35", "threshold:2"), "threshold"),
    ("header unknown mode", "pair", _signature("mode:parallel", "mode:sideways"), "mode 'sideways'"),
    ("header base unknown", "pair", _signature("|lemma", "|base:zz|lemma"), "base 'zz'"),
    ("header without signature", "pair", _remove(".//t:appInfo"), "not a collation written by align"),
    ("one witness in listWit", "pair", _listwit, "at least two"),
    ("witness twice in listWit", "pair", _witness_twice, None),
    ("sigil with a space", "pair", _sigil_with_space, "not an NCName"),
    ("not TEI", "pair", _not_tei, "not a collation written by align"),
    ("too many witnesses", "pair", _many_witnesses, "align collates at most"),
    ("milestone with content", "pair", _milestone_content, "has content"),
    ("milestone without edRef", "pair", _set(".//t:milestone", "edRef", None), "has no @edRef"),
    ("app renamed", "pair", _rename_first("app", "note"), "holds <note>"),
    ("reading outside a place", "pair", _lem_into_seg, None),
    ("unit of an unknown type", "pair", _set(".//t:seg", "type", "poem"), "<seg>"),
    ("no text", "pair", _remove("t:text"), "no <text>"),
    ("no units", "pair", _no_units, "no units"),
    ("two transpositions with one number", "four", _second_transposition_number, "two transpositions"),
    ("standoff markup in a sentence", "pair-standoff", _standoff_markup, "holds <hi>"),
    ("standoff empty sentence", "pair-standoff", _standoff_empty, "is empty"),
    ("standoff text between sentences", "pair-standoff", _standoff_stray, "text outside the sentences"),
    ("standoff unknown link group", "pair-standoff", _set(".//t:linkGrp", "type", "poem"), "holds only"),
    ("standoff transposition of one witness", "four-standoff", _standoff_transposition_one_witness, "not two"),
    ("standoff division of an unknown witness", "pair-standoff", _set(".//t:div[@type='witness']", "n", "zz"),
     "division"),
    ("header without token-threshold", "pair", _signature("|token-threshold:0.7", ""), "incomplete"),
]


@pytest.mark.parametrize("name, source, mutate, words", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_broken_tei_is_refused_with_one_line(tmp_path, outputs, name, source, mutate, words):
    root = _tree(outputs[source])
    mutate(root)
    path = tmp_path / "out.xml"
    path.write_bytes(_bytes(root))
    with pytest.raises(TEIReadError) as info:
        read_tei(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    if words:
        assert words in message
    # The same file, as bytes, gives the same problem without a file name.
    with pytest.raises(TEIReadError):
        read_tei(path.read_bytes())
    try_everything(path.read_bytes())


BYTE_CASES = [
    ("entity", lambda x: x.replace(b"<TEI", b'<!DOCTYPE TEI [<!ENTITY e "hello">]>\n<TEI', 1)
     .replace(b"</seg>", b"&e;</seg>", 1), "internal subset"),
    ("undeclared entity", lambda x: x.replace(b"</seg>", b"&nbsp;</seg>", 1), "not well-formed"),
    ("DTD default attribute", lambda x: x.replace(b"<TEI", b'<!DOCTYPE TEI [<!ATTLIST seg cert CDATA "abc">]>\n<TEI', 1),
     "internal subset"),
    ("external entity", lambda x: x.replace(b"<TEI", b'<!DOCTYPE TEI [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<TEI', 1)
     .replace(b"</seg>", b"&e;</seg>", 1), "internal subset"),
    ("billion laughs", lambda x: x.replace(b"<TEI", b'<!DOCTYPE TEI [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;'
                                           b'&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n<TEI', 1)
     .replace(b"</seg>", b"&c;</seg>", 1), None),
    ("EBCDIC", lambda x: x.replace(b"encoding='UTF-8'", b"encoding='EBCDIC'", 1), None),
    ("truncated", lambda x: x[: len(x) // 2], "not well-formed XML"),
    ("empty", lambda x: b"", "empty file"),
    ("binary", lambda x: b"\x00\x01\x02" + x, "not well-formed XML"),
    ("deep nesting", lambda x: x.replace(b"</seg>", b"<app>" * 5000 + b"</app>" * 5000 + b"</seg>", 1), None),
    ("latin-1 bytes", lambda x: x.replace(b"</seg>", b"caf\xe9</seg>", 1), "not well-formed XML"),
]


@pytest.mark.parametrize("name, mutate, words", BYTE_CASES, ids=[c[0] for c in BYTE_CASES])
def test_broken_bytes_are_refused(tmp_path, outputs, name, mutate, words):
    path = tmp_path / "out.xml"
    path.write_bytes(mutate(outputs["pair"]))
    with pytest.raises(TEIReadError) as info:
        read_tei(path)
    assert str(info.value).startswith(f"{path}: ") and "\n" not in str(info.value)
    if words:
        assert words in str(info.value)
    with pytest.raises(TEIReadError):
        witness_text(parse_tei(path), "w000_a4ada30fd18f0cb7")


def test_a_plain_doctype_and_comments_are_harmless(outputs):
    xml = outputs["pair"].replace(b"<TEI", b"<!DOCTYPE TEI>\n<!-- edited -->\n<TEI", 1)
    xml = xml.replace(b"</seg>", b"<!-- a note --></seg>", 1)
    assert read_tei(xml).sigla == read_tei(outputs["pair"]).sigla


def test_size_limit_and_files_that_are_not_files(tmp_path, outputs, monkeypatch):
    path = tmp_path / "out.xml"
    path.write_bytes(outputs["pair"])
    monkeypatch.setattr(read_module, "MAX_TEI_BYTES", len(outputs["pair"]) - 1)
    with pytest.raises(TEIReadError, match=r"out\.xml: larger than [\d,]+ bytes, the limit for a TEI file"):
        read_tei(path)
    with pytest.raises(TEIReadError, match="larger than"):
        read_tei(outputs["pair"])
    monkeypatch.setattr(read_module, "MAX_TEI_BYTES", len(outputs["pair"]))
    read_tei(path)
    with pytest.raises(TEIReadError, match="a directory"):
        read_tei(tmp_path)
    with pytest.raises(TEIReadError, match="/dev/null: is a character device, not a regular file; a TEI file must be"):
        read_tei("/dev/null")
    with pytest.raises(TEIReadError, match="no such file"):
        read_tei(tmp_path / "missing.xml")
    with pytest.raises(TEIReadError):
        read_tei(3)  # type: ignore[arg-type]
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo.xml"
        os.mkfifo(fifo)
        with pytest.raises(TEIReadError, match="FIFO"):  # at once: nothing opens it for reading
            read_tei(fifo)
        with pytest.raises(GoldError, match="FIFO"):
            load_gold(fifo)


def test_limits_are_documented():
    assert read_module.MAX_TEI_BYTES == 256 * 2**20 and "MAX_TEI_BYTES" in read_module.__doc__
    assert read_module.MAX_TEI_WITNESSES == align.readers.base.MAX_WITNESSES and "MAX_TEI_WITNESSES" in read_module.__doc__
    assert evaluate_module.MAX_GOLD_BYTES == 64 * 2**20 and "MAX_GOLD_BYTES" in evaluate_module.__doc__


# -- gold files -----------------------------------------------------------------------------------

GOLDS = [
    ("not JSON", b"not json", "not a gold alignment file"),
    ("not UTF-8", b'{"links": ["\xff"]}', "not UTF-8"),
    ("a list", b"[]", "JSON object"),
    ("no links", b"{}", "needs a 'links' list"),
    ("links a number", b'{"links": 3}', "needs a 'links' list"),
    ("link null", b'{"links": [null]}', "link 1 is null"),
    ("link a number", b'{"links": [1]}', "link 1 is a number"),
    ("side null", b'{"links": [{"a": null, "b": ["x"]}]}', "side 'a' must be a list"),
    ("side a text", b'{"links": [{"a": "x", "b": ["x"]}]}', "side 'a' must be a list"),
    ("sentence a number", b'{"links": [{"a": [1], "b": ["x"]}]}', "holds a number"),
    ("sentence null", b'{"links": [{"a": [null], "b": ["x"]}]}', "holds null"),
    ("sentence a list", b'{"links": [{"a": [["x"]], "b": ["x"]}]}', "holds a list"),
    ("lone surrogate", b'{"links": [{"a": ["\\ud800"], "b": ["x"]}]}', "lone surrogate"),
    ("NaN", b'{"links": [], "n": NaN}', "NaN"),
    ("Infinity", b'{"links": [], "n": -Infinity}', "Infinity"),
    ("huge number", b'{"links": [], "n": 1' + b"0" * 100_000 + b"}", "a number of 100001 digits"),
    ("huge float", b'{"links": [{"a": 1e999}]}', "must be a list"),
    ("deep nesting", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ("deep nesting in links", b'{"links": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
    ("witnesses a number", b'{"witnesses": 3, "links": []}', "'witnesses' must be an object"),
    ("witness file null", b'{"witnesses": {"a": null}, "links": []}', "must name a file"),
    ("sentence not in the witness", b'{"links": [{"a": ["No such sentence anywhere."], "b": ["Nor here."]}]}',
     "gold sentence not found in witness 'w000_a4ada30fd18f0cb7' (side 'a')"),
    ("empty file", b"", "not a gold alignment file"),
]


@pytest.mark.parametrize("name, content, words", GOLDS, ids=[g[0] for g in GOLDS])
def test_broken_gold_is_refused_with_one_line(tmp_path, pair_collation, name, content, words):
    path = tmp_path / "gold.json"
    path.write_bytes(content)
    with pytest.raises(GoldError) as info:
        evaluate_file(pair_collation, path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and "\n" not in message and words in message


def test_gold_size_limit_and_types(tmp_path, monkeypatch, pair_collation):
    path = tmp_path / "gold.json"
    path.write_bytes(GOLD_PAIR.read_bytes())
    monkeypatch.setattr(evaluate_module, "MAX_GOLD_BYTES", 100)
    with pytest.raises(GoldError, match="larger than 100 bytes"):
        load_gold(path)
    monkeypatch.undo()
    assert evaluate_file(pair_collation, path).strict.gold > 0
    with pytest.raises(GoldError, match="a directory"):
        load_gold(tmp_path)
    with pytest.raises(GoldError, match="no such file"):
        load_gold(tmp_path / "missing.json")
    # Library users who pass a gold as a dict get the same checks.
    with pytest.raises(GoldError, match="link 1 is null"):
        evaluate(pair_collation, {"links": [None]}, *pair_collation.sigla)
    with pytest.raises(AlignError):
        evaluate(pair_collation, {"links": []}, "nobody", pair_collation.sigla[0])


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**6) | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "b", "links", "kind", "x"]),
                                                                 inner, max_size=3),
    max_leaves=8,
)


def _gold_paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _gold_paths(v, path + (k,))
    elif isinstance(value, list):
        for k, v in enumerate(value):
            yield from _gold_paths(v, path + (k,))


@settings(max_examples=PROPERTY_EXAMPLES["gold"], deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mutated_golds_are_read_or_refused(tmp_path_factory, pair_collation, data):
    gold = json.loads(GOLD_PAIR.read_text(encoding="utf-8"))
    gold["links"] = gold["links"][:12]
    for _ in range(data.draw(st.integers(1, 3))):
        paths = list(_gold_paths(gold))
        path = data.draw(st.sampled_from(paths))
        value = data.draw(_json)
        if not path:
            gold = value
            continue
        parent = gold
        for key in path[:-1]:
            parent = parent[key]
        if data.draw(st.booleans()) or not isinstance(parent, (dict, list)):
            parent[path[-1]] = value
        else:
            del parent[path[-1]]
    text = json.dumps(gold, ensure_ascii=data.draw(st.booleans()))
    if data.draw(st.integers(0, 4)) == 0:
        text = text[: data.draw(st.integers(0, len(text)))]
    path = tmp_path_factory.mktemp("gold") / "gold.json"
    path.write_text(text, encoding="utf-8")
    try:
        result = evaluate_file(pair_collation, path)
    except AlignError as exc:
        assert "\n" not in str(exc)
    else:
        assert 0 <= result.strict.f1 <= 1
        check_gold(load_gold(path))


# -- property-based: mutations of align's own TEI -------------------------------------------------

TAGS = ["seg", "app", "lem", "rdg", "milestone", "p", "div", "ab", "link", "linkGrp", "s", "label", "hi",
        "witness", "listWit", "body", "text", "{urn:other}x"]
ATTRS = ["wit", "cert", "n", XML_ID, "type", "edRef", "target", "ana", "unit", "subtype", "prev", "corresp"]
_xml_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(" \n\t"), max_size=10)


def _values(root: etree._Element):
    ids = [el.get(XML_ID) for el in root.iter() if isinstance(el.tag, str) and el.get(XML_ID)]
    fixed = ["", " ", "abc", "nan", "NaN", "-5", "1e999", "inf", "0", "1", "0.5", "1.0000001", "-0", "0x1",
             "t1", "t99999", "99999", "-1", "#x", "#", "sentence", "label", "speaker", "unit", "gap", "lexical",
             "banana", "alignment", "setApart", "leading", "trailing", "transposition", "witness", "collation"]
    if not ids:  # a mutation may have taken every id away
        return st.sampled_from(fixed) | _xml_text
    return (st.sampled_from(fixed) | st.sampled_from(ids).map(lambda i: "#" + i) | st.sampled_from(ids)
            | st.lists(st.sampled_from(ids), min_size=1, max_size=3).map(lambda x: " ".join("#" + i for i in x))
            | _xml_text)


def _elements(root: etree._Element, data) -> etree._Element:
    text = root.find(f"{TEI}text")
    pool = [el for el in (text.iter() if data.draw(st.integers(0, 4)) and text is not None else root.iter())
            if isinstance(el.tag, str) and el is not root]
    return data.draw(st.sampled_from(pool)) if pool else root


def _mutate_tree(root: etree._Element, data) -> None:
    op = data.draw(st.sampled_from(["delete", "duplicate", "rename", "drop-attr", "set-attr", "tokens", "text",
                                    "move", "swap-attrs"]))
    el = _elements(root, data)
    parent = el.getparent()
    if op == "delete" and parent is not None:
        if data.draw(st.booleans()):  # keep its tail text
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + (el.tail or "")
            else:
                parent.text = (parent.text or "") + (el.tail or "")
        parent.remove(el)
    elif op == "duplicate" and parent is not None:
        el.addnext(copy.deepcopy(el))
    elif op == "rename":
        tag = data.draw(st.sampled_from(TAGS))
        el.tag = tag if tag.startswith("{") else TEI + tag
    elif op == "drop-attr" and el.attrib:
        del el.attrib[data.draw(st.sampled_from(sorted(el.attrib)))]
    elif op == "set-attr":
        name = data.draw(st.sampled_from(sorted(el.attrib) + ATTRS) if el.attrib else st.sampled_from(ATTRS))
        el.set(name, data.draw(_values(root)))
    elif op == "tokens":
        carriers = [e for e in root.iter() if isinstance(e.tag, str)
                    and any(e.get(a) for a in ("wit", "edRef", "target", "ana"))]
        if not carriers:
            return
        el = data.draw(st.sampled_from(carriers))
        name = data.draw(st.sampled_from([a for a in ("wit", "edRef", "target", "ana") if el.get(a)]))
        tokens = el.get(name).split()
        if not tokens:
            return
        how = data.draw(st.sampled_from(["drop", "double", "unknown", "unhash", "other", "reverse"]))
        k = data.draw(st.integers(0, len(tokens) - 1))
        if how == "drop":
            del tokens[k]
        elif how == "double":
            tokens.insert(k, tokens[k])
        elif how == "unknown":
            tokens[k] = "#zz"
        elif how == "unhash":
            tokens[k] = tokens[k].lstrip("#")
        elif how == "other":
            tokens[k] = data.draw(_values(root))
        else:
            tokens.reverse()
        el.set(name, " ".join(tokens))
    elif op == "text":
        value = data.draw(_xml_text)
        if data.draw(st.booleans()):
            el.text = value
        else:
            el.tail = value
    elif op == "move" and parent is not None:
        target = _elements(root, data)
        if target is not el and el not in target.iterancestors():
            parent.remove(el)
            target.insert(data.draw(st.integers(0, len(target))), el)
    elif op == "swap-attrs":
        other = _elements(root, data)
        name = data.draw(st.sampled_from(ATTRS))
        a, b = el.get(name), other.get(name)
        if a is not None and b is not None:
            el.set(name, b)
            other.set(name, a)


def _mutated(xml: bytes, data, count: st.SearchStrategy[int]) -> bytes:
    root = etree.fromstring(xml)
    for _ in range(data.draw(count)):
        _mutate_tree(root, data)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


GOLD_DATA = json.loads(GOLD_PAIR.read_text(encoding="utf-8"))


def _property(outputs, name, data):
    xml = _mutated(outputs[name], data, st.integers(1, 3))
    try_everything(xml, GOLD_DATA if name.startswith("pair") else None)


@settings(max_examples=PROPERTY_EXAMPLES["tei"], deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mutated_parallel_tei_is_read_consistently_or_refused(outputs, data):
    _property(outputs, data.draw(st.sampled_from(["small", "pair", "pair-nolemma"])), data)


@settings(max_examples=PROPERTY_EXAMPLES["standoff"], deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mutated_standoff_tei_is_read_consistently_or_refused(outputs, data):
    _property(outputs, data.draw(st.sampled_from(["small-standoff", "pair-standoff"])), data)


@settings(max_examples=PROPERTY_EXAMPLES["four"], deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mutated_transpositions_are_read_consistently_or_refused(outputs, data):
    # Aim at the four witnesses' transpositions and milestones, which transpositions point at.
    root = etree.fromstring(outputs["four"])
    links = root.findall(f".//{TEI}linkGrp[@type='transposition']/{TEI}link")
    milestones = list(root.iter(f"{TEI}milestone"))
    for _ in range(data.draw(st.integers(1, 2))):
        el = data.draw(st.sampled_from(links + milestones))
        name = data.draw(st.sampled_from(sorted(el.attrib)))
        if data.draw(st.integers(0, 3)) == 0:
            del el.attrib[name]
        else:
            el.set(name, data.draw(_values(root)))
    if data.draw(st.booleans()):
        _mutate_tree(root, data)
    try_everything(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


_INJECTIONS = [
    b'<!DOCTYPE TEI [<!ENTITY e "hello">]>\n',
    b'<!DOCTYPE TEI [<!ATTLIST seg cert CDATA "abc">]>\n',
    b'<!DOCTYPE TEI [<!ATTLIST app type CDATA "lexical"><!ATTLIST rdg wit CDATA "#zz">]>\n',
    b'<!DOCTYPE TEI SYSTEM "http://example.invalid/tei.dtd">\n',
    b"<!DOCTYPE TEI>\n",
    b"<!-- a comment -->\n",
    b"<?xml-stylesheet href='x.xsl'?>\n",
]


@settings(max_examples=PROPERTY_EXAMPLES["bytes"], deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mutated_bytes_are_read_consistently_or_refused(outputs, data):
    xml = outputs[data.draw(st.sampled_from(["small", "small-standoff"]))]
    how = data.draw(st.sampled_from(["truncate", "inject", "entity", "splice", "flip"]))
    if how == "truncate":
        xml = xml[: data.draw(st.integers(0, len(xml)))]
    elif how == "inject":
        at = xml.index(b"<TEI")
        xml = xml[:at] + data.draw(st.sampled_from(_INJECTIONS)) + xml[at:]
    elif how == "entity":
        at = xml.index(b"<TEI")
        xml = xml[:at] + data.draw(st.sampled_from(_INJECTIONS[:3])) + xml[at:]
        spots = [m.start() for m in re.finditer(rb"</(seg|rdg|lem|s)>", xml)]
        spot = data.draw(st.sampled_from(spots))
        xml = xml[:spot] + data.draw(st.sampled_from([b"&e;", b"&amp;", b"&#65;", b"&lt;", b"&nbsp;"])) + xml[spot:]
    elif how == "splice":
        at = data.draw(st.integers(0, len(xml)))
        xml = xml[:at] + data.draw(st.binary(max_size=8)) + xml[at:]
    else:
        at = data.draw(st.integers(0, len(xml) - 1))
        xml = xml[:at] + bytes([xml[at] ^ data.draw(st.integers(1, 255))]) + xml[at + 1:]
    try_everything(xml)


def test_hostile_case_count():
    """The number of hostile inputs these tests try (reported in the closing note)."""
    hand = len(MUTATIONS) + len(BYTE_CASES) + len(GOLDS) + len(CLI_CASES)
    assert hand >= 100 and sum(PROPERTY_EXAMPLES.values()) >= 300


# -- through the CLI ------------------------------------------------------------------------------

def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "align", *args], capture_output=True, text=True, timeout=60)


def _broken(outputs, kind):
    if kind == "unknown witness":
        return outputs["pair"].replace(b'<rdg wit="#w001_0e46ad283a0c1166">', b'<rdg wit="#x">', 1)
    if kind == "cert":
        return re.sub(rb'cert="[0-9.]+"', b'cert="nan"', outputs["pair"], count=1)
    if kind == "empty app":
        return re.sub(rb"(<app [^>]*>).*?(</app>)", rb"\1\2", outputs["pair"], count=1)
    if kind == "entity":
        return outputs["pair"].replace(b"<TEI", b'<!DOCTYPE TEI [<!ENTITY e "x">]>\n<TEI', 1).replace(
            b"</seg>", b"&e;</seg>", 1)
    if kind == "truncated":
        return outputs["pair"][:5000]
    raise AssertionError(kind)


CLI_CASES = [
    ("stats", "unknown witness"), ("convert", "cert"), ("html", "empty app"), ("extract", "entity"),
    ("evaluate", "truncated"), ("gold", "null"), ("gold", "deep"), ("gold", "huge"), ("stats", "fifo"),
    ("evaluate", "fifo"),
]


@pytest.mark.parametrize("command, kind", CLI_CASES, ids=[f"{c}-{k}" for c, k in CLI_CASES])
def test_cli_refuses_broken_input_in_one_line(tmp_path, outputs, command, kind):
    tei = tmp_path / "in.xml"
    gold = tmp_path / "gold.json"
    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        os.mkfifo(tmp_path / "fifo")
        tei.write_bytes(outputs["pair"])
        target = tmp_path / "fifo"
        args = ["stats", str(target)] if command == "stats" else ["evaluate", str(tei), str(target)]
    elif command == "gold":
        tei.write_bytes(outputs["pair"])
        gold.write_bytes({"null": b'{"links": [{"a": null, "b": [1]}]}', "deep": b"[" * 100_000 + b"]" * 100_000,
                          "huge": b'{"links": [], "n": ' + b"9" * 50_000 + b"}"}[kind])
        args = ["evaluate", str(tei), str(gold)]
    else:
        tei.write_bytes(_broken(outputs, kind))
        gold.write_bytes(GOLD_PAIR.read_bytes())
        args = {"stats": ["stats", str(tei)],
                "convert": ["convert", str(tei), "--format", "csv", "-o", str(tmp_path / "out.csv")],
                "html": ["html", str(tei), "-o", str(tmp_path / "out.html")],
                "extract": ["extract", str(tei), "--witness", "w000_a4ada30fd18f0cb7"],
                "evaluate": ["evaluate", str(tei), str(gold)]}[command]
    before = sorted(p.name for p in tmp_path.iterdir())
    out = run(*args)
    assert out.returncode != 0 and out.returncode != 70, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("align: error: "), out.stderr
    assert "Traceback" not in out.stderr and "internal error" not in out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no output left behind
