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

A gold file is checked before it is used: a regular file (a FIFO or device is
refused without blocking) of at most :data:`MAX_GOLD_BYTES`, UTF-8 JSON (no
``NaN``, no integer of thousands of digits, no deep nesting), an object whose
``links`` is a list of objects whose sides ``a`` and ``b`` (each optional) are
lists of sentence texts, and whose ``witnesses`` (optional) names a file for
each side. Anything else raises :class:`~align.errors.GoldError` with one line
naming the file and what is wrong.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Union

from .clean import encodable, repair_entities
from .errors import GoldError, InputError, one_line, shown
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


#: The largest gold file read (bytes); a larger one is refused before it is read.
MAX_GOLD_BYTES = 64 * 1024 * 1024


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number align reads")


def _int(text: str) -> int:
    if len(text) > 100:
        raise ValueError(f"a number of {len(text)} digits")
    return int(text)


def load_gold(path: Union[str, os.PathLike[str]]) -> dict[str, Any]:
    """Read and check a gold alignment file (see the module's description)."""
    from .readers.base import read_bounded

    name = shown(path) if isinstance(path, (str, os.PathLike)) else repr(path)
    if not isinstance(path, (str, os.PathLike)):
        raise GoldError(f"a gold alignment is given as a path, not {type(path).__name__}")
    data = read_bounded(path, MAX_GOLD_BYTES, GoldError, "a gold alignment")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GoldError(f"{name}: not a gold alignment file (not UTF-8: {exc.reason} at byte {exc.start})") from None
    try:
        gold = json.loads(text, parse_constant=_refuse_constant, parse_int=_int)
    except json.JSONDecodeError as exc:
        raise GoldError(f"{name}: not a gold alignment file ({one_line(exc)})") from None
    except RecursionError:
        raise GoldError(f"{name}: not a gold alignment file (JSON nested too deeply)") from None
    except ValueError as exc:  # an integer of thousands of digits, NaN
        raise GoldError(f"{name}: not a gold alignment file ({one_line(exc)[:200]})") from None
    try:
        check_gold(gold)
    except GoldError as exc:
        raise GoldError(f"{name}: {exc}") from None
    return gold


def check_gold(gold: Any) -> None:
    """Raise :class:`GoldError` (one line, without the file's name) unless
    ``gold`` has the form of a gold alignment."""
    if not isinstance(gold, dict):
        raise GoldError(f"a gold alignment is a JSON object with a 'links' list, not {_json_kind(gold)}")
    links = gold.get("links")
    if not isinstance(links, list):
        raise GoldError(f"a gold alignment needs a 'links' list (it has {_json_kind(links) if 'links' in gold else 'none'})")
    witnesses = gold.get("witnesses")
    if witnesses is not None:
        if not isinstance(witnesses, dict):
            raise GoldError(f"'witnesses' must be an object naming a file for sides a and b, not {_json_kind(witnesses)}")
        for side, file in witnesses.items():
            if not isinstance(file, str) or not encodable(file) or not encodable(side):
                raise GoldError(f"'witnesses' must name a file (text) for each side, not {_json_kind(file)} "
                                f"for side {side[:20]!r}")
    for k, link in enumerate(links, start=1):
        if not isinstance(link, dict):
            raise GoldError(f"link {k} is {_json_kind(link)}, not an object with sides 'a' and 'b'")
        for side in ("a", "b"):
            if side not in link:
                continue
            sentences = link[side]
            if not isinstance(sentences, list):
                raise GoldError(f"link {k}: side {side!r} must be a list of sentences (texts), not {_json_kind(sentences)}")
            for s in sentences:
                if not isinstance(s, str):
                    raise GoldError(f"link {k}: side {side!r} holds {_json_kind(s)}, not a sentence (text)")
                if not encodable(s):
                    raise GoldError(f"link {k}: side {side!r} holds a text that is not valid Unicode (a lone surrogate)")


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


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


def _disambiguate(original: str, links: list[dict[str, Any]], side: str, sigil: str = "") -> list[list[tuple[int, int]]]:
    """Spans for each link's sentences, repeated texts taken at successive places.

    Whitespace does not count (a collation read back from TEI has it normalised)."""
    text, where = _squeezed(original)
    used: dict[str, int] = {}
    out = []
    cursor = 0
    for link in links:
        spans = []
        for s in link.get(side) or []:
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
                raise GoldError(f"gold sentence not found in witness {sigil or side!r} (side {side!r}): {s[:60]!r}")
            used[s] = start + 1
            cursor = start + len(s)
            spans.append((where[start], where[start + len(s) - 1] + 1))
        out.append(spans)
    return out


def gold_links(collation: Collation, gold: dict[str, Any], a: str, b: str) -> list[Link]:
    """The gold's links as sets of the collation's sentences (indices of ``a``, of ``b``)."""
    return [link for link, _ in _gold(collation, gold, a, b)[0]]


def _gold(collation: Collation, gold: dict[str, Any], a: str, b: str):
    check_gold(gold)
    for sigil in (a, b):
        if sigil not in collation.sigla:
            from .errors import UnknownWitnessError

            raise UnknownWitnessError(f"no witness {sigil!r} in the collation (witnesses: {', '.join(collation.sigla)})")
    wa, wb = collation.witness(a), collation.witness(b)
    sa, sb = collation.sentences(a), collation.sentences(b)
    links = gold["links"]
    spans_a = _disambiguate(wa.text, links, "a", a)
    spans_b = _disambiguate(wb.text, links, "b", b)
    gold_links: list[tuple[Link, tuple[list[str], list[str]]]] = []
    alone_a: set[int] = set()
    alone_b: set[int] = set()
    starts_a, starts_b = [s.start for s in sa], [s.start for s in sb]
    for link, xa, xb in zip(links, spans_a, spans_b):
        if xa and xb:
            gold_links.append(((_to_indices(xa, sa, starts_a), _to_indices(xb, sb, starts_b)),
                               (list(link["a"]), list(link["b"]))))
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
    try:
        return evaluate(collation, hand, a, b)
    except GoldError as exc:
        raise GoldError(f"{shown(gold)}: {exc}") from None


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
