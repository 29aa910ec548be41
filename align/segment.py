"""Segmentation: paragraphs, then speaker turns, then sentences (nltk Punkt).

Punkt runs on parameters built from an abbreviation list shipped in
``align/data`` (no model is downloaded: ``nltk.download()`` cannot be reached
offline). A few rules that Punkt gets wrong on interview pages are applied
around it:

* a line break always ends a sentence (pages put headlines, captions and
  navigation on lines of their own);
* an editorial ellipsis ``[...]`` followed by a capital ends a sentence;
* initials (``T.S. Sultangaziev``) never end one.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Iterator

from .model import Segmentation, Sentence, Turn, Witness

_LINE = re.compile(r"[^\n\r\u2028\u2029]+")
# "Sputnik:", "Secretary General:", "Q:" -- a short capitalised name and a colon.
_NAMED_LABEL = re.compile(r"[^\S\r\n]*(?P<label>(?P<name>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):)[^\S\r\n]+(?=\S)")
_DASH_LABEL = re.compile(r"[^\S\r\n]*(?P<label>[—–-])[^\S\r\n]+(?=\S)")
_EDITORIAL_ELLIPSIS = re.compile(r"\[(?:\.\.\.|…)\](?=\s+[\"“'‘(]?[A-Z])")
_ENDS_WITH_INITIAL = re.compile(r"(?:^|[\s(])(?:[A-Z]\.){1,3}$")
_STARTS_UPPER = re.compile(r"[\"“'‘(]?[A-Z]")


@lru_cache(maxsize=1)
def _punkt():  # type: ignore[no-untyped-def]
    # Imported here so that `align --help` does not pay for nltk's import.
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    text = resources.files("align").joinpath("data/abbreviations.txt").read_text("utf-8")
    params.abbrev_types = {
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    }
    return PunktSentenceTokenizer(params)


def _lines(text: str) -> Iterator[tuple[int, int]]:
    for m in _LINE.finditer(text):
        if m.group().strip():
            yield m.start(), m.end()


def _named_labels(text: str, lines: list[tuple[int, int]]) -> set[str]:
    """Labels that really mark turns: a colon-name is a speaker label only if the
    page uses it as one (one name seen at least three times, or two names seen
    at least twice each), so that a headline like "Zas: ..." is not a turn."""
    counts: Counter[str] = Counter()
    for start, end in lines:
        m = _NAMED_LABEL.match(text, start, end)
        if m and len(m.group("name")) <= 40:
            counts[m.group("name")] += 1
    repeated = {name for name, n in counts.items() if n >= 2}
    if len(repeated) >= 2 or any(n >= 3 for n in counts.values()):
        return repeated
    return set()


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (one paragraph), as absolute offsets."""
    end = len(text) if end is None else end
    pieces: list[tuple[int, int]] = []
    cut = start
    for m in _EDITORIAL_ELLIPSIS.finditer(text, start, end):
        pieces.append((cut, m.end()))
        cut = m.end()
    pieces.append((cut, end))

    spans: list[tuple[int, int]] = []
    tokenizer = _punkt()
    for a, b in pieces:
        chunk = text[a:b]
        for s, e in tokenizer.span_tokenize(chunk):
            s, e = s + a, e + a
            if spans and _ENDS_WITH_INITIAL.search(text, spans[-1][0], spans[-1][1]) and _STARTS_UPPER.match(text, s):
                spans[-1] = (spans[-1][0], e)
            else:
                spans.append((s, e))
    out = []
    for s, e in spans:
        chunk = text[s:e]
        if chunk.strip():
            out.append((s + len(chunk) - len(chunk.lstrip()), e - (len(chunk) - len(chunk.rstrip()))))
    return out


def segment(witness: Witness) -> Segmentation:
    """Split a witness into speaker turns and sentences (labels are sentences of kind ``label``)."""
    text = witness.text
    lines = list(_lines(text))
    named = _named_labels(text, lines)
    dash_lines = sum(1 for s, e in lines if _DASH_LABEL.match(text, s, e))

    sentences: list[Sentence] = []
    turns: list[Turn] = []

    def add(start: int, end: int, kind: str, paragraph: int) -> None:
        # Trim surrounding whitespace so that offsets point at the words.
        raw = text[start:end]
        start += len(raw) - len(raw.lstrip())
        end -= len(raw) - len(raw.rstrip())
        sentences.append(
            Sentence(witness.sigil, len(sentences), start, end, text[start:end], kind,  # type: ignore[arg-type]
                     paragraph, len(turns) - 1 if turns else None)
        )

    for paragraph, (start, end) in enumerate(lines):
        label = None
        m = _NAMED_LABEL.match(text, start, end)
        if m and m.group("name") in named:
            label, speaker = m, m.group("name")
        else:
            m = _DASH_LABEL.match(text, start, end)
            if m and dash_lines >= 2:
                # Dashes alternate question and answer, as in Russian interviews.
                label, speaker = m, ("Q" if sum(1 for t in turns if t.label in "—–-") % 2 == 0 else "A")
        if label is not None:
            if turns:
                prev = turns[-1]
                turns[-1] = Turn(prev.index, prev.label, prev.speaker, prev.start, start)
            turns.append(Turn(len(turns), label.group("label"), speaker, label.start("label"), len(text)))
            add(label.start("label"), label.end("label"), "label", paragraph)
            start = label.end()
        for s, e in sentence_spans(text, start, end):
            add(s, e, "sentence", paragraph)
    if turns:
        prev = turns[-1]
        last_end = max(s.end for s in sentences)
        turns[-1] = Turn(prev.index, prev.label, prev.speaker, prev.start, last_end)
    return Segmentation(witness, tuple(sentences), tuple(turns))
