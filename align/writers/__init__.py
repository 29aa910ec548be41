"""Output formats (a pluggable family; see :class:`.base.Writer`)."""

from __future__ import annotations

from ..errors import AlignError
from .base import Writer, write_atomically
from .tei import TEIWriter

WRITERS: dict[str, Writer] = {w.name: w for w in (TEIWriter(),)}


def get_writer(name: str) -> Writer:
    try:
        return WRITERS[name]
    except KeyError:
        raise AlignError(f"unknown output format {name!r} (known: {', '.join(WRITERS)})") from None


__all__ = ["Writer", "WRITERS", "get_writer", "write_atomically"]
