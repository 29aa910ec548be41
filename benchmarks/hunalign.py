"""hunalign as the anchor of the Bible benchmark (benchmarks/bible.py).

hunalign (Varga et al. 2005, https://github.com/danielvarga/hunalign) is the
classic sentence aligner: Gale-Church sentence length plus a bilingual
dictionary, a monotone ("ladder") alignment. It is run here the same way as
align: on align's own sentences (align's segmentation of each witness, its
sentences of kind "sentence", one a line), with an empty dictionary (hunalign
then counts the words the two sentences share, so KJV against WEB is an easy
case for it), no -realign, no post-filtering, and scored by align.evaluate
against the same verse-group gold. The sentences go in as align has them
(whitespace squeezed); hunalign's manual asks for tokenised input, which
``--tokenize`` gives it (punctuation split off words; on KJV/WEB that scores a
little lower). hunalign is not part of align: build it yourself::

    git clone https://github.com/danielvarga/hunalign /tmp/hunalign-src
    make -C /tmp/hunalign-src/src/hunalign
    python benchmarks/hunalign.py --binary /tmp/hunalign-src/src/hunalign/hunalign --books Mark

Time and peak memory are those of the hunalign process alone (segmenting is
align's and not counted), measured with /usr/bin/time.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

Link = tuple[list[int], list[int]]

_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+|[^\w\s]")


def tokenize(sentence: str) -> str:
    """Words and punctuation marks, separated by single spaces (hunalign's input)."""
    return " ".join(_TOKEN.findall(sentence))


def _line(sentence: str, tokenized: bool) -> str:
    line = tokenize(sentence) if tokenized else _SPACE.sub(" ", sentence).strip()
    # An empty line or a lone <p> would mean something else to hunalign.
    return line if line and line != "<p>" else "_"


def run(binary: str, sentences_a: list[str], sentences_b: list[str],
        tokenized: bool = False) -> tuple[list[Link], float, float]:
    """Align two lists of sentences with hunalign and an empty dictionary.

    Returns the links (indices into ``sentences_a``, into ``sentences_b``; the
    segments of hunalign's ladder with a sentence on each side), hunalign's wall
    time in seconds and its peak resident memory in MiB."""
    with tempfile.TemporaryDirectory(prefix="hunalign-") as tmp:
        d = Path(tmp)
        (d / "empty.dic").write_text("")
        (d / "a.txt").write_text("".join(_line(s, tokenized) + "\n" for s in sentences_a), encoding="utf-8")
        (d / "b.txt").write_text("".join(_line(s, tokenized) + "\n" for s in sentences_b), encoding="utf-8")
        command = [os.path.abspath(binary), "empty.dic", "a.txt", "b.txt"]
        # Peak memory through /usr/bin/time: a child's own rusage would report this
        # Python's size (Linux carries the forking process's high-water mark over exec).
        timer = shutil.which("time", path="/usr/bin:/bin")
        if timer:
            command = [timer, "-f", "%M", "-o", "rusage"] + command
        with open(d / "ladder", "w") as out, open(d / "log", "w") as log:
            start = time.perf_counter()
            # In the temp dir: hunalign leaves a translate.txt where it runs.
            process = subprocess.run(command, stdout=out, stderr=log, cwd=d)
            seconds = time.perf_counter() - start
        if process.returncode:
            tail = (d / "log").read_text(errors="replace").strip().splitlines()[-3:]
            raise RuntimeError(f"hunalign failed ({process.returncode}): {' / '.join(tail)}")
        peak = float((d / "rusage").read_text().split()[-1]) / 1024 if timer else float("nan")
        rungs = []
        for line in (d / "ladder").read_text().splitlines():
            if line.strip():
                i, j = line.split("\t")[:2]
                rungs.append((int(i), int(j)))
    if not rungs or rungs[0] != (0, 0) or rungs[-1] != (len(sentences_a), len(sentences_b)):
        raise RuntimeError(f"hunalign: unexpected ladder {rungs[:1]}...{rungs[-1:]}")
    links = []
    for (i0, j0), (i1, j1) in zip(rungs, rungs[1:]):
        if i1 > i0 and j1 > j0:
            links.append((list(range(i0, i1)), list(range(j0, j1))))
    return links, seconds, peak


def collation_of(segmentations: dict[str, Any], links: list[Link]):
    """A minimal align Collation whose units are the given links (align's sentence indices)."""
    from align.model import Collation, Unit

    units = tuple(Unit(n, "sentence", {"a": tuple(a), "b": tuple(b)}, 1.0) for n, (a, b) in enumerate(links))
    return Collation((segmentations["a"].witness, segmentations["b"].witness), segmentations, units)


def score_book(book: str, binary: str, module_a: Optional[str] = None, module_b: Optional[str] = None,
               tokenized: bool = False) -> dict[str, Any]:
    """hunalign on one book of bible.py, scored like align (a record like bible.run_book's)."""
    import align
    import bible
    from align.evaluate import evaluate
    from align.segment import segment

    data = bible.build(book, module_a or bible.KJV, module_b or bible.WEB)
    segs = {w: segment(align.witness(text, w)) for w, text in (("a", data.a), ("b", data.b))}
    kept = {w: [s for s in segs[w].sentences if s.kind == "sentence"] for w in ("a", "b")}
    links, seconds, peak = run(binary, [s.text for s in kept["a"]], [s.text for s in kept["b"]], tokenized)
    links = [([kept["a"][i].index for i in x], [kept["b"][j].index for j in y]) for x, y in links]
    result = evaluate(collation_of(segs, links), data.gold, "a", "b")
    return {
        "book": book,
        "verses": data.verses,
        "sentences": [len(kept["a"]), len(kept["b"])],
        "gold_links": len(data.gold["links"]),
        "strict": result.strict.__dict__,
        "lax": result.lax.__dict__,
        "pairs": result.pairs.__dict__,
        "grouped": result.grouped.__dict__,
        "transpositions": 0,
        "links": len(links),
        "seconds": round(seconds, 3),
        "peak_mib": round(peak, 1),
    }


HEADER = (f"{'book':6} {'verses':>6} {'sent a/b':>11} {'pairs F1':>8} {'strict F1':>9} {'lax F1':>7} "
          f"{'grouped':>7} {'transp':>6} {'time':>7} {'peak':>8}")


def format_row(r: dict[str, Any], label: Optional[str] = None) -> str:
    """A row of bible.py's table; a ``label`` stands in for the book and verses."""
    first = f"{label:13}" if label else f"{r['book']:6} {r['verses']:6d}"
    return (f"{first} {r['sentences'][0]:5d}/{r['sentences'][1]:<5d} "
            f"{r['pairs']['f1']:8.3f} {r['strict']['f1']:9.3f} {r['lax']['f1']:7.3f} "
            f"{r['grouped']['f1']:7.3f} {r['transpositions']:6d} {r['seconds']:6.2f}s "
            f"{r['peak_mib']:6.0f}MiB")


def main(argv: Optional[list[str]] = None) -> int:
    import bible

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="the hunalign executable")
    parser.add_argument("--books", nargs="+", default=bible.DEVELOPMENT)
    parser.add_argument("--check", action="store_true",
                        help="the check set instead: " + " ".join(bible.CHECK))
    parser.add_argument("--a", default=bible.KJV)
    parser.add_argument("--b", default=bible.WEB)
    parser.add_argument("--tokenize", action="store_true",
                        help="split punctuation off words (hunalign's documented input)")
    parser.add_argument("--json", help="write the records here")
    args = parser.parse_args(argv)
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"hunalign: {args.binary} is not an executable (see this file's docstring to build it)")
    print(HEADER)
    records = []
    for book in bible.CHECK if args.check else args.books:
        r = score_book(book, args.binary, args.a, args.b, tokenized=args.tokenize)
        records.append(r)
        print(format_row(r), flush=True)
    if args.json:
        import json

        Path(args.json).write_text(json.dumps(records, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
