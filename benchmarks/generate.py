"""Long synthetic pairs of renderings with a known sentence alignment.

    python benchmarks/generate.py 1000 --out benchmarks/_generated/n1000 [--seed 1]

writes ``a.txt``, ``b.txt`` and ``gold.json`` (align's gold format, see
:mod:`align.evaluate`) and checks that align segments both files into exactly
the gold's sentences.

Witness a is prose taken from the documentation every CPython install ships:
the docstrings of the standard library's modules, classes and functions (read
with :mod:`ast`, nothing is imported or run) and the language reference topics
of :mod:`pydoc_data.topics`. Only plain sentences are kept (6-60 words, letters,
spaces, commas, apostrophes and hyphens, one final ``.``, ``?`` or ``!``), so
that align's segmenter cannot disagree with the gold: no abbreviation, initial,
number, code or colon. Past the ~7,500 distinct sentences of the base, new
sentences are made by joining the first half of one sentence to the second half
of another, so that no sentence is repeated (a repeated sentence makes the
gold ambiguous), and half of them get a made-up name or term, so that the
vocabulary keeps growing with the text as a real text's does.

Witness b is a second translator's rendering of a: words are swapped for
synonyms or replaced, dropped, inserted and locally reordered; sentences are
split, merged, omitted, added, and now and then two neighbours trade places.
Paragraphs (a few sentences each, blank line between) are kept, and splits,
merges and swaps stay inside a paragraph, as a translator's would.

Everything is drawn from one ``random.Random(seed)``: a seed gives the same
files on the same Python version (the base text is that version's stdlib).
"""

from __future__ import annotations

import argparse
import ast
import json
import random
import re
import sys
import sysconfig
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

GENERATOR_VERSION = 2

# --- the base text -------------------------------------------------------------

# A sentence align must read as one sentence: a capitalised first word, then
# words of letters separated by spaces, commas, apostrophes or hyphens, and one
# final mark. This excludes abbreviations, initials, numbers, code and colons
# (a colon at a line start could be taken for a speaker label).
_PLAIN = re.compile(r"[A-Z][a-z]*(?:[ ,'-]+[A-Za-z]+)*[.?!]")
_CANDIDATE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z])")
# Words after which Punkt does not end a sentence (align/data/abbreviations.txt
# and a margin); a sentence or a split part never ends on one of them.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj capt sgt adm gov sen rep rev st jr sr hon pres jan feb mar apr jun "
    "jul aug sep sept oct nov dec mon tue wed thu fri sat sun etc cf vs viz approx ca al ibid no nos vol "
    "vols pp para art arts fig ed eds ch sec inc ltd co corp dept univ mt ft km kg min sq".split()
)
MIN_WORDS, MAX_WORDS = 6, 60


def _safe_last_word(words: list[str]) -> bool:
    """A sentence may end on this word: long enough not to be an initial or an abbreviation."""
    last = words[-1].rstrip(".?!,").lower()
    return len(last) >= 3 and last.isalpha() and last not in _ABBREVIATIONS


def _stdlib_docstrings() -> list[str]:
    root = Path(sysconfig.get_paths()["stdlib"])
    skip = {"site-packages", "test", "tests", "idle_test"}
    docs: list[str] = []
    for path in sorted(p for p in root.rglob("*.py") if not skip & set(p.relative_to(root).parts)):
        try:
            tree = ast.parse(path.read_text("utf-8"))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node)
                if doc:
                    docs.append(doc)
    return docs


def _reference_topics() -> list[str]:
    try:
        from pydoc_data.topics import topics
    except ImportError:  # stripped-down installs
        return []
    return [topics[k] for k in sorted(topics)]


@lru_cache(maxsize=1)
def base_sentences() -> tuple[str, ...]:
    """Distinct plain prose sentences of this Python's documentation, in file order."""
    seen: dict[str, None] = {}
    for doc in _stdlib_docstrings() + _reference_topics():
        for paragraph in re.split(r"\n\s*\n", doc):
            text = " ".join(paragraph.split())
            for sentence in _CANDIDATE_END.split(text):
                words = sentence.split()
                if MIN_WORDS <= len(words) <= MAX_WORDS and _PLAIN.fullmatch(sentence) and _safe_last_word(words):
                    seen.setdefault(sentence, None)
    return tuple(seen)


# --- sentences for witness a -----------------------------------------------------


def _halves(sentence: str) -> tuple[list[str], list[str]]:
    """Split a sentence into two word lists at a comma near the middle, else at the middle."""
    words = sentence.split()
    middle = len(words) // 2
    commas = [i + 1 for i, w in enumerate(words[:-1]) if w.endswith(",") and 3 <= i + 1 <= len(words) - 3]
    cut = min(commas, key=lambda i: abs(i - middle)) if commas else middle
    return words[:cut], words[cut:]


# A long text keeps bringing new names and terms; recombined sentences would
# only repeat the base's words (at 50k sentences every word would occur many
# times, as in no real text), so this share of them gets a made-up word.
NEW_WORD_SHARE = 0.5
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["ar", "el", "in", "on", "ul", "ost", "ander"]


class SentenceSource:
    """Distinct sentences in a random order: the base first, then recombinations.

    Recombining a head of one sentence with a tail of another keeps sentences
    looking like prose while making every one of them new."""

    def __init__(self, sentences: list[str], rng: random.Random, used: set[str]):
        self.base = sentences
        self.rng = rng
        self.used = used  # shared between sources so that no sentence appears twice anywhere
        self.queue: list[str] = []
        self.cycle = 0
        self.new_words: set[str] = set()

    def _refill(self) -> None:
        order = self.base[:]
        self.rng.shuffle(order)
        if self.cycle == 0:
            self.queue = order
        else:
            tails = order[:]
            self.rng.shuffle(tails)
            self.queue = []
            for head_of, tail_of in zip(order, tails):
                words = _halves(head_of)[0] + _halves(tail_of)[1]
                if len(words) >= MIN_WORDS:
                    if self.rng.random() < NEW_WORD_SHARE:
                        self._new_word(words)
                    self.queue.append(" ".join(words))
        self.cycle += 1
        self.queue.reverse()  # popped from the end

    def _new_word(self, words: list[str]) -> None:
        """Put a made-up name or term in place of an inner word (never the first or the last)."""
        inner = [k for k in range(1, len(words) - 1) if len(words[k].rstrip(",")) >= 4]
        if not inner:
            return
        k = self.rng.choice(inner)
        while True:
            new = "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(2, 4)))
            if new not in self.new_words:
                break
        self.new_words.add(new)
        comma = "," if words[k].endswith(",") else ""
        words[k] = (new.capitalize() if self.rng.random() < 0.5 else new) + comma

    def take(self) -> str:
        for _ in range(1000):
            if not self.queue:
                self._refill()
            sentence = self.queue.pop()
            if sentence not in self.used:
                self.used.add(sentence)
                return sentence
        raise RuntimeError("the base text is too small to make distinct sentences")


# --- the second translator --------------------------------------------------------

# Near-synonyms a second translator might choose (both directions are used).
SYNONYMS = [
    ("return", "give back"), ("returns", "gives back"), ("object", "item"), ("objects", "items"),
    ("function", "routine"), ("functions", "routines"), ("value", "result"), ("values", "results"),
    ("create", "make"), ("creates", "makes"), ("use", "employ"), ("used", "employed"),
    ("list", "sequence"), ("default", "standard"), ("call", "invoke"), ("called", "invoked"),
    ("name", "identifier"), ("string", "text"), ("method", "operation"), ("argument", "parameter"),
    ("arguments", "parameters"), ("error", "fault"), ("raise", "signal"), ("raised", "signalled"),
    ("new", "fresh"), ("given", "supplied"), ("specified", "indicated"), ("must", "has to"),
    ("should", "ought to"), ("contains", "holds"), ("contain", "hold"), ("may", "might"),
    ("can", "is able to"), ("file", "document"), ("files", "documents"), ("instance", "occurrence"),
    ("set", "fix"), ("get", "obtain"), ("if", "when"), ("all", "every"), ("each", "every single"),
    ("first", "initial"), ("last", "final"), ("large", "big"), ("small", "little"), ("also", "as well"),
    ("only", "just"), ("however", "yet"), ("because", "since"), ("data", "information"),
    ("module", "component"), ("class", "type"), ("attribute", "property"), ("current", "present"),
]
_SYNONYM = {a: b for a, b in SYNONYMS} | {b: a for a, b in SYNONYMS if " " not in b}


@dataclass
class Rates:
    """How freely the second translator works (probabilities)."""

    omit: float = 0.03      # a sentence of a is left out
    add: float = 0.03       # a new sentence follows one of a's
    split: float = 0.05     # one sentence becomes two
    merge: float = 0.05     # two neighbours become one
    swap: float = 0.01      # two neighbours trade places
    synonym: float = 0.5    # a word with a synonym in the table takes it
    replace: float = 0.04   # a word becomes another word
    drop: float = 0.02      # a word is dropped
    insert: float = 0.02    # a word is inserted
    reorder: float = 0.03   # two neighbouring words trade places


def _case_like(word: str, model: str) -> str:
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def _lower_first(sentence: str) -> str:
    """Lower-case the first letter unless the first word is an acronym (or ``I``)."""
    first = sentence.split(" ", 1)[0]
    return sentence if first.isupper() else sentence[:1].lower() + sentence[1:]


def _capitalise(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def rewrite_words(sentence: str, rng: random.Random, vocabulary: list[str], rates: Rates) -> str:
    """The same sentence with a translator's word choices (its last word and final mark kept)."""
    end = sentence[-1]
    # Sentence case is restored at the end: the first word may move or be replaced.
    words = _lower_first(sentence[:-1]).split()
    out: list[str] = []
    for k, word in enumerate(words):
        last = k == len(words) - 1
        core, comma = (word[:-1], ",") if word.endswith(",") else (word, "")
        lower = core.lower()
        if lower in _SYNONYM and rng.random() < rates.synonym:
            new = _SYNONYM[lower]
            if not last or _safe_last_word(new.split()):
                core = _case_like(new, core)
        elif not last and rng.random() < rates.replace:
            core = _case_like(rng.choice(vocabulary), core)
        elif not last and k > 0 and rng.random() < rates.drop:
            continue
        out.append(core + comma)
        if not last and rng.random() < rates.insert:
            out.append(rng.choice(vocabulary))
    for k in range(len(out) - 2):  # the last word stays last: it is known to end a sentence safely
        if rng.random() < rates.reorder:
            out[k], out[k + 1] = out[k + 1], out[k]
    return _capitalise(" ".join(out)) + end


def split_sentence(sentence: str) -> Optional[tuple[str, str]]:
    """Two sentences from one, cut at a comma near the middle, else at the middle."""
    head, tail = _halves(sentence)
    if len(head) < 3 or len(tail) < 3:
        return None
    head[-1] = head[-1].rstrip(",")
    if not _safe_last_word(head):
        return None
    return " ".join(head) + ".", _capitalise(" ".join(tail))


def merge_sentences(first: str, second: str) -> str:
    return f"{first[:-1]}, and {_lower_first(second)}"


# --- a pair ----------------------------------------------------------------------


@dataclass
class Pair:
    paragraphs_a: list[list[str]]
    paragraphs_b: list[list[str]]
    links: list[dict[str, list[str]]]
    operations: Counter = field(default_factory=Counter)

    @staticmethod
    def _text(paragraphs: list[list[str]]) -> str:
        return "\n\n".join(" ".join(p) for p in paragraphs if p) + "\n"

    @property
    def text_a(self) -> str:
        return self._text(self.paragraphs_a)

    @property
    def text_b(self) -> str:
        return self._text(self.paragraphs_b)

    def sentences(self, side: str) -> list[str]:
        return [s for p in (self.paragraphs_a if side == "a" else self.paragraphs_b) for s in p]


def _paragraph_sizes(n: int, rng: random.Random) -> list[int]:
    sizes = []
    while n > 0:
        sizes.append(min(n, rng.randint(2, 6)))
        n -= sizes[-1]
    return sizes


def _render_paragraph(
    para: list[str], pair: Pair, rng: random.Random, added: SentenceSource, vocabulary: list[str], rates: Rates
) -> list[str]:
    """Witness b's paragraph for one paragraph of a; appends the gold links."""
    out: list[str] = []

    def emit(a_side: list[str], b_side: list[str], op: str) -> None:
        out.extend(b_side)
        pair.links.append({"a": a_side, "b": b_side})
        pair.operations[op] += 1

    def rewrite(s: str) -> str:
        return rewrite_words(s, rng, vocabulary, rates)

    i = 0
    while i < len(para):
        s, nxt = para[i], (para[i + 1] if i + 1 < len(para) else None)
        r = rng.random()
        cuts = [rates.omit, rates.split, rates.merge, rates.swap]
        bounds = [sum(cuts[: k + 1]) for k in range(len(cuts))]
        parts = split_sentence(s) if bounds[0] <= r < bounds[1] else None
        if r < bounds[0]:
            emit([s], [], "omit")
        elif parts:
            emit([s], [rewrite(parts[0]), rewrite(parts[1])], "split 1-2")
        elif bounds[1] <= r < bounds[2] and nxt:
            emit([s, nxt], [rewrite(merge_sentences(s, nxt))], "merge 2-1")
            i += 1
        elif bounds[2] <= r < bounds[3] and nxt:
            b_next, b_this = rewrite(nxt), rewrite(s)
            out.extend([b_next, b_this])
            pair.links += [{"a": [s], "b": [b_this]}, {"a": [nxt], "b": [b_next]}]
            pair.operations["swap"] += 1
            i += 1
        else:
            emit([s], [rewrite(s)], "1-1")
        if rng.random() < rates.add:
            emit([], [rewrite(added.take())], "add")
        i += 1
    return out


def generate(n_sentences: int, seed: int = 1, rates: Optional[Rates] = None) -> Pair:
    """A pair whose witness a has ``n_sentences`` sentences."""
    rates = rates or Rates()
    rng = random.Random(seed)
    base = list(base_sentences())
    rng.shuffle(base)
    # A tenth of the base is held out for b's additions, which a must not contain.
    held = max(1, len(base) // 10)
    used: set[str] = set()
    source, added = SentenceSource(base[held:], rng, used), SentenceSource(base[:held], rng, used)
    vocabulary = sorted({w.lower() for s in base for w in s[:-1].replace(",", " ").split()
                         if w.isalpha() and len(w) >= 3 and w.lower() not in _ABBREVIATIONS})
    pair = Pair([], [], [])
    for size in _paragraph_sizes(n_sentences, rng):
        para = [source.take() for _ in range(size)]
        pair.paragraphs_a.append(para)
        pair.paragraphs_b.append(_render_paragraph(para, pair, rng, added, vocabulary, rates))
    return pair


def generate_witnesses(n_sentences: int, count: int, seed: int = 1, rates: Optional[Rates] = None) -> list[Pair]:
    """``count - 1`` renderings of one witness a (each a :class:`Pair` with a's
    paragraphs and its own b and gold): a set of many witnesses of one text."""
    rates = rates or Rates()
    first = generate(n_sentences, seed, rates)
    rng = random.Random(seed + 1000)
    base = list(base_sentences())
    held = max(1, len(base) // 10)
    vocabulary = sorted({w.lower() for s in base for w in s[:-1].replace(",", " ").split()
                         if w.isalpha() and len(w) >= 3 and w.lower() not in _ABBREVIATIONS})
    pairs = [first]
    for _ in range(count - 2):
        pair = Pair([], [], [])
        added = SentenceSource(base[:held], rng, set())
        for para in first.paragraphs_a:
            pair.paragraphs_a.append(para)
            pair.paragraphs_b.append(_render_paragraph(para, pair, rng, added, vocabulary, rates))
        pairs.append(pair)
    return pairs


# --- checking and writing ----------------------------------------------------------


def segmentation_mismatches(pair: Pair) -> dict[str, list[tuple[str, str]]]:
    """Per witness, the places where align's sentences differ from the gold's (empty if none)."""
    import difflib

    import align

    out = {}
    for side, text in (("a", pair.text_a), ("b", pair.text_b)):
        got = [s.text for s in align.segment(align.witness(text, side)).sentences if s.kind == "sentence"]
        want = pair.sentences(side)
        diff = difflib.SequenceMatcher(None, want, got, autojunk=False)
        out[side] = [
            (" | ".join(want[i1:i2]), " | ".join(got[j1:j2]))
            for tag, i1, i2, j1, j2 in diff.get_opcodes() if tag != "equal"
        ]
    return out


def write(pair: Pair, out: Path, seed: int, n_sentences: int) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    (out / "a.txt").write_text(pair.text_a, encoding="utf-8")
    (out / "b.txt").write_text(pair.text_b, encoding="utf-8")
    ops = ", ".join(f"{k} {v}" for k, v in sorted(pair.operations.items()))
    gold = {
        "description": (
            f"Synthetic pair from benchmarks/generate.py (generator v{GENERATOR_VERSION}, seed {seed}, "
            f"{n_sentences} sentences in a, base text: the documentation of Python "
            f"{sys.version.split()[0]}). Links: {ops}."
        ),
        "witnesses": {"a": "a.txt", "b": "b.txt"},
        "links": pair.links,
    }
    path = out / "gold.json"
    path.write_text(json.dumps(gold, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sentences", type=int, help="sentences in witness a")
    parser.add_argument("--out", type=Path, required=True, help="folder for a.txt, b.txt, gold.json")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-check", action="store_true", help="skip checking align's segmentation")
    args = parser.parse_args(argv)
    pair = generate(args.sentences, args.seed)
    path = write(pair, args.out, args.seed, args.sentences)
    print(f"{path}: a {len(pair.sentences('a'))} sentences, b {len(pair.sentences('b'))}; "
          + ", ".join(f"{k} {v}" for k, v in sorted(pair.operations.items())))
    if not args.no_check:
        bad = segmentation_mismatches(pair)
        for side, diffs in bad.items():
            for want, got in diffs[:5]:
                print(f"  {side}: gold {want!r}\n     align {got!r}", file=sys.stderr)
        if any(bad.values()):
            print(f"segmentation differs from the gold: a {len(bad['a'])}, b {len(bad['b'])} places",
                  file=sys.stderr)
            return 1
        print("align segments both witnesses exactly into the gold's sentences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
