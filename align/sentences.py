"""Sentence alignment: which sentences of the witnesses say the same thing.

Dynamic programming over beads (1-1, 1-0, 0-1, 1-2, 2-1, 2-2), in the line of
Gale & Church and vecalign. A bead linking sentences gains
``similarity - threshold`` (minus a small penalty for merges and splits), a
sentence left alone gains nothing: so a sentence is linked only where its
similarity beats the threshold, and unrelated text stays alone instead of being
forced onto a neighbour.

More than two witnesses are aligned progressively: witness k is aligned to the
units built from witnesses 1..k-1, a unit scoring the best similarity any of
its witnesses gives. Similarities are computed in bulk (one ``cdist`` per
bead shape and witness), and the DP is vectorised along each row, so no
Python object is made per cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from .clean import match_key
from .model import Segmentation, Settings, Unit
from .scorers import Scorer, get_scorer

# Labels ("Sputnik:", "—") only pair with labels; two labels pair with this
# similarity, enough to make turn boundaries anchors when the sentences agree.
LABEL_SIMILARITY = 0.75

_SKIP_UNIT, _ONE_ONE, _TWO_ONE, _ONE_TWO, _TWO_TWO, _SKIP_NEW = range(6)
# (units consumed, new sentences consumed) per bead
_STEPS = {_SKIP_UNIT: (1, 0), _ONE_ONE: (1, 1), _TWO_ONE: (2, 1), _ONE_TWO: (1, 2), _TWO_TWO: (2, 2), _SKIP_NEW: (0, 1)}
_NEG = np.float32(-1e9)


@dataclass
class _Group:
    """A unit under construction."""

    sentences: dict[str, list[int]]
    label: bool
    scores: list[float] = field(default_factory=list)
    alone: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Bead:
    """A step of the alignment path: units ``[i0, i1)`` with new sentences ``[j0, j1)``."""

    i0: int
    i1: int
    j0: int
    j1: int
    score: float


def _similarities(
    scorer: Scorer, left: Sequence[Sequence[str]], right: Sequence[str]
) -> np.ndarray:
    """Max over the left witnesses of scorer(left_w, right); empty strings score 0."""
    out = np.zeros((len(left[0]) if left else 0, len(right)), dtype=np.float32)
    right_empty = np.array([not r for r in right], dtype=bool)
    for keys in left:
        rows = [i for i, k in enumerate(keys) if k]
        if not rows or not right:
            continue
        sims = scorer([keys[i] for i in rows], list(right))
        np.maximum(out[rows], sims, out=sims)
        out[rows] = sims
    out[:, right_empty] = 0.0
    return out


def _pairs(keys: Sequence[str]) -> list[str]:
    return [f"{a} {b}".strip() if a and b else "" for a, b in zip(keys, keys[1:])]


def align_path(
    unit_keys: Sequence[Sequence[str]],
    unit_label: Sequence[bool],
    keys: Sequence[str],
    label: Sequence[bool],
    scorer: Scorer,
    threshold: float,
    merge_penalty: float,
) -> tuple[list[Bead], np.ndarray]:
    """Best bead path between units (keys per earlier witness) and new sentences.

    Returns the beads and the 1-1 similarity matrix (for confidences)."""
    n, m = len(unit_label), len(keys)
    ul = np.asarray(unit_label, dtype=bool)
    nl = np.asarray(label, dtype=bool)
    s11 = _similarities(scorer, unit_keys, keys)
    both_labels = ul[:, None] & nl[None, :]
    s11 = np.where(both_labels, np.float32(LABEL_SIMILARITY), np.where(ul[:, None] | nl[None, :], 0.0, s11)).astype(np.float32)
    s21 = _similarities(scorer, [_pairs(k) for k in unit_keys], keys)
    s12 = _similarities(scorer, unit_keys, _pairs(keys))
    s22 = _similarities(scorer, [_pairs(k) for k in unit_keys], _pairs(keys))
    # Merges never involve labels.
    ul2 = ul[:-1] | ul[1:] if n > 1 else np.zeros(0, bool)
    nl2 = nl[:-1] | nl[1:] if m > 1 else np.zeros(0, bool)
    s21[ul2, :] = 0.0
    s21[:, nl] = 0.0
    s12[ul, :] = 0.0
    s12[:, nl2] = 0.0
    s22[ul2, :] = 0.0
    s22[:, nl2] = 0.0

    raw = {_ONE_ONE: s11, _TWO_ONE: s21, _ONE_TWO: s12, _TWO_TWO: s22}

    score = np.full((n + 1, m + 1), _NEG, dtype=np.float32)
    back = np.zeros((n + 1, m + 1), dtype=np.int8)
    cols = np.arange(m + 1)
    for i in range(n + 1):
        cand = np.full(m + 1, _NEG, dtype=np.float32)
        kind = np.full(m + 1, _SKIP_NEW, dtype=np.int8)
        if i == 0:
            cand[0] = 0.0
        else:
            options = [(_SKIP_UNIT, score[i - 1], 0, None)]
            options.append((_ONE_ONE, score[i - 1, :-1], 1, s11[i - 1] - threshold))
            if m > 1:
                options.append((_ONE_TWO, score[i - 1, :-2], 2, s12[i - 1] - threshold - merge_penalty))
            if i > 1:
                options.append((_TWO_ONE, score[i - 2, :-1], 1, s21[i - 2] - threshold - merge_penalty))
                if m > 1:
                    options.append((_TWO_TWO, score[i - 2, :-2], 2, s22[i - 2] - threshold - 2 * merge_penalty))
            for code, prev, dj, gain in options:
                value = prev if gain is None else prev + gain
                target = cand[dj:]
                better = value > target
                target[better] = value[better]
                kind[dj:][better] = code
        # 0-1 beads chain along the row at no cost: a running maximum.
        best = np.maximum.accumulate(cand)
        source = np.maximum.accumulate(np.where(cand >= best, cols, 0))
        score[i] = best
        back[i] = np.where(source == cols, kind, _SKIP_NEW)

    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        code = int(back[i, j])
        di, dj = _STEPS[code]
        if code == _SKIP_NEW and j == 0:  # unreachable guard
            di, dj = 1, 0
        offset = {_ONE_ONE: (1, 1), _TWO_ONE: (2, 1), _ONE_TWO: (1, 2), _TWO_TWO: (2, 2)}.get(code)
        sim = float(raw[code][i - offset[0], j - offset[1]]) if offset else 0.0
        beads.append(Bead(i - di, i, j - dj, j, sim))
        i, j = i - di, j - dj
    beads.reverse()
    return beads, raw[_ONE_ONE]


def align_sentences(segmentations: Sequence[Segmentation], settings: Settings) -> list[Unit]:
    """Align the sentences of all witnesses into units, in reading order."""
    scorer = get_scorer(settings.scorer)
    keys = {seg.witness.sigil: [match_key(s.text) for s in seg.sentences] for seg in segmentations}
    first = segmentations[0]
    groups = [
        _Group({first.witness.sigil: [s.index]}, s.kind == "label") for s in first.sentences
    ]
    done = [first.witness.sigil]
    for seg in segmentations[1:]:
        sigil = seg.witness.sigil
        unit_keys = [
            [" ".join(keys[w][k] for k in g.sentences.get(w, [])) for g in groups] for w in done
        ]
        beads, s11 = align_path(
            unit_keys,
            [g.label for g in groups],
            keys[sigil],
            [s.kind == "label" for s in seg.sentences],
            scorer,
            settings.threshold,
            settings.merge_penalty,
        )
        best_for_unit = s11.max(axis=1) if s11.size else np.zeros(len(groups))
        best_for_new = s11.max(axis=0) if s11.size else np.zeros(len(seg.sentences))
        new_groups: list[_Group] = []
        for bead in beads:
            olds = groups[bead.i0 : bead.i1]
            news = list(range(bead.j0, bead.j1))
            if olds and news:
                merged = _Group({}, olds[0].label)
                for g in olds:
                    for w, idx in g.sentences.items():
                        merged.sentences.setdefault(w, []).extend(idx)
                    merged.scores.extend(g.scores)
                merged.sentences[sigil] = news
                merged.scores.append(bead.score)
                new_groups.append(merged)
            elif olds:
                g = olds[0]
                g.alone.append(1.0 - float(best_for_unit[bead.i0]))
                new_groups.append(g)
            else:
                j = news[0]
                new_groups.append(
                    _Group({sigil: [j]}, seg.sentences[j].kind == "label", alone=[1.0 - float(best_for_new[j])])
                )
        groups = new_groups
        done.append(sigil)

    sigla = [seg.witness.sigil for seg in segmentations]
    units = []
    for n, g in enumerate(groups, start=1):
        confidence = float(np.mean(g.scores)) if g.scores else (min(g.alone) if g.alone else 1.0)
        units.append(
            Unit(
                n=n,
                kind="label" if g.label else "sentence",
                sentences={s: tuple(g.sentences.get(s, ())) for s in sigla},
                confidence=round(max(0.0, min(1.0, confidence)), 3),
            )
        )
    return units
