"""The reader family's base: bytes in, decoded text out, with clear errors."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import ClassVar, Optional

from ..errors import BinaryInputError, EmptyWitnessError, EncodingError

# Larger inputs are almost certainly a mistake (a disk image, a video) and would
# only exhaust memory; book-length texts are a few MB.
MAX_BYTES = 64 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class RawText:
    """A text a reader found, with the sigil the source suggests (if any)."""

    text: str
    sigil: Optional[str] = None


def decode(data: bytes, source: str) -> str:
    """Decode UTF-8 (with or without BOM) or BOM-marked UTF-16/32; refuse anything else."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise EncodingError(f"{source}: not valid {encoding.upper()} despite its byte-order mark (byte {exc.start})") from None
    if b"\x00" in data[:8192]:
        raise BinaryInputError(f"{source}: looks like binary data, not text (NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"{source}: not valid UTF-8 (byte {exc.start}); convert it to UTF-8 first, e.g. with iconv"
        ) from None


def check_text(text: str, source: str) -> None:
    """Refuse texts with nothing to collate or that are mostly control characters."""
    if not text.strip():
        raise EmptyWitnessError(f"{source}: the witness is empty")
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(sample) // 100):
        raise BinaryInputError(f"{source}: looks like binary data, not text (control characters)")


class Reader:
    """A pluggable input format. Subclasses set ``name`` and ``extensions`` and
    implement :meth:`parse`; :meth:`sniff` lets content decide when the
    extension does not."""

    name: ClassVar[str] = ""
    extensions: ClassVar[tuple[str, ...]] = ()

    def sniff(self, head: str) -> bool:
        return False

    def parse(self, data: bytes, source: str) -> list[RawText]:
        raise NotImplementedError
