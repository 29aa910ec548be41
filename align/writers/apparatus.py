"""PLACEHOLDER: to be written."""

from __future__ import annotations

from ..model import Collation
from .base import Writer


class ApparatusWriter(Writer):
    name = "apparatus"
    extension = ".txt"

    def dumps(self, collation: Collation) -> bytes:
        raise NotImplementedError
