"""Compare sentence scorers and thresholds on the seed pair against the hand alignment.

    python benchmarks/scorers.py

Prints one row per setting: strict and lax link F1 and sentence-pair
precision/recall (see align.evaluate). The README's scorer table comes from here.
"""

from __future__ import annotations

from pathlib import Path

import align
from align.evaluate import evaluate, load_gold
from align.model import Settings
from align.scorers import SCORERS

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [ROOT / "seeds/000_a4ada30fd18f0cb7.txt", ROOT / "seeds/001_0e46ad283a0c1166.txt"]


def main() -> None:
    gold = load_gold(ROOT / "seeds/gold/gold_000_001.json")
    print("| scorer | threshold | strict F1 | lax F1 | pair precision | pair recall | links to unpaired sentences |")
    print("|---|---|---|---|---|---|---|")
    for name in SCORERS:
        for threshold in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55):
            c = align.collate(SEEDS, sigla=["a", "b"], settings=Settings(scorer=name, threshold=threshold))
            e = evaluate(c, gold, "a", "b")
            print(f"| {name} | {threshold} | {e.strict.f1:.3f} | {e.lax.f1:.3f} | {e.pairs.precision:.3f} | {e.pairs.recall:.3f} | {e.spurious} |")


if __name__ == "__main__":
    main()
