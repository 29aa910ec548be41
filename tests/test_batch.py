"""align batch: many sets, one TEI each, in parallel, resumable, locally or on Dask."""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from align.batch import DONE, FAILED, SKIPPED, BatchReport, SetResult, read_sets, run_batch
from align.errors import AlignError, BatchError, ManifestError, OutputWriteError
from conftest import assert_valid, seed

TEI = {"t": "http://www.tei-c.org/ns/1.0"}
GOOD = ("pair", "report")  # sets that collate
BAD = ("empty", "lonely")  # sets that fail: an empty witness, a single witness


@pytest.fixture
def sets(tmp_path: Path) -> Path:
    """A folder of four sets: two good, two that fail."""
    root = tmp_path / "sets"
    members = {
        "pair": [seed("000"), seed("001")],
        "report": [seed("001"), seed("003")],
        "lonely": [seed("000")],
        "empty": [seed("000")],
    }
    for name, files in members.items():
        (root / name).mkdir(parents=True)
        for f in files:
            shutil.copy(f, root / name / f.name)
    (root / "empty" / "zz_empty.txt").write_text("")
    (root / "README.txt").write_text("files at the top are not sets")
    (root / ".hidden").mkdir()
    return root


def ids(xml: bytes) -> list[str]:
    return etree.fromstring(xml).xpath("//t:witness/@xml:id", namespaces=TEI)


def test_folder_batch_runs_sets_in_parallel_and_reports_failures(sets, tmp_path, tei_schema):
    out = tmp_path / "out"
    seen: list[tuple[SetResult, int, int]] = []
    report = run_batch(sets, out, jobs=2, progress=lambda r, n, total: seen.append((r, n, total)))

    assert isinstance(report, BatchReport)
    assert [r.set_id for r in report.results] == ["empty", "lonely", "pair", "report"]  # input order
    assert (report.done, report.skipped, report.failed, report.ok) == (2, 0, 2, False)
    # One call per set, as each finishes: (result, sets finished so far, sets in all).
    assert sorted(n for _, n, _ in seen) == [1, 2, 3, 4] and {total for _, _, total in seen} == {4}
    assert sorted(r.set_id for r, _, _ in seen) == ["empty", "lonely", "pair", "report"]
    for set_id in GOOD:
        result = report.result(set_id)
        assert result.status == DONE and result.output == str(out / f"{set_id}.xml")
    assert "two witnesses" in report.result("lonely").message
    assert "empty" in report.result("empty").message and "zz_empty.txt" in report.result("empty").message
    assert all("\n" not in r.message for r in report.results)
    assert sorted(p.name for p in out.iterdir()) == ["pair.xml", "report.xml"]  # nothing partial
    xml = (out / "pair.xml").read_bytes()
    assert ids(xml) == ["w000_a4ada30fd18f0cb7", "w001_0e46ad283a0c1166"]  # files in name order
    assert_valid(tei_schema, xml)


def test_rerun_skips_finished_sets_unless_forced(sets, tmp_path):
    out = tmp_path / "out"
    run_batch(sets, out, jobs=1)
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}

    again = run_batch(sets, out, jobs=2)
    assert [(r.set_id, r.status) for r in again.results] == [
        ("empty", FAILED), ("lonely", FAILED), ("pair", SKIPPED), ("report", SKIPPED)]
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == mtimes

    forced = run_batch(sets, out, jobs=2, force=True)
    assert (forced.done, forced.skipped, forced.failed) == (2, 0, 2)


def test_options_pass_through(sets, tmp_path):
    from align import Settings

    report = run_batch(sets, tmp_path / "out", jobs=1, mode="standoff",
                       settings=Settings(threshold=0.5, base="w001_0e46ad283a0c1166"))
    xml = (tmp_path / "out" / "pair.xml").read_bytes()
    assert b"threshold:0.5" in xml and b"mode:standoff" in xml and b'type="alignment"' in xml
    assert ids(xml)[0] == "w001_0e46ad283a0c1166"  # the base leads
    assert report.result("report").status == DONE


def test_witness_descriptions_reach_every_set_that_has_the_witness(sets, tmp_path):
    table = tmp_path / "witnesses.csv"
    table.write_text(f"file,title,publisher\n{seed('001').name},On the CSTO site,CSTO\n", "utf-8")
    out = subprocess.run([sys.executable, "-m", "align", "batch", str(sets), "-o", str(tmp_path / "out"), "-j", "1",
                          "--witnesses", str(table)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 1, out.stderr  # the two bad sets fail, as ever
    for name in GOOD:  # 001 is in both good sets
        root = etree.fromstring((tmp_path / "out" / f"{name}.xml").read_bytes())
        titles = root.xpath("//t:witness/t:bibl/t:title/text()", namespaces=TEI)
        assert titles == ["On the CSTO site"], name
    # A row naming no witness of any set is a typo, said before any work.
    table.write_text("file,title\nnobody.txt,X\n", "utf-8")
    out = subprocess.run([sys.executable, "-m", "align", "batch", str(sets), "-o", str(tmp_path / "out2"),
                          "--witnesses", str(table)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 1 and "'nobody.txt' names no witness of any set" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and not (tmp_path / "out2").exists()


def test_output_folder_inside_the_input_is_not_a_set(sets):
    (sets / "tei").mkdir()
    assert [s.id for s in read_sets(sets, exclude=sets / "tei")] == ["empty", "lonely", "pair", "report"]


def _texts(tmp_path: Path) -> Path:
    texts = tmp_path / "texts"
    texts.mkdir()
    for prefix in ("001", "003"):
        shutil.copy(seed(prefix), texts / f"{prefix}.txt")
    return texts


def test_csv_manifest(tmp_path):
    texts = _texts(tmp_path)
    manifest = tmp_path / "batch.csv"
    # Relative paths are resolved against the manifest's folder, absolute ones kept;
    # sigla are optional, spaces around ';' ignored.
    manifest.write_text(
        "set,files,sigla\n"
        "named,texts/001.txt ; texts/003.txt,ria;rbk\n"
        f"plain,{texts / '003.txt'};texts/001.txt,\n"
    )
    report = run_batch(manifest, tmp_path / "out", jobs=2)
    assert (report.done, report.failed) == (2, 0), report.failures
    assert ids((tmp_path / "out" / "named.xml").read_bytes()) == ["ria", "rbk"]
    assert ids((tmp_path / "out" / "plain.xml").read_bytes()) == ["w003", "w001"]


def test_jsonl_manifest(tmp_path):
    texts = _texts(tmp_path)
    manifest = tmp_path / "batch.jsonl"
    manifest.write_text(
        json.dumps({"set": "named", "files": ["texts/001.txt", "texts/003.txt"], "sigla": ["ria", "rbk"]}) + "\n\n"
        + json.dumps({"set": "plain", "files": [str(texts / "003.txt"), "texts/001.txt"]}) + "\n"
    )
    report = run_batch(manifest, tmp_path / "out", jobs=1)
    assert (report.done, report.failed) == (2, 0), report.failures
    assert ids((tmp_path / "out" / "named.xml").read_bytes()) == ["ria", "rbk"]
    assert ids((tmp_path / "out" / "plain.xml").read_bytes()) == ["w003", "w001"]


@pytest.mark.parametrize("name, content, message", [
    ("m.csv", "set,files\nx,texts/001.txt;texts/missing.txt\n", r"line 2: set 'x': no such file .*missing\.txt"),
    ("m.csv", "set,files,witnesses\nx,texts/001.txt;texts/003.txt,\n", r"line 1: unknown column 'witnesses'"),
    ("m.csv", "set,sigla\nx,a;b\n", r"line 1: no 'files' column"),
    ("m.csv", "set,files\nx,texts/001.txt;texts/003.txt\nx,texts/003.txt;texts/001.txt\n",
     r"line 3: set 'x' appears twice \(first on line 2\)"),
    ("m.csv", "set,files\nx,texts/001.txt;texts/003.txt,extra\n", r"line 2: more cells than columns"),
    ("m.csv", "set,files\n../up,texts/001.txt;texts/003.txt\n", r"line 2: set id '../up' cannot name a file"),
    ("m.csv", "set,files\n,texts/001.txt;texts/003.txt\n", r"line 2: empty set id"),
    ("m.csv", "set,files\nx,\n", r"line 2: set 'x' has no files"),
    ("m.csv", "set,files\n", r"no sets found"),
    ("m.jsonl", '{"set": "x", "files": ["texts/001.txt", "texts/003.txt"]}\n{"set": "y", "files": [\n',
     r"line 2: not valid JSON"),
    ("m.jsonl", '{"set": "x", "files": ["texts/001.txt", "texts/003.txt"], "sigil": ["a"]}\n',
     r"line 1: unknown key 'sigil'"),
    ("m.jsonl", '{"set": "x", "files": "texts/001.txt"}\n', r'line 1: "files" must be a list of strings'),
    ("m.jsonl", '["x", ["texts/001.txt"]]\n', r"line 1: expected an object"),
    ("m.jsonl", '{"set": "x", "files": ["texts/001.txt", "texts/nope.txt"]}\n', r"line 1: set 'x': no such file"),
    ("m.txt", "x\n", r"not a folder of sets nor a manifest"),
])
def test_bad_manifest_is_a_one_line_manifest_error(tmp_path, name, content, message):
    _texts(tmp_path)
    manifest = tmp_path / name
    manifest.write_text(content)
    with pytest.raises(ManifestError, match=message) as caught:
        run_batch(manifest, tmp_path / "out")
    assert isinstance(caught.value, AlignError) and "\n" not in str(caught.value)
    assert not (tmp_path / "out").exists()  # refused before any work


def test_bad_options_are_refused_before_any_work(sets, tmp_path):
    with pytest.raises(AlignError, match="unknown TEI mode"):
        run_batch(sets, tmp_path / "out", mode="diagonal")
    with pytest.raises(AlignError, match="unknown scorer"):
        from align import Settings

        run_batch(sets, tmp_path / "out", settings=Settings(scorer="nope"))
    with pytest.raises(AlignError, match="unknown input format"):
        run_batch(sets, tmp_path / "out", input_format="docx")
    assert not (tmp_path / "out").exists()


def test_cli_lines_summary_and_exit_status(sets, tmp_path):
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "align", "batch", *args], capture_output=True, text=True,
                              timeout=120)

    out = tmp_path / "out"
    first = run(str(sets), "-o", str(out), "--jobs", "2")  # stderr is a pipe here, not a TTY
    assert first.returncode == 1, first.stderr
    lines = first.stderr.splitlines()
    assert sum(" done -> " in line for line in lines) == 2
    assert any(line.startswith("align: [") and "lonely: failed: a collation needs at least two witnesses" in line
               for line in lines)
    assert "align: batch: 2 done, 0 skipped, 2 failed" in lines[-1]
    assert "Traceback" not in first.stderr

    for bad in BAD:
        shutil.rmtree(sets / bad)
    again = run(str(sets), "-o", str(out))
    assert again.returncode == 0, again.stderr
    assert "align: batch: 0 done, 2 skipped, 0 failed" in again.stderr

    manifest = tmp_path / "m.jsonl"
    manifest.write_text("{not json\n")
    bad = run(str(manifest), "-o", str(out))
    assert bad.returncode == 1 and bad.stderr.startswith("align: error: ")
    assert len(bad.stderr.splitlines()) == 1 and "line 1: not valid JSON" in bad.stderr


def test_dask_missing_is_one_clear_error(sets, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(BatchError, match=r"--dask needs dask.distributed.*pip install 'align\[dask\]'"):
        run_batch(sets, tmp_path / "out", dask_address="tcp://127.0.0.1:8786")


def test_dask_run_is_identical_to_local_run(sets, tmp_path):
    distributed = pytest.importorskip(
        "distributed", reason="the Dask test needs dask[distributed]: pip install '.[dask]'")
    local = run_batch(sets, tmp_path / "local", jobs=2)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        on_dask = run_batch(sets, tmp_path / "dask", dask_address=cluster.scheduler_address)
    assert [(r.set_id, r.status, r.message) for r in on_dask.results] == \
           [(r.set_id, r.status, r.message) for r in local.results]
    assert on_dask.done == 2
    for set_id in GOOD:
        assert (tmp_path / "dask" / f"{set_id}.xml").read_bytes() == (tmp_path / "local" / f"{set_id}.xml").read_bytes()


# ---------------------------------------------------------------------------
# Robustness: a killed batch, a cluster that does not answer, an output that is not a folder


def _batch(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "align", "batch", *args], capture_output=True, text=True,
                          timeout=120, **kwargs)


def _one_error(res: subprocess.CompletedProcess, status: int, fragment: str) -> None:
    assert res.returncode == status, res.stderr
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("align: error: ") and fragment in lines[0], res.stderr
    assert "Traceback" not in res.stderr


def _session(sid: int) -> list[int]:
    """The live (not zombie) processes of session ``sid``, from /proc."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        state, session = fields[0], int(fields[3])
        if session == sid and state not in (b"Z", b"X"):
            pids.append(int(entry))
    return pids


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_batch_leaves_no_worker_behind(tmp_path):
    sets = tmp_path / "sets"
    for i in range(16):
        (sets / f"s{i:02d}").mkdir(parents=True)
        for f in (seed("000"), seed("001")):
            shutil.copy(f, sets / f"s{i:02d}" / f.name)
    out = tmp_path / "out"
    # A session of its own: every process the batch starts (forkserver, workers,
    # resource tracker) is found by its session id, whoever its parent is.
    batch = subprocess.Popen([sys.executable, "-m", "align", "batch", str(sets), "-o", str(out), "--jobs", "2"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        first = batch.stderr.readline()  # the first set done: workers are busy with the next ones
        assert b"done -> " in first, first
        assert len(_session(batch.pid)) >= 3  # the batch, a forkserver, workers
        os.kill(batch.pid, signal.SIGKILL)
        batch.wait(timeout=10)
        started = time.monotonic()
        assert _reaches_end(batch.stderr, 10), "the killed batch's stderr is still held open"
        while _session(batch.pid) and time.monotonic() - started < 10:
            time.sleep(0.1)
        assert _session(batch.pid) == [], "processes of the killed batch live on"
    finally:
        for pid in _session(batch.pid):
            os.kill(pid, signal.SIGKILL)
        batch.stderr.close()
    written = sorted(os.listdir(out))
    assert all(name.endswith(".xml") for name in written), written  # no temporary file left
    for name in written:  # what was written is complete
        etree.parse(str(out / name))
    time.sleep(1)
    assert sorted(os.listdir(out)) == written  # and nothing is written after


def _reaches_end(stream, seconds: float) -> bool:
    """Whether ``stream`` (a pipe) reaches its end, once no process holds its other end,
    within ``seconds``; never blocks longer."""
    deadline = time.monotonic() + seconds
    fd = stream.fileno()
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if ready and not os.read(fd, 65536):
            return True
    return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("address, fragment", [
    (None, "Timed out trying to connect"),  # nothing listens there
    ("nonsense://x", "unknown address scheme"),
])
def test_dask_unreachable_fails_fast_and_creates_nothing(sets, tmp_path, address, fragment):
    pytest.importorskip("distributed", reason="needs dask[distributed]")
    address = address or f"tcp://127.0.0.1:{_free_port()}"
    out = tmp_path / "out"
    started = time.monotonic()
    res = _batch(str(sets), "-o", str(out), "--dask", address)
    assert time.monotonic() - started < 20  # the connect timeout is 5 s, not Dask's 30 s
    _one_error(res, 1, f"cannot connect to the Dask scheduler at {address}")
    assert fragment in res.stderr
    assert not out.exists()  # no empty output folder left behind


def test_dask_connect_timeout_is_short():
    from align import batch

    assert batch.DASK_CONNECT_TIMEOUT <= 10


def test_an_output_folder_that_is_a_file(sets, tmp_path):
    out = tmp_path / "out"
    out.write_text("not a folder")
    _one_error(_batch(str(sets), "-o", str(out)), 73, f"{out}: is not a folder")
    assert out.read_text() == "not a folder"
    with pytest.raises(OutputWriteError):
        run_batch(sets, out)


def test_a_set_never_writes_over_its_own_witness(tmp_path):
    # A manifest may name, as a witness, the very file its set's output would be.
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(seed("000"), out / "s.xml")
    shutil.copy(seed("001"), tmp_path / "b.txt")
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"set": "s", "files": ["out/s.xml", "b.txt"]}) + "\n")
    before = (out / "s.xml").read_bytes()
    report = run_batch(manifest, out, force=True, jobs=1)
    assert report.result("s").status == FAILED and "is one of the inputs" in report.result("s").message
    assert (out / "s.xml").read_bytes() == before


def test_workers_watch_the_batch(tmp_path):
    # The watchdog of a worker ends the worker when the process it watches ends.
    script = tmp_path / "w.py"
    script.write_text(
        "import subprocess, sys, time\n"
        "from align.batch import die_with\n"
        "watched = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(0.5)'])\n"
        "die_with(watched.pid)\n"
        "watched.wait()\n"
        "time.sleep(30)\n"
        "print('still alive')\n"
    )
    started = time.monotonic()
    res = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert time.monotonic() - started < 10
    assert res.returncode != 0 and "still alive" not in res.stdout
