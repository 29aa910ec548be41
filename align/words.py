"""Word collation: inside each unit, align the witnesses' tokens and mark every difference.

The first witness present in a unit is its base. Each other witness is aligned
to the base with rapidfuzz's Levenshtein opcodes over the tokens' matching
forms (``difflib``'s vocabulary: equal, replace, insert, delete). A non-equal
region is refined so that near matches (``Zhomart``/``Jomart``) stand against
each other as variants of one word. The differing regions of all witnesses are
then merged, in base coordinates, into places of variation (:class:`App`);
what lies between them is shared by every witness (:class:`Text`), unless the
witnesses spell the same word differently, which is a one-word :class:`App`.

Variant types (``App.type``) form a small taxonomy scholars know; see
:data:`VARIANT_TYPES`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .clean import is_punctuation, tokenize
from .model import App, Piece, Reading, Segmentation, Settings, Text, Token, Transposition, Unit

VARIANT_TYPES: dict[str, str] = {
    "orthographic": "spelling or transliteration variants of the same words (Zhomart/Jomart)",
    "case": "the same words in different letter case",
    "punctuation": "the same words with different punctuation",
    "lexical": "different words",
    "transposition": "the same words in another order",
    "gap": "text present in some witnesses and absent in others",
    "editorial": "bracketed editorial insertions such as [member] or [...]",
}

_SPACE = re.compile(r"\s+")


def surface(tokens: Sequence[Token], source: str) -> str:
    """What the witness says across these tokens, whitespace collapsed."""
    if not tokens:
        return ""
    return _SPACE.sub(" ", source[tokens[0].start : tokens[-1].end])


def line_of(texts: Sequence[str]) -> str:
    """A witness's line from its piece texts: each piece carries its own
    leading space (one, where the witness has whitespace before it)."""
    return " ".join("".join(texts).split())


def _similar(a: str, b: str, threshold: float) -> bool:
    if is_punctuation(a) or is_punctuation(b):
        return a == b
    return fuzz.ratio(a, b) >= threshold * 100


def _refine(base: Sequence[Token], other: Sequence[Token], i0: int, j0: int, threshold: float):
    """Split a differing region at near matches: returns sub-regions (i1, i2, j1, j2)
    in absolute token positions, with the near-matched pairs as 1:1 regions."""
    n, m = len(base), len(other)
    if n == 0 or m == 0 or n * m > 2500:
        return [(i0, i0 + n, j0, j0 + m)]
    # Longest chain of near matches (an LCS over similarity), small by construction.
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            match = best[i + 1][j + 1] + 1 if _similar(base[i].norm, other[j].norm, threshold) else 0
            best[i][j] = max(match, best[i + 1][j], best[i][j + 1])
    anchors = []
    i = j = 0
    while i < n and j < m:
        if _similar(base[i].norm, other[j].norm, threshold) and best[i][j] == best[i + 1][j + 1] + 1:
            anchors.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    regions = []
    pi = pj = 0
    for ai, aj in anchors + [(n, m)]:
        if ai > pi or aj > pj:
            regions.append((i0 + pi, i0 + ai, j0 + pj, j0 + aj))
        if ai < n:
            regions.append((i0 + ai, i0 + ai + 1, j0 + aj, j0 + aj + 1))
        pi, pj = ai + 1, aj + 1
    return regions


def _regions(base: Sequence[Token], other: Sequence[Token], threshold: float):
    """Differing regions of ``other`` against ``base`` and its cut points.

    Returns (regions, lo, hi): regions are (i1, i2, j1, j2); ``lo[k]:hi[k]`` are
    the tokens ``other`` inserts before base token k (``lo == hi`` elsewhere)."""
    n = len(base)
    lo = [0] * n + [len(other)]
    hi = [0] * n + [len(other)]
    regions = []
    ops = Levenshtein.opcodes([t.norm for t in base], [t.norm for t in other])
    # Merge consecutive non-equal opcodes into one region first.
    merged: list[list[int]] = []
    for op in ops:
        if op.tag == "equal":
            for k in range(op.src_end - op.src_start):
                lo[op.src_start + k] = hi[op.src_start + k] = op.dest_start + k
            continue
        if merged and merged[-1][1] == op.src_start and merged[-1][3] == op.dest_start:
            merged[-1][1], merged[-1][3] = op.src_end, op.dest_end
        else:
            merged.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    inserted = set()
    for i1, i2, j1, j2 in merged:
        for r in _refine(base[i1:i2], other[j1:j2], i1, j1, threshold):
            ri1, ri2, rj1, rj2 = r
            if ri1 == ri2:
                lo[ri1], hi[ri1] = rj1, rj2
                inserted.add(ri1)
            else:
                # After an insertion at the same place, the region starts where it ends.
                hi[ri1] = rj1
                if ri1 not in inserted:
                    lo[ri1] = rj1
            regions.append(r)
    # Only near-match 1:1 regions of equal text would be spurious; drop them.
    regions = [r for r in regions if not (r[1] - r[0] == 1 and r[3] - r[2] == 1 and base[r[0]].norm == other[r[2]].norm)]
    return regions, lo, hi


def _conflict(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two places overlap (an insertion point only inside, not at the edge)."""
    (s1, e1), (s2, e2) = a, b
    if s1 == e1 and s2 == e2:
        return s1 == s2
    if s1 == e1:
        return s2 < s1 < e2
    if s2 == e2:
        return s1 < s2 < e1
    return s1 < e2 and s2 < e1


def _spans(all_regions: Sequence[Sequence[tuple[int, int, int, int]]]) -> list[tuple[int, int]]:
    """Merge every witness's regions into places of variation, in base coordinates."""
    spans: list[tuple[int, int]] = []
    for s, e in sorted({(r[0], r[1]) for regions in all_regions for r in regions}):
        current = (s, e)
        while True:
            hit = next((x for x in spans if _conflict(x, current)), None)
            if hit is None:
                break
            spans.remove(hit)
            current = (min(hit[0], current[0]), max(hit[1], current[1]))
        spans.append(current)
    return sorted(spans, key=lambda se: (se[0], se[1] != se[0], se[1]))


def spelling_variant(a: str, b: str) -> bool:
    """Whether two words are spellings of one word (Vasilievich/Vasilyevich,
    Zhomart/Jomart): few edits relative to their length, similar lengths."""
    a, b = a.casefold(), b.casefold()
    shorter, longer = sorted((len(a), len(b)))
    if shorter < 3 or shorter / longer < 0.8:
        return False
    return Levenshtein.distance(a, b) <= max(1, (longer + 1) // 3)


def _bracketed(token: Token) -> bool:
    return token.text.startswith("[") and token.text.endswith("]")


def classify(readings: Sequence[Sequence[Token]]) -> str:
    """The variant type of a place (see :data:`VARIANT_TYPES`), from the readings' tokens."""
    words = [[t for t in r if not is_punctuation(t.norm)] for r in readings]
    if any(not r for r in readings):
        present = [t for r in words for t in r]
        if not present:
            return "punctuation"
        if all(_bracketed(t) for t in present):
            return "editorial"
        return "gap"
    norms = [[t.norm for t in r] for r in words]
    if all(n == norms[0] for n in norms):
        cased = [[t.text for t in r] for r in words]
        if all(c == cased[0] for c in cased):
            return "punctuation"
        if all([w.lower() for w in c] == [w.lower() for w in cased[0]] for c in cased):
            return "case"
        return "orthographic"
    if all(sorted(n) == sorted(norms[0]) for n in norms):
        return "transposition"
    unbracketed = [[t.norm for t in r if not _bracketed(t)] for r in words]
    if all(u == unbracketed[0] for u in unbracketed):
        return "editorial"
    if all(len(n) == len(norms[0]) for n in norms) and all(
        spelling_variant(a, b) for n in norms[1:] for a, b in zip(norms[0], n)
    ):
        return "orthographic"
    return "lexical"


def collate_unit(unit: Unit, segmentations: dict[str, Segmentation], settings: Settings) -> tuple[Piece, ...]:
    """The pieces of one unit: shared text and places of variation, in base order."""
    # Only the witnesses present take part: a witness with nothing in the unit is
    # absent from all of it (one place), not from each word.
    sigla = list(unit.witnesses_present()) or list(unit.sentences)
    tokens: dict[str, list[Token]] = {}
    for sigil in sigla:
        seg = segmentations[sigil]
        tokens[sigil] = [t for i in unit.sentences[sigil] for t in tokenize(seg.sentences[i].text, seg.sentences[i].start)]
    base_sigil = next((s for s in sigla if tokens[s]), sigla[0])
    base = tokens[base_sigil]
    text = {s: segmentations[s].witness.text for s in sigla}
    cuts: dict[str, tuple[list[int], list[int]]] = {base_sigil: (list(range(len(base) + 1)), list(range(len(base) + 1)))}
    all_regions = []
    for sigil in sigla:
        if sigil == base_sigil:
            continue
        regions, lo, hi = _regions(base, tokens[sigil], settings.token_threshold)
        all_regions.append(regions)
        cuts[sigil] = (lo, hi)

    spans = _spans(all_regions)
    # Columns outside the spans agree in matching form; if their spelling differs
    # they still are variants (case, punctuation marks, quotes).
    in_span = set()
    for s, e in spans:
        in_span.update(range(s, e))
    def spaced(sigil: str, index: int) -> bool | None:
        # Whether the witness has whitespace before its token; unknown (None)
        # at the unit's start, where nothing of this witness precedes it.
        if index == 0:
            return None
        start = tokens[sigil][index].start
        return text[sigil][start - 1].isspace()

    for k in range(len(base)):
        if k in in_span:
            continue
        forms = {tokens[s][cuts[s][1][k]].text for s in sigla}
        spaces = {spaced(s, cuts[s][1][k]) for s in sigla} - {None}
        if len(forms) > 1 or len(spaces) > 1:
            spans.append((k, k + 1))
    spans.sort(key=lambda se: (se[0], se[1] != se[0], se[1]))

    def reading(sigil: str, s: int, e: int, lead: bool = False, tail: bool = False) -> tuple[int, int]:
        # Tokens of base positions s..e; with ``lead``/``tail``, also what the
        # witness inserts before s / before e (a place joined with an insertion point).
        lo, hi = cuts[sigil]
        if s == e:
            return lo[s], hi[s]
        return (lo[s] if lead else hi[s]), (hi[e] if tail else lo[e])

    pieces: list[Piece] = []
    pos = 0

    def shared(upto: int) -> None:
        if upto > pos:
            # Every witness that has something before agrees on the space (checked above).
            lead = any(spaced(s, cuts[s][1][pos]) for s in sigla)
            pieces.append(Text(surface(base[pos:upto], text[base_sigil]), lead))

    def app(s: int, e: int, head: bool = False, tail: bool = False) -> tuple[App, dict[str, list[Token]]]:
        per_witness: dict[str, list[Token]] = {}
        groups: dict[tuple[str, bool], list[str]] = {}
        for sig in sigla:
            i, j = reading(sig, s, e, head, tail)
            own = per_witness[sig] = tokens[sig][i:j]
            lead = bool(own) and spaced(sig, i) is True
            groups.setdefault((surface(own, text[sig]), lead), []).append(sig)
        readings = tuple(Reading(tuple(w), t, lead) for (t, lead), w in groups.items())
        return App(readings, classify([per_witness[w[0]] for w in groups.values()])), per_witness

    last: tuple[int, int] | None = None
    opens_with_insertion = False
    for s, e in spans:
        if last is not None and pos == s and s > last[0]:
            # Adjacent places of the same kind read better as one (three case
            # variants in a row are one "collective security treaty").
            joined, _ = app(last[0], e, head=opens_with_insertion, tail=s == e)
            previous = pieces[-1]
            if isinstance(previous, App) and joined.type == previous.type == app(s, e)[0].type:
                pieces[-1] = joined
                last, pos = (last[0], e), e
                continue
        shared(s)
        pieces.append(app(s, e)[0])
        last, pos = (s, e), e
        opens_with_insertion = s == e
    shared(len(base))
    return tuple(pieces)



def unit_type(unit: Unit, transpositions: Sequence[Transposition]) -> str:
    """The type of the place a whole unit is, for the witnesses absent from it:
    a transposition where its sentences are said at another place, else a gap."""
    moved = any(i in t.sentences.get(s, ()) for t in transpositions for s, idx in unit.sentences.items() for i in idx)
    return "transposition" if moved else "gap"
