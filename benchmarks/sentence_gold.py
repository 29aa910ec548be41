"""Sentence-level golds: the Bible benchmarks at the resolution of sentences.

The gold of benchmarks/bible.py and benchmarks/crosslang.py links verse groups
(verses grouped until both sides end a sentence), so *pairs* and *strict* F1 count a
correct finer alignment inside a group as wrong: two sentences of one verse linked one
by one lose recall. These golds link sentences: the first three chapters of Mark (a
development book) and of Romans (a check book), the KJV and the Reina-Valera 1909
against the WEB, aligned by hand from the texts, verse numbers as a guide, without
looking at any aligner's output (annotated 2026-12-06; ``description`` in each file).
The sentence inventory is align's segmentation of the excerpt (segmentation is
scored on its own, by the Golden Rules): a link groups the fewest sentences that
translate each other.

    python benchmarks/sentence_gold.py                      # align, both golds
    python benchmarks/sentence_gold.py --hunalign PATH      # and hunalign, run as in bible.py
    python benchmarks/sentence_gold.py --embedding          # and align with scorer="embedding"

The excerpts are rebuilt from Debian's SWORD modules (sword-text-kjv, -web, -sparv) as
the other Bible benchmarks build whole books: a chapter a paragraph, verse numbers dropped.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bible  # noqa: E402

GOLDS = Path(__file__).resolve().parent / "data" / "sentence_gold"
CHAPTERS = 3
# The annotated books: development (tuned on) and check (never tuned on), as in
# bible.py; John, Luke, Acts, 1 Corinthians, Hebrews and Revelation since 2026-12-07.
DEVELOPMENT = ["Mark", "John", "Luke", "Acts"]
CHECK = ["Rom", "1Cor", "Heb", "Rev"]
# (book, its set, the version beside the WEB, that version's language)
CASES = [(book, split, version, language)
         for split, books in (("dev", DEVELOPMENT), ("check", CHECK)) for book in books
         for version, language in (("kjv", "en"), ("es", "es"))]


def excerpt(text: str, chapters: int = CHAPTERS) -> str:
    """The first chapters of a witness text built a chapter a paragraph."""
    return "\n\n".join(text.split("\n\n")[:chapters]) + "\n"


@lru_cache(maxsize=None)
def texts(book: str) -> dict[str, Any]:
    """The whole books and the excerpts of the KJV, the WEB and the Reina-Valera 1909,
    and each one's verse-group gold against the WEB within the excerpts (built once
    a process: reading three whole books takes seconds; do not change what it returns)."""
    import crosslang

    english = bible.build(book)
    spanish = crosslang.build(book, bible.WEB)
    whole = {"kjv": english.a, "web": english.b, "es": spanish["es"]}
    out = {name: excerpt(text) for name, text in whole.items()}
    return {**out, "whole": whole, "verse_kjv": gold_within(english.gold, out["kjv"], out["web"]),
            "verse_es": gold_within(spanish["gold"], out["es"], out["web"])}


def gold_within(gold: dict[str, Any], a: str, b: str) -> dict[str, Any]:
    """A whole book's gold cut to the links whose verses all stand in excerpts ``a`` and ``b``."""
    return {"links": [link for link in gold["links"] if all(x in a for x in link["a"]) and all(x in b for x in link["b"])]}


def within(collation, ends: dict[str, int]):
    """The collation with only its units that lie inside the excerpts (sentences
    starting before ``ends[sigil]``): a whole book scored on the annotated chapters."""
    from dataclasses import replace

    def inside(unit) -> bool:
        return all(collation.sentences(s)[i].start < ends[s] for s, idx in unit.sentences.items() for i in idx)

    return replace(collation, units=tuple(u for u in collation.units if inside(u)),
                   transpositions=tuple(t for t in collation.transpositions
                                        if all(collation.sentences(s)[i].start < ends[s]
                                               for s, idx in t.sentences.items() for i in idx)))


def gold_path(book: str, version: str) -> Path:
    return GOLDS / f"{book.lower()}1-{CHAPTERS}_{version}_web.json"


def collations(version: str, language: str, data: dict[str, Any], scorer: str = "",
               hunalign: Optional[str] = None) -> dict[str, Any]:
    """align's collation of the whole books, scored on the excerpt; of the excerpts
    alone (less text: across languages, a smaller lexicon); hunalign's links on the
    excerpts, as a collation."""
    import align

    settings = align.Settings(source="a" if language != "en" else "", **({"scorer": scorer} if scorer else {}))
    name = "align" + (f" ({scorer})" if scorer else "")
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for label, a, b in ((" on the book", data["whole"][version], data["whole"]["web"]),
                            (" on the chapters", data[version], data["web"])):
            collation = align.collate([align.witness(a, "a", lang=language), align.witness(b, "b", lang="en")],
                                      settings=settings)
            out[name + label] = within(collation, {"a": len(data[version]), "b": len(data["web"])})
    if hunalign:
        import hunalign as runner

        segs = collation.segmentations
        own = {s: [x for x in segs[s].sentences if x.kind == "sentence"] for s in ("a", "b")}
        links, _, _ = runner.run(hunalign, [x.text for x in own["a"]], [x.text for x in own["b"]])
        out["hunalign on the chapters"] = runner.collation_of(segs, [([own["a"][i].index for i in x], [own["b"][j].index for j in y])
                                                     for x, y in links])
    return out


def run(hunalign: Optional[str] = None, embedding: bool = False,
        books: Optional[list[str]] = None) -> list[dict[str, Any]]:
    from align.evaluate import evaluate, load_gold

    records = []
    for book in dict.fromkeys(b for b, *_ in CASES if not books or b in books):
        data = texts(book)
        for _, split, version, language in [c for c in CASES if c[0] == book]:
            golds = {"verse groups": data[f"verse_{version}"], "sentences": load_gold(gold_path(book, version))}
            systems = collations(version, language, data, hunalign=hunalign)
            if embedding:
                systems.update(collations(version, language, data, scorer="embedding"))
            for system, collation in systems.items():
                for gold_name, gold in golds.items():
                    e = evaluate(collation, gold, "a", "b")
                    records.append({"book": book, "set": split, "pair": f"{version}/web", "system": system,
                                    "gold": gold_name, "pairs": e.pairs.f1, "strict": e.strict.f1, "lax": e.lax.f1,
                                    "grouped": e.grouped.f1, "precision": e.pairs.precision, "recall": e.pairs.recall,
                                    "links": e.strict.gold, "transpositions": len(collation.moved)})
    return records


def means(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per set, pair, system and gold: the books' mean F1s (each book counts once)
    and the worst book's pairs F1."""
    groups: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}
    for r in records:
        groups.setdefault((r["set"], r["pair"], r["system"], r["gold"]), []).append(r)
    out = []
    for (split, pair, system, gold), rs in groups.items():
        worst = min(rs, key=lambda r: r["pairs"])
        out.append({"set": split, "pair": pair, "system": system, "gold": gold, "books": len(rs),
                    **{m: sum(r[m] for r in rs) / len(rs) for m in ("pairs", "strict", "lax", "grouped")},
                    "worst": worst["book"], "worst pairs": worst["pairs"],
                    "links": sum(r["links"] for r in rs), "transpositions": sum(r["transpositions"] for r in rs)})
    return out


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hunalign", metavar="PATH", help="and hunalign (benchmarks/hunalign.py)")
    parser.add_argument("--embedding", action="store_true", help="and align with the embed extra's scorer")
    parser.add_argument("--books", nargs="+", choices=DEVELOPMENT + CHECK, help="only these books")
    parser.add_argument("--json", help="write the records here")
    args = parser.parse_args(argv)
    records = run(args.hunalign, args.embedding, args.books)
    print(f"| book (chapters 1–{CHAPTERS}) | pair | system | gold | pairs F1 (P / R) | strict F1 | lax F1 | grouped F1 "
          "| transpositions |")
    print("|---|---|---|---|---|--:|--:|--:|--:|")
    for r in records:
        print(f"| {r['book']} ({r['set']}) | {r['pair']} | {r['system']} | {r['gold']} | {r['pairs']:.3f} "
              f"({r['precision']:.3f} / {r['recall']:.3f}) | {r['strict']:.3f} | {r['lax']:.3f} | {r['grouped']:.3f} "
              f"| {r['transpositions']} |")
    print("\nMeans over the books of each set (each book once; the worst book's pairs F1):\n")
    print("| set | pair | system | gold | books (links) | pairs F1 | strict F1 | lax F1 | grouped F1 | worst pairs F1 "
          "| transpositions |")
    print("|---|---|---|---|---|--:|--:|--:|--:|---|--:|")
    for m in means(records):
        print(f"| {m['set']} | {m['pair']} | {m['system']} | {m['gold']} | {m['books']} ({m['links']}) | {m['pairs']:.3f} "
              f"| {m['strict']:.3f} | {m['lax']:.3f} | {m['grouped']:.3f} | {m['worst pairs']:.3f} ({m['worst']}) "
              f"| {m['transpositions']} |")
    if args.json:
        Path(args.json).write_text(json.dumps(records, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
