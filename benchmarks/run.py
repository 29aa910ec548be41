"""Speed and scale of align: one command, one Markdown table.

    python benchmarks/run.py                      # everything (~5 min on 2 cores)
    python benchmarks/run.py --quick              # seeds, 1k sentences, one CollateX size (~30 s)
    python benchmarks/run.py --sizes 1000,10000 --no-collatex --timeout 300

Cases: the seed pair (library call and whole CLI process), generated pairs with
a known alignment (benchmarks/generate.py) at several sizes, segmentation
throughput, and CollateX as an anchor on inputs small enough for it.

Every case runs in a fresh Python process, so that its peak memory is its own
(an in-process case reports its peak RSS right after the measured call; for the
CLI process the parent reads it from ``wait4``). A case that runs past
``--timeout`` is killed and reported as a timeout; each child also gets an
address-space limit (``--memory-limit``) so that a quadratic allocation fails
with MemoryError instead of pushing the machine into the OOM killer.

The table goes to stdout, progress to stderr; ``--json FILE`` keeps the raw
measurements.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEEDS = (ROOT / "seeds/000_a4ada30fd18f0cb7.txt", ROOT / "seeds/001_0e46ad283a0c1166.txt")
SEED_GOLD = ROOT / "seeds/gold/gold_000_001.json"

sys.path.insert(0, str(HERE))  # generate.py sits beside this file

# --- the child side: one case per process ---------------------------------------------


def _emit(**record: Any) -> None:
    """One JSON line on stdout; the parent reads them even if the child is killed later."""
    print(json.dumps(record), flush=True)


def _peak_rss_kb() -> int:
    """This process's peak RSS in KiB.

    VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork and exec, so a
    child of a big parent would report the parent's size."""
    return _vm_hwm_kb(os.getpid()) or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _where(exc: BaseException) -> str:
    """The exception and the chain of align's functions that led to it (innermost last)."""
    frames = traceback.extract_tb(exc.__traceback__)
    package = sys.modules.get("align")
    folder = str(Path(package.__file__).parent) if package and package.__file__ else None
    chain = [f for f in frames if folder and f.filename.startswith(folder)] or frames[-1:]
    inner = chain[-1]
    place = f"{os.path.relpath(inner.filename, folder) if folder else inner.filename}:{inner.lineno}"
    message = f" ({exc})" if str(exc) else ""
    return f"{type(exc).__name__}{message} in {' → '.join(f.name for f in chain)} ({place})"


def work_align(paths: list[str], runs: int, gold: Optional[str]) -> None:
    import align
    from align.evaluate import evaluate, load_gold

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        collation = align.collate(paths, sigla=["a", "b"])
        times.append(time.perf_counter() - start)
    _emit(phase="collated", times=times, peak_rss_kb=_peak_rss_kb())
    if gold:
        start = time.perf_counter()
        score = evaluate(collation, load_gold(gold), "a", "b")
        _emit(phase="evaluated", strict_f1=score.strict.f1, lax_f1=score.lax.f1, spurious=score.spurious,
              eval_seconds=time.perf_counter() - start)


def work_segment(path: str, runs: int) -> None:
    import align

    text = Path(path).read_text("utf-8")
    witness = align.witness(text, "w")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        segmentation = align.segment(witness)
        times.append(time.perf_counter() - start)
    sentences = sum(1 for s in segmentation.sentences if s.kind == "sentence")
    _emit(phase="segmented", times=times, sentences=sentences, peak_rss_kb=_peak_rss_kb())


def work_collatex(paths: list[str]) -> None:
    from collatex import Collation, collate

    collation = Collation()
    for sigil, path in zip("ab", paths):
        collation.add_plain_witness(sigil, Path(path).read_text("utf-8"))
    start = time.perf_counter()
    # The alignment table: CollateX's result before any serialisation, as a Collation is align's.
    collate(collation, output="table")
    _emit(phase="collated", times=[time.perf_counter() - start], peak_rss_kb=_peak_rss_kb())


def work_baseline() -> None:
    """What every align child holds before it reads a word: the interpreter and the libraries."""
    import align

    align.segment(align.witness("Warm up Punkt. It is loaded lazily.", "w"))
    _emit(phase="baseline", peak_rss_kb=_peak_rss_kb())


WORKERS = {"align": work_align, "segment": work_segment, "collatex": work_collatex, "baseline": work_baseline}


def worker(spec: dict[str, Any]) -> int:
    kind = spec.pop("kind")
    try:
        WORKERS[kind](**spec)
    except MemoryError as exc:
        _emit(phase="error", error=f"out of memory under the address-space limit: {_where(exc)}",
              peak_rss_kb=_peak_rss_kb(), traceback=traceback.format_exc())
        return 3
    except Exception as exc:  # reported in the table, not hidden
        _emit(phase="error", error=_where(exc)[:300], peak_rss_kb=_peak_rss_kb(), traceback=traceback.format_exc())
        return 2
    return 0


# --- the parent side: running a child within limits ------------------------------------


@dataclass
class Outcome:
    status: str  # "ok", "timeout", "failed"
    wall: float  # seconds, the child process from start to exit
    peak_rss_kb: int  # of the child: its own report, else wait4, or read just before a kill
    records: dict[str, Any] = field(default_factory=dict)
    error: str = ""


def _vm_hwm_kb(pid: int) -> int:
    """Peak RSS of a running process (Linux), read before it is killed."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _vm_rss_kb() -> int:
    try:
        return int(next(line for line in Path("/proc/self/status").read_text().splitlines()
                        if line.startswith("VmRSS:")).split()[1])
    except (OSError, StopIteration):
        return 0


def _records(path: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for line in path.read_text("utf-8", errors="replace").splitlines():
        if line.startswith("{"):
            try:
                out.update(json.loads(line))
            except json.JSONDecodeError:
                pass
    return out


def run_child(argv: list[str], timeout: float, memory_limit: int, eval_timeout: float = 0.0) -> Outcome:
    """Run a process with a time and address-space limit; measure its wall time and peak RSS.

    An align case gets ``timeout`` for collating and, once it reports that, a
    fresh ``eval_timeout`` for the evaluation (align.evaluate is slow on big inputs)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    with tempfile.TemporaryDirectory() as tmp:
        out_path, err_path = Path(tmp, "out"), Path(tmp, "err")
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            start = time.perf_counter()
            # cwd: an empty folder, so that `python -m align` imports the align that
            # sys.path names (PYTHONPATH can point at another checkout), not ./align.
            proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=tmp,
                                    start_new_session=True, preexec_fn=limit)
            ended, killed_hwm = _watch(proc, start, out_path, timeout, eval_timeout)
        records = _records(out_path)
        stderr = err_path.read_text("utf-8", errors="replace").strip()
    if killed_hwm is not None:
        return Outcome("timeout", ended["wall"], killed_hwm, records)
    # ru_maxrss from wait4 counts this process's size at the fork too (see
    # _peak_rss_kb): it is used only where the child does not report its own peak.
    peak = records.get("peak_rss_kb") or ended["rss"]
    if proc.returncode != 0 or "error" in records:
        error = records.get("error") or (stderr.splitlines()[-1] if stderr else f"exit status {proc.returncode}")
        if proc.returncode < 0:
            error = f"killed by signal {-proc.returncode}"
        return Outcome("failed", ended["wall"], peak, records, error)
    return Outcome("ok", ended["wall"], peak, records)


def _watch(
    proc: subprocess.Popen, start: float, out_path: Path, timeout: float, eval_timeout: float
) -> tuple[dict[str, Any], Optional[int]]:
    """Wait for the child, killing it at its deadline. Returns its end (wall time, status,
    ru_maxrss) and, if it was killed, its peak RSS read just before."""
    ended: dict[str, Any] = {}
    done = threading.Event()

    def reap() -> None:
        # A thread blocks in wait4 so that the end time is exact, not a polling step.
        _, status, usage = os.wait4(proc.pid, 0)
        ended.update(wall=time.perf_counter() - start, rss=usage.ru_maxrss)
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()

    def kill() -> None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        done.wait()

    threading.Thread(target=reap, daemon=True).start()
    deadline, extended, killed_hwm = start + timeout, False, None
    try:
        while not done.wait(0.05):
            if not extended and eval_timeout and '"collated"' in out_path.read_text("utf-8", "replace"):
                deadline, extended = time.perf_counter() + eval_timeout, True
            if time.perf_counter() > deadline:
                killed_hwm = _vm_hwm_kb(proc.pid)
                kill()
    except BaseException:
        kill()  # the child has its own session: Ctrl-C does not reach it
        raise
    return ended, killed_hwm


def run_worker(spec: dict[str, Any], args: argparse.Namespace, eval_timeout: float = 0.0) -> Outcome:
    argv = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(spec)]
    return run_child(argv, args.timeout, args.memory_limit_bytes, eval_timeout)


# --- the cases ------------------------------------------------------------------------


@dataclass
class Input:
    """What a case reads: one or two witnesses, their sizes, and a gold if there is one."""

    name: str
    paths: list[Path]
    sentences: list[int]
    gold: Optional[Path] = None

    def words(self) -> list[int]:
        return [len(p.read_text("utf-8").split()) for p in self.paths]

    def bytes(self) -> list[int]:
        return [p.stat().st_size for p in self.paths]


@dataclass
class Row:
    case: str
    input: Optional[Input]
    wall: str = "—"
    rss: str = "—"
    strict: str = "—"
    lax: str = "—"
    notes: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)


def _runs_text(n: int) -> str:
    return "1 warm run" if n == 1 else f"{n} warm runs"


def fmt_seconds(s: float) -> str:
    if s < 1:
        return f"{s * 1000:.0f} ms"
    if s < 100:
        return f"{s:.2f} s"
    return f"{s:.0f} s ({s / 60:.1f} min)"


def fmt_kb(kb: float) -> str:
    return f"{kb / 1024 / 1024:.2f} GiB" if kb >= 1024 * 1024 else f"{kb / 1024:.0f} MiB"


def seed_input() -> Input:
    import align

    counts = [sum(1 for s in seg.sentences if s.kind == "sentence") for p in SEEDS for seg in align.segment_file(p)]
    return Input("seeds 000 + 001", list(SEEDS), counts, SEED_GOLD)


def generated_input(n: int, args: argparse.Namespace) -> Input:
    import generate

    pair = generate.generate(n, args.seed)
    folder = args.workdir / f"n{n}-seed{args.seed}"
    gold = generate.write(pair, folder, args.seed, n)
    inp = Input(f"generated {n:,}", [folder / "a.txt", folder / "b.txt"],
                [len(pair.sentences("a")), len(pair.sentences("b"))], gold)
    if args.check_generated:
        bad = generate.segmentation_mismatches(pair)
        if any(bad.values()):
            # The gold would not be align's sentences: say so in the table rather than score silently.
            inp.name += f" (segmentation differs from gold at {len(bad['a'])}/{len(bad['b'])} places)"
    return inp


def _runs(inp: Input, args: argparse.Namespace) -> int:
    """Small inputs: one cold run, then ``--repeats`` warm runs (the median is reported)."""
    return 1 + args.repeats if max(inp.sentences) <= args.warm_limit else 1


def align_case(inp: Input, args: argparse.Namespace) -> Row:
    runs = _runs(inp, args)
    spec = {"kind": "align", "paths": [str(p) for p in inp.paths], "runs": runs,
            "gold": str(inp.gold) if inp.gold else None}
    progress(f"{inp.name}: align.collate x{runs}")
    o = run_worker(spec, args, eval_timeout=args.eval_timeout)
    row = Row(f"{inp.name} · align.collate", inp, raw=o.__dict__)
    times = o.records.get("times")
    if times:
        warm = times[1:] or times
        row.wall = fmt_seconds(statistics.median(warm))
        row.rss = fmt_kb(o.records["peak_rss_kb"])
        row.notes.append(f"median of {_runs_text(len(warm))}, first run {fmt_seconds(times[0])}"
                         if len(times) > 1 else "one run (cold)")
    if "strict_f1" in o.records:
        row.strict, row.lax = f"{o.records['strict_f1']:.3f}", f"{o.records['lax_f1']:.3f}"
        n = o.records["spurious"]
        row.notes.append(f"{n} link{'' if n == 1 else 's'} to sentences the gold leaves alone")
        if o.records["eval_seconds"] >= 10:
            row.notes.append(f"align.evaluate took {fmt_seconds(o.records['eval_seconds'])}")
    _note_failure(row, o, args, "collated" in o.records)
    return row


def growth(rows: list[tuple[int, Row]]) -> list[str]:
    """How time and memory grow between generated sizes (the target: 10x the input
    costs at most 14x the time). Small inputs are timed warm, large ones cold, which
    if anything overstates the growth."""
    measured = [(n, r) for n, r in rows if r.raw.get("records", {}).get("times")]
    out = []
    steps = list(zip(measured, measured[1:]))
    steps += [(x, y) for i, x in enumerate(measured) for y in measured[i + 2:] if y[0] == 10 * x[0]]
    for (n0, r0), (n1, r1) in steps:
        t0, t1 = (statistics.median(r.raw["records"]["times"][1:] or r.raw["records"]["times"]) for r in (r0, r1))
        m0, m1 = (r.raw["records"]["peak_rss_kb"] for r in (r0, r1))
        out.append(f"Growth {n0:,} -> {n1:,} sentences (input x{n1 / n0:g}): time x{t1 / t0:.1f}, "
                   f"peak RSS x{m1 / m0:.1f}.")
    return out


def _note_failure(row: Row, o: Outcome, args: argparse.Namespace, collated: bool) -> None:
    if o.status == "timeout":
        what = "evaluation" if collated else "run"
        limit = args.eval_timeout if collated else args.timeout
        row.notes.append(f"{what} stopped at the {limit:.0f} s timeout, peak RSS so far {fmt_kb(o.peak_rss_kb)}")
        if not collated:
            row.wall, row.rss = f"timeout (> {limit:.0f} s)", f"≥ {fmt_kb(o.peak_rss_kb)}"
    elif o.status == "failed":
        row.notes.append(f"failed after {fmt_seconds(o.wall)}: {o.error}")
        if not collated:
            row.wall, row.rss = "failed", f"≥ {fmt_kb(o.peak_rss_kb)}"


def cli_case(inp: Input, args: argparse.Namespace) -> Row:
    """The whole CLI process; its peak RSS comes from wait4 (the process is not ours to instrument)."""
    progress(f"{inp.name}: python -m align collate x{args.cli_runs}")
    row = Row(f"{inp.name} · `python -m align collate` (process)", inp)
    parent_kb = _vm_rss_kb()
    walls, peaks = [], []
    with tempfile.TemporaryDirectory() as tmp:
        argv = [sys.executable, "-m", "align", "collate", *map(str, inp.paths), "-o", str(Path(tmp, "out.xml"))]
        for _ in range(args.cli_runs):
            o = run_child(argv, args.timeout, args.memory_limit_bytes)
            if o.status != "ok":
                _note_failure(row, o, args, False)
                return row
            walls.append(o.wall)
            peaks.append(o.peak_rss_kb)
    row.wall, row.rss = fmt_seconds(statistics.median(walls)), fmt_kb(max(peaks))
    if max(peaks) <= parent_kb:
        row.rss = f"≤ {row.rss}"  # see run_child: this may be the parent's size, not the child's
    row.notes.append(f"whole process incl. interpreter start, imports and TEI writing; median of {len(walls)}")
    row.raw = {"walls": walls, "peaks_kb": peaks}
    return row


def segment_case(args: argparse.Namespace) -> Row:
    import generate

    # Witness a of a generated pair, cut at a paragraph boundary to ~N MB.
    target = int(args.segment_mb * 1_000_000)
    pair = generate.generate(max(100, target // 60), args.seed)  # ~70 bytes a sentence: overshoot, then cut
    text = pair.text_a
    cut = text.rfind("\n\n", 0, target)
    text = text[: cut if cut > 0 else target].rstrip() + "\n"
    path = args.workdir / f"segment-{args.segment_mb:g}MB-seed{args.seed}.txt"
    path.write_text(text, encoding="utf-8")
    size = len(text.encode("utf-8"))
    progress(f"segmentation of {size / 1e6:.1f} MB x{1 + args.repeats}")
    o = run_worker({"kind": "segment", "path": str(path), "runs": 1 + args.repeats}, args)
    inp = Input(f"segmentation, {size / 1e6:.1f} MB", [path], [o.records.get("sentences", 0)])
    row = Row(f"{inp.name} · align.segment", inp, raw=o.__dict__)
    times = o.records.get("times")
    if times:
        warm = statistics.median(times[1:] or times)
        row.wall, row.rss = fmt_seconds(warm), fmt_kb(o.records["peak_rss_kb"])
        row.notes.append(f"**{size / 1e6 / warm:.2f} MB/s**, median of {_runs_text(len(times) - 1)}")
    _note_failure(row, o, args, bool(times))
    return row


def collatex_case(inp: Input, args: argparse.Namespace, against: Optional[Row]) -> Row:
    progress(f"{inp.name}: CollateX")
    o = run_worker({"kind": "collatex", "paths": [str(p) for p in inp.paths]}, args)
    row = Row(f"{inp.name} · CollateX", inp, raw=o.__dict__)
    times = o.records.get("times")
    if times:
        row.wall, row.rss = fmt_seconds(times[0]), fmt_kb(o.records["peak_rss_kb"])
        row.notes.append("one run, alignment table (no near matching, no transpositions)")
        base = against.raw.get("records", {}) if against else {}
        if base.get("times"):
            ratio_t = times[0] / statistics.median(base["times"][1:] or base["times"])
            ratio_m = o.records["peak_rss_kb"] / base["peak_rss_kb"]
            row.notes.append(f"**CollateX/align: time ×{ratio_t:,.0f}, peak RSS ×{ratio_m:.1f}**")
    _note_failure(row, o, args, bool(times))
    return row


def collatex_problem() -> Optional[str]:
    """Why CollateX cannot run here, or None."""
    try:
        import collatex  # noqa: F401
    except ImportError as exc:
        return f"collatex not importable ({exc}); `pip install collatex Levenshtein` to add these rows"
    return None


# --- the report -----------------------------------------------------------------------


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _version(module: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(module)
    except PackageNotFoundError:
        return "not installed"


def _git(checkout: Path) -> str:
    def git(*command: str) -> str:
        return subprocess.run(["git", *command], cwd=checkout, capture_output=True, text=True,
                              check=True).stdout.strip()

    try:
        if Path(git("rev-parse", "--show-toplevel")).resolve() != checkout.resolve():
            return "not a git checkout"
        head, dirty = git("rev-parse", "--short", "HEAD"), git("status", "--porcelain", "--", "align")
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"git {head}" + (", uncommitted changes in align/" if dirty else "")


def _machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor() or platform.machine())
    mem = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                if line.startswith("MemTotal:")), 0)
    return f"{os.cpu_count()} CPUs ({cpu}), {fmt_kb(mem)} RAM, {platform.system()} {platform.release()}"


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def header(args: argparse.Namespace) -> str:
    import align

    baseline = run_worker({"kind": "baseline"}, args).records.get("peak_rss_kb", 0)
    checkout = Path(align.__file__).resolve().parent.parent
    return "\n".join([
        f"- align {align.__version__} from {checkout} ({_git(checkout)})",
        f"- Python {platform.python_version()} ({platform.python_implementation()}); numpy "
        f"{_version('numpy')}, rapidfuzz {_version('rapidfuzz')}, nltk {_version('nltk')}, "
        f"collatex {_version('collatex')}",
        f"- {_machine()}; load average {args.load_at_start:.2f} at the start",
        f"- each case in a fresh process; timeout {args.timeout:.0f} s (evaluation {args.eval_timeout:.0f} s more); "
        f"address-space limit {fmt_kb(args.memory_limit_bytes / 1024)}; generator seed {args.seed}",
        f"- baseline peak RSS of a child after `import align` and loading Punkt: {fmt_kb(baseline)} "
        "(included in every align row's peak RSS)",
    ])


def table(rows: list[Row]) -> str:
    def pair(values: list[int]) -> str:
        return " / ".join(f"{v:,}" for v in values)

    lines = [
        "| case | sentences a / b | words a / b | bytes a / b | wall time | peak RSS | strict F1 | lax F1 | notes |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for r in rows:
        size = [pair(r.input.sentences), pair(r.input.words()), pair(r.input.bytes())] if r.input else ["—"] * 3
        lines.append(f"| {r.case} | {' | '.join(size)} | {r.wall} | {r.rss} | {r.strict} | {r.lax} | "
                     f"{'; '.join(r.notes)} |")
    return "\n".join(lines)


def _meminfo_bytes(field_name: str) -> Optional[int]:
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1]) * 1024
    return None


def default_memory_limit() -> int:
    """At most 16 GiB, 60% of the machine, and 80% of what is free now: a case
    that needs more fails with MemoryError rather than pushing whatever else
    runs on the machine into the OOM killer."""
    total = _meminfo_bytes("MemTotal") or 16 << 30
    available = _meminfo_bytes("MemAvailable") or total
    return min(16 << 30, int(total * 0.6), int(available * 0.8))


def parse_args(argv: Optional[list[str]]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1000,5000,10000,50000", help="generated pair sizes, sentences of witness a")
    p.add_argument("--collatex-sizes", default="50,100,200", help="generated sizes for the CollateX anchor")
    p.add_argument("--no-collatex", action="store_true", help="skip the CollateX rows")
    p.add_argument("--quick", action="store_true", help="sizes 1000, CollateX at 50, 3 repeats, 120 s timeout")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds per case before it is killed")
    p.add_argument("--eval-timeout", type=float, default=600.0, help="further seconds for align.evaluate")
    p.add_argument("--memory-limit", type=float, default=None,
                   help="GiB of address space per case (default: 16, 60%% of RAM or 80%% of free memory, the least)")
    p.add_argument("--repeats", type=int, default=5, help="warm runs for small inputs")
    p.add_argument("--warm-limit", type=int, default=1000, help="inputs up to this many sentences are repeated")
    p.add_argument("--cli-runs", type=int, default=5, help="runs of the whole CLI process (the median is reported)")
    p.add_argument("--segment-mb", type=float, default=2.0, help="size of the segmentation text")
    p.add_argument("--seed", type=int, default=1, help="generator seed")
    p.add_argument("--workdir", type=Path, default=HERE / "_generated", help="where generated inputs go")
    p.add_argument("--no-check", dest="check_generated", action="store_false",
                   help="do not check that align segments generated inputs as their gold does")
    p.add_argument("--json", type=Path, help="also write the raw measurements here")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.quick:
        args.sizes, args.collatex_sizes, args.repeats, args.cli_runs = "1000", "50", 3, 5
        args.timeout = min(args.timeout, 120.0)
        args.eval_timeout = min(args.eval_timeout, 120.0)
    args.memory_limit_bytes = int(args.memory_limit * (1 << 30)) if args.memory_limit else default_memory_limit()
    args.workdir = args.workdir.resolve()
    return args


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def startup_note(cli_row: Row, collatex_row: Optional[Row], why_not: str = "") -> str:
    """Start-up: the seed pair as a whole CLI process, and CollateX's whole process
    on the same pair in this run (the issue's goal: at least 60 times faster)."""
    walls = cli_row.raw.get("walls")
    if not walls:
        return f"Start-up (seed pair, whole `python -m align collate` process): {cli_row.wall}; ratio to CollateX n/a."
    align_s = statistics.median(walls)
    text = (f"Start-up (seed pair, whole `python -m align collate` process, median of {len(walls)}): "
            f"**{fmt_seconds(align_s)}**")
    cx = collatex_row.raw if collatex_row else {}
    if cx.get("status") == "ok":
        ratio = cx["wall"] / align_s
        cli_row.notes.append(f"**CollateX/align as processes: ×{ratio:,.0f}**")
        return text + (f"; CollateX on the same pair, whole process (interpreter, imports, collation): "
                       f"{fmt_seconds(cx['wall'])}; **CollateX/align ×{ratio:,.0f}** (goal ≥ 60).")
    cli_row.notes.append("CollateX/align as processes: n/a")
    return text + f"; ratio to CollateX n/a ({why_not or 'CollateX did not finish'})."


def run_cases(args: argparse.Namespace, rows: list[Row], notes: list[str]) -> None:
    """The cases after the CLI one (``rows[0]``), appended to ``rows`` as they finish."""
    seeds = seed_input()
    cli_row = rows[0]
    cli_row.input = seeds
    seed_row = align_case(seeds, args)
    rows.insert(0, seed_row)
    generated = []
    for n in _ints(args.sizes):
        generated.append((n, align_case(generated_input(n, args), args)))
        rows.append(generated[-1][1])
    notes.extend(growth(generated))
    rows.append(segment_case(args))

    problem = "skipped (--no-collatex)" if args.no_collatex else collatex_problem()
    if problem:
        notes.append(f"CollateX rows: {problem}.")
        notes.insert(0, startup_note(cli_row, None, "no CollateX rows: " + problem))
        return
    collatex_seeds = collatex_case(seeds, args, seed_row)
    rows.append(collatex_seeds)
    notes.insert(0, startup_note(cli_row, collatex_seeds))
    for n in _ints(args.collatex_sizes):
        inp = generated_input(n, args)
        align_row = align_case(inp, args)
        rows += [align_row, collatex_case(inp, args, align_row)]


def main(argv: Optional[list[str]] = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return worker(json.loads(args.worker))
    args.workdir.mkdir(parents=True, exist_ok=True)
    args.load_at_start = os.getloadavg()[0]  # other work on the machine skews the times
    rows: list[Row] = []
    notes: list[str] = []

    # The CLI case first, while this process is small (see run_child); then the
    # seeds' sentences are counted, which imports align here.
    rows.append(cli_case(Input("seeds 000 + 001", list(SEEDS), []), args))
    head = header(args)  # now, not at the end: the checkout may change during a long run
    # SIGTERM too ends the run with the rows measured so far.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        run_cases(args, rows, notes)
    except KeyboardInterrupt:
        notes.append("Interrupted: the table has the cases measured until then.")

    print(head)
    print()
    print(table(rows))
    for note in notes:
        print(f"\n{note}")
    if args.json:
        raw = [{"case": r.case, "wall": r.wall, "rss": r.rss, "strict": r.strict, "lax": r.lax,
                "notes": r.notes, "raw": r.raw} for r in rows]
        args.json.write_text(json.dumps(raw, indent=1, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
