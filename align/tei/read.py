"""Reading align's TEI back: the collation, or each witness's text.

A witness's text is the shared text plus its own readings, in document order.
Files of earlier versions (``<ab>`` units, places nested in readings, no
sentence milestones) are read too. Parsing is safe: no DTDs, no entity
expansion, no network.
"""

from __future__ import annotations

import os
from typing import Union

from lxml import etree

from dataclasses import replace

from ..errors import TEIReadError
from ..model import App, Collation, Description, Reading, Segmentation, Sentence, Settings, Text, Transposition, Unit, Witness
from ..segment import sentence_spans
from ..words import joined, in_order, line_of

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


# Units: <seg type="unit|speaker"> in blocks; files of align before 0.9 had <ab>.
_UNITS = etree.XPath(
    "//t:text//t:seg[@type='unit' or @type='speaker'] | //t:text//t:ab[not(ancestor::t:div[@type='witness'])]",
    namespaces={"t": TEI[1:-1]})


def units(tree: etree._ElementTree) -> list[etree._Element]:
    """The elements that are the collation's units, in document order."""
    return _UNITS(tree)


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
    for ab in units(tree):
        parts: list[str] = []
        _pieces(ab, sigil, parts)
        line = line_of(parts)
        if line:
            lines.append(line)
    return "\n".join(lines)


def _settings(tree: etree._ElementTree) -> tuple[Settings, str, bool]:
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
    # Files that say whether they have lemmata also mark every sentence boundary.
    return settings, fields.get("mode", "parallel"), "lemma" in fields


def _witnesses(tree: etree._ElementTree) -> list[tuple[str, str, Description]]:
    out = []
    for w in tree.iterfind(f".//{TEI}listWit/{TEI}witness"):
        bibl = w.find(f"{TEI}bibl")
        description = Description()
        if bibl is not None:
            def part(tag: str) -> str:
                el = bibl.find(f"{TEI}{tag}")
                return " ".join("".join(el.itertext()).split()) if el is not None else ""
            ref = bibl.find(f"{TEI}ref")
            description = Description(part("title"), part("publisher"), part("date"),
                                      (ref.get("target") or "") if ref is not None else "")
        out.append((w.get(XML_ID), w.get("n") or " ".join("".join(w.itertext()).split()), description))
    return out


def read_tei(source: Union[str, bytes, "os.PathLike[str]"]) -> Collation:
    """Read a collation align wrote, in either mode, back into a :class:`Collation`.

    Standoff files carry every sentence: the collation read back is the one
    written (word collation is recomputed from the units). Parallel files carry
    units and readings exactly; sentence boundaries inside a unit are not
    encoded there, so each witness's part of a unit is segmented again.
    """
    tree = parse_tei(source)
    try:
        settings, mode, marked = _settings(tree)
        witnesses = _witnesses(tree)
        if not witnesses:
            raise TEIReadError("no <listWit> with <witness xml:id> in this TEI file")
        if mode == "standoff":
            return _read_standoff(tree, witnesses, settings)
        return _read_parallel(tree, witnesses, settings, marked)
    except TEIReadError as exc:
        if isinstance(source, bytes):
            raise
        raise TEIReadError(f"{os.fspath(source)}: {exc}") from None


def _read_standoff(tree, witnesses, settings) -> Collation:
    from ..words import collate_unit

    segs: dict[str, Segmentation] = {}
    where: dict[str, tuple[str, int]] = {}
    wits = []
    for sigil, source, description in witnesses:
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
        witness = Witness(sigil, text, source, description=description)
        wits.append(witness)
        segs[sigil] = Segmentation(witness, tuple(sentences), ())
    units, transpositions = [], []
    parts = {"alignment": "body", "leading": "front", "trailing": "back"}
    for group in tree.iterfind(f".//{TEI}body/{TEI}div[@type='alignment']/{TEI}linkGrp"):
        part = parts.get(group.get("subtype") or group.get("type"), "body")
        for el in group:
            members: dict[str, list[int]] = {s: [] for s, _, _ in witnesses}
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


MILESTONE = f"{TEI}milestone"


def _chunks(element: etree._Element) -> list:
    """The element's text and ``<app>`` s in order; text on either side of a
    milestone (or any other element but a place) is one chunk."""
    out: list = [element.text or ""]
    for child in element:
        if child.tag == f"{TEI}app":
            out += [child, child.tail or ""]
        else:
            out[-1] += "".join(child.itertext()) + (child.tail or "")
    return out


def _ab_pieces(ab: etree._Element) -> tuple:
    """The pieces of a unit as the writer wrote them: whitespace written before
    an ``<app>`` is the leading space of each of its non-empty readings."""
    pieces: list = []
    hoisted = False
    chunks = _chunks(ab)
    # The space between units, inside a unit (not its words').
    if chunks[0].strip():
        chunks[0] = chunks[0].lstrip()
    if chunks[-1].strip():
        chunks[-1] = chunks[-1].rstrip()
    for chunk in chunks:
        if not isinstance(chunk, str):
            readings = []
            for r in (r for r in chunk if r.tag in READINGS):
                text, space = _spaced("".join(r.itertext()))
                readings.append(Reading(_wits(r), text, bool(text) and (space or hoisted)))
            app = App(tuple(readings), chunk.get("type") or "lexical")
            if chunk.get("prev") and pieces and isinstance(pieces[-1], App):
                app = joined(pieces.pop(), app)  # one place written as two (@next/@prev)
            pieces.append(app)
            continue
        text, space = _spaced(chunk)
        if text:
            pieces.append(Text(text, space))
        hoisted = chunk[-1:].isspace()
    return tuple(pieces)


def _gathered(pieces: tuple, present: set[str]) -> tuple:
    """The pieces of the witnesses present, from pieces where the absent ones
    read nothing at every place (see :func:`align.tei.write.flat_pieces`): a
    place where all the present witnesses read alike is their shared text."""
    out: list = []
    for piece in pieces:
        if isinstance(piece, Text):
            out.append(piece)
            continue
        readings = []
        for r in piece.readings:
            wits = tuple(w for w in r.wits if w in present)
            if wits:
                readings.append(Reading(wits, r.text, r.space))
        if len(readings) == 1:
            out.append(Text(readings[0].text, readings[0].space))
        else:
            out.append(App(tuple(readings), piece.type))
    return tuple(out)


def _starts(element: etree._Element, sigil: str) -> list[tuple[int, str]]:
    """Where the witness's sentences start in this unit (``<milestone
    unit="sentence">``), in non-space characters of its text, with the
    milestones' ids."""
    starts: list[tuple[int, str]] = []
    count = 0

    def walk(el: etree._Element) -> None:
        nonlocal count
        count += _nonspace(el.text or "")
        for child in el:
            if child.tag == MILESTONE:
                if child.get("unit") == "sentence" and f"#{sigil}" in (child.get("edRef") or "").split():
                    starts.append((count, child.get(XML_ID) or ""))
            elif child.tag == f"{TEI}app":
                for r in child:
                    if r.tag in READINGS and sigil in _wits(r):
                        walk(r)
            elif isinstance(child.tag, str):
                walk(child)
            count += _nonspace(child.tail or "")

    walk(element)
    return starts


def _nonspace(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def _cut(line: str, starts: list[int]) -> list[tuple[int, int]]:
    """Spans of ``line`` cut before the characters after ``starts`` non-space ones."""
    cuts, seen, pending = [0], 0, list(starts)
    for k, ch in enumerate(line):
        if ch.isspace():
            continue
        if pending and seen == pending[0]:
            cuts.append(k)
            pending.pop(0)
        seen += 1
    cuts.append(len(line))
    spans = []
    for a, b in zip(cuts, cuts[1:]):
        text = line[a:b]
        a += len(text) - len(text.lstrip())
        b -= len(text) - len(text.rstrip())
        if b > a:
            spans.append((a, b))
    return spans


def _read_parallel(tree, witnesses, settings, marked: bool) -> Collation:
    sigla = [s for s, _, _ in witnesses]
    texts: dict[str, list[str]] = {s: [] for s in sigla}
    sentences: dict[str, list[tuple[int, int, str, str, int]]] = {s: [] for s in sigla}
    offset = {s: 0 for s in sigla}
    units_read = []
    home: dict[str, Unit] = {}
    sentence_home: dict[str, tuple[str, int]] = {}
    blocks: dict[etree._Element, int] = {}
    for ab in units(tree):
        inner = _unit_reading(ab) if ab.tag == f"{TEI}ab" else None
        pieces = _ab_pieces(ab if inner is None else inner)
        if inner is None:
            present = {s for s in sigla if line_of([p.written(s) for p in pieces])}
            if present != set(sigla):
                pieces = _gathered(pieces, present)
            pieces = in_order(pieces, [s for s in sigla if s in present])
        else:
            present = set(_wits(inner))
        kind = "label" if ab.get("type") == "speaker" else "sentence"
        part = "body"
        for div in ab.iterancestors(f"{TEI}div", f"{TEI}front", f"{TEI}back"):
            where = div.get("subtype") if div.tag == f"{TEI}div" else div.tag[len(TEI):]
            part = {"leading": "front", "trailing": "back", "front": "front", "back": "back"}.get(where or "", part)
        block = blocks.setdefault(ab.getparent(), len(blocks))
        members = {}
        for sigil in sigla:
            own = line_of([p.written(sigil) for p in pieces]) if sigil in present else ""
            if own:
                start = offset[sigil]
                first = len(sentences[sigil])
                if marked or kind == "label":
                    starts = _starts(ab, sigil) if marked else []
                    spans = _cut(own, [c for c, _ in starts if c > 0]) if marked else [(0, len(own))]
                    # The milestones' ids name the sentences (transpositions point at them).
                    ids = [i for c, i in starts if c > 0]
                    if starts and starts[0][0] == 0:
                        ids = [starts[0][1]] + ids
                    for k, name in enumerate(ids, start=len(spans) - len(ids)):
                        if name:
                            sentence_home[name] = (sigil, len(sentences[sigil]) + k)
                else:
                    # Files without sentence milestones: segmenting the
                    # witness's part again finds the ends (nearly always the same).
                    spans = sentence_spans(own) or [(0, len(own))]
                for a, b in spans:
                    sentences[sigil].append((start + a, start + b, own[a:b], kind, block))
                texts[sigil].append(own)
                offset[sigil] += len(own) + 1
                members[sigil] = tuple(range(first, len(sentences[sigil])))
            else:
                members[sigil] = ()
        units_read.append(Unit(_number(ab.get("n")), kind, members, float(ab.get("cert") or 1), pieces, part))
        home["#" + (ab.get(XML_ID) or "")] = units_read[-1]
    transpositions = []
    for link in tree.iterfind(f".//{TEI}linkGrp[@type='transposition']/{TEI}link"):
        targets = [t.lstrip("#") for t in (link.get("target") or "").split()]
        pair = [w.lstrip("#") for w in (link.get("ana") or "").split()]
        if len(targets) < 2 or len(pair) != 2 or not set(pair) <= set(sigla) \
                or any(t not in sentence_home and "#" + t not in home for t in targets):
            raise TEIReadError(f"transposition {link.get('n')!r} does not point at two witnesses' units")
        earlier, later = pair
        paired: dict[str, list[int]] = {earlier: [], later: []}
        # Units are the earlier witness's places but the last, which is the later's,
        # unless the later's place is given sentence by sentence.
        later_by_sentence = any(sentence_home.get(t, ("",))[0] == later for t in targets)
        for k, t in enumerate(targets):
            if t in sentence_home:
                sigil, index = sentence_home[t]
                paired.setdefault(sigil, []).append(index)
            else:
                sigil = later if (k == len(targets) - 1 and not later_by_sentence) else earlier
                paired[sigil] += home["#" + t].sentences[sigil]
        transpositions.append(Transposition(_number(link.get("n")), {s: tuple(v) for s, v in paired.items()},
                                            float(link.get("cert") or 1)))
    wits, segs = [], {}
    for sigil, source, description in witnesses:
        witness = Witness(sigil, "\n".join(texts[sigil]), source, description=description)
        wits.append(witness)
        segs[sigil] = Segmentation(witness, tuple(
            Sentence(sigil, i, a, b, t, k, p) for i, (a, b, t, k, p) in enumerate(sentences[sigil])), ())
    units_read.sort(key=lambda u: u.n)
    return Collation(tuple(wits), segs, tuple(units_read), settings, tuple(transpositions))
