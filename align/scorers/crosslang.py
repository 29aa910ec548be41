"""Similarity across languages, with nothing but the texts: a source beside its
translations (a Russian interview and its English renderings, the Spanish and
the English Bible).

Two sentences in different languages share few words, but they share what
translators leave alone or change by rule: names (``Зась`` / ``Zas``,
``Jesucristo`` / ``Jesus Christ``), numbers, and cognates (``evangelio`` /
``evangel``, ``profeta`` / ``prophet``). Both keys are first *bridged* to one
script: Cyrillic is transliterated, accents are dropped. The similarity is the
character similarity of the bridged keys (rapidfuzz's ``ratio``, in bulk),
raised by shared numbers and lowered by numbers one side has and the other
lacks (compared by value: :mod:`align.scorers.numbers`). On its own that
tells a translation of a sentence from its neighbours only weakly (the Gospel
of Mark, Spanish against English: the right verse is the most similar of its
chapter for about half the verses). A :class:`Lexicon`
learned from a first alignment's links (words linked together more often than
apart) raises that to 93%; the second alignment uses it. The bead DP adds the
order, a cost for sentences left alone and the lengths (Gale & Church): see
:mod:`align.sentences.languages`.

:class:`Polyglot` is the scorer a collation of several languages uses: keys
carry their witness's language as a leading tag (:func:`tag`), and each pair
is scored by the witness family's scorer when the languages are the same, by
:class:`CrossLanguage` when they differ.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Sequence

import numpy as np

from .base import Scorer, bulk
from .numbers import terms as number_terms

# Russian (and the Cyrillic of its neighbours) in Latin letters, as names are
# written in English news (BGN/PCGN-like, simplified: Зась > zas, Жомарт > zhomart).
_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
     "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "yi", "ye", "g", "u"],
))
_TRANSLITERATE = str.maketrans({**_CYRILLIC, **{k.upper(): v.capitalize() for k, v in _CYRILLIC.items()}})

# The tags of Polyglot keys: one private-use character per language, first in the
# key (a fixed table: the same tag for a language in every process and thread).
_TAG_BASE = 0xF0000
TAG_CHARS = re.compile("[\U000f0000-\U000fffff]")


def tag(lang: str) -> str:
    """The character that marks a key as being in ``lang`` (see :class:`Polyglot`)."""
    from ..lang import LANGUAGES

    codes = list(LANGUAGES)
    return chr(_TAG_BASE + (codes.index(lang) if lang in codes else len(codes)))


def strip_tags(key: str) -> str:
    """A key without its language tags."""
    return TAG_CHARS.sub("", key)


@lru_cache(maxsize=1 << 16)
def _untag(key: str) -> tuple[str, str]:
    """The key's language tag ("" if none) and the key without any tag (joined
    keys carry one per sentence)."""
    if key and ord(key[0]) >= _TAG_BASE:
        return key[0], strip_tags(key)
    return "", key


@lru_cache(maxsize=1 << 16)
def bridge(key: str) -> str:
    """A key in Latin letters without accents: what a name or a cognate looks
    like in any of the languages. Word by word (the change is one of characters,
    and no character crosses a space), so that the runs of sentences the DP joins
    cost only their few new words."""
    return " ".join(map(_bridge_word, key.split(" ")))


@lru_cache(maxsize=1 << 18)
def _bridge_word(word: str) -> str:
    text = unicodedata.normalize("NFKD", word.translate(_TRANSLITERATE))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


# A lexicon learned from a first alignment (see Lexicon.learn): a word pair
# counts if it is linked at least MIN_PAIRS times with a Dice coefficient of at
# least MIN_DICE. Chosen on the development books of benchmarks/crosslang.py.
MIN_PAIRS = 2
MIN_DICE = 0.3
# The weight of the character similarity beside the lexicon's.
RATIO_WEIGHT = 0.5
# Choices scored against the lexicon at once (a matrix of the words of the queries by them).
_BLOCK = 1024


class Lexicon:
    """Word translations of one pair of languages, learned from linked sentences:
    words that are linked together more often than apart (Dice's coefficient),
    as hunalign learns its dictionary from its first alignment. ``evangelio`` /
    ``news``, ``pecados`` / ``sins``: no dictionary is shipped, the texts teach it."""

    def __init__(self) -> None:
        self.pairs: list[tuple[frozenset[str], frozenset[str]]] = []
        self.rows: dict[str, int] = {}
        self.cols: dict[str, int] = {}
        self.table = np.zeros((0, 0), dtype=np.float32)
        # Per vocabulary (rows, columns), each key's size and words in it, worked out once.
        self._seen: dict[int, dict[str, tuple[int, list[int]]]] = {}

    def learn(self, linked: Sequence[tuple[str, str]]) -> bool:
        """Add linked sentence pairs (bridged keys: this language, the other) and
        work the table out again; whether it has any entry."""
        from collections import Counter

        self.pairs.extend((frozenset(a.split()), frozenset(b.split())) for a, b in linked if a and b)
        cx: Counter[str] = Counter()
        cy: Counter[str] = Counter()
        cxy: Counter[tuple[str, str]] = Counter()
        for x, y in self.pairs:
            cx.update(x)
            cy.update(y)
            cxy.update((a, b) for a in x for b in y)
        entries = {(a, b): 2 * n / (cx[a] + cy[b]) for (a, b), n in cxy.items() if n >= MIN_PAIRS}
        entries = {k: v for k, v in entries.items() if v >= MIN_DICE}
        self.rows = {a: i for i, a in enumerate(sorted({a for a, _ in entries}))}
        self.cols = {b: j for j, b in enumerate(sorted({b for _, b in entries}))}
        self.table = np.zeros((len(self.rows), len(self.cols)), dtype=np.float32)
        self._seen.clear()
        for (a, b), v in entries.items():
            self.table[self.rows[a], self.cols[b]] = v
        return bool(entries)

    def best_translations(self, words: Sequence[str], others: Sequence[str], forward: bool = True) -> np.ndarray:
        """Per word (in order), the Dice of its likeliest translation among
        ``others`` (0 for a word the table does not hold). ``forward``: the
        words are of the table's first language, ``others`` of its second."""
        index, other_index = (self.rows, self.cols) if forward else (self.cols, self.rows)
        found = sorted({other_index[o] for o in others if o in other_index})
        out = np.zeros(len(words), dtype=np.float32)
        if not found:
            return out
        for k, word in enumerate(words):
            i = index.get(word)
            if i is not None:
                out[k] = (self.table[i, found] if forward else self.table[found, i]).max()
        return out

    def _words(self, key: str, index: dict[str, int]) -> tuple[int, list[int]]:
        """A key's number of distinct words and those of them in ``index`` (cached)."""
        seen = self._seen.setdefault(id(index), {})
        found = seen.get(key)
        if found is None:
            words = set(key.split())
            found = seen[key] = (max(len(words), 1), [index[w] for w in words if w in index])
        return found

    def _vectors(self, keys: Sequence[str], index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        out = np.zeros((len(keys), len(index)), dtype=np.float32)
        sizes = np.ones(len(keys), dtype=np.float32)
        for i, key in enumerate(keys):
            sizes[i], columns = self._words(key, index)
            out[i, columns] = 1.0
        return out, sizes

    def similarity(self, queries: Sequence[str], choices: Sequence[str], pairwise: bool) -> np.ndarray:
        """The share of each side's words that have a translation on the other,
        averaged over the two sides. A word counts the Dice of its translations
        present on the other side, at most 1: a long sentence full of words with
        many weak translations (``be``, ``it``, ``may``) must not reach 1
        whatever it is compared with, or a short sentence's few words (``May it
        never be!``) stop telling which neighbour it belongs to."""
        if pairwise:
            return self._pairwise(queries, choices)
        q, nq = self._vectors(queries, self.rows)
        c, nc = self._vectors(choices, self.cols)
        used_rows, used_cols = np.flatnonzero(q.any(axis=0)), np.flatnonzero(c.any(axis=0))
        q, c = q[:, used_rows], c[:, used_cols]
        table = self.table[np.ix_(used_rows, used_cols)]
        # Per word of a query (choice), the Dice of its translations in each choice
        # (query), capped; choices a block at a time (a word-by-choice matrix each).
        rows_side = np.empty((len(queries), len(choices)), dtype=np.float32)
        for start in range(0, len(choices), _BLOCK):
            block = c[start:start + _BLOCK]
            rows_side[:, start:start + _BLOCK] = q @ np.minimum(table @ block.T, 1.0)
        cols_side = np.minimum(q @ table, 1.0) @ c.T
        return (rows_side / nq[:, None] + cols_side / nc[None, :]) / 2

    def _pairwise(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        """The diagonal of :meth:`similarity` without a row of the vocabulary per
        pair (a band of a book's pairs holds tens of thousands): per distinct
        query, its words' rows of the table against the words of all its
        choices at once, summed per word and choice, capped, summed per choice."""
        n = len(queries)
        out = np.zeros(n, dtype=np.float32)
        by_query: dict[str, list[int]] = {}
        for p, query in enumerate(queries):
            by_query.setdefault(query, []).append(p)
        for query, positions in by_query.items():
            size_q, qr = self._words(query, self.rows)
            if not qr:
                continue
            found = [(p, *self._words(choices[p], self.cols)) for p in positions]
            found = [(p, size, cc) for p, size, cc in found if cc]
            if not found:
                continue
            starts = np.cumsum([0] + [len(cc) for _, _, cc in found[:-1]])
            entries = self.table[np.ix_(qr, [j for _, _, cc in found for j in cc])]
            per_word = np.add.reduceat(entries, starts, axis=1)      # query word x choice
            per_choice_word = entries.sum(axis=0)                   # each choice word, over the query's words
            rows_side = np.minimum(per_word, 1.0).sum(axis=0)
            cols_side = np.add.reduceat(np.minimum(per_choice_word, 1.0), starts)
            sizes = np.array([size for _, size, _ in found], dtype=np.float32)
            out[[p for p, _, _ in found]] = (rows_side / size_q + cols_side / sizes) / 2
        return out


class CrossLanguage(Scorer):
    name = "crosslang"
    description = "character similarity of transliterated, accent-free keys, with numbers (across languages)"

    def __init__(self) -> None:
        self.lexicons: dict[tuple[str, str], Lexicon] = {}

    def _score(self, queries: Sequence[str], choices: Sequence[str], pairwise: bool,
               languages: tuple[str, str] = ("", "")) -> np.ndarray:
        from rapidfuzz import fuzz

        q = [bridge(k) for k in queries]
        c = [bridge(k) for k in choices]
        out = bulk(fuzz.ratio, q, c, pairwise=pairwise) / 100.0
        out += number_terms(queries, choices, pairwise)
        lexical = None
        if languages in self.lexicons:
            lexical = self.lexicons[languages].similarity(q, c, pairwise)
        elif languages[::-1] in self.lexicons:
            lexical = self.lexicons[languages[::-1]].similarity(c, q, pairwise)
            lexical = lexical if pairwise else lexical.T
        if lexical is not None:
            # A weighted mean, so that a good pair does not reach 1 and tie with a better one.
            out = (RATIO_WEIGHT * out + np.minimum(lexical, 1.0)) / (1 + RATIO_WEIGHT)
        return np.clip(out, 0.0, 1.0).astype(np.float32)

    def learn(self, languages: tuple[str, str], linked: Sequence[tuple[str, str]]) -> bool:
        """Learn (more of) the lexicon of a pair of languages from linked keys."""
        if languages[::-1] in self.lexicons:
            languages, linked = languages[::-1], [(b, a) for a, b in linked]
        lexicon = self.lexicons.setdefault(languages, Lexicon())
        return lexicon.learn([(bridge(a), bridge(b)) for a, b in linked])

    def __call__(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        if not queries or not choices:
            return np.zeros((len(queries), len(choices)), dtype=np.float32)
        return self._score(queries, choices, False)

    def pairwise(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        if not queries:
            return np.zeros(0, dtype=np.float32)
        return self._score(queries, choices, True)


def _blocks(queries: Sequence[str], choices: Sequence[str]):  # type: ignore[no-untyped-def]
    """Per pair of languages (of the tagged queries, of the choices): the block
    of the matrix they fill and their keys without tags."""
    q = [_untag(k) for k in queries]
    c = [_untag(k) for k in choices]
    for lq in sorted({t for t, _ in q}):
        rows = [i for i, (t, _) in enumerate(q) if t == lq]
        for lc in sorted({t for t, _ in c}):
            cols = [j for j, (t, _) in enumerate(c) if t == lc]
            yield (lq, lc), np.ix_(rows, cols), [q[i][1] for i in rows], [c[j][1] for j in cols]


def _pairs_by_languages(queries: Sequence[str], choices: Sequence[str]):  # type: ignore[no-untyped-def]
    """Per pair of languages of the tagged pairs (query i with choice i): their
    positions and their keys without tags."""
    q = [_untag(k) for k in queries]
    c = [_untag(k) for k in choices]
    kinds: dict[tuple[str, str], list[int]] = {}
    for i in range(len(q)):
        kinds.setdefault((q[i][0], c[i][0]), []).append(i)
    for languages, idx in kinds.items():
        yield languages, idx, [q[i][1] for i in idx], [c[i][1] for i in idx]


class Polyglot(Scorer):
    """Keys tagged with their language (:func:`tag`): ``same`` scores a pair in one
    language, ``cross`` a pair in two. Untagged keys count as one language."""

    name = "polyglot"
    description = "the witnesses' scorer within a language, the cross-language scorer between languages"

    def __init__(self, same: Scorer, cross: CrossLanguage) -> None:
        self.same, self.cross = same, cross

    def __call__(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(queries), len(choices)), dtype=np.float32)
        for (lq, lc), block, a, b in _blocks(queries, choices):
            out[block] = self.same(a, b) if lq == lc else self.cross._score(a, b, False, (lq, lc))
        return out

    def pairwise(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        out = np.zeros(len(queries), dtype=np.float32)
        for (lq, lc), idx, a, b in _pairs_by_languages(queries, choices):
            out[idx] = self.same.pairwise(a, b) if lq == lc else self.cross._score(a, b, True, (lq, lc))
        return out

    def translations(self, key: str, other: str) -> np.ndarray:
        """Per word of ``key`` (in order), the Dice of its likeliest translation
        among the words of ``other``, a key in another language, as the learned
        lexicon has it (zeros before one is learned, or in one language)."""
        (lk, k), (lo, o) = _untag(key), _untag(other)
        words = bridge(k).split()
        forward = (lk, lo) in self.cross.lexicons
        lexicon = self.cross.lexicons.get((lk, lo) if forward else (lo, lk))
        if lk == lo or lexicon is None or not lexicon.table.size:
            return np.zeros(len(words), dtype=np.float32)
        return lexicon.best_translations(words, bridge(o).split(), forward)

    def learn(self, linked: Sequence[tuple[str, str]]) -> bool:
        """Learn lexicons from linked tagged keys of different languages."""
        by_pair: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for a, b in linked:
            (la, ka), (lb, kb) = _untag(a), _untag(b)
            if la != lb and ka and kb:
                by_pair.setdefault((la, lb), []).append((ka, kb))
        learned = False
        for pair, items in by_pair.items():
            learned |= self.cross.learn(pair, items)
        return learned


# The embeddings' share beside the learned lexicon. Swept on the development books
# (Reina-Valera against KJV and WEB, Matthew-Acts, verse-group gold; 2026-12-06):
# mean grouped F1 0.9896, 0.9922, 0.9923, 0.9933, 0.9930, 0.9924, 0.9910, 0.9893 at
# 0, 0.1, ..., 0.7 (pairs F1 0.9036 ... 0.9064 ... 0.9029): flat from 0.1 to 0.5,
# so the plain mean stays (Spanish/WEB Mark 1-3, sentence gold: 0.992 at every weight).
# Old Testament development books (Ruth, Joshua, Judges, Genesis; 2026-12-07): 0.9733,
# 0.9740, 0.9778, 0.9783, 0.9783, 0.9756 at 0 ... 0.5: as flat, no call for a small weight.
EMBEDDING_WEIGHT = 0.5


def mixed(embedded: np.ndarray, learned: np.ndarray) -> np.ndarray:
    return EMBEDDING_WEIGHT * embedded + (1 - EMBEDDING_WEIGHT) * learned


class WithLexicon(Polyglot):
    """A multilingual scorer (sentence embeddings) beside what the texts teach:
    a pair in one language is scored by ``same`` alone, a pair in two by the
    mean of ``same`` and :class:`CrossLanguage` once its lexicon for the two
    languages is learned from a first alignment (as without embeddings), by
    ``same`` alone before. Embeddings place a sentence
    among its neighbours well but say little of where a short formula belongs
    (``May it never be!`` / ``En ninguna manera;`` opening the next sentence),
    which the learned word pairs tell. Keys reach ``same`` with their tags, so
    that a run of sentences is embedded as the mean of its sentences. The mean
    is unweighted (EMBEDDING_WEIGHT: the development books are flat around it;
    Spanish/WEB Mark 1-3, development, pairs F1 0.988 with embeddings alone,
    0.992 with both)."""

    name = "with-lexicon"
    description = "a multilingual scorer and the learned cross-language lexicon, averaged across languages"
    multilingual = True

    def __call__(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        out = np.array(self.same(queries, choices), dtype=np.float32)
        for (lq, lc), block, a, b in _blocks(queries, choices):
            if lq != lc and self._taught(lq, lc):
                out[block] = mixed(out[block], self.cross._score(a, b, False, (lq, lc)))
        return out

    def _taught(self, lq: str, lc: str) -> bool:
        # Until the texts teach word pairs (only a translation's first path does, see
        # align.sentences.languages.TRANSLATION_MARGIN), the embeddings alone: the
        # character similarity across languages would only blur them.
        lexicon = self.cross.lexicons.get((lq, lc)) or self.cross.lexicons.get((lc, lq))
        return lexicon is not None and lexicon.table.size > 0

    def pairwise(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        out = np.array(self.same.pairwise(queries, choices), dtype=np.float32)
        for (lq, lc), idx, a, b in _pairs_by_languages(queries, choices):
            if lq != lc and self._taught(lq, lc):
                out[idx] = mixed(out[idx], self.cross._score(a, b, True, (lq, lc)))
        return out


def shared_words(queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
    """Dice's coefficient of the words two keys in different languages share once
    bridged: names and numbers (``kazakhstan``, ``2500``), words of four letters
    or more. The character similarity of any two sentences is rarely below 0.3,
    so this, not :class:`CrossLanguage`, tells a text that shares nothing at all."""
    def words(key: str) -> set[str]:
        return {w for w in bridge(key).split() if len(w) >= 4 or w.isdigit()}

    q = [words(k) for k in queries]
    c = [words(k) for k in choices]
    vocabulary = {w: i for i, w in enumerate(sorted(set().union(*q, *c)))}
    out = np.zeros((len(q), len(c)), dtype=np.float32)
    if not vocabulary:
        return out
    a = np.zeros((len(q), len(vocabulary)), dtype=np.float32)
    b = np.zeros((len(c), len(vocabulary)), dtype=np.float32)
    for m, sets in ((a, q), (b, c)):
        for i, ws in enumerate(sets):
            m[i, [vocabulary[w] for w in ws]] = 1.0
    sizes = a.sum(axis=1)[:, None] + b.sum(axis=1)[None, :]
    return np.divide(2 * (a @ b.T), sizes, out=out, where=sizes > 0)
