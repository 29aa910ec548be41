"""Pathological sizes in the collation stages (issue 13): what was quadratic is
linear, and gives the same answers where the input is of a normal size.

No absolute times here (benchmarks/pathological.py prints those): linearity is
checked as the ratio of the times of n and 4n, with a wide margin."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

import align
from align import words
from align.clean import tokenize
from align.model import Transposition, Unit
from align.scorers import SCORERS
from align.scorers.base import BLOCK, LONG, blockwise
from align.sentences import transpositions
from align.tei import witness_text
from conftest import seed


_conflict = words._conflict  # the overlap rule itself; the reference merge below is the old loop


def _spans_reference(all_regions):
    """The former quadratic merge, as the specification."""
    spans = []
    for s, e in sorted({(r[0], r[1]) for regions in all_regions for r in regions}):
        current = (s, e)
        while True:
            hit = next((x for x in spans if _conflict(x, current)), None)
            if hit is None:
                break
            spans.remove(hit)
            current = (min(hit[0], current[0]), max(hit[1], current[1]))
        spans.append(current)
    return sorted(spans, key=lambda se: (se[0], se[1] != se[0], se[1]))


def test_spans_merge_as_before():
    rng = random.Random(0)
    for _ in range(3000):
        n = rng.randint(1, 30)
        regions = [[(s, min(n, s + rng.choice([0, 0, 1, 2, 3, 5])), 0, 0) for s in
                    (rng.randint(0, n) for _ in range(rng.randint(0, 8)))] for _ in range(rng.randint(1, 4))]
        assert words._spans(regions) == _spans_reference(regions), regions


def _check_script(a, b, ops):
    """A valid edit script: contiguous, covering both sides, equal where it says so."""
    i = j = 0
    same = 0
    for tag, i1, i2, j1, j2 in ops:
        assert (i1, j1) == (i, j)
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
            same += i2 - i1
        elif tag == "insert":
            assert i1 == i2 and j2 > j1
        elif tag == "delete":
            assert j1 == j2 and i2 > i1
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))
    return same


def _edited(rng, voc, n):
    a = [str(rng.randrange(voc)) for _ in range(n)]
    b = list(a)
    for _ in range(rng.randint(0, 12)):
        p, r = rng.randint(0, len(b)), rng.random()
        if r < 0.3:
            b[p:p] = [str(rng.randrange(voc)) for _ in range(rng.randint(1, 30))]
        elif r < 0.6:
            del b[p : p + rng.randint(1, 30)]
        else:
            b[p : p + 1] = ["x"]
    return a, b


def test_opcodes_of_a_normal_unit_are_rapidfuzz_s():
    rng = random.Random(1)
    for _ in range(200):
        a, b = _edited(rng, 50, rng.randint(0, 200))
        expected = [(o.tag, o.src_start, o.src_end, o.dest_start, o.dest_end) for o in Levenshtein.opcodes(a, b)]
        assert words.opcodes(a, b) == expected


def test_opcodes_of_a_long_unit_are_cut_into_valid_pieces(monkeypatch):
    # Tiny limits: every path (anchors of words and of runs, the window) is taken on small input.
    monkeypatch.setattr(words, "OPCODE_CELLS", 400)
    monkeypatch.setattr(words, "WINDOW", 15)
    rng = random.Random(2)
    found = best = 0
    for _ in range(1500):
        a, b = _edited(rng, rng.choice([3, 10, 50, 1000]), rng.randint(0, 150))
        found += _check_script(a, b, words.opcodes(a, b))
        best += Indel.similarity(a, b) // 2  # the longest common subsequence
    assert found >= 0.85 * best


def _long_unit(n: int, monkeypatch) -> int:
    """Collate one unit of ``n`` words against a copy with every third word
    changed; the largest matrix rapidfuzz was asked to fill (rows x columns)."""
    rng = random.Random(n)
    pool = [w.lower() for w in seed("000").read_text(encoding="utf-8").split() if w.isalpha()]
    a = [rng.choice(pool) for _ in range(n)]
    b = [w if k % 3 else w + "zq" for k, w in enumerate(a)]
    base, other = tokenize(" ".join(a)), tokenize(" ".join(b))
    sizes = [0]
    real = words.Levenshtein.opcodes

    def counted(x, y, *args, **kwargs):
        sizes.append(len(x) * len(y))
        return real(x, y, *args, **kwargs)

    monkeypatch.setattr(words.Levenshtein, "opcodes", counted)
    regions, _, _ = words._regions(base, other, 0.7)
    spans = words._spans([regions])
    assert len(spans) == n // 3 + (n % 3 > 0)  # every third word a place of its own
    return max(sizes)


def test_word_collation_of_a_long_unit_fills_no_quadratic_matrix(monkeypatch):
    # A 24,000-word unit: the full matrix would be 576 million cells; the work
    # is cut where the witnesses agree, so no call is larger than for a short one.
    assert _long_unit(24_000, monkeypatch) <= words.OPCODE_CELLS


def test_blockwise_is_the_score_itself_below_the_limit_and_close_above():
    assert blockwise(fuzz.ratio, "abc" * 10, "abd" * 10) == fuzz.ratio("abc" * 10, "abd" * 10)
    rng = random.Random(3)
    a = "".join(rng.choice("abcdefgh ") for _ in range(3 * LONG))
    b = "".join(c if k % 7 else "z" for k, c in enumerate(a))
    estimate, exact = blockwise(fuzz.ratio, a, b), fuzz.ratio(a, b)
    assert estimate <= exact + 1e-6 and estimate >= exact - 2
    assert BLOCK < LONG


def test_long_sentences_are_scored_in_blocks_like_short_ones():
    rng = random.Random(4)
    long_a = " ".join(rng.choice(["alpha", "beta", "gamma", "delta"]) for _ in range(3000))
    long_b = long_a.replace("beta", "bet")
    for name in ("ratio", "words", "blend"):
        scorer = SCORERS[name]
        matrix = scorer([long_a, "alpha beta"], [long_b, "alpha beta", ""])
        assert matrix.shape == (2, 3)
        assert 0.6 < matrix[0, 0] <= 1.0 and matrix[1, 1] == pytest.approx(1.0)
        assert scorer.pairwise([long_a, "alpha"], [long_b, "alpha"])[0] == pytest.approx(matrix[0, 0])


def test_shared_sentences_answers_are_the_callers_own():
    unit = Unit(n=1, kind="sentence", sentences={"A": (0,), "B": (0,)}, confidence=1.0)
    first = transpositions.shared_sentences([unit])
    first["A"].add(99)
    assert transpositions.shared_sentences([unit]) == {"A": {0}, "B": {0}}


def test_unit_type_follows_the_transpositions_asked_about():
    unit = Unit(n=1, kind="sentence", sentences={"A": (3,), "B": ()}, confidence=1.0)
    moved = (Transposition(1, {"A": (3,), "B": (0,)}, 0.9),)
    assert words.unit_type(unit, moved) == "transposition"
    assert words.unit_type(unit, ()) == "gap"
    changing = list(moved)
    assert words.unit_type(unit, changing) == "transposition"
    changing.clear()
    assert words.unit_type(unit, changing) == "gap"


@pytest.fixture(scope="module")
def shuffled():
    """More witnesses than MANY_WITNESSES, each seed 000's sentences shuffled."""
    from align.sentences import MANY_WITNESSES

    sentences = [s.text for s in align.segment(align.load(seed("000"))[0]).sentences][:40]
    out = []
    for i in range(MANY_WITNESSES + 3):
        order = list(sentences)
        random.Random(i).shuffle(order)
        out.append(align.witness("\n".join(order), f"w{i}"))
    return align.collate(out), out


def test_many_shuffled_witnesses_collate_and_read_back(shuffled, tei_schema):
    from conftest import assert_valid

    collation, witnesses = shuffled
    tree = assert_valid(tei_schema, align.to_tei(collation))
    for w in witnesses:
        assert " ".join(witness_text(tree, w.sigil).split()) == " ".join(w.text.split())
    # Every witness is linked with the others (the same sentences in another order).
    for w in witnesses:
        assert any(len(u.witnesses_present()) > 1 for u in collation.units if u.sentences[w.sigil])
