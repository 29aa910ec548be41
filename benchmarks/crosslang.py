"""Cross-language alignment (issue 14): the Spanish Reina-Valera 1909 against the KJV and the WEB.

    python benchmarks/crosslang.py                      # the nine books, against KJV and WEB
    python benchmarks/crosslang.py --quick              # Mark only
    python benchmarks/crosslang.py --books Mark,Romans  # some books (OSIS names or English names)
    python benchmarks/crosslang.py --embedding          # and align with scorer="embedding" (align[embed])
    python benchmarks/crosslang.py --hunalign /path/to/hunalign --json out.json

The texts and the gold are those of benchmarks/bible.py (``bible.build``: a chapter a
paragraph, verse numbers dropped, the gold links verses grouped until both sides end a
sentence), with the Reina-Valera 1909 (Debian's ``sword-text-sparv``, SWORD module
``spaRV1909eb``) as side a and an English Bible as side b. The development books are
Matthew, Mark, Luke, John and Acts; the check books Romans, 1 Corinthians, Hebrews and
Revelation are never tuned on.

For each book and English version, each system runs in a fresh child process (its time
and peak memory are its own):

* **align**: ``align.witness(text_es, "es", lang="es")``, ``align.witness(text_en, "en",
  lang="en")``, ``align.collate([es, en], settings=align.Settings(source="es"),
  on_unrelated="warn")``; with ``--embedding`` also with ``scorer="embedding"``.
  Time: the witness and collate calls, cold (the first call in the process: lazy imports,
  a scorer's model loading). Peak: the child's VmHWM right after them (interpreter,
  numpy, nltk and align included, like benchmarks/run.py).
* **Gale-Church**: sentence length alone (PyPI's ``galechurch``, its default parameters:
  the original program's, c = 1, s² = 6.8, no tuning) on align's own sentences (its
  segmentation of each witness, sentences of kind "sentence"): over the whole book as one
  block (``book``), and chapter by chapter, the paragraphs taken as hard boundaries as
  Gale & Church did (``chapters``). Time: galechurch's calls alone; peak: the child's
  (align's import and segmentation included).
* **hunalign** (``--hunalign PATH``): as benchmarks/hunalign.py runs it (align's sentences,
  empty dictionary); time and peak of the hunalign process.

Every system is scored by ``align.evaluate.evaluate`` against the same gold: the
baselines' beads become the units of a minimal Collation (as benchmarks/hunalign.py
does), so strict, lax, pairs and grouped mean exactly what they mean for align.

The Spanish text: pysword drops the OSIS tags, but in this module words that the
translators added (``<transChange>``) often touch the next word without a space
(``unollamadoLázaro``, ``enviadapormedio deFebe``); :func:`spanish_verses` puts the
space back there (keeping enclitic pronouns on their verb: ``sabiéndo<added>lo``) and is
used for the Spanish side of ``bible.build``. Otherwise the text is clean: no Strong's
numbers, no markup, letters and ``. , ; : ? ! ¿ ¡ ( )`` only. The three modules have the
same chapters and verse numbers in these books (KJV versification; the WEB's is NRSVA,
which only adds an empty Revelation 12:18), and verse n of one is verse n of the others
but where one side has no text; the notes under each table list, per book, the verses
with text on one side only (the gold has them as links with an empty side, not scored):

* Acts 19:41 is empty in the RV: its text ends RV 19:40 (the gold then pairs the RV's
  19:40 with KJV/WEB 19:40 alone, and KJV/WEB 19:41 stands without counterpart).
* The WEB leaves out Luke 17:36, Acts 8:37, 15:34, 24:7 (the KJV and the RV have them)
  and puts the doxology of Romans 16:25-27 at the end of 14:23 (the gold pairs the RV's
  14:23 with the WEB's 14:23 and the doxology, and leaves RV 16:25-27 without counterpart).
* The RV ends Romans, 1 Corinthians and Hebrews with the subscription ("Fué escrita de
  Corinto...") inside the last verse; the English modules have none.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from statistics import mean
from typing import Any, Iterator, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bible  # noqa: E402

SPANISH = bible.RV  # "spaRV1909eb"
ENGLISH = {"KJV": bible.KJV, "WEB": bible.WEB}
DEVELOPMENT = list(bible.DEVELOPMENT)  # Matt Mark Luke John Acts
CHECK = list(bible.CHECK)  # Rom 1Cor Heb Rev: never tuned on
QUICK = ["Mark"]

# Issue 14's targets.
TARGET_PAIRS_F1 = 0.96
TARGET_PAIRS_F1_EMBEDDING = 0.98
TARGET_MARK_SECONDS = 5.0
TARGET_MARK_SECONDS_EMBEDDING = 60.0
EMBEDDING_MISSING = "n/a (pip install 'align[embed]')"

_NAMES = {
    "matthew": "Matt", "matt": "Matt", "mt": "Matt", "mark": "Mark", "mk": "Mark", "luke": "Luke", "lk": "Luke",
    "john": "John", "jn": "John", "acts": "Acts", "romans": "Rom", "rom": "Rom", "1corinthians": "1Cor",
    "1cor": "1Cor", "hebrews": "Heb", "heb": "Heb", "revelation": "Rev", "rev": "Rev",
}

# --- the Spanish text --------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")
_CHANGE = re.compile(r"<(/?)transChange\b[^>]*>")
# Pronouns written onto a verb (sabiéndolo, sacarla, estándoos).
_CLITICS = frozenset("lo la le los las les me te se nos os".split())
_VERB_LIKE = re.compile(r"(?:[áéíóú]\w*|r|d|ndo)$")
# Short imperatives that take them too (dalo, diles, hazlo).
_IMPERATIVES = frozenset("da dá di dí haz pon ten ven sal ve".split())


def _word_before(text: str) -> str:
    return re.search(r"\w*$", text).group()  # type: ignore[union-attr]


def _word_after(text: str) -> str:
    return re.match(r"\w*", text).group()  # type: ignore[union-attr]


def _added_space(raw: str, repairs: list[str]) -> str:
    """``raw`` OSIS with a space where a ``<transChange>`` tag stands between two
    letters (pysword's cleaner drops the tag and glues the words), except where the
    added word is an enclitic pronoun of the verb before it. ``repairs`` gets each
    place ("word|word")."""
    out, last = [], 0
    for m in _CHANGE.finditer(raw):
        before = _TAG.sub("", raw[max(0, m.start() - 400):m.start()])
        after = _TAG.sub("", raw[m.end():m.end() + 400])
        if not (before[-1:].isalnum() and after[:1].isalnum()):
            continue
        word, added = _word_before(before), _word_after(after)
        if not m.group(1):  # an opening tag: is the added word a pronoun written onto its verb?
            end = raw.find("</transChange>", m.end())
            added = _word_after(_TAG.sub("", raw[m.end():end if end >= 0 else None]))
            verb = word.lower()
            if added.lower() in _CLITICS and (verb in _IMPERATIVES or (len(verb) > 2 and _VERB_LIKE.search(verb))):
                continue
        repairs.append(f"{word}|{added}")
        out.append(raw[last:m.start()] + " ")
        last = m.start()
    out.append(raw[last:])
    return "".join(out)


@lru_cache(maxsize=None)
def _spanish(book: str, module: str) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    from pysword.cleaner import OSISCleaner

    modules, found = bible._modules()
    if module not in found:
        sys.exit(f"crosslang: no SWORD module {module} in {bible.SWORD} (apt-get install sword-text-sparv)")
    text = modules.get_bible_from_module(module)
    cleaner = OSISCleaner()
    _, structure = text.get_structure().find_book(book)
    repairs: list[str] = []
    out = []
    for chapter, count in enumerate(structure.chapter_lengths, start=1):
        raws = text.get(books=[book], chapters=[chapter], verses=list(range(1, count + 1)), clean=False, join="\x00")
        verses = []
        for raw in raws.split("\x00"):
            raw = _added_space(raw, repairs)
            verses.append(_SPACE.sub(" ", cleaner.clean(raw) if "<" in raw else raw).strip())
        out.append(tuple(verses))
    return tuple(out), tuple(repairs)


def spanish_verses(book: str, module: str = SPANISH) -> list[list[str]]:
    """Like ``bible.verses``, with the spaces around added words put back (see above)."""
    return [list(chapter) for chapter in _spanish(book, module)[0]]


def spanish_repairs(book: str, module: str = SPANISH) -> list[str]:
    """Where :func:`spanish_verses` put a space back ("word|word")."""
    return list(_spanish(book, module)[1])


@contextmanager
def _spanish_repaired() -> Iterator[None]:
    """``bible.build`` reading the Spanish module through :func:`spanish_verses`."""
    original = bible.verses

    def verses(module: str, book: str) -> list[list[str]]:
        return spanish_verses(book, module) if module == SPANISH else original(module, book)

    bible.verses = verses
    try:
        yield
    finally:
        bible.verses = original


def one_sided(book: str, english: str) -> dict[str, list[str]]:
    """Verses with text in one module only ("chapter:verse"), and chapters whose verse counts differ."""
    es, en = spanish_verses(book), bible.verses(english, book)
    out: dict[str, list[str]] = {"es": [], "en": [], "chapters": []}
    if len(es) != len(en):
        out["chapters"].append(f"{len(es)} chapters in es, {len(en)} in en")
    for c, (ves, ven) in enumerate(zip(es, en), start=1):
        if len(ves) != len(ven):
            out["chapters"].append(f"chapter {c}: {len(ves)} verses in es, {len(ven)} in en")
        for v in range(max(len(ves), len(ven))):
            x, y = (ves[v] if v < len(ves) else ""), (ven[v] if v < len(ven) else "")
            if bool(x) != bool(y):
                out["es" if x else "en"].append(f"{c}:{v + 1}")
    return out


def build(book: str, english: str) -> dict[str, Any]:
    """The book's witness texts (es, en) and gold (side a Spanish, side b English)."""
    with _spanish_repaired():
        data = bible.build(book, module_a=SPANISH, module_b=english)
    repairs = spanish_repairs(book)
    links = data.gold["links"]
    return {
        "book": book, "english": english, "es": data.a, "en": data.b, "gold": data.gold, "verses": data.verses,
        "gold_links": sum(1 for link in links if link["a"] and link["b"]),
        "one_sided_links": sum(1 for link in links if not (link["a"] and link["b"])),
        "spanish_repairs": len(repairs),
        "versification": one_sided(book, english),
    }


# --- the child side: one system on one book ----------------------------------------------


def _peak_mib() -> float:
    """This process's peak RSS (VmHWM: ru_maxrss carries a parent's size over fork and exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/align/" in f.filename] or \
        traceback.extract_tb(exc.__traceback__)[-1:]
    where = f" ({os.path.relpath(frames[-1].filename, ROOT)}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}{': ' + text[:200] if text else ''}{where}"


def _scores(collation, gold: dict[str, Any]) -> dict[str, Any]:
    from align.evaluate import evaluate

    e = evaluate(collation, gold, "es", "en")
    return {"strict": e.strict.__dict__, "lax": e.lax.__dict__, "pairs": e.pairs.__dict__,
            "grouped": e.grouped.__dict__, "missed": len(e.missed), "spurious": e.spurious}


def collation_of(segmentations: dict[str, Any], links: list[tuple[list[int], list[int]]]):
    """A minimal Collation of witnesses es and en whose units are the given links
    (align's sentence indices): how the baselines are scored by align's evaluator."""
    from align.model import Collation, Unit

    units = tuple(Unit(n, "sentence", {"es": tuple(a), "en": tuple(b)}, 1.0) for n, (a, b) in enumerate(links))
    return Collation((segmentations["es"].witness, segmentations["en"].witness), segmentations, units)


def run_align(data: dict[str, Any], scorer: str = "") -> dict[str, Any]:
    """align on one book, exactly as a user calls it, scored against the gold."""
    import align

    extra = {"scorer": scorer} if scorer else {}
    if scorer:
        try:
            align.scorers.get_scorer(scorer)
        except Exception as exc:  # noqa: BLE001 - any failure means the extra is not there
            return {"unavailable": EMBEDDING_MISSING, "why": _one_line(exc)}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = time.perf_counter()
        es = align.witness(data["es"], "es", lang="es")
        en = align.witness(data["en"], "en", lang="en")
        collation = align.collate([es, en], settings=align.Settings(source="es", **extra), on_unrelated="warn")
        seconds = time.perf_counter() - start
    peak = _peak_mib()
    segs = collation.segmentations
    return {
        "sentences": [sum(s.kind == "sentence" for s in segs[w].sentences) for w in ("es", "en")],
        "links": len(collation.pair_links("es", "en")),
        "transpositions": len(collation.moved),
        "seconds": round(seconds, 3),
        "peak_mib": peak,
        "warnings": sorted({" ".join(str(w.message).split())[:160] for w in caught}),
        "signature": collation.settings.signature(),
        **_scores(collation, data["gold"]),
    }


def _sentences(data: dict[str, Any]):
    """align's segmentation of each witness, and its sentences (not labels)."""
    import align

    segs = {w: align.segment(align.witness(data[w], w, lang=w)) for w in ("es", "en")}
    return segs, {w: [s for s in segs[w].sentences if s.kind == "sentence"] for w in ("es", "en")}


def run_galechurch(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Gale-Church on align's sentences: the whole book as one block, then chapter by chapter."""
    import galechurch

    segs, kept = _sentences(data)
    out = []
    for mode in ("book", "chapters"):
        if mode == "book":
            blocks = [(kept["es"], kept["en"])]
        else:
            chapters: dict[str, dict[int, list]] = {w: {} for w in ("es", "en")}
            for w in ("es", "en"):
                for s in kept[w]:
                    chapters[w].setdefault(s.paragraph, []).append(s)
            if len(chapters["es"]) != len(chapters["en"]):
                out.append({"system": f"Gale-Church ({mode})",
                            "error": f"{len(chapters['es'])} paragraphs in es, {len(chapters['en'])} in en"})
                continue
            blocks = list(zip(chapters["es"].values(), chapters["en"].values()))
        links: list[tuple[list[int], list[int]]] = []
        seconds = 0.0
        for xs, ys in blocks:
            start = time.perf_counter()
            result = galechurch.align([s.text for s in xs], [s.text for s in ys])
            seconds += time.perf_counter() - start
            for bead in result.beads:  # a bead with a side empty (1-0, 0-1) links nothing
                x, y = xs[bead.source_start:bead.source_end], ys[bead.target_start:bead.target_end]
                if x and y:
                    links.append(([s.index for s in x], [s.index for s in y]))
        out.append({
            "system": f"Gale-Church ({mode})",
            "sentences": [len(kept["es"]), len(kept["en"])],
            "links": len(links), "transpositions": 0, "seconds": round(seconds, 3), "peak_mib": _peak_mib(),
            **_scores(collation_of(segs, links), data["gold"]),
        })
    return out


def run_hunalign(data: dict[str, Any], binary: str) -> dict[str, Any]:
    """hunalign as benchmarks/hunalign.py runs it (align's sentences, an empty dictionary)."""
    import hunalign

    segs, kept = _sentences(data)
    links, seconds, peak = hunalign.run(binary, [s.text for s in kept["es"]], [s.text for s in kept["en"]])
    links = [([kept["es"][i].index for i in x], [kept["en"][j].index for j in y]) for x, y in links]
    return {"sentences": [len(kept["es"]), len(kept["en"])], "links": len(links), "transpositions": 0,
            "seconds": round(seconds, 3), "peak_mib": round(peak, 1),
            **_scores(collation_of(segs, links), data["gold"])}


def child(path: str, system: str, hunalign_binary: str = "") -> int:
    """Run one system on the book stored at ``path``; one JSON line (a list of records) on stdout."""
    data = json.loads(Path(path).read_text("utf-8"))
    try:
        if system == "align":
            records = [{"system": "align", **run_align(data)}]
        elif system == "embedding":
            records = [{"system": "align + embedding", **run_align(data, "embedding")}]
        elif system == "galechurch":
            records = run_galechurch(data)
        elif system == "hunalign":
            records = [{"system": "hunalign", **run_hunalign(data, hunalign_binary)}]
        else:
            raise ValueError(f"unknown system {system!r}")
    except Exception as exc:  # noqa: BLE001 - the table shows the error, the run goes on
        records = [{"system": SYSTEM_LABELS[system], "error": _one_line(exc), "traceback": traceback.format_exc()}]
    print(json.dumps(records))
    return 0


SYSTEM_LABELS = {"align": "align", "embedding": "align + embedding", "galechurch": "Gale-Church",
                 "hunalign": "hunalign"}


def probe_embedding() -> str:
    """"" if align's embedding scorer loads here, else why not (in a child: it may import torch)."""
    code = ("import align\ntry:\n    align.scorers.get_scorer('embedding')\nexcept Exception as e:\n"
            "    print(type(e).__name__ + ': ' + ' '.join(str(e).split())[:200])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        return (out.stderr.strip().splitlines() or [f"exit {out.returncode}"])[-1]
    return out.stdout.strip()


# --- the parent side: run the children, print the tables ---------------------------------


def run_child(path: str, system: str, timeout: float, hunalign_binary: str = "") -> list[dict[str, Any]]:
    command = [sys.executable, __file__, "--child", path, "--system", system]
    if hunalign_binary:
        command += ["--hunalign", hunalign_binary]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, cwd=ROOT)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the child's own group (it may have started hunalign)
        process.communicate()
        return [{"system": SYSTEM_LABELS[system], "error": f"timeout (> {timeout:g} s)"}]
    wall = round(time.perf_counter() - started, 3)
    lines = [line for line in stdout.splitlines() if line.startswith("[")]
    if process.returncode or not lines:
        tail = stderr.strip().splitlines()
        return [{"system": SYSTEM_LABELS[system],
                 "error": tail[-1][:240] if tail else f"child exited with {process.returncode}"}]
    records = json.loads(lines[-1])
    for r in records:
        r["process_seconds"] = wall
    return records


def resolve_books(names: list[str]) -> list[str]:
    books = []
    for name in names:
        for part in name.split(","):
            if part.strip():
                books.append(_NAMES.get(part.strip().lower().replace(" ", ""), part.strip()))
    return books


def _f1(r: dict[str, Any], name: str) -> str:
    return f"{r[name]['f1']:.3f}"


def row(book: str, split: str, r: dict[str, Any]) -> str:
    name = r["system"]
    if "unavailable" in r:
        return f"| {book} | {split} | {name} | {r['unavailable']} |  |  |  |  |  |  |  |  | {_cell(r.get('why', ''))} |"
    if "error" in r:
        return f"| {book} | {split} | {name} | failed |  |  |  |  |  |  |  |  | {_cell(r['error'])} |"
    notes = []
    if r.get("spurious"):
        notes.append(f"{r['spurious']} link{'s' if r['spurious'] > 1 else ''} to one-sided verses")
    notes += [f"warning: {w}" for w in r.get("warnings", [])]
    return (f"| {book} | {split} | {name} | {r['sentences'][0]:,} / {r['sentences'][1]:,} | {r['gold_links']:,} | "
            f"{_f1(r, 'pairs')} | {_f1(r, 'strict')} | {_f1(r, 'lax')} | {_f1(r, 'grouped')} | {r['transpositions']} | "
            f"{_seconds(r['seconds'])} | {r['peak_mib']:.0f} MiB | {_cell('; '.join(notes))} |")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _seconds(s: float) -> str:
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def mean_rows(records: list[dict[str, Any]], systems: list[str]) -> list[str]:
    out = []
    for split in ("dev", "check"):
        for system in systems:
            done = [r for r in records if r["split"] == split and r["system"] == system and "pairs" in r]
            asked = [r for r in records if r["split"] == split and r["system"] == system]
            if not asked or not done:
                continue
            books = f"mean of {len(done)}" + (f" ({len(asked) - len(done)} failed)" if len(done) < len(asked) else "")
            f1 = {k: mean(r[k]["f1"] for r in done) for k in ("pairs", "strict", "lax", "grouped")}
            out.append(
                f"| **mean** | {split} | {system} | {books} | {sum(r['gold_links'] for r in done):,} | "
                f"**{f1['pairs']:.3f}** | {f1['strict']:.3f} | {f1['lax']:.3f} | {f1['grouped']:.3f} | "
                f"{sum(r['transpositions'] for r in done)} | {_seconds(sum(r['seconds'] for r in done))} total | "
                f"{max(r['peak_mib'] for r in done):.0f} MiB max |  |")
    return out


def split_mean(records: list[dict[str, Any]], system: str, split: str) -> Optional[float]:
    done = [r["pairs"]["f1"] for r in records if r["split"] == split and r["system"] == system and "pairs" in r]
    return mean(done) if done else None


def targets(records: list[dict[str, Any]], embedding: Optional[str]) -> list[str]:
    """Issue 14's targets against this table's align rows."""
    def verdict(value: Optional[float], goal: float, higher: bool = True) -> str:
        if value is None:
            return "not run"
        ok = value >= goal if higher else value <= goal
        return "met" if ok else "**not met**"

    def f1s(system: str) -> str:
        parts = []
        for split in ("dev", "check"):
            m = split_mean(records, system, split)
            if m is not None:
                goal = TARGET_PAIRS_F1_EMBEDDING if "embedding" in system else TARGET_PAIRS_F1
                parts.append(f"{split} mean {m:.3f} ({verdict(m, goal)})")
        return ", ".join(parts) or "not run"

    def mark(system: str) -> Optional[float]:
        found = [r["seconds"] for r in records if r["book"] == "Mark" and r["system"] == system and "seconds" in r]
        return found[0] if found else None

    lines = ["Targets (issue 14):", "",
             f"* pairs F1 ≥ {TARGET_PAIRS_F1:.2f} with the default install: align {f1s('align')}"]
    if embedding is None:
        lines.append(f"* pairs F1 ≥ {TARGET_PAIRS_F1_EMBEDDING:.2f} with the embedding extra: not run (--embedding)")
    elif embedding:
        lines.append(f"* pairs F1 ≥ {TARGET_PAIRS_F1_EMBEDDING:.2f} with the embedding extra: {EMBEDDING_MISSING}")
    else:
        lines.append(f"* pairs F1 ≥ {TARGET_PAIRS_F1_EMBEDDING:.2f} with the embedding extra: align + embedding "
                     f"{f1s('align + embedding')}")
    m = mark("align")
    if m is not None or any(r["book"] == "Mark" for r in records):
        lines.append(f"* Mark ≤ {TARGET_MARK_SECONDS:g} s without the extra: "
                     + (f"{_seconds(m)} ({verdict(m, TARGET_MARK_SECONDS, higher=False)})"
                        if m is not None else "failed"))
        if embedding is None:
            lines.append(f"* Mark ≤ {TARGET_MARK_SECONDS_EMBEDDING:g} s with the extra: not run (--embedding)")
        elif embedding:
            lines.append(f"* Mark ≤ {TARGET_MARK_SECONDS_EMBEDDING:g} s with the extra: {EMBEDDING_MISSING}")
        else:
            e = mark("align + embedding")
            lines.append(f"* Mark ≤ {TARGET_MARK_SECONDS_EMBEDDING:g} s with the extra: "
                         + (f"{_seconds(e)} ({verdict(e, TARGET_MARK_SECONDS_EMBEDDING, higher=False)})"
                            if e is not None else "failed"))
    else:
        lines.append("* Mark ≤ 5 s / ≤ 60 s: Mark not run")
    return lines


HEADER = ("| book | set | system | sentences es / en | gold links | pairs F1 | strict F1 | lax F1 | grouped F1 "
          "| transp. | time | peak RSS | notes |\n|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|")


def _header_lines(args: argparse.Namespace) -> list[str]:
    import align

    where = Path(align.__file__).resolve().parent.parent
    commit = ""
    try:  # the commit of the align measured, if it is a checkout (not of this file's tree)
        top = subprocess.run(["git", "-C", str(where), "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True).stdout.strip()
        if top and Path(top).resolve() == where:
            commit = subprocess.run(["git", "-C", str(where), "describe", "--always", "--dirty"], capture_output=True,
                                    text=True).stdout.strip()
    except OSError:
        pass
    try:
        from importlib.metadata import version

        gc = version("galechurch")
    except Exception:  # noqa: BLE001
        gc = "missing (pip install galechurch)"
    return [
        f"- align {align.__version__} from {where}" + (f" (git {commit})" if commit else " (not a git checkout)"),
        f"- settings {align.Settings(source='es', version=align.__version__).signature()}",
        f"- Python {platform.python_version()}; galechurch {gc}; {os.cpu_count()} CPUs; "
        f"load average {os.getloadavg()[0]:.2f} at the start; {time.strftime('%Y-%m-%d')}",
        f"- Spanish: {SPANISH} (sword-text-sparv); each system on each book in a fresh process, "
        f"timeout {args.timeout:g} s",
    ]


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--books", nargs="+", help="books, comma- or space-separated (default: "
                        + ",".join(DEVELOPMENT + CHECK) + ")")
    parser.add_argument("--quick", action="store_true", help="Mark only")
    parser.add_argument("--english", default="KJV,WEB", help="English versions: KJV, WEB or both (default)")
    parser.add_argument("--embedding", action="store_true", help="and align with scorer='embedding' (align[embed])")
    parser.add_argument("--hunalign", metavar="PATH", help="and hunalign's rows (benchmarks/hunalign.py)")
    parser.add_argument("--no-baselines", action="store_true", help="align's rows only")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per system and book (default 600)")
    parser.add_argument("--json", metavar="PATH", help="write the records here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--system", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.system, args.hunalign or "")
    if args.hunalign and not os.access(args.hunalign, os.X_OK):
        sys.exit(f"crosslang: {args.hunalign} is not an executable (see benchmarks/hunalign.py to build it)")
    books = QUICK if args.quick else resolve_books(args.books) if args.books else DEVELOPMENT + CHECK
    versions = [v.strip().upper() for v in args.english.split(",") if v.strip()]
    for v in versions:
        if v not in ENGLISH:
            sys.exit(f"crosslang: unknown English version {v!r} (KJV, WEB)")
    systems = ["align"]
    embedding: Optional[str] = None  # not asked; "" available; else why not
    if args.embedding:
        embedding = probe_embedding()
        if embedding:
            print(f"crosslang: the embedding scorer is not available ({embedding})", file=sys.stderr)
        else:
            systems.append("embedding")
    if not args.no_baselines:
        systems.append("galechurch")
    if args.hunalign:
        systems.append("hunalign")

    print("# Cross-language alignment: Reina-Valera 1909 (es) against English (issue 14)\n")
    print("\n".join(_header_lines(args)))
    all_records = []
    with tempfile.TemporaryDirectory(prefix="crosslang-") as tmp:
        for version in versions:
            print(f"\n## RV 1909 (es) against the {version} (en)\n", flush=True)
            records: list[dict[str, Any]] = []
            notes: list[str] = []
            lines = [HEADER]
            for book in books:
                split = "dev" if book in DEVELOPMENT else "check" if book in CHECK else "other"
                print(f"crosslang: {book} against the {version}", file=sys.stderr, flush=True)
                try:
                    data = build(book, ENGLISH[version])
                except BaseException as exc:  # noqa: BLE001 - a SystemExit from bible too: one row
                    if isinstance(exc, KeyboardInterrupt):
                        raise
                    message = str(exc) if isinstance(exc, SystemExit) else _one_line(exc)
                    lines.append(f"| {book} | {split} | (texts) | failed |  |  |  |  |  |  |  |  | {_cell(message)} |")
                    continue
                path = Path(tmp) / f"{book}-{version}.json"
                path.write_text(json.dumps(data), "utf-8")
                v = data["versification"]
                note = [f"{len(v[side])} verse(s) with text in {side} only: {' '.join(v[side])}"
                        for side in ("es", "en") if v[side]]
                note += v["chapters"]
                notes.append(f"* {book}: {data['verses']:,} verses, {data['gold_links']:,} gold links, "
                             f"{data['one_sided_links']} with an empty side (not scored); "
                             f"{data['spanish_repairs']} spaces put back in the Spanish"
                             + ("; " + "; ".join(note) if note else ""))
                if embedding and args.embedding:
                    records.append({"book": book, "split": split, "english": version, "system": "align + embedding",
                                    "unavailable": EMBEDDING_MISSING, "why": embedding})
                for system in systems:
                    for r in run_child(str(path), system, args.timeout, args.hunalign or ""):
                        r.update(book=book, split=split, english=version, gold_links=data["gold_links"],
                                 verses=data["verses"])
                        records.append(r)
                        print(f"crosslang:   {r['system']}: "
                              + (r.get("error") or r.get("unavailable") or f"pairs F1 {r['pairs']['f1']:.3f}"),
                              file=sys.stderr, flush=True)
                order = ["align", "align + embedding", "Gale-Church (book)", "Gale-Church (chapters)", "Gale-Church",
                         "hunalign"]
                mine = sorted((r for r in records if r["book"] == book),
                              key=lambda r: order.index(r["system"]) if r["system"] in order else len(order))
                lines += [row(book, split, r) for r in mine]
            present = []
            for r in records:
                if r["system"] not in present:
                    present.append(r["system"])
            lines += mean_rows(records, present)
            print("\n".join(lines))
            print()
            print("\n".join(targets(records, embedding)))
            print("\nThe books' gold and versification:\n")
            print("\n".join(notes))
            all_records += records
    print("\nColumns: sentences = align's segmentation (kind \"sentence\"); gold links = verse groups with "
          "text on both sides (the scored ones); pairs/strict/lax/grouped F1 = align.evaluate.evaluate "
          "(see align/evaluate.py); transp. = transpositions align claimed; time = align's witness()+collate() "
          "cold, the baselines' own alignment calls; peak RSS = the child's VmHWM (for hunalign: its process).")
    if args.json:
        Path(args.json).write_text(json.dumps(all_records, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
