"""Numbers compared by value (align.scorers.numbers), as the cross-language scorer compares them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from align.clean import match_key
from align.scorers.crosslang import CrossLanguage
from align.scorers.numbers import NUMBER_BONUS, NUMBER_PENALTY, read, terms, value, values


@pytest.mark.parametrize("text,expected", [
    ("there are about 2,500 people", {2500}),
    ("2.5 thousand people", {2500}),
    ("около 2,5 тыс. человек", {2500}),
    ("unos 2.500 soldados", {2500}),
    ("3,6 Tausend Soldaten", {3600}),
    ("1.5 million", {1_500_000}),
    ("1,000,000 and 12", {1_000_000, 12}),
    ("at 12:30 on 6 January 2022", {12, 30, 6, 2022}),
    ("version 3.6.1 of v2", {2}),  # digits inside a word count; 3.6.1 is no number
    ("no numbers here", set()),
])
def test_values(text: str, expected: set[float]) -> None:
    assert values(match_key(text)) == frozenset(float(v) for v in expected)


@pytest.mark.parametrize("word,expected", [
    ("2,500", 2500), ("2.500", 2500), ("2500", 2500), ("2.5", 2.5), ("2,5", 2.5), ("1,000.5", 1000.5),
    ("1.000,5", 1000.5), ("1,000,000", 1e6), ("1,000,5", None), ("3.6.1", None), ("v2", None), ("", None),
    ("9" * 400, None),  # beyond any float: a word (it raised OverflowError in content words)
    ("0.500", 0.5), ("0,500", 0.5), ("0", 0), ("05", 5),  # nobody groups thousands after a lone 0
])
def test_value_of_a_word(word: str, expected) -> None:
    assert value(word) == expected


def test_read_writes_each_number_one_way() -> None:
    # What content words read (align.scorers.content): one spelling per value.
    assert read(["about", "2,500", "people"]) == ["about", "2500", "people"]
    assert read(["2.5", "thousand", "people"]) == ["2500", "people"]
    assert read(["2,5", "тыс", "человек"]) == ["2500", "человек"]
    assert read(["1.5", "km", "thousand"]) == ["1.5", "km", "thousand"]
    # Distinct values stay distinct words (six significant digits merged these).
    assert read(["123456.7"]) == ["123456.7"] and read(["1234567.5"]) != read(["1234571.2"])


@pytest.mark.parametrize("a,b", [
    ("a 2,500-strong force", "una fuerza de 2.500 efectivos"),
    ("the 5km race", "la carrera de 5 km"),
    ("in the 1990s", "en los años 1990"),
    ("in 1914-1918", "en 1914-1918"),
])
def test_numbers_inside_words_are_found(a: str, b: str) -> None:
    # Keys keep hyphens and letters attached to digits; the cross-language scorer
    # found these numbers before values were read word by word.
    assert values(match_key(a)) == values(match_key(b)) != frozenset()
    assert terms([match_key(a)], [match_key(b)])[0, 0] == pytest.approx(NUMBER_BONUS)


def test_terms_reward_shared_and_penalise_unshared_numbers() -> None:
    queries = [match_key(t) for t in ("about 2,500 people", "nothing to count", "1 and 2")]
    choices = [match_key(t) for t in ("2.5 thousand people", "no count", "2 and 3", "")]
    matrix = terms(queries, choices)
    assert matrix.shape == (3, 4) and matrix.dtype == np.float32
    assert matrix[0, 0] == pytest.approx(NUMBER_BONUS)          # the same number, spelt two ways
    assert matrix[0, 1] == pytest.approx(-NUMBER_PENALTY)       # one side has a number
    assert matrix[1, 1] == 0.0                                  # neither has any
    assert matrix[2, 2] == pytest.approx(NUMBER_BONUS / 3 - NUMBER_PENALTY)  # 2 shared, 1 and 3 not
    assert np.allclose(terms(queries, choices[:3], pairwise=True), np.diag(matrix[:, :3]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="0123456789., thousandmilonтыс", max_size=30), min_size=1, max_size=6),
       st.lists(st.text(alphabet="0123456789., thousandmilonтыс", max_size=30), min_size=1, max_size=6))
def test_pairwise_is_the_diagonal_and_terms_are_bounded(a: list[str], b: list[str]) -> None:
    n = min(len(a), len(b))
    matrix = terms(a, b)
    assert np.all(matrix <= NUMBER_BONUS + 1e-6) and np.all(matrix >= -NUMBER_PENALTY - 1e-6)
    assert np.allclose(terms(a[:n], b[:n], pairwise=True), np.diag(matrix[:n, :n]))


def test_across_languages_a_number_is_its_value() -> None:
    scorer = CrossLanguage()
    ru, en, other = (match_key(t) for t in (
        "Сейчас там около 2,5 тыс. человек.", "There are about 2,500 people now.", "There are about 2.5 people now."))
    scores = scorer([ru], [en, other])[0]
    # Read as characters ("2.5" and "2.500") the wrong one shared the number.
    assert scores[0] > scores[1]
    assert np.allclose(scorer.pairwise([ru, ru], [en, other]), scores)


def test_a_number_beyond_floats_is_a_word_end_to_end() -> None:
    import align

    huge = "9" * 300  # a float, but not once multiplied by a scale word
    text = f"The code is {'9' * 400} and it works. It costs {huge} billion now. A third sentence follows here."
    collation = align.collate([align.witness(text, "a"), align.witness(text.replace("works", "runs"), "b")])
    assert len(collation.pair_links("a", "b")) == 3
    assert read([huge, "billion"]) == [str(int(float(huge))), "billion"]
