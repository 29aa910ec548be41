"""`align evaluate` and `align stats`: library first, then the command line, on TEI files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from lxml import etree

import align
from align.errors import InputError, UnknownWitnessError
from align.evaluate import evaluate, evaluate_file, gold_witnesses, load_gold
from align.stats import collation_stats, format_stats
from conftest import GOLD, seed

TEI = "{http://www.tei-c.org/ns/1.0}"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "align", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def seed_files(tmp_path_factory, pair_collation):
    folder = tmp_path_factory.mktemp("evaluate")
    paths = {}
    for mode in ("parallel", "standoff"):
        paths[mode] = folder / f"{mode}.xml"
        paths[mode].write_bytes(align.to_tei(pair_collation, mode))
    return paths


@pytest.mark.parametrize("mode", ["parallel", "standoff"])
def test_scores_from_a_tei_file_equal_scores_in_memory(pair_collation, seed_files, mode):
    gold = load_gold(GOLD / "gold_000_001.json")
    a, b = pair_collation.sigla
    direct = evaluate(pair_collation, gold, a, b)
    from_file = evaluate_file(seed_files[mode], GOLD / "gold_000_001.json")
    assert from_file.witnesses == (a, b)
    assert (from_file.strict, from_file.lax, from_file.pairs) == (direct.strict, direct.lax, direct.pairs)
    assert direct.strict.f1 > 0.95 and direct.lax.recall > 0.95


@pytest.mark.parametrize("pair", ["001_003", "000_004"])
def test_retelling_golds_score_from_both_tei_forms(pair):
    first, second = pair.split("_")
    collation = align.collate([seed(first), seed(second)], sigla=["x", "y"])
    gold = load_gold(GOLD / f"gold_{pair}.json")
    direct = evaluate(collation, gold, "x", "y")
    for mode in ("parallel", "standoff"):
        back = evaluate_file(align.read_tei(align.to_tei(collation, mode)), GOLD / f"gold_{pair}.json")
        # Lax links survive any re-segmentation of a unit; strict ones do here too.
        assert back.lax == direct.lax
        assert back.strict == direct.strict


def test_gold_sides_found_by_file_name_in_any_witness_order():
    collation = align.collate([seed("001"), seed("002"), seed("000")], sigla=["ria", "other", "sputnik"])
    gold = load_gold(GOLD / "gold_000_001.json")
    assert gold_witnesses(collation, gold) == ("sputnik", "ria")
    assert evaluate_file(collation, GOLD / "gold_000_001.json").witnesses == ("sputnik", "ria")


def test_gold_sides_that_match_no_source_need_naming(tmp_path):
    texts = ["The cat sat on the mat. It was happy.", "The cat sat on a mat. It was glad.", "The cat sat on one mat. It was happy."]
    collation = align.collate([align.witness(t, s) for t, s in zip(texts, "abc")])
    gold = {"witnesses": {"a": "x.txt", "b": "y.txt"},
            "links": [{"a": ["The cat sat on the mat."], "b": ["The cat sat on a mat."]}]}
    with pytest.raises(InputError, match="cannot tell which witnesses"):
        gold_witnesses(collation, gold)
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    result = evaluate_file(collation, path, a="a", b="b")
    assert result.strict.recall == 1.0
    with pytest.raises(UnknownWitnessError):
        evaluate_file(collation, path, a="a", b="zz")


def test_missed_links_are_the_gold_links_align_did_not_make(tmp_path, seed_files):
    gold = load_gold(GOLD / "gold_000_001.json")
    linked = [i for i, link in enumerate(gold["links"]) if link["a"] and link["b"]]
    # Pair two gold links' sides crosswise: a hand alignment align cannot agree with.
    i, j = linked[10], linked[20]
    gold["links"][i]["b"], gold["links"][j]["b"] = gold["links"][j]["b"], gold["links"][i]["b"]
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    result = evaluate_file(seed_files["standoff"], path)
    missed_a = [side_a for side_a, _ in result.missed]
    assert gold["links"][i]["a"] in missed_a and gold["links"][j]["a"] in missed_a
    right = evaluate_file(seed_files["standoff"], GOLD / "gold_000_001.json")
    assert result.strict.found == right.strict.found - 2

    out = run("evaluate", str(seed_files["standoff"]), str(path))
    assert out.returncode == 0, out.stderr
    assert gold["links"][i]["a"][0] in out.stdout
    assert "strict" in out.stdout and "lax" in out.stdout


def test_cli_evaluate_text_and_json(seed_files):
    out = run("evaluate", str(seed_files["parallel"]), str(GOLD / "gold_000_001.json"), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    direct = evaluate_file(seed_files["parallel"], GOLD / "gold_000_001.json")
    assert data["strict"]["f1"] == direct.strict.f1
    assert data["lax"]["found"] == direct.lax.found and data["lax"]["gold"] == direct.lax.gold
    assert len(data["missed"]) == len(direct.missed)
    text = run("evaluate", str(seed_files["parallel"]), str(GOLD / "gold_000_001.json")).stdout
    strict_line = next(line for line in text.splitlines() if line.startswith("strict"))
    assert f"{direct.strict.f1:.3f}" in strict_line
    assert f"{direct.strict.found}/{direct.strict.gold}" in strict_line


@pytest.mark.parametrize("content, message", [
    (b"not json", "not a gold alignment file"),
    (b'{"links": 3}', "needs a 'links' list"),
    (b'{"links": [{"a": ["No such sentence anywhere."], "b": ["Nor here."]}]}', "gold sentence not found"),
])
def test_cli_evaluate_bad_gold_is_one_line(tmp_path, seed_files, content, message):
    path = tmp_path / "gold.json"
    path.write_bytes(content)
    out = run("evaluate", str(seed_files["parallel"]), str(path))
    assert out.returncode == 1
    assert message in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_stats_of_a_known_small_collation():
    texts = ["The cat sat on the mat. It was happy. Then it slept.",
             "The cat sat on the mat, and it was happy. Then it slept."]
    collation = align.collate([align.witness(t, s) for t, s in zip(texts, "ab")])
    stats = collation_stats(collation)
    assert stats.shapes == {"1-1": 1, "2-1": 1}
    assert sum(stats.confidence) == 2
    (pair,) = stats.pairs
    assert (pair.a, pair.b, pair.shared_a, pair.shared_b) == ("a", "b", 1.0, 1.0)
    assert 0.6 < pair.similarity < 1.0
    same = collation_stats(align.collate([align.witness(texts[0], "x"), align.witness(texts[0], "y")]))
    assert same.pairs[0].similarity == 1.0 and same.variants == {}


def test_stats_count_what_the_tei_writes(pair_collation, seed_files):
    stats = collation_stats(pair_collation)
    tree = etree.parse(str(seed_files["parallel"]))
    # Speaker labels ("Sputnik:" against a dash) are styles of turn-taking, not
    # variants; the places of units a witness lacks are that one gap in the statistics.
    def reads(seg, sigil):
        return any(t.strip() for t in seg.xpath(f"text() | t:app/*[contains(concat(@wit, ' '), '#{sigil} ')]//text()",
                                                namespaces={"t": TEI[1:-1]}))

    sigla = pair_collation.sigla
    segs = tree.findall(f".//{TEI}body/{TEI}div[@type='collation']/{TEI}p/{TEI}seg[@type='unit']")
    # A place split at a sentence start is two <app>s joined by @next/@prev: one place.
    apps = [app for seg in segs if all(reads(seg, s) for s in sigla) for app in seg.iterfind(f"{TEI}app")
            if app.get("prev") is None]
    # A unit one witness of the pair lacks is one gap (or transposition), however many places it has.
    apps += [seg.find(f"{TEI}app") for seg in segs if not all(reads(seg, s) for s in sigla)]
    assert sum(stats.variants.values()) == len(apps)
    for kind, count in stats.variants.items():
        assert count == sum(1 for app in apps if app.get("type") == kind)
    assert sum(stats.shapes.values()) == sum(stats.confidence) == len(segs)
    # Sentences linked to the other witness, over all of its sentences.
    counts = stats.sentences
    for sigil, share in zip(pair_collation.sigla, (stats.pairs[0].shared_a, stats.pairs[0].shared_b)):
        assert share <= counts[sigil]["collated"] / (counts[sigil]["collated"] + counts[sigil]["set_apart"])


@pytest.mark.parametrize("mode", ["parallel", "standoff"])
def test_stats_from_the_tei_file_equal_stats_in_memory(pair_collation, seed_files, mode):
    direct = collation_stats(pair_collation).as_dict()
    out = run("stats", str(seed_files[mode]), "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == direct
    text = run("stats", str(seed_files[mode])).stdout
    assert text.strip() == format_stats(collation_stats(pair_collation)).strip()
    assert "units by shape" in text and "unit confidence" in text


@pytest.mark.parametrize("command", ["stats", "convert", "html", "evaluate"])
@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    (b"<html><body>hello</body></html>", "x.xml: not a collation written by align"),
    (b"\x00\x01binary", "not well-formed XML"),
])
def test_commands_on_a_file_that_is_not_an_align_tei(tmp_path, command, content, message):
    path = tmp_path / "x.xml"
    if content is not None:
        path.write_bytes(content)
    extra = {"convert": ["--format", "csv", "-o", str(tmp_path / "x.csv")],
             "evaluate": [str(GOLD / "gold_000_001.json")], "html": [], "stats": []}[command]
    out = run(command, str(path), *extra)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert message in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == (["x.xml"] if content is not None else [])
