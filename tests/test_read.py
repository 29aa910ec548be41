"""Reading witnesses: entities, encodings, and clear errors for bad input."""

from __future__ import annotations

import io
import sys
from types import SimpleNamespace

import pytest

import align
from align.clean import repair_entities
from align.errors import (BinaryInputError, EmptyWitnessError, EncodingError, InputError, InvalidSigilError,
                          WitnessNotFoundError)
from align.readers import make_sigil, read_witnesses
from conftest import seed


def test_entity_repair():
    assert repair_entities("a & mdash; b") == ("a — b", 1)
    assert repair_entities("x &amp; y &#8212; z &#x2014;") == ("x & y — z —", 3)
    assert repair_entities("&amp;mdash;")[0] == "—"
    assert repair_entities("&foo; AT&T & co") == ("&foo; AT&T & co", 0)


def test_seed_003_is_read_with_entities_repaired():
    (w,) = read_witnesses(seed("003"))
    assert "& mdash;" not in w.text and "—" in w.text and w.repairs >= 5


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16-le", "utf-16-be", "utf-8"])
def test_unicode_encodings_with_bom(tmp_path, encoding):
    text = "Kassym-Jomart Tokayev — “occupation”."
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data
    elif encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path = tmp_path / "w.txt"
    path.write_bytes(data)
    assert read_witnesses(path)[0].text == text


def test_latin1_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("café olé".encode("latin-1"))
    with pytest.raises(EncodingError, match="latin.txt"):
        read_witnesses(path)


def test_binary_empty_missing_and_directory(tmp_path):
    (tmp_path / "b.bin").write_bytes(b"\x00\x01\x02PNG")
    (tmp_path / "e.txt").write_bytes(b"")
    (tmp_path / "s.txt").write_bytes(b"  \n\t\n")
    with pytest.raises(BinaryInputError):
        read_witnesses(tmp_path / "b.bin")
    with pytest.raises(EmptyWitnessError):
        read_witnesses(tmp_path / "e.txt")
    with pytest.raises(EmptyWitnessError):
        read_witnesses(tmp_path / "s.txt")
    with pytest.raises(WitnessNotFoundError):
        read_witnesses(tmp_path / "nope.txt")
    with pytest.raises(InputError):
        read_witnesses(tmp_path)
    for exc in (BinaryInputError, EmptyWitnessError, WitnessNotFoundError, EncodingError, InvalidSigilError):
        assert issubclass(exc, align.AlignError)


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO("From stdin. Two sentences.".encode())))
    (w,) = read_witnesses("-")
    assert w.text == "From stdin. Two sentences." and w.sigil == "stdin" and w.source == "<stdin>"


def test_sigla_are_valid_xml_ids():
    assert make_sigil("000_a4ada30fd18f0cb7") == "w000_a4ada30fd18f0cb7"
    assert make_sigil("sputnik") == "sputnik"
    assert make_sigil("ria novosti (en)") == "ria_novosti_en"
    with pytest.raises(InvalidSigilError):
        read_witnesses(seed("000"), sigil="1bad")
    with pytest.raises(InvalidSigilError):
        align.witness("text", "has space")


def test_control_characters_do_not_reach_the_xml():
    w = align.witness("A form\x0cfeed and a bell\x07 here. Second sentence.", "a")
    assert "\x07" not in w.text and "\x0c" not in w.text
