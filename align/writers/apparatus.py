"""A plain-text critical apparatus, as a printed edition has it.

The base text (``Settings.base``, else the first witness) is printed unit by
unit, each line numbered as the TEI's ``<seg n>``; under it, one entry per
place of variation, positive (the lemma's witnesses named too)::

    12 The quick brown fox jumps.
       quick A] om. B  (gap)
       jumps A] leaps high B  (lexical)
       post fox] add. red C  (gap)
       deest D  (gap)
       deest E, cf. 40  (transposition)

``om.`` marks a witness that lacks the lemma, ``post X] add.`` text a witness
has where the base has none (``X`` the base's preceding word; ``ante X`` at
the start of a unit), ``deest`` witnesses with nothing in the unit (with
``cf.`` the units where a witness says it elsewhere). Long sigla are printed
as letters, keyed in the header. Where the
base itself lacks a unit, the first witness that has it stands in, said so in
brackets. Speaker labels are printed as lines of their own; material set apart
from the collation (page furniture, other news) is summarised at the end.
"""

from __future__ import annotations

from collections import Counter

from ..model import App, Collation, Unit, line_of
from ..words import unit_type
from .base import Writer, said_elsewhere


def short_sigla(sigla: tuple[str, ...]) -> dict[str, str]:
    """Sigla as the apparatus prints them: the collation's own where all are at
    most 12 characters (names a user gave), else letters (A, B, ..., Z, AA,
    ...) keyed in the header, as a printed edition does with long shelfmarks."""
    if all(len(s) <= 12 for s in sigla):
        return {s: s for s in sigla}

    def letters(k: int) -> str:
        return letters(k // 26 - 1) + chr(65 + k % 26) if k >= 26 else chr(65 + k)

    return {s: letters(k) for k, s in enumerate(sigla)}


def _neighbour_word(texts: list[str], before: bool) -> str:
    words = "".join(texts).split()
    if not words:
        return ""
    return words[-1] if before else words[0]


def entries(unit: Unit, reference: str, collation: Collation, names: dict[str, str]) -> list[str]:
    """The apparatus entries of one unit against the reference witness's text."""

    def _sigla(wits) -> str:
        return " ".join(names[w] for w in wits)

    lines = []
    for k, piece in enumerate(unit.pieces):
        if not isinstance(piece, App):
            continue
        lemma = piece.reading_of(reference)
        others = [r for r in piece.readings if r is not lemma]
        if lemma.text:
            readings = "; ".join(f"{r.text or 'om.'} {_sigla(r.wits)}" for r in others)
            lines.append(f"{lemma.text} {_sigla(lemma.wits)}] {readings}  ({piece.type})")
            continue
        before = [p.written(reference) for p in unit.pieces[:k]]
        after = [p.written(reference) for p in unit.pieces[k + 1 :]]
        word = _neighbour_word(before, before=True)
        place = f"post {word}" if word else f"ante {_neighbour_word(after, before=False)}".rstrip()
        readings = "; ".join(f"add. {r.text} {_sigla(r.wits)}" for r in others if r.text)
        lines.append(f"{place}] {readings}  ({piece.type})")
    moved = said_elsewhere(collation, unit)
    plain = [s for s in unit.absent() if s not in moved]
    if plain:
        lines.append(f"deest {_sigla(plain)}  (gap)")
    for sigil, places in moved.items():
        lines.append(f"deest {_sigla([sigil])}, cf. {', '.join(map(str, places))}  "
                     f"({unit_type(unit, collation.transpositions, (sigil,))})")
    return lines


def apparatus(collation: Collation) -> str:
    base = collation.settings.base or collation.sigla[0]
    names = short_sigla(collation.sigla)
    lines = [f"Apparatus of {len(collation.witnesses)} witnesses; base text {names[base]}.", "Witnesses:"]
    lines += [f"  {names[w.sigil]} = {w.sigil}: {w.label}" if names[w.sigil] != w.sigil else f"  {w.sigil}: {w.label}"
              for w in collation.witnesses]
    lines += [f"Made by {collation.signature()}", ""]
    set_apart: Counter[tuple[str, str]] = Counter()
    for unit in collation.units:
        if unit.part != "body":
            set_apart.update((unit.part, sigil) for sigil in unit.witnesses_present())
            continue
        reference = base if unit.sentences.get(base) else unit.witnesses_present()[0]
        text = line_of(unit.written(reference))
        if reference != base:
            text = f"[{names[base]} deest; text of {names[reference]}] {text}"
        lines.append(f"{unit.n} {text}")
        lines += [f"   {entry}" for entry in entries(unit, reference, collation, names)]
    if set_apart:
        lines += ["", "Set apart (not collated):"]
        where = {"front": "before the text", "back": "after the text"}
        lines += [f"  {names[sigil]}: {set_apart[(part, sigil)]} unit(s) {where[part]}"
                  for part in where for sigil in collation.sigla if set_apart[(part, sigil)]]
    return "\n".join(lines) + "\n"


class ApparatusWriter(Writer):
    name = "apparatus"
    extension = ".txt"

    def dumps(self, collation: Collation) -> bytes:
        return apparatus(collation).encode("utf-8")
