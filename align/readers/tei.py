"""TEI P5 documents: the text of ``<text>``, one paragraph per block element.

Only ``<text>`` is read (never the ``teiHeader``). ``p``, ``ab``, ``l``,
``head``, ``sp``, ``u``, ``div`` (and a few other blocks) become paragraphs
separated by blank lines; ``note``, ``fw`` and ``figDesc`` are dropped; in a
``choice`` the regularised, corrected or expanded form (``reg``, ``corr``,
``expan``) is kept. ``<lb break="no"/>`` joins a word split across lines.

XML from elsewhere is hostile until shown otherwise: the parser never resolves
entities, loads a DTD or touches the network, and any ``<!ENTITY``
declaration (the billion-laughs bomb, external entities reading local files)
is refused outright with :class:`~align.errors.MalformedInputError`. DTDs are
ignored entirely: the internal subset is removed after parsing, so that its
default attributes (``<!ATTLIST lb break CDATA "no">``) change nothing. A
reference to an entity declared nowhere align looks (``&mdash;`` from an
external DTD) is read as the character when it is one of the standard
(HTML/ISO) entity names, and refused, naming it, otherwise: never dropped.
Elements nested deeper than :data:`~align.readers.base.MAX_XML_DEPTH` are
refused.

Every message is one line naming the file.
"""

from __future__ import annotations

import re
from html.entities import html5 as _HTML5_ENTITIES

from lxml import etree

from ..errors import MalformedInputError, one_line
from .base import MAX_XML_DEPTH, RawText, Reader, check_text
from .html import PARAGRAPH, Stream, layout

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

# The start of an XML document: declaration, then comments, processing
# instructions and a DOCTYPE (with its internal subset), in any order.
# Each part can end in one way only (no backtracking blow-up on a hostile head).
COMMENT = r"<!--(?:[^-]|-(?!->))*-->"
PROLOG = (
    r"(?:<\?xml[^>]*\?>\s*)?(?:(?:" + COMMENT + r"|<\?(?:[^?]|\?(?!>))*\?>|<!DOCTYPE[^\[>]*(?:\[[^\]]*\][^\[>]*)?>)\s*)*"
)
# ... then the root: <TEI> or <teiCorpus> (any prefix), or any element in the TEI namespace.
_SNIFF = re.compile(
    PROLOG + r"<(?:(?:[A-Za-z_][\w.\-]*:)?(?:TEI|teiCorpus)[\s/>]|[A-Za-z_][\w.:\-]*\s[^<>]*"
    + re.escape(TEI_NS) + ")",
    re.DOTALL,
)

_PARAGRAPH = frozenset(
    "p ab l head sp u div div1 div2 div3 div4 div5 div6 div7 lg speaker stage list item table row "
    "quote floatingText opener closer salute signed dateline byline epigraph trailer argument "
    "titlePage docTitle titlePart docAuthor docImprint castList castItem label".split()
)
_DROP = frozenset({"note", "fw", "figDesc"})
_PREFERRED = ("reg", "corr", "expan")
_BREAKS = frozenset({"lb", "pb", "cb"})
_ENTITY_DECL = b"<!ENTITY"


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, attribute_defaults=False,
        huge_tree=False, remove_pis=True, remove_comments=True,
    )


def _refuse_entities(data: bytes, tree: "etree._ElementTree | None", source: str) -> None:
    message = (
        f"{source}: declares XML entities (<!ENTITY ...>), which align refuses to read "
        "(they can expand without limit or read local files); remove the DOCTYPE's entity declarations"
    )
    # The raw bytes (NULs removed, so UTF-16/32 is caught too) before parsing ...
    if _ENTITY_DECL in data or _ENTITY_DECL in data.replace(b"\x00", b""):
        raise MalformedInputError(message)
    # ... and the parsed internal subset, whatever the encoding.
    if tree is not None:
        dtd = tree.docinfo.internalDTD
        if dtd is not None and any(True for _ in dtd.iterentities()):
            raise MalformedInputError(message)


def parse_xml(data: bytes, source: str) -> etree._ElementTree:
    """Parse untrusted XML safely, or raise :class:`MalformedInputError` naming ``source``."""
    _refuse_entities(data, None, source)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        message = one_line(exc.msg or exc)
        if "Excessive depth" in message:
            raise MalformedInputError(
                f"{source}: elements nested more than {MAX_XML_DEPTH} deep, align's limit for XML "
                f"(line {exc.lineno}); is this really a TEI document?"
            ) from None
        if message.startswith("encoding not supported") or "Unsupported encoding" in message:
            raise MalformedInputError(
                f"{source}: declares an encoding align's XML parser does not read ({message}); "
                "convert it to UTF-8 first, e.g. with iconv"
            ) from None
        raise MalformedInputError(f"{source}: not well-formed XML ({message})") from None
    except (etree.LxmlError, ValueError, LookupError) as exc:
        raise MalformedInputError(f"{source}: cannot be parsed as XML ({one_line(exc)})") from None
    if root is None:
        raise MalformedInputError(f"{source}: not well-formed XML (no root element)")
    tree = root.getroottree()
    _refuse_entities(data, tree, source)
    # DTDs are ignored entirely: lxml's get() would still answer a DTD's default
    # attribute values (<!ATTLIST lb break CDATA "no">) while the DTD is there.
    tree.docinfo.clear()
    return tree


def _entity_text(node: etree._Entity, source: str) -> str:
    """A standard entity's character; any other entity is refused, never dropped."""
    name = node.name
    text = _HTML5_ENTITIES.get(f"{name};")
    if text is None:
        raise MalformedInputError(
            f"{source}: uses the entity &{name}; that is declared in a DTD align does not read; "
            "replace it with the text it stands for"
        )
    return text


def _texts(root: etree._Element) -> list[tuple[etree._Element, str | None]]:
    """The outermost ``<text>`` elements, each with the xml:id of its ``<TEI>``."""
    found = []
    for el in root.iter():
        if _local(el) != "text":
            continue
        if any(_local(a) in ("text", "teiHeader") for a in el.iterancestors()):
            continue
        tei = next((a for a in el.iterancestors() if _local(a) == "TEI"), None)
        found.append((el, tei.get(XML_ID) if tei is not None else None))
    return found


def _choice_keep(choice: etree._Element) -> etree._Element | None:
    children = [c for c in choice if isinstance(c.tag, str)]
    for name in _PREFERRED:
        for c in children:
            if _local(c) == name:
                return c
    return children[0] if children else None


def _walk(el: etree._Element, out: Stream, source: str = "<xml>") -> None:
    """Iterative walk (deep documents must not exhaust the Python stack)."""
    stack: list[tuple[etree._Element, bool]] = [(el, False)]
    while stack:
        node, done = stack.pop()
        name = _local(node)
        if done:
            if name in _PARAGRAPH:
                out.append(PARAGRAPH)
            if node is not el and node.tail:
                out.append(node.tail)
            continue
        if isinstance(node, etree._Entity):
            out.append(_entity_text(node, source))
            if node.tail:
                out.append(node.tail)
            continue
        if not isinstance(node.tag, str) or name in _DROP:
            if node is not el and node.tail:
                out.append(node.tail)
            continue
        if name in _BREAKS:
            if node.get("break") != "no":
                out.append(" ")
            if node.tail:
                out.append(node.tail)
            continue
        if name in _PARAGRAPH:
            out.append(PARAGRAPH)
        stack.append((node, True))
        if name == "choice":
            keep = _choice_keep(node)
            if keep is not None:
                # The kept child's tail is whitespace inside <choice>; drop it.
                stack.append((_without_tail(keep), False))
            continue
        if node.text:
            out.append(node.text)
        for child in reversed(node):
            stack.append((child, False))


def _without_tail(el: etree._Element) -> etree._Element:
    el.tail = None
    return el


def _is_collation(root: etree._Element, text: etree._Element) -> bool:
    if any(True for _ in text.iter(f"{{{TEI_NS}}}app", "app")):
        return True
    return any(
        _local(a) == "application" and a.get("ident") == "align" for a in root.iter(f"{{{TEI_NS}}}application")
    ) and any(True for _ in text.iter(f"{{{TEI_NS}}}linkGrp"))


class TEIReader(Reader):
    name = "tei"
    extensions = (".xml", ".tei")

    def sniff(self, head: str) -> bool:
        return bool(_SNIFF.match(head))

    def parse(self, data: bytes, source: str) -> list[RawText]:
        root = parse_xml(data, source).getroot()
        texts = _texts(root)
        if not texts:
            raise MalformedInputError(f"{source}: no <text> element; is this a TEI document?")
        out = []
        for text_el, sigil in texts:
            if _is_collation(root, text_el):
                raise MalformedInputError(
                    f"{source}: is a collation (it has <app> readings or alignment links), not a witness; "
                    f"use `align extract {source} --witness SIGIL` to get one witness's text"
                )
            stream: Stream = []
            _walk(text_el, stream, source)
            text = layout(stream)
            label = f"{source} ({sigil})" if sigil and len(texts) > 1 else source
            check_text(text, label)
            out.append(RawText(text, sigil if len(texts) > 1 else None))
        return out
