"""PLACEHOLDER: to be written."""

from __future__ import annotations

from ..model import Collation
from .base import Writer


class CSVWriter(Writer):
    name = "csv"
    extension = ".csv"

    def dumps(self, collation: Collation) -> bytes:
        raise NotImplementedError


class TSVWriter(CSVWriter):
    name = "tsv"
    extension = ".tsv"
