"""Languages align segments: their codes, offline detection, and checking a code.

A witness's language (``Witness.lang``) is an ISO 639-1 code. align knows five:
English, Russian, German, French and Spanish (nltk's Punkt and Snowball names
in :data:`LANGUAGES`). :func:`detect` tells them apart without a model or a
download: the script first (Cyrillic is Russian), then, for Latin script, how
many of each language's most frequent function words the text uses, and the
letters and marks only one of them writes (``ñ ¿ ¡ á í ó ú`` in Spanish, ``ß ä
ö ü`` in German, ``ç è ê à œ`` in French). English wins when nothing else does
(the project's default). Measured on the hand-written samples of
tests/test_languages.py: every paragraph and every one of 152 sentences of ten
words or more right (54 of them written after the lists were tuned); fragments
of five words 97-98% right, of three about 90%. A text's start, middle and end
(20,000 characters each) are looked at: a few milliseconds for any length.

Plain functions and regular expressions only: importing this module is cheap.
"""

from __future__ import annotations

import re

from .errors import SettingsError

# Code -> nltk's name of the language (Punkt, Snowball).
LANGUAGES: dict[str, str] = {"en": "english", "ru": "russian", "de": "german", "fr": "french", "es": "spanish"}

# Other names a user may give: ISO 639-2/3 codes and the languages' own names.
_ALIASES: dict[str, str] = {
    "eng": "en", "rus": "ru", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es",
    "русский": "ru", "deutsch": "de", "français": "fr", "francais": "fr", "español": "es", "espanol": "es",
    "castellano": "es",
}

# The most frequent function words of each language (lower case, split at
# apostrophes: French "l'", "d'", "qu'" count as "l", "d", "qu"). A word in
# several lists counts for each, divided among them. Words that are frequent
# content words of another language ("war", "man", "hat") are left out.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("""
        the of and to a in is it that was for on are as with his they be at have this from or had by not
        but what all were we when your can said there an each which she do how their if will up other
        about out many then them these so some her would make like him into has more could been who its
        now did may over after also just only any most very where much should than those such while
        i you he our us me my because here being does am
    """.split()),
    "de": frozenset("""
        der die das den dem des ein eine einen einem einer eines und ist sind waren nicht mit von zu zum
        zur im in auf für an auch sich es ich er sie wir ihr aber oder als wie wenn dass daß noch nach
        bei aus um nur so schon wird werden wurde wurden hat haben kann können dieser diese dieses
        mehr sehr über unter vor durch gegen ohne doch bis hier dann kein keine seine sein ihre ihren
        unsere uns mich mir dich dir ihm ihn jetzt immer wieder zwischen sowie damit weil denn
        am man etwas jeden jede jeder alle viele ob ganz soll sollte muss müssen
    """.split()),
    "fr": frozenset("""
        le la les de des du un une et est il elle ils elles je nous vous on ne pas que qui dans sur au
        aux ce cette ces pour par avec se sa son ses leur leurs mais ou où donc été être avoir ont sont
        était fait plus comme tout tous très aussi bien même en lui sans entre sous après avant chez
        nos notre votre l d qu j n c cela ça ceci dont lorsque puis encore déjà alors toujours
        peut a
    """.split()),
    "es": frozenset("""
        el la los las de del un una unos unas y que en es son por para con sin sobre entre pero como
        más muy su sus se lo le les al este esta estos estas ese esa eso está están fue ser ha han hay
        también ya cuando donde porque sí no nos yo él ella ellos nosotros usted qué cómo todo todos
        puede desde hasta mi tiene era fueron sido hace esto otro otra cada muchos mientras
        a
    """.split()),
}
# Word endings typical of one language, a weaker sign (words of four letters or
# more that are no function word).
_ENDINGS: dict[str, tuple[str, ...]] = {
    "en": ("ing", "ly", "ed", "ness", "ship", "ful", "ght"),
    "de": ("ung", "ungen", "keit", "heit", "lich", "isch", "chen", "schaft", "sch"),
    "fr": ("eux", "aux", "ais", "ait", "aient", "ée", "ées", "eau", "eaux", "ment", "ons", "ez"),
    "es": ("os", "as", "ción", "ado", "ada", "idad", "aba", "aban", "aron", "ieron", "ando", "iendo", "ía",
           "ido", "ida"),
}
_ENDING_WEIGHT = 0.25
# Letters and marks of one language only (among the four Latin-script ones).
_TELLTALES: dict[str, str] = {"es": "ñ¿¡áíóú", "de": "ßäöü", "fr": "çèêàœâîôûùëï"}
_TELLTALE_WEIGHT = 1.0

_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_SAMPLE = 20_000  # characters looked at, from each of the text's start, middle and end
# Function words another language than English needs (and more than English's)
# before a text is taken to be in it: accented names alone are no evidence.
MIN_FUNCTION_WORDS = 1


def _weights() -> dict[str, dict[str, float]]:
    shared: dict[str, int] = {}
    for words in _FUNCTION_WORDS.values():
        for w in words:
            shared[w] = shared.get(w, 0) + 1
    return {lang: {w: 1.0 / shared[w] for w in words} for lang, words in _FUNCTION_WORDS.items()}


_WEIGHTS = _weights()


def _sample(text: str) -> str:
    if len(text) <= 3 * _SAMPLE:
        return text
    middle = (len(text) - _SAMPLE) // 2
    return "\n".join((text[:_SAMPLE], text[middle:middle + _SAMPLE], text[-_SAMPLE:]))


def function_words(text: str) -> dict[str, float]:
    """Each Latin-script language's weighted count of its function words in ``text``."""
    out = {lang: 0.0 for lang in _FUNCTION_WORDS}
    for m in _WORD.finditer(_sample(text).lower()):
        for lang, weights in _WEIGHTS.items():
            x = weights.get(m.group())
            if x is not None:
                out[lang] += x
    return out


def scores(text: str) -> dict[str, float]:
    """Each Latin-script language's score for ``text`` (weighted function words
    and telltale letters); :func:`detect` takes the highest."""
    text = _sample(text).lower()
    out = {lang: 0.0 for lang in _FUNCTION_WORDS}
    for m in _WORD.finditer(text):
        w = m.group()
        found = False
        for lang, weights in _WEIGHTS.items():
            x = weights.get(w)
            if x is not None:
                out[lang] += x
                found = True
        if not found and len(w) >= 4:
            for lang, endings in _ENDINGS.items():
                if w.endswith(endings):
                    out[lang] += _ENDING_WEIGHT
    for lang, letters in _TELLTALES.items():
        out[lang] += _TELLTALE_WEIGHT * sum(text.count(c) for c in letters)
    return out


def detect(text: str) -> str:
    """The language of ``text`` among :data:`LANGUAGES` (a code): Russian when
    Cyrillic letters outnumber Latin ones, else the Latin-script language whose
    function words and letters score highest; English when none scores more than
    it (or the text has no words)."""
    sample = _sample(text)
    cyrillic = len(_CYRILLIC.findall(sample))
    if cyrillic and cyrillic > len(_LATIN.findall(sample)):
        return "ru"
    got = scores(sample)
    best = max(got, key=lambda lang: (got[lang], lang == "en"))
    if best == "en" or not got[best] > got["en"]:
        return "en"
    # Letters and endings only break ties between function words: an English text
    # full of names (Müller, Düsseldorf, crème brûlée, Los Angeles) stays English.
    words = function_words(sample)
    return best if words[best] >= MIN_FUNCTION_WORDS and words[best] > words["en"] else "en"


def check(code: str) -> str:
    """``code`` as one of the :data:`LANGUAGES` codes: any case, a code with a
    region (``en-GB``), nltk's English name (``german``), a three-letter ISO
    639-2 code (``deu``) or the language's own name (``français``). Raises
    :class:`~align.errors.SettingsError` for anything else."""
    if not isinstance(code, str):
        raise SettingsError(f"a language must be text, not {code!r}")
    key = code.strip().lower().replace("_", "-")
    if key in LANGUAGES:
        return key
    for c, name in LANGUAGES.items():
        if key == name:
            return c
    if key in _ALIASES:
        return _ALIASES[key]
    base = key.split("-", 1)[0]
    if "-" in key and base in LANGUAGES:
        return base
    known = ", ".join(f"{c} ({name})" for c, name in LANGUAGES.items())
    raise SettingsError(f"unknown language {code!r}: align knows {known}")
