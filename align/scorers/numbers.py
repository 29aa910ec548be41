"""Numbers compared by value: what renderings, translations and reports keep.

A translator or a reporter rewrites the words around a number and keeps the
number, but often not its spelling: ``about 2,500 people`` / ``2.5 thousand
people`` (a news report), ``2,5 тыс.`` (Russian), ``2.500``
(German, Spanish). Compared as characters these share little; compared as
values they are the same number. :func:`values` reads the numbers of a matching
key (see :func:`align.clean.match_key`: folded words, no punctuation but the
separators inside numbers) as values, and :func:`terms` turns shared and
unshared numbers into a term added to a similarity: shared numbers raise a pair
(NUMBER_BONUS times the share of the two sides' numbers that are shared), any
number one side has and the other lacks lowers it (NUMBER_PENALTY). The
cross-language scorer adds it (:mod:`align.scorers.crosslang`); content
words read numbers with :func:`read` (:mod:`align.scorers.content`).

In one language the default scorer does not add it: tried on the seeds'
retellings (2026-12-06; the development retellings, the Gospels, write numbers
in words), it linked both reports' ``2.5 thousand`` / ``2,500`` sentences but
moved other links of 001/003 inside the four renderings away from the pair's
own (pairs F1 0.595 inside against 0.649 alone): no development material
shows what it is worth there.

How a number is read:

* digits grouped by threes with ``,`` or ``.`` (``2,500``, ``2.500``,
  ``1,000,000``) are an integer, with a decimal part after the other separator
  (``1,000.5``); other digits with one ``,`` or ``.`` a decimal fraction
  (``2.5``, ``2,5``);
* a scale word after it multiplies it (``2.5 thousand``, ``2,5 тыс``, ``3
  Millionen``, ``mil``): the scale words of the languages align segments.

A number whose spelling is ambiguous (``2,500``: two thousand five hundred in
English, two and a half in a text that writes decimals with a comma and groups
with spaces) is read the English way; the same spelling in two witnesses still
reads as the same value.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Iterator, Optional, Sequence, Union

import numpy as np

# How much shared numbers raise a pair and unmatched ones lower it (the cross-
# language scorer's, where they were set first: across languages numbers and
# names are most of what two sentences share by their characters).
NUMBER_BONUS = 0.25
NUMBER_PENALTY = 0.1

# Words that multiply the number before them, as folded keys write them.
_SCALES = {
    1e2: ("hundred", "hundreds"),
    1e3: ("thousand", "thousands", "тыс", "тысяча", "тысячи", "тысяч", "tausend", "mille", "mil"),
    1e6: ("million", "millions", "mln", "mn", "млн", "миллион", "миллиона", "миллионов", "millionen", "mio",
          "millón", "millon", "millones"),
    1e9: ("billion", "billions", "bn", "млрд", "миллиард", "миллиарда", "миллиардов", "milliarde", "milliarden",
          "mrd", "milliard", "milliards", "millardo", "millardos"),
    1e12: ("trillion", "trillions", "трлн", "триллион", "триллиона", "триллионов", "billionen", "billones"),
}
_SCALE = {word: factor for factor, words in _SCALES.items() for word in words}
# A word that is a number: digits grouped by threes, not after a lone 0 (with a
# decimal part after the other separator: 1,000.5 / 1.000,5), or digits with one
# decimal separator (0.500 is a half).
_NUMBER = re.compile(r"(?P<whole>[1-9]\d{0,2}(?:(?P<sep>[,.])\d{3})(?:(?P=sep)\d{3})*)(?:[,.](?P<part>\d+))?"
                     r"|(?P<digits>\d+)(?:[,.](?P<fraction>\d+))?")
# Digits inside a word that is not a number as a whole (2,500-strong, 5km, 1990s).
_INSIDE = re.compile(r"\d+(?:[.,]\d+)*")


def value(word: str) -> Optional[float]:
    """The value of a word of a matching key that is a number (None if it is not)."""
    m = _NUMBER.fullmatch(word)
    if m is None:
        return None
    if m.group("whole"):
        if m.group("part") and word[m.end("whole")] == m.group("sep"):
            return None  # 1,000,5: groups of other sizes
        number = float(m.group("whole").replace(m.group("sep"), "") + "." + (m.group("part") or "0"))
    else:
        number = float(m.group("digits") + "." + (m.group("fraction") or "0"))
    # Hundreds of digits (a code, a hash) are a word, not a quantity.
    return number if math.isfinite(number) else None


def _read(words: Sequence[str]) -> Iterator[Union[str, float]]:
    """The words, each number as its value with a scale word after it folded in."""
    i = 0
    while i < len(words):
        number = value(words[i])
        if number is None:
            yield words[i]
        else:
            if i + 1 < len(words) and words[i + 1] in _SCALE and math.isfinite(number * _SCALE[words[i + 1]]):
                number *= _SCALE[words[i + 1]]
                i += 1
            yield number
        i += 1


def read(words: Sequence[str]) -> list[str]:
    """The words with each number written one way, a scale word after it folded
    in: ``2,500``, ``2500``, ``2.500`` and ``2.5 thousand`` are all ``2500``."""
    return [w if isinstance(w, str) else _written(w) for w in _read(words)]


def _written(number: float) -> str:
    """A value as one word: the integer's digits, or the decimal to six places
    without trailing zeros (distinct values stay distinct words)."""
    if number == int(number):
        return str(int(number))
    return f"{round(number, 6):.6f}".rstrip("0").rstrip(".")


@lru_cache(maxsize=1 << 16)
def values(key: str) -> frozenset[float]:
    """The numbers of a matching key, as values; also those written inside a word
    (``2,500-strong``, ``5km``, ``1990s``, ``1914-1918``)."""
    out = set()
    for w in _read(key.split()):
        if not isinstance(w, str):
            out.add(round(w, 6))
            continue
        for digits in _INSIDE.findall(w):
            number = value(digits)
            if number is not None:
                out.add(round(number, 6))
    return frozenset(out)



def terms(queries: Sequence[str], choices: Sequence[str], pairwise: bool = False) -> np.ndarray:
    """The numbers' term for each pair (a matrix, or the pairs' diagonal):
    NUMBER_BONUS times shared / all distinct numbers of the two, less
    NUMBER_PENALTY where either has a number the other lacks; 0 where neither
    has any."""
    q = [values(k) for k in queries]
    c = [values(k) for k in choices]
    if pairwise:
        out = np.zeros(len(q), dtype=np.float32)
        for i, (a, b) in enumerate(zip(q, c)):
            if a or b:
                out[i] = NUMBER_BONUS * len(a & b) / len(a | b) - NUMBER_PENALTY * bool(a ^ b)
        return out
    vocabulary = {v: k for k, v in enumerate(sorted(set().union(*q, *c)))}
    if not vocabulary:
        return np.zeros((len(q), len(c)), dtype=np.float32)
    qm = np.zeros((len(q), len(vocabulary)), dtype=np.float32)
    cm = np.zeros((len(c), len(vocabulary)), dtype=np.float32)
    for m, sets in ((qm, q), (cm, c)):
        for i, s in enumerate(sets):
            m[i, [vocabulary[v] for v in s]] = 1.0
    shared = qm @ cm.T
    union = qm.sum(axis=1)[:, None] + cm.sum(axis=1)[None, :] - shared
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(union > 0, NUMBER_BONUS * shared / union - NUMBER_PENALTY * (shared < union), 0.0)
    return out.astype(np.float32)
