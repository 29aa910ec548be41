"""Segmentation: paragraphs, then speaker turns, then sentences (nltk Punkt).

Punkt runs on parameters built from an abbreviation list shipped in
``align/data`` and a list of frequent sentence starters (no model is
downloaded: ``nltk.download()`` cannot be reached offline). Punkt's cuts are
then checked by rules that it gets wrong, untrained, on web pages and on the
"Golden Rules" of sentence boundary detection. Every rule only moves cuts:
a sentence is always a slice of the original text, so offsets stay exact.

* a line break always ends a sentence (pages put headlines, captions and
  navigation on lines of their own);
* an editorial ellipsis ``[...]`` followed by a capital ends a sentence;
* initials (``T.S. Sultangaziev``, ``Albert I. Jones``) and titles
  (``Mr.``, ``e.g.``) do not end one, unless initials are followed by a word
  that usually starts sentences (``I live in the U.S. How about you?``);
* a sentence does not start with a lower-case word (``'This is great.' she
  said``, ``Yahoo! in``, ``U.S.A. last year``);
* spaced ellipses: three dots mark an omission inside a sentence, four dots
  end it (``. . . .``);
* numbered or lettered lists (``1.)``, ``2)``, ``a.``, ``• 9.``) start a
  sentence at each item when at least two consecutive items are seen;
* sentences glued together by a page (``Zas said.At the same time``) are cut.

Segmentation is linear in the text's length, also on a 2 MB line with no
sentence punctuation, a 1 MB token or a 32 MB witness (0.1-0.6 s per MB; the
worst case, a page of nothing but candidate marks such as ``. . . .`` or
``Mr. Mr.``, about 15 s per MB, all of it inside Punkt, one step per mark).

Over-long sentences can be cut: with ``MAX_SENTENCE`` set to N, a sentence
longer than N characters is cut into pieces of N/2 to N characters: after the
last ``;``, ``:`` or dash followed by white space in the piece's second half,
else after its last comma, else at its last white space, else (no white space
at all) at N characters (never between a letter and its combining marks).
Offsets stay exact. It is off (``None``) because the sentence alignment scores
every pair of sentences (and of runs of up to three): N-character pieces of one
huge sentence cost it more than the one sentence does (one 50,000-word
sentence in two witnesses: 4.7 s whole, 59 s cut at 2,000). Turn it on (2,000:
more than three times the longest sentence of the seeds and of the generated
benchmarks, 592 characters, so prose is never cut) once that stage bounds its
work by characters rather than by sentence pairs.

Languages: a witness is segmented in its ``lang`` (``""`` is English, exactly
as before languages were added). Each language has its abbreviation list
(``align/data/abbreviations-ru.txt``...; English's is ``abbreviations.txt``)
and its sentence starters, and the rules above with its letters (Cyrillic, or
Latin with accents) and its quotes (``« »``, French with spaces inside, German
``„ “`` and ``» «``, Spanish ``¿ ¡``). Other languages add:

* spaced abbreviations (``z. B.``, ``т. е.``) of the ``prepositive`` kind never
  end a sentence, and lower-case one-letter abbreviations (Russian ``т. д.``,
  ``г.``) are handled like initials;
* a sentence does not start with a lower-case word after a dash (``«Придёшь?» —
  спросил он``, ``¿Vienes? —preguntó``), nor, in French, after an opening
  guillemet and its space;
* an abbreviation that may end a sentence (``usw.``, ``etc.``) ends it before
  an opening ``¿`` or ``¡``, or before a quote opening a sentence starter;
* German ordinals (``am 3. Oktober``) do not end a sentence, unless a sentence
  starter follows.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator

from .errors import SettingsError
from .lang import check as _check_language
from .model import Segmentation, Sentence, Turn, Witness

_LINE = re.compile(r"[^\n\r\u2028\u2029]+")
# "Sputnik:", "Secretary General:", "Q:" -- a short capitalised name and a colon.
_NAMED_LABEL = re.compile(r"[^\S\r\n]*(?P<label>(?P<name>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):)[^\S\r\n]+(?=\S)")
_DASH_LABEL = re.compile(r"[^\S\r\n]*(?P<label>[—–-])[^\S\r\n]+(?=\S)")
_EDITORIAL_ELLIPSIS = re.compile(r"\[(?:\.\.\.|…)\](?=\s+[\"“'‘(]?[A-Z])")

# Words that are written in lower case inside a sentence, so that a capitalised
# one after an abbreviation or initials most likely starts a new sentence. This
# is Punkt's "frequent sentence starter" heuristic (section 4.1.3 of Kiss &
# Strunk 2006), which Punkt learns when trained; align does not train, so the
# list is given. Words that are also names, months or initials ("A", "I", "May",
# "US") are left out.
_SENTENCE_STARTERS = frozenset("""
    the an this that these those there here it its he she we they you his her
    their our my your what when where why how who whom which whose whether while
    but and or nor so yet if as at in on for from after before during since until
    although though because however moreover furthermore meanwhile nevertheless
    then now also still thus therefore indeed instead otherwise besides hence
    is are was were be been do does did can could will would should shall might
    must has have had not all some many most each every both such other another
    any none neither either please let yes according today yesterday tomorrow
    later earlier several few only even just first finally next last again
    to by with without about over under between among into through
""".split())

# Opening quotes and brackets that may come before a sentence's first word,
# closing ones that stay with the sentence they end.
_OPEN = "\"“‘'«„(\\["
_CLOSE = "\"”’'»)\\]"
_ADDRESS = re.compile(r"https?://|www\.")
_NEXT_WORD = re.compile(rf"\s*[{_OPEN}]*(?P<w>\w[\w'’-]*)")
# Initials and dotted capitals: "E.", "T.S.", "U.S.", "U.S.S.R." (a capital
# letter, then a period, up to five times, after a space, a quote or a bracket:
# not the end of a word or of "I/O.").
_INITIALS = re.compile(
    rf"[A-Z](?<![^\s{_OPEN}][A-Z])\.(?:[A-Z]\.){{0,4}}[{_CLOSE}]*"
    rf"(?=[^\S\n]+[{_OPEN}]*(?P<w>[A-Z][\w'’-]*)(?P<dot>\.?))"
)
# Ellipses written with dots, spaced (". . .") or not ("...").
_DOT_RUN = re.compile(r"\.(?:[^\S\n]?\.){2,}")
# List items: "1.)", "2)", "3.", "a.", "• 9.", "⁃10." before a capitalised word.
_MARKER = (
    rf"(?P<m>(?P<bullet>[•⁃‣◦▪*–-][^\S\n]?)?(?P<o>\()?(?P<n>\d{{1,3}}|[a-z])(?P<p>\.\)|\)|\.))"
    rf"(?=[^\S\n]+[{_OPEN}]*[A-Z])"
)
# After white space (searched; starting with a character class keeps the search
# fast), or at the paragraph's start (matched).
_LIST_MARKER = re.compile(r"\s" + _MARKER)
_FIRST_LIST_MARKER = re.compile(r"\s*" + _MARKER)
# Where a list may begin: at the start of the paragraph, after a bullet, or after
# a sentence's or an introduction's final mark.
_LIST_START = re.compile(rf"[.!?:;][{_CLOSE}]*[^\S\n]*$")
# Two sentences glued by a page: a final mark, then a capitalised word that
# ends where a word ends ("said.At the"); the token before the mark must be a
# word of two letters or more, or a number of two digits or more. This excludes
# initials (U.S.A., J.Smith), decimals (3.5), "No.5", and addresses or file
# names, whose tokens hold other dots, "@", "/" or ":".
_GLUED = re.compile(rf"[.!?][{_CLOSE}]?(?P<next>[A-Z][a-z]+)(?=[\s,;!?{_CLOSE}]|\.(?!\S)|$)")
_GLUED_PREV = re.compile(rf"[{_OPEN}]*(?P<prev>[A-Za-z]{{2,}}|\d{{2,}})[{_CLOSE}]?[.!?]*")
# "Report.Pdf": a file name, not two sentences.
_FILE_EXTENSIONS = frozenset(
    "pdf doc docx odt rtf txt htm html xml json csv xls xlsx ppt pptx jpg jpeg png gif svg mp3 mp4 avi zip rar exe"
    .split()
)

# The longest sentence handed on, or None: no limit (see the module's
# docstring). A longer one is cut in each piece's second half, at the best of
# these places (after the mark).
MAX_SENTENCE: int | None = None
_CLAUSE_BREAK = re.compile(r"[;:\u2014\u2013](?=\s)|\s[\u2014\u2013-](?=\s)")
_COMMA_BREAK = re.compile(r",(?=\s)")
_SPACE = re.compile(r"\s")


# Sentence starters of the other languages (see _SENTENCE_STARTERS): function
# words, pronouns and sentence adverbs, written in lower case inside a sentence.
# Words that are also names or nouns ("Вера", "Morgen", "Paz") are left out.
_STARTERS = {
    "ru": """
        в во на и но а это он она оно они мы я ты вы как что когда где почему если после до по при для
        с со к ко о об у из за от же однако поэтому потом затем тогда так также тоже кроме сейчас теперь
        вот его её ее их наш наши этот эта эти этом этого тот та те то все всё многие некоторые каждый
        уже ещё еще даже лишь только здесь там да нет конечно впрочем итак между через более около
        кто чем хотя пока ведь ни не бы вместе сегодня вчера завтра правда например напротив кстати
    """,
    "de": """
        der die das den dem des ein eine einen einem einer und aber oder doch denn es er sie wir ich ihr
        man dies diese dieser dieses dann danach daher deshalb trotzdem jedoch außerdem auch so wie was
        wer wo wann warum wenn als da in im am an auf aus bei mit nach seit von vor zu zum zur für über
        unter durch gegen ohne um bis heute gestern jetzt nun hier dort schon noch nur alle viele einige
        jeder jede jedes kein keine nicht ja nein bitte laut zudem zunächst schließlich später
        inzwischen dabei dazu damit sein seine ihre unser unsere mein meine
    """,
    "fr": """
        le la les un une des du de il elle ils elles on nous vous je ce cette ces cela ceci mais et ou
        donc or ni car puis ensuite alors enfin cependant pourtant toutefois néanmoins ainsi aussi en
        dans sur pour par avec sans selon après avant depuis pendant lorsque quand si comme qui que quoi
        où comment pourquoi tout tous toutes chaque plusieurs certains hier demain oui non son sa ses
        leur leurs mon ma mes notre nos votre vos il y au aux à c'est c’est aujourd'hui aujourd’hui
        d'abord d’abord d'ailleurs d’ailleurs l'on l’on
    """,
    "es": """
        el la los las lo un una unos unas y e o u pero sino aunque porque pues como cuando donde si que
        quien qué cómo cuándo dónde este esta estos estas ese esa esos esas eso esto aquel aquella en con
        sin para por de desde hasta según sobre entre tras durante después antes luego entonces además
        también tampoco ya hoy ayer sí no él ella ellos ellas nosotros yo tú usted ustedes su sus mi mis
        todo todos todas cada muchos algunos otros hay había fue es son era al del a se le les nos
    """,
}
# Upper- and lower-case letters of the languages' scripts, for the rules' classes.
_LATIN_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0152"
_LATIN_LOWER = "a-z\u00df-\u00f6\u00f8-\u00ff\u0153"
_CYRILLIC_UPPER = "\u0410-\u042f\u0401"
_CYRILLIC_LOWER = "\u0430-\u044f\u0451"


class _Rules:
    """A language's lists (abbreviations, sentence starters) and rule expressions.
    English's are the module's own expressions: its segmentation is the same as
    before languages were added."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.abbreviations, self.prepositive = _abbreviations(lang)
        if lang == "en":
            self.starters = _SENTENCE_STARTERS
            self.open, self.close = _OPEN, _CLOSE
            self.editorial_ellipsis, self.named_label = _EDITORIAL_ELLIPSIS, _NAMED_LABEL
            self.next_word, self.initials = _NEXT_WORD, _INITIALS
            self.glued, self.glued_prev = _GLUED, _GLUED_PREV
            self.list_marker, self.first_list_marker = _LIST_MARKER, _FIRST_LIST_MARKER
            self.list_start = _LIST_START
            self.prepositive_end = _prepositive_end()
            self.ordinal = None
            self.realign = _REALIGN
            return
        self.starters = frozenset(_STARTERS[lang].split())
        upper, lower = _LATIN_UPPER, _LATIN_LOWER
        if lang == "ru":
            upper, lower = _CYRILLIC_UPPER + upper, _CYRILLIC_LOWER + lower
        # Marks opening and closing quotes (and Spanish questions) besides English's.
        opening, closing = {"de": ("»›‚", "“‘«‹"), "fr": ("‹", "›"), "es": ("¿¡‹", "›"),
                            "ru": ("‚", "“‘")}[lang]
        op, cl = self.open, self.close = _OPEN + opening, _CLOSE + closing
        self.editorial_ellipsis = re.compile(rf"[\[(<](?:\.\.\.|…)[\])>](?=\s+[{op}]?[{upper}])")
        colon = "[^\\S\\r\\n]?:" if lang == "fr" else ":"  # "Journaliste : Bonjour"
        self.named_label = re.compile(
            rf"[^\S\r\n]*(?P<label>(?P<name>[{upper}][\w.'’-]*(?: [{upper}][\w.'’-]*){{0,3}}){colon})"
            r"[^\S\r\n]+(?=\S)")
        # After a cut: white space, then quotes and brackets (French guillemets
        # with a space inside) and dashes (dialogue), then the next word.
        self.next_word = re.compile(rf"\s*(?:[{op}\u2014\u2013][^\S\n]*)*(?P<w>\w[\w'’-]*)")
        # Initials, and lower-case one-letter abbreviations or their parts
        # ("т. д.", "г.", "u. a.", "300 m."); the Russian word "я" ends a
        # sentence before any capitalised word.
        letter = upper + ("\u0430-\u044f\u0451" if lang == "ru" else "a-z")
        self.initials = re.compile(
            rf"[{letter}](?<![^\s{op}][{letter}])\.(?:[{letter}]\.){{0,4}}[{cl}]*"
            rf"(?=[^\S\n]+[{op}]*[^\S\n]?(?P<w>[{upper}][\w'’-]*)(?P<dot>\.?))"
        )
        self.glued = re.compile(rf"[.!?][{cl}]?(?P<next>[{upper}][{lower}]+)(?=[\s,;!?{cl}]|\.(?!\S)|$)")
        self.glued_prev = re.compile(rf"[{op}]*(?P<prev>[{upper}{lower}]{{2,}}|\d{{2,}})[{cl}]?[.!?]*")
        marker = (
            rf"(?P<m>(?P<bullet>[•⁃‣◦▪*–-][^\S\n]?)?(?P<o>\()?(?P<n>\d{{1,3}}|[{lower}])(?P<p>\.\)|\)|\.))"
            rf"(?=[^\S\n]+[{op}]*[{upper}])"
        )
        self.list_marker = re.compile(r"\s" + marker)
        self.first_list_marker = re.compile(r"\s*" + marker)
        self.list_start = re.compile(rf"[.!?:;][{cl}]*[^\S\n]*$")
        # A prepositive abbreviation ending the text before a cut, its inner
        # periods followed or not by a space ("z.B.", "z. B.").
        words = sorted(self.prepositive, key=len, reverse=True)
        self.prepositive_end = re.compile(
            r"(?<![\w.])(?:" + "|".join(
                (r"(?-i:{})" if w != w.lower() else "{}").format(r"\.[^\S\n]?".join(map(re.escape, w.split("."))))
                for w in words) + r")\.$",
            re.IGNORECASE)
        # An ellipsis after a word ("…" is no final mark for Punkt), then a capitalised word.
        self.ellipsis = re.compile(
            rf"(?<![\s{op}])(?:…|(?<!\.)\.\.\.(?!\.))[{cl}]*(?P<e>)\s+[{op}]*[^\S\n]?(?P<w>[{upper}][\w'’-]*)")
        # A period (after an abbreviation, when Punkt did not cut there), then an
        # opening mark and a capitalised word.
        self.opened = re.compile(
            rf"\.(?P<close>[{cl}]*)[^\S\n]+(?P<open>[{op}]+)[^\S\n]?(?P<w>[{upper}][\w'’-]*)")
        self.word_before = re.compile(r"(?<![^\s" + re.escape(op) + r"])[\w.’'-]+$")
        # Punkt's realignment (closing marks after a final mark stay with the
        # sentence) without "«", which opens quotes except in German (»…«): the
        # French "Il partit. « Non », dit-elle" would end the first sentence
        # with the "«" and its space.
        self.realign = _REALIGN if lang == "de" else re.compile(
            "[\"')\\]}\u2018\u2019\u201c\u201d\xbb]+?(?:\\s+|(?=--)|$)", re.MULTILINE)
        # German ordinals: "am 3. Oktober", "im 19. Jahrhundert".
        self.ordinal = re.compile(r"(?<![\d.,])\d{1,3}\.$") if lang == "de" else None


@lru_cache(maxsize=None)
def _rules(lang: str = "en") -> _Rules:
    return _Rules(lang)


def _language(lang: str) -> str:
    """A witness's or caller's language as a code ("" is English)."""
    return "en" if lang in ("", "en") else _check_language(lang)


@lru_cache(maxsize=None)
def _abbreviations(lang: str = "en") -> tuple[frozenset[str], frozenset[str]]:
    """All abbreviations of a language, and those that come before what they
    qualify (titles, "e.g."), marked ``prepositive`` in the list: these never
    end a sentence."""
    name = "abbreviations.txt" if lang == "en" else f"abbreviations-{lang}.txt"
    text = resources.files("align").joinpath("data/" + name).read_text("utf-8")
    every, prepositive = set(), set()
    for line in text.splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        every.add(fields[0].lower())
        if "prepositive" in fields[1:]:
            prepositive.add(fields[0])
    return frozenset(every), frozenset(prepositive)


@lru_cache(maxsize=None)
def _punkt(lang: str = "en"):  # type: ignore[no-untyped-def]
    # Imported here, and without nltk's package __init__ (see align/_punkt.py),
    # so that start-up does not pay for the whole of nltk.
    from ._punkt import punkt

    module = punkt()
    params = module.PunktParameters()
    params.abbrev_types = set(_abbreviations(lang)[0])
    params.sent_starters = set(_SENTENCE_STARTERS if lang == "en" else _rules(lang).starters)
    return module.PunktSentenceTokenizer(params, lang_vars=_language_vars(module), token_cls=_token_class(module))


# nltk 3.10 runs every pattern through ``nltk.redos``: the ``regex`` engine
# under a wall-clock timeout, checked on each call. Punkt applies its own
# patterns to one word or one candidate boundary at a time, tens of thousands
# of times a megabyte, and that wrapper took a fifth to a third of segmentation
# time (2 MB, interleaved runs on one machine). The two classes below (Punkt's
# extension points, ``token_cls`` and ``lang_vars``) use the same patterns
# compiled by the same engine with the same flags, without the wrapper: the same
# sentences, faster. These fixed patterns on one word or a short context cannot
# backtrack far; an nltk that compiles them plainly keeps them.
_TOKEN_PATTERNS = ("_RE_ELLIPSIS", "_RE_NUMERIC", "_RE_INITIAL", "_RE_ALPHA")


def _unwrapped(pattern):  # type: ignore[no-untyped-def]
    """A pattern of nltk's, without ``nltk.redos``'s timeout wrapper."""
    if isinstance(pattern, re.Pattern) or not hasattr(pattern, "pattern") or not hasattr(pattern, "flags"):
        return pattern
    import regex  # nltk's own dependency: the engine ``redos`` wraps

    return regex.compile(pattern.pattern, pattern.flags)


@lru_cache(maxsize=None)
def _token_class(module):  # type: ignore[no-untyped-def]
    """Punkt's token with its tests on a word unwrapped (above)."""
    base = module.PunktToken
    non_punct = getattr(module, "_re_non_punct", None)
    if not all(hasattr(base, name) for name in _TOKEN_PATTERNS) or non_punct is None:
        return base
    non_punct = _unwrapped(non_punct)
    attributes: dict[str, Any] = {name: _unwrapped(getattr(base, name)) for name in _TOKEN_PATTERNS}
    attributes["is_non_punct"] = property(lambda self: non_punct.search(self.type))
    attributes["__slots__"] = ()
    return type("Token", (base,), attributes)


@lru_cache(maxsize=None)
def _language_vars(module):  # type: ignore[no-untyped-def]
    """Punkt's language variables with its word and boundary patterns unwrapped (above)."""
    base = module.PunktLanguageVars
    plain = base()
    if not (hasattr(plain, "_word_tokenizer_re") and hasattr(plain, "period_context_re")):
        return plain
    words, contexts = _unwrapped(plain._word_tokenizer_re()), _unwrapped(plain.period_context_re())

    class LanguageVars(base):  # type: ignore[misc, valid-type]
        def _word_tokenizer_re(self):  # type: ignore[no-untyped-def]
            return words

        def period_context_re(self):  # type: ignore[no-untyped-def]
            return contexts

    return LanguageVars()


@lru_cache(maxsize=1)
def _prepositive_end() -> re.Pattern[str]:
    """A prepositive English abbreviation (and its period) ending the text before a cut."""
    words = sorted(_abbreviations()[1], key=len, reverse=True)
    return re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(w) for w in words) + r")\.$", re.IGNORECASE)


def _lines(text: str) -> Iterator[tuple[int, int]]:
    for m in _LINE.finditer(text):
        if m.group().strip():
            yield m.start(), m.end()


def _named_labels(text: str, lines: list[tuple[int, int]], label: re.Pattern[str] = _NAMED_LABEL) -> set[str]:
    """Labels that really mark turns: a colon-name is a speaker label only if the
    page uses it as one (one name seen at least three times, or two names seen
    at least twice each), so that a headline like "Zas: ..." is not a turn."""
    counts: Counter[str] = Counter()
    for start, end in lines:
        m = label.match(text, start, end)
        if m and len(m.group("name")) <= 40:
            counts[m.group("name")] += 1
    repeated = {name for name, n in counts.items() if n >= 2}
    if len(repeated) >= 2 or any(n >= 3 for n in counts.values()):
        return repeated
    return set()


# Punkt's realignment rule (nltk 3.10's, typographic quotes included): closing
# marks that begin the next sentence belong to the one before.
_REALIGN = re.compile("[\"\')\\]}\u2018\u2019\u201c\u201d\xab\xbb]+?(?:\\s+|(?=--)|$)", re.MULTILINE)


def _punkt_ends(tokenizer, text: str, a: int, b: int,  # type: ignore[no-untyped-def]
                realign: re.Pattern[str] = _REALIGN) -> list[int]:
    """Where Punkt ends the sentences of ``text[a:b]`` (absolute offsets), as its
    ``span_tokenize`` with boundary realignment does: that step costs a fifth of
    Punkt's time through nltk's regex wrappers, the same rule here next to nothing."""
    piece = text[a:b]
    spans = list(tokenizer.span_tokenize(piece, realign_boundaries=False))
    ends = []
    shift = 0
    for i, (s1, e1) in enumerate(spans):
        s1 += shift
        shift = 0
        if i + 1 < len(spans):
            s2, e2 = spans[i + 1]
            m = realign.match(piece, s2, e2)
            if m:
                ends.append(a + s2 + len(m.group(0).rstrip()))
                shift = m.end() - s2
                continue
        if e1 > s1:
            ends.append(a + e1)
    return ends


def _gap(text: str, pos: int, start: int) -> int:
    """A cut moved back over white space, so that cuts in one gap compare equal."""
    while pos > start and text[pos - 1].isspace():
        pos -= 1
    return pos


def _list_items(text: str, start: int, end: int, rules: _Rules | None = None) -> list[re.Match[str]]:
    """List markers that belong to a run of at least two consecutive items of one
    style ("1.", "2." or "a)", "b)"): a lone "2." is a number ending a sentence."""
    items: list[re.Match[str]] = []
    run: list[re.Match[str]] = []

    def value(m: re.Match[str]) -> int:
        n = m.group("n")
        return int(n) if n.isdigit() else ord(n)

    def style(m: re.Match[str]) -> tuple[bool, str, bool, bool]:
        return m.group("n").isdigit(), m.group("p"), m.group("bullet") is not None, m.group("o") is not None

    rules = rules or _rules()
    first = rules.first_list_marker.match(text, start, end)
    markers = [first] if first else []
    for m in rules.list_marker.finditer(text, start, end):
        if not markers or m.start("m") >= markers[-1].end():  # "• 9." holds "9."
            markers.append(m)
    for m in markers:
        if m.group("o") and m.group("p") != ")":
            continue  # "(1." is no marker
        if run and style(m) == style(run[-1]) and value(m) == value(run[-1]) + 1:
            run.append(m)
            continue
        at = m.start("m")
        at_start = at == start or text[start:at].isspace()
        if not (at_start or m.group("bullet") or rules.list_start.search(text, max(start, at - 8), at)):
            # "He scored 2. The crowd ..." is a number, not an item.
            if len(run) >= 2:
                items.extend(run)
            run = []
            continue
        if len(run) >= 2:
            items.extend(run)
        run = [m]
    if len(run) >= 2:
        items.extend(run)
    return items


def sentence_spans(text: str, start: int = 0, end: int | None = None,
                   lang: str = "en") -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (one paragraph), as absolute offsets;
    ``lang`` is the text's language (a code of :data:`align.lang.LANGUAGES`)."""
    end = len(text) if end is None else end
    rules = _rules(_language(lang))
    english = rules.lang == "en"
    close = rules.close
    # Cuts are offsets between two sentences; `add` wins over `veto`, which wins
    # over Punkt's own cuts.
    add: set[int] = set()
    veto: set[int] = set()
    pieces: list[tuple[int, int]] = []
    cut = start
    for m in rules.editorial_ellipsis.finditer(text, start, end):
        pieces.append((cut, m.end()))
        add.add(m.end())
        cut = m.end()
    pieces.append((cut, end))

    tokenizer = _punkt(rules.lang)
    punkt = sorted({e for a, b in pieces for e in _punkt_ends(tokenizer, text, a, b, rules.realign)} - {end})

    # Spaced ellipses: none of their dots ends a sentence by itself. Four
    # dots end the sentence before a capital; if the first dot is the
    # period of the word before ("compounds. . . . The"), that period ends
    # it and the ellipsis opens the next sentence.
    dotted = text.find("..", start, end) >= 0 or text.find(". .", start, end) >= 0
    for m in (_DOT_RUN.finditer(text, start, end) if dotted else ()):
        a, b = m.span()
        if " " not in m.group() and "\u00a0" not in m.group():
            continue  # "...": Punkt's ellipsis rule decides, with the sentence starters
        b_close = b
        while b_close < end and text[b_close] in close:
            b_close += 1
        veto.update(punkt[bisect_right(punkt, a):bisect_right(punkt, b_close)])
        nxt = rules.next_word.match(text, b_close, end)
        if m.group().count(".") >= 4 and nxt and nxt.group("w")[0].isupper():
            add.add(a + 1 if a > start and not text[a - 1].isspace() else b_close)

    # Initials end a sentence only before a word that usually starts one.
    starters = rules.starters
    prepositive = rules.prepositive_end
    for m in rules.initials.finditer(text, start, end):
        w = m.group("w")
        # "U.S. IT sector": an acronym is no sentence starter (one capital is
        # a word in other languages: Russian "В", "С").
        acronym = w.isupper() and (english or len(w) > 1)
        if not english and m.group().rstrip(close) == "я." and not m.group("dot"):
            add.add(m.end())  # "Это был я. Потом"
        elif (w.lower() in starters and not m.group("dot") and not acronym
                and (english or not prepositive.search(text, max(start, m.end() - 12), m.end()))):
            add.add(m.end())
        else:
            veto.add(m.end())

    # Sentences glued together (no space after the final mark).
    abbreviations = rules.abbreviations
    for m in rules.glued.finditer(text, start, end):
        window = max(start, m.start() - 64)  # a word is shorter; keeps long lines linear
        token = max(text.rfind(" ", window, m.start()), text.rfind("\t", window, m.start()),
                    text.rfind("\u00a0", window, m.start()), window - 1) + 1
        prev = rules.glued_prev.fullmatch(text, token, m.start() + 1)
        # After a lower-case word and a period, only a word that usually
        # starts sentences is taken for the start of one: "pathlib.Path" or
        # "ctx.Queue" is a dotted name ("said.At the same time" is two
        # sentences).
        dotted_name = m.group().startswith(".") and prev is not None and prev.group("prev").islower()
        if (prev and prev.group("prev").lower() not in abbreviations
                and m.group("next").lower() not in _FILE_EXTENSIONS
                and (not dotted_name or m.group("next").lower() in starters)):
            add.add(m.start("next"))

    if not english:
        # An abbreviation that may end a sentence ends it before "¿" or "¡", or
        # before a quote opening a sentence starter ("usw. „Die", "etc. ¿Qué").
        punkt_set = set(punkt)
        for m in rules.opened.finditer(text, start, end):
            at = m.end("close")
            before = rules.word_before.search(text, max(start, m.start() - 24), m.start())
            if (before is None or at in punkt_set
                    or prepositive.search(text, max(start, at - 12), m.start() + 1)):
                continue
            if (before.group().lower() in abbreviations
                    and (m.group("open")[-1] in "¿¡" or m.group("w").lower() in starters)):
                add.add(at)
        # An ellipsis ends a sentence before a sentence starter ("конец… Потом").
        if dotted or text.find("…", start, end) >= 0:
            for m in rules.ellipsis.finditer(text, start, end):
                if m.group("w").lower() in starters:
                    add.add(m.end("e"))

    # List items start sentences; the marker's own period does not end one.
    list_starts = set()
    for m in _list_items(text, start, end, rules):
        if m.start("m") > start:
            add.add(m.start("m"))
            list_starts.add(m.start("m"))
        veto.add(m.end())

    ordinal = rules.ordinal
    for p in punkt:
        if p in veto:
            continue
        if not text[p].isspace():
            veto.add(p)  # no space after the final mark: _GLUED decides
            continue
        if prepositive.search(text, max(start, p - (8 if english else 12)), p):
            veto.add(p)  # "Mr.", "e.g.": always followed by what they qualify
            continue
        nxt = rules.next_word.match(text, p, end)
        if nxt and nxt.start("w") not in list_starts:
            w = nxt.group("w")
            # A sentence does not start in lower case ("she said", "in the
            # accounting department"); "iPhone"-like words are names, and an
            # address may follow a sentence.
            lower = w[0].islower() and not any(c.isupper() for c in w[1:])
            if lower and not _ADDRESS.match(text, nxt.start("w")):
                veto.add(p)
            elif (ordinal is not None and w[0].isupper() and w.lower() not in starters
                  and ordinal.search(text, max(start, p - 5), p)):
                veto.add(p)  # "am 3. Oktober"

    # Cuts fall after a sentence's final mark, before white space: moving one back
    # over the white space is needed only where a rule put it after that space.
    cuts = {p if not text[p - 1].isspace() else _gap(text, p, start) for p in punkt if p not in veto}
    cuts -= {_gap(text, p, start) for p in veto}
    cuts |= {_gap(text, p, start) for p in add}
    out = []
    prev = start
    for c in sorted(cuts) + [end]:
        if c <= prev:
            continue
        chunk = text[prev:c]
        if chunk.strip():
            s, e = prev + len(chunk) - len(chunk.lstrip()), c - (len(chunk) - len(chunk.rstrip()))
            if MAX_SENTENCE is not None and e - s > MAX_SENTENCE:
                out.extend(_bounded(text, s, e, MAX_SENTENCE))
            else:
                out.append((s, e))
        prev = c
    return out


def _bounded(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """``text[start:end]`` (trimmed, longer than ``limit``) cut into trimmed
    pieces of at most ``limit`` characters. Each cut looks at half a piece
    only, so the time is linear in the length."""
    out = []
    while end - start > limit:
        lo, hi = start + limit // 2, start + limit
        cut = None
        for pattern in (_CLAUSE_BREAK, _COMMA_BREAK):
            last = None
            for last in pattern.finditer(text, lo, hi):
                pass
            if last is not None:
                # After the mark; before a spaced dash, which opens the next clause.
                cut = last.start() + 1 if last.group()[0].isspace() else last.end()
                break
        if cut is None:
            last = None
            for last in _SPACE.finditer(text, lo, hi + 1):
                pass
            if last is not None:
                cut = last.start()
        if cut is None:
            # One token: cut it, but not between a letter and its combining marks.
            cut = hi
            while cut > lo and unicodedata.combining(text[cut]):
                cut -= 1
            if cut == lo:
                cut = hi
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        out.append((start, piece_end))
        start = cut
        while text[start].isspace():
            start += 1
    out.append((start, end))
    return out


def segment(witness: Witness) -> Segmentation:
    """Split a witness into speaker turns and sentences (labels are sentences of
    kind ``label``), in the witness's language (``lang``; "" is English)."""
    if not isinstance(witness, Witness):
        raise SettingsError(f"segment() takes a Witness (align.witness(text, sigil)), not {type(witness).__name__}")
    text = witness.text
    lang = _language(witness.lang)
    named_label = _rules(lang).named_label
    lines = list(_lines(text))
    named = _named_labels(text, lines, named_label)
    dash_lines = sum(1 for s, e in lines if _DASH_LABEL.match(text, s, e))
    dash_turns = 0

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
        m = named_label.match(text, start, end)
        if m and m.group("name") in named:
            label, speaker = m, m.group("name")
        else:
            m = _DASH_LABEL.match(text, start, end)
            if m and dash_lines >= 2:
                # Dashes alternate question and answer, as in Russian interviews.
                label, speaker = m, ("Q" if dash_turns % 2 == 0 else "A")
                dash_turns += 1
        if label is not None:
            if turns:
                prev = turns[-1]
                turns[-1] = Turn(prev.index, prev.label, prev.speaker, prev.start, start)
            turns.append(Turn(len(turns), label.group("label"), speaker, label.start("label"), len(text)))
            add(label.start("label"), label.end("label"), "label", paragraph)
            start = label.end()
        for s, e in sentence_spans(text, start, end, lang):
            add(s, e, "sentence", paragraph)
    if turns:
        prev = turns[-1]
        last_end = max(s.end for s in sentences)
        turns[-1] = Turn(prev.index, prev.label, prev.speaker, prev.start, last_end)
    return Segmentation(witness, tuple(sentences), tuple(turns))
