"""TEI P5, parallel segmentation (default) or standoff: see :mod:`align.tei`."""

from __future__ import annotations

from ..model import Collation
from ..tei.write import MODES, dumps
from .base import Writer

__all__ = ["MODES", "TEIWriter"]


class TEIWriter(Writer):
    name = "tei"
    extension = ".xml"

    def __init__(self, mode: str = "parallel", lemma: bool = True) -> None:
        self.mode = mode
        self.lemma = lemma

    def dumps(self, collation: Collation) -> bytes:
        return dumps(collation, self.mode, self.lemma)
