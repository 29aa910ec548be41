"""PLACEHOLDER: to be written."""

from __future__ import annotations

from ..model import Collation
from .base import Writer


class HTMLWriter(Writer):
    name = "html"
    extension = ".html"

    def dumps(self, collation: Collation) -> bytes:
        raise NotImplementedError
