"""Exports: CollateX JSON, CSV/TSV, the plain-text apparatus (library, then the command line)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

import align
from align.model import line_of
from align.words import VARIANT_TYPES
from align.writers import WRITERS, get_writer
from align.writers.apparatus import apparatus, short_sigla
from align.writers.collatex import table, witness_text
from align.writers.table import FIXED_COLUMNS
from conftest import seed

W = align.witness
FOX = ("The quick brown fox jumps over the dog.", "The brown fox leaps over the lazy dog.")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "align", *args], capture_output=True, text=True, timeout=120)


def squeezed(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def fox() -> align.Collation:
    return align.collate([W(FOX[0], "A"), W(FOX[1], "B")])


# --- CollateX JSON ----------------------------------------------------------


def test_json_gives_every_witness_text_back(four_collation):
    data = json.loads(get_writer("json").dumps(four_collation))
    assert data["witnesses"] == list(four_collation.sigla)
    for w in four_collation.witnesses:
        assert squeezed(witness_text(data, w.sigil)) == squeezed(w.text)


def test_json_columns_line_up(four_collation):
    data = table(four_collation)
    columns = data["align"]["columns"]
    assert {len(row) for row in data["table"]} == {len(columns)}
    assert sum(len(u.pieces) for u in four_collation.units) == len(columns)
    k = 0
    for unit in four_collation.units:
        for piece in unit.pieces:
            assert columns[k]["unit"] == unit.n and columns[k]["part"] == unit.part
            for sigil, row in zip(data["witnesses"], data["table"]):
                # A witness has a cell exactly where it says something at this place.
                said = unit.sentences[sigil] and piece.written(sigil).strip()
                assert (row[k] is None) == (not said), (unit.n, sigil)
                if said:
                    assert squeezed("".join(t["t"] for t in row[k])) == squeezed(piece.written(sigil))
            k += 1


def test_json_is_collatex_table_for_a_simple_pair(fox):
    collatex = pytest.importorskip("collatex")
    theirs = collatex.Collation()
    for sigil, text in zip("AB", FOX):
        theirs.add_plain_witness(sigil, text)
    expected = json.loads(collatex.collate(theirs, output="json"))
    ours = table(fox)
    assert ours["witnesses"] == expected["witnesses"]

    def cells(data):
        return [[None if c is None else [(t["t"], t["n"], t["_sigil"]) for t in c] for c in row] for row in data["table"]]

    assert cells(ours) == cells(expected)
    # Token objects carry the same keys, positions running on across witnesses as CollateX counts them.
    expected_keys = {k for row in expected["table"] for c in row if c for t in c for k in t}
    assert {k for row in ours["table"] for c in row if c for t in c for k in t} == expected_keys
    positions = [[t["_token_array_position"] for c in row if c for t in c] for row in ours["table"]]
    assert positions == [[t["_token_array_position"] for c in row if c for t in c] for row in expected["table"]]


# --- CSV and TSV --------------------------------------------------------------


def test_csv_one_row_per_unit_one_column_per_witness(four_collation):
    rows = list(csv.reader(io.StringIO(get_writer("csv").dumps(four_collation).decode("utf-8"), newline="")))
    header, body = rows[0], rows[1:]
    assert header == [*FIXED_COLUMNS, *four_collation.sigla]
    assert len(body) == len(four_collation.units)
    for unit, row in zip(four_collation.units, body):
        record = dict(zip(header, row))
        assert int(record["unit"]) == unit.n and record["part"] == unit.part and record["shape"] == unit.shape
        assert abs(float(record["confidence"]) - unit.confidence) < 5e-4
        kinds = record["variant_types"].split(";") if record["variant_types"] else []
        assert set(kinds) <= set(VARIANT_TYPES)
        assert set(kinds) >= {p.type for p in unit.pieces if isinstance(p, align.App)}
        assert ("gap" in kinds or "transposition" in kinds) if unit.absent() else True
        for sigil in four_collation.sigla:
            assert (record[sigil] == "") == (not unit.sentences[sigil])
    for k, w in enumerate(four_collation.witnesses):
        column = [row[len(FIXED_COLUMNS) + k] for row in body]
        assert squeezed(" ".join(c for c in column if c)) == squeezed(w.text)


def test_tsv_has_the_csv_rows(pair_collation):
    tsv = [line.split("\t") for line in get_writer("tsv").dumps(pair_collation).decode("utf-8").splitlines()]
    rows = list(csv.reader(io.StringIO(get_writer("csv").dumps(pair_collation).decode("utf-8"), newline="")))
    assert tsv == rows


def test_csv_quotes_commas_and_quotes():
    c = align.collate([W('He said, "No, never."', "A"), W('He said, "No, not ever."', "B")])
    row = list(csv.reader(io.StringIO(get_writer("csv").dumps(c).decode("utf-8"), newline="")))[1]
    assert row[-2:] == ['He said, "No, never."', 'He said, "No, not ever."']
    kinds = [p.type for p in c.units[0].pieces if isinstance(p, align.App)]
    assert kinds and row[FIXED_COLUMNS.index("variant_types")] == ";".join(dict.fromkeys(kinds))


# --- plain-text apparatus -------------------------------------------------------


def test_apparatus_of_a_known_pair(fox):
    body = apparatus(fox).split("\n\n", 1)[1]
    assert body.splitlines() == [
        "1 The quick brown fox jumps over the dog.",
        "   quick A] om. B  (gap)",
        "   jumps A] leaps B  (lexical)",
        "   post the] add. lazy B  (gap)",
    ]


def test_apparatus_lemma_follows_the_base():
    c = align.collate([W(FOX[0], "A"), W(FOX[1], "B")], settings=align.Settings(base="B"))
    body = apparatus(c).split("\n\n", 1)[1].splitlines()
    assert body[0] == "1 The brown fox leaps over the lazy dog."
    assert "   post The] add. quick A  (gap)" in body
    assert "   leaps B] jumps A  (lexical)" in body
    assert "   lazy B] om. A  (gap)" in body


def test_apparatus_names_absent_witnesses_and_set_apart_material():
    c = align.collate([
        W("The quick brown fox jumps over the dog. It was a sunny morning in the valley.", "A"),
        W("The brown fox leaps over the lazy dog. Nothing else happened on that day.", "B"),
        W("Then, the quick brown fox jumps over the dog!", "C"),
    ])
    text = apparatus(c)
    lines = text.splitlines()
    assert "   ante The] add. Then, C  (gap)" in lines
    assert "   quick A C] om. B  (gap)" in lines
    # Punctuation is collated with its word, as an apparatus prints it.
    assert "   dog. A B] dog! C  (punctuation)" in lines
    for unit in c.units:
        if unit.part == "body" and unit.absent():
            assert f"   deest {' '.join(unit.absent())}  (gap)" in lines
    assert "Set apart (not collated):" in text


def test_apparatus_lists_every_place_of_every_witness(four_collation):
    text = apparatus(four_collation)
    names = short_sigla(four_collation.sigla)
    assert names == dict(zip(four_collation.sigla, "ABCD"))
    assert all(f"  {names[w.sigil]} = {w.sigil}: {w.file_name}" in text for w in four_collation.witnesses)
    entries = [line for line in text.splitlines() if line.startswith("   ")]
    body = [u for u in four_collation.units if u.part == "body"]
    places = sum(1 for u in body for p in u.pieces if isinstance(p, align.App))
    absent = sum(1 for u in body for s in u.absent())
    deest = sum(len(line.strip()[len("deest "):].split("  (")[0].split(",")[0].split())
                for line in entries if line.strip().startswith("deest"))
    assert len([e for e in entries if not e.strip().startswith("deest")]) == places
    assert deest == absent
    assert four_collation.settings.signature() in text


# --- the family and the command line ------------------------------------------


def test_every_format_writes_through_the_family(tmp_path, pair_collation):
    for name, writer in WRITERS.items():
        path = tmp_path / f"out{writer.extension}"
        align.write(pair_collation, str(path), format=name)
        assert path.read_bytes() == writer.dumps(pair_collation)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"out{w.extension}" for w in WRITERS.values())


def test_cli_collate_csv_and_convert_apparatus(tmp_path):
    out = tmp_path / "pair.csv"
    res = run("collate", str(seed("000")), str(seed("001")), "--format", "csv", "-o", str(out))
    assert res.returncode == 0, res.stderr
    expected = align.collate([seed("000"), seed("001")])
    assert out.read_bytes() == get_writer("csv").dumps(expected)
    xml = tmp_path / "pair.xml"
    assert run("collate", str(seed("000")), str(seed("001")), "--mode", "standoff", "-o", str(xml)).returncode == 0
    res = run("convert", str(xml), "--format", "apparatus", "-o", str(tmp_path / "pair.txt"))
    assert res.returncode == 0, res.stderr
    converted = (tmp_path / "pair.txt").read_text("utf-8")
    # Read back from TEI, the apparatus is the one made in memory, but for the file names.
    assert converted.split("\n\n", 1)[1] == apparatus(expected).split("\n\n", 1)[1]
    res = run("convert", str(xml), "--format", "json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    for w in expected.witnesses:
        assert squeezed(witness_text(data, w.sigil)) == squeezed(w.text)


def test_cli_unknown_format_and_missing_folder_write_nothing(tmp_path):
    res = run("collate", str(seed("000")), str(seed("001")), "--format", "docx", "-o", str(tmp_path / "x.docx"))
    assert res.returncode == 2 and "unknown output format 'docx'" in res.stderr and "Traceback" not in res.stderr
    res = run("collate", str(seed("000")), str(seed("001")), "-f", "tsv", "-o", str(tmp_path / "no" / "x.tsv"))
    assert res.returncode == 73 and "does not exist" in res.stderr and "Traceback" not in res.stderr
    assert list(tmp_path.iterdir()) == []


def test_line_of_is_what_the_table_and_apparatus_show(pair_collation):
    # The tabular and apparatus forms both print a witness's unit with line_of.
    rows = list(csv.reader(io.StringIO(get_writer("csv").dumps(pair_collation).decode("utf-8"), newline="")))
    text = apparatus(pair_collation)
    a = pair_collation.sigla[0]
    for unit, row in zip(pair_collation.units, rows[1:]):
        assert row[len(FIXED_COLUMNS)] == line_of(unit.written(a))
        if unit.part == "body" and unit.sentences[a]:
            assert f"\n{unit.n} {line_of(unit.written(a))}\n" in text


def test_apparatus_points_to_where_a_retelling_says_it(four_collation):
    blocks: dict[int, list[str]] = {}
    for line in apparatus(four_collation).split("\n\n")[1].splitlines():
        if line.startswith("   "):
            blocks[current].append(line.strip())
        elif line[:1].isdigit():
            current = int(line.split()[0])
            blocks[current] = []
    names = short_sigla(four_collation.sigla)
    pointed = 0
    for t in four_collation.transpositions:
        said = {four_collation.unit_of(t.later, i).n for i in t.sentences[t.later]}
        for index in t.sentences[t.earlier]:
            unit = four_collation.unit_of(t.earlier, index)
            if unit.part != "body" or t.later not in unit.absent():
                continue
            (entry,) = [e for e in blocks[unit.n] if e.startswith(f"deest {names[t.later]}, cf. ")]
            assert said <= {int(n) for n in entry.split("cf. ")[1].split("  (")[0].split(", ")}
            pointed += 1
    assert pointed > 0


# --- imports: an alignment table read back as witnesses -------------------------


def test_exported_table_collates_again_to_the_same_collation(tmp_path, pair_collation):
    path = tmp_path / "pair.json"
    align.write(pair_collation, str(path), format="json")
    again = align.collate([path])
    assert again.sigla == pair_collation.sigla
    assert [(u.sentences, u.pieces, u.part) for u in again.units] == \
        [(u.sentences, u.pieces, u.part) for u in pair_collation.units]


def test_collatex_own_table_is_read_as_witnesses(tmp_path):
    collatex = pytest.importorskip("collatex")
    theirs = collatex.Collation()
    for sigil, text in zip("AB", FOX):
        theirs.add_plain_witness(sigil, text)
    path = tmp_path / "collatex.json"
    path.write_text(collatex.collate(theirs, output="json"), encoding="utf-8")
    assert [(w.sigil, w.text) for w in align.load(path)] == list(zip("AB", FOX))


def test_java_collatex_table_a_column_per_place(tmp_path):
    path = tmp_path / "java.json"
    path.write_text(json.dumps({"witnesses": ["A", "B"], "table": [
        [["The ", "quick "], ["The "]], [["brown "], None], [["fox."], ["fox", "."]]]}), encoding="utf-8")
    assert [(w.sigil, w.text) for w in align.load(path)] == [("A", "The quick brown fox."), ("B", "The fox.")]


@pytest.mark.parametrize("table, message", [
    ([3, 4], '"table" is not a list of lists'),
    ([[{"t": "a "}, 7], [None]], "neither null nor a list of tokens"),
    ([[None], [None]], "the witness is empty"),
])
def test_bad_alignment_table_is_one_line(tmp_path, table, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"witnesses": ["A", "B"], "table": table}), encoding="utf-8")
    res = run("collate", str(path), "-o", str(tmp_path / "out.xml"))
    assert res.returncode == 1 and message in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and not (tmp_path / "out.xml").exists()
