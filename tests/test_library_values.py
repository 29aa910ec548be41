"""Bad values through the library raise typed AlignError subclasses, never
TypeError/KeyError/ValueError, and are never accepted silently (issue 13)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import align
from align.readers.base import MAX_WITNESSES
from align.errors import InvalidSigilError, SettingsError, TooManyWitnessesError
from align.model import Description
from conftest import seed

A = "Peace came to the country. A storm follows the calm. The end came soon."
B = "Peace came to the land. A storm follows. The end came soon after."


def two():
    return [align.witness(A, "a"), align.witness(B, "b")]


@pytest.mark.parametrize("kwargs, message", [
    ({"threshold": float("nan")}, "threshold must be between 0 and 1"),
    ({"threshold": 2}, "threshold must be between 0 and 1"),
    ({"threshold": -0.1}, "threshold must be between 0 and 1"),
    ({"threshold": "0.3"}, "threshold must be between 0 and 1"),
    ({"threshold": True}, "threshold must be between 0 and 1"),
    ({"token_threshold": float("inf")}, "token_threshold must be between 0 and 1"),
    ({"length_weight": -1}, "length_weight must be a number of at least 0"),
    ({"merge_penalty": float("nan")}, "merge_penalty must be a number of at least 0"),
    ({"scorer": None}, "scorer must be text"),
])
def test_settings_refuse_values_no_stage_can_use(kwargs, message):
    with pytest.raises(SettingsError, match=message):
        align.Settings(**kwargs)


@pytest.mark.parametrize("call, error, message", [
    (lambda: align.collate("a.txt"), SettingsError, "takes a list of witnesses"),
    (lambda: align.collate(two(), sigla="ab"), SettingsError, "sigla must be a list"),
    (lambda: align.collate(two(), sigla=[1, 2]), SettingsError, "sigla must be a list"),
    (lambda: align.collate(two(), on_unrelated="explode"), SettingsError, "on_unrelated must be one of warn, error"),
    (lambda: align.collate(two(), settings={"threshold": 0.3}), SettingsError, "settings must be an align.Settings"),
    (lambda: align.collate(two(), descriptions="Sputnik"), SettingsError, "descriptions must be"),
    (lambda: align.collate(two(), descriptions=[3]), SettingsError, "descriptions must be"),
    (lambda: align.collate(two(), sigla=["a²", "b"]), InvalidSigilError, "not a valid XML name"),
    (lambda: align.collate(two(), sigla=["ria\n", "b"]), InvalidSigilError, "not a valid XML name"),
    (lambda: align.witness(A, "x y"), InvalidSigilError, "not a valid XML name"),
    (lambda: align.collate(two(), settings=align.Settings(scorer="nope")), align.AlignError, "unknown scorer"),
])
def test_bad_arguments_raise_typed_align_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_absurd_witness_counts_are_refused_before_any_work():
    many = [align.witness("A storm follows the calm.", f"w{i}") for i in range(MAX_WITNESSES + 1)]
    with pytest.raises(TooManyWitnessesError, match=f"at most {MAX_WITNESSES}"):
        align.collate(many)


def test_valid_values_still_work():
    c = align.collate(two(), sigla=["ria", "Жх"], settings=align.Settings(threshold=1 / 3),
                      descriptions={"ria": Description(title="T")})
    assert c.sigla == ("ria", "Жх") and c.witness("ria").description.title == "T"


@pytest.mark.parametrize("sigil", ["a²", "ria\n", "a b", "1a", "-a", "a:b"])
def test_the_cli_refuses_sigla_that_are_not_xml_names(tmp_path, sigil):
    out = tmp_path / "out.xml"
    run = subprocess.run([sys.executable, "-m", "align", "collate", str(seed("000")), str(seed("001")),
                          "-s", sigil, "-s", "b", "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode != 0 and run.stderr.startswith("align: error:") and "not a valid XML name" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and not out.exists()


def test_the_witnesses_together_have_a_size_limit(monkeypatch, tmp_path):
    import align.api
    from align.errors import InputTooLargeError
    from align.readers.base import Budget

    monkeypatch.setattr(align.api, "Budget", lambda: Budget(120))
    (tmp_path / "c.txt").write_text(A, "utf-8")
    with pytest.raises(InputTooLargeError, match="the witnesses together are over"):
        align.collate(two() + [tmp_path / "c.txt"])
    monkeypatch.setattr(align.api, "Budget", lambda: Budget(10_000))
    assert len(align.collate(two() + [tmp_path / "c.txt"]).witnesses) == 3
