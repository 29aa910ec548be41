"""Mixed content with lxml, shared by the writers of XML (TEI) and HTML."""

from __future__ import annotations

from lxml import etree


def append_text(parent: etree._Element, text: str) -> None:
    """Text at the end of ``parent``: after its last child (that child's tail), else its text."""
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text
