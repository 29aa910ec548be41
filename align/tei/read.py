"""Reading align's TEI back: the collation, or each witness's text.

A witness's text is the shared text plus its own readings, in document order.
Files of earlier versions (``<ab>`` units, places nested in readings, no
sentence milestones) are read too. Parsing is safe: no DTD is loaded or
applied (a document type declaration with an internal subset, which could
declare entities or default attributes, is refused), no entity is expanded
(an entity reference is refused rather than dropped), no network.

Only what align writes is read: a file edited by hand or by another tool is
checked before it is read, and anything that is not a collation align could
have written (a reading naming a witness that is not in ``<listWit>``, a place
that misses a witness, a ``@cert`` that is not a probability, a ``@n`` that is
not a unit number, a duplicate ``xml:id``, a milestone or transposition
pointing at nothing, an element align never writes inside a unit) raises
:class:`~align.errors.TEIReadError` with one line naming the file and the
problem. A file larger than :data:`MAX_TEI_BYTES` is refused before it is
read, and so is anything that is not a regular file (a FIFO, a device, a
directory), without blocking; so is a file of more than
:data:`MAX_TEI_WITNESSES` witnesses.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import replace
from typing import Any, Union
from urllib.parse import unquote

from lxml import etree

from ..errors import AlignError, TEIReadError, one_line, shown
from ..model import (App, Collation, Description, Reading, Segmentation, Sentence, Settings, Text, Transposition, Unit,
                     Witness, line_of, nonspace)
from ..lang import check as check_language
from ..readers.base import MAX_WITNESSES, read_bounded, size_text
from ..segment import sentence_spans
from ..words import VARIANT_TYPES, in_order

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: The largest TEI file read back (bytes): a collation of several witnesses of
#: the largest size align reads as a witness fits; a larger file is refused
#: before anything is read.
MAX_TEI_BYTES = 256 * 1024 * 1024
#: The most witnesses a TEI file read back may have (as many as align collates
#: at once, ``align.api.MAX_WITNESSES``).
MAX_TEI_WITNESSES = MAX_WITNESSES

# XML 1.0 (fifth edition) NameStartChar and NameChar without ":" (an NCName): what a sigil is.
_NAME_START = ("A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
               "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_NCNAME = re.compile(f"[{_NAME_START}][{_NAME_START}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]*")
_UNIT_NUMBER = re.compile(r"[0-9]{1,9}")
_LINK_NUMBER = re.compile(r"t[0-9]{1,9}")
# The links beside the units (align.model.Transposition.kind), one numbering for both.
_LINK_KINDS = ("transposition", "merge")


def _parser() -> etree.XMLParser:
    # No DTD loaded or applied (no default attributes), no entity expanded, no
    # network; comments and processing instructions are not text.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, attribute_defaults=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True, remove_pis=True)


_PROLOG_SKIP = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)
_DOCTYPE = re.compile(r"""<!DOCTYPE\s+[^\s\[>]+(?:\s+(?:SYSTEM|PUBLIC)(?:\s+(?:"[^"]*"|'[^']*')){1,2})?\s*(\[)?""")


def _internal_subset(data: bytes, encoding: str | None) -> bool:
    """Whether the document type declaration has an internal subset (``<!DOCTYPE
    TEI [ ... ]>``): declarations of entities or default attributes, which align
    never writes and does not apply (libxml2 applies some defaults whatever the
    options say)."""
    head = data[:1 << 16]
    try:
        text = head.decode(encoding or "utf-8", errors="replace")
    except LookupError:
        text = head.decode("latin-1")
    text = text.lstrip("\ufeff")
    at = 0
    while True:
        m = _PROLOG_SKIP.match(text, at)
        if not m or m.end() == at:
            break
        at = m.end()
    if not text.startswith("<!DOCTYPE", at):
        return False
    m = _DOCTYPE.match(text, at)
    return m is None or m.group(1) is not None


def parse_tei(source: Union[str, bytes, "os.PathLike[str]"]) -> etree._ElementTree:
    """Parse a TEI file (a path, or the bytes of one) safely: at most
    :data:`MAX_TEI_BYTES`, a regular file, well-formed, a ``<TEI>`` root, no
    entity references (refused, never dropped)."""
    if isinstance(source, (bytes, bytearray)):
        data, name, url = bytes(source), "", None
        if len(data) > MAX_TEI_BYTES:
            raise TEIReadError(f"larger than {size_text(MAX_TEI_BYTES)}, the limit for a TEI file")
    elif isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        name = shown(path)
        data, url = read_bounded(path, MAX_TEI_BYTES, TEIReadError, "a TEI file"), path
    else:
        raise TEIReadError(f"a TEI file is given as a path or as bytes, not {type(source).__name__}")
    where = f"{name}: " if name else ""
    if not data.strip():
        raise TEIReadError(f"{where}empty file, not TEI")
    try:
        root = etree.fromstring(data, _parser(), base_url=url)
    except etree.XMLSyntaxError as exc:
        twice = re.match(r"ID (\S+) already defined, line (\d+)", str(exc))
        if twice:
            raise TEIReadError(f"{where}xml:id {_q(twice.group(1))} is used twice (line {twice.group(2)})") from None
        raise TEIReadError(f"{where}not well-formed XML ({one_line(exc)})") from None
    except (etree.LxmlError, ValueError, LookupError) as exc:
        raise TEIReadError(f"{where}cannot be parsed as XML ({one_line(exc)})") from None
    if root is None or root.tag != f"{TEI}TEI":
        tag = root.tag if root is not None and isinstance(root.tag, str) else "?"
        raise TEIReadError(f"{where}not a collation written by align (its root is <{one_line(tag)}>, "
                           "not <TEI> in the TEI namespace)")
    if _internal_subset(data, root.getroottree().docinfo.encoding):
        raise TEIReadError(f"{where}the document type declaration has an internal subset (<!DOCTYPE ... [...]>): "
                           "align's TEI has none and align applies no DTD; remove it")
    for entity in root.iter(etree.Entity):
        raise TEIReadError(f"{where}entity reference {one_line(entity.text)} on line {entity.sourceline}: align's TEI "
                           "has none and align does not expand them; replace it with the text it stands for")
    return etree.ElementTree(root)


def _file_of(tree: etree._ElementTree) -> str:
    """The file a tree was parsed from (``parse_tei``), for messages; empty for bytes."""
    url = tree.docinfo.URL
    return shown(unquote(url)) if url else ""


def sigla(tree: etree._ElementTree) -> list[str]:
    ids = [w.get(XML_ID) for w in tree.iterfind(f".//{TEI}listWit/{TEI}witness")]
    if not ids:
        raise TEIReadError("no <listWit> with <witness xml:id> in this TEI file")
    return [i for i in ids if i]


READINGS = (f"{TEI}lem", f"{TEI}rdg")
APP = f"{TEI}app"
_UNIT_TAGS = (f"{TEI}seg", f"{TEI}ab")
# Outside units, the parallel form's text holds only these, and no text of its own.
_FRAME = {f"{TEI}{tag}" for tag in ("text", "front", "body", "back", "div", "p")}


def _q(value: object) -> str:
    """A value quoted for a one-line message (shortened)."""
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def probability(value: str | None, what: str) -> float:
    """``@cert``: a number between 0 and 1 (align writes ``0.93``, ``1``); 1 if absent."""
    if value is None:
        return 1.0
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not (math.isfinite(number) and 0.0 <= number <= 1.0):
        raise TEIReadError(f"{what} has cert={_q(value)}, not a probability between 0 and 1")
    return number


def _unit_label(el: etree._Element) -> str:
    n = el.get("n")
    if n is not None and _UNIT_NUMBER.fullmatch(n):
        return f"unit {n}"
    if el.get(XML_ID):
        return f"unit {el.get(XML_ID)!r}"
    return f"the unit on line {el.sourceline}"


def _witness_ids(tree: etree._ElementTree) -> list[str]:
    """The sigla of ``<listWit>``: at least two, each an XML name, none twice."""
    root = tree.getroot()
    if root.find(f"{TEI}teiHeader") is None:
        raise TEIReadError("no <teiHeader>: not a collation written by align")
    found = tree.findall(f".//{TEI}listWit/{TEI}witness")
    if not found:
        raise TEIReadError("no <listWit> with <witness xml:id> in this TEI file")
    out: list[str] = []
    seen: set[str] = set()
    for w in found:
        sigil = w.get(XML_ID)
        if not sigil:
            raise TEIReadError(f"a <witness> in <listWit> (line {w.sourceline}) has no xml:id")
        if not _NCNAME.fullmatch(sigil):
            raise TEIReadError(f"witness {_q(sigil)} in <listWit> is not a valid xml:id")
        if sigil in seen:
            raise TEIReadError(f"witness {sigil!r} stands twice in <listWit>")
        seen.add(sigil)
        out.append(sigil)
    if len(out) < 2:
        raise TEIReadError(f"<listWit> names {len(out)} witness; a collation has at least two")
    if len(out) > MAX_TEI_WITNESSES:
        raise TEIReadError(f"<listWit> names {len(out)} witnesses; align collates at most {MAX_TEI_WITNESSES}")
    return out


def _check_ids(tree: etree._ElementTree) -> None:
    seen: set[str] = set()
    for el in tree.getroot().iter():
        value = el.get(XML_ID) if isinstance(el.tag, str) else None
        if value is None:
            continue
        if value in seen:
            raise TEIReadError(f"xml:id {_q(value)} is used twice (line {el.sourceline})")
        seen.add(value)


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def _wit_tokens(el: etree._Element, attr: str, known: "set[str] | frozenset[str]", what: str) -> list[str]:
    """The witnesses an attribute (``@wit``, ``@edRef``) names: ``#sigil`` s of ``<listWit>``."""
    tokens = (el.get(attr) or "").split()
    if not tokens:
        raise TEIReadError(f"{what} has no @{attr} (the witnesses it stands for)")
    out: list[str] = []
    seen: set[str] = set()
    for token in tokens:
        sigil = token[1:] if token.startswith("#") else ""
        if not sigil and token in known:
            raise TEIReadError(f"{what} names witness {token!r} without '#' (@{attr}=\"#{token}\")")
        if sigil not in known:
            raise TEIReadError(f"{what} names witness {_q(sigil or token)}, which is not in <listWit>")
        if sigil in seen:
            raise TEIReadError(f"{what} names witness {sigil!r} twice")
        seen.add(sigil)
        out.append(sigil)
    return out


def _check_place(app: etree._Element, expect: frozenset[str], known: frozenset[str], unit: str) -> None:
    """A place: readings only, each witness of ``expect`` in exactly one."""
    where = f"the place {app.get(XML_ID)!r} in {unit}" if app.get(XML_ID) else f"a place in {unit}"
    kind = app.get("type")
    if kind is not None and kind not in VARIANT_TYPES:
        raise TEIReadError(f"{where} has type={_q(kind)}, not a variant type ({', '.join(VARIANT_TYPES)})")
    if not _blank(app.text):
        raise TEIReadError(f"{where} has text outside its readings: {_q(app.text.strip())}")
    seen: set[str] = set()
    count = 0
    for reading in app:
        if reading.tag not in READINGS:
            raise TEIReadError(f"{where} holds <{_tag(reading)}>; a place holds only <lem> and <rdg>")
        if not _blank(reading.tail):
            raise TEIReadError(f"{where} has text outside its readings: {_q(reading.tail.strip())}")
        count += 1
        what = f"<{_tag(reading)}> in {unit}"
        wits = _wit_tokens(reading, "wit", known, what)
        for sigil in wits:
            if sigil in seen:
                raise TEIReadError(f"witness {sigil!r} has two readings in {where}")
            if sigil not in expect:
                raise TEIReadError(f"{what} names witness {sigil!r}, which has no text at that place")
            seen.add(sigil)
        _check_inside(reading, frozenset(wits), known, unit)
    if not count:
        raise TEIReadError(f"{where} has no readings")
    missing = sorted(expect - seen)
    if missing:
        raise TEIReadError(f"{where} has no reading for witness {missing[0]!r}; every place gives each witness's "
                           "reading (an empty one where it has nothing)")


def _check_inside(el: etree._Element, wits: frozenset[str], known: frozenset[str], unit: str) -> None:
    """A unit's or a reading's content: text, places and sentence milestones."""
    for child in el:
        if child.tag == APP:
            _check_place(child, wits, known, unit)
        elif child.tag == f"{TEI}milestone":
            what = f"a milestone in {unit}"
            if child.get("unit") not in ("sentence", "paragraph"):
                raise TEIReadError(f"{what} has unit={_q(child.get('unit'))}; align writes only unit=\"sentence\" "
                                   "and unit=\"paragraph\"")
            for sigil in _wit_tokens(child, "edRef", known, what):
                if sigil not in wits:
                    raise TEIReadError(f"{what} marks a {child.get('unit')} of witness {sigil!r} where it has no text")
            if len(child) or not _blank(child.text):
                raise TEIReadError(f"{what} has content; a milestone is empty")
        elif child.tag in _UNIT_TAGS and child.get("type") in ("unit", "speaker") or child.tag == f"{TEI}ab":
            raise TEIReadError(f"{unit} holds another unit; units do not nest")
        else:
            raise TEIReadError(f"{unit} holds <{_tag(child)}>; a unit holds only text, <app> and <milestone>")


def _tag(el: etree._Element) -> str:
    tag = el.tag if isinstance(el.tag, str) else "?"
    return one_line(tag[len(TEI):] if tag.startswith(TEI) else tag)


def _check_parallel(tree: etree._ElementTree, known: list[str]) -> None:
    """The parallel form (or the older ``<ab>`` form): units numbered in
    document order, with a probability each, whose places give every witness
    one reading; nothing outside the units but their frame."""
    text = tree.getroot().find(f"{TEI}text")
    if text is None:
        raise TEIReadError("no <text>: not a collation written by align")
    found = units(tree)
    if not found:
        raise TEIReadError("no units (<seg type=\"unit\"> in <text>): not a collation written by align")
    unit_set = set(found)
    everyone = frozenset(known)
    last = -1
    for el in found:
        label = _unit_label(el)
        n = el.get("n")
        if n is None or not _UNIT_NUMBER.fullmatch(n):
            raise TEIReadError(f"{label} has n={_q(n) if n is not None else 'nothing'}, not a unit number")
        if int(n) <= last:
            raise TEIReadError(f"{label} follows unit {last}: units are numbered in document order, each once")
        last = int(n)
        probability(el.get("cert"), label)
        if any(a in unit_set for a in el.iterancestors()):
            raise TEIReadError(f"{label} stands inside another unit; units do not nest")
        _check_inside(el, everyone, everyone, label)
        if _blank("".join(el.itertext())):
            raise TEIReadError(f"{label} has no text")
    # The frame: divisions and blocks of units, the transpositions, nothing else.
    groups = 0

    def frame(el: etree._Element) -> None:
        nonlocal groups
        if not _blank(el.text):
            raise TEIReadError(f"text outside the units: {_q(el.text.strip())} (line {el.sourceline})")
        for child in el:
            if child in unit_set:
                pass
            elif child.tag in _FRAME:
                frame(child)
            elif child.tag == f"{TEI}linkGrp" and child.get("type") in _LINK_KINDS:
                groups += 1
                for link in child:
                    if link.tag != f"{TEI}link" or len(link) or not _blank(link.text):
                        raise TEIReadError(f"a transposition group holds <{_tag(link)}>; it holds only empty <link>s")
                    if not _blank(link.tail):
                        raise TEIReadError(f"text outside the units: {_q(link.tail.strip())}")
                if not _blank(child.text):
                    raise TEIReadError(f"text outside the units: {_q(child.text.strip())}")
            else:
                raise TEIReadError(f"<{_tag(child)}> (line {child.sourceline}) in <text>: align writes only "
                                   "divisions, blocks of units and transpositions there")
            if not _blank(child.tail):
                raise TEIReadError(f"text outside the units: {_q(child.tail.strip())} (line {child.sourceline})")

    frame(text)


def _check_standoff(tree: etree._ElementTree, known: list[str]) -> None:
    """The standoff form: a division of sentences per witness, each with an xml:id."""
    body = tree.getroot().find(f"{TEI}text/{TEI}body")
    if body is None:
        raise TEIReadError("no <text>/<body>: not a collation written by align")
    for sigil in known:
        divs = body.findall(f"{TEI}div[@type='witness'][@n='{sigil}']")
        if len(divs) != 1:
            raise TEIReadError(f"{'no' if not divs else 'more than one'} division (<div type=\"witness\">) "
                               f"for witness {sigil!r}")
        div = divs[0]
        if not _blank(div.text):
            raise TEIReadError(f"text outside the sentences of witness {sigil!r}: {_q(div.text.strip())}")
        for p in div:
            if p.tag != f"{TEI}p":
                raise TEIReadError(f"the division of witness {sigil!r} holds <{_tag(p)}>; it holds only <p>")
            for where in (p.text, p.tail):
                if not _blank(where):
                    raise TEIReadError(f"text outside the sentences of witness {sigil!r}: {_q(where.strip())}")
            for s in p:
                if s.tag not in (f"{TEI}s", f"{TEI}label"):
                    raise TEIReadError(f"a paragraph of witness {sigil!r} holds <{_tag(s)}>; "
                                       "it holds only <s> and <label>")
                if not s.get(XML_ID):
                    raise TEIReadError(f"a sentence of witness {sigil!r} (line {s.sourceline}) has no xml:id")
                if len(s):
                    raise TEIReadError(f"sentence {s.get(XML_ID)!r} holds <{_tag(s[0])}>; a sentence is text only")
                if _blank(s.text):
                    raise TEIReadError(f"sentence {s.get(XML_ID)!r} is empty")
                if not _blank(s.tail):
                    raise TEIReadError(f"text outside the sentences of witness {sigil!r}: {_q(s.tail.strip())}")
    for div in body.iterfind(f"{TEI}div[@type='witness']"):
        if div.get("n") not in known:
            raise TEIReadError(f"a witness division names witness {_q(div.get('n'))}, which is not in <listWit>")


def _in_file(tree: etree._ElementTree, exc: TEIReadError) -> TEIReadError:
    name = _file_of(tree)
    return TEIReadError(f"{name}: {exc}") if name else exc




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


def _checked(tree: etree._ElementTree, mode: str = "") -> list[str]:
    """Check a parsed file against the form align writes (``mode``: from the
    header, else by its body); the sigla of its witnesses."""
    known = _witness_ids(tree)
    _check_ids(tree)
    if not mode:
        mode = "standoff" if tree.find(f"{TEI}text/{TEI}body/{TEI}div[@type='witness']") is not None else "parallel"
    (_check_standoff if mode == "standoff" else _check_parallel)(tree, known)
    return known


def witness_text(tree: etree._ElementTree, sigil: str) -> str:
    """A witness's text as the TEI records it (either mode), one line per
    paragraph (per unit in a parallel file that does not mark each witness's
    paragraphs, as those before 2026-12-06)."""
    try:
        known = _checked(tree)
        if sigil not in known:
            raise TEIReadError(f"no witness {_q(sigil)} in this file (witnesses: {', '.join(known)})")
        div = tree.find(f".//{TEI}body/{TEI}div[@type='witness'][@n='{sigil}']")
        if div is not None:
            return "\n".join(" ".join("".join(p.itertext()).split()) for p in div.iterfind(f"{TEI}p"))
        if tree.find(f".//{TEI}milestone[@unit='paragraph']") is not None:
            settings, _, marked = _settings(tree)
            return _read_parallel(tree, _witnesses(tree), settings, marked).witness(sigil).text
    except TEIReadError as exc:
        raise _in_file(tree, exc) from None
    lines = []
    for ab in units(tree):
        parts: list[str] = []
        _pieces(ab, sigil, parts)
        line = line_of(parts)
        if line:
            lines.append(line)
    return "\n".join(lines)


_NUMBERS = (("threshold", "threshold"), ("merge-penalty", "merge_penalty"), ("length", "length_weight"),
            ("token-threshold", "token_threshold"))


def _settings(tree: etree._ElementTree) -> tuple[Settings, str, bool]:
    p = tree.find(f".//{TEI}appInfo/{TEI}application[@ident='align']/{TEI}p")
    if p is None or not p.text:
        raise TEIReadError("not a collation written by align (no align application in the header)")
    fields = dict(part.split(":", 1) for part in p.text.strip().split("|") if ":" in part)
    values: dict[str, float] = {}
    for key, name in _NUMBERS:
        value = fields.get(key, "0" if key == "length" else None)
        if value is None:
            raise TEIReadError(f"the settings signature in the header is incomplete (no {key!r})")
        try:
            values[name] = float(value)
        except ValueError:
            values[name] = math.nan
        if not math.isfinite(values[name]):
            raise TEIReadError(f"the settings signature in the header gives {key} {_q(value)}, not a number")
    mode = fields.get("mode", "parallel")
    if mode not in ("parallel", "standoff"):
        raise TEIReadError(f"the settings signature in the header gives mode {_q(mode)}, not parallel or standoff")
    language = fields.get("seg", "punkt-english").replace("punkt-", "")
    if not re.fullmatch(r"[a-z]{1,40}", language):
        raise TEIReadError(f"the settings signature in the header gives segmenter {_q(fields.get('seg'))}")
    try:
        settings = Settings(scorer=fields["scorer"], language=language, version=fields["align"],
                            base=fields.get("base", ""), source=fields.get("source", ""), **values)
    except KeyError as exc:
        raise TEIReadError(f"the settings signature in the header is incomplete (no {exc})") from None
    except (AlignError, ValueError, TypeError) as exc:
        raise TEIReadError(f"the settings signature in the header is not one align writes ({one_line(exc)})") from None
    # Files that say whether they have lemmata also mark every sentence boundary.
    return settings, mode, "lemma" in fields


def _witnesses(tree: etree._ElementTree) -> list[tuple[str, str, Description, str]]:
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
        lang = w.get(XML_LANG) or ""
        if lang:
            try:
                lang = check_language(lang)  # en-GB is en: a hand-edited file stays one language
            except AlignError:
                raise TEIReadError(f"witness {_q(w.get(XML_ID))} has xml:lang={_q(lang)}, not a language align "
                                   "knows (en, ru, de, fr, es)") from None
        out.append((w.get(XML_ID), w.get("n") or " ".join("".join(w.itertext()).split()), description, lang))
    return out


_REPAIRED = re.compile(r"#(\S+): (\d+) broken or escaped character entities repaired on reading \((.+)\)\.")


def _repairs(tree: etree._ElementTree) -> dict[str, dict[str, Any]]:
    """Per witness, the entity repairs the header records (see align.tei.write:
    ``editorialDecl/correction``), as Witness fields (``repairs``, ``format``)."""
    out: dict[str, dict[str, Any]] = {}
    for p in tree.iterfind(f".//{TEI}encodingDesc/{TEI}editorialDecl/{TEI}correction/{TEI}p"):
        found = _REPAIRED.fullmatch(" ".join("".join(p.itertext()).split()))
        if found:
            out[found.group(1)] = {"repairs": int(found.group(2)), "format": found.group(3)}
    return out


def read_tei(source: Union[str, bytes, "os.PathLike[str]"]) -> Collation:
    """Read a collation align wrote, in either mode, back into a :class:`Collation`.

    Standoff files carry every sentence: the collation read back is the one
    written (word collation is recomputed from the units). Parallel files carry
    units and readings exactly, and mark where each witness's sentences start
    inside a unit and where its paragraphs open (milestones); in a file without
    them, each witness's part of a unit is segmented again and its paragraphs
    are the blocks'.

    Anything else (see the module's description) raises :class:`TEIReadError`
    naming the file and the problem, on one line.
    """
    tree = parse_tei(source)
    try:
        settings, mode, marked = _settings(tree)
        known = _checked(tree, mode)
        if settings.base and settings.base not in known:
            raise TEIReadError(f"the settings signature in the header names base {_q(settings.base)}, "
                               "which is not in <listWit>")
        witnesses = _witnesses(tree)
        if mode == "standoff":
            return _read_standoff(tree, witnesses, settings)
        return _read_parallel(tree, witnesses, settings, marked)
    except TEIReadError as exc:
        raise _in_file(tree, exc) from None


_PARTS = {"alignment": "body", "leading": "front", "trailing": "back"}


def _read_standoff(tree, witnesses, settings) -> Collation:
    repaired = _repairs(tree)
    from ..words import collate_by_language

    segs: dict[str, Segmentation] = {}
    where: dict[str, tuple[str, int]] = {}
    wits = []
    for sigil, source, description, lang in witnesses:
        div = tree.find(f".//{TEI}body/{TEI}div[@type='witness'][@n='{sigil}']")
        text, sentences = "", []
        for p_index, p in enumerate(div.iterfind(f"{TEI}p")):
            if text:
                text += "\n"
            for k, el in enumerate(p):
                if k and p[k - 1].tail:  # none: the witness glued the two sentences
                    text += " "
                content = el.text or ""
                kind = "label" if el.tag == f"{TEI}label" else "sentence"
                sentences.append(Sentence(sigil, len(sentences), len(text), len(text) + len(content), content, kind, p_index))
                where[el.get(XML_ID)] = (sigil, len(sentences) - 1)
                text += content
        witness = Witness(sigil, text, source, description=description, lang=lang, **repaired.get(sigil, {}))
        wits.append(witness)
        segs[sigil] = Segmentation(witness, tuple(sentences), ())
    units, transpositions = [], []
    numbers: set[int] = set()
    home: dict[tuple[str, int], int] = {}
    divs = tree.findall(f"{TEI}text/{TEI}body/{TEI}div[@type='alignment']")
    if len(divs) != 1:
        raise TEIReadError(f"{'no' if not divs else 'more than one'} alignment (<div type=\"alignment\">)")
    if not _blank(divs[0].text):
        raise TEIReadError(f"text in the alignment: {_q(divs[0].text.strip())}")
    for group in divs[0]:
        kind = group.get("subtype") if group.get("type") == "setApart" else group.get("type")
        if group.tag != f"{TEI}linkGrp" or kind not in _PARTS:
            raise TEIReadError(f"the alignment holds <{_tag(group)}> type={_q(group.get('type'))}; it holds only "
                               "<linkGrp type=\"alignment\"> and <linkGrp type=\"setApart\">")
        part = _PARTS[kind]
        for where_text in (group.text, group.tail):
            if not _blank(where_text):
                raise TEIReadError(f"text in the alignment: {_q(where_text.strip())}")
        for el in group:
            if el.tag not in (f"{TEI}link", f"{TEI}ptr") or len(el) or not _blank(el.text) or not _blank(el.tail):
                raise TEIReadError(f"the alignment holds <{_tag(el)}> (line {el.sourceline}); "
                                   "it holds only empty <link>s and <ptr>s")
            transposition = el.get("type") in _LINK_KINDS
            n = el.get("n")
            label = f"{'transposition' if transposition else 'link'} {_q(n) if n is not None else f'on line {el.sourceline}'}"
            if n is None or not (_LINK_NUMBER if transposition else _UNIT_NUMBER).fullmatch(n):
                raise TEIReadError(f"{label} has no number (n={_q(n) if n is not None else 'nothing'})")
            cert = probability(el.get("cert"), label)
            members: dict[str, list[int]] = {s: [] for s, *_ in witnesses}
            targets = (el.get("target") or "").split()
            if not targets:
                raise TEIReadError(f"{label} points at nothing (no @target)")
            for target in targets:
                try:
                    if not target.startswith("#"):
                        raise KeyError(target)
                    sigil, index = where[target[1:]]
                except KeyError:
                    raise TEIReadError(f"{label} points at an unknown sentence {_q(target)}") from None
                if index in members[sigil]:
                    raise TEIReadError(f"{label} points at sentence {_q(target)} twice")
                members[sigil].append(index)
            if transposition:
                # The earlier witness's sentences come first in @target (the writer's order).
                first = {}
                for target in targets:
                    first.setdefault(where[target[1:]][0], len(first))
                sentences = {s: tuple(members[s]) for s in sorted(first, key=first.__getitem__)}
                if len(sentences) != 2:
                    raise TEIReadError(f"{label} points at sentences of {len(sentences)} witnesses, not two")
                transpositions.append(Transposition(_number(n), sentences, cert, el.get("type")))
                continue
            number = _number(n)
            if number in numbers:
                raise TEIReadError(f"{label}: two units have this number")
            numbers.add(number)
            kind_of = el.get("ana") or "sentence"
            if kind_of not in ("sentence", "label"):
                raise TEIReadError(f"{label} has ana={_q(kind_of)}, not sentence or label")
            for sigil, indices in members.items():
                if indices and indices != list(range(indices[0], indices[0] + len(indices))):
                    raise TEIReadError(f"{label} links sentences of witness {sigil!r} that do not follow one another")
                for index in indices:
                    if (sigil, index) in home:
                        raise TEIReadError(f"sentence {_q(f'{sigil}-s{index}')} is in two units "
                                           f"({home[(sigil, index)]} and {number})")
                    home[(sigil, index)] = number
            unit = Unit(number, kind_of, {s: tuple(v) for s, v in members.items()}, cert, part=part)
            units.append(unit)
    for seg in segs.values():
        for sentence in seg.sentences:
            if (sentence.sigil, sentence.index) not in home:
                raise TEIReadError(f"sentence {_q(sentence.text)} of witness {sentence.sigil!r} is in no unit")
    units.sort(key=lambda u: u.n)
    last: dict[str, int] = {}
    for unit in units:
        for sigil, indices in unit.sentences.items():
            if indices and indices[0] < last.get(sigil, -1):
                raise TEIReadError(f"unit {unit.n} goes back in witness {sigil!r}: units follow each witness's "
                                   "sentences in order")
            if indices:
                last[sigil] = indices[-1]
    # As align.collate does: witnesses in several languages are collated within a language.
    units = [replace(unit, pieces=collate_by_language(unit, segs, settings)) for unit in units]
    numbers_t = [t.n for t in transpositions]
    if len(set(numbers_t)) != len(numbers_t):
        raise TEIReadError("two transpositions have the same number")
    return Collation(tuple(wits), segs, tuple(units), settings, tuple(transpositions))


def _number(n: str | None) -> int:
    try:
        return int((n or "").lstrip("t"))
    except ValueError:
        raise TEIReadError(f"a unit or link without a number (n={_q(n)})") from None


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
            pieces.append(App(tuple(readings), chunk.get("type") or "lexical"))
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


def _starts(element: etree._Element, sigil: str) -> dict[str, list[tuple[int, str, str | None]]]:
    """Where the witness's sentences and paragraphs start in this unit
    (``<milestone unit="sentence">``, ``unit="paragraph"``; by unit), in
    non-space characters of its text, with the milestones' ids and ``@break``s."""
    starts: dict[str, list[tuple[int, str, str | None]]] = {"sentence": [], "paragraph": []}
    count = 0

    def walk(el: etree._Element) -> None:
        nonlocal count
        count += nonspace(el.text or "")
        for child in el:
            if child.tag == MILESTONE:
                if child.get("unit") in starts and f"#{sigil}" in (child.get("edRef") or "").split():
                    starts[child.get("unit")].append((count, child.get(XML_ID) or "", child.get("break")))
            elif child.tag == f"{TEI}app":
                for r in child:
                    if r.tag in READINGS and sigil in _wits(r):
                        walk(r)
            elif isinstance(child.tag, str):
                walk(child)
            count += nonspace(child.tail or "")

    walk(element)
    return starts


def _glued(marks: list[tuple[int, str, str | None]], sigil: str, element: etree._Element) -> bool:
    """Whether the witness's text in this unit follows its text before with no
    space: its sentence milestone at the head (``marks``, see :func:`_starts`)
    says ``break="no"`` (only there)."""
    glued = [c for c, _, brk in marks if brk == "no"]
    if any(glued):
        raise TEIReadError(f"a sentence milestone of witness {sigil!r} in {_unit_label(element)} says break=\"no\" "
                           "inside the unit; align writes it only where the witness's text in a unit opens")
    return bool(glued)


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
    repaired = _repairs(tree)
    sigla = [s for s, *_ in witnesses]
    texts: dict[str, list[str]] = {s: [] for s in sigla}
    sentences: dict[str, list[tuple[int, int, str, str, int]]] = {s: [] for s in sigla}
    offset = {s: 0 for s in sigla}
    # Each witness's paragraphs, where the file marks them (<milestone
    # unit="paragraph">, since 2026-12-06); before, the blocks' (the base's).
    paragraphed = tree.find(f".//{TEI}milestone[@unit='paragraph']") is not None
    paragraph = {s: 0 for s in sigla}
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
        for mark in ab.iter(MILESTONE):
            absent = [t[1:] for t in (mark.get("edRef") or "").split() if t[1:] not in present]
            if absent:
                raise TEIReadError(f"a {mark.get('unit')} milestone in {_unit_label(ab)} marks witness "
                                   f"{absent[0]!r}, which has no text there")
        members = {}
        for sigil in sigla:
            own = line_of([p.written(sigil) for p in pieces]) if sigil in present else ""
            if own:
                found = _starts(ab, sigil)
                marks = found["sentence"]
                glued = _glued(marks, sigil, ab)
                # Where the unit's text starts: after a space or line break, unless glued.
                start = offset[sigil] + (1 if texts[sigil] and not glued else 0)
                first = len(sentences[sigil])
                if marked or kind == "label":
                    starts = [(c, i) for c, i, _ in marks] if marked else []
                    counts = [c for c, _ in starts]
                    if any(b <= a for a, b in zip(counts, counts[1:])) or (counts and counts[-1] >= nonspace(own)):
                        raise TEIReadError(f"a sentence milestone of witness {sigil!r} in {_unit_label(ab)} starts "
                                           "no sentence (two at one place, or one after the witness's text)")
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
                paragraphs = [c for c, _, _ in found["paragraph"]] if paragraphed else []
                opens = set(paragraphs)
                if len(opens) < len(paragraphs) or not opens <= {nonspace(own[:a]) for a, _ in spans}:
                    raise TEIReadError(f"a paragraph milestone of witness {sigil!r} in {_unit_label(ab)} opens "
                                       "no sentence (two at one place, or one inside a sentence)")
                # What stands before the unit's text: a space, or a line break where a
                # paragraph opens (in a file that does not mark them, at every unit).
                before = "" if glued else " " if paragraphed else "\n"
                for a, b in spans:
                    if nonspace(own[:a]) in opens and sentences[sigil]:
                        paragraph[sigil] += 1
                        if a and not own[a - 1].isspace():
                            raise TEIReadError(f"a paragraph milestone of witness {sigil!r} in {_unit_label(ab)} "
                                               "stands between two sentences with no space between them")
                        if a:  # within the unit: the space before the sentence ends the paragraph
                            own = own[: a - 1] + "\n" + own[a:]
                        elif glued:
                            raise TEIReadError(f"witness {sigil!r} opens a paragraph in {_unit_label(ab)} "
                                               "with no space before it (break=\"no\")")
                        else:
                            before = "\n"
                    sentences[sigil].append((start + a, start + b, own[a:b], kind,
                                             paragraph[sigil] if paragraphed else block))
                texts[sigil].append(before + own if texts[sigil] else own)
                offset[sigil] = start + len(own)
                members[sigil] = tuple(range(first, len(sentences[sigil])))
            else:
                members[sigil] = ()
        units_read.append(Unit(_number(ab.get("n")), kind, members, probability(ab.get("cert"), _unit_label(ab)),
                               pieces, part))
        if ab.get(XML_ID):
            home["#" + ab.get(XML_ID)] = units_read[-1]
    transpositions = []
    numbers: set[int] = set()
    for group, link in ((kind, link) for kind in _LINK_KINDS
                        for link in tree.iterfind(f".//{TEI}linkGrp[@type='{kind}']/{TEI}link")):
        if link.get("type", group) != group:
            raise TEIReadError(f"a link of type {_q(link.get('type'))} in the group of type {_q(group)} "
                               f"(line {link.sourceline}); align writes each kind in its own group")
        n = link.get("n")
        label = f"transposition {_q(n) if n is not None else f'on line {link.sourceline}'}"
        if n is None or not _LINK_NUMBER.fullmatch(n):
            raise TEIReadError(f"{label} has no number (n={_q(n) if n is not None else 'nothing'})")
        if _number(n) in numbers:
            raise TEIReadError(f"{label}: two transpositions have this number")
        numbers.add(_number(n))
        cert = probability(link.get("cert"), label)
        tokens = (link.get("target") or "").split()
        targets = [t[1:] for t in tokens if t.startswith("#")]
        if len(tokens) < 2:
            raise TEIReadError(f"{label} points at {len(tokens)} place(s); a transposition links two or more")
        for token in tokens:
            if not token.startswith("#") or token[1:] not in sentence_home and token not in home:
                raise TEIReadError(f"{label} points at {_q(token)}, which is no unit or sentence of this file")
        if len(set(targets)) != len(targets):
            raise TEIReadError(f"{label} points at one place twice")
        pair = _wit_tokens(link, "ana", frozenset(sigla), label)
        if len(pair) != 2:
            raise TEIReadError(f"{label} names {len(pair)} witnesses in @ana; a transposition pairs two")
        earlier, later = pair
        paired: dict[str, list[int]] = {earlier: [], later: []}
        # Units are the earlier witness's places but the last, which is the later's,
        # unless the later's place is given sentence by sentence.
        later_by_sentence = any(sentence_home.get(t, ("",))[0] == later for t in targets)
        for k, t in enumerate(targets):
            if t in sentence_home:
                sigil, index = sentence_home[t]
                if sigil not in paired:
                    raise TEIReadError(f"{label} points at a sentence of witness {sigil!r}, which it does not pair")
                paired[sigil].append(index)
            else:
                sigil = later if (k == len(targets) - 1 and not later_by_sentence) else earlier
                paired[sigil] += home["#" + t].sentences[sigil]
        for sigil, indices in paired.items():
            if not indices:
                raise TEIReadError(f"{label} points at no sentence of witness {sigil!r}")
            if len(set(indices)) != len(indices):
                raise TEIReadError(f"{label} points at a sentence of witness {sigil!r} twice")
        transpositions.append(Transposition(_number(n), {s: tuple(v) for s, v in paired.items()}, cert, group))
    transpositions.sort(key=lambda t: t.n)
    wits, segs = [], {}
    for sigil, source, description, lang in witnesses:
        witness = Witness(sigil, "".join(texts[sigil]), source, description=description, lang=lang, **repaired.get(sigil, {}))
        wits.append(witness)
        segs[sigil] = Segmentation(witness, tuple(
            Sentence(sigil, i, a, b, t, k, p) for i, (a, b, t, k, p) in enumerate(sentences[sigil])), ())
    units_read.sort(key=lambda u: u.n)
    return Collation(tuple(wits), segs, tuple(units_read), settings, tuple(transpositions))
