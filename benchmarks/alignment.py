"""How well align aligns, on material it was not tuned on: one command, every table.

    python benchmarks/alignment.py [--hunalign PATH] [--quick]

1. Real translations with a known alignment: KJV against WEB, book by book
   (benchmarks/bible.py): the development books (Matthew to Acts), then the
   check books never tuned on; hunalign as the anchor when its binary is given.
   The same at the resolution of sentences: chapters 1-3 of two development and
   four check books, the KJV and the Reina-Valera 1909 against the WEB, against
   hand-made sentence golds (benchmarks/sentence_gold.py).
2. Retellings: the seeds' hand alignments (000/001 translations, 001/003 and
   000/004 news retellings), the synoptic Gospels (benchmarks/synoptic.py) and the
   retellings in a speaker's words (benchmarks/data/retold_in_speech.json).
3. Many witnesses: each seed pair inside the collation of the four seeds
   against the same pair alone; the cost of 2, 5 and 10 generated witnesses.
4. Calibration of @cert: reliability tables on the check set (benchmarks/calibration.py).
5. Segmentation: the 48 English Golden Rules and the speed on the seeds.
6. Variant typology: precision and recall per type on the hand-checked sample of
   seed places (tests/data/variant_types_sample.json).

Needs the bench extra (pip install '.[bench]') and Debian's sword-text-kjv,
sword-text-web and sword-text-sparv. About three minutes on two cores (--quick: one book a set).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bible  # noqa: E402
import calibration  # noqa: E402
import sentence_gold  # noqa: E402
import synoptic  # noqa: E402

SEEDS = ROOT / "seeds"


def _seed(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def heading(text: str) -> None:
    print(f"\n## {text}\n", flush=True)


def translations(args: argparse.Namespace) -> None:
    heading("Real translations: KJV against WEB (grouped = strict at the gold's verse-group resolution)")
    extra = ["--hunalign", args.hunalign] if args.hunalign else []
    print("development books (the defaults were chosen on these):")
    bible.main(["--books", *(bible.DEVELOPMENT[:1] if args.quick else bible.DEVELOPMENT), *extra])
    print("\ncheck books (never tuned on):")
    bible.main(["--books", *(bible.CHECK[:1] if args.quick else bible.CHECK), *extra])
    heading("Real translations at the resolution of sentences: chapters 1-3, KJV and Reina-Valera 1909 "
            "against the WEB (hand-made sentence golds)")
    books = [sentence_gold.DEVELOPMENT[0], sentence_gold.CHECK[0]] if args.quick else []
    sentence_gold.main([*extra, *(["--books", *books] if books else [])])


def _scores(collation, gold, a: str, b: str) -> str:
    from align.evaluate import evaluate

    e = evaluate(collation, gold, a, b)
    return (f"{e.strict.f1:6.3f} {e.lax.f1:6.3f} {e.pairs.f1:6.3f} {e.grouped.f1:7.3f} "
            f"{len([t for t in collation.moved if set(t.sentences) == {a, b}]):6d}")


def retellings() -> None:
    import align
    from align.evaluate import load_gold

    heading("Retellings and the seed pair (hand alignments)")
    print(f"{'pair':34} {'strict':>6} {'lax':>6} {'pairs':>6} {'grouped':>7} {'transp':>6}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for a, b in calibration.SEED_GOLDS:
            c = align.collate([_seed(a), _seed(b)], sigla=["a", "b"])
            print(f"{'seeds ' + a + '/' + b:34} {_scores(c, load_gold(SEEDS / f'gold/gold_{a}_{b}.json'), 'a', 'b')}")
        for label, path in (("synoptic ", synoptic.DATA), ("retold ", synoptic.RETOLD)):
            for pair in synoptic.load(path)["pairs"]:
                text_a, text_b, gold = synoptic.build(pair)
                c = align.collate([align.witness(text_a, "a"), align.witness(text_b, "b")])
                print(f"{label + pair['name']:34} {_scores(c, gold, 'a', 'b')}")
                fine = synoptic.sentence_gold(pair)
                if fine is not None:  # the same collation against its gold at the resolution of sentences
                    print(f"{'  at sentences':34} {_scores(c, fine, 'a', 'b')}")


# Timed runs of each many-witness case (the least counts).
REPEATS = 3


def many(args: argparse.Namespace) -> None:
    import align
    import generate
    from align.evaluate import load_gold

    heading("Many witnesses")
    print("each seed pair alone and inside the collation of 000, 001, 003, 004 (in that order):")
    print(f"{'pair':10} {'':6} {'strict':>6} {'lax':>6} {'pairs':>6} {'grouped':>7} {'transp':>6}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        four = align.collate([_seed(s) for s in ("000", "001", "003", "004")], sigla=["s000", "s001", "s003", "s004"])
        for a, b in calibration.SEED_GOLDS:
            gold = load_gold(SEEDS / f"gold/gold_{a}_{b}.json")
            pair = align.collate([_seed(a), _seed(b)], sigla=[f"s{a}", f"s{b}"])
            print(f"{a + '/' + b:10} {'alone':6} {_scores(pair, gold, f's{a}', f's{b}')}")
            print(f"{'':10} {'in 4':6} {_scores(four, gold, f's{a}', f's{b}')}")
    sizes = (2, 10) if args.quick else (2, 5, 10)
    pairs = generate.generate_witnesses(1000, max(sizes))
    texts = [pairs[0].text_a] + [p.text_b for p in pairs]
    print("\ngenerated witnesses of 1,000 sentences (one text, each rendering with its own edits):")
    base = None
    align.collate([align.witness(t, f"w{i}") for i, t in enumerate(texts[:2])])  # warm caches
    for k in sizes:
        witnesses = [align.witness(t, f"w{i}") for i, t in enumerate(texts[:k])]
        # The least of REPEATS runs (as timeit does): this machine's speed drifts by
        # tens of percent between runs, and the ratio is what is asked for.
        runs = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            collation = align.collate(witnesses)
            runs.append(time.perf_counter() - start)
        seconds = min(runs)
        base = base or seconds
        print(f"{k:3d} witnesses {seconds:7.2f} s  x{seconds / base:4.1f} the time of 2"
              f"  (least of {REPEATS} runs; most {max(runs):.2f} s)")
    # Each rendering against the first (the generator's gold), inside all of them and alone.
    from align.evaluate import evaluate

    print(f"\nw0 against each other rendering, strict F1 (gold: the generator's), inside {k} and alone:")
    inside, alone = [], []
    for i in range(1, k):
        gold = {"links": pairs[i - 1].links}
        inside.append(evaluate(collation, gold, "w0", f"w{i}").strict.f1)
        alone.append(evaluate(align.collate([witnesses[0], witnesses[i]]), gold, "w0", f"w{i}").strict.f1)
    worst = max(range(len(inside)), key=lambda n: alone[n] - inside[n])
    print(f"  inside mean {sum(inside) / len(inside):.3f}, alone mean {sum(alone) / len(alone):.3f}; "
          f"largest loss w0/w{worst + 1}: {inside[worst]:.3f} vs {alone[worst]:.3f}")


def calibrated() -> None:
    heading("Calibration of @cert (check set)")
    calibration.main(["--models", "lexical", "lexical across languages"])


def segmentation() -> None:
    from align.segment import segment
    import align

    heading("Segmentation")
    rules = json.loads((ROOT / "tests/data/golden_rules_en.json").read_text("utf-8"))["rules"]
    passed = sum([s.text for s in segment(align.witness(r["text"], "w")).sentences] == r["expected"] for r in rules)
    print(f"English Golden Rules: {passed}/{len(rules)} ({passed / len(rules):.1%})")
    text = "\n\n".join(p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))) * 40
    segment(align.witness(text[:10000], "w"))
    start = time.perf_counter()
    segment(align.witness(text, "w"))
    seconds = time.perf_counter() - start
    print(f"speed on the seeds repeated ({len(text.encode()) / 1e6:.1f} MB): {len(text.encode()) / 1e6 / seconds:.1f} MB/s")


def typology() -> None:
    import align
    from align.model import App

    heading("Variant typology (hand-checked sample of places in the seeds)")
    sample = json.loads((ROOT / "tests/data/variant_types_sample.json").read_text("utf-8"))["places"]
    by_collation: dict[tuple[str, ...], list[dict]] = {}
    for place in sample:
        by_collation.setdefault(tuple(place["collation"]), []).append(place)
    pairs = []
    for ids, places in by_collation.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            c = align.collate([_seed(i) for i in ids], sigla=[f"s{i}" for i in ids])
        found: dict[str, list[str]] = {}
        for unit in c.units:
            for piece in unit.pieces:
                if isinstance(piece, App):
                    readings = {w[1:]: r.text for r in piece.readings for w in r.wits}
                    found.setdefault(json.dumps(readings, sort_keys=True, ensure_ascii=False), []).append(piece.type)
        for place in places:
            kinds = found.get(json.dumps(place["readings"], sort_keys=True, ensure_ascii=False))
            if kinds:
                pairs.append((place["type"], kinds.pop()))
    print(f"{len(pairs)} of {len(sample)} places still collated")
    print(f"{'type':15} {'precision':>9} {'recall':>7} {'places':>7}")
    for kind in sorted({g for g, _ in pairs} | {p for _, p in pairs}):
        predicted = [g for g, p in pairs if p == kind]
        gold = [p for g, p in pairs if g == kind]
        precision = sum(g == kind for g in predicted) / len(predicted) if predicted else 0.0
        recall = sum(p == kind for p in gold) / len(gold) if gold else 0.0
        print(f"{kind:15} {precision:9.3f} {recall:7.3f} {len(gold):7d}")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hunalign", help="a hunalign binary: its rows beside align's (benchmarks/hunalign.py)")
    parser.add_argument("--quick", action="store_true", help="one book of each set, fewer witness counts")
    args = parser.parse_args(argv)
    import align

    print(f"align {align.__version__}, settings {align.Settings(version=align.__version__).signature()}")
    translations(args)
    retellings()
    many(args)
    calibrated()
    segmentation()
    typology()
    return 0


if __name__ == "__main__":
    sys.exit(main())
