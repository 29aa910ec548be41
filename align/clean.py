"""Cleaning: repair what capture broke, and normalise text for matching only.

Two different things happen here and they must not be confused:

* :func:`repair_entities` fixes encoding accidents (``&amp;``, ``&#8212;``,
  the broken ``& mdash;`` of scraped pages). The result is what the witness
  says, and it is what align writes.
* :func:`match_key` / :func:`tokenize` produce *matching* forms (case folded,
  invisible characters dropped, quotes and dashes unified). They are never
  written out: readings always carry the witness's own characters.
"""

from __future__ import annotations

import html
from functools import lru_cache
import re
import unicodedata

from .model import Token

# An entity, also in the broken forms scraped pages carry: "& mdash;", "&mdash ;".
_ENTITY = re.compile(r"&[ \t]{0,2}(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31})[ \t]{0,2};")

# C0/C1 controls that XML 1.0 cannot carry; tab and line breaks are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")

# Words keep inner hyphens, apostrophes and number separators ("Kassym-Zhomart",
# "country's", "2,500", "3.6", "02.10.2024"); a bracketed editorial insertion
# ("[member]", "[...]") is one token so that it is one reading.
_WORD = rf"[\w{_INVISIBLE}]+(?:[-'’.,][\w{_INVISIBLE}]+)*"
_TOKEN = re.compile(rf"\[[^\[\]\n]{{1,80}}\]|{_WORD}|\.\.\.|[^\w\s{_INVISIBLE}]")

_QUOTES = str.maketrans({
    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'",
    "—": "-", "–": "-", "‒": "-", "―": "-", "‐": "-", "‑": "-",
})


def encodable(text: str) -> bool:
    """Whether a text can be written as UTF-8 (no lone surrogate, ``"\\ud800"``,
    which JSON and Python strings may hold)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def repair_entities(text: str) -> tuple[str, int]:
    """Decode escaped and broken HTML entities; return the text and how many were repaired.

    Unknown names are left alone (``&foo;`` stays as written). Double escaping
    (``&amp;mdash;``) is undone too, at most three levels deep.
    """
    count = 0

    def fix(m: re.Match[str]) -> str:
        nonlocal count
        decoded = html.unescape(f"&{m.group(1)};")
        if decoded == f"&{m.group(1)};":
            return m.group(0)
        count += 1
        return decoded

    for _ in range(3):
        before = count
        text = _ENTITY.sub(fix, text)
        if count == before:
            break
    return text, count


def remove_controls(text: str) -> tuple[str, int]:
    """Replace control characters (which XML cannot hold) by spaces."""
    return _CONTROL.subn(" ", text)


# The 66 Unicode noncharacters: U+FDD0..U+FDEF and the last two code points of each plane.
_NONCHARACTER = re.compile(
    "[\ufdd0-\ufdef" + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17)) + "]"
)


def remove_noncharacters(text: str) -> tuple[str, int]:
    """Drop the Unicode noncharacters (U+FFFE, U+FFFF, U+FDD0-U+FDEF, ...).

    They are no part of any text (Unicode reserves them for a program's
    internal use), they are invisible, XML cannot carry U+FFFE and U+FFFF, and
    U+FFFE in a text is most often a stray byte-order mark: they are dropped,
    not replaced, so that ``c\uffffat`` reads ``cat``.
    """
    return _NONCHARACTER.subn("", text)


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """The matching form of a piece of text: NFKC, case folded, invisibles dropped,
    typographic quotes and dashes unified."""
    text = unicodedata.normalize("NFKC", _INVISIBLE_RE.sub("", text))
    return text.translate(_QUOTES).casefold()


@lru_cache(maxsize=1 << 16)
def is_punctuation(text: str) -> bool:
    return not any(ch.isalnum() for ch in text)


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split text into word and punctuation tokens with offsets (plus ``offset``)."""
    return [
        Token(m.start() + offset, m.end() + offset, m.group(), fold(m.group()))
        for m in _TOKEN.finditer(text)
    ]


# Sized for two witnesses of 100,000 sentences: a smaller cache thrashes on a
# book-length pair and every stage pays the work again.
@lru_cache(maxsize=1 << 18)
def match_key(text: str) -> str:
    """A sentence's matching form: folded words, no punctuation, single spaces."""
    return " ".join(t.norm for t in tokenize(text) if not is_punctuation(t.norm))


def words(text: str) -> list[str]:
    """The words of a text as written (punctuation dropped): what "nothing is lost" counts."""
    return [t.text for t in tokenize(text) if not is_punctuation(t.norm)]
