"""Output formats (a pluggable family; see :class:`.base.Writer`).

``tei`` (the apparatus, parallel or standoff), ``json`` (CollateX's alignment
table), ``csv``/``tsv`` (one row per unit), ``apparatus`` (plain text, as in a
printed edition) and ``html`` (a self-contained page to read the collation).
"""

from __future__ import annotations

from ..errors import AlignError
from ..model import Collation
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


def to_tei(collation: Collation, mode: str = "parallel", lemma: bool = True) -> bytes:
    """The collation as TEI: ``parallel`` segmentation or ``standoff`` (linkGrp);
    ``lemma=False``: no reading is the lemma (see :mod:`align.tei`)."""
    return TEIWriter(mode, lemma).dumps(collation)


def write(collation: Collation, path: str, format: str = "tei", mode: str = "parallel", lemma: bool = True) -> None:
    """Write the collation in a format (``tei``: ``mode`` and ``lemma`` as in
    :func:`to_tei`) to ``path``, atomically (``-`` for stdout)."""
    writer = TEIWriter(mode, lemma) if format == "tei" else get_writer(format)
    writer.write(collation, path)


__all__ = ["Writer", "WRITERS", "get_writer", "to_tei", "write", "write_atomically"]
