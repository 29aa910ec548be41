"""Collate the bundled seeds with the library and look inside the result.

    python examples/collate_seeds.py [OUT.xml]
"""

from __future__ import annotations

import sys
from pathlib import Path

import align

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def main() -> None:
    out = sys.argv[1] if len(sys.argv) > 1 else "sputnik_ria.xml"
    collation = align.collate(
        [SEEDS / "000_a4ada30fd18f0cb7.txt", SEEDS / "001_0e46ad283a0c1166.txt"],
        sigla=["sputnik", "ria"],
    )
    print(collation.settings.signature())
    linked = [u for u in collation.units if len(u.witnesses_present()) == 2 and u.kind == "sentence"]
    print(f"{len(collation.units)} units, {len(linked)} link sentences of both witnesses")

    # The least certain links are the ones a scholar should check first.
    for unit in sorted(linked, key=lambda u: u.confidence)[:3]:
        print(f"\nunit {unit.n} ({unit.shape}, confidence {unit.confidence:.2f})")
        for sigil in collation.sigla:
            print(f"  {sigil:8} " + " ".join(collation.sentences(sigil)[i].text for i in unit.sentences[sigil]))

    # Every difference, with its type: here, the transliteration variants.
    for unit in collation.units:
        for piece in unit.pieces:
            if isinstance(piece, align.App) and piece.type == "orthographic":
                print(f"orthographic in unit {unit.n}: " + " | ".join(f"{r.text} ({' '.join(r.wits)})" for r in piece.readings))

    align.write(collation, out)
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
