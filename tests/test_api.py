"""The library API: inputs of every kind, clear exceptions, warnings for unrelated witnesses."""

from __future__ import annotations

import warnings

import pytest

import align
from align.errors import DuplicateSigilError, TooFewWitnessesError, UnrelatedWitnessError
from conftest import seed

TEXT = "The delegation arrived on Monday. Talks on the trade agreement will continue until Friday."


def test_collate_paths_strings_and_witness_objects_alike(tmp_path):
    path = tmp_path / "b.txt"
    path.write_text(TEXT.replace("Monday", "Tuesday"), encoding="utf-8")
    c = align.collate([align.witness(TEXT, "a"), str(path)])
    assert c.sigla == ("a", "b")
    assert c.witness("b").source == str(path)
    assert [u.shape for u in c.units] == ["1-1", "1-1"]


def test_sigla_name_witnesses_in_order():
    c = align.collate([seed("000"), seed("001")], sigla=["sputnik", "ria"])
    assert c.sigla == ("sputnik", "ria")


def test_same_stem_twice_gets_distinct_sigla(tmp_path):
    (tmp_path / "x").mkdir()
    a, b = tmp_path / "t.txt", tmp_path / "x" / "t.txt"
    a.write_text(TEXT, encoding="utf-8")
    b.write_text(TEXT, encoding="utf-8")
    c = align.collate([a, b])
    assert len(set(c.sigla)) == 2


def test_duplicate_sigla_and_single_witness_are_errors():
    with pytest.raises(DuplicateSigilError):
        align.collate([align.witness(TEXT, "a"), align.witness(TEXT, "b")], sigla=["x", "x"])
    with pytest.raises(TooFewWitnessesError):
        align.collate([align.witness(TEXT, "a")])


def test_witness_sharing_nothing_is_an_error():
    other = "Stir two eggs, flour and milk together. Bake until golden."
    with pytest.raises(UnrelatedWitnessError) as err:
        align.collate([align.witness(TEXT, "a"), align.witness(other, "recipe")])
    assert err.value.sigil == "recipe" and err.value.similarity < 0.5
    assert isinstance(err.value, align.AlignError)


def test_distractor_interview_is_a_warning_and_links_nothing():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        c = align.collate([seed("000"), seed("002")])
    messages = [str(w.message) for w in caught if issubclass(w.category, align.UnrelatedWitnessWarning)]
    assert messages and "w002_cd610519ad23afcb" in messages[0] and "similarity" in messages[0]
    assert not [u for u in c.units if u.kind == "sentence" and len(u.witnesses_present()) > 1]


def test_on_unrelated_error_refuses_the_distractor():
    with pytest.raises(UnrelatedWitnessError):
        align.collate([seed("000"), seed("002")], on_unrelated="error")


def test_collation_exposes_links_and_reading_text(pair_collation):
    links = pair_collation.links()
    assert len(links) > 60
    unit, sentences = links[0]
    assert set(sentences) == set(pair_collation.sigla)
    assert "Kassym-Zhomart" in pair_collation.reading_text(pair_collation.sigla[0])
    assert "Kassym-Jomart" in pair_collation.reading_text(pair_collation.sigla[1])
