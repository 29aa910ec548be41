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
    text = {"a": [], "b": []}
    length = {"a": 0, "b": 0}
    links = []
    group: dict[str, list[tuple[int, int]]] = {"a": [], "b": []}
    count = 0

    def add(side: str, verse: str, first: bool) -> None:
        if not verse:
            return
        if text[side] and not first:
            text[side].append(" ")
            length[side] += 1
        elif text[side]:
            text[side].append("\n\n")
            length[side] += 2
        group[side].append((length[side], length[side] + len(verse)))
        text[side].append(verse)
        length[side] += len(verse)

    for c, (va, vb) in enumerate(zip(chapters_a, chapters_b)):
        for v in range(max(len(va), len(vb))):
            a = va[v] if v < len(va) else ""
            b = vb[v] if v < len(vb) else ""
            count += 1
            add("a", a, v == 0)
            add("b", b, v == 0)
            done_a = not group["a"] or _ENDS_SENTENCE.search(_text(text["a"], group["a"][-1]))
            done_b = not group["b"] or _ENDS_SENTENCE.search(_text(text["b"], group["b"][-1]))
            if done_a and done_b and (group["a"] or group["b"]):
                links.append(_link(text, group))
                group = {"a": [], "b": []}
        if group["a"] or group["b"]:  # a chapter ends a group whatever its punctuation
            links.append(_link(text, group))
            group = {"a": [], "b": []}
    name_a, name_b = f"{book}-{module_a}", f"{book}-{module_b}"
    gold = {"witnesses": {"a": name_a, "b": name_b}, "links": links}
    return Book(book, "".join(text["a"]), "".join(text["b"]), gold, count)


def _text(parts: list[str], span: tuple[int, int]) -> str:
    joined = "".join(parts)
    return joined[span[0]:span[1]]


def _link(text: dict[str, list[str]], group: dict[str, list[tuple[int, int]]]) -> dict[str, list[str]]:
    out = {}
    for side in ("a", "b"):
        joined = "".join(text[side])
        spans = group[side]
        out[side] = [joined[spans[0][0]:spans[-1][1]]] if spans else []
    return out


def run_book(book: str, module_a: str, module_b: str, scorer: Optional[str] = None) -> dict[str, Any]:
    """Collate one book and score it against its gold (in this process)."""
    import align
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
        "transpositions": len(collation.transpositions),
        "seconds": round(seconds, 3),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "calibration": calibration_points(collation, data.gold, with_features=True),
    }


def unit_features(collation, unit) -> list[float]:
    """What the aligner knew of a two-witness unit's link (see align.sentences.confidence)."""
    from align.clean import match_key
    from align.scorers import get_scorer
    from align.sentences.confidence import features
    from align.sentences.dp import Costs

    keys = {w: " ".join(match_key(collation.sentences(w)[i].text) for i in unit.sentences[w]) for w in ("a", "b")}
    sim = float(get_scorer(collation.settings.scorer)([keys["a"]], [keys["b"]])[0, 0])
    total = {w: sum(len(match_key(s.text)) for s in collation.sentences(w) if s.kind == "sentence") for w in "ab"}
    costs = Costs(0.0, ratio=total["b"] / max(total["a"], 1))
    deviation = float(costs.deviation(len(keys["a"]), len(keys["b"])))
    return features(sim, deviation, len(unit.sentences["a"]) + len(unit.sentences["b"]))


def calibration_points(collation, gold, with_features: bool = False) -> list:
    """Per linking unit: its confidence and whether it is right: the gold has
    exactly the link that it makes together with the other units inside the
    same gold link (a gold of verse groups cannot judge a finer alignment
    inside a group, see align.evaluate), and with ``with_features`` what the
    aligner knew of it."""
    from align.evaluate import _at_resolution, gold_links

    links = gold_links(collation, gold, "a", "b")
    gold_set = set(links)
    units = [u for u in collation.units if u.kind == "sentence" and u.sentences.get("a") and u.sentences.get("b")]
    predicted = [(frozenset(u.sentences["a"]), frozenset(u.sentences["b"])) for u in units]
    right = set()
    for ga, gb in _at_resolution(predicted, links):
        if (ga, gb) in gold_set:
            right.update(n for n, (pa, pb) in enumerate(predicted) if pa <= ga and pb <= gb)
    out = []
    for n, unit in enumerate(units):
        point = (unit.confidence, n in right)
        out.append(point + (unit_features(collation, unit),) if with_features else point)
    return out


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--books", nargs="+", default=DEVELOPMENT)
    parser.add_argument("--check", action="store_true", help="the check set instead: " + " ".join(CHECK))
    parser.add_argument("--a", default=KJV)
    parser.add_argument("--b", default=WEB)
    parser.add_argument("--scorer")
    parser.add_argument("--json", help="write the records here")
    parser.add_argument("--fit", action="store_true",
                        help="fit the confidence model on these books and write align/data/confidence.json")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--hunalign", metavar="PATH", help="and a row of hunalign (benchmarks/hunalign.py)")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_book(args.one, args.a, args.b, args.scorer)))
        return 0
    books = CHECK if args.check else args.books
    if args.fit:
        _neutral_confidence()
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
    points = [p for r in records for p in r["calibration"]]
    if args.fit:
        fit_confidence(points, books)
        return 0
    print_reliability([(c, ok) for c, ok, _ in points])
    return 0


def _neutral_confidence() -> None:
    """A model of the current features to run with while fitting (the features
    of a link do not depend on its confidence; only the file must load)."""
    from align.sentences.confidence import FEATURES

    target = ROOT / "align/data/confidence.json"
    try:
        if tuple(json.loads(target.read_text())["features"]) == FEATURES:
            return
    except (OSError, ValueError, KeyError):
        pass
    target.write_text(json.dumps({"features": list(FEATURES), "coefficients": [0.0] * len(FEATURES),
                                  "fitted_on": "placeholder while fitting"}) + "\n")


def fit_confidence(points: list, books: list[str]) -> None:
    from align.sentences.confidence import FEATURES, fit, probability, coefficients, reliability

    coefs = fit([f for _, _, f in points], [ok for _, ok, _ in points])
    target = ROOT / "align/data/confidence.json"
    target.write_text(json.dumps({
        "features": list(FEATURES), "coefficients": [round(c, 5) for c in coefs],
        "fitted_on": f"benchmarks/bible.py --fit: {', '.join(books)} (KJV against WEB), {len(points)} links",
    }, indent=1) + "\n")
    coefficients.cache_clear()
    print(f"fitted on {len(points)} links: " + ", ".join(f"{n} {c:+.3f}" for n, c in zip(FEATURES, coefs)))
    refit = [(probability(f[1], f[2], int(f[3]) + 2), ok) for _, ok, f in points]
    print_reliability(refit)


def print_reliability(points: list[tuple[float, bool]]) -> None:
    from align.sentences.confidence import reliability

    table, ece = reliability(points)
    print(f"\nreliability of the links' confidence ({len(points)} links; right = the gold's own link, at its resolution)")
    print(f"{'bin':>9} {'mean cert':>9} {'links':>6} {'right':>6}")
    for lo, mean, count, right in table:
        print(f"{lo:4.1f}-{lo + 0.1:3.1f} {mean:9.3f} {count:6d} {right:6.3f}")
    print(f"expected calibration error: {ece:.3f}")


if __name__ == "__main__":
    sys.exit(main())
