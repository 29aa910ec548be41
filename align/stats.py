"""Statistics of a collation: how alike the witnesses are, and what the units and variants look like.

For each pair of witnesses:

* ``shared`` — the share of each witness's sentences linked to the other (in a
  unit or by a transposition);
* ``similarity`` — over the units both take part in, the share of their words
  the two read alike (shared text, or the same reading of a place of variation).

Then, over the collated body, counts of units by shape (sentences of each
witness, in witness order: ``1-1``, ``2-1``, ``1-0``...), of places of variation
by type (a unit some witness lacks counts as one ``gap`` or ``transposition``,
as the TEI writes it), and a histogram of unit confidences (ten bins of 0.1).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from itertools import combinations
from typing import Any

from .clean import words
from .model import App, Collation, Text
from .words import unit_type


@dataclass(frozen=True)
class PairStats:
    a: str
    b: str
    similarity: float
    shared_a: float
    shared_b: float


@dataclass
class Stats:
    witnesses: list[str]
    sentences: dict[str, dict[str, int]]
    pairs: list[PairStats] = field(default_factory=list)
    shapes: dict[str, int] = field(default_factory=dict)
    variants: dict[str, int] = field(default_factory=dict)
    confidence: list[int] = field(default_factory=list)
    transpositions: int = 0
    # Links beside the units that are no transposition (align.model.Transposition.kind).
    merges: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _pair(collation: Collation, a: str, b: str) -> PairStats:
    alike = total = 0
    for unit in collation.units:
        if not (unit.sentences.get(a) and unit.sentences.get(b)):
            continue
        for piece in unit.pieces:
            if isinstance(piece, Text):
                n = len(words(piece.text))
                alike, total = alike + 2 * n, total + 2 * n
            else:
                ra, rb = piece.reading_of(a), piece.reading_of(b)
                na, nb = len(words(ra.text)), len(words(rb.text))
                total += na + nb
                if ra is rb:
                    alike += na + nb
    links = collation.pair_links(a, b)
    linked_a = {i for x, _ in links for i in x}
    linked_b = {i for _, y in links for i in y}

    def share(sigil: str, linked: set[int]) -> float:
        own = [s for s in collation.sentences(sigil) if s.kind == "sentence"]
        return round(len(linked) / len(own), 3) if own else 0.0

    return PairStats(a, b, round(alike / total, 3) if total else 0.0, share(a, linked_a), share(b, linked_b))


def collation_stats(collation: Collation) -> Stats:
    shapes: Counter[str] = Counter()
    variants: Counter[str] = Counter()
    bins = [0] * 10
    for unit in collation.units:
        # Set-apart material is counted per witness (``sentences``), not as units.
        if unit.kind != "sentence" or unit.part != "body":
            continue
        shapes[unit.shape] += 1
        bins[min(9, int(unit.confidence * 10))] += 1
        if unit.absent():
            # A unit some witnesses lack is one variant for them (a gap, or a
            # transposition), however many places the TEI gives its words.
            variants[unit_type(unit, collation.transpositions)] += 1
        variants.update(p.type for p in unit.pieces if isinstance(p, App))
    return Stats(
        witnesses=list(collation.sigla),
        sentences=collation.sentence_counts(),
        pairs=[_pair(collation, a, b) for a, b in combinations(collation.sigla, 2)],
        shapes=dict(sorted(shapes.items(), key=lambda kv: (-kv[1], kv[0]))),
        variants=dict(sorted(variants.items(), key=lambda kv: (-kv[1], kv[0]))),
        confidence=bins,
        transpositions=len(collation.moved),
        merges=len(collation.merges),
    )


def format_stats(stats: Stats) -> str:
    """Plain text, one section per kind of count."""
    lines = ["witnesses (sentences collated / set apart):"]
    for sigil in stats.witnesses:
        counts = stats.sentences[sigil]
        lines.append(f"  {sigil}: {counts['collated']} / {counts['set_apart']}")
    lines.append("pairs (similarity; share of each one's sentences linked to the other):")
    for p in stats.pairs:
        lines.append(f"  {p.a} ~ {p.b}: similarity {p.similarity:.3f}; shared {p.shared_a:.3f} / {p.shared_b:.3f}")
    lines.append(f"units by shape (sentences of {'-'.join(stats.witnesses)}):")
    lines.extend(f"  {shape}: {count}" for shape, count in stats.shapes.items())
    lines.append(f"transpositions: {stats.transpositions}" + (f"; merges: {stats.merges}" if stats.merges else ""))
    lines.append("variants by type:")
    lines.extend(f"  {kind}: {count}" for kind, count in stats.variants.items())
    lines.append("unit confidence:")
    peak = max(stats.confidence) or 1
    for k, count in enumerate(stats.confidence):
        lines.append(f"  {k / 10:.1f}-{(k + 1) / 10:.1f} {count:5d} {'#' * round(40 * count / peak)}")
    return "\n".join(lines)
