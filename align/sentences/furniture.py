"""Page furniture: a witness's leading and trailing material that renders nothing of the text."""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from ..model import Unit


def set_apart(units: Sequence[Unit], linked: dict[str, set[int]]) -> list[Unit]:
    """Mark units of one witness's leading or trailing material (before its first
    or after its last sentence linked to another witness) as ``front``/``back``.

    ``linked``: per witness, its sentences linked in a unit or a transposition.
    A run that holds a speaker label is the text going on (a retelling that
    covers part of an interview), not page furniture: it stays in the body.
    A witness with no linked sentence at all (an unrelated text, which the
    caller warns about) has no leading or trailing material: it stays whole."""
    first = {s: min(v) for s, v in linked.items() if v}
    last = {s: max(v) for s, v in linked.items() if v}
    lead: dict[str, bool] = {}
    trail: dict[str, bool] = {}
    for unit in units:
        if unit.kind == "label":
            for s, idx in unit.sentences.items():
                if idx and s in first and min(idx) < first[s]:
                    lead[s] = True
                if idx and s in last and max(idx) > last[s]:
                    trail[s] = True
    out = []
    for unit in units:
        present = unit.witnesses_present()
        part = "body"
        if present and all(s in first and max(unit.sentences[s]) < first[s] and not lead.get(s) for s in present):
            part = "front"
        elif present and all(s in last and min(unit.sentences[s]) > last[s] and not trail.get(s) for s in present):
            part = "back"
        out.append(replace(unit, part=part))
    return out
