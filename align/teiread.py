"""Reading align's TEI back: each witness's text out of a parallel-segmentation file.

A witness's text is the shared text plus its own readings, in document order.
Parsing is safe: no DTDs, no entity expansion, no network.
"""

from __future__ import annotations

import os
from typing import Union

from lxml import etree

from dataclasses import replace

from .errors import TEIReadError
from .model import App, Collation, Reading, Segmentation, Sentence, Settings, Text, Transposition, Unit, Witness
from .segment import sentence_spans
from .words import line_of

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def parse_tei(source: Union[str, bytes, "os.PathLike[str]"]) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        if isinstance(source, bytes):
            return etree.ElementTree(etree.fromstring(source, parser))
        path = os.fspath(source)
        if not os.path.isfile(path):
            raise TEIReadError(f"{path}: no such file" if not os.path.exists(path) else f"{path}: not a file")
        return etree.parse(path, parser)
    except OSError as exc:
        raise TEIReadError(f"{source}: cannot be read ({exc})") from None
    except etree.XMLSyntaxError as exc:
        raise TEIReadError(f"{source}: not well-formed XML ({exc})") from None


def sigla(tree: etree._ElementTree) -> list[str]:
    ids = [w.get(XML_ID) for w in tree.iterfind(f".//{TEI}listWit/{TEI}witness")]
    if not ids:
        raise TEIReadError("no <listWit> with <witness xml:id> in this TEI file")
    return [i for i in ids if i]


READINGS = (f"{TEI}lem", f"{TEI}rdg")


def _wits(reading: etree._Element) -> tuple[str, ...]:
    return tuple(w.lstrip("#") for w in (reading.get("wit") or "").split())


def _unit_reading(ab: etree._Element) -> etree._Element | None:
    """The reading of the present witnesses, where the unit is one place
    (``<app>`` alone in the ``<ab>``, every reading but one empty)."""
    if len(ab) != 1 or (ab.text or "").strip() or (ab[0].tail or "").strip() or ab[0].tag != f"{TEI}app":
        return None
    readings = [r for r in ab[0] if r.tag in READINGS]
    full = [r for r in readings if len(r) or (r.text or "").strip()]
    return full[0] if len(full) == 1 and len(readings) > 1 else None


def _pieces(element: etree._Element, sigil: str, out: list[str]) -> None:
    if element.text:
        out.append(element.text)
    for child in element:
        if child.tag == f"{TEI}app":
            for rdg in child:
                if rdg.tag in READINGS and f"#{sigil}" in (rdg.get("wit") or "").split():
                    _pieces(rdg, sigil, out)  # a reading may hold places of its own
        elif isinstance(child.tag, str):
            _pieces(child, sigil, out)
        if child.tail:
            out.append(child.tail)


def witness_text(tree: etree._ElementTree, sigil: str) -> str:
    """A witness's text as the TEI records it (either mode), one line per unit or paragraph."""
    if sigil not in sigla(tree):
        raise TEIReadError(f"no witness {sigil!r} in this file (witnesses: {', '.join(sigla(tree))})")
    div = tree.find(f".//{TEI}body/{TEI}div[@type='witness'][@n='{sigil}']")
    if div is not None:
        return "\n".join(" ".join(" ".join(p.itertext()).split()) for p in div.iterfind(f"{TEI}p"))
    lines = []
    for ab in tree.iterfind(f".//{TEI}text//{TEI}ab"):
        parts: list[str] = []
        _pieces(ab, sigil, parts)
        line = line_of(parts)
        if line:
            lines.append(line)
    return "\n".join(lines)


def _settings(tree: etree._ElementTree) -> tuple[Settings, str]:
    p = tree.find(f".//{TEI}appInfo/{TEI}application[@ident='align']/{TEI}p")
    if p is None or not p.text:
        raise TEIReadError("not a collation written by align (no align application in the header)")
    fields = dict(part.split(":", 1) for part in p.text.split("|") if ":" in part)
    try:
        settings = Settings(
            scorer=fields["scorer"], threshold=float(fields["threshold"]),
            merge_penalty=float(fields["merge-penalty"]), length_weight=float(fields.get("length", 0)),
            token_threshold=float(fields["token-threshold"]),
            language=fields.get("seg", "punkt-english").replace("punkt-", ""), version=fields["align"],
            base=fields.get("base", ""),
        )
    except (KeyError, ValueError) as exc:
        raise TEIReadError(f"the settings signature in the header is incomplete ({exc})") from None
    return settings, fields.get("mode", "parallel")


def _witnesses(tree: etree._ElementTree) -> list[tuple[str, str]]:
    return [(w.get(XML_ID), w.get("n") or (w.text or "").strip()) for w in tree.iterfind(f".//{TEI}listWit/{TEI}witness")]


def read_tei(source: Union[str, bytes, "os.PathLike[str]"]) -> Collation:
    """Read a collation align wrote, in either mode, back into a :class:`Collation`.

    Standoff files carry every sentence: the collation read back is the one
    written (word collation is recomputed from the units). Parallel files carry
    units and readings exactly; sentence boundaries inside a unit are not
    encoded there, so each witness's part of a unit is segmented again.
    """
    tree = parse_tei(source)
    try:
        settings, mode = _settings(tree)
        witnesses = _witnesses(tree)
        if not witnesses:
            raise TEIReadError("no <listWit> with <witness xml:id> in this TEI file")
        if mode == "standoff":
            return _read_standoff(tree, witnesses, settings)
        return _read_parallel(tree, witnesses, settings)
    except TEIReadError as exc:
        if isinstance(source, bytes):
            raise
        raise TEIReadError(f"{os.fspath(source)}: {exc}") from None


def _read_standoff(tree, witnesses, settings) -> Collation:
    from .words import collate_unit

    segs: dict[str, Segmentation] = {}
    where: dict[str, tuple[str, int]] = {}
    wits = []
    for sigil, source in witnesses:
        div = tree.find(f".//{TEI}body/{TEI}div[@n='{sigil}']")
        if div is None:
            raise TEIReadError(f"no division for witness {sigil!r}")
        text, sentences = "", []
        for p_index, p in enumerate(div.iterfind(f"{TEI}p")):
            if text:
                text += "\n"
            for k, el in enumerate(p):
                if k:
                    text += " "
                content = el.text or ""
                kind = "label" if el.tag == f"{TEI}label" else "sentence"
                sentences.append(Sentence(sigil, len(sentences), len(text), len(text) + len(content), content, kind, p_index))
                where[el.get(XML_ID)] = (sigil, len(sentences) - 1)
                text += content
        witness = Witness(sigil, text, source)
        wits.append(witness)
        segs[sigil] = Segmentation(witness, tuple(sentences), ())
    units, transpositions = [], []
    parts = {"alignment": "body", "leading": "front", "trailing": "back"}
    for group in tree.iterfind(f".//{TEI}body/{TEI}div[@type='alignment']/{TEI}linkGrp"):
        part = parts.get(group.get("subtype") or group.get("type"), "body")
        for el in group:
            members: dict[str, list[int]] = {s: [] for s, _ in witnesses}
            for target in (el.get("target") or "").split():
                try:
                    sigil, index = where[target.lstrip("#")]
                except KeyError:
                    raise TEIReadError(f"alignment points at an unknown sentence {target!r}") from None
                members[sigil].append(index)
            if el.get("type") == "transposition":
                sentences = {s: tuple(v) for s, v in members.items() if v}
                transpositions.append(Transposition(_number(el.get("n")), sentences, float(el.get("cert") or 1)))
                continue
            unit = Unit(_number(el.get("n")), el.get("ana") or "sentence", {s: tuple(v) for s, v in members.items()},
                        float(el.get("cert") or 1), part=part)
            units.append(replace(unit, pieces=collate_unit(unit, segs, settings)))
    units.sort(key=lambda u: u.n)
    return Collation(tuple(wits), segs, tuple(units), settings, tuple(transpositions))


def _number(n: str | None) -> int:
    try:
        return int((n or "").lstrip("t"))
    except ValueError:
        raise TEIReadError(f"a unit or link without a number (n={n!r})") from None


def _spaced(text: str) -> tuple[str, bool]:
    """Whitespace collapsed, and whether there was whitespace before."""
    return " ".join(text.split()), text[:1].isspace()


def _ab_pieces(ab: etree._Element) -> tuple:
    """The pieces of a unit as the writer wrote them: whitespace written before
    an ``<app>`` is the leading space of each of its non-empty readings."""
    pieces: list = []
    for k, child in enumerate([None] + list(ab)):
        if child is not None and child.tag == f"{TEI}app":
            hoisted = bool(pieces) and pieces[-1] == " "
            if hoisted:
                pieces.pop()
            readings = []
            for r in (r for r in child if r.tag in READINGS):
                text, space = _spaced("".join(r.itertext()))
                readings.append(Reading(tuple(w.lstrip("#") for w in (r.get("wit") or "").split()),
                                        text, bool(text) and (space or hoisted)))
            pieces.append(App(tuple(readings), child.get("type") or "lexical"))
        chunk = ab.text if child is None else child.tail
        if chunk:
            text, space = _spaced(chunk)
            if text:
                pieces.append(Text(text, space))
            if chunk[-1:].isspace() and k < len(ab):
                pieces.append(" ")  # hoisted before the next <app>
    return tuple(p for p in pieces if p != " ")


def _read_parallel(tree, witnesses, settings) -> Collation:
    sigla = [s for s, _ in witnesses]
    texts: dict[str, list[str]] = {s: [] for s in sigla}
    sentences: dict[str, list[tuple[int, int, str, str]]] = {s: [] for s in sigla}
    offset = {s: 0 for s in sigla}
    units = []
    home: dict[str, Unit] = {}
    for ab in tree.iterfind(f".//{TEI}text//{TEI}ab"):
        inner = _unit_reading(ab)
        pieces = _ab_pieces(ab if inner is None else inner)
        present = set(sigla) if inner is None else set(_wits(inner))
        kind = "label" if ab.get("type") == "speaker" else "sentence"
        part = next((p for p in ("front", "back") if ab.xpath(f"ancestor::*[local-name()='{p}']")), "body")
        members = {}
        for sigil in sigla:
            own = line_of([p.written(sigil) for p in pieces]) if sigil in present else ""
            if own:
                start = offset[sigil]
                first = len(sentences[sigil])
                # Parallel segmentation does not mark sentence ends inside a unit:
                # segmenting the witness's part again finds them (a 2-1 unit reads
                # back as 2-1, which statistics and evaluation count).
                spans = (sentence_spans(own) or [(0, len(own))]) if kind == "sentence" else [(0, len(own))]
                for a, b in spans:
                    sentences[sigil].append((start + a, start + b, own[a:b], kind))
                texts[sigil].append(own)
                offset[sigil] += len(own) + 1
                members[sigil] = tuple(range(first, len(sentences[sigil])))
            else:
                members[sigil] = ()
        units.append(Unit(_number(ab.get("n")), kind, members, float(ab.get("cert") or 1), pieces, part))
        home["#" + (ab.get(XML_ID) or "")] = units[-1]
    transpositions = []
    for link in tree.iterfind(f".//{TEI}linkGrp[@type='transposition']/{TEI}link"):
        places = [home.get(t) for t in (link.get("target") or "").split()]
        pair = [w.lstrip("#") for w in (link.get("ana") or "").split()]
        if len(places) < 2 or None in places or len(pair) != 2 or not set(pair) <= set(sigla):
            raise TEIReadError(f"transposition {link.get('n')!r} does not point at two witnesses' units")
        earlier, later = pair
        paired = {
            earlier: tuple(i for u in places[:-1] for i in u.sentences[earlier]),
            later: places[-1].sentences[later],
        }
        transpositions.append(Transposition(_number(link.get("n")), paired, float(link.get("cert") or 1)))
    wits, segs = [], {}
    for sigil, source in witnesses:
        witness = Witness(sigil, "\n".join(texts[sigil]), source)
        wits.append(witness)
        segs[sigil] = Segmentation(witness, tuple(
            Sentence(sigil, i, a, b, t, k, i) for i, (a, b, t, k) in enumerate(sentences[sigil])), ())
    return Collation(tuple(wits), segs, tuple(units), settings, tuple(transpositions))
