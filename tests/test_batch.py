"""align batch: many sets, one TEI each, in parallel, resumable, locally or on Dask."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from align.batch import DONE, FAILED, SKIPPED, BatchReport, SetResult, read_sets, run_batch
from align.errors import AlignError, BatchError, ManifestError
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
