"""Reading align's TEI back: each witness's text out of a parallel-segmentation file.

A witness's text is the shared text plus its own readings, in document order.
Parsing is safe: no DTDs, no entity expansion, no network.
"""

from __future__ import annotations

import os
from typing import Union

from lxml import etree

from .errors import TEIReadError
from .words import join_pieces

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def parse_tei(source: Union[str, bytes, "os.PathLike[str]"]) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        if isinstance(source, bytes):
            return etree.ElementTree(etree.fromstring(source, parser))
        return etree.parse(os.fspath(source), parser)
    except OSError as exc:
        raise TEIReadError(f"{source}: cannot be read ({exc})") from None
    except etree.XMLSyntaxError as exc:
        raise TEIReadError(f"{source}: not well-formed XML ({exc})") from None


def sigla(tree: etree._ElementTree) -> list[str]:
    ids = [w.get(XML_ID) for w in tree.iterfind(f".//{TEI}listWit/{TEI}witness")]
    if not ids:
        raise TEIReadError("no <listWit> with <witness xml:id> in this TEI file")
    return [i for i in ids if i]


def _pieces(element: etree._Element, sigil: str, out: list[str]) -> None:
    if element.text:
        out.append(element.text)
    for child in element:
        if child.tag == f"{TEI}app":
            for rdg in child.iterfind(f"{TEI}rdg"):
                if f"#{sigil}" in (rdg.get("wit") or "").split():
                    out.append("".join(rdg.itertext()))
        elif isinstance(child.tag, str):
            _pieces(child, sigil, out)
        if child.tail:
            out.append(child.tail)


def witness_text(tree: etree._ElementTree, sigil: str) -> str:
    """A witness's text as the TEI records it, one line per unit."""
    if sigil not in sigla(tree):
        raise TEIReadError(f"no witness {sigil!r} in this file (witnesses: {', '.join(sigla(tree))})")
    lines = []
    for ab in tree.iterfind(f".//{TEI}body//{TEI}ab"):
        parts: list[str] = []
        _pieces(ab, sigil, parts)
        line = join_pieces([" ".join(p.split()) for p in parts])
        if line:
            lines.append(line)
    return "\n".join(lines)
