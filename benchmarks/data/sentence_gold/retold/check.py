"""Check the sentence golds of the retellings (benchmarks/data/retold_in_speech.json).

    python benchmarks/data/sentence_gold/retold/check.py

For each ``<pair name>.json`` here: rebuild the pair's two texts with
benchmarks/synoptic.py, segment them with align (no aligner is run), and assert
that every text of a link is an exact sentence of the segmentation, that every
sentence is in exactly one link (the scorer reading each text at its own place),
that no link is empty on both sides, and that a link with both sides has a kind.
Then print, per pair, the sentences of a and b, the links by shape, the unlinked
sentences of each side and the links out of a's order.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import align  # noqa: E402
import synoptic  # noqa: E402
from align.evaluate import _disambiguate, check_gold  # noqa: E402

KINDS = {"quote", "paraphrase", "summary"}


def sentences(text: str, sigil: str):
    return [s for s in align.segment(align.witness(text, sigil)).sentences if s.kind == "sentence"]


def check(path: Path, pair: dict) -> dict:
    gold = json.loads(path.read_text(encoding="utf-8"))
    check_gold(gold)
    text_a, text_b, _ = synoptic.build(pair)
    index: dict[str, list[int]] = {}
    for side, text in (("a", text_a), ("b", text_b)):
        sents = sentences(text, side)
        by_text: dict[str, list[int]] = {}
        for s in sents:
            by_text.setdefault(s.text, []).append(s.index)
        by_start = {s.start: s for s in sents}
        seen: Counter = Counter()
        places = _disambiguate(text, gold["links"], side)
        found = []
        for k, (link, spans) in enumerate(zip(gold["links"], places)):
            ids = []
            for t, (start, end) in zip(link[side], spans):
                assert t in by_text, f"{path.name}: link {k}, side {side}: not a sentence of the segmentation: {t!r}"
                s = by_start.get(start)
                assert s is not None and s.end == end and s.text == t, \
                    f"{path.name}: link {k}, side {side}: the scorer would read {t[:50]!r} elsewhere"
                seen[s.index] += 1
                ids.append(s.index)
            found.append(ids)
        twice = [sents[i].text for i, n in seen.items() if n > 1]
        missing = [s.text for s in sents if s.index not in seen]
        assert not twice, f"{path.name}: side {side}: in more than one link: {twice}"
        assert not missing, f"{path.name}: side {side}: in no link: {missing}"
        index[side] = found
        index["n_" + side] = len(sents)
    shapes: Counter = Counter()
    both = []
    for k, link in enumerate(gold["links"]):
        na, nb = len(link["a"]), len(link["b"])
        assert na or nb, f"{path.name}: link {k} is empty on both sides"
        if na and nb:
            assert link.get("kind") in KINDS, f"{path.name}: link {k}: kind {link.get('kind')!r}"
            shapes["1-1" if na == nb == 1 else "n-1" if nb == 1 else "1-n" if na == 1 else "n-m"] += 1
            both.append((min(index["a"][k]), min(index["b"][k])))
        else:
            shapes["unlinked a" if na else "unlinked b"] += 1
    return {"a": index["n_a"], "b": index["n_b"], "links": len(both), **shapes, "out of order": synoptic.outside_chain(both)}


def main() -> None:
    pairs = {p["name"]: p for p in synoptic.load(synoptic.RETOLD)["pairs"]}
    files = sorted(HERE.glob("*.json"))
    assert files, f"no gold in {HERE}"
    cols = ["a", "b", "links", "1-1", "n-1", "1-n", "n-m", "unlinked a", "unlinked b", "out of order"]
    print(f"{'pair':28}" + "".join(f"{c:>13}" for c in cols))
    for path in files:
        assert path.stem in pairs, f"{path.name}: no pair of that name in {synoptic.RETOLD.name}"
        row = check(path, pairs[path.stem])
        print(f"{path.stem:28}" + "".join(f"{row.get(c, 0):>13}" for c in cols))
    missing = set(pairs) - {p.stem for p in files}
    assert not missing, f"pairs without a sentence gold: {sorted(missing)}"
    print("ok")


if __name__ == "__main__":
    main()
