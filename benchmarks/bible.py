"""Real translations with a known alignment: two public-domain English Bibles.

Debian ships them (``apt-get install sword-text-kjv sword-text-web``), PyPI's
``pysword`` reads them (the ``bench`` extra). A book becomes two witness texts,
one paragraph per chapter, verse numbers dropped; the gold links verses grouped
until both translations end a sentence (so that a gold link is the smallest
stretch both sides render as whole sentences). Verse numbers are the only thing
the gold is built from: nothing here was annotated by hand or tuned on.

    python benchmarks/bible.py                      # the New Testament, Matthew to Acts
    python benchmarks/bible.py --books Rom 1Cor     # other books
    python benchmarks/bible.py --json out.json      # also the records
    python benchmarks/bible.py --check              # the check books

Each book runs in a child process (time and peak memory are its own).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SWORD = os.environ.get("SWORD_PATH", "/usr/share/sword")
KJV, WEB, RV = "engKJV2006eb", "engWEB2015eb", "spaRV1909eb"
DEVELOPMENT = ["Matt", "Mark", "Luke", "John", "Acts"]
# Never looked at while developing: the check set.
CHECK = ["Rom", "1Cor", "Heb", "Rev"]

_SPACE = re.compile(r"\s+")
# A sentence ends in . ? ! (then maybe closing quotes or brackets).
_ENDS_SENTENCE = re.compile(r"[.?!][\"'’”)\]]*$")


@dataclass
class Book:
    name: str
    a: str
    b: str
    gold: dict[str, Any]
    verses: int


def _modules():
    try:
        from pysword.modules import SwordModules
    except ImportError:
        sys.exit("bible: pysword is missing: pip install '.[bench]'")
    modules = SwordModules(SWORD)
    found = modules.parse_modules()
    return modules, found


def verses(module: str, book: str) -> list[list[str]]:
    """The book's verses, chapter by chapter, whitespace normalised."""
    modules, found = _modules()
    if module not in found:
        sys.exit(f"bible: no SWORD module {module} in {SWORD} (apt-get install sword-text-kjv sword-text-web)")
    bible = modules.get_bible_from_module(module)
    _, structure = bible.get_structure().find_book(book)
    out = []
    for chapter, count in enumerate(structure.chapter_lengths, start=1):
        texts = bible.get(books=[book], chapters=[chapter], verses=list(range(1, count + 1)), clean=True, join="\x00")
        out.append([_SPACE.sub(" ", v).strip() for v in texts.split("\x00")])
    return out


def build(book: str, module_a: str = KJV, module_b: str = WEB) -> Book:
    """Witness texts (a chapter a paragraph) and the verse-group gold."""
    chapters_a, chapters_b = verses(module_a, book), verses(module_b, book)
    text: dict[str, list[str]] = {"a": [], "b": []}
    links = []
    # The verses of the group being built, per side (a group stays inside a chapter,
    # so its text is its verses joined as the witness joins them, by a space).
    group: dict[str, list[str]] = {"a": [], "b": []}
    count = 0

    def add(side: str, verse: str, first: bool) -> None:
        if verse:
            if text[side]:
                text[side].append("\n\n" if first else " ")
            text[side].append(verse)
            group[side].append(verse)

    def close() -> None:
        nonlocal group
        links.append({side: [" ".join(group[side])] if group[side] else [] for side in ("a", "b")})
        group = {"a": [], "b": []}

    for va, vb in zip(chapters_a, chapters_b):
        for v in range(max(len(va), len(vb))):
            count += 1
            add("a", va[v] if v < len(va) else "", v == 0)
            add("b", vb[v] if v < len(vb) else "", v == 0)
            done = all(not group[side] or _ENDS_SENTENCE.search(group[side][-1]) for side in ("a", "b"))
            if done and (group["a"] or group["b"]):
                close()
        if group["a"] or group["b"]:  # a chapter ends a group whatever its punctuation
            close()
    name_a, name_b = f"{book}-{module_a}", f"{book}-{module_b}"
    gold = {"witnesses": {"a": name_a, "b": name_b}, "links": links}
    return Book(book, "".join(text["a"]), "".join(text["b"]), gold, count)


def run_book(book: str, module_a: str, module_b: str, scorer: Optional[str] = None) -> dict[str, Any]:
    """Collate one book and score it against its gold (in this process)."""
    import align
    import calibration
    from align.evaluate import evaluate

    data = build(book, module_a, module_b)
    settings = align.Settings(**({"scorer": scorer} if scorer else {}))
    start = time.perf_counter()
    collation = align.collate([align.witness(data.a, "a"), align.witness(data.b, "b")], settings=settings,
                              on_unrelated="warn")
    seconds = time.perf_counter() - start
    result = evaluate(collation, data.gold, "a", "b")
    segs = collation.segmentations
    return {
        "book": book,
        "verses": data.verses,
        "sentences": [sum(s.kind == "sentence" for s in segs[w].sentences) for w in ("a", "b")],
        "gold_links": len(data.gold["links"]),
        "strict": result.strict.__dict__,
        "lax": result.lax.__dict__,
        "pairs": result.pairs.__dict__,
        "grouped": result.grouped.__dict__,
        "transpositions": len(collation.moved),
        "seconds": round(seconds, 3),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "calibration": calibration.link_points(collation, data.gold, "a", "b"),
    }


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--books", nargs="+", default=DEVELOPMENT)
    parser.add_argument("--check", action="store_true", help="the check set instead: " + " ".join(CHECK))
    parser.add_argument("--a", default=KJV)
    parser.add_argument("--b", default=WEB)
    parser.add_argument("--scorer")
    parser.add_argument("--json", help="write the records here")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--hunalign", metavar="PATH", help="and a row of hunalign (benchmarks/hunalign.py)")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_book(args.one, args.a, args.b, args.scorer)))
        return 0
    books = CHECK if args.check else args.books
    records = []
    print(f"{'book':6} {'verses':>6} {'sent a/b':>11} {'pairs F1':>8} {'strict F1':>9} {'lax F1':>7} {'grouped':>7} "
          f"{'transp':>6} {'time':>7} {'peak':>8}")
    for book in books:
        command = [sys.executable, __file__, "--one", book, "--a", args.a, "--b", args.b]
        if args.scorer:
            command += ["--scorer", args.scorer]
        out = subprocess.run(command, capture_output=True, text=True)
        if out.returncode:
            print(f"{book:6} failed: {out.stderr.strip().splitlines()[-1] if out.stderr.strip() else out.returncode}")
            continue
        r = json.loads(out.stdout)
        records.append(r)
        print(f"{book:6} {r['verses']:6d} {r['sentences'][0]:5d}/{r['sentences'][1]:<5d} {r['pairs']['f1']:8.3f} "
              f"{r['strict']['f1']:9.3f} {r['lax']['f1']:7.3f} {r['grouped']['f1']:7.3f} {r['transpositions']:6d} {r['seconds']:6.2f}s "
              f"{r['peak_mib']:6.0f}MiB")
        if args.hunalign:  # the anchor: hunalign on align's sentences (benchmarks/hunalign.py)
            import hunalign
            print(hunalign.format_row(hunalign.score_book(book, args.hunalign, args.a, args.b), "  hunalign"))
    if args.json:
        Path(args.json).write_text(json.dumps(records, indent=1))
    if records:
        import calibration

        calibration.table("reliability of the links' confidence", [p for r in records for p in r["calibration"]])
    return 0


def neutral_confidence() -> None:
    """A model of the current features to run with while fitting (the features
    of a link do not depend on its confidence; only the file must load)."""
    from align.sentences.confidence import FEATURES, MODELS

    target = ROOT / "align/data/confidence.json"
    try:
        stored = json.loads(target.read_text())
        if tuple(stored["features"]) == FEATURES and set(stored["models"]) == set(MODELS):
            return
    except (OSError, ValueError, KeyError):
        pass
    placeholder = {"coefficients": [0.0] * len(FEATURES), "fitted_on": "placeholder while fitting"}
    target.write_text(json.dumps({"features": list(FEATURES), "models": {m: placeholder for m in MODELS}}) + "\n")


if __name__ == "__main__":
    sys.exit(main())
