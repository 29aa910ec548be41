"""The command line at its edges: every usage error and every output that cannot or must
not be written is one line, ``align: error: ...``, with its documented exit status
(2 usage, 1 bad input, 73 output), no traceback, nothing written, and no device,
directory, pipe or input ever replaced. Run as root, these tests also prove that root's
privileges do not let align replace /dev/null.
"""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

import align
from align.errors import AlignError, OutputError, OutputRefusedError, OutputWriteError
from align.writers.base import check_output, write_atomically

USAGE, INPUT, OUTPUT = 2, 1, 73

A_TEXT = "The cat sat on the mat. It was a sunny day. Everyone was happy.\n"
B_TEXT = "The cat sat on a mat. It was a rainy day. Nobody was happy.\n"


def run(*args: str, cwd: Path | None = None, **kwargs) -> subprocess.CompletedProcess:
    """``align ARGS`` as a process (stdout and stderr captured unless given)."""
    kwargs.setdefault("stdin", subprocess.DEVNULL)
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "align", *args], cwd=cwd, timeout=60, **kwargs)


def run_here(args: list[str], capsys) -> subprocess.CompletedProcess:
    """``align ARGS`` in this process (the same main(), without a process's start-up)."""
    from align.cli import main

    try:
        main(args)
        status = 0
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(args, status, out, err)


def one_error(res: subprocess.CompletedProcess, status: int, *fragments: str) -> str:
    """The run failed with ``status`` and said so in exactly one line, no traceback."""
    err = res.stderr.decode("utf-8", "replace") if isinstance(res.stderr, bytes) else res.stderr
    lines = err.splitlines()
    assert res.returncode == status, err
    assert len(lines) == 1, err
    assert lines[0].startswith("align: error: "), err
    assert "Traceback" not in err and "Usage:" not in err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def pair(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text(A_TEXT)
    (tmp_path / "b.txt").write_text(B_TEXT)
    return tmp_path


@pytest.fixture
def tei(pair: Path) -> Path:
    import align

    align.write(align.collate([str(pair / "a.txt"), str(pair / "b.txt")]), str(pair / "pair.xml"))
    return pair / "pair.xml"


@pytest.fixture
def cli(pair: Path, capsys, monkeypatch):
    """``align ARGS`` in this process, in the folder of the pair (most cases need no
    process of their own: the same main(), without a second of start-up each)."""
    monkeypatch.chdir(pair)
    return lambda *args: run_here(list(args), capsys)


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: (p.read_bytes() if p.is_file() and not p.is_symlink() else b"")
            for p in sorted(folder.iterdir())}


# ---------------------------------------------------------------------------
# Usage errors: one line, exit 2, before any work


@pytest.mark.parametrize("args, fragments", [
    (["collate", "a.txt", "b.txt", "--threshold", "-1"], ["--threshold: must be a number from 0 to 1 (got -1)"]),
    (["collate", "a.txt", "b.txt", "--threshold", "2"], ["--threshold: must be a number from 0 to 1 (got 2)"]),
    (["collate", "a.txt", "b.txt", "--threshold", "nan"], ["--threshold: must be a number from 0 to 1 (got nan)"]),
    (["collate", "a.txt", "b.txt", "--threshold", "inf"], ["--threshold: must be a number from 0 to 1"]),
    (["collate", "a.txt", "b.txt", "--threshold", "abc"], ["--threshold: 'abc' is not a number"]),
    (["collate", "a.txt", "b.txt", "--threshold=abc"], ["--threshold: 'abc' is not a number"]),
    (["batch", ".", "-o", "out", "--threshold", "1.5"], ["--threshold: must be a number from 0 to 1"]),
    (["batch", ".", "-o", "out", "--jobs", "0"], ["--jobs: must be at least 1 (got 0)"]),
    (["batch", ".", "-o", "out", "-j", "-3"], ["--jobs: must be at least 1 (got -3)"]),
    (["batch", ".", "-o", "out", "--jobs", "two"], ["--jobs: 'two' is not a whole number"]),
    (["collate", "a.txt", "b.txt", "--mode", "diagonal"], ["--mode: unknown TEI mode 'diagonal'", "parallel, standoff"]),
    (["convert", "a.txt", "-f", "tei", "--mode", "diagonal"], ["--mode: unknown TEI mode 'diagonal'"]),
    (["batch", ".", "-o", "out", "--mode", "diagonal"], ["--mode: unknown TEI mode 'diagonal'"]),
    (["collate", "a.txt", "b.txt", "--format", "docx"], ["--format: unknown output format 'docx'"]),
    (["convert", "a.txt", "--format", "docx"], ["--format: unknown output format 'docx'"]),
    (["collate", "a.txt", "b.txt", "--scorer", "nope"], ["--scorer: unknown scorer 'nope'", "blend"]),
    (["batch", ".", "-o", "out", "--scorer", "nope"], ["--scorer: unknown scorer 'nope'"]),
    (["collate", "a.txt", "b.txt", "--input-format", "docx"], ["--input-format: unknown input format 'docx'"]),
    (["segment", "a.txt", "--input-format", "docx"], ["--input-format: unknown input format 'docx'"]),
    (["collate"], ["missing argument", "files"]),
    (["evaluate", "a.txt"], ["missing argument", "gold"]),
    (["extract", "a.txt"], ["missing option", "--witness"]),
    (["batch", "."], ["missing option", "--outdir"]),
    (["collate", "a.txt", "b.txt", "--threshold"], ["--threshold", "requires an argument"]),
    (["collate", "a.txt", "b.txt", "--no-such-option"], ["no such option: --no-such-option"]),
    (["frobnicate"], ["no such command 'frobnicate'"]),
    (["collate", "a.txt", "b.txt", "--title", "T", "--witnesses", "w.csv"], ["--witnesses:", "not both"]),
])
def test_usage_errors_are_one_line_with_status_2(pair, args, fragments, capsys, monkeypatch):
    monkeypatch.chdir(pair)
    before = listing(pair)
    one_error(run_here(args, capsys), USAGE, *fragments)
    assert listing(pair) == before  # refused before any work: nothing written


@pytest.mark.parametrize("args, fragment", [
    (["collate", "a.txt", "b.txt", "--threshold", "-1", "-o", "out.xml"], "--threshold: must be a number from 0 to 1"),
    (["batch", ".", "-o", "out", "--jobs", "0"], "--jobs: must be at least 1 (got 0)"),
    (["collate"], "missing argument"),
])
def test_usage_errors_as_a_process(pair, args, fragment):
    before = listing(pair)
    line = one_error(run(*args, cwd=pair), USAGE, fragment)
    assert line.endswith("--help')")  # it says where to look
    assert listing(pair) == before


def test_help_and_version_unchanged(capsys):
    out = run("--help")
    assert out.returncode == 0 and out.stderr == b""
    text = out.stdout.decode()
    assert text.startswith("Usage: ") and "Commands:" in text and "align batch sets/ -o tei/ --jobs 4" in text
    bare = run()  # a bare "align" shows the help, as Click did
    assert bare.returncode == 2 and b"Commands:" in bare.stdout + bare.stderr
    assert run_here(["collate", "--help"], capsys).returncode == 0
    version = run_here(["--version"], capsys)
    assert version.returncode == 0 and version.stdout.startswith("align ")


def test_good_option_values_still_work(pair):
    res = run("collate", "a.txt", "b.txt", "--threshold", "0", "--mode", "standoff", "--scorer", "ratio",
              "-o", "ok.xml", cwd=pair)
    assert res.returncode == 0, res.stderr
    assert (pair / "ok.xml").read_bytes().startswith(b"<?xml")


# ---------------------------------------------------------------------------
# Outputs that must never be replaced


def char_device(path: str) -> tuple[int, int]:
    st = os.stat(path)
    assert stat.S_ISCHR(st.st_mode), f"{path} is no longer a character device"
    return st.st_rdev, stat.S_IMODE(st.st_mode)


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
@pytest.mark.parametrize("command", ["collate", "convert", "html"])
def test_a_device_is_never_replaced(cli, pair, tei, device, command):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    before = char_device(device)
    args = {"collate": ["collate", "a.txt", "b.txt", "-o", device],
            "convert": ["convert", str(tei), "-f", "csv", "-o", device],
            "html": ["html", str(tei), "-o", device]}[command]
    one_error(cli(*args), OUTPUT, f"{device}: is a character device, not a regular file", "-o -")
    assert char_device(device) == before  # still the same device, same permissions
    assert not [p for p in os.listdir("/dev") if p.startswith(".align-")]


def test_a_symbolic_link_to_a_device_is_refused(cli, pair):
    before = char_device("/dev/null")
    (pair / "null").symlink_to("/dev/null")
    one_error(cli("collate", "a.txt", "b.txt", "-o", "null"), OUTPUT,
              "null: is a symbolic link to /dev/null, a character device")
    assert (pair / "null").is_symlink() and os.readlink(pair / "null") == "/dev/null"
    assert char_device("/dev/null") == before


def test_a_named_pipe_is_refused_without_blocking(cli, pair):
    fifo = pair / "pipe"
    os.mkfifo(fifo)
    one_error(cli("collate", "a.txt", "b.txt", "-o", "pipe"), OUTPUT, "pipe: is a named pipe (FIFO)")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_directory_is_refused(cli, pair):
    (pair / "sub").mkdir()
    (pair / "sub" / "keep.txt").write_text("keep")
    one_error(cli("collate", "a.txt", "b.txt", "-o", "sub"), OUTPUT, "sub: is a directory")
    assert (pair / "sub" / "keep.txt").read_text() == "keep"


def test_a_dangling_symbolic_link_is_refused(cli, pair):
    (pair / "link.xml").symlink_to(pair / "nowhere" / "x.xml")
    one_error(cli("collate", "a.txt", "b.txt", "-o", "link.xml"), OUTPUT,
              "link.xml: is a symbolic link to a missing file")
    assert not (pair / "nowhere").exists()


def test_a_symbolic_link_to_a_regular_file_is_kept_and_its_target_written(cli, pair):
    (pair / "real.xml").write_text("old")
    (pair / "link.xml").symlink_to("real.xml")
    os.chmod(pair / "real.xml", 0o640)
    res = cli("collate", "a.txt", "b.txt", "-o", "link.xml")
    assert res.returncode == 0, res.stderr
    assert (pair / "link.xml").is_symlink()
    assert (pair / "real.xml").read_bytes().startswith(b"<?xml")
    assert stat.S_IMODE(os.stat(pair / "real.xml").st_mode) == 0o640  # a replaced file keeps its mode
    assert not [p for p in os.listdir(pair) if p.startswith(".align-")]


@pytest.mark.parametrize("case", ["witness", "hard-link", "witnesses-file", "absolute"])
def test_an_input_is_never_overwritten(cli, pair, case):
    (pair / "w.csv").write_text("sigil,title\na,A\nb,B\n")
    os.link(pair / "a.txt", pair / "also-a.txt")
    before = listing(pair)
    output = {"witness": "b.txt", "hard-link": "also-a.txt", "witnesses-file": "w.csv",
              "absolute": str(pair / "a.txt")}[case]
    extra = ["--witnesses", "w.csv"] if case == "witnesses-file" else []
    one_error(cli("collate", "a.txt", "b.txt", *extra, "-o", output), OUTPUT,
              f"{output}: is one of the inputs")
    assert listing(pair) == before


def test_html_does_not_overwrite_its_own_input(cli, pair, tei):
    page = pair / "x.html"
    page.write_bytes(tei.read_bytes())  # a TEI file that happens to end in .html
    before = listing(pair)
    one_error(cli("html", "x.html"), OUTPUT, "x.html: is one of the inputs")
    assert listing(pair) == before


def test_convert_does_not_overwrite_its_own_input(cli, pair, tei):
    before = listing(pair)
    one_error(cli("convert", tei.name, "-f", "tei", "-o", tei.name), OUTPUT,
              f"{tei.name}: is one of the inputs")
    one_error(cli("convert", tei.name, "-f", "csv", "-o", f"./{tei.name}"), OUTPUT, "is one of the inputs")
    assert listing(pair) == before


# ---------------------------------------------------------------------------
# Outputs that cannot be written


def test_a_file_name_too_long(cli, pair):
    name = "x" * 300 + ".xml"
    before = listing(pair)
    one_error(cli("collate", "a.txt", "b.txt", "-o", name), OUTPUT, "file name too long (304 bytes")
    assert listing(pair) == before


def test_a_missing_folder_and_a_file_in_the_path(cli, pair):
    before = listing(pair)
    one_error(cli("collate", "a.txt", "b.txt", "-o", "no/x.xml"), OUTPUT,
              "no/x.xml: the folder", "does not exist")
    one_error(cli("collate", "a.txt", "b.txt", "-o", "a.txt/x.xml"), OUTPUT, "a.txt/x.xml: cannot write")
    assert listing(pair) == before


@contextlib.contextmanager
def tmpfs(where: Path, options: str) -> Iterator[Path]:
    """A small file system of its own (root only): a real full disk, a real read-only folder."""
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


def test_a_read_only_folder(cli, pair):
    with tmpfs(pair / "ro", "size=64k,ro") as ro:
        one_error(cli("collate", "a.txt", "b.txt", "-o", "ro/x.xml"), OUTPUT,
                  "ro/x.xml: cannot create files in the folder", "(read-only file system)")
        assert os.listdir(ro) == []


def test_a_full_disk_leaves_nothing_behind(cli, pair):
    big = (A_TEXT * 400, B_TEXT * 400)  # a TEI larger than the file system
    (pair / "a.txt").write_text(big[0])
    (pair / "b.txt").write_text(big[1])
    with tmpfs(pair / "small", "size=16k") as small:
        (small / "old.xml").write_text("the old output")
        one_error(cli("collate", "a.txt", "b.txt", "-o", "small/old.xml"), OUTPUT,
                  "small/old.xml: cannot write (no space left on the device)")
        assert os.listdir(small) == ["old.xml"]  # no temporary file left
        assert (small / "old.xml").read_text() == "the old output"  # the old output intact


# ---------------------------------------------------------------------------
# Standard output and input


def test_a_device_is_never_replaced_by_a_process(pair):
    before = char_device("/dev/null")
    one_error(run("collate", "a.txt", "b.txt", "-o", "/dev/null", cwd=pair), OUTPUT, "/dev/null: is a character device")
    assert char_device("/dev/null") == before


def test_stdout_closed(pair):
    res = run("collate", "a.txt", "b.txt", cwd=pair, stdout=None, stderr=subprocess.PIPE,
              preexec_fn=lambda: os.close(1))
    one_error(res, OUTPUT, "-: standard output is closed")


@pytest.mark.parametrize("command", [["collate", "a.txt", "b.txt"], ["segment", "a.txt"]])
def test_stdout_full(pair, command):
    with open("/dev/full", "wb") as full:
        res = run(*command, cwd=pair, stdout=full, stderr=subprocess.PIPE)
    one_error(res, OUTPUT, "-: cannot write to standard output (no space left on the device)")
    char_device("/dev/full")


@pytest.mark.parametrize("command", [["collate", "a.txt", "b.txt"], ["segment", "a.txt"]])
def test_stdout_a_broken_pipe(pair, command):
    read, write = os.pipe()
    os.close(read)  # nobody will ever read
    try:
        res = run(*command, cwd=pair, stdout=write, stderr=subprocess.PIPE)
    finally:
        os.close(write)
    one_error(res, OUTPUT, "-: cannot write to standard output (broken pipe")


def test_stdin_closed(pair):
    res = run("collate", "-", "b.txt", "-o", "out.xml", cwd=pair, stdin=None,
              stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(0))
    one_error(res, INPUT, "-: standard input is closed")
    assert not (pair / "out.xml").exists()


# ---------------------------------------------------------------------------
# The library: the same rules


def test_library_refuses_what_is_not_a_regular_file(tmp_path, pair_collation):
    before = char_device("/dev/null")
    for path in ("/dev/null", str(tmp_path)):
        with pytest.raises(OutputRefusedError, match="not a regular file"):
            align.write(pair_collation, path)
        with pytest.raises(OutputRefusedError):
            align.write(pair_collation, path, format="csv")
        with pytest.raises(OutputRefusedError):
            write_atomically(b"data", path)
    assert char_device("/dev/null") == before
    assert issubclass(OutputRefusedError, OutputError) and issubclass(OutputWriteError, OutputError)
    assert issubclass(OutputError, AlignError)


def test_library_never_writes_over_a_witness(tmp_path):
    import align

    (tmp_path / "a.txt").write_text(A_TEXT)
    (tmp_path / "b.txt").write_text(B_TEXT)
    collation = align.collate([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    with pytest.raises(OutputRefusedError, match="is one of the inputs"):
        align.write(collation, str(tmp_path / "b.txt"), format="csv")
    assert (tmp_path / "b.txt").read_text() == B_TEXT
    with pytest.raises(OutputRefusedError, match="is one of the inputs"):
        write_atomically(b"x", tmp_path / "a.txt", inputs=[tmp_path / "a.txt"])
    assert (tmp_path / "a.txt").read_text() == A_TEXT


def test_check_output(tmp_path):
    assert check_output("-") == "-"
    assert check_output(tmp_path / "new.xml") == str(tmp_path / "new.xml")
    (tmp_path / "real").write_text("x")
    (tmp_path / "link").symlink_to("real")
    assert check_output(tmp_path / "link") == str((tmp_path / "real").resolve())
    with pytest.raises(OutputWriteError, match="does not exist"):
        check_output(tmp_path / "no" / "x.xml")
    with pytest.raises(OutputWriteError, match="file name too long"):
        check_output(tmp_path / ("y" * 256))
    with pytest.raises(OutputRefusedError):
        check_output("")
    with pytest.raises(OutputRefusedError, match="NUL"):
        check_output("a\0b")
