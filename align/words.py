"""Word collation: inside each unit, align the witnesses' tokens and mark every difference.

The first witness present in a unit is its base. Each other witness is aligned
to the base with rapidfuzz's Levenshtein opcodes over the tokens' matching
forms (``difflib``'s vocabulary: equal, replace, insert, delete). A non-equal
region is refined so that near matches (``Zhomart``/``Jomart``) stand against
each other as variants of one word. The differing regions of all witnesses are
then merged, in base coordinates, into places of variation (:class:`App`);
what lies between them is shared by every witness (:class:`Text`), unless the
witnesses spell the same word differently, which is a one-word :class:`App`.

Variant types (``App.type``) form a small taxonomy scholars know; see
:data:`VARIANT_TYPES`.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

import re
import unicodedata
from typing import Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .chain import increasing
from .clean import is_punctuation, tokenize
from .model import App, Piece, Reading, Segmentation, Settings, Text, Token, Transposition, Unit

VARIANT_TYPES: dict[str, str] = {
    "orthographic": "the same words spelled, transliterated, hyphenated, contracted or abbreviated differently "
                    "(Zhomart/Jomart, realise/realize, Secretary General/secretary-general, It is/It's, CPF)",
    "case": "the same words in different letter case",
    "punctuation": "the same words with different punctuation",
    "morphological": "another grammatical form of the same word: number, possessive, tense, person "
                     "(right/rights, decide/decided, is/are)",
    "lexical": "different words",
    "transposition": "the same words in another order",
    "gap": "text present in some witnesses and absent in others",
    "merge": "a sentence that some witnesses render within a neighbouring one (a translator joined two "
             "sentences that the others keep apart): not left out, said beside",
    "editorial": "bracketed editorial insertions such as [member], [...] or (last)",
    "speaker": "speaker labels written in different styles (Sputnik: / a dash): the dialogue's structure, "
               "not a variant of its words",
    "language": "what the witnesses in one language say where those in another language say it in theirs "
                "(a source and its translations: words are compared within a language only)",
}

_SPACE = re.compile(r"\s+")


def surface(tokens: Sequence[Token], source: str) -> str:
    """What the witness says across these tokens, whitespace collapsed."""
    if not tokens:
        return ""
    return _SPACE.sub(" ", source[tokens[0].start : tokens[-1].end])


def _similar(a: str, b: str, threshold: float) -> bool:
    if is_punctuation(a) or is_punctuation(b):
        return a == b
    if len(a) <= LONG_TOKEN and len(b) <= LONG_TOKEN:
        return fuzz.ratio(a, b) >= threshold * 100
    # A token of thousands of characters (no real word is) is compared block by
    # block (imported here: the scorers bring NumPy, which reading TEI needs not).
    from .scorers.base import blockwise

    return blockwise(fuzz.ratio, a, b) >= threshold * 100


# As align.scorers.base.LONG: below it, blockwise() is the plain score.
LONG_TOKEN = 5_000


def _refine(base: Sequence[Token], other: Sequence[Token], i0: int, j0: int, threshold: float):
    """Split a differing region at near matches: returns sub-regions (i1, i2, j1, j2)
    in absolute token positions, with the near-matched pairs as 1:1 regions."""
    n, m = len(base), len(other)
    if n == 0 or m == 0 or n * m > 2500:
        return [(i0, i0 + n, j0, j0 + m)]
    # Longest chain of near matches (an LCS over similarity), small by construction.
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            match = best[i + 1][j + 1] + 1 if _similar(base[i].norm, other[j].norm, threshold) else 0
            best[i][j] = max(match, best[i + 1][j], best[i][j + 1])
    anchors = []
    i = j = 0
    while i < n and j < m:
        if _similar(base[i].norm, other[j].norm, threshold) and best[i][j] == best[i + 1][j + 1] + 1:
            anchors.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    regions = []
    pi = pj = 0
    for ai, aj in anchors + [(n, m)]:
        if ai > pi or aj > pj:
            regions.append((i0 + pi, i0 + ai, j0 + pj, j0 + aj))
        if ai < n:
            regions.append((i0 + ai, i0 + ai + 1, j0 + aj, j0 + aj + 1))
        pi, pj = ai + 1, aj + 1
    return regions


# Above this many token pairs (a unit of some 2,000 words a side) the edit
# script is not computed over the whole unit at once: rapidfuzz's opcodes take
# time and memory with the product of the lengths (a 200,000-word unit would
# need gigabytes). The unit is cut at shared words instead (see :func:`opcodes`).
OPCODE_CELLS = 4_000_000
# Cut points are looked for this many times, alternately with single words and
# with runs of this many words, before the window of last resort.
ANCHOR_ROUNDS = 4
ANCHOR_RUN = 3
# The window of last resort: this many tokens a side at a time.
WINDOW = 1500

Op = tuple[str, int, int, int, int]


def opcodes(a: Sequence[str], b: Sequence[str]) -> list[Op]:
    """The edit script of ``b`` against ``a`` as (tag, i1, i2, j1, j2), in
    ``difflib``'s vocabulary: rapidfuzz's Levenshtein opcodes where the unit is
    of a normal size. A longer unit is cut first where both sides agree
    (patience diff: a common start and end, then words, or runs of words, that
    occur once on each side, in the same order), and each piece between the
    cuts gets its own script; a piece that is still long and has no such word
    is aligned through a sliding window. Time and memory then grow with the
    unit, not with its square."""
    if len(a) * len(b) <= OPCODE_CELLS:
        return [(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end) for op in Levenshtein.opcodes(a, b)]
    out: list[Op] = []
    _cut(a, b, 0, len(a), 0, len(b), 0, out)
    return out


def _equal(out: list[Op], i1: int, i2: int, j1: int, j2: int) -> None:
    if i2 > i1:
        out.append(("equal", i1, i2, j1, j2))


def _plain_ops(a: Sequence[str], b: Sequence[str], i0: int, i1: int, j0: int, j1: int, out: list[Op]) -> None:
    if i1 == i0 and j1 == j0:
        return
    if i1 == i0 or j1 == j0:
        out.append(("insert" if i1 == i0 else "delete", i0, i1, j0, j1))
        return
    for op in Levenshtein.opcodes(a[i0:i1], b[j0:j1]):
        out.append((op.tag, op.src_start + i0, op.src_end + i0, op.dest_start + j0, op.dest_end + j0))


def _cut(a: Sequence[str], b: Sequence[str], i0: int, i1: int, j0: int, j1: int, depth: int, out: list[Op]) -> None:
    # The common start and end first.
    start = i0
    while i0 < i1 and j0 < j1 and a[i0] == b[j0]:
        i0, j0 = i0 + 1, j0 + 1
    _equal(out, start, i0, j0 - (i0 - start), j0)
    end = 0
    while i1 - end > i0 and j1 - end > j0 and a[i1 - end - 1] == b[j1 - end - 1]:
        end += 1
    i1, j1 = i1 - end, j1 - end
    if (i1 - i0) * (j1 - j0) <= OPCODE_CELLS:
        _plain_ops(a, b, i0, i1, j0, j1, out)
    elif depth < ANCHOR_ROUNDS and (anchors := _unique_runs(a, b, i0, i1, j0, j1, 1 if depth % 2 == 0 else ANCHOR_RUN)):
        pi, pj = i0, j0
        for ai, aj, k in anchors:
            _cut(a, b, pi, ai, pj, aj, depth + 1, out)
            _equal(out, ai, ai + k, aj, aj + k)
            pi, pj = ai + k, aj + k
        _cut(a, b, pi, i1, pj, j1, depth + 1, out)
    else:
        _window(a, b, i0, i1, j0, j1, out)
    if end:
        _equal(out, i1, i1 + end, j1, j1 + end)


def _unique_runs(a: Sequence[str], b: Sequence[str], i0: int, i1: int, j0: int, j1: int, k: int) -> list[tuple[int, int, int]]:
    """Runs of ``k`` tokens that occur once in a[i0:i1] and once in b[j0:j1],
    the longest chain of them in the same order on both sides, none overlapping:
    (i, j, k) each."""
    def once(seq: Sequence[str], lo: int, hi: int) -> dict[tuple[str, ...], int]:
        seen: dict[tuple[str, ...], int] = {}
        for p in range(lo, hi - k + 1):
            run = tuple(seq[p : p + k])
            seen[run] = -1 if run in seen else p
        return seen

    in_a, in_b = once(a, i0, i1), once(b, j0, j1)
    pairs = sorted((p, q) for run, p in in_a.items() if p >= 0 and (q := in_b.get(run, -1)) >= 0)
    out: list[tuple[int, int, int]] = []
    for p, q in increasing(pairs):
        if not out or (p >= out[-1][0] + k and q >= out[-1][1] + k):
            out.append((p, q, k))
    return out


def _window(a: Sequence[str], b: Sequence[str], i0: int, i1: int, j0: int, j1: int, out: list[Op]) -> None:
    """A long piece with no word to cut at: aligned a window at a time, keeping
    the script up to the last agreement in the window's first half."""
    i, j = i0, j0
    while (i1 - i) * (j1 - j) > OPCODE_CELLS:
        wi, wj = min(WINDOW, i1 - i), min(WINDOW, j1 - j)
        ops = [(op.tag, op.src_start + i, op.src_end + i, op.dest_start + j, op.dest_end + j)
               for op in Levenshtein.opcodes(a[i : i + wi], b[j : j + wj])]
        keep = 0
        for n, (tag, _, e1, _, e2) in enumerate(ops):
            if e1 > i + wi // 2 or e2 > j + wj // 2:
                break
            if tag == "equal":
                keep = n + 1
        if keep:
            out.extend(ops[:keep])
            i, j = ops[keep - 1][2], ops[keep - 1][4]
        else:
            # Nothing agrees early in the window: the side that is further
            # behind (by its share of the piece) moves on by half a window.
            step_i, step_j = max(wi // 2, 1), max(wj // 2, 1)
            if (i - i0 + step_i) / (i1 - i0) <= (j - j0 + step_j) / (j1 - j0):
                out.append(("delete", i, i + step_i, j, j))
                i += step_i
            else:
                out.append(("insert", i, i, j, j + step_j))
                j += step_j
    _plain_ops(a, b, i, i1, j, j1, out)


def _regions(base: Sequence[Token], other: Sequence[Token], threshold: float):
    """Differing regions of ``other`` against ``base`` and its cut points.

    Returns (regions, lo, hi): regions are (i1, i2, j1, j2); ``lo[k]:hi[k]`` are
    the tokens ``other`` inserts before base token k (``lo == hi`` elsewhere)."""
    n = len(base)
    lo = [0] * n + [len(other)]
    hi = [0] * n + [len(other)]
    regions = []
    ops = opcodes([t.norm for t in base], [t.norm for t in other])
    # Merge consecutive non-equal opcodes into one region first.
    merged: list[list[int]] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            for k in range(i2 - i1):
                lo[i1 + k] = hi[i1 + k] = j1 + k
            continue
        if merged and merged[-1][1] == i1 and merged[-1][3] == j1:
            merged[-1][1], merged[-1][3] = i2, j2
        else:
            merged.append([i1, i2, j1, j2])
    inserted = set()
    for i1, i2, j1, j2 in merged:
        for r in _refine(base[i1:i2], other[j1:j2], i1, j1, threshold):
            ri1, ri2, rj1, rj2 = r
            if ri1 == ri2:
                lo[ri1], hi[ri1] = rj1, rj2
                inserted.add(ri1)
            else:
                # After an insertion at the same place, the region starts where it ends.
                hi[ri1] = rj1
                if ri1 not in inserted:
                    lo[ri1] = rj1
            regions.append(r)
    # Only near-match 1:1 regions of equal text would be spurious; drop them.
    regions = [r for r in regions if not (r[1] - r[0] == 1 and r[3] - r[2] == 1 and base[r[0]].norm == other[r[2]].norm)]
    return regions, lo, hi


def _conflict(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two places overlap (an insertion point only inside, not at the edge)."""
    (s1, e1), (s2, e2) = a, b
    if s1 == e1 and s2 == e2:
        return s1 == s2
    if s1 == e1:
        return s2 < s1 < e2
    if s2 == e2:
        return s1 < s2 < e1
    return s1 < e2 and s2 < e1


def _spans(all_regions: Sequence[Sequence[tuple[int, int, int, int]]]) -> list[tuple[int, int]]:
    """Merge every witness's regions into places of variation, in base coordinates.

    Places that conflict (see :func:`_conflict`) become one, until none do: the
    overlapping ranges are merged in one sweep, and an insertion point goes into
    the range that holds it inside (a range's inside is the union of the insides
    of the ranges it was merged from, so the order of merging does not matter).
    Linear after sorting, however many regions a long unit has."""
    ranges: list[list[int]] = []
    points: set[int] = set()
    for s, e in sorted({(r[0], r[1]) for regions in all_regions for r in regions}):
        if s == e:
            points.add(s)
        elif ranges and s < ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], e)
        else:
            ranges.append([s, e])
    spans = [(s, e) for s, e in ranges]
    starts = [s for s, _ in spans]
    for p in points:
        k = bisect_right(starts, p) - 1
        if k < 0 or not spans[k][0] < p < spans[k][1]:
            spans.append((p, p))
    return sorted(spans, key=lambda se: (se[0], se[1] != se[0], se[1]))


# --- Variant types -----------------------------------------------------------
#
# A place is typed by the most substantive difference between any two of its
# readings (``_RANK``: a lexical difference outweighs a gap, which outweighs an
# inflection, a spelling, letter case, punctuation). Words are compared after
# undoing what only changes how a word is written (contractions, hyphens,
# diacritics, transliteration, British/American spelling), never after undoing
# what changes the word (another base, another grammatical form).

# Weakest first; a place takes the strongest type of its pairs of readings.
_RANK = ("punctuation", "case", "orthographic", "morphological", "gap", "transposition", "lexical")

# Contractions written out: "It's" is "It is" (orthographic), but "can't" is
# "can not" and "won't" "will not": different bases, different words. A final
# "'s" is "is" only after these words; elsewhere it is a possessive (a form).
_CONTRACTED = {"can't": ["can", "not"], "cannot": ["can", "not"], "won't": ["will", "not"],
               "shan't": ["shall", "not"], "ain't": ["am", "not"], "let's": ["let", "us"]}
_CLITICS = (("n't", ["not"]), ("'re", ["are"]), ("'ve", ["have"]), ("'ll", ["will"]), ("'m", ["am"]), ("'d", ["would"]))
_S_IS = frozenset("it that what there here he she who where how".split())

# Function words: closed classes where a one-letter difference is another word
# (these/those, then/than), never a spelling.
_FUNCTION = frozenset("""a an the this that these those then than there their they them he she it its we us our you
your his her who whom whose which what when where why how and or but nor if as at by for from in into of off on onto
out over to up with is are was were be been am do does did has have had not no so such all any some one""".split())

# Irregular forms of common words: another form of the same word (is/are).
_IRREGULAR = [set(g.split()) for g in """be am is are was were been being|have has had having|do does did done doing
go goes went gone|say says said|make makes made|take takes took taken|give gives gave given|come comes came
know knows knew known|see sees saw seen|get gets got gotten|find finds found|think thinks thought|tell tells told
become becomes became|leave leaves left|bring brings brought|begin begins began begun|keep keeps kept
hold holds held|stand stands stood|man men|woman women|child children|person people|this these|that those""".split("|")]

_DIACRITIC = re.compile(r"[\u0300-\u036f]")


@lru_cache(maxsize=1 << 16)
def _plain(word: str) -> str:
    """Case folded, diacritics dropped, typographic apostrophes unified."""
    return _DIACRITIC.sub("", unicodedata.normalize("NFKD", word)).casefold().replace("’", "'")


@lru_cache(maxsize=1 << 16)
def _expand(word: str) -> tuple[str, ...]:
    """A word as the words it stands for: contractions written out (the
    witness's own letters kept where nothing is expanded)."""
    w = _plain(word)
    if w in _CONTRACTED:
        return tuple(_CONTRACTED[w])
    for clitic, full in _CLITICS:
        if w.endswith(clitic) and len(w) > len(clitic):
            return (word[: -len(clitic)], *full)
    if w.endswith("'s") and w[:-2] in _S_IS:
        return (word[:-2], "is")
    return (word,)


@lru_cache(maxsize=1 << 16)
def _skeleton(word: str) -> str:
    """What is left of a word when spelling conventions are undone: hyphens and
    apostrophes, transliterations of Russian letters (Zhomart/Jomart,
    Vasilievich/Vasilyevich, Tokayev/Tokaev), British/American spellings
    (realise/realize, colour/color, centre/center, travelled/traveled)."""
    w = _plain(word).replace("-", "").replace("'", "")
    w = w.replace("zh", "j").replace("kh", "h").replace("y", "i").replace("ie", "e")
    w = w.replace("iz", "is").replace("ll", "l").replace("ae", "e").replace("ogue", "og").replace("ence", "ense")
    if len(w) >= 6 and w.endswith("our"):
        w = w[:-3] + "or"
    if len(w) >= 5 and w.endswith("re") and w[-3] not in "aeiou":
        w = w[:-2] + "er"
    return w


def _lemmas(word: str) -> set[str]:
    """Possible bases of a word with its inflection undone (plural, possessive,
    3rd person -s, -ed, -ing), as skeletons. No derivation: differ/different,
    assist/assistance are different words. A base keeps three letters at least
    (thing is not "the" + -ing)."""
    w = _plain(word)
    out = {w}
    if w.endswith("'s") or w.endswith("s'"):
        out.add(w[:-2] if w.endswith("'s") else w[:-1])
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if w.endswith(suffix) and not w.endswith("ss") and len(w) - len(suffix) >= 3:
            stem = w[: -len(suffix)] + repl
            out.add(stem)
            if suffix in ("ed", "ing") and not repl and stem[-1] == stem[-2]:
                out.add(stem[:-1])  # stopped -> stop, running -> run
    return {_skeleton(x) for x in out}


def inflection(a: str, b: str) -> bool:
    """Whether two different words are forms of one word (right/rights, decide/decided,
    force/Forces, Kazakhstan/Kazakhstan's, is/are)."""
    if _skeleton(a) == _skeleton(b):
        return False
    if any(_plain(a) in g and _plain(b) in g for g in _IRREGULAR):
        return True  # is/are, has/had
    return bool(_lemmas(a) & _lemmas(b))


def spelling_variant(a: str, b: str) -> bool:
    """Whether two words are spellings of one word: the same once spelling
    conventions are undone (see :func:`_skeleton`); for names (capitalised,
    where transliterations differ most), also one edit apart in a long enough
    word. Never two forms of a word (right/rights) nor two function words."""
    if _plain(a) == _plain(b):
        return True
    if inflection(a, b):
        return False
    sa, sb = _skeleton(a), _skeleton(b)
    if sa == sb:
        return True
    if _plain(a) in _FUNCTION or _plain(b) in _FUNCTION:
        return False
    names = a[:1].isupper() and b[:1].isupper()
    edits = 1 if max(len(sa), len(sb)) < 9 else 2
    return names and min(len(sa), len(sb)) >= 5 and Levenshtein.distance(sa, sb, score_cutoff=edits) <= edits


def _acronym(short: Sequence[str], long: Sequence[str]) -> bool:
    """``CPF`` for ``Collective Peacekeeping Forces``: the initials of the long
    form's words (function words skipped)."""
    if len(short) != 1 or len(long) < 2:
        return False
    word = short[0]
    if len(word) < 2 or not word.isalpha() or not word.isupper():
        return False
    initials = "".join(w[0] for w in long if _plain(w) not in _FUNCTION)
    return initials.upper() == word


@lru_cache(maxsize=1 << 16)
def _word_pair(a: str, b: str) -> str:
    if a == b:
        return "punctuation"
    if _plain(a) == _plain(b):
        return "case" if a.casefold() == b.casefold() else "orthographic"
    if inflection(a, b):
        return "morphological"
    if spelling_variant(a, b):
        return "orthographic"
    return "lexical"


def _subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    it = iter(long)
    return all(any(x == y for y in it) for x in short)


def _pair(a: Sequence[Token], b: Sequence[Token]) -> str:
    """The type of the difference between two readings that both have words."""
    if [t.norm for t in a] == [t.norm for t in b]:
        ta, tb = [t.text for t in a], [t.text for t in b]
        if ta == tb:
            return "punctuation"  # the same words, spaced differently around punctuation
        return "case" if [w.casefold() for w in ta] == [w.casefold() for w in tb] else "orthographic"
    # Contractions written out (It's / It is), compared as plain words.
    ea = [w for t in a for w in _expand(t.text)]
    eb = [w for t in b for w in _expand(t.text)]
    pa, pb = [_plain(w) for w in ea], [_plain(w) for w in eb]
    if pa == pb:
        return "orthographic"
    if sorted(pa) == sorted(pb):
        return "transposition"
    # What differs, once the words both share at either end are set aside.
    start = 0
    while start < min(len(pa), len(pb)) and pa[start] == pb[start]:
        start += 1
    end = 0
    while end < min(len(pa), len(pb)) - start and pa[-1 - end] == pb[-1 - end]:
        end += 1
    ma, mb = ea[start : len(ea) - end], eb[start : len(eb) - end]
    qa, qb = pa[start : len(pa) - end], pb[start : len(pb) - end]
    if not qa or not qb or _subsequence(qa, qb) or _subsequence(qb, qa):
        return "gap"  # one reading is the other with words left out
    if len(ma) == len(mb):
        return max((_word_pair(x, y) for x, y in zip(ma, mb)), key=_RANK.index)
    # Hyphenation and compounds (Secretary General / secretary-general), acronyms (CPF).
    if "".join(map(_skeleton, ma)) == "".join(map(_skeleton, mb)) or _acronym(ma, mb) or _acronym(mb, ma):
        return "orthographic"
    return "lexical"


def _bracketed(token: Token) -> bool:
    return token.text.startswith("[") and token.text.endswith("]")


def _unbracketed(reading: Sequence[Token]) -> list[str]:
    """A reading's words with editorial brackets of either style taken away:
    ``[last]``, ``(last)`` and ``last`` are the same word."""
    out = []
    for t in reading:
        if _bracketed(t):
            out += [x.norm for x in tokenize(t.text[1:-1]) if not is_punctuation(x.norm)]
        elif not is_punctuation(t.norm):
            out.append(t.norm)
    return out


def classify(readings: Sequence[Sequence[Token]]) -> str:
    """The variant type of a place (see :data:`VARIANT_TYPES`), from the readings' tokens."""
    words = [[t for t in r if not is_punctuation(t.norm) or _bracketed(t)] for r in readings]
    if any(words):
        # A reading that is only an editor's bracketed insertion ([member], [...])
        # makes the place editorial, whatever the others have there; so do
        # readings that are the same words but for brackets ([last]/(last)/last).
        if any(r and all(_bracketed(t) for t in r) for r in words):
            return "editorial"
        if any(_bracketed(t) for r in words for t in r):
            bare = [_unbracketed(r) for r in readings]
            if all(b == bare[0] for b in bare):
                return "editorial"
            plain = [[t.norm for t in r if not _bracketed(t)] for r in words]
            if all(p == plain[0] for p in plain):
                return "editorial"
    if not any(words):
        return "punctuation"
    if not all(words):
        # Words in some readings, none (or only punctuation) in others.
        return "gap"
    # Each reading against the first (the base's, where there is one): a star,
    # not every pair, so that a place of many witnesses costs one comparison a
    # witness. The strongest difference of a place shows against the base.
    pairs = [(words[0], b) for b in words[1:]]
    # Readings that each leave out some words of one fuller reading differ only
    # by gaps: compare them with it, not with each other ("then" against
    # "without the help of all our states" is two omissions, not a substitution).
    plain = [[_plain(w) for t in r for w in _expand(t.text)] for r in words]
    for full, fp in zip(words, plain):
        if len(words) > 2 and all(_subsequence(p, fp) for p in plain):
            pairs = [(full, r) for r in words if r is not full]
            break
    return max((_pair(a, b) for a, b in pairs), key=_RANK.index, default="punctuation")


def collate_unit(unit: Unit, segmentations: dict[str, Segmentation], settings: Settings) -> tuple[Piece, ...]:
    """The pieces of one unit: shared text and places of variation, in base order."""
    # Only the witnesses present take part: a witness with nothing in the unit is
    # absent from all of it (one place), not from each word.
    sigla = list(unit.witnesses_present()) or list(unit.sentences)
    tokens: dict[str, list[Token]] = {}
    for sigil in sigla:
        seg = segmentations[sigil]
        tokens[sigil] = [t for i in unit.sentences[sigil] for t in tokenize(seg.sentences[i].text, seg.sentences[i].start)]
    if unit.kind == "label":
        return in_order(_label_pieces(sigla, tokens, {s: segmentations[s].witness.text for s in sigla}), sigla)
    base_sigil = next((s for s in sigla if tokens[s]), sigla[0])
    base = tokens[base_sigil]
    text = {s: segmentations[s].witness.text for s in sigla}
    cuts: dict[str, tuple[list[int], list[int]]] = {base_sigil: (list(range(len(base) + 1)), list(range(len(base) + 1)))}
    all_regions = []
    for sigil in sigla:
        if sigil == base_sigil:
            continue
        regions, lo, hi = _regions(base, tokens[sigil], settings.token_threshold)
        all_regions.append(regions)
        cuts[sigil] = (lo, hi)

    spans = _spans(all_regions)
    # Columns outside the spans agree in matching form; if their spelling differs
    # they still are variants (case, punctuation marks, quotes).
    in_span = set()
    for s, e in spans:
        in_span.update(range(s, e))
    def spaced(sigil: str, index: int) -> bool | None:
        # Whether the witness has whitespace before its token; unknown (None)
        # at the unit's start, where nothing of this witness precedes it.
        if index == 0:
            return None
        start = tokens[sigil][index].start
        return text[sigil][start - 1].isspace()

    for k in range(len(base)):
        if k in in_span:
            continue
        forms = {tokens[s][cuts[s][1][k]].text for s in sigla}
        spaces = {spaced(s, cuts[s][1][k]) for s in sigla} - {None}
        if len(forms) > 1 or len(spaces) > 1:
            spans.append((k, k + 1))
    spans.sort(key=lambda se: (se[0], se[1] != se[0], se[1]))

    def reading(sigil: str, s: int, e: int, lead: bool = False, tail: bool = False) -> tuple[int, int]:
        # Tokens of base positions s..e; with ``lead``/``tail``, also what the
        # witness inserts before s / before e (a place joined with an insertion point).
        lo, hi = cuts[sigil]
        if s == e:
            return lo[s], hi[s]
        return (lo[s] if lead else hi[s]), (hi[e] if tail else lo[e])

    pieces: list[Piece] = []
    pos = 0

    def shared(upto: int) -> None:
        if upto > pos:
            # Every witness that has something before agrees on the space (checked above).
            lead = any(spaced(s, cuts[s][1][pos]) for s in sigla)
            pieces.append(Text(surface(base[pos:upto], text[base_sigil]), lead))

    def app(s: int, e: int, head: bool = False, tail: bool = False) -> tuple[App, dict[str, list[Token]]]:
        per_witness: dict[str, list[Token]] = {}
        leads: dict[str, bool | None] = {}
        for sig in sigla:
            i, j = reading(sig, s, e, head, tail)
            own = per_witness[sig] = tokens[sig][i:j]
            leads[sig] = spaced(sig, i) if own else False
        # A witness's first words in the unit have no space of their own (None):
        # they take the others' (the space before a unit is the unit's), so that
        # the space can stand before the <app>, where viewers keep it.
        unknown = any(lead for lead in leads.values())
        groups: dict[tuple[str, bool], list[str]] = {}
        for sig in sigla:
            lead = unknown if leads[sig] is None else bool(leads[sig])
            groups.setdefault((surface(per_witness[sig], text[sig]), lead), []).append(sig)
        readings = tuple(Reading(tuple(w), t, lead) for (t, lead), w in groups.items())
        return App(readings, classify([per_witness[w[0]] for w in groups.values()])), per_witness

    last: tuple[int, int] | None = None
    opens_with_insertion = False
    for s, e in spans:
        place = None
        if last is not None and pos == s and (s > last[0] or opens_with_insertion):
            # Adjacent places of the same kind read better as one (three case
            # variants in a row are one "collective security treaty"); so do
            # brackets and what they enclose ("(last)" against "[last]").
            joined, _ = app(last[0], e, head=opens_with_insertion, tail=s == e)
            previous = pieces[-1]
            place = app(s, e)[0]
            kinds = {previous.type, place.type} if isinstance(previous, App) else set()
            if kinds == {joined.type} or (joined.type == "editorial" and kinds <= {"editorial", "punctuation"}):
                pieces[-1] = joined
                last, pos = (last[0], e), e
                continue
        shared(s)
        pieces.append(place or app(s, e)[0])
        last, pos = (s, e), e
        opens_with_insertion = s == e
    shared(len(base))
    # In a unit some witnesses lack, each shared piece becomes a place for them
    # (align.tei.write.flat_pieces): a full stop must not be a place of its own.
    return in_order(whole_words(pieces, stops=bool(unit.absent())), sigla)


def collate_by_language(unit: Unit, segmentations: dict[str, Segmentation], settings: Settings) -> tuple[Piece, ...]:
    """The pieces of a unit whose witnesses are in several languages: the witnesses
    of each language collated among themselves (:func:`collate_unit`), one
    language after the other in witness order (the source first). A language's
    shared text is a place of type ``language`` where the other languages' witnesses
    read nothing; its places of variation get an empty reading for them."""
    present = unit.witnesses_present()
    language = {s: segmentations[s].witness.lang for s in present}
    order = list(dict.fromkeys(language[s] for s in present))
    if len(order) < 2:
        return collate_unit(unit, segmentations, settings)
    out: list[Piece] = []
    for lang in order:
        own = tuple(s for s in present if language[s] == lang)
        others = tuple(s for s in present if language[s] != lang)
        part = Unit(unit.n, unit.kind, {s: (idx if s in own else ()) for s, idx in unit.sentences.items()},
                    unit.confidence, part=unit.part)
        out.extend(reading_nothing(piece, own, others, "language") for piece in collate_unit(part, segmentations, settings))
    return in_order(out, list(unit.sentences))


def reading_nothing(piece: Piece, present: tuple[str, ...], others: tuple[str, ...], kind: str) -> App:
    """``piece`` of the witnesses ``present`` as a place where ``others`` read nothing:
    shared text becomes a place of type ``kind``; a place of variation gives them
    its empty reading (or one of their own)."""
    if isinstance(piece, Text):
        return App((Reading(present, piece.text, piece.space), Reading(others, "")), kind)
    readings = list(piece.readings)
    empty = next((k for k, r in enumerate(readings) if not r.text), None)
    if empty is None:
        readings.append(Reading(others, ""))
    else:
        readings[empty] = Reading(readings[empty].wits + others, "", readings[empty].space)
    return App(tuple(readings), piece.type)


def in_order(pieces: Sequence[Piece], sigla: Sequence[str]) -> tuple[Piece, ...]:
    """Each place's readings in witness order (the reading of the earliest
    witness first, each reading's witnesses in order): one canonical form, which
    the TEI gives back whatever order it writes them in."""
    rank = {s: k for k, s in enumerate(sigla)}
    out: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, App):
            readings = [Reading(tuple(sorted(r.wits, key=rank.__getitem__)), r.text, r.space) for r in piece.readings]
            piece = App(tuple(sorted(readings, key=lambda r: rank[r.wits[0]])), piece.type)
        out.append(piece)
    return tuple(out)


def whole_words(pieces: Sequence[Piece], stops: bool = False) -> tuple[Piece, ...]:
    """Places with a reading that goes on from the word before without a space
    (``,`` against `` and``, ``.`` against ``?``) take in what comes before: the
    shared word (``forces,`` against ``forces and``) or the place before, joined
    into one. Every reading then starts with a word, after a space that can
    stand before the place (viewers drop a reading's own leading space and would
    glue ``forcesand``; EVT 2 puts a space before every reading, TEI-CAT prints
    no lemma that is only punctuation). A place some
    witnesses lack, followed by what sticks to the word before (``appeal`` /
    `` was received`` / ``,``), first takes in what follows, so that no
    space stands before the comma of the witnesses that lack it."""
    rest = list(pieces)
    out: list[Piece] = []
    k = 0
    while k < len(rest):
        piece = rest[k]
        k += 1
        if isinstance(piece, App) and k < len(rest) and _lacking_before_unspaced(piece, rest[k]):
            after = rest[k]
            if isinstance(after, App):
                rest[k] = joined(piece, after)
                continue
            word, _, tail = after.text.partition(" ")
            piece = App(tuple(Reading(r.wits, r.text + word, r.space if r.text else False)
                              for r in piece.readings), piece.type)
            if tail:
                rest[k] = Text(tail, True)
            else:
                k += 1
        while isinstance(piece, App) and _attached(piece) and out:
            before = out.pop()
            if isinstance(before, App):
                piece = joined(before, piece)
                continue
            head, _, word = before.text.rpartition(" ")
            if head:
                out.append(Text(head, before.space))
            space = True if head else before.space
            piece = App(tuple(Reading(r.wits, word + r.written(), space) for r in piece.readings), piece.type)
        if stops and isinstance(piece, Text) and not piece.space and out and isinstance(out[-1], App) \
                and all(r.text for r in out[-1].readings):
            # With ``stops``, what sticks to a place's last word (its full stop)
            # goes with it: "nonsense." / "stupidity.", so that a witness lacking
            # the unit lacks one place there, not a place and a full stop.
            word, _, after = piece.text.partition(" ")
            before = out.pop()
            out.append(App(tuple(Reading(r.wits, r.text + word, r.space) for r in before.readings), before.type))
            if not after:
                continue
            piece = Text(after, True)
        out.append(piece)
    return tuple(out)


def _lacking_before_unspaced(app: App, after: Piece) -> bool:
    """Whether witnesses with nothing at ``app`` go on, right after, with no space."""
    if not any(r.space for r in app.readings if r.text):
        return False
    lacking = [w for r in app.readings if not r.text for w in r.wits]
    if isinstance(after, Text):
        return bool(lacking) and not after.space and bool(after.text)
    return any(after.reading_of(w).text and not after.reading_of(w).space for w in lacking)


def _attached(app: App) -> bool:
    """Whether a reading goes on from the word before without a space (``,``)."""
    return any(r.text and not r.space for r in app.readings)


def joined(first: App, second: App) -> App:
    """Two neighbouring places as one: each witness's two readings run together."""
    groups: dict[tuple[str, bool], list[str]] = {}
    # The space before the first place (its witnesses with words agree on it): a
    # witness with nothing there starts the joined place where the place starts,
    # so it has that space at most. A first place with no space before is at the
    # unit's head (whole_words gives any other the word before it), where a
    # witness's first words took the space the others have after that place.
    before = any(r.space for r in first.readings if r.text) or not any(r.text for r in first.readings)
    for reading in first.readings:
        for sigil in reading.wits:
            text = (reading.written() + second.written(sigil)).lstrip()
            space = reading.space if reading.text else second.reading_of(sigil).space and before
            groups.setdefault((text, bool(text) and space), []).append(sigil)
    # Editorial and speaker places are outside the ranking of differences; they stay what they are.
    kind = max((first.type, second.type), key=lambda t: _RANK.index(t) if t in _RANK else len(_RANK))
    return App(tuple(Reading(tuple(w), t, sp) for (t, sp), w in groups.items()), kind)


def _label_pieces(sigla: Sequence[str], tokens: dict[str, list[Token]], text: dict[str, str]) -> tuple[Piece, ...]:
    """A speaker label is structure, not text to collate word by word: the same
    label is shared text; labels in different styles (``Sputnik:``, ``—``,
    ``Secretary General:``) are one place typed ``speaker``, each witness's
    whole label one reading, so that no word of it counts as a variant."""
    groups: dict[str, list[str]] = {}
    for sigil in sigla:
        groups.setdefault(surface(tokens[sigil], text[sigil]), []).append(sigil)
    if len(groups) == 1:
        (label,) = groups
        return (Text(label),) if label else ()
    return (App(tuple(Reading(tuple(w), t) for t, w in groups.items()), "speaker"),)


def unit_type(unit: Unit, transpositions: Sequence[Transposition], absent: Sequence[str] = ()) -> str:
    """The type of the place a whole unit is, for the witnesses absent from it
    (``absent``: for these only): a transposition where its sentences are said
    at another place, a merge where a witness renders them within a
    neighbouring sentence, else a gap."""
    moved = _moved(transpositions)
    absent = set(absent or unit.absent())
    # Only a link to a witness absent here says where that witness has this text.
    kinds = {kind for s, idx in unit.sentences.items() for i in idx for kind, other in moved.get((s, i), ())
             if other in absent}
    return "transposition" if "transposition" in kinds else "merge" if "merge" in kinds else "gap"


# The sentences of a collation's transpositions, for the last tuple asked about:
# writers ask once a unit, and a set makes that one look-up a sentence, not a
# walk over every transposition (quadratic with many witnesses).
_MOVED_CACHE: tuple[object, dict[tuple[str, int], set[tuple[str, str]]]] = ((), {})


def _moved(transpositions: Sequence[Transposition]) -> dict[tuple[str, int], set[tuple[str, str]]]:
    """Each sentence of a transposition or merge, with the kinds and the other witnesses of its links."""
    global _MOVED_CACHE
    cached, moved = _MOVED_CACHE
    if cached is transpositions:
        return moved
    moved = {}
    for t in transpositions:
        for s, idx in t.sentences.items():
            other = t.later if s == t.earlier else t.earlier
            for i in idx:
                moved.setdefault((s, i), set()).add((t.kind, other))
    if isinstance(transpositions, tuple):  # a list may change; a tuple is the collation's own
        _MOVED_CACHE = (transpositions, moved)
    return moved
