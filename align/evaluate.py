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
import re
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
    correct: int = 0


def _score(found_gold: int, n_gold: int, correct_pred: int, n_pred: int) -> Score:
    p = correct_pred / n_pred if n_pred else 0.0
    r = found_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return Score(round(p, 4), round(r, 4), round(f, 4), found_gold, n_gold, n_pred, correct_pred)


@dataclass
class Evaluation:
    witnesses: tuple[str, str]
    strict: Score
    lax: Score
    pairs: Score
    # Strict at the gold's resolution: align's links that fall in one gold link
    # are taken together first (a gold of verse groups cannot tell a correct
    # finer alignment inside a group from a wrong one, so it must not count it wrong).
    grouped: Score = field(default_factory=lambda: Score(0.0, 0.0, 0.0, 0, 0, 0))
    missed: list[tuple[list[str], list[str]]] = field(default_factory=list)
    # Links align made for sentences the gold leaves without counterpart.
    spurious: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "witnesses": list(self.witnesses),
            "strict": self.strict.__dict__,
            "lax": self.lax.__dict__,
            "pairs": self.pairs.__dict__,
            "grouped": self.grouped.__dict__,
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


_SPACE = re.compile(r"\s+")


def _squeezed(text: str) -> tuple[str, list[int]]:
    """``text`` with each run of whitespace as one space, and where each of its
    characters stands in ``text`` (one more entry for the end)."""
    out, where = [], []
    last = 0
    for m in _SPACE.finditer(text):
        out.append(text[last:m.start()])
        where.extend(range(last, m.start()))
        out.append(" ")
        where.append(m.start())
        last = m.end()
    out.append(text[last:])
    where.extend(range(last, len(text)))
    where.append(len(text))
    return "".join(out), where


def _disambiguate(original: str, links: list[dict[str, Any]], side: str) -> list[list[tuple[int, int]]]:
    """Spans for each link's sentences, repeated texts taken at successive places.

    Whitespace does not count (a collation read back from TEI has it normalised)."""
    text, where = _squeezed(original)
    used: dict[str, int] = {}
    out = []
    cursor = 0
    for link in links:
        spans = []
        for s in link.get(side, []):
            # Gold files quote the file as captured; witnesses have entities repaired.
            s = _SPACE.sub(" ", repair_entities(s)[0].strip())
            if not s:
                continue
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
            spans.append((where[start], where[start + len(s) - 1] + 1))
        out.append(spans)
    return out


def gold_links(collation: Collation, gold: dict[str, Any], a: str, b: str) -> list[Link]:
    """The gold's links as sets of the collation's sentences (indices of ``a``, of ``b``)."""
    return [link for link, _ in _gold(collation, gold, a, b)[0]]


def _gold(collation: Collation, gold: dict[str, Any], a: str, b: str):
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
    return gold_links, alone_a, alone_b


def evaluate(collation: Collation, gold: dict[str, Any], a: str, b: str) -> Evaluation:
    """Score the links between witnesses ``a`` and ``b`` of a collation against a gold."""
    gold_links, alone_a, alone_b = _gold(collation, gold, a, b)
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

    together = _at_resolution(predicted, [g for g, _ in gold_links])
    together_set = set(together)
    grouped = _score(sum(1 for g, _ in gold_links if g in together_set), len(gold_links),
                     sum(1 for p in together if p in gold_set), len(together))

    missed = [texts for g, texts in gold_links if g not in pred_set]
    spurious = sum(1 for pa, pb in predicted if pa & alone_a or pb & alone_b)
    return Evaluation((a, b), strict, lax, pairs, grouped, missed, spurious)


def _at_resolution(predicted: list[Link], gold: list[Link]) -> list[Link]:
    """Predicted links joined where they touch the same gold link (union-find)."""
    owner: dict[tuple[int, int], int] = {}
    for k, (ga, gb) in enumerate(gold):
        owner.update({(0, i): k for i in ga})
        owner.update({(1, j): k for j in gb})
    parent = list(range(len(predicted)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first: dict[int, int] = {}
    for n, (pa, pb) in enumerate(predicted):
        for key in [owner.get((0, i)) for i in pa] + [owner.get((1, j)) for j in pb]:
            if key is not None:
                if key in first:
                    parent[find(n)] = find(first[key])
                else:
                    first[key] = n
    joined: dict[int, tuple[frozenset[int], frozenset[int]]] = {}
    for n, (pa, pb) in enumerate(predicted):
        ja, jb = joined.get(find(n), (frozenset(), frozenset()))
        joined[find(n)] = (ja | pa, jb | pb)
    return list(joined.values())


def gold_witnesses(collation: Collation, gold: dict[str, Any]) -> tuple[str, str]:
    """The collation's witnesses that a gold's sides ``a`` and ``b`` stand for: by the
    file names the gold gives and the witnesses' sources, else the only two witnesses."""
    named = gold.get("witnesses") if isinstance(gold.get("witnesses"), dict) else {}
    found = []
    for side in ("a", "b"):
        name = os.path.basename(str(named.get(side, "")))
        match = [w.sigil for w in collation.witnesses if name and os.path.basename(w.source) == name]
        found.append(match[0] if len(match) == 1 else None)
    if None not in found and found[0] != found[1]:
        return found[0], found[1]  # type: ignore[return-value]
    if len(collation.sigla) == 2:
        return collation.sigla[0], collation.sigla[1]
    raise InputError(
        "cannot tell which witnesses the gold's sides a and b are (its file names match no "
        f"single witness source); name them (witnesses: {', '.join(collation.sigla)})"
    )


def evaluate_file(
    collation: Union[Collation, str, os.PathLike[str]],
    gold: Union[str, os.PathLike[str]],
    a: str = "",
    b: str = "",
) -> Evaluation:
    """Score a collation (or a TEI file align wrote) against a gold file; ``a`` and
    ``b`` are the sigla of the gold's two sides, found by :func:`gold_witnesses` if not given."""
    from .errors import UnknownWitnessError
    from .tei import read_tei

    if not isinstance(collation, Collation):
        collation = read_tei(collation)
    hand = load_gold(gold)
    if not (a and b):
        a, b = gold_witnesses(collation, hand)
    for sigil in (a, b):
        if sigil not in collation.sigla:
            raise UnknownWitnessError(f"no witness {sigil!r} in the collation (witnesses: {', '.join(collation.sigla)})")
    return evaluate(collation, hand, a, b)


def format_evaluation(evaluation: Evaluation) -> str:
    """Plain text: a table of the three scores, then the gold links align missed."""
    a, b = evaluation.witnesses
    lines = [f"gold side a = {a}, side b = {b}", "",
             f"{'':8}{'precision':>10}{'recall':>8}{'F1':>8}{'gold found':>12}{'align correct':>15}"]
    for name in ("strict", "lax", "pairs", "grouped"):
        s: Score = getattr(evaluation, name)
        lines.append(f"{name:8}{s.precision:10.3f}{s.recall:8.3f}{s.f1:8.3f}"
                     f"{f'{s.found}/{s.gold}':>12}{f'{s.correct}/{s.predicted}':>15}")
    lines.append("")
    lines.append(f"links to sentences the gold leaves without counterpart: {evaluation.spurious}")
    lines.append(f"gold links missed (not linked exactly so): {len(evaluation.missed)}")
    for side_a, side_b in evaluation.missed:
        lines.append(f"  {a}: {' | '.join(side_a)}")
        lines.append(f"  {b}: {' | '.join(side_b)}")
        lines.append("")
    return "\n".join(lines).rstrip()
