"""Scoring a collation's sentence links against a hand alignment (a "gold").

Gold format (JSON)::

    {"witnesses": {"a": "000_....txt", "b": "001_....txt"},
     "links": [{"a": ["sentence text", ...], "b": ["sentence text", ...]}, ...]}

Sentences are given by their text (exact substrings of the witness), so a gold
does not depend on align's segmentation. Links with an empty side record
sentences that have no counterpart; they are not links and are not scored.

Scores follow the sentence-alignment literature (vecalign's scorer):
*strict* counts a link as found only if align links exactly the same sentences;
*lax* counts it as found if align links some sentence of each side together;
*pairs* expands every link to its sentence pairs (a 2-1 link is two pairs) and
counts the pairs that align puts in one unit.
"""

from __future__ import annotations

import json
from bisect import bisect_right
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Union

from .clean import repair_entities
from .errors import InputError
from .model import Collation, Sentence

Link = tuple[frozenset[int], frozenset[int]]


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    found: int
    gold: int
    predicted: int


def _score(found_gold: int, n_gold: int, correct_pred: int, n_pred: int) -> Score:
    p = correct_pred / n_pred if n_pred else 0.0
    r = found_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return Score(round(p, 4), round(r, 4), round(f, 4), found_gold, n_gold, n_pred)


@dataclass
class Evaluation:
    witnesses: tuple[str, str]
    strict: Score
    lax: Score
    pairs: Score
    missed: list[tuple[list[str], list[str]]] = field(default_factory=list)
    # Links align made for sentences the gold leaves without counterpart.
    spurious: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "witnesses": list(self.witnesses),
            "strict": self.strict.__dict__,
            "lax": self.lax.__dict__,
            "pairs": self.pairs.__dict__,
            "missed": [{"a": a, "b": b} for a, b in self.missed],
            "spurious": self.spurious,
        }


def load_gold(path: Union[str, os.PathLike[str]]) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as fh:
            gold = json.load(fh)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a gold alignment file ({exc})") from None
    if not isinstance(gold, dict) or not isinstance(gold.get("links"), list):
        raise InputError(f"{path}: a gold alignment needs a 'links' list")
    return gold




def _to_indices(spans: list[tuple[int, int]], sentences: tuple[Sentence, ...], starts: list[int]) -> frozenset[int]:
    """The segmented sentences that cover most of each gold span (``starts``: the sentences' starts)."""
    out = set()
    for start, end in spans:
        # Sentences are in text order: only those from the one before ``start`` can overlap.
        k = max(0, bisect_right(starts, start) - 1)
        while k < len(sentences) and sentences[k].start < end:
            s = sentences[k]
            overlap = min(end, s.end) - max(start, s.start)
            if s.kind == "sentence" and overlap > 0 and overlap >= 0.5 * min(end - start, s.end - s.start):
                out.add(s.index)
            k += 1
    return frozenset(out)


def _disambiguate(text: str, links: list[dict[str, Any]], side: str) -> list[list[tuple[int, int]]]:
    """Spans for each link's sentences, repeated texts taken at successive places."""
    used: dict[str, int] = {}
    out = []
    cursor = 0
    for link in links:
        spans = []
        for s in link.get(side, []):
            # Gold files quote the file as captured; witnesses have entities repaired.
            s = repair_entities(s)[0]
            # Golds mostly follow the text: look just after the previous sentence first.
            start = text.find(s, max(cursor, used.get(s, 0)), cursor + 4 * len(s) + 200)
            if start < 0:
                start = text.find(s, used.get(s, 0))
            if start < 0:
                start = text.find(s)
            if start < 0:
                raise InputError(f"gold sentence not found in witness {side!r}: {s[:60]!r}")
            used[s] = start + 1
            cursor = start + len(s)
            spans.append((start, start + len(s)))
        out.append(spans)
    return out


def evaluate(collation: Collation, gold: dict[str, Any], a: str, b: str) -> Evaluation:
    """Score the links between witnesses ``a`` and ``b`` of a collation against a gold."""
    wa, wb = collation.witness(a), collation.witness(b)
    sa, sb = collation.sentences(a), collation.sentences(b)
    links = gold["links"]
    spans_a = _disambiguate(wa.text, links, "a")
    spans_b = _disambiguate(wb.text, links, "b")
    gold_links: list[tuple[Link, tuple[list[str], list[str]]]] = []
    alone_a: set[int] = set()
    alone_b: set[int] = set()
    starts_a, starts_b = [s.start for s in sa], [s.start for s in sb]
    for link, xa, xb in zip(links, spans_a, spans_b):
        if xa and xb:
            gold_links.append(((_to_indices(xa, sa, starts_a), _to_indices(xb, sb, starts_b)), (link["a"], link["b"])))
        else:
            alone_a |= _to_indices(xa, sa, starts_a)
            alone_b |= _to_indices(xb, sb, starts_b)

    predicted: list[Link] = [(frozenset(x), frozenset(y)) for x, y in collation.pair_links(a, b)]

    pred_set = set(predicted)
    gold_set = {g for g, _ in gold_links}
    strict = _score(sum(1 for g, _ in gold_links if g in pred_set), len(gold_links),
                    sum(1 for p in predicted if p in gold_set), len(predicted))

    def meeting(links) -> Callable[[Link], bool]:
        # Whether a link shares a sentence on each side with one of ``links`` (indexed by side a).
        by_a: dict[int, list[Link]] = {}
        for link in links:
            for i in link[0]:
                by_a.setdefault(i, []).append(link)
        return lambda x: any(x[1] & y[1] for i in x[0] for y in by_a.get(i, ()))

    meets_predicted, meets_gold = meeting(predicted), meeting(gold_set)
    lax = _score(sum(1 for g, _ in gold_links if meets_predicted(g)), len(gold_links),
                 sum(1 for p in predicted if meets_gold(p)), len(predicted))

    gold_pairs = {(i, j) for (ga, gb), _ in gold_links for i in ga for j in gb}
    pred_pairs = {(i, j) for pa, pb in predicted for i in pa for j in pb}
    pairs = _score(len(gold_pairs & pred_pairs), len(gold_pairs), len(gold_pairs & pred_pairs), len(pred_pairs))

    missed = [texts for g, texts in gold_links if g not in pred_set]
    spurious = sum(1 for pa, pb in predicted if pa & alone_a or pb & alone_b)
    return Evaluation((a, b), strict, lax, pairs, missed, spurious)
