"""HTML pages: the main text of a web page, one paragraph per block element.

Boilerplate (scripts, styles, navigation, headers and footers, cookie banners,
share buttons, comment sections, sidebars) is dropped; if the page has an
``<article>`` (or ``<main>``) with real text in it, only that is read. Block
elements become line breaks with a blank line between paragraphs, and
whitespace inside a paragraph is collapsed.

Encoding: the bytes are decoded with :func:`~align.readers.base.decode` (UTF-8,
with or without BOM, or BOM-marked UTF-16/32), exactly as plain-text
witnesses are, and the decoded string is handed to lxml. A ``<meta charset>``
naming another encoding is therefore ignored: a Latin-1 or Windows-1252 page is
refused with a clear :class:`~align.errors.EncodingError` rather than guessed
at, so that the same bytes always give the same witness.

Without an ``.html`` extension a document is HTML only when it starts (after
an optional BOM, whitespace, XML declaration and comments) with ``<!DOCTYPE
html>``, or with an ``<html>`` start tag followed by markup (a tag, comments allowed
between): text that starts ``<html> is a tag ...`` is text.

Deep nesting is read, not refused: browsers nest unclosed tags, so broken
pages are deep (the parser's 256-level safety limit is lifted; the size of the
file is bounded before parsing, see :mod:`align.readers.base`), and every walk
here is iterative and linear in the size of the page.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator, Optional, Union

from lxml import etree

from ..errors import EmptyWitnessError, MalformedInputError
from .base import RawText, Reader, check_text, decode

# Break strengths in the stream of text and breaks that the walkers produce.
LINE = 1
PARAGRAPH = 2

Stream = list[Union[str, int]]

_WS = re.compile(r"\s+")


def layout(stream: Iterable[Union[str, int]], preformatted: Optional[set[int]] = None) -> str:
    """Join a stream of text runs and break strengths into lines.

    Between two runs of text the strongest break wins (``LINE`` gives a new
    line, ``PARAGRAPH`` a blank line); whitespace inside a line is collapsed
    and lines are stripped.
    """
    paragraphs: list[list[str]] = []
    line: list[str] = []
    lines: list[str] = []
    pending = 0

    def flush_line() -> None:
        text = _WS.sub(" ", "".join(line)).strip()
        line.clear()
        if text:
            lines.append(text)

    def flush_paragraph() -> None:
        flush_line()
        if lines:
            paragraphs.append(list(lines))
            lines.clear()

    for item in stream:
        if isinstance(item, int):
            pending = max(pending, item)
            continue
        if not item:
            continue
        if pending >= PARAGRAPH:
            flush_paragraph()
        elif pending == LINE:
            flush_line()
        pending = 0
        line.append(item)
    flush_paragraph()
    return "\n\n".join("\n".join(p) for p in paragraphs)


_DROP_TAGS = frozenset(
    "script style noscript template nav header footer aside form iframe svg button select "
    "head title meta link object embed dialog".split()
)
_DROP_ROLES = frozenset({"navigation", "contentinfo", "banner", "complementary", "search", "menu", "menubar", "dialog"})
# Class and id tokens (split on whitespace, '-' and '_') that mark boilerplate.
# Whole tokens only: "canvas" or "navy" are not "nav".
_BOILERPLATE = re.compile(
    r"^(?:nav|navbar|navigation|menu|menus|footer|breadcrumbs?|cookies?|share|sharing|social|"
    r"comments?|subscribe|subscription|related|sidebar)$",
    re.IGNORECASE,
)
_TOKEN_SPLIT = re.compile(r"[\s\-_]+")
# Never judged by their class/id: a <body class="has-sidebar"> is still the page.
_NEVER_BY_CLASS = frozenset({"html", "body", "main"})

_PARAGRAPH_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 blockquote article section main pre ul ol dl table figure figcaption "
    "address hr fieldset details summary center".split()
)
_LINE_TAGS = frozenset("li tr dt dd caption option".split())
_CELL_TAGS = frozenset({"td", "th"})

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_COMMENT = r"<!--(?:[^-]|-(?!->))*-->"  # ends in one way only: no backtracking blow-up
_SNIFF = re.compile(
    r"(?:<\?xml[^>]*>\s*)?(?:" + _COMMENT + r"\s*)*"
    r"(?:<!doctype\s+html[\s>]|<html(?:\s[^<>]*)?>\s*(?:" + _COMMENT + r"\s*)*<[/a-z])",
    re.IGNORECASE,
)

# At least this much text makes an <article>/<main> the page's content.
MIN_MAIN_CHARS = 200


def _is_boilerplate(el: etree._Element) -> bool:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if tag in _DROP_TAGS:
        return True
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    role = (el.get("role") or "").strip().lower()
    if role and any(r in _DROP_ROLES for r in role.split()):
        return True
    if tag in _NEVER_BY_CLASS:
        return False
    for attr in ("class", "id"):
        value = el.get(attr)
        if value and any(_BOILERPLATE.match(tok) for tok in _TOKEN_SPLIT.split(value) if tok):
            return True
    return False


def walk(root: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """``("start", el)`` and ``("end", el)`` for ``root`` and every node below it,
    in document order, like :func:`lxml.etree.iterwalk` but linear in the depth:
    lxml's ``iter()`` and ``iterwalk()`` take quadratic time on deep trees
    (minutes for 100,000 nested ``<div>`` s)."""
    yield "start", root
    stack = [(root, iter(root))]
    while stack:
        el, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            yield "end", el
        else:
            yield "start", child
            stack.append((child, iter(child)))


def _drop_boilerplate(root: etree._Element) -> None:
    doomed = [el for event, el in walk(root) if event == "start" and (not isinstance(el.tag, str) or _is_boilerplate(el))]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()  # keeps the tail text


def _text_lengths(root: etree._Element, tags: frozenset[str]) -> tuple[dict[etree._Element, int], list[etree._Element]]:
    """In one walk: the non-blank text length of each element named in ``tags``,
    and those of them not inside another of their name (``<article>`` s inside an
    ``<article>`` are not counted apart). Linear however deep the page."""
    lengths: dict[etree._Element, int] = {}
    outermost: list[etree._Element] = []
    open_counts: list[int] = []  # text length so far of each open element
    inside: dict[str, int] = {tag: 0 for tag in tags}
    for event, el in walk(root):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in tags:
                if inside[tag] == 0:
                    outermost.append(el)
                inside[tag] += 1
            open_counts.append(len(_WS.sub("", el.text)) if el.text and tag else 0)
            continue
        total = open_counts.pop()
        if tag in tags:
            inside[tag] -= 1
            lengths[el] = total
        if open_counts:
            open_counts[-1] += total + (len(_WS.sub("", el.tail)) if el.tail and el is not root else 0)
    return lengths, outermost


def _content_root(root: etree._Element) -> etree._Element:
    """The <article> (one, outermost) or <main> with real text, else the body."""
    lengths, outermost = _text_lengths(root, frozenset({"article", "main"}))
    rich = [a for a in outermost if a.tag == "article" and lengths[a] >= MIN_MAIN_CHARS]
    if len(rich) == 1:
        return rich[0]
    mains = [m for m, n in lengths.items() if m.tag == "main" and n >= MIN_MAIN_CHARS]
    if len(mains) == 1:
        return mains[0]
    body = root.find("body")
    return body if body is not None else root


def _block_break(tag: str, out: Stream) -> None:
    """Blocks begin and end with a break (a paragraph, a line, a cell's space)."""
    if tag in _PARAGRAPH_TAGS:
        out.append(PARAGRAPH)
    elif tag in _LINE_TAGS:
        out.append(LINE)
    elif tag in _CELL_TAGS:
        out.append(" ")


def _stream(root: etree._Element) -> Stream:
    out: Stream = []
    for event, el in walk(root):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        _block_break(tag, out)
        if event == "start":
            if tag == "br":
                # <br><br> (nothing between) is the web's paragraph break.
                out.append(PARAGRAPH if _last_break(out) == LINE else LINE)
            elif tag == "pre" and el.text:
                out.extend(_pre_lines(el.text))
            elif tag == "img":
                pass  # alt text is not part of the text
            elif el.text and isinstance(el.tag, str):
                out.append(el.text)
        else:
            if el is not root and el.tail:
                parent = el.getparent()
                if parent is not None and parent.tag == "pre":
                    out.extend(_pre_lines(el.tail))
                else:
                    out.append(el.tail)
    return out


def _last_break(out: Stream) -> int:
    for item in reversed(out):
        if isinstance(item, int):
            return item
        if item.strip():
            return 0
    return 0


def _pre_lines(text: str) -> Stream:
    out: Stream = []
    for i, part in enumerate(text.split("\n")):
        if i:
            out.append(LINE)
        out.append(part)
    return out


def html_text(text: str, source: str) -> str:
    """The main text of an HTML page (already decoded)."""
    # lxml.html (~10 ms to import) only when a page is read: `align collate a.txt b.txt` never needs it.
    from lxml import html

    text = _XML_DECL.sub("", text, count=1)  # lxml refuses str input with an encoding declaration
    # huge_tree: no depth limit (the size was bounded before); the walks below are iterative.
    parser = html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, default_doctype=False, huge_tree=True
    )
    try:
        root = html.document_fromstring(text, parser=parser)
    except etree.ParserError:
        raise EmptyWitnessError(f"{source}: the HTML page has no text") from None
    except (etree.LxmlError, ValueError) as exc:
        raise MalformedInputError(f"{source}: cannot parse the HTML ({exc})") from None
    if root is None:
        raise EmptyWitnessError(f"{source}: the HTML page has no text")
    # libxml2 2.14 (lxml 6) stops an HTML page nested deeper than it allows, even
    # with huge_tree, and keeps what came before: say so rather than "no text".
    deep = [e for e in parser.error_log if "Excessive depth" in e.message]
    if deep:
        raise MalformedInputError(
            f"{source}: the HTML page nests its elements too deep for the HTML parser "
            f"(line {deep[0].line}: {deep[0].message.strip()}); its text cannot all be read")
    _drop_boilerplate(root)
    return layout(_stream(_content_root(root)))


class HTMLReader(Reader):
    name = "html"
    extensions = (".html", ".htm", ".xhtml")

    def sniff(self, head: str) -> bool:
        return bool(_SNIFF.match(head))

    def parse(self, data: bytes, source: str) -> list[RawText]:
        text = html_text(decode(data, source), source)
        if not text.strip():
            raise EmptyWitnessError(f"{source}: no text found in the HTML page (only markup or boilerplate)")
        check_text(text, source)
        return [RawText(text)]
