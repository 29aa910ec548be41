"""Mixed content with lxml, shared by the writers of XML (TEI) and HTML."""

from __future__ import annotations

from lxml import etree


def append_text(parent: etree._Element, text: str) -> None:
    """Text at the end of ``parent``: after its last child (that child's tail), else its text."""
    if not text:
        return
    # parent[-1], not len(parent): lxml counts the children one by one, which
    # made writing a unit of 50,000 places quadratic.
    try:
        last = parent[-1]
    except IndexError:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text
