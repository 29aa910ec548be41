"""Is ``@cert`` a probability? Fit the confidence model and measure its calibration.

A unit's confidence is read by scholars as "check this below 0.5". The model
(``align/sentences/confidence.py``) is fitted on the development material:
the KJV/WEB Gospels and Acts (translations) and the synoptic pairs (Mark
retold by Matthew and Luke: retellings, where many links are doubtful). It is
checked on material never fitted on: four other New Testament books and the
seeds' hand alignments (an interview's translations and news retellings).

    python benchmarks/calibration.py           # reliability tables on the check set
    python benchmarks/calibration.py --fit     # refit align/data/confidence.json first

A link counts as right when the gold has exactly the link it makes (together
with align's other links inside the same gold link: a gold of verses cannot
judge a finer alignment inside a verse group; see align.evaluate). The check
reads each unit's ``@cert`` as the collation gives it (after every stage); the
fit takes each link's features as the aligner saw them
(``align.sentences.confidence.observed``).
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bible  # noqa: E402
import synoptic  # noqa: E402

SEED_GOLDS = [("000", "001"), ("001", "003"), ("000", "004")]


def _right(predicted: list, collation, gold: dict[str, Any], a: str, b: str) -> set[int]:
    """Which of the predicted links (sets of a's and b's sentences) the gold has,
    at its resolution."""
    from align.evaluate import _at_resolution, gold_links

    links = gold_links(collation, gold, a, b)
    gold_set = set(links)
    right = set()
    for ga, gb in _at_resolution(predicted, links):
        if (ga, gb) in gold_set:
            right.update(n for n, (pa, pb) in enumerate(predicted) if pa <= ga and pb <= gb)
    return right


def link_points(collation, gold: dict[str, Any], a: str, b: str) -> list[tuple[float, bool]]:
    """(@cert, right) per unit linking witnesses a and b: the confidence a reader
    of the TEI sees, after every stage."""
    units = [u for u in collation.units if u.kind == "sentence" and u.sentences.get(a) and u.sentences.get(b)]
    predicted = [(frozenset(u.sentences[a]), frozenset(u.sentences[b])) for u in units]
    right = _right(predicted, collation, gold, a, b)
    return [(u.confidence, n in right) for n, u in enumerate(units)]


def _pair(text_a: str, text_b: str) -> Any:
    import align

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return align.collate([align.witness(text_a, "a"), align.witness(text_b, "b")])


def observed_points(text_a: str, text_b: str, gold: dict[str, Any]) -> list[tuple[list[float], bool]]:
    """(features, right) per link the aligner judged on a pair, with the features
    as it saw them (for fitting)."""
    from align.sentences.confidence import observed

    with observed() as log:
        collation = _pair(text_a, text_b)
    judged = [(frozenset(s["a"]), frozenset(s["b"]), f) for s, f in log if s.get("a") and s.get("b")]
    right = _right([(x, y) for x, y, _ in judged], collation, gold, "a", "b")
    return [(f, n in right) for n, (_, _, f) in enumerate(judged)]


def development() -> dict[str, list]:
    out = {}
    for book in bible.DEVELOPMENT:
        data = bible.build(book)
        out[f"bible {book}"] = observed_points(data.a, data.b, data.gold)
    for pair in synoptic.load()["pairs"]:
        text_a, text_b, gold = synoptic.build(pair)
        out[f"synoptic {pair['name']}"] = observed_points(text_a, text_b, gold)
    return out


def check() -> dict[str, list]:
    import align
    from align.evaluate import load_gold

    out = {}
    for book in bible.CHECK:
        data = bible.build(book)
        out[f"bible {book}"] = link_points(_pair(data.a, data.b), data.gold, "a", "b")
    for a, b in SEED_GOLDS:
        (pa,), (pb,) = (ROOT / "seeds").glob(f"{a}_*.txt"), (ROOT / "seeds").glob(f"{b}_*.txt")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            collation = align.collate([pa, pb], sigla=["a", "b"])
        out[f"seeds {a}/{b}"] = link_points(collation, load_gold(ROOT / f"seeds/gold/gold_{a}_{b}.json"), "a", "b")
    return out


def fit(points: list, sources: list[str]) -> None:
    from align.sentences.confidence import FEATURES, coefficients, fit as fit_model

    coefs = fit_model([f for f, _ in points], [ok for _, ok in points])
    target = ROOT / "align/data/confidence.json"
    target.write_text(json.dumps({
        "features": list(FEATURES), "coefficients": [round(c, 5) for c in coefs],
        "fitted_on": f"benchmarks/calibration.py --fit: {len(points)} links of " + ", ".join(sources),
    }, indent=1) + "\n")
    coefficients.cache_clear()
    print(f"fitted on {len(points)} links: " + ", ".join(f"{n} {c:+.3f}" for n, c in zip(FEATURES, coefs)))


def table(title: str, points: list[tuple[float, bool]]) -> float:
    from align.sentences.confidence import reliability

    rows, ece = reliability(points)
    print(f"\n{title}: {len(points)} links, expected calibration error {ece:.3f}")
    print(f"{'confidence':>10} {'mean':>6} {'links':>6} {'right':>6}")
    for lo, mean, count, right in rows:
        print(f"{lo:4.1f}-{lo + 0.1:3.1f}   {mean:6.3f} {count:6d} {right:6.3f}")
    return ece


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fit", action="store_true", help="refit align/data/confidence.json on the development set")
    args = parser.parse_args(argv)
    if args.fit:
        bible.neutral_confidence()
        dev = development()
        fit([p for ps in dev.values() for p in ps], list(dev))
        from align.sentences.confidence import of_features

        table("development set (fitted on; the links as the aligner judged them)",
              [(of_features(f), ok) for ps in dev.values() for f, ok in ps])
        # The Bible's links outnumber the retellings' twenty to one: the fit serves
        # them first, and the retellings' own calibration shows what it leaves.
        table("development set, the synoptic retellings alone",
              [(of_features(f), ok) for name, ps in dev.items() if name.startswith("synoptic") for f, ok in ps])
    found = check()
    for name, points in found.items():
        print(f"{name:24} {len(points):5d} links, {sum(ok for _, ok in points) / max(len(points), 1):.3f} right, "
              f"mean @cert {sum(c for c, _ in points) / max(len(points), 1):.3f}")
    table("check set, all links", [p for ps in found.values() for p in ps])
    table("check set, the seeds (interview translations and retellings)",
          [p for name, ps in found.items() if name.startswith("seeds") for p in ps])
    table("check set, the seeds' retellings (001/003, 000/004)",
          [p for name, ps in found.items() if name.startswith("seeds") and "000/001" not in name for p in ps])
    return 0


if __name__ == "__main__":
    sys.exit(main())
