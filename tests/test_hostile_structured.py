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
    return {"zero.jsonl": "is a character device, not a regular file; a manifest must be a regular file",
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


def test_sigla_never_take_the_ids_align_gives(tmp_path, tei_schema):
    from align.errors import InvalidSigilError
    from conftest import assert_valid

    for chosen in (["unit1", "b"], ["vt-lexical", "b"], ["a-s1", "a"], ["variant-types", "b"]):
        with pytest.raises(InvalidSigilError, match="is the id align gives"):
            align.collate([align.witness(A, chosen[0]), align.witness(B, chosen[1])])
        with pytest.raises(InvalidSigilError):
            align.collate([align.witness(A, "x"), align.witness(B, "y")], sigla=chosen)
    # Made from file names, they are renamed: the file reads back.
    for name in ("unit2.txt", "variant-types.txt", "vt-gap.txt"):
        (tmp_path / name).write_text(A)
    (tmp_path / "b.txt").write_text(B)
    c = align.collate([tmp_path / "unit2.txt", tmp_path / "variant-types.txt", tmp_path / "vt-gap.txt", tmp_path / "b.txt"])
    assert c.sigla == ("w_unit2", "w_variant-types", "w_vt-gap", "b")
    for mode in ("parallel", "standoff"):
        xml = align.to_tei(c, mode)
        assert_valid(tei_schema, xml)
        assert align.read_tei(xml).sigla == c.sigla


@pytest.mark.parametrize("sigil", ["Iași", "ﬁ", "𝔄", "ab\u200c"])
def test_sigla_libxml2_cannot_read_are_refused(sigil):
    from align.errors import InvalidSigilError

    with pytest.raises(InvalidSigilError, match="libxml2 .*reads as an xml:id"):
        align.witness(A, sigil)


@pytest.mark.parametrize("sigil", ["é", "Ω", "юрий", "中文", "ria_2"])
def test_sigla_of_many_scripts_stay_valid(sigil):
    c = align.collate([align.witness(A, sigil), align.witness(B, "b")])
    assert align.read_tei(align.to_tei(c)).sigla == (sigil, "b")


def test_own_json_table_gives_back_witnesses_without_whitespace(tmp_path):
    from align.readers import read_witnesses
    from align.writers import get_writer

    c = align.collate([align.witness("Thanks.", "a"), align.witness("Thanks!", "b")])
    (tmp_path / "t.json").write_bytes(get_writer("json").dumps(c))
    assert [w.text for w in read_witnesses(tmp_path / "t.json")] == ["Thanks.", "Thanks!"]


@pytest.mark.parametrize("mode", ["parallel", "standoff"])
def test_entity_repairs_survive_reading_back(mode):
    c = align.collate([align.witness("The forces & mdash; arrived in Almaty. They stay.", "a"),
                       align.witness("Forces arrived in Almaty. They remain.", "b")])
    xml = align.to_tei(c, mode)
    back = align.read_tei(xml)
    assert [(w.repairs, w.format) for w in back.witnesses] == [(1, "text"), (0, "text")]
    assert align.to_tei(back, mode) == xml  # align convert rewrites the file as it was


def test_standoff_keeps_sentences_the_witness_glued():
    from align.tei import parse_tei, witness_text

    a = "The minister spoke. Zas said it.At the same time he left the house. Then he came back."
    b = "The minister spoke. Zas said it. At the same time he left the house. Then he came back."
    c = align.collate([align.witness(a, "a"), align.witness(b, "b")])
    assert any(s.text == "Zas said it." for s in c.sentences("a"))  # the glued sentences are split
    xml = align.to_tei(c, "standoff")
    assert witness_text(parse_tei(xml), "a") == a and witness_text(parse_tei(xml), "b") == b
    back = align.read_tei(xml)
    assert [w.text for w in back.witnesses] == [a, b]
    assert align.to_tei(back, "standoff") == xml


@pytest.mark.parametrize("text", ["\u200b\u200d\u00ad", "\u0301\u0302 \u0303", "\ufeff\u200b\n\u2028"])
def test_a_witness_of_invisible_characters_is_empty(tmp_path, text):
    from align.errors import EmptyWitnessError

    with pytest.raises(EmptyWitnessError, match="only invisible characters"):
        align.witness(text, "a")
    (tmp_path / "zw.txt").write_text(text)
    (tmp_path / "good.txt").write_text(A)
    with pytest.raises(EmptyWitnessError, match="zw.txt"):  # not "'good' shares nothing"
        align.collate([tmp_path / "zw.txt", tmp_path / "good.txt"])
    # Private-use characters are text (MUFI's medieval letters): not empty.
    assert align.witness("\ue000\ue001 \ue002.", "p").text == "\ue000\ue001 \ue002."


def test_repeated_sigla_get_the_first_free_number():
    from align.api import _unique

    for given, made in ((["a", "a-2", "a"], ["a", "a-2", "a-3"]), (["a", "a", "a"], ["a", "a-2", "a-3"]),
                        (["a", "a", "a-2"], ["a", "a-3", "a-2"])):
        assert [w.sigil for w in _unique([align.witness(A, s) for s in given])] == made


def test_standard_input_twice_is_refused():
    with pytest.raises(SettingsError, match="given twice"):
        align.collate(["-", "-"])


def test_manifest_naming_a_file_too_long_or_too_large(tmp_path, monkeypatch):
    import align.batch as batch

    _texts(tmp_path)
    (tmp_path / "m.jsonl").write_text(json.dumps({"set": "s", "files": ["x" * 5000 + ".txt", "b.txt"]}) + "\n")
    with pytest.raises(ManifestError, match="cannot be read"):
        read_sets(tmp_path / "m.jsonl")
    (tmp_path / "ok.jsonl").write_text(json.dumps({"set": "s", "files": ["a.txt", "b.txt"]}) + "\n" * 2000)
    monkeypatch.setattr(batch, "MANIFEST_LIMIT", 1024)
    with pytest.raises(ManifestError, match="larger than 1,024 bytes, the limit for a manifest"):
        read_sets(tmp_path / "ok.jsonl")


def test_a_collation_holding_a_sigil_that_clashes_is_not_written():
    from dataclasses import replace

    from align.errors import InvalidSigilError

    c = align.collate([align.witness(A, "a"), align.witness(B, "b")])
    # As a file of an earlier version could give it back.
    old = replace(c, witnesses=tuple(replace(w, sigil="unit2" if w.sigil == "a" else w.sigil) for w in c.witnesses))
    with pytest.raises(InvalidSigilError, match="'unit2' is the id align gives"):
        align.to_tei(old)


def test_only_the_ids_align_gives_are_reserved():
    for sigil in ("vt-Paris", "vt-A", "unit", "units2", "a-s1"):
        c = align.collate([align.witness(A, sigil), align.witness(B, "b")])
        assert align.read_tei(align.to_tei(c)).sigla == (sigil, "b")


def test_standard_input_twice_as_paths_is_refused():
    with pytest.raises(SettingsError, match="given twice"):
        align.collate([Path("-"), "-"])
