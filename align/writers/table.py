"""One row per unit, one column per witness: for spreadsheets and data frames.

Columns: ``unit`` (its number, as ``@n`` in the TEI), ``part`` (body, or
front/back for material set apart), ``kind`` (sentence or speaker label),
``shape`` (sentences of each witness, ``1-2``), ``confidence``,
``variant_types`` (``;``-separated, as :func:`.base.variant_types`), then one
column per witness with what it says in the unit (empty where it has nothing).
CSV is RFC 4180 (quoted where needed); TSV is unquoted, which is safe since a
witness's text is written with its whitespace collapsed to single spaces.
"""

from __future__ import annotations

import csv
import io
from typing import Iterator

from ..model import Collation, line_of
from .base import Writer, variant_types

FIXED_COLUMNS = ("unit", "part", "kind", "shape", "confidence", "variant_types")


def rows(collation: Collation) -> Iterator[list[str]]:
    """The header row, then one row per unit, in reading order."""
    yield [*FIXED_COLUMNS, *collation.sigla]
    for unit in collation.units:
        yield [
            str(unit.n), unit.part, unit.kind, unit.shape, f"{unit.confidence:.3f}",
            ";".join(variant_types(unit, collation.transpositions)),
            *(line_of(unit.written(s)) for s in collation.sigla),
        ]


class CSVWriter(Writer):
    name = "csv"
    extension = ".csv"

    def dumps(self, collation: Collation) -> bytes:
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerows(rows(collation))
        return out.getvalue().encode("utf-8")


class TSVWriter(Writer):
    name = "tsv"
    extension = ".tsv"

    def dumps(self, collation: Collation) -> bytes:
        return "".join("\t".join(row) + "\n" for row in rows(collation)).encode("utf-8")
