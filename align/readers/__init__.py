"""Reading witnesses: files, stdin or strings, in any format of the family.

Each format is a :class:`~align.readers.base.Reader`; the reader is chosen by
``format=``, else by the file's extension, else by sniffing the content.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Optional, Union

from ..clean import remove_controls, repair_entities
from ..errors import InputError, InvalidSigilError, WitnessNotFoundError
from ..model import Witness
from .base import MAX_BYTES, RawText, Reader, check_text
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
    one, nor is a name with a trailing newline)."""
    return isinstance(sigil, str) and bool(_NCNAME.fullmatch(sigil))


def make_sigil(name: str) -> str:
    """A valid ``xml:id`` from a file stem: ``000_a4ad...`` becomes ``w000_a4ad...``."""
    sigil = re.sub(r"[^\w.\-]+", "_", name, flags=re.ASCII).strip("_") or "witness"
    if not re.match(r"[A-Za-z_]", sigil):
        sigil = "w" + sigil
    return sigil


def check_sigil(sigil: str) -> str:
    if not is_valid_sigil(sigil):
        raise InvalidSigilError(
            f"sigil {sigil!r} is not a valid XML name (letters, digits, '_', '-', '.'; "
            "not starting with a digit, '-' or '.'; no spaces or other signs)"
        )
    return sigil


def _choose_reader(data: bytes, path: str, format: Optional[str]) -> Reader:
    if format:
        try:
            return READERS[format]
        except KeyError:
            raise InputError(f"unknown input format {format!r} (known: {', '.join(sorted(READERS))})") from None
    ext = Path(path).suffix.lower()
    for reader in READERS.values():
        if ext and ext in reader.extensions:
            return reader
    head = data[:4096].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    for reader in READERS.values():
        if reader.sniff(head):
            return reader
    return READERS["text"]


def witness_from_text(text: str, sigil: str, source: str = "<string>", format: str = "text") -> Witness:
    """Make a :class:`Witness` from already decoded text (entities repaired here)."""
    check_sigil(sigil)
    check_text(text, source)
    text, repaired = repair_entities(text)
    text, _ = remove_controls(text)
    return Witness(sigil=sigil, text=text, source=source, format=format, repairs=repaired)


def read_bytes(path: Union[str, os.PathLike[str]]) -> bytes:
    path = os.fspath(path)
    if path == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        if not os.path.exists(path):
            raise WitnessNotFoundError(f"{path}: no such file")
        if os.path.isdir(path):
            raise InputError(f"{path}: is a directory, not a file")
        if os.path.getsize(path) > MAX_BYTES:
            raise InputError(f"{path}: larger than {MAX_BYTES // 2**20} MiB; split it first")
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: larger than {MAX_BYTES // 2**20} MiB; split it first")
    return data


def read_witnesses(
    path: Union[str, os.PathLike[str]], sigil: Optional[str] = None, format: Optional[str] = None
) -> list[Witness]:
    """Read one file (``-`` for stdin) into witnesses; most formats give one."""
    path = os.fspath(path)
    data = read_bytes(path)
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
