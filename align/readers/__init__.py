"""Reading witnesses: files, stdin or strings, in any format of the family.

Each format is a :class:`~align.readers.base.Reader`; the reader is chosen by
``format=``, else by the file's extension, else by sniffing the content.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Optional, Union

from ..clean import remove_controls, remove_noncharacters, repair_entities
from ..errors import InputError, InputTooLargeError, InvalidSigilError
from ..model import Witness
from .base import (  # the limits and Budget are re-exported: align.readers.MAX_WITNESS_BYTES ...
    MAX_BYTES,
    MAX_TOTAL_BYTES,
    MAX_WITNESS_BYTES,
    MAX_XML_DEPTH,
    Budget,
    RawText,
    Reader,
    check_text,
    read_input,
    size_text,
)
from .collatex import CollateXJSONReader
from .html import HTMLReader
from .tei import TEIReader
from .text import TextReader

READERS: dict[str, Reader] = {r.name: r for r in (TextReader(), HTMLReader(), TEIReader(), CollateXJSONReader())}

# XML 1.0 (fifth edition) NameStartChar and NameChar, without ":" (an NCName).
_NAME_START = ("A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
               "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_NCNAME = re.compile(f"[{_NAME_START}][{_NAME_START}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]*")


def register(reader: Reader) -> None:
    READERS[reader.name] = reader


def is_valid_sigil(sigil: str) -> bool:
    """A sigil must be usable as an ``xml:id`` (an XML NCName: ``a²`` is not
    one, nor is a name with a trailing newline) that libxml2 reads back: it
    checks names by the letters of XML 1.0's fourth edition, so ``Iași``
    (U+0219), ``ﬁ`` or a letter beyond the BMP, names by the fifth, make a
    file that align (lxml) and xmllint refuse."""
    return isinstance(sigil, str) and bool(_NCNAME.fullmatch(sigil)) and _libxml2_reads(sigil)


@lru_cache(maxsize=4096)  # sigla that passed the NCName pattern (names, not texts)
def _libxml2_reads(name: str) -> bool:
    from lxml import etree

    try:
        etree.fromstring(f'<a xml:id="{name}"/>'.encode("utf-8"))
    except (etree.XMLSyntaxError, UnicodeEncodeError):
        return False
    return True


def make_sigil(name: str) -> str:
    """A valid ``xml:id`` from a file stem: ``000_a4ad...`` becomes ``w000_a4ad...``."""
    sigil = re.sub(r"[^\w.\-]+", "_", name, flags=re.ASCII).strip("_") or "witness"
    if not re.match(r"[A-Za-z_]", sigil):
        sigil = "w" + sigil
    return sigil


def check_sigil(sigil: str) -> str:
    if not (isinstance(sigil, str) and _NCNAME.fullmatch(sigil)):
        raise InvalidSigilError(
            f"sigil {sigil!r} is not a valid XML name (letters, digits, '_', '-', '.'; "
            "not starting with a digit, '-' or '.'; no spaces or other signs)"
        )
    if not _libxml2_reads(sigil):
        raise InvalidSigilError(
            f"sigil {sigil!r} is not a name libxml2 (lxml, xmllint) reads as an xml:id: it takes the "
            "letters of XML 1.0's fourth edition (no 'ș', 'ﬁ' or letters beyond the BMP)")
    return sigil


def _choose_reader(data: bytes, path: str, format: Optional[str]) -> Reader:
    """By ``format``, else the extension, else the content.

    Content decides only by how the document *starts* (after an optional BOM
    and whitespace): XML is TEI when its prolog (``<?xml ...?>``, comments,
    processing instructions, a DOCTYPE) is followed by a ``<TEI>`` or
    ``<teiCorpus>`` root or a root in the TEI namespace; HTML when it starts
    with ``<!DOCTYPE html>``, or with an ``<html>`` start tag followed by markup
    (a tag, comments allowed between; not words); CollateX JSON when it starts with
    ``{"witnesses":``. Anything else is plain text, so a note that merely
    mentions ``<TEI>`` or starts with ``<html> is a tag`` is read as text.
    """
    if format:
        if not isinstance(format, str):
            raise InputError(f"the input format must be a name (one of {', '.join(sorted(READERS))}), "
                             f"not {type(format).__name__}")
        try:
            return READERS[format]
        except KeyError:
            raise InputError(f"unknown input format {format!r} (known: {', '.join(sorted(READERS))})") from None
    ext = Path(path).suffix.lower()
    for reader in READERS.values():
        if ext and ext in reader.extensions:
            return reader
    head = _head(data)
    for reader in READERS.values():
        if reader.sniff(head):
            return reader
    return READERS["text"]


def _head(data: bytes) -> str:
    """The first 4 KiB as text (UTF-16/32 by their BOM), without BOM and leading whitespace."""
    head = data[:4096]
    for bom, encoding in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                          (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(encoding, errors="replace").lstrip(" \t\r\n")
    return head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")


def witness_from_text(
    text: str, sigil: str, source: str = "<string>", format: str = "text", budget: Optional[Budget] = None
) -> Witness:
    """Make a :class:`Witness` from already decoded text: entities repaired,
    control characters made spaces, noncharacters dropped.

    A string counts its characters against :data:`MAX_WITNESS_BYTES` (and
    ``budget``), as a file counts its bytes.
    """
    if not isinstance(source, str):
        source = str(source)
    check_sigil(sigil)
    check_text(text, source)
    if len(text) > MAX_WITNESS_BYTES:
        # Files were bounded while reading (their text is never longer); a string given directly is checked here.
        raise InputTooLargeError(f"{source}: longer than {MAX_WITNESS_BYTES:,} characters, the limit for one witness")
    if budget is not None:
        budget.take(len(text), source)
    text, repaired = repair_entities(text)
    text, _ = remove_controls(text)
    text, _ = remove_noncharacters(text)
    check_text(text, source)
    return Witness(sigil=sigil, text=text, source=source, format=format, repairs=repaired)


def read_bytes(path: Union[str, os.PathLike[str]], budget: Optional[Budget] = None) -> bytes:
    """The bytes of a witness file or stdin (``-``), bounded by :data:`MAX_WITNESS_BYTES`
    (and ``budget``): see :mod:`align.readers.base` for what is refused."""
    return read_input(path, MAX_WITNESS_BYTES, budget)


def read_witnesses(
    path: Union[str, os.PathLike[str]],
    sigil: Optional[str] = None,
    format: Optional[str] = None,
    budget: Optional[Budget] = None,
) -> list[Witness]:
    """Read one file (``-`` for stdin) into witnesses; most formats give one.

    Give the witnesses of one collation one :class:`Budget` to hold them to
    :data:`MAX_TOTAL_BYTES` together. Every problem with the input raises an
    :class:`~align.errors.InputError` (a subclass naming the kind of problem).
    """
    data = read_bytes(path, budget)
    path = os.fsdecode(path)
    source = "<stdin>" if path == "-" else path
    reader = _choose_reader(data, path, format)
    found: list[RawText] = reader.parse(data, source)
    if not found:
        raise InputError(f"{source}: no text found")
    stem = "stdin" if path == "-" else Path(path).stem
    out = []
    for i, raw in enumerate(found):
        if sigil is not None and len(found) == 1:
            name = check_sigil(sigil)
        elif raw.sigil:
            name = make_sigil(raw.sigil)
        else:
            name = make_sigil(stem if len(found) == 1 else f"{stem}_{i + 1}")
        out.append(witness_from_text(raw.text, name, source=source, format=reader.name))
    return out
