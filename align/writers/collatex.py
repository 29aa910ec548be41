"""PLACEHOLDER: to be written."""

from __future__ import annotations

from ..model import Collation
from .base import Writer


class CollateXWriter(Writer):
    name = "json"
    extension = ".json"

    def dumps(self, collation: Collation) -> bytes:
        raise NotImplementedError
