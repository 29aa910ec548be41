"""Page furniture: a witness's leading and trailing material that renders nothing
of the text, and boilerplate lines ("Read more", "Save", dates) that must never
link the pages they sit on."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Mapping, Optional, Sequence

from ..model import Unit

# A line with fewer content words than this (function words, numbers and
# one-letter words do not count) says nothing of its own: "Read more", "Save",
# "Go back", a date. Two such lines of different pages are alike by chance.
FURNITURE_WORDS = 3
# Links that say something, below which a text is too short to have a page around it.
MIN_BODY = 3


# Asked of every sentence by several stages (furniture, relatedness, edges): sized
# like align.clean.match_key's cache, for a book-length pair.
@lru_cache(maxsize=1 << 18)
def content_count(key: str, language: str = "english") -> int:
    """The content words of a matching key: the words that are not function
    words, not numbers (a date, a count) and longer than one letter."""
    from ..scorers.content import stopwords

    stop = stopwords(language)
    return sum(1 for w in key.split() if w not in stop and len(w) > 1 and not w.replace(".", "").isdigit())


def furniture_like(key: str, language: str = "english") -> bool:
    """Too short to say anything of the text (see :data:`FURNITURE_WORDS`)."""
    return content_count(key, language) < FURNITURE_WORDS


def _is_link(unit: Unit) -> bool:
    return unit.kind == "sentence" and len(unit.witnesses_present()) > 1


def _spans(links: Sequence[Unit]) -> dict[str, tuple[int, int]]:
    """Per witness, its first and last sentence in ``links``."""
    seen: dict[str, list[int]] = {}
    for unit in links:
        for sigil, idx in unit.sentences.items():
            seen.setdefault(sigil, []).extend(idx)
    return {s: (min(v), max(v)) for s, v in seen.items() if v}


def _split(unit: Unit, away: Sequence[str]) -> list[Unit]:
    """The unit without the witnesses ``away``, then each of them alone (in the
    unit's witness order, so every witness keeps its reading order)."""
    present = unit.witnesses_present()
    keep = [s for s in present if s not in away]
    if len(keep) < 2:
        away, keep = list(present), []
    out = []
    if keep:
        out.append(replace(unit, sentences={s: (v if s in keep else ()) for s, v in unit.sentences.items()}))
    for sigil in (s for s in present if s in away):
        out.append(replace(unit, sentences={s: (v if s == sigil else ()) for s, v in unit.sentences.items()}))
    return out


def dissolve_furniture_links(
    units: Sequence[Unit], keys: Mapping[str, Sequence[str]], language: str = "english"
) -> list[Unit]:
    """Split links whose sentences are all furniture-like, except where the
    link lies inside the linked body of every witness it holds ("For how long?"
    between two answers is the text; "Read more" after the last answer is the page).

    The body is spanned by the links that are not furniture-like: boilerplate
    cannot stretch the body it is judged against. ``keys``: per witness, the
    matching keys of its sentences."""
    def trivial(unit: Unit) -> bool:
        return all(furniture_like(keys[s][i], language) for s, idx in unit.sentences.items() for i in idx)

    substantive = [u for u in units if _is_link(u) and not trivial(u)]
    if len(substantive) < MIN_BODY:
        return list(units)  # a few short sentences ("Then it slept."): too little to tell the page from the text
    body = _spans(substantive)
    out: list[Unit] = []
    for unit in units:
        if not (_is_link(unit) and trivial(unit)):
            out.append(unit)
            continue
        away = [
            s for s in unit.witnesses_present()
            if s not in body or not body[s][0] < min(unit.sentences[s]) <= max(unit.sentences[s]) < body[s][1]
        ]
        out.extend(_split(unit, away) if away else [unit])
    return out


# A link counts towards a witness's core when it is this sure (see
# align.sentences.confidence); a weak link outside every core needs this much
# content-word similarity (IDF-weighted cosine) to stand. SURE was chosen on
# the synoptic development pairs once the confidence model was fitted on the
# features the aligner sees (2026-12-06): mean pairs F1 0.616 at 0.9, 0.618 at
# 0.8 and 0.7, 0.619 at 0.6 and 0.5, flat; 0.8 keeps every link of every
# benchmark as it was, so the refit changed the confidences, not the links.
SURE = 0.8
EDGE_CONTENT = 0.25


def dissolve_weak_edges(
    units: Sequence[Unit], keys: Mapping[str, Sequence[str]], language: str = "english"
) -> list[Unit]:
    """Split weak links that lie outside the core of every witness they hold
    (before its first or after its last sure link) and share few content
    words: at the edges of pages, where news items, leads and comment forms
    sit, a link made of a shared formula ("CSTO Secretary General ... met",
    "... will be published") is chance, not a rendering. Inside the core the
    in-order path is trusted: there a loose paraphrase is the text going on."""
    from ..scorers.content import corpus_scorer

    core = _spans([u for u in units if _is_link(u) and u.confidence >= SURE])
    if not core:
        return list(units)
    scorer = corpus_scorer(keys, language)

    def outside(unit: Unit) -> bool:
        return all(s in core and (max(unit.sentences[s]) < core[s][0] or min(unit.sentences[s]) > core[s][1])
                   for s in unit.witnesses_present())

    def content(unit: Unit) -> float:
        texts = [" ".join(keys[s][i] for i in unit.sentences[s]) for s in unit.witnesses_present()]
        return float(scorer(texts[:1], texts[1:]).max())

    out: list[Unit] = []
    for unit in units:
        if _is_link(unit) and unit.confidence < SURE and outside(unit) and content(unit) < EDGE_CONTENT:
            out.extend(_split(unit, unit.witnesses_present()))
        else:
            out.append(unit)
    return out


def set_apart(
    units: Sequence[Unit], linked: dict[str, set[int]], renders: Optional[Mapping[str, set[int]]] = None
) -> list[Unit]:
    """Mark units of one witness's leading or trailing material (before its first
    or after its last sentence linked to another witness) as ``front``/``back``.

    ``linked``: per witness, its sentences linked in a unit or a transposition.
    ``renders``: per witness, sentences linked to nothing that still render
    something of the text (a report's headline, lead or closing paraphrase):
    the body starts at the first of them or of the linked sentences.
    A run that holds a speaker label is the text going on (a retelling that
    covers part of an interview), not page furniture: it stays in the body.
    A witness with no linked sentence at all (an unrelated text, which the
    caller warns about) has no leading or trailing material: it stays whole.
    A unit of several witnesses is never set apart: what links is the text."""
    renders = renders or {}
    first = {s: min(v | set(renders.get(s, ()))) for s, v in linked.items() if v}
    last = {s: max(v | set(renders.get(s, ()))) for s, v in linked.items() if v}
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
        if len(present) == 1:
            s = present[0]
            if s in first and max(unit.sentences[s]) < first[s] and not lead.get(s):
                part = "front"
            elif s in last and min(unit.sentences[s]) > last[s] and not trail.get(s):
                part = "back"
        out.append(replace(unit, part=part))
    return out
