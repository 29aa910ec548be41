"""TEI P5: writing a collation and reading it back, one room.

Parallel segmentation (the default, for editions and viewers):

* ``teiHeader``: ``listWit`` (one ``witness xml:id`` per input, in order: the
  title, publisher, date and address a user gave as a ``<bibl>``, else the
  file's name; never the folders above it), the settings and version that
  produced the file (``appInfo``), the variant-type taxonomy (``classDecl``)
  and ``variantEncoding method="parallel-segmentation"``.
* ``body``: ``<div type="collation">`` of ``<p>`` blocks (a speaker's turn, a
  paragraph of the base), each holding its alignment units as ``<seg
  type="unit" xml:id n cert>`` (speaker labels ``type="speaker"``). Inside a
  unit, shared text stands once; every difference is one ``<app type ana
  xml:id>`` with the base's reading as ``<lem>`` (``Settings.base``, else the
  first witness; ``lemma=False`` for every reading a ``<rdg>``) and one
  ``<rdg wit>`` per other reading. Every witness is accounted for in every
  place: one absent from a unit reads an empty reading at each of its places,
  and the unit's shared text becomes places too; places never nest. Whitespace
  between words stands outside the readings wherever it can (viewers drop a
  reading's leading space). A sentence boundary inside a unit is ``<milestone
  unit="sentence" edRef="#w">`` for the witnesses whose sentence starts there,
  so that the file gives back the sentences it was made from. Material of one
  witness leading or trailing the text (page furniture, other news) stands in
  ``<div type="setApart" subtype="leading|trailing">`` around the collation,
  collated like the rest (the other witnesses read nothing there).
  Transpositions are ``<link type="transposition">`` between units.

Standoff: each witness's sentences as ``<s xml:id>`` and the alignment as
``<linkGrp>`` links (see :func:`align.tei.write.build`).
"""

from __future__ import annotations

from .read import parse_tei, read_tei, sigla, witness_text
from .write import MODES, build, dumps

__all__ = ["MODES", "build", "dumps", "parse_tei", "read_tei", "sigla", "witness_text"]
