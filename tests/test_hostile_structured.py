"""Hostile structured input found by fuzzing (2026-12-06): manifests, witness
descriptions, CollateX tables and library values that raised Python's own
exceptions (a hang on a FIFO, MemoryError, RecursionError, ValueError,
TypeError, KeyError) instead of one of align's, with a clear one-line message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import align
from align.batch import read_sets
from align.errors import (
    AlignError,
    DescriptionError,
    ManifestError,
    OutputRefusedError,
    SettingsError,
    TooFewWitnessesError,
    UnknownWitnessError,
)
from align.readers.descriptions import read_descriptions
from test_hostile_input import within

ROOT = Path(__file__).resolve().parents[1]
A = "The forces arrived in Almaty on Friday. They will stay there."
B = "Forces arrived in Almaty on Friday. They will remain there."
DEEP = "[" * 100_000 + "]" * 100_000


def _texts(p: Path) -> None:
    (p / "a.txt").write_text(A)
    (p / "b.txt").write_text(B)


def _manifests(p: Path) -> dict:
    _texts(p)
    (p / "zero.jsonl").symlink_to("/dev/zero")
    os.mkfifo(p / "fifo.jsonl")
    (p / "deep.jsonl").write_text(DEEP + "\n")
    (p / "long.jsonl").write_text('{"set": "s", "files": ["a.txt", "b.txt"], "sigla": 1' + "0" * 5000 + "}\n")
    (p / "surrogate.jsonl").write_text('{"set": "a\\ud800", "files": ["a.txt", "b.txt"]}\n')
    (p / "cell.csv").write_text("set,files\ns," + "x" * 200_000 + "\n")
    return {"zero.jsonl": "character device, not a regular file; a manifest must be a regular file",
            "fifo.jsonl": "named pipe (FIFO), not a regular file",
            "deep.jsonl": "line 1: not a manifest entry (nested too deep)",
            "long.jsonl": "line 1: not a manifest entry (a number too long)",
            "surrogate.jsonl": "not valid Unicode (a lone surrogate)",
            "cell.csv": "cannot read the manifest (field larger than field limit"}


def test_bad_manifests_raise_manifest_errors(tmp_path):
    for name, message in _manifests(tmp_path).items():
        with within(10), pytest.raises(ManifestError) as caught:
            read_sets(tmp_path / name)
        assert message in str(caught.value), (name, str(caught.value))


def test_manifest_lines_end_as_a_text_file_reads_them(tmp_path):
    _texts(tmp_path)
    # CR line ends; a U+2028 inside a JSON string does not end the line.
    (tmp_path / "m.jsonl").write_text('{"set": "one", "files": ["a.txt", "b.txt"], "sigla": ["x\u2028", "y"]}\r'
                                      '{"set": "two", "files": ["b.txt", "a.txt"]}\r\n', newline="")
    sets = read_sets(tmp_path / "m.jsonl")
    assert [s.id for s in sets] == ["one", "two"] and sets[0].sigla == ("x\u2028", "y")


def test_cli_batch_refuses_bad_manifests_in_one_line(tmp_path):
    cases = _manifests(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    for name in ("zero.jsonl", "fifo.jsonl", "deep.jsonl"):
        proc = subprocess.run([sys.executable, "-m", "align", "batch", name, "-o", "out"], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        lines = proc.stderr.splitlines()
        assert proc.returncode not in (0, 70), proc.stderr
        assert len(lines) == 1 and lines[0].startswith("align: error:") and cases[name] in lines[0], proc.stderr
        assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name, content, message", [
    ("deep.json", DEEP, "nested too deep"),
    ("long.json", '{"a": {"title": 1' + "0" * 5000 + "}}", "a number too long"),
    ("cell.csv", "sigil,title\na," + "x" * 200_000 + "\n", "field larger than field limit"),
])
def test_bad_descriptions_raise_description_errors(tmp_path, name, content, message):
    (tmp_path / name).write_text(content)
    with pytest.raises(DescriptionError, match=message):
        read_descriptions(tmp_path / name)


def test_collatex_sigil_of_any_json_value_is_read(tmp_path):
    doc = {"witnesses": ["A", "B"],
           "table": [[[{"t": "The cat sat. ", "_sigil": ["A"]}]], [[{"t": "The cat sat down. ", "_sigil": {"x": 1}}]]]}
    (tmp_path / "t.json").write_text(json.dumps(doc))
    c = align.collate([tmp_path / "t.json"])
    assert [w.text.strip() for w in c.witnesses] == ["The cat sat.", "The cat sat down."]


def test_library_values_raise_align_errors():
    two = [align.witness(A, "a"), align.witness(B, "b")]
    with pytest.raises(TooFewWitnessesError):
        align.collate([])
    with pytest.raises(DescriptionError, match="the description of 'a'"):
        align.collate(two, descriptions={"a": 5})
    with pytest.raises(DescriptionError):
        align.witness(A, "a", description=5)
    assert align.witness(A, "a", description={"title": "T"}).description.title == "T"
    c = align.collate(two)
    with pytest.raises(OutputRefusedError, match="not a file name"):
        align.write(c, 5)
    with pytest.raises(SettingsError, match="takes a Witness"):
        align.segment("The cat sat.")
    for lookup in (c.witness, c.sentences):
        with pytest.raises(UnknownWitnessError, match="'zz' names no witness") as caught:
            lookup("zz")
        # Still what a lookup raises.
        assert isinstance(caught.value, KeyError) and isinstance(caught.value, AlignError)
