"""CollateX's alignment-table JSON, so that tools built for CollateX read a collation.

The layout is that of CollateX's Python port (``collate(..., output="json")``,
version 2.3)::

    {"witnesses": ["A", "B"],
     "table": [[cell, cell, ...],      # witness A, one cell per column
               [cell, cell, ...]]}     # witness B
    cell = null | [{"t": "brown ", "n": "brown", "_sigil": "A", "_token_array_position": 2}, ...]

A column is a piece of a unit: text the witnesses share (several tokens in one
cell, as CollateX's segmented table has them) or one place of variation. A
witness with an empty reading, or absent from the unit, has ``null``. Tokens
carry their trailing whitespace in ``t`` (a blank line where the witness starts a
paragraph), so joining a witness's ``t`` s gives its text back. Set-apart material (front/back) is there too, as columns only
its witness fills, so nothing is lost. CollateX's Java tools write the same
table transposed (one array per column); an ``align`` key, which CollateX
readers ignore, records the unit, part and type of every column and the
settings' signature.
"""

from __future__ import annotations

import json
import re
from typing import Any, Optional

from ..model import App, Collation, Unit
from .base import Writer

# CollateX's default tokenizer: a word with its whitespace, or a run of other characters.
_TOKEN = re.compile(r"\w+\s*|[^\w\s]+\s*", re.UNICODE)


def _cells(unit: Unit, sigil: str) -> list[str]:
    """The witness's text in each column of the unit ('' where it has nothing)."""
    if not unit.sentences.get(sigil):
        return ["" for _ in unit.pieces]
    return [p.written(sigil) for p in unit.pieces]


def _columns(unit: Unit) -> list[dict[str, Any]]:
    return [
        {"unit": unit.n, "part": unit.part, "kind": unit.kind,
         "type": piece.type if isinstance(piece, App) else None}
        for piece in unit.pieces
    ]


def _tokens(sigil: str, texts: list[str], first_position: int) -> list[Optional[list[dict[str, Any]]]]:
    """Cells of tokens from a witness's column texts. Our pieces carry their
    leading space; CollateX's tokens carry trailing whitespace, so each space
    moves to the end of the witness's previous token."""
    cells: list[Optional[list[dict[str, Any]]]] = []
    position = first_position
    last: Optional[dict[str, Any]] = None
    for text in texts:
        stripped = text.lstrip()
        if last is not None and stripped != text:
            last["t"] = last["t"].rstrip() + text[: len(text) - len(stripped)]
        if not stripped:
            cells.append(None)
            continue
        cell = []
        for match in _TOKEN.finditer(stripped):
            token = {"_sigil": sigil, "_token_array_position": position, "n": match.group().strip(), "t": match.group()}
            cell.append(token)
            position += 1
        cells.append(cell)
        last = cell[-1]
    return cells


def table(collation: Collation) -> dict[str, Any]:
    """The alignment table as a JSON-ready dict (see the module's doc)."""
    rows = []
    position = 0
    for sigil in collation.sigla:
        texts: list[str] = []
        paragraph = None
        for unit in collation.units:
            cells = _cells(unit, sigil)
            if unit.sentences.get(sigil):
                # A unit's text follows the previous one's after a space, or a blank line
                # where the witness starts a paragraph (so that its text reads back whole).
                first = collation.sentences(sigil)[unit.sentences[sigil][0]].paragraph
                joint = " " if paragraph in (None, first) else "\n\n"
                paragraph = first
                for k, text in enumerate(cells):
                    if text:
                        cells[k] = joint + text.lstrip()
                        break
            texts.extend(cells)
        row = _tokens(sigil, texts, position)
        position += sum(len(c) for c in row if c) + 1  # CollateX leaves one position between witnesses
        rows.append(row)
    return {
        "witnesses": list(collation.sigla),
        "table": rows,
        "align": {
            "signature": collation.signature(),
            "sources": {w.sigil: w.file_name for w in collation.witnesses},
            "columns": [c for unit in collation.units for c in _columns(unit)],
        },
    }


def witness_text(data: dict[str, Any], sigil: str) -> str:
    """A witness's text read back from the table (the concatenated ``t`` s)."""
    row = data["table"][data["witnesses"].index(sigil)]
    return "".join(token["t"] for cell in row if cell for token in cell).strip()


class CollateXWriter(Writer):
    name = "json"
    extension = ".json"

    def dumps(self, collation: Collation) -> bytes:
        return (json.dumps(table(collation), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
