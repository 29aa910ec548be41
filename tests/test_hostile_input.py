"""Hostile and extreme input (issue 13, the input side): real files in tmp_path.

Each case is checked through the library (the specific exception class) and,
for the refusals, through the CLI: a non-zero exit, exactly one stderr line
``align: error: ...``, no traceback, no output file, and quickly.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from align.errors import (
    AlignError,
    DescriptionError,
    EncodingError,
    InputError,
    InputTooLargeError,
    MalformedInputError,
    NotAFileError,
)
from align.readers import Budget, read_witnesses, witness_from_text
from align.readers.base import MAX_TOTAL_BYTES, MAX_WITNESS_BYTES, MAX_XML_DEPTH
from align.readers.descriptions import read_descriptions

ROOT = Path(__file__).resolve().parent.parent
TEI_NS = "http://www.tei-c.org/ns/1.0"
TEXT = "The cat sat on the mat. It was a sunny day in the town. Everyone was happy.\n"
OTHER = "The cat sat on a mat. It was a rainy day in the town. Everyone was sad.\n"
# Generous for CI, yet far below what reading the whole input (or blocking) would take.
QUICK = 5.0


@contextlib.contextmanager
def within(seconds: float):
    """Fail (instead of hanging the suite) if the body blocks or runs too long."""
    def expire(signum, frame):
        raise TimeoutError(f"took over {seconds} s")
    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert time.monotonic() - start < seconds


def tei(body: str, prolog: str = "") -> str:
    return f'{prolog}<TEI xmlns="{TEI_NS}"><text><body>{body}</body></text></TEI>'


def write(path: Path, content) -> Path:
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as fh:
        fh.truncate(size)  # no data blocks: cheap however large
    return path


# --- what is not a regular file -------------------------------------------------------

def test_symlink_to_dev_zero_is_refused_at_once(tmp_path):
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    with within(QUICK), pytest.raises(NotAFileError, match=r"zero\.txt: .*/dev/zero.*character device"):
        read_witnesses(link)


def test_fifo_nobody_writes_does_not_block(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with within(QUICK), pytest.raises(NotAFileError, match=r"pipe\.txt: is a named pipe \(FIFO\)"):
        read_witnesses(fifo)


def test_socket_is_refused(tmp_path):
    path = tmp_path / "s.txt"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(path))
        with within(QUICK), pytest.raises(NotAFileError, match="is a socket"):
            read_witnesses(path)
    finally:
        sock.close()


def test_directory_is_refused(tmp_path):
    with pytest.raises(NotAFileError, match="is a directory"):
        read_witnesses(tmp_path)


def test_descriptions_from_a_fifo_do_not_block(tmp_path):
    fifo = tmp_path / "desc.csv"
    os.mkfifo(fifo)
    with within(QUICK), pytest.raises(DescriptionError, match="named pipe"):
        read_descriptions(fifo)


# --- size limits -----------------------------------------------------------------------

def test_limits_are_consistent():
    assert MAX_WITNESS_BYTES == 32 * 2**20 and MAX_TOTAL_BYTES == 64 * 2**20
    assert MAX_WITNESS_BYTES <= MAX_TOTAL_BYTES and MAX_XML_DEPTH == 256


@pytest.mark.parametrize("name, size", [("big.txt", 70 * 10**6), ("big.xml", 55 * 2**20),
                                        ("big.html", MAX_WITNESS_BYTES + 1)])
def test_file_over_the_witness_limit_is_refused_unread(tmp_path, name, size):
    path = sparse(tmp_path / name, size)
    with within(QUICK), pytest.raises(InputTooLargeError, match=rf"{name}: larger than 32 MiB"):
        read_witnesses(path)


def test_file_at_the_limit_is_read_to_its_end(tmp_path):
    # Exactly the limit is allowed (it is refused for its NUL bytes, after reading).
    path = sparse(tmp_path / "edge.txt", MAX_WITNESS_BYTES)
    with within(QUICK), pytest.raises(InputError, match="binary"):
        read_witnesses(path)


class Endless(io.RawIOBase):
    """An endless stream (like ``/dev/zero`` on stdin) counting what is read from it."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = len(buffer)
        buffer[:n] = b"a" * n
        self.given += n
        return n


def test_endless_stdin_is_read_only_to_the_limit(monkeypatch):
    raw = Endless()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(raw)))
    with within(QUICK), pytest.raises(InputTooLargeError, match="<stdin>: larger than 32 MiB"):
        read_witnesses("-")
    assert raw.given <= MAX_WITNESS_BYTES + 1 + io.DEFAULT_BUFFER_SIZE


def test_closed_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(InputError, match="<stdin>: standard input is closed"):
        read_witnesses("-")


def test_budget_bounds_all_witnesses_together(tmp_path):
    a = write(tmp_path / "a.txt", TEXT * 8)
    b = write(tmp_path / "b.txt", OTHER * 8)
    budget = Budget(total=len(TEXT) * 8 + 100)
    assert read_witnesses(a, budget=budget)
    with pytest.raises(InputTooLargeError, match=r"b\.txt: the witnesses together are over"):
        read_witnesses(b, budget=budget)


def test_default_budget_is_the_total_limit(tmp_path):
    budget = Budget()
    assert budget.total == MAX_TOTAL_BYTES
    budget.take(MAX_TOTAL_BYTES - 10, "earlier witnesses")
    path = write(tmp_path / "late.txt", TEXT)
    with within(QUICK), pytest.raises(InputTooLargeError, match=r"late\.txt: the witnesses together are over 64 MiB"):
        read_witnesses(path, budget=budget)


def test_string_witness_over_the_limit():
    budget = Budget(total=50)
    with pytest.raises(InputTooLargeError, match="together"):
        witness_from_text(TEXT, "a", budget=budget)


# --- XML: DTDs ignored, entities, encodings, depth ---------------------------------------

def test_dtd_default_attributes_are_ignored(tmp_path):
    body = "<p>It was a sun<lb/>ny day.</p>"
    plain = read_witnesses(write(tmp_path / "plain.xml", tei(body)))[0].text
    with_dtd = read_witnesses(write(tmp_path / "dtd.xml", tei(body, '<!DOCTYPE TEI [<!ATTLIST lb break CDATA "no">]>')))[0].text
    assert plain == with_dtd == "It was a sun ny day."


def test_ebcdic_tei_gives_one_line(tmp_path):
    doc = '<?xml version="1.0" encoding="EBCDIC-US"?>\n' + tei("<p>The cat.</p>", '<!DOCTYPE TEI SYSTEM "http://example.com/tei.dtd">\n')
    path = write(tmp_path / "ebcdic.xml", doc.encode("cp037"))
    with pytest.raises(MalformedInputError, match=r"ebcdic\.xml: declares an encoding") as info:
        read_witnesses(path)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_external_entity_is_refused(tmp_path, encoding):
    doc = tei("<p>The &ext; cat.</p>", '<!DOCTYPE TEI [<!ENTITY ext SYSTEM "file:///etc/passwd">]>\n')
    path = write(tmp_path / "ext.xml", doc.encode(encoding))
    with pytest.raises(MalformedInputError, match=r"ext\.xml: declares XML entities") as info:
        read_witnesses(path)
    assert "\n" not in str(info.value)


def test_entity_from_an_unread_dtd_is_never_dropped(tmp_path):
    prolog = '<!DOCTYPE TEI SYSTEM "tei.dtd">\n'
    known = read_witnesses(write(tmp_path / "known.xml", tei("<p>The cat&mdash;the mat.</p>", prolog)))[0]
    assert known.text == "The cat\u2014the mat."
    with pytest.raises(MalformedInputError, match=r"unknown\.xml: uses the entity &foo;"):
        read_witnesses(write(tmp_path / "unknown.xml", tei("<p>The cat &foo; sat.</p>", prolog)))


def test_xml_nested_too_deep(tmp_path):
    depth = MAX_XML_DEPTH + 10
    path = write(tmp_path / "deep.xml", tei("<div>" * depth + "<p>The cat.</p>" + "</div>" * depth))
    with pytest.raises(MalformedInputError, match=r"deep\.xml: elements nested more than 256 deep"):
        read_witnesses(path)


def test_xml_noncharacter_is_not_well_formed(tmp_path):
    path = write(tmp_path / "nc.xml", tei("<p>The c\uffffat.</p>"))
    with pytest.raises(MalformedInputError, match=r"nc\.xml: not well-formed"):
        read_witnesses(path)


def test_nine_megabyte_text_node_is_read_quickly(tmp_path):
    path = write(tmp_path / "node.xml", tei("<p>" + "word " * 1_800_000 + "</p>"))
    with within(15):
        text = read_witnesses(path)[0].text
    assert len(text) == 5 * 1_800_000 - 1


# --- text --------------------------------------------------------------------------------

def test_noncharacters_are_dropped(tmp_path):
    path = write(tmp_path / "nc.txt", TEXT.replace("cat", "c\uffffat").replace("mat", "m\ufffeat") + "\ufdd0")
    w = read_witnesses(path)[0]
    assert w.text == TEXT.strip() or w.text == TEXT
    assert witness_from_text("a\uffffb \U0010ffffc", "s").text == "ab c"


def test_lone_surrogate_in_collatex_json(tmp_path):
    doc = '{"witnesses": [{"id": "A", "content": "The cat \\ud800 sat."}, {"id": "B", "content": "The cat sat."}]}'
    with pytest.raises(EncodingError, match=r"s\.json \(witness A\): holds a lone surrogate U\+D800"):
        read_witnesses(write(tmp_path / "s.json", doc))
    with pytest.raises(EncodingError, match="lone surrogate"):
        witness_from_text("a \udfff b", "s")


def test_text_mentioning_tei_is_text(tmp_path):
    content = "Notes about the <TEI> element and " + TEI_NS + ".\n" + TEXT
    w = read_witnesses(write(tmp_path / "notes", content))[0]
    assert w.format == "text" and w.text.startswith("Notes about the <TEI>")


def test_text_starting_with_html_tag_is_text(tmp_path):
    content = "<html> is the root tag.\nThe cat sat.\nIt was sunny.\n"
    w = read_witnesses(write(tmp_path / "note", content))[0]
    assert w.format == "text" and w.text.splitlines()[1:3] == ["The cat sat.", "It was sunny."]
    page = read_witnesses(write(tmp_path / "page", "<html>\n<body><p>The cat sat.</p></body></html>"))[0]
    assert page.format == "html" and page.text == "The cat sat."


@pytest.mark.parametrize("prolog", ["", '<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE TEI [<!ATTLIST p n CDATA "1">]>\n'])
def test_real_tei_without_extension_is_sniffed(tmp_path, prolog):
    assert read_witnesses(write(tmp_path / "doc", tei("<p>The cat.</p>", prolog)))[0].format == "tei"


def test_html_nested_100000_deep_is_read_or_refused_saying_why(tmp_path):
    n = 100_000
    path = write(tmp_path / "deep.html", "<html><body>" + "<div>" * n + TEXT + "</div>" * n + "</body></html>")
    # libxml2 before 2.14 (lxml 4/5) reads it; 2.14 (lxml 6) stops at a depth of
    # 2048 even with huge_tree: then it is refused, saying so, never "no text found".
    with within(20):
        try:
            w = read_witnesses(path)[0]
        except MalformedInputError as exc:
            assert "nests its elements too deep" in str(exc)
        else:
            assert w.text == TEXT.strip()


def test_sniffing_a_hostile_head_is_quick(tmp_path):
    for i, head in enumerate(["<!DOCTYPE x " + "[a]" * 1300, "<!-- -->" * 500 + "x", "<html>" + "<!-- -->" * 500 + "x"]):
        with within(QUICK):
            assert read_witnesses(write(tmp_path / f"h{i}", head + " The cat."))[0].format == "text"


# --- the library raises only AlignError for bad input ---------------------------------------

@pytest.mark.parametrize("call, error", [
    (lambda p: read_witnesses(123), InputError),
    (lambda p: read_witnesses(None), InputError),
    (lambda p: read_witnesses(p / "a\x00b.txt"), InputError),
    (lambda p: read_witnesses(p / ("x" * 300 + ".txt")), InputError),
    (lambda p: read_witnesses(p / "missing" / "a.txt"), InputError),
    (lambda p: read_witnesses(write(p / "a.txt", TEXT), format=5), InputError),
    (lambda p: read_witnesses(write(p / "a.txt", TEXT), format="pdf"), InputError),
    (lambda p: witness_from_text(None, "a"), InputError),
    (lambda p: witness_from_text(b"bytes", "a"), InputError),
    (lambda p: witness_from_text("\ufffe\uffff", "a"), InputError),
])
def test_bad_library_values_raise_align_errors(tmp_path, call, error):
    with pytest.raises(error):
        call(tmp_path)


# --- through the CLI ---------------------------------------------------------------------------

def _zero(p: Path) -> Path:
    (p / "zero.txt").symlink_to("/dev/zero")
    return p / "zero.txt"


def _fifo(p: Path) -> Path:
    os.mkfifo(p / "pipe.txt")
    return p / "pipe.txt"


CLI_REFUSED = {
    "dev-zero": (_zero, "character device"),
    "fifo": (_fifo, "named pipe"),
    "directory": (lambda p: (p / "d").mkdir() or p / "d", "is a directory"),
    "sparse-70MB": (lambda p: sparse(p / "big.txt", 70 * 10**6), "larger than 32 MiB"),
    "xml-55MiB": (lambda p: sparse(p / "big.xml", 55 * 2**20), "larger than 32 MiB"),
    "ebcdic": (lambda p: write(p / "e.xml", ('<?xml version="1.0" encoding="EBCDIC-US"?>\n'
                                             + tei("<p>The cat.</p>")).encode("cp037")), "declares an encoding"),
    "external-entity": (lambda p: write(p / "x.xml", tei("<p>&e;</p>", '<!DOCTYPE TEI [<!ENTITY e SYSTEM "/etc/passwd">]>')),
                        "declares XML entities"),
    "unknown-entity": (lambda p: write(p / "u.xml", tei("<p>The &foo; cat.</p>", '<!DOCTYPE TEI SYSTEM "t.dtd">')),
                       "the entity &foo;"),
    "surrogate": (lambda p: write(p / "s.json", '{"witnesses": [{"id": "A", "content": "The \\ud800 cat."}]}'),
                  "lone surrogate"),
    "deep-xml": (lambda p: write(p / "deep.xml", tei("<div>" * 300 + "x" + "</div>" * 300)), "nested more than 256"),
}


def run_cli(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "align", "collate", *args, "-o", str(tmp_path / "out.xml")],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60, stdin=subprocess.DEVNULL)
    return proc, time.monotonic() - start


@pytest.mark.parametrize("case", sorted(CLI_REFUSED))
def test_cli_refuses_in_one_line(tmp_path, case):
    make, expected = CLI_REFUSED[case]
    bad = make(tmp_path)
    good = write(tmp_path / "b.txt", OTHER)
    proc, elapsed = run_cli(tmp_path, str(bad), str(good))
    lines = proc.stderr.splitlines()
    assert proc.returncode not in (0, 70), proc.stderr
    assert len(lines) == 1 and lines[0].startswith("align: error:"), proc.stderr
    assert expected in lines[0] and bad.name in lines[0]
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert not (tmp_path / "out.xml").exists()
    assert elapsed < 15, elapsed  # the process starts in about a second; nothing is read to the end


def test_cli_reads_noncharacters(tmp_path):
    bad = write(tmp_path / "nc.txt", TEXT.replace("cat", "c\uffffat").replace("mat", "m\ufffeat"))
    good = write(tmp_path / "b.txt", OTHER)
    proc, _ = run_cli(tmp_path, str(bad), str(good))
    assert proc.returncode == 0, proc.stderr
    assert "\uffff" not in (tmp_path / "out.xml").read_text(encoding="utf-8")


def test_library_errors_are_align_errors():
    assert issubclass(InputTooLargeError, InputError) and issubclass(NotAFileError, InputError)
    assert issubclass(InputError, AlignError)
