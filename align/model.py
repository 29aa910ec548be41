"""The small typed records that flow from one stage to the next.

read/clean -> :class:`Witness`; segment -> :class:`Segmentation` (turns and
:class:`Sentence` s); align sentences -> :class:`Unit` s; collate words ->
each unit's ``pieces``: shared :class:`Text` and :class:`App` s of
:class:`Reading` s. A :class:`Collation` holds all of it and the
:class:`Settings` that made it.

Offsets (``start``/``end``) always index ``Witness.text``, so every stage can
go back to what the witness really says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, Optional, Sequence, Union

from .errors import SettingsError, UnknownWitnessError

_WORD = re.compile(r"\w+")

SentenceKind = Literal["sentence", "label"]
# Where a unit stands: the collated text, or material of one witness that shares
# nothing with the others and leads or trails it (page furniture, other news).
Part = Literal["front", "body", "back"]


@dataclass(frozen=True)
class Description:
    """What a scholar knows of a witness, written into its TEI ``<witness>``:
    where each part is empty, the file name stands for it."""

    title: str = ""
    publisher: str = ""
    date: str = ""
    url: str = ""

    def __bool__(self) -> bool:
        return any((self.title, self.publisher, self.date, self.url))


@dataclass(frozen=True)
class Witness:
    """One rendering of the text.

    ``text`` is what the witness says, with encoding accidents (broken or
    escaped HTML entities) repaired; ``repairs`` counts them. Whitespace and
    invisible characters are kept here and only normalised for matching.
    """

    sigil: str
    text: str
    source: str = "<string>"
    format: str = "text"
    repairs: int = 0
    description: Description = field(default_factory=Description)
    # ISO 639-1 code of the witness's language ("en", "ru", ...); "" until declared or detected.
    lang: str = ""

    @property
    def file_name(self) -> str:
        """The source's file name, never the folders above it (an absolute path
        says where a user keeps files, not what the witness is)."""
        return self.source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or self.source

    @property
    def label(self) -> str:
        """What to call the witness: its description, else its file name."""
        d = self.description
        parts = ", ".join(p for p in (d.title, d.publisher, d.date) if p)
        return (parts + (" " if parts and d.url else "") + d.url) if d else self.file_name


@dataclass(frozen=True)
class Turn:
    """A speaker turn: from a label (``Sputnik:``, a leading dash) to the next one."""

    index: int
    label: str
    speaker: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A sentence, or a speaker label, of one witness."""

    sigil: str
    index: int
    start: int
    end: int
    text: str
    kind: SentenceKind = "sentence"
    paragraph: int = 0
    turn: Optional[int] = None


@dataclass(frozen=True)
class Segmentation:
    witness: Witness
    sentences: tuple[Sentence, ...]
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class Token:
    """A word or punctuation mark; ``norm`` is its form for matching."""

    start: int
    end: int
    text: str
    norm: str


@dataclass(frozen=True)
class Text:
    """Text that every witness of the unit shares (shown in the base's spelling).

    ``space``: the witnesses have whitespace before it (kept so that a
    witness's text can be read back exactly, ``forces ,`` as well as ``forces,``).
    """

    text: str
    space: bool = False

    def written(self, sigil: str = "") -> str:
        return " " + self.text if self.space and self.text else self.text


@dataclass(frozen=True)
class Reading:
    """What some witnesses (``wits``) have at one place; ``text`` may be empty.
    ``space``: these witnesses have whitespace before it."""

    wits: tuple[str, ...]
    text: str
    space: bool = False

    def written(self) -> str:
        return " " + self.text if self.space and self.text else self.text


@dataclass(frozen=True)
class App:
    """One place of variation, classified by ``type`` (see :mod:`align.words`)."""

    readings: tuple[Reading, ...]
    type: str

    def reading_of(self, sigil: str) -> Reading:
        for reading in self.readings:
            if sigil in reading.wits:
                return reading
        raise KeyError(sigil)

    def written(self, sigil: str) -> str:
        return self.reading_of(sigil).written()


Piece = Union[Text, App]


@dataclass(frozen=True)
class Unit:
    """An alignment unit: the sentences of each witness that say the same thing.

    ``sentences`` maps every sigil to the indices of its sentences in the unit
    (empty where the witness has nothing here). ``confidence`` is in [0, 1]: for
    linked sentences, the fitted probability that the link is right (see
    ``align.sentences.confidence``; the mean over the witnesses' joins), for a
    sentence standing alone, how clearly it has no counterpart.
    """

    n: int
    kind: SentenceKind
    sentences: dict[str, tuple[int, ...]]
    confidence: float
    pieces: tuple[Piece, ...] = ()
    part: Part = "body"

    @property
    def shape(self) -> str:
        return "-".join(str(len(v)) for v in self.sentences.values())

    def witnesses_present(self) -> tuple[str, ...]:
        return tuple(s for s, v in self.sentences.items() if v)

    def absent(self) -> tuple[str, ...]:
        """Witnesses with nothing here: the pieces are those of the others."""
        return tuple(s for s, v in self.sentences.items() if not v)

    def written(self, sigil: str) -> list[str]:
        """The witness's piece texts in this unit (each with its leading space); none if absent."""
        if not self.sentences.get(sigil):
            return []
        return [p.written(sigil) for p in self.pieces]


@dataclass(frozen=True)
class Transposition:
    """What a later witness says at one place and an earlier witness at another
    place, out of order: a retelling quoting or paraphrasing (one report
    sentence may stand for several). Every sentence stays in its own unit, at
    its witness's place; this pairs them. ``sentences`` has two witnesses: the
    earlier (the one it is said of first) and the later.

    Where the later sentence's unit already links it to the earlier witness,
    the transposition adds to that link (the rest of a summary).

    ``kind`` "merge": not out of order but beside, where a later witness that
    renders the text in order joined in one sentence what earlier witnesses
    keep apart (two units): its sentence stands in one of the units and renders
    the other as well. Such a witness has not left that unit's text out."""

    n: int
    sentences: dict[str, tuple[int, ...]]
    confidence: float
    kind: Literal["transposition", "merge"] = "transposition"

    @property
    def earlier(self) -> str:
        return next(iter(self.sentences))

    @property
    def later(self) -> str:
        return list(self.sentences)[-1]


@dataclass(frozen=True)
class Settings:
    """Everything that changes a collation's result, recorded in the TEI header."""

    scorer: str = "blend"
    # Chosen on the development set of benchmarks/bible.py (KJV/WEB, Matthew to
    # Acts) and benchmarks/synoptic.py, not on the seeds: see the README's tables.
    threshold: float = 0.35
    merge_penalty: float = 0.0
    # Weight of the length cost of a link (Gale & Church), see align.sentences.dp.Costs.
    length_weight: float = 0.01
    token_threshold: float = 0.7
    language: str = "english"
    version: str = ""
    # The base text (a sigil): aligned first, its readings written as <lem>.
    base: str = ""
    # The source text (a sigil) that witnesses in other languages translate: every
    # witness's sentences are aligned to it (see align.sentences).
    source: str = ""

    def __post_init__(self) -> None:
        # Checked here, once, so that no stage meets a NaN or a threshold of 2.
        for name, low, high in (("threshold", 0.0, 1.0), ("token_threshold", 0.0, 1.0),
                                ("merge_penalty", 0.0, float("inf")), ("length_weight", 0.0, float("inf"))):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not (low <= value <= high):
                span = f"between {low:g} and {high:g}" if high < float("inf") else f"a number of at least {low:g}"
                raise SettingsError(f"{name} must be {span}, not {value!r}")
        for name in ("scorer", "language", "version", "base", "source"):
            if not isinstance(getattr(self, name), str):
                raise SettingsError(f"{name} must be text, not {getattr(self, name)!r}")

    def signature(self) -> str:
        """A one-line reproducibility signature, in the spirit of sacrebleu's."""
        return (
            f"align:{self.version}|seg:punkt-{self.language}|scorer:{self.scorer}"
            f"|threshold:{self.threshold:g}|merge-penalty:{self.merge_penalty:g}|length:{self.length_weight:g}"
            f"|token-threshold:{self.token_threshold:g}" + (f"|base:{self.base}" if self.base else "")
            + (f"|source:{self.source}" if self.source else "")
        )


@dataclass(frozen=True)
class Collation:
    """The result of :func:`align.collate`: witnesses, their segmentation and the units."""

    witnesses: tuple[Witness, ...]
    segmentations: dict[str, Segmentation]
    units: tuple[Unit, ...]
    settings: Settings = field(default_factory=Settings)
    transpositions: tuple[Transposition, ...] = ()

    @property
    def moved(self) -> tuple[Transposition, ...]:
        """The transpositions proper (not the merges): what is said out of order."""
        return tuple(t for t in self.transpositions if t.kind == "transposition")

    @property
    def merges(self) -> tuple[Transposition, ...]:
        """The merges: what a witness says beside, within a neighbouring sentence."""
        return tuple(t for t in self.transpositions if t.kind == "merge")

    @property
    def sigla(self) -> tuple[str, ...]:
        return tuple(w.sigil for w in self.witnesses)

    @property
    def multilingual(self) -> bool:
        """Whether the witnesses are in several languages (see align.sentences.languages)."""
        return len({w.lang for w in self.witnesses}) > 1

    def signature(self) -> str:
        """The settings' signature, and the witnesses' languages where they differ
        (each witness is segmented and compared in its own)."""
        languages = ",".join(w.lang or "en" for w in self.witnesses)
        return self.settings.signature() + (f"|languages:{languages}" if self.multilingual else "")

    def witness(self, sigil: str) -> Witness:
        for w in self.witnesses:
            if w.sigil == sigil:
                return w
        raise UnknownWitnessError(f"{sigil!r} names no witness (witnesses: {', '.join(self.sigla)})")

    def sentences(self, sigil: str) -> tuple[Sentence, ...]:
        if sigil not in self.segmentations:
            self.witness(sigil)  # raises, naming the witnesses
        return self.segmentations[sigil].sentences

    def links(self) -> list[tuple[Unit, dict[str, tuple[Sentence, ...]]]]:
        """The units that pair at least two witnesses, with their sentences."""
        out = []
        for unit in self.units:
            if len(unit.witnesses_present()) >= 2:
                out.append(
                    (unit, {s: tuple(self.sentences(s)[i] for i in idx) for s, idx in unit.sentences.items()})
                )
        return out

    @cached_property
    def _by_number(self) -> dict[int, Unit]:
        return {u.n: u for u in self.units}

    @cached_property
    def _home(self) -> dict[tuple[str, int], Unit]:
        return {(s, i): u for u in self.units for s, idx in u.sentences.items() for i in idx}

    def unit(self, n: int) -> Unit:
        return self._by_number[n]

    def unit_of(self, sigil: str, index: int) -> Unit:
        return self._home[(sigil, index)]

    def pair_links(self, a: str, b: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        """Every link between witnesses ``a`` and ``b``, as their sentences (not
        labels): those a unit holds together, extended or joined by transpositions.

        A unit holding several sentences of both gives the links its word
        collation shows (see :func:`unit_links`): a unit is as coarse as the
        coarsest of all its witnesses, two of them may be finer."""
        links: list[Optional[tuple[set[int], set[int]]]] = []
        where: dict[str, dict[int, int]] = {a: {}, b: {}}  # a sentence -> its link

        def own(sigil: str, indices) -> tuple[int, ...]:
            return tuple(i for i in indices if self.sentences(sigil)[i].kind == "sentence")

        def note(k: int, lx, ly) -> None:
            for side, found in ((a, lx), (b, ly)):
                for i in found:
                    where[side].setdefault(i, k)

        for unit in self.units:
            x, y = own(a, unit.sentences.get(a, ())), own(b, unit.sentences.get(b, ()))
            if x and y:
                for lx, ly in unit_links(unit, a, b, x, y, self.sentences(a), self.sentences(b)):
                    note(len(links), lx, ly)
                    links.append((set(lx), set(ly)))
        out = []
        for t in self.transpositions:
            if set(t.sentences) != {a, b}:
                continue
            x, y = set(own(a, t.sentences[a])), set(own(b, t.sentences[b]))
            # Said of sentences already linked to the other witness: their link
            # grows (their links, where the unit's words split them, become one).
            # A merge is one link with whatever either side's sentences link.
            sides = (t.later,) if t.kind == "transposition" else (a, b)
            homes = sorted({where[s][i] for s in sides for i in t.sentences[s] if i in where[s]})
            if homes:
                home = links[homes[0]]
                assert home is not None
                for k in homes[1:]:
                    other = links[k]
                    assert other is not None
                    home[0].update(other[0])
                    home[1].update(other[1])
                    links[k] = None
                    for side, found in ((a, other[0]), (b, other[1])):
                        where[side].update((i, homes[0]) for i in found if where[side].get(i) == k)
                home[0].update(x)
                home[1].update(y)
                note(homes[0], x, y)
            elif x and y:
                out.append((x, y))
        return [(tuple(sorted(x)), tuple(sorted(y))) for x, y in [link for link in links if link] + out]

    def sentence_counts(self) -> dict[str, dict[str, int]]:
        """Per witness, its sentences (not labels) in the collated body and set apart."""
        out = {s: {"collated": 0, "set_apart": 0} for s in self.sigla}
        for unit in self.units:
            for sigil, idx in unit.sentences.items():
                n = sum(1 for i in idx if self.sentences(sigil)[i].kind == "sentence")
                out[sigil]["collated" if unit.part == "body" else "set_apart"] += n
        return out

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        # Writing left the records in 0.3.0 (they import no stage): say where it went.
        if name in _MOVED:
            raise AttributeError(f"Collation.{name}() was removed in align 0.3.0: use {_MOVED[name]}")
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def reading_text(self, sigil: str) -> str:
        """The witness's text as the collation records it (shared text + its
        readings), one line per unit it takes part in."""
        lines = []
        for unit in self.units:
            line = line_of(unit.written(sigil))
            if line:
                lines.append(line)
        return "\n".join(lines)


_MOVED = {"write": "align.write(collation, path, format=..., mode=..., lemma=...)",
          "to_tei": "align.to_tei(collation, mode=..., lemma=...)"}


def line_of(texts: Sequence[str]) -> str:
    """A witness's line from its piece texts: each piece carries its own
    leading space (one, where the witness has whitespace before it)."""
    return " ".join("".join(texts).split())


def _words_of(text: str) -> frozenset[str]:
    """The words of a stretch of text, case folded (for matching readings' parts)."""
    return frozenset(w.casefold() for w in _WORD.findall(text))


def nonspace(text: str) -> int:
    """Characters that are not whitespace: how sentence starts are counted (TEI normalises whitespace)."""
    return sum(1 for ch in text if not ch.isspace())


def unit_links(unit: Unit, a: str, b: str, x: tuple[int, ...], y: tuple[int, ...],
               sentences_a: tuple[Sentence, ...], sentences_b: tuple[Sentence, ...]
               ) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """The links between ``a``'s sentences ``x`` and ``b``'s ``y`` in one unit.

    Where both have several, the unit's word collation says which sentence
    renders which: two sentences are linked where they share words, or where
    they read different words at one place (see ``across``: a part of a reading
    links the other's sentences whose parts share a word with it, and only
    where the readings share none does the relative position decide); the links
    are the connected groups. A sentence that shares no place with the other
    witness is left out of the pair's links (the other witness lacks it), and
    shared punctuation links nothing. Two witnesses in two languages share no
    place: there each sentence links the other's at the same relative position.
    Sentence boundaries are counted in non-space characters, as the TEI's
    milestones are, so a TEI file gives the same links as the collation in
    memory."""
    if (len(x) < 2 and len(y) < 2) or not unit.pieces:
        return [(x, y)]
    from bisect import bisect_right

    def starts(indices: tuple[int, ...], sentences: tuple[Sentence, ...]) -> list[int]:
        out, count = [], 0
        for i in indices:
            out.append(count)
            count += nonspace(sentences[i].text)
        return out

    sa, sb = starts(x, sentences_a), starts(y, sentences_b)

    def at(st: list[int], indices: tuple[int, ...], k: int) -> int:
        return indices[max(0, bisect_right(st, k) - 1)]

    def portions(st: list[int], indices: tuple[int, ...], c0: int, text: str) -> list[tuple[float, int, frozenset[str]]]:
        """Each sentence's part of a reading from ``c0``: its middle (0..1), the
        sentence, and the part's words."""
        # Where each non-space character stands in the text (cuts are counted in those).
        where = [k for k, ch in enumerate(text) if not ch.isspace()] + [len(text)]
        n = len(where) - 1
        cuts = [0] + [s - c0 for s in st if c0 < s < c0 + n] + [n]
        return [((lo + hi) / 2 / n, at(st, indices, c0 + lo), _words_of(text[where[lo] : where[hi]]))
                for lo, hi in zip(cuts, cuts[1:]) if hi > lo]

    def across(mine: list[tuple[float, int, frozenset[str]]], theirs: list[tuple[float, int, frozenset[str]]],
               st: list[int], indices: tuple[int, ...], c0: int, n: int) -> list[tuple[int, int]]:
        """Each part of one reading linked to the other's sentences: those whose parts
        share a word with it; where the readings share no word at all (a substitution,
        ``end. Next`` against ``end, next`` once cased alike), the sentence at the same
        relative position. A part with words that shares none where others do is
        text the other witness lacks (``operand. Retrieve the size of a file``
        against ``operand``): it links nothing."""
        sharing = any(w & v for _, _, w in mine for _, _, v in theirs)
        out = []
        for f, i, words in mine:
            shared = [j for _, j, v in theirs if words & v]
            if shared:
                out.extend((i, j) for j in shared)
            elif not sharing or not words:
                out.append((i, at(st, indices, c0 + min(n - 1, int(f * n)))))
        return out

    pairs: set[tuple[int, int]] = set()
    ca = cb = 0
    together = False  # whether the two ever read text at one place (not in two languages)
    for piece in unit.pieces:
        if isinstance(piece, Text):
            ta = tb = piece.text
            same = True
        else:
            ra, rb = piece.reading_of(a), piece.reading_of(b)
            ta, tb, same = ra.text, rb.text, ra is rb
        na, nb = nonspace(ta), nonspace(tb)
        if na and nb:
            together = True
            if same and na == nb:
                # The same characters: a sentence of each at every boundary of either;
                # shared punctuation (the full stop after an omission) says nothing of
                # which sentence renders which.
                if _words_of(ta):
                    cuts = {0} | {s - ca for s in sa if ca < s < ca + na} | {s - cb for s in sb if cb < s < cb + nb}
                    pairs.update((at(sa, x, ca + k), at(sb, y, cb + k)) for k in cuts)
            else:
                parts_a, parts_b = portions(sa, x, ca, ta), portions(sb, y, cb, tb)
                pairs.update(across(parts_a, parts_b, sb, y, cb, nb))
                pairs.update((i, j) for j, i in across(parts_b, parts_a, sa, x, ca, na))
        ca += na
        cb += nb
    if not together and ca and cb:
        # Two languages: no place says which sentence renders which, and the
        # sentences' relative positions in the unit do (as Gale and Church's
        # lengths do): each sentence links the other's sentence at its middle.
        def middles(st: list[int], total: int) -> list[float]:
            return [(lo + hi) / 2 / total for lo, hi in zip(st, st[1:] + [total])]

        pairs.update((i, at(sb, y, int(f * cb))) for i, f in zip(x, middles(sa, ca)))
        pairs.update((at(sa, x, int(f * ca)), j) for j, f in zip(y, middles(sb, cb)))
    if not pairs:
        return [(x, y)]
    # Connected groups of the pairs (a union-find over both witnesses' sentences).
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(node: tuple[int, int]) -> tuple[int, int]:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for i, j in pairs:
        parent[find((0, i))] = find((1, j))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for node in list(parent):
        groups.setdefault(find(node), []).append(node)
    links = [(tuple(sorted(i for side, i in g if side == 0)), tuple(sorted(i for side, i in g if side == 1)))
             for g in groups.values()]
    return sorted(links)
