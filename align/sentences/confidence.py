"""A link's confidence: the probability that it is right, fitted on data.

A unit's ``@cert`` is read by scholars as "check this below 0.5", so it must
be a probability, not a similarity. A logistic model maps what the aligner
knows of a link (its similarity, Gale & Church's length deviation as the
alignment weighs it, how many sentences it joins) to the probability that the
link is right, with coefficients fitted on data with a known alignment
(``benchmarks/calibration.py --fit``) and stored in
``align/data/confidence.json``; its calibration is measured on material never
fitted on (``benchmarks/calibration.py``).

The similarities of the scorers are on different scales (the cross-language
scorer's learned word pairs, the embeddings' mapped cosines), so there is one
model per kind of similarity (MODELS), each fitted on links of its own kind:
the character and word scorers of one language (the KJV/WEB Gospels and Acts,
the synoptic retellings), the cross-language scorer (the Reina-Valera 1909
against the KJV and the WEB, the same books), and the same two with the
``embed`` extra. With the first model alone, links across languages were
underconfident (check books: 0.1-0.5 ``@cert`` were right 77-92% of the time).
In one language a retelling's links (see align.sentences._retells) have
models of their own, fitted on the synoptic retellings' links and the
retellings in a speaker's words (benchmarks/data/retold_in_speech.json): judged as a
translation's, the seeds' retellings stood at a mean of 0.75-0.80 where half
were right.
"""

from __future__ import annotations

import json
import math
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from typing import Iterator, Sequence

import numpy as np

# Linear in each (a monotone model: a more similar link is never less likely right).
FEATURES = ("bias", "similarity", "deviation", "extra sentences")

# The kinds of similarity, each with a model of its own (see model_for); in one
# language, a retelling's links (a witness that renders the other out of order,
# in other words) have models of their own: at the similarity of a
# translation's sure link, a retelling's link is right half the time.
LEXICAL, ACROSS, EMBEDDING, EMBEDDING_ACROSS, LEXICAL_RETELLING, EMBEDDING_RETELLING = MODELS = (
    "lexical", "lexical across languages", "embedding", "embedding across languages",
    "lexical retelling", "embedding retelling")


def model_for(scorer: str, across: bool, retelling: bool = False) -> str:
    """The model for links scored by the scorer named ``scorer`` (Settings.scorer)
    between witnesses in one language or (``across``) in two; ``retelling``: the
    link's witness retells the text so far (see align.sentences._retells). Across languages a
    retelling is judged as a translation is (too few such links to fit a model)."""
    if scorer == "embedding":
        return EMBEDDING_ACROSS if across else EMBEDDING_RETELLING if retelling else EMBEDDING
    return ACROSS if across else LEXICAL_RETELLING if retelling else LEXICAL


def features(similarity: float, deviation: float, sentences: int) -> list[float]:
    return [1.0, similarity, deviation, float(max(sentences - 2, 0))]


@lru_cache(maxsize=1)
def _models() -> dict[str, tuple[float, ...]]:
    text = resources.files("align").joinpath("data/confidence.json").read_text("utf-8")
    stored = json.loads(text)
    if tuple(stored["features"]) != FEATURES:
        raise ValueError("align/data/confidence.json was fitted on other features; refit it")
    if set(stored["models"]) != set(MODELS):
        raise ValueError("align/data/confidence.json holds other models than align's; refit it")
    return {name: tuple(float(c) for c in m["coefficients"]) for name, m in stored["models"].items()}


def coefficients(model: str = LEXICAL) -> tuple[float, ...]:
    """The shipped coefficients of ``model`` (one of MODELS)."""
    return _models()[model]


def probability(similarity: float, deviation: float, sentences: int, model: str = LEXICAL) -> float:
    """P(the link is right | what the aligner knows of it)."""
    return of_features(features(similarity, deviation, sentences), model)


def of_features(row: Sequence[float], model: str = LEXICAL) -> float:
    """The shipped model's probability for a row of :func:`features`."""
    z = sum(c * x for c, x in zip(coefficients(model), row))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


# Fitting needs the features exactly as the aligner saw them (the length
# deviation uses the variance fitted on each pair, which nothing outside the
# alignment knows): inside ``observed()``, every link judged is noted here.
Observed = list[tuple[dict[str, tuple[int, ...]], list[float], str]]
_observers: list[Observed] = []


@contextmanager
def observed() -> Iterator[Observed]:
    """Collect (the link's sentences per witness, its features, its model) for
    every link the aligner gives a probability while the block runs (for fitting)."""
    log: Observed = []
    _observers.append(log)
    try:
        yield log
    finally:
        _observers.remove(log)


def judged(sentences: dict[str, tuple[int, ...]], similarity: float, deviation: float, size: int,
           model: str = LEXICAL) -> float:
    """The probability of a link between ``sentences`` (per witness), noted for
    any observer."""
    for log in _observers:
        log.append((sentences, features(similarity, deviation, size), model))
    return probability(similarity, deviation, size, model)


# The sign each coefficient must have (0: either): a link whose lengths disagree
# more is never likelier right. Across pairs the deviation is confounded (a
# retelling's lengths are weighed loosely, so its doubtful links deviate
# little), and an unconstrained fit would learn the confounding.
SIGNS = (0, 0, -1, 0)


def fit(rows: Sequence[Sequence[float]], labels: Sequence[bool], l2: float = 1e-3) -> list[float]:
    """Logistic regression by Newton's method (a small L2 penalty keeps it
    finite); a coefficient of the wrong sign (see SIGNS) is held at 0 and the
    others fitted again."""
    x = np.asarray(rows, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    free = np.ones(x.shape[1], dtype=bool)
    while True:
        w = np.zeros(x.shape[1])
        w[free] = _newton(x[:, free], y, l2)
        wrong = [k for k, sign in enumerate(SIGNS[: len(w)]) if free[k] and sign * w[k] < 0]
        if not wrong:
            return w.tolist()
        free[wrong] = False


def _newton(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + l2 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def reliability(points: Sequence[tuple[float, bool]], bins: int = 10) -> tuple[list[tuple[float, float, int, float]], float]:
    """Reliability table (per confidence bin: low edge, mean confidence, units,
    share right) and the expected calibration error."""
    table = []
    ece = 0.0
    n = len(points)
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(c, ok) for c, ok in points if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if not inside:
            continue
        mean = sum(c for c, _ in inside) / len(inside)
        right = sum(ok for _, ok in inside) / len(inside)
        table.append((lo, mean, len(inside), right))
        ece += len(inside) / n * abs(mean - right)
    return table, ece
