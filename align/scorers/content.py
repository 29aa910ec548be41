"""Content-word similarity for retellings: paraphrase keeps the words that carry
meaning (names, numbers, nouns, verbs) and changes everything around them.

Each sentence becomes a set of stemmed content words (function and reporting
words dropped, see ``align/data/stopwords-*.txt``), weighted by their inverse
document frequency over the sentences being compared, so that the names every
sentence repeats (``CSTO``, ``Kazakhstan``) count little; the similarity is the
cosine of the two weighted sets. Stemming is nltk's Snowball (no data files).
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources
from typing import Mapping, Sequence

import numpy as np

from .base import Scorer
from .numbers import read as read_numbers


@lru_cache(maxsize=None)
def stopwords(language: str) -> frozenset[str]:
    try:
        text = resources.files("align").joinpath(f"data/stopwords-{language}.txt").read_text("utf-8")
    except FileNotFoundError:
        return frozenset()
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=8)
def _stemmer(language: str):
    from .._punkt import snowball  # nltk's Snowball without nltk's package __init__

    SnowballStemmer = snowball().SnowballStemmer

    if language not in SnowballStemmer.languages:
        return None
    return SnowballStemmer(language)


# Sized for two witnesses of 100,000 sentences: a smaller cache thrashes on a
# book-length pair and every stage pays the work again.
@lru_cache(maxsize=1 << 18)
def content_words(key: str, language: str = "english") -> frozenset[str]:
    """The stemmed content words of a matching key (all its words if it has
    no content word: such a sentence is compared by what it has)."""
    stop = stopwords(language)
    stemmer = _stemmer(language)
    words = [w for w in read_numbers(key.split()) if w not in stop and (len(w) > 1 or w.isdigit())] or key.split()
    return frozenset(_stem(stemmer, w) if not w[0].isdigit() else w for w in words) if stemmer else frozenset(words)


def _stem(stemmer, word: str) -> str:
    return _STEMS.get(word) or _STEMS.setdefault(word, stemmer.stem(word))


_STEMS: dict[str, str] = {}


class Content(Scorer):
    name = "content"
    description = "IDF-weighted cosine of stemmed content words (for paraphrase and retellings)"

    def __init__(self, language: str = "english", corpus: Sequence[str] = ()) -> None:
        # Document frequencies come from ``corpus`` when given (all sentences of
        # the witnesses), else from the sentences being compared.
        self.language = language
        self.df: dict[str, int] = {}
        self.documents = 0
        self._weights: dict[str, float] = {}
        self._choice_cache: dict[tuple[str, ...], tuple[dict[str, list[int]], np.ndarray]] = {}
        for key in corpus:
            self._count(content_words(key, language))

    def _count(self, words: frozenset[str]) -> None:
        self._weights.clear()
        self.documents += 1
        for w in words:
            self.df[w] = self.df.get(w, 0) + 1

    def _idf(self, q: Sequence[frozenset[str]], c: Sequence[frozenset[str]]) -> dict[str, float]:
        if self.documents:
            # Weights over a fixed corpus: each word's once, kept for the next call
            # (a dict holding more words than asked serves as well).
            df, n, known = self.df, self.documents, self._weights
            for words in list(q) + list(c):
                for w in words:
                    if w not in known:
                        known[w] = math.log((n + 1) / (df.get(w, 0) + 0.5))
            return known
        else:
            df, n = {}, len(q) + len(c)
            for words in list(q) + list(c):
                for w in words:
                    df[w] = df.get(w, 0) + 1
        return {w: math.log((n + 1) / (df.get(w, 0) + 0.5)) for words in list(q) + list(c) for w in words}

    def _choices(self, key: tuple[str, ...], c: Sequence[frozenset[str]], idf: dict[str, float]):  # type: ignore[no-untyped-def]
        """An inverted index over the choices (each query touches only the choices it
        shares a word with) and their norms. Kept for the next call with the same
        choices while the weights are fixed (a corpus): the transposition search asks
        for one witness's sentences again and again, block after block."""
        cached = self._choice_cache.get(key) if self.documents else None
        if cached is not None:
            return cached
        postings: dict[str, list[int]] = {}
        for j, words in enumerate(c):
            for w in words:
                postings.setdefault(w, []).append(j)
        # Sums in a fixed word order: a set's order changes with the process's string
        # hashing, and float sums in another order differ in the last bits.
        norm_c = np.array([math.sqrt(sum(idf[w] ** 2 for w in sorted(words))) for words in c], dtype=np.float32)
        if self.documents:
            if len(self._choice_cache) >= 8:
                self._choice_cache.pop(next(iter(self._choice_cache)))
            self._choice_cache[key] = (postings, norm_c)
        return postings, norm_c

    def pairwise(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        q = [content_words(k, self.language) for k in queries]
        c = [content_words(k, self.language) for k in choices]
        idf = self._idf(q, c)
        out = np.zeros(len(q), dtype=np.float32)
        for i, (a, b) in enumerate(zip(q, c)):
            norm = math.sqrt(sum(idf[w] ** 2 for w in sorted(a))) * math.sqrt(sum(idf[w] ** 2 for w in sorted(b)))
            if norm:
                out[i] = sum(idf[w] ** 2 for w in sorted(a & b)) / norm
        return np.clip(out, 0.0, 1.0, out=out)

    def __call__(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(queries), len(choices)), dtype=np.float32)
        if not queries or not choices:
            return out
        q = [content_words(k, self.language) for k in queries]
        c = [content_words(k, self.language) for k in choices]
        idf = self._idf(q, c)
        postings, norm_c = self._choices(tuple(choices), c, idf)
        # Arrays only for the words the queries use (few queries against many choices).
        index: dict[str, np.ndarray] = {}
        for i, words in enumerate(q):
            row = out[i]
            for w in sorted(words):
                js = index.get(w)
                if js is None and w in postings:
                    js = index[w] = np.array(postings[w])
                if js is not None:
                    row[js] += idf[w] ** 2
            norm_q = math.sqrt(sum(idf[w] ** 2 for w in sorted(words)))
            if norm_q:
                np.divide(row, norm_q * np.maximum(norm_c, 1e-9), out=row)
        return np.clip(out, 0.0, 1.0, out=out)


@lru_cache(maxsize=4)
def _over(language: str, corpus: tuple[str, ...]) -> Content:
    return Content(language, corpus)


def corpus_scorer(keys: Mapping[str, Sequence[str]], language: str = "english") -> Content:
    """The content scorer weighted over every sentence of the witnesses: one per
    collation, shared by the stages that ask for it (its word counts are the
    same for each, and a book-length pair pays for them once)."""
    return _over(language, tuple(k for ks in keys.values() for k in ks))
