"""The structural rules the TEI viewers need (EVT, the Versioning Machine,
CETEIcean), as one check that lists every breach of them in a file."""

from __future__ import annotations

from lxml import etree

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
READINGS = (f"{TEI}lem", f"{TEI}rdg")


def breaches(xml: bytes, lemma: str | None) -> list[str]:
    """What breaks the rules: ``lemma`` is the sigil whose readings must be
    ``<lem>`` (None: the base-free form, no ``<lem>`` at all; ``"*"``: one ``<lem>``
    first, of whichever witness: a collation of several languages takes the
    lemma of a place in the language of its words)."""
    tree = etree.fromstring(xml)
    sigla = [w.get(XML_ID) for w in tree.iter(f"{TEI}witness")]
    out = []
    ids = tree.xpath("//@xml:id")
    if len(ids) != len(set(ids)):
        out.append("duplicate xml:id")
    if tree.find(f".//{TEI}front") is not None or tree.find(f".//{TEI}back") is not None:
        out.append("material in <front>/<back> (the Versioning Machine does not show it)")
    if tree.find(f".//{TEI}text//{TEI}ab") is not None:
        out.append("<ab> units (EVT runs them together inline)")
    for seg in tree.iter(f"{TEI}seg"):
        parent = seg.getparent()
        if parent.tag != f"{TEI}p" or parent.getparent().tag != f"{TEI}div":
            out.append(f"unit {seg.get('n')} is not in a <p> block of a <div>")
    for app in tree.iter(f"{TEI}app"):
        where = app.get(XML_ID)
        if app.xpath("ancestor::*[local-name()='app']"):
            out.append(f"{where}: an <app> inside an <app>")
        readings = [r for r in app if r.tag in READINGS]
        wits = [w.lstrip("#") for r in readings for w in (r.get("wit") or "").split()]
        if sorted(wits) != sorted(sigla):
            out.append(f"{where}: witnesses {wits}, not each of {sigla} once")
        lems = [r for r in readings if r.tag == f"{TEI}lem"]
        if lemma is None and lems:
            out.append(f"{where}: a <lem> in the base-free form")
        if lemma is not None and (len(lems) != 1 or readings[0] is not lems[0]
                                  or (lemma != "*" and f"#{lemma}" not in lems[0].get("wit").split())):
            out.append(f"{where}: not one <lem> first, with {lemma}")
        for r in readings:
            if (r.text or "")[:1].isspace():
                out.append(f"{where}: a reading starts with a space ({(r.text or '')[:20]!r}); viewers drop it")
    return out
