"""The command line: a thin layer over the library, one-line errors, no partial output."""

from __future__ import annotations

import subprocess
import sys

import pytest
from lxml import etree

from conftest import seed

S000, S001 = str(seed("000")), str(seed("001"))


def run(*args: str, cwd=None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "align", *args], capture_output=True, cwd=cwd, input=stdin,
                          timeout=120)


def test_version_and_help():
    import align

    out = run("--version")
    assert out.returncode == 0 and out.stdout.decode().strip() == f"align {align.__version__}"
    helptext = run("--help").stdout.decode()
    assert "collate" in helptext and "segment" in helptext and "align collate" in helptext


def test_collate_to_file_and_stdout(tmp_path):
    out = run("collate", S000, S001, "-o", "out.xml", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    tree = etree.parse(str(tmp_path / "out.xml"))
    assert tree.getroot().tag == "{http://www.tei-c.org/ns/1.0}TEI"
    assert b"scorer:" in out.stderr  # the reproducibility signature is printed
    to_stdout = run("collate", S000, S001)
    assert to_stdout.returncode == 0 and to_stdout.stdout == (tmp_path / "out.xml").read_bytes()


def test_sigla_and_stdin(tmp_path):
    with open(S000, "rb") as fh:
        out = run("collate", "-", S001, "--sigil", "a", "--sigil", "b", stdin=fh.read())
    assert out.returncode == 0, out.stderr
    ids = etree.fromstring(out.stdout).xpath("//t:witness/@xml:id", namespaces={"t": "http://www.tei-c.org/ns/1.0"})
    assert ids == ["a", "b"]


def test_segment_prints_labels_and_sentences():
    out = run("segment", S000)
    lines = out.stdout.decode().splitlines()
    assert out.returncode == 0
    assert "4\tlabel\tturn 0:Sputnik\tSputnik:" in lines
    assert any(line.endswith("\tDiscuss") for line in lines)


@pytest.mark.parametrize("case", ["missing", "empty", "binary", "latin1", "single", "bad-sigil", "no-folder"])
def test_bad_input_one_line_error_no_output(tmp_path, case):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.dat").write_bytes(b"\x00\x01\x02\x03")
    (tmp_path / "latin.txt").write_bytes("café".encode("latin-1"))
    args = {
        "missing": ["collate", "nope.txt", S000],
        "empty": ["collate", "empty.txt", S000],
        "binary": ["collate", "bin.dat", S000],
        "latin1": ["collate", "latin.txt", S000],
        "single": ["collate", S000],
        "bad-sigil": ["collate", S000, S001, "--sigil", "1x", "--sigil", "b"],
        "no-folder": ["collate", S000, S001],
    }[case]
    output = "no/such/folder/out.xml" if case == "no-folder" else "out.xml"
    out = run(*args, "-o", output, cwd=tmp_path)
    err = out.stderr.decode()
    assert out.returncode != 0
    assert len(err.strip().splitlines()) == 1 and err.startswith("align: error:"), err
    assert "Traceback" not in err + out.stdout.decode()
    assert not (tmp_path / "out.xml").exists()
    assert not list(tmp_path.rglob(".align-*"))


def test_unrelated_witness_is_a_warning_on_stderr(tmp_path):
    out = run("collate", S000, str(seed("002")), "-o", "out.xml", cwd=tmp_path)
    assert out.returncode == 0
    assert "align: warning: witness 'w002_cd610519ad23afcb' shares almost nothing" in out.stderr.decode()


def test_output_file_gets_ordinary_permissions(tmp_path):
    import os
    import stat

    out = run("collate", S000, str(seed("001")), "-o", "out.xml", cwd=tmp_path)
    assert out.returncode == 0
    mode = stat.S_IMODE(os.stat(tmp_path / "out.xml").st_mode)
    mask = os.umask(0)
    os.umask(mask)
    assert mode == 0o666 & ~mask
