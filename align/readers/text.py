"""Plain text: lines and blank lines are kept; the text is what the file says."""

from __future__ import annotations

from .base import RawText, Reader, check_text, decode


class TextReader(Reader):
    name = "text"
    extensions = (".txt", ".text", ".md", "")

    def parse(self, data: bytes, source: str) -> list[RawText]:
        text = decode(data, source)
        check_text(text, source)
        return [RawText(text)]
