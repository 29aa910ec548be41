"""Is a witness a rendering of the text at all? Judged per witness after the
alignment, from how its sentences meet the others' compared with chance.

Chance is measured, not assumed: the witness's own words are shuffled across
its sentences (same sentence lengths, same vocabulary) and the shuffled
sentences are matched against the other witness like the real ones. A text on
the same topic (same names, same vocabulary) matches about as well shuffled as
it does as written: its words do not come together the way the other text's
do. A rendering, even a three-sentence retelling, matches far better as
written, because its sentences say what the other's sentences say."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping, Optional, Sequence

import numpy as np

from ..chain import increasing
from ..model import Segmentation, Unit
from ..scorers.content import Content, corpus_scorer
from .furniture import furniture_like

# How much better than shuffled a witness's sentences must match another's, on
# average (content-word cosine): retellings of the seeds score 0.12-0.18,
# texts on the same event that render another interview -0.01-0.02.
GAP = 0.06
# Or this many of its sentences render another's nearly word for word (a long
# article that quotes a few sentences and says much else).
QUOTE = 0.6
QUOTES = 2
# Below this many sentences with content there is too little to judge: the
# alignment's own decision stands.
MIN_SENTENCES = 3
# Shuffles averaged for the chance level; at most this many sentences of a
# long witness are judged (evenly spread), so the test stays cheap on a Bible.
SHUFFLES = 4
SAMPLE = 200
# A witness linked to nothing but judged related is linked sentence by
# sentence to its best match when the two share this much (a retelling's
# sentence and the one it paraphrases).
RESCUE = 0.3
# An unlinked sentence at a witness's edge renders something of the text (a
# report's headline or lead that paraphrases the interview) when it matches a
# sentence of another witness's body this well; the five news items that
# open seed 001 reach 0.19 at most against the interview.
RENDERS = 0.25


@dataclass(frozen=True)
class Judgement:
    """How witness ``sigil``'s sentences meet witness ``other``'s."""

    sigil: str
    other: str
    gap: float
    quotes: int
    sentences: int

    @property
    def decided(self) -> bool:
        return self.sentences >= MIN_SENTENCES

    @property
    def related(self) -> bool:
        return self.gap >= GAP or self.quotes >= QUOTES


def _content_keys(keys: Sequence[str], language: str) -> list[str]:
    return [k for k in keys if not furniture_like(k, language)]


def _shuffled(keys: Sequence[str], rng: np.random.Generator) -> list[str]:
    """The same sentence lengths, filled with the same words in random order."""
    words = [w for k in keys for w in k.split()]
    rng.shuffle(words)
    out, at = [], 0
    for k in keys:
        n = len(k.split())
        out.append(" ".join(words[at : at + n]))
        at += n
    return out


def judge(sigil: str, mine: Sequence[str], other: str, theirs: Sequence[str], scorer: Content) -> Judgement:
    """Compare ``mine`` (content sentences' keys) against ``theirs`` and against chance."""
    if len(mine) > SAMPLE:
        mine = [mine[i] for i in np.linspace(0, len(mine) - 1, SAMPLE).astype(int)]
    if not mine or not theirs:
        return Judgement(sigil, other, 0.0, 0, len(mine))
    best = scorer(list(mine), list(theirs)).max(axis=1)
    quotes = int((best >= QUOTE).sum())
    if quotes >= QUOTES:
        # Decided by its close renderings; chance need not be measured (nan: not measured).
        return Judgement(sigil, other, float("nan"), quotes, len(mine))
    # A fixed seed: the same witnesses always get the same judgement.
    rng = np.random.default_rng(len(mine) * 7919 + len(theirs))
    shuffled = [k for _ in range(SHUFFLES) for k in _shuffled(mine, rng)]
    chance = float(scorer(shuffled, list(theirs)).max(axis=1).mean())
    return Judgement(sigil, other, round(float(best.mean()) - chance, 3), quotes, len(mine))


class RelatedPairs(Mapping[tuple[str, str], Optional[bool]]):
    """For two witnesses: related (either renders the other better than chance),
    unrelated, or None when neither has enough sentences to judge. Judged when
    first asked: a witness needs only one related partner, so a set of many
    renderings costs about one judgement per witness, not one per pair."""

    def __init__(self, keys: Mapping[str, Sequence[str]], language: str) -> None:
        self.scorer = corpus_scorer(keys, language)
        self.content = {s: _content_keys(ks, language) for s, ks in keys.items()}
        self.verdicts: dict[tuple[str, str], Optional[bool]] = {}

    def __getitem__(self, pair: tuple[str, str]) -> Optional[bool]:
        if pair not in self.verdicts:
            a, b = pair
            if a not in self.content or b not in self.content:
                raise KeyError(pair)
            # Related if either renders the other better than chance: the second
            # direction is judged only when the first does not settle it.
            first = judge(a, self.content[a], b, self.content[b], self.scorer)
            both = [first] if first.decided and first.related else [
                first, judge(b, self.content[b], a, self.content[a], self.scorer)]
            decided = [j for j in both if j.decided]
            verdict = any(j.related for j in decided) if decided else None
            self.verdicts[(a, b)] = self.verdicts[(b, a)] = verdict
        return self.verdicts[pair]

    def __iter__(self):
        return ((a, b) for a in self.content for b in self.content if a != b)

    def __len__(self) -> int:
        return len(self.content) * (len(self.content) - 1)


def unrelated_witnesses(
    keys: Mapping[str, Sequence[str]], linked: set[str], language: str
) -> tuple[set[str], RelatedPairs]:
    """Witnesses related to no other. Where the test cannot decide (too few
    sentences), a witness the alignment linked counts as related. If nobody
    is related to anybody, the first witness is the reference and stays."""
    pairs = RelatedPairs(keys, language)
    sigla = list(keys)

    def related(a: str, b: str) -> bool:
        verdict = pairs[(a, b)]
        return (a in linked and b in linked) if verdict is None else verdict

    alone = {a for a in sigla if not any(related(a, b) for b in sigla if b != a)}
    if alone == set(sigla):
        alone.discard(sigla[0])
    return alone, pairs


def split_out(units: Sequence[Unit], sigil: str) -> list[Unit]:
    """Remove a witness from every unit it shares: its sentences become units of
    their own, each right after the unit it left (its reading order is kept)."""
    out: list[Unit] = []
    for unit in units:
        present = unit.witnesses_present()
        if sigil not in present or len(present) == 1:
            out.append(unit)
            continue
        out.append(replace(unit, sentences={s: (() if s == sigil else v) for s, v in unit.sentences.items()}))
        out.append(replace(unit, sentences={s: (v if s == sigil else ()) for s, v in unit.sentences.items()}))
    return out


def rescue(
    units: Sequence[Unit], sigil: str, other: str, keys: Mapping[str, Sequence[str]],
    segmentation: Segmentation, language: str,
) -> list[Unit]:
    """Link a related witness the alignment left unlinked (a short retelling in
    indirect speech: no sentence close enough for the in-order path) to
    ``other``: each of its sentences to its best match there, in order."""
    scorer = corpus_scorer(keys, language)
    mine = [i for i, k in enumerate(keys[sigil]) if segmentation.sentences[i].kind == "sentence" and not furniture_like(k, language)]
    theirs = [j for j, k in enumerate(keys[other]) if not furniture_like(k, language)]
    if not mine or not theirs:
        return list(units)
    sims = scorer([keys[sigil][i] for i in mine], [keys[other][j] for j in theirs])
    pairs = [(mine[r], theirs[int(sims[r].argmax())], float(sims[r].max())) for r in range(len(mine))]
    # The longest run increasing on both sides: the in-order links (what is out
    # of order is left to the transpositions).
    links = increasing(sorted(p for p in pairs if p[2] >= RESCUE))
    if not links:
        return list(units)
    home = {i: u for u, unit in enumerate(units) for i in unit.sentences.get(other, ())}
    target = {i: (home[j], sim) for i, j, sim in links}
    if len({u for u, _ in target.values()}) < len(target):
        return list(units)  # two sentences onto one unit: leave it to the transpositions
    return _merge(units, sigil, target)


def _merge(units: Sequence[Unit], sigil: str, target: Mapping[int, tuple[int, float]]) -> list[Unit]:
    """Rebuild the units with ``sigil``'s sentence i in unit ``target[i]``; its
    other sentences (and labels) become units of their own next to the
    previous one of its sentences, so it still reads in order."""
    mine = [(i, unit) for unit in units for i in unit.sentences.get(sigil, ())]
    rest = [replace(u, sentences={s: (() if s == sigil else v) for s, v in u.sentences.items()}) for u in units]
    keep = [bool(u.witnesses_present()) for u in rest]
    after: dict[int, list[Unit]] = {}
    joined: dict[int, list[int]] = {}
    at = -1
    for i, unit in sorted(mine, key=lambda p: p[0]):
        if i in target:
            at = target[i][0]
            joined.setdefault(at, []).append(i)
            continue
        alone = replace(unit, sentences={s: ((i,) if s == sigil else ()) for s in unit.sentences})
        after.setdefault(at, []).append(alone)
    out: list[Unit] = list(after.get(-1, []))
    for u, unit in enumerate(rest):
        if u in joined:
            sims = [target[i][1] for i in joined[u]]
            unit = replace(unit, sentences={**unit.sentences, sigil: tuple(joined[u])}, confidence=round(min(sims), 3))
        if keep[u] or u in joined:
            out.append(unit)
        out.extend(after.get(u, []))
    return out


def rendering_edges(
    units: Sequence[Unit], keys: Mapping[str, Sequence[str]], segmentations: Mapping[str, Segmentation],
    linked: Mapping[str, set[int]], language: str,
) -> dict[str, set[int]]:
    """Per witness, its unlinked sentences before its first or after its last
    link that render something of another witness's body (see
    :data:`RENDERS`): they are the text, not page furniture.

    A body is the span of a witness's links and what it renders beyond them:
    one report's lead may paraphrase what another's lead says (both sum up
    the interview) and neither links; so a second round compares each
    witness's edges with the others' bodies as the first round left them.
    Edges of two witnesses that are each other's best match (at RENDERS) are
    the text too. Lines too short to say anything (``Read more``, a date)
    are never compared: see :func:`align.sentences.furniture.furniture_like`."""
    scorer = corpus_scorer(keys, language)
    edges = {
        s: [i for i, sentence in enumerate(segmentations[s].sentences)
            if (i < min(v) or i > max(v)) and sentence.kind == "sentence" and not furniture_like(keys[s][i], language)]
        for s, v in linked.items() if v
    }
    mutual = _edges_rendering_each_other(edges, keys, scorer)
    out: dict[str, set[int]] = {}
    for _ in range(2):
        found = _rendering_round(keys, segmentations, linked, language, scorer, out, edges, mutual)
        if found == out:
            break
        out = found
    return out


def _edges_rendering_each_other(edges: Mapping[str, list[int]], keys: Mapping[str, Sequence[str]],
                                scorer) -> dict[str, set[int]]:
    """Per witness, its edge sentences that are some other witness's edge
    sentence's best match and it theirs, at RENDERS: two witnesses' edges may
    render each other where neither reaches the other's body (a retelling that
    opens with what the narrative's own opening says, before either's first
    link: Acts 9:1-3 / 26:9-13, Saul's letters and journey, Paul's account of them)."""
    out: dict[str, set[int]] = {s: set() for s in edges}
    sigla = [s for s, e in edges.items() if e]
    for k, s in enumerate(sigla):
        for o in sigla[k + 1 :]:
            m = scorer([keys[s][i] for i in edges[s]], [keys[o][j] for j in edges[o]])
            across, down = m.argmax(axis=1), m.argmax(axis=0)
            for r, c in enumerate(across):
                if m[r, c] >= RENDERS and down[c] == r:
                    out[s].add(edges[s][r])
                    out[o].add(edges[o][c])
    return out


def _rendering_round(
    keys: Mapping[str, Sequence[str]], segmentations: Mapping[str, Segmentation], linked: Mapping[str, set[int]],
    language: str, scorer, rendered: Mapping[str, set[int]], edges: Mapping[str, list[int]],
    mutual: Mapping[str, set[int]],
) -> dict[str, set[int]]:
    """One round of :func:`rendering_edges`: the bodies are the links' spans and ``rendered``."""
    bodies = {
        s: sorted(j for j in set(range(min(v), max(v) + 1)) | set(rendered.get(s, ()))
                  if not furniture_like(keys[s][j], language))
        for s, v in linked.items() if v
    }
    out: dict[str, set[int]] = {}
    for sigil, v in linked.items():
        if not v:
            continue
        edge = edges[sigil]
        others = [keys[o][j] for o, js in bodies.items() if o != sigil for j in js]
        if not edge or not others:
            out[sigil] = _going_on(segmentations[sigil], keys[sigil], v, language)
            continue
        best = scorer([keys[sigil][i] for i in edge], others).max(axis=1)
        found = {i for i, b in zip(edge, best) if b >= RENDERS}
        out[sigil] = found | mutual[sigil] | _going_on(segmentations[sigil], keys[sigil], v, language)
    return out


def _going_on(segmentation: Segmentation, keys: Sequence[str], linked: set[int], language: str) -> set[int]:
    """A speaker label outside the links is the text going on (a retelling
    covering part of an interview): from the first such label before the first
    link, and up to the last sentence that is not furniture after the last
    link when a label follows it. Navigation after that stays furniture."""
    sentences = segmentation.sentences
    lo, hi = min(linked), max(linked)
    out: set[int] = set()
    labels = [s.index for s in sentences if s.kind == "label" and s.index < lo]
    if labels:
        out |= set(range(labels[0], lo))
    if any(s.kind == "label" and s.index > hi for s in sentences):
        said = [s.index for s in sentences if s.index > hi and s.kind == "sentence" and not furniture_like(keys[s.index], language)]
        if said:
            out |= set(range(hi + 1, said[-1] + 1))
    return out
