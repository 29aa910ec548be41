"""A real retelling benchmark: the synoptic Gospels.

    python benchmarks/synoptic.py            # every pair in benchmarks/data/synoptic.json
    python benchmarks/synoptic.py --missed   # and the gold links align missed
    python benchmarks/synoptic.py --spanish [--scorer embedding]
                                             # Mark in Spanish against the English retellings

Matthew and Luke retell Mark: they keep most of his sentences in paraphrase, move
some stories (Matthew gathers Mark's healings in Matt 8-9, Luke puts the call of
the fishermen after the Capernaum day and Jesus' family after the parables), leave
some out and add their own material. ``benchmarks/data/synoptic.json`` gives, for
each pair of passages, the verse correspondences annotated by hand the way a
synopsis prints them (its ``source`` field says how); this module turns a pair
into two witness texts and a gold in align's format (see :mod:`align.evaluate`),
collates them and scores align against the gold.

The texts are the World English Bible (public domain) as Debian ships it for
SWORD (package ``sword-text-web``, module ``engWEB2015eb``), read with pysword.
Each chapter is one paragraph (verses joined with single spaces, verse numbers
dropped), chapters are separated by a blank line.
"""

from __future__ import annotations

import json
import re
import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "synoptic.json"
# Retellings in a speaker's words (Genesis 24, the three accounts of Paul's
# conversion, Peter's report of Cornelius; a chronicler's retelling): development
# material for retellings of the report kind, out of order and in another voice.
RETOLD = HERE / "data" / "retold_in_speech.json"
# Their golds at the resolution of align's sentences (data/sentence_gold/retold/,
# one file a pair, by name; check.py there says how they were made): the verse
# golds count a correct finer link inside a verse as wrong.
SENTENCE_GOLDS = HERE / "data" / "sentence_gold" / "retold"
SWORD = "/usr/share/sword"

_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=None)
def _bible(module: str):
    from pysword.modules import SwordModules

    modules = SwordModules(SWORD)
    modules.parse_modules()
    return modules.get_bible_from_module(module)


@lru_cache(maxsize=None)
def _chapter_lengths(module: str, book: str) -> tuple[int, ...]:
    structure = _bible(module).get_structure()
    for testament in structure.get_books().values():
        for b in testament:
            if book.lower() in (b.osis_name.lower(), b.name.lower()):
                return tuple(b.chapter_lengths)
    raise KeyError(f"no book {book!r} in {module}")


def _ref(ref: str) -> tuple[int, int]:
    chapter, verse = ref.split(":")
    return int(chapter), int(verse)


def verse_text(module: str, book: str, chapter: int, verse: int) -> str:
    """One verse, pysword's clean text with whitespace normalised."""
    text = _bible(module).get(books=[book], chapters=[chapter], verses=[verse], clean=True)
    return _SPACE.sub(" ", text).strip()


def verses(module: str, book: str, passages: list[list[str]]) -> list[tuple[str, str]]:
    """``("chapter:verse", text)`` for every verse of the passages, in order."""
    lengths = _chapter_lengths(module, book)
    out = []
    for first, last in passages:
        (c1, v1), (c2, v2) = _ref(first), _ref(last)
        for c in range(c1, c2 + 1):
            for v in range(v1 if c == c1 else 1, (v2 if c == c2 else lengths[c - 1]) + 1):
                text = verse_text(module, book, c, v)
                if text:
                    out.append((f"{c}:{v}", text))
    return out


def _join(vs: list[tuple[str, str]]) -> str:
    """Verses of one chapter as a paragraph, chapters (and passages) by blank lines."""
    paragraphs: list[list[str]] = []
    last_chapter = None
    for ref, text in vs:
        chapter = ref.split(":")[0]
        if chapter != last_chapter:
            paragraphs.append([])
            last_chapter = chapter
        paragraphs[-1].append(text)
    return "\n\n".join(" ".join(p) for p in paragraphs) + "\n"


def build(pair: dict[str, Any], module_a: str = "") -> tuple[str, str, dict[str, Any]]:
    """The two witness texts of a pair and its gold in align's format (``module_a``:
    side a read from another SWORD module, e.g. Mark in the Reina-Valera 1909:
    a retelling across languages; the verse links stay the synopsis's).

    The gold quotes each verse's text (an exact substring of its witness). Linked
    verses come first, in the JSON's order; then the verses the annotation leaves
    without counterpart (each run of them in a chapter as one text), as links with
    an empty side: not scored as links, but align's links to them are counted as
    spurious."""
    module = pair.get("module", "engWEB2015eb")
    va = verses(module_a or module, pair["a"]["book"], pair["a"]["passages"])
    vb = verses(module, pair["b"]["book"], pair["b"]["passages"])
    text_a, text_b = _join(va), _join(vb)
    by_a, by_b = dict(va), dict(vb)
    links: list[dict[str, list[str]]] = []
    used_a: set[str] = set()
    used_b: set[str] = set()
    for link in pair["links"]:
        for side, refs, known, used in (("a", link["a"], by_a, used_a), ("b", link["b"], by_b, used_b)):
            for ref in refs:
                if ref not in known:
                    raise ValueError(f"{pair['name']}: {side} {ref} is outside the passages")
                if ref in used:
                    raise ValueError(f"{pair['name']}: {side} {ref} is in two links")
                used.add(ref)
        links.append({"a": [by_a[r] for r in link["a"]], "b": [by_b[r] for r in link["b"]]})
    links += [{"a": [t], "b": []} for t in _unlinked(va, used_a)]
    links += [{"a": [], "b": [t]} for t in _unlinked(vb, used_b)]
    gold = {"witnesses": {"a": f"{pair['a']['book']}.txt", "b": f"{pair['b']['book']}.txt"}, "links": links}
    _check(pair["name"], gold, "a", text_a)
    _check(pair["name"], gold, "b", text_b)
    return text_a, text_b, gold


def _unlinked(vs: list[tuple[str, str]], used: set[str]) -> list[str]:
    """The texts of the verses without a link, each run of them in one chapter
    quoted whole (a verse alone may also stand inside another: Matt 4:14 = 12:17,
    and both in 8:17)."""
    runs: list[list[str]] = []
    previous = None
    for i, (ref, text) in enumerate(vs):
        if ref in used:
            continue
        if previous is not None and previous == i - 1 and vs[i - 1][0].split(":")[0] == ref.split(":")[0]:
            runs[-1].append(text)
        else:
            runs.append([text])
        previous = i
    return [" ".join(run) for run in runs]


def _check(name: str, gold: dict[str, Any], side: str, text: str) -> None:
    """Refuse a gold whose verses the scorer would look up in the wrong places: a
    text that occurs more than once (Matt 4:14 = 12:17) must be found at a place
    where that same text stands, and no place used twice."""
    spans = []
    for link in gold["links"]:
        for t in link[side]:
            places = [m.start() for m in re.finditer(re.escape(t), text)]
            if not places:
                raise ValueError(f"{name}: verse not in witness {side}: {t!r}")
            spans.append((t, places))
    try:
        from align.evaluate import _disambiguate
    except ImportError:  # another align: only ask that every text be found
        return
    found = [start for link_spans in _disambiguate(text, gold["links"], side) for start, _ in link_spans]
    if len(found) != len(spans) or len(set(found)) != len(found):
        raise ValueError(f"{name}: the scorer would read some verses of {side} at the same place")
    for (t, places), start in zip(spans, found):
        if start not in places:
            raise ValueError(f"{name}: the scorer would read {t[:40]!r} of {side} elsewhere")


def out_of_order(pair: dict[str, Any]) -> int:
    """How many of the pair's links leave the order of the other side: the links
    outside a longest chain that keeps both sides' order (by each link's first verse)."""
    order_a = {r: i for i, (r, _) in enumerate(verses(pair.get("module", "engWEB2015eb"), pair["a"]["book"], pair["a"]["passages"]))}
    order_b = {r: i for i, (r, _) in enumerate(verses(pair.get("module", "engWEB2015eb"), pair["b"]["book"], pair["b"]["passages"]))}
    return outside_chain([(min(order_a[r] for r in l["a"]), min(order_b[r] for r in l["b"])) for l in pair["links"]])


def outside_chain(links: list[tuple[int, int]]) -> int:
    """How many of these links (positions on side a, side b) lie outside a longest
    chain that keeps both sides' order."""
    from bisect import bisect_left

    # Longest strictly increasing subsequence of the b positions, in a's order.
    tails: list[int] = []
    for _, b in sorted(links):
        k = bisect_left(tails, b)
        tails[k:k + 1] = [b]
    return len(links) - len(tails)


def load(path: Path = DATA) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def sentence_gold(pair: dict[str, Any]) -> dict[str, Any] | None:
    """The pair's gold at the resolution of sentences, if it has one."""
    path = SENTENCE_GOLDS / f"{pair['name']}.json"
    return load(path) if path.is_file() else None


# Mark read in Spanish (--spanish): Debian's sword-text-sparv.
SPANISH = "spaRV1909eb"


def main(argv: list[str] | None = None) -> None:
    import argparse
    import warnings

    import align
    from align.evaluate import evaluate

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--missed", action="store_true", help="and the gold links align missed")
    parser.add_argument("--spanish", action="store_true",
                        help="Mark in the Reina-Valera 1909 (the source, lang es) against the English retellings")
    parser.add_argument("--scorer", default="", help="align's scorer (default: the default; e.g. embedding)")
    parser.add_argument("--data", type=Path, default=DATA,
                        help=f"the pairs (default {DATA.relative_to(HERE.parent)}; also {RETOLD.relative_to(HERE.parent)})")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    data = load(args.data)
    print("| pair | verses a / b | gold links | out of order | strict P / R / F1 | lax P / R / F1 "
          "| pairs P / R / F1 | links to unpaired | transpositions | seconds |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    details = []
    finer = []
    settings = align.Settings(**({"scorer": args.scorer} if args.scorer else {}), **({"source": "a"} if args.spanish else {}))
    module_a = SPANISH if args.spanish else ""
    for pair in data["pairs"]:
        text_a, text_b, gold = build(pair, module_a)
        start = time.perf_counter()
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            collation = align.collate([align.witness(text_a, "a", lang="es" if args.spanish else ""),
                                       align.witness(text_b, "b", lang="en" if args.spanish else "")], settings=settings)
        seconds = time.perf_counter() - start
        e = evaluate(collation, gold, "a", "b")
        n_a = len(verses(module_a or pair.get("module", "engWEB2015eb"), pair["a"]["book"], pair["a"]["passages"]))
        n_b = len(verses(pair.get("module", "engWEB2015eb"), pair["b"]["book"], pair["b"]["passages"]))

        def f(s) -> str:
            return f"{s.precision:.3f} / {s.recall:.3f} / {s.f1:.3f}"

        unrelated = " (refused as unrelated)" if any(w.category.__name__ == "UnrelatedWitnessWarning" for w in said) else ""
        print(f"| {pair['name']}{unrelated} | {n_a} / {n_b} | {len(pair['links'])} | {out_of_order(pair)} | {f(e.strict)} "
              f"| {f(e.lax)} | {f(e.pairs)} | {e.spurious} | {len(collation.moved)} | {seconds:.2f} |")
        details.append((pair["name"], e))
        fine = None if args.spanish else sentence_gold(pair)
        if fine is not None:
            finer.append((pair["name"], evaluate(collation, fine, "a", "b")))
    if finer:
        print("\nAt the resolution of sentences (data/sentence_gold/retold/):\n")
        print("| pair | gold links | strict F1 | lax F1 | pairs P / R / F1 | grouped F1 | links to unpaired |")
        print("|---|---|---|---|---|---|---|")
        for name, e in finer:
            print(f"| {name} | {e.strict.gold} | {e.strict.f1:.3f} | {e.lax.f1:.3f} "
                  f"| {e.pairs.precision:.3f} / {e.pairs.recall:.3f} / {e.pairs.f1:.3f} | {e.grouped.f1:.3f} | {e.spurious} |")
    if args.missed:
        from align.evaluate import format_evaluation

        for name, e in details:
            print(f"\n## {name}\n")
            print(format_evaluation(e))


if __name__ == "__main__":
    main()
