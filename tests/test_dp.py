"""The bead DP: long renderings, the length model, the band, and transpositions
only where the in-order path cannot explain a link."""

from __future__ import annotations

import numpy as np

import align
from align.sentences import dp
from conftest import seed


def links(c: align.Collation) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    a, b = c.sigla
    return [(u.sentences[a], u.sentences[b]) for u in c.units if u.sentences[a] and u.sentences[b]]


def test_one_long_sentence_rendered_as_four_is_one_link():
    long = ("And unto Enoch was born Irad: and Irad begat Mehujael: and Mehujael begat Methusael: "
            "and Methusael begat Lamech.")
    four = ("Irad was born to Enoch. Irad became the father of Mehujael. Mehujael became the father of "
            "Methushael. Methushael became the father of Lamech.")
    before = "And Cain knew his wife; and she conceived, and bare Enoch."
    before_b = "Cain knew his wife. She conceived, and gave birth to Enoch."
    after = "And Lamech took unto him two wives."
    after_b = "Lamech took two wives."
    c = align.collate([align.witness(f"{before} {long} {after}", "kjv"), align.witness(f"{before_b} {four} {after_b}", "web")])
    assert ((1,), (2, 3, 4, 5)) in links(c)
    assert not c.transpositions


def test_length_model_is_fitted_to_the_texts():
    costs = dp.Costs(0.3, length_weight=0.01)
    close = costs.fitted(np.array([100.0, 200, 50, 80] * 10), np.array([104.0, 195, 52, 79] * 10))
    loose = costs.fitted(np.array([100.0, 200, 50, 80] * 10), np.array([30.0, 400, 150, 20] * 10))
    assert close.variance < dp.LENGTH_VARIANCE < loose.variance
    # With no confident links the prior stands.
    assert costs.fitted(np.zeros(0), np.zeros(0)).variance == dp.LENGTH_VARIANCE
    assert float(loose.deviation(100, 300)) < float(close.deviation(100, 300))


def test_banded_beads_agree_with_the_full_matrices(monkeypatch):
    full = align.collate([seed("000"), seed("001")])
    monkeypatch.setattr(dp, "BAND_CELLS", 100)
    banded = align.collate([seed("000"), seed("001")])
    assert links(banded) == links(full)


def test_pairwise_is_the_diagonal_of_the_matrix():
    from align.scorers import SCORERS

    queries = ["the minister welcomed the guests", "talks will continue", "a b c"]
    choices = ["the minister greeted the guests", "talks continue until friday", "c b a"]
    for name, scorer in SCORERS.items():
        assert np.allclose(scorer.pairwise(queries, choices), np.diag(scorer(queries, choices)), atol=1e-5), name


def test_formulaic_sentences_of_an_in_order_translation_are_not_transpositions():
    # The same formula recurs through the text; the translation keeps the order.
    days = ["first", "second", "third", "fourth", "fifth", "sixth"]
    a, b = [], []
    for n, day in enumerate(days):
        a += [f"And God made the {['light', 'firmament', 'land', 'lights', 'fishes', 'beasts'][n]} on that day.",
              f"And the evening and the morning were the {day} day."]
        b += [f"God made the {['light', 'expanse', 'dry land', 'lamps', 'fish', 'animals'][n]} that day.",
              f"There was evening and there was morning, a {day} day."]
    b[5] = "Evening came and morning came; that was the day."  # a loose rendering of one formula
    c = align.collate([align.witness(" ".join(a), "a"), align.witness(" ".join(b), "b")])
    assert not c.transpositions


def test_numbers_are_written_one_way_for_content_words():
    from align.clean import match_key
    from align.scorers.content import content_words
    from align.scorers.numbers import read as numbers

    assert numbers(["about", "2,500", "people"]) == ["about", "2500", "people"]
    assert numbers(["2.5", "thousand", "people"]) == ["2500", "people"]
    assert numbers(["3,6", "million"]) == ["3600000"]
    assert numbers(["1.5", "km"]) == ["1.5", "km"]
    assert content_words(match_key("there are about 2,500 people")) == content_words(match_key("2.5 thousand people"))


def test_the_band_sees_the_whole_of_a_gap_in_the_coarse_path():
    # The 1-1 path leaves rows 2-4 and columns 2-12 alone: every row of the gap, and
    # the links on either side, may take any column of it (a chain of quotations in
    # one sentence rendered as eight is found only there).
    path = [dp.Bead(0, 1, 0, 1, 0.0), dp.Bead(1, 2, 1, 2, 0.0)]
    path += [dp.Bead(2, 2, j, j + 1, 0.0) for j in range(2, 12)]
    path += [dp.Bead(i, i + 1, 12, 12, 0.0) for i in range(2, 5)]
    path += [dp.Bead(5, 6, 12, 13, 0.0), dp.Bead(6, 7, 13, 14, 0.0)]
    band = dp._band(path, 7, 14, 4)
    assert all(band[i] == (0, 14) for i in range(1, 6))
    assert band[0] == (0, 5) and band[6] == (9, 14)
    # A gap larger than the band's square is crossed on its diagonal.
    far = [dp.Bead(0, 1, 0, 1, 0.0)] + [dp.Bead(i, i + 1, 1, 1, 0.0) for i in range(1, 40)]
    far += [dp.Bead(40, 40, j, j + 1, 0.0) for j in range(1, 40)]
    wide = dp._band(far, 40, 40, 2)
    assert all(hi - lo <= 6 for lo, hi in wide) and wide[20][0] <= 20 < wide[20][1]


def test_a_chain_of_quotations_is_found_when_the_band_is_used(monkeypatch):
    # Romans 3:10-12 (KJV and WEB): one sentence of three quotations and one of two,
    # rendered as five and three; the 1-1 path alone links none of them.
    kjv = [
        "What then? are we better than they?",
        "No, in no wise: for we have before proved both Jews and Gentiles, that they are all under sin; "
        "As it is written, There is none righteous, no, not one: There is none that understandeth, "
        "there is none that seeketh after God.",
        "They are all gone out of the way, they are together become unprofitable; there is none that "
        "doeth good, no, not one.",
        "Now we know that what things soever the law saith, it saith to them who are under the law.",
    ]
    web = [
        "What then?", "Are we better than they?", "No, in no way.",
        "For we previously warned both Jews and Greeks that they are all under sin.",
        "As it is written, There is no one righteous; no, not one.", "There is no one who understands.",
        "There is no one who seeks after God.", "They have all turned away.",
        "They have together become unprofitable.", "There is no one who does good, no, not so much as one.",
        "Now we know that whatever things the law says, it speaks to those who are under the law.",
    ]
    witnesses = [align.witness(" ".join(kjv), "kjv"), align.witness(" ".join(web), "web")]
    full = links(align.collate(witnesses))
    monkeypatch.setattr(dp, "BAND_CELLS", 10)
    monkeypatch.setattr(dp, "BAND", 1)
    assert links(align.collate(witnesses)) == full
    assert ((2,), (7, 8, 9)) in full


def test_a_link_longer_than_the_shapes_is_found_where_skipping_costs():
    # Across languages a sentence left alone costs something, and a link of more
    # sentences than the DP's shapes (one sentence of six quotations rendered as six)
    # cannot be made: the path links three and leaves the rest alone. Around them the
    # DP runs again with long one-sided links, and the whole run is one link.
    from align.scorers import SCORERS

    quotes = ["there is no one righteous", "there is no one who understands", "there is no one who seeks after god",
              "they have all turned away", "they have together become unprofitable", "there is no one who does good"]
    rows = ["what then are we better than they"] + quotes + ["now we know that whatever things the law says"]
    new = [rows[0], " ".join(quotes), rows[-1]]
    costs = dp.Costs(0.1, length_weight=0.03, skip=0.1)
    la = np.array([len(r) for r in rows], dtype=np.float32)
    lb = np.array([len(r) for r in new], dtype=np.float32)
    scorer = SCORERS["blend"]
    cut = [dp.Bead(0, 1, 0, 1, 1.0), dp.Bead(1, 4, 1, 2, 0.5)] + [dp.Bead(i, i + 1, 2, 2, 0.0) for i in range(4, 7)]
    cut.append(dp.Bead(7, 8, 2, 3, 1.0))
    mended = dp.rework_gaps(cut, [rows], new, scorer, costs, [], [], la, lb)
    assert [(b.i0, b.i1, b.j0, b.j1) for b in mended] == [(0, 1, 0, 1), (1, 7, 1, 2), (7, 8, 2, 3)]
    assert sum(map(costs.bead_gain, mended)) > sum(map(costs.bead_gain, cut))
    # Where nothing suggests a longer link (no skip beside a link of the longest
    # shape, no run of skips), the path is left as it is.
    lone = [dp.Bead(0, 1, 0, 1, 1.0), dp.Bead(1, 2, 1, 1, 0.0), dp.Bead(2, 3, 1, 2, 1.0)]
    assert dp.rework_gaps(lone, [rows[:3]], new[:2], scorer, costs, [], [], la[:3], lb[:2]) == lone


def test_the_rest_of_a_sentence_split_after_an_anchor_joins_it(monkeypatch):
    # Long texts are cut at anchors (confident 1-1 links) and the DP runs between
    # them: the second half of a sentence split right after an anchor must still
    # join the anchor's link, as it would join any link of the DP.
    from align.sentences import anchors

    monkeypatch.setattr(anchors, "FULL_DP_CELLS", 1)
    filler = [f"Sentence number {w} talks about the {w} topic at length."
              for w in ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot")]
    a = filler[:3] + ["Gives back the absolute value of the operand given to the function, or its sign."] + filler[3:]
    b = filler[:3] + ["Gives back the absolute value of the operand given to the function.", "Or its sign."] + filler[3:]
    c = align.collate([align.witness(" ".join(a), "a"), align.witness(" ".join(b), "b")])
    assert ((3,), (3, 4)) in c.pair_links("a", "b")


def test_reworked_paths_stay_whole_paths_that_gain_no_less():
    # Any in-order path, reworked around its skips, still covers every sentence of
    # both sides once, in order, and gains at least as much.
    import random

    from align.scorers import SCORERS

    words = "alpha beta gamma delta echo fox golf hotel india juliet kilo lima".split()
    rng = random.Random(3)
    costs = dp.Costs(0.1, length_weight=0.03, skip=0.1)
    for _ in range(200):
        n, m = rng.randint(0, 12), rng.randint(0, 12)
        rows = [" ".join(rng.choices(words, k=rng.randint(1, 6))) for _ in range(n)]
        new = [" ".join(rng.choices(words, k=rng.randint(1, 6))) for _ in range(m)]
        path, i, j = [], 0, 0
        while i < n or j < m:
            shapes = [s for s in ((1, 0), (0, 1)) + dp.SHAPES if i + s[0] <= n and j + s[1] <= m]
            di, dj = rng.choice(shapes)
            path.append(dp.Bead(i, i + di, j, j + dj, rng.random() if di and dj else 0.0))
            i, j = i + di, j + dj
        la = np.array([len(r) for r in rows], dtype=np.float32)
        lb = np.array([len(r) for r in new], dtype=np.float32)
        out = dp.rework_gaps(path, [rows], new, SCORERS["blend"], costs, [], [], la, lb)
        i = j = 0
        for b in out:
            assert (b.i0, b.j0) == (i, j) and b.i1 >= b.i0 and b.j1 >= b.j0
            i, j = b.i1, b.j1
        assert (i, j) == (n, m)
        assert sum(map(costs.bead_gain, out)) >= sum(map(costs.bead_gain, path)) - 1e-6


def test_a_sentence_one_witness_moved_is_no_anchor_for_the_next(monkeypatch):
    # b swaps two sentences; its moved sentence stands in a unit of its own. c
    # keeps a's order but words that sentence as b does: anchored at b's unit, c
    # would follow b's order and lose its link with a's sentence. Anchors are
    # taken only at units most witnesses share, so c/a inside three is c/a alone.
    from align.sentences import anchors

    monkeypatch.setattr(anchors, "FULL_DP_CELLS", 1)
    topics = [f"{x}{y}" for x in ("alpha", "bravo", "charlie", "delta", "echo") for y in ("ton", "ville", "berg", "field")]
    a = [f"The report on {t} describes the {t} method in detail." for t in topics]
    a[10] = "Return a set of all pending tasks for the event loop."
    moved = "Give back a set of every pending task for the event loop."
    b = a[:10] + [a[11], moved] + a[12:]
    c = a[:10] + [moved] + a[11:]
    texts = {"a": " ".join(a), "b": " ".join(b), "c": " ".join(c)}
    three = align.collate([align.witness(texts[s], s) for s in "abc"])
    alone = align.collate([align.witness(texts[s], s) for s in "ac"])
    assert ((10,), (10,)) in alone.pair_links("a", "c")
    assert sorted(three.pair_links("a", "c")) == sorted(alone.pair_links("a", "c"))


def test_a_caption_at_the_outer_end_of_the_first_or_last_link_is_left_alone():
    """A line too short to say anything (a photo caption, a section name) that
    the DP joined to a witness's first or last link for its lengths is taken
    off; inside the links, and where the line says something, nothing changes."""
    from align.sentences import _Group, _trimmed_edges
    from align.sentences.dp import Bead

    groups = [_Group({"a": [i]}) for i in range(4)]
    keys = {"a": ["russia", "the secretary general spoke of the peacekeepers in kazakhstan",
                  "troops will guard strategic facilities and help keep order", "the decision will be published"]}
    new = ["zas explained the peacekeeping operation", "kazakhstan protest",
           "the troops will guard the strategic facilities and keep law and order", "kazakhstan protest"]
    beads = [Bead(0, 2, 0, 2, 0.6, 0.1), Bead(2, 3, 2, 4, 0.5, 0.2), Bead(3, 4, 4, 4, 0.0)]
    out = _trimmed_edges(beads, new, groups, keys, "english")
    links = [(b.i0, b.i1, b.j0, b.j1) for b in out if b.is_link]
    # The first link loses the section name `russia`, the last the caption after it;
    # the caption inside the first link (after its first sentence) stays.
    assert links == [(1, 2, 0, 2), (2, 3, 2, 3)]
    assert [b.score for b in out if b.is_link] == [0.6, 0.5]
    # Still a whole path: every unit and every new sentence once, in order.
    assert [(b.i0, b.i1) for b in out] == [(0, 1), (1, 2), (2, 3), (3, 3), (3, 4)]
    assert sorted(j for b in out for j in range(b.j0, b.j1)) == [0, 1, 2, 3]
    plain = [Bead(0, 2, 0, 2, 0.6), Bead(2, 4, 2, 3, 0.5), Bead(4, 4, 3, 4, 0.0)]
    keys["a"][0] = "the interview was given in moscow"
    keys["a"][3] = "the decision of the council will be published in the media"
    assert _trimmed_edges(plain, new[:2] + new[2:3] + ["a long line that says something of its own"], groups, keys,
                          "english") == plain


def test_a_sentence_left_alone_beside_a_unit_another_witness_merged_joins_it():
    """b rendered a's two sentences as one, so they stand in one unit; c renders them
    apart with a sentence of its own between, and the DP linked only the last of
    them (no shape holds all three against the unit): the first is pulled in, with
    c's own sentence between. A lone sentence that renders nothing there stays alone."""
    from align.scorers import get_scorer
    from align.sentences import _Group, _pulled_in
    from align.sentences.dp import Bead

    keys = {"a": ["the report describes the method in detail", "return a set of all pending tasks for the event loop",
                  "put the dialog away for later use", "the next report follows"],
            "b": ["the report describes the method in detail",
                  "return a set of all pending tasks for the event loop and put the dialog away for later use",
                  "the next report follows"]}
    groups = [_Group({"a": [0], "b": [0]}), _Group({"a": [1, 2], "b": [1]}), _Group({"a": [3], "b": [2]})]
    new = ["the report describes the method in detail", "give back a set of every pending task for the event loop",
           "this was new in version three", "put the dialog away for later use", "the next report follows"]
    beads = [Bead(0, 1, 0, 1, 1.0), Bead(1, 1, 1, 2, 0.0), Bead(1, 1, 2, 3, 0.0), Bead(1, 2, 3, 4, 0.5),
             Bead(2, 3, 4, 5, 1.0)]
    scorer = get_scorer("blend")
    out = _pulled_in(beads, groups, new, [False] * 4, keys, scorer)
    assert [(b.i0, b.i1, b.j0, b.j1) for b in out] == [(0, 1, 0, 1), (1, 2, 1, 4), (2, 3, 4, 5)]
    # A turn between them, or a lone sentence that renders nothing of the unit: no pull.
    assert _pulled_in(beads, groups, new, [False, True, False, False], keys, scorer) == beads
    other = new[:1] + ["the weather was fine that day in the city"] + new[2:]
    assert _pulled_in(beads, groups, other, [False] * 4, keys, scorer) == beads
    # After the link alike: the unit's last sentence rendered after a sentence of c's own.
    after = [Bead(0, 1, 0, 1, 1.0), Bead(1, 2, 1, 2, 0.5), Bead(2, 2, 2, 3, 0.0), Bead(2, 2, 3, 4, 0.0),
             Bead(2, 3, 4, 5, 1.0)]
    swapped = [new[0], new[1], new[2], "put the dialog away for later use by the manager", new[4]]
    out = _pulled_in(after, groups, swapped, [False] * 4, keys, scorer)
    assert [(b.i0, b.i1, b.j0, b.j1) for b in out] == [(0, 1, 0, 1), (1, 2, 1, 4), (2, 3, 4, 5)]


def test_a_merge_across_another_witness_addition_is_linked():
    """b added a sentence of its own between a's two, so it stands in a unit
    between theirs; c renders a's two as one and the DP linked the first only (the
    units' joined key mixed b's addition into a's sentences). Joined as a reads
    them, b's unit passed by, the link of both gains more: the unit after b's is
    rendered beside (a merge). Not where c's sentence renders the first alone, nor
    where the joined link would not be sure."""
    from align.scorers import get_scorer
    from align.sentences import _Group, _merged_across
    from align.sentences.dp import Bead, Costs

    keys = {"a": ["the report describes the method in detail", "decrement the count of cancellation requests of the task",
                  "prepare the string to be used in a quoted string", "the next report follows"],
            "b": ["the report describes the method in detail", "an entirely different remark about network sockets",
                  "the next report follows"]}
    groups = [_Group({"a": [0], "b": [0]}), _Group({"a": [1]}), _Group({"b": [1]}), _Group({"a": [2]}),
              _Group({"a": [3], "b": [2]})]
    new = ["the report describes the method in detail",
           "decrement the count of cancellation requests of the task and prepare the string to be used in a quoted string",
           "the next report follows"]
    beads = [Bead(0, 1, 0, 1, 1.0), Bead(1, 2, 1, 2, 0.6), Bead(2, 3, 2, 2, 0.0), Bead(3, 4, 2, 2, 0.0),
             Bead(4, 5, 2, 3, 1.0)]
    scorer, costs = get_scorer("blend"), Costs(0.35, 0.0, 0.01)
    assert _merged_across(beads, groups, new, keys, scorer, costs) == {1: [3]}
    # The other way round: c's sentence linked to a's second, the first passed by before it.
    before = [Bead(0, 1, 0, 1, 1.0), Bead(1, 2, 1, 1, 0.0), Bead(2, 3, 1, 1, 0.0), Bead(3, 4, 1, 2, 0.6),
              Bead(4, 5, 2, 3, 1.0)]
    assert _merged_across(before, groups, new, keys, scorer, costs) == {3: [1]}
    # c renders the first alone: nothing beside.
    one = new[:1] + ["decrement the count of cancellation requests of the task"] + new[2:]
    assert _merged_across(beads, groups, one, keys, scorer, costs) == {}
