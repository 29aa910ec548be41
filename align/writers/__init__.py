"""Output formats (a pluggable family; see :class:`.base.Writer`).

``tei`` (the apparatus, parallel or standoff), ``json`` (CollateX's alignment
table), ``csv``/``tsv`` (one row per unit), ``apparatus`` (plain text, as in a
printed edition) and ``html`` (a self-contained page to read the collation).
"""

from __future__ import annotations

from ..errors import AlignError
from .apparatus import ApparatusWriter
from .base import Writer, write_atomically
from .collatex import CollateXWriter
from .html import HTMLWriter
from .table import CSVWriter, TSVWriter
from .tei import TEIWriter

WRITERS: dict[str, Writer] = {
    w.name: w for w in (TEIWriter(), CollateXWriter(), CSVWriter(), TSVWriter(), ApparatusWriter(), HTMLWriter())
}


def get_writer(name: str) -> Writer:
    try:
        return WRITERS[name]
    except KeyError:
        raise AlignError(f"unknown output format {name!r} (known: {', '.join(WRITERS)})") from None


__all__ = ["Writer", "WRITERS", "get_writer", "write_atomically"]
