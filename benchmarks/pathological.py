"""Pathological input for the collation stages: one Markdown table of times and memory.

    python benchmarks/pathological.py                  # every case (~3 min on 2 cores)
    python benchmarks/pathological.py --quick          # small sizes only (~20 s)
    python benchmarks/pathological.py --case many --timeout 120

Cases (issue 13, "Size and time"), each built from the seeds with a fixed random seed:

* ``sentence``: one sentence of N words in two witnesses, every third word changed;
* ``line``: one line of N bytes with no sentence punctuation in both witnesses,
  every fifth word changed (one giant "sentence" each);
* ``token``: one token of N bytes in both witnesses, one character changed;
* ``many``: N witnesses, each seed 000's sentences shuffled.

Every case runs in a fresh Python process (its peak memory is its own, read as
VmHWM right after the measured calls); one that runs past ``--timeout`` is
killed and reported as such. Times are wall-clock seconds of ``align.collate``
and of ``to_tei()``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds/000_a4ada30fd18f0cb7.txt"

SIZES = {
    "sentence": (5_000, 20_000, 50_000),
    "line": (200_000, 1_000_000, 2_000_000),
    "token": (100_000, 1_000_000),
    "many": (50, 100, 300),
}
QUICK = {"sentence": (5_000,), "line": (200_000,), "token": (100_000,), "many": (20,)}


def _words() -> list[str]:
    return [w.lower() for w in SEED.read_text(encoding="utf-8").split() if w.isalpha()]


def witnesses(case: str, size: int) -> list:
    import align

    if case == "sentence":
        rng = random.Random(1)
        pool = _words()
        a = [rng.choice(pool) for _ in range(size)]
        b = [w if k % 3 else w + "zq" for k, w in enumerate(a)]
        return [align.witness(" ".join(a) + ".", "A"), align.witness(" ".join(b) + ".", "B")]
    if case == "line":
        rng = random.Random(2)
        pool = _words()
        a: list[str] = []
        length = 0
        while length < size:
            a.append(rng.choice(pool))
            length += len(a[-1]) + 1
        b = [w if k % 5 else rng.choice(pool) for k, w in enumerate(a)]
        return [align.witness(" ".join(a), "A"), align.witness(" ".join(b), "B")]
    if case == "token":
        rng = random.Random(3)
        token = "".join(rng.choice("abcdefghij") for _ in range(size))
        other = token[: size // 2] + "X" + token[size // 2 + 1 :]
        return [align.witness(f"He said {token} and left.", "A"), align.witness(f"He said {other} and went.", "B")]
    if case == "many":
        sentences = [s.text for s in align.segment(align.load(str(SEED))[0]).sentences]
        out = []
        for i in range(size):
            shuffled = list(sentences)
            random.Random(i).shuffle(shuffled)
            out.append(align.witness("\n".join(shuffled), f"w{i}"))
        return out
    raise ValueError(case)


def _peak_mb() -> float:
    with open(f"/proc/{os.getpid()}/status") as status:
        for line in status:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(case: str, size: int) -> None:
    import warnings

    import align

    warnings.simplefilter("ignore")
    ws = witnesses(case, size)
    start = time.perf_counter()
    collation = align.collate(ws)
    collated = time.perf_counter()
    align.to_tei(collation)
    written = time.perf_counter()
    print(json.dumps({"collate": collated - start, "tei": written - collated, "peak_mb": _peak_mb(),
                      "units": len(collation.units)}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", choices=sorted(SIZES), action="append", help="only these cases")
    parser.add_argument("--quick", action="store_true", help="the smallest sizes only")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per case (default 120)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    sizes = QUICK if args.quick else SIZES
    print("| case | size | collate s | TEI s | peak MB | units |")
    print("|---|---:|---:|---:|---:|---:|")
    for case in args.case or list(SIZES):
        for size in sizes[case]:
            print(f"{case} {size} ...", file=sys.stderr, flush=True)
            try:
                done = subprocess.run([sys.executable, __file__, "--child", case, str(size)], capture_output=True,
                                      text=True, timeout=args.timeout, cwd=ROOT)
            except subprocess.TimeoutExpired:
                print(f"| {case} | {size:,} | > {args.timeout:g} (killed) | | | |", flush=True)
                continue
            if done.returncode:
                last = (done.stderr.strip().splitlines() or ["?"])[-1]
                print(f"| {case} | {size:,} | failed: {last} | | | |", flush=True)
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"| {case} | {size:,} | {r['collate']:.2f} | {r['tei']:.2f} | {r['peak_mb']:.0f} | {r['units']:,} |",
                  flush=True)


if __name__ == "__main__":
    main()
