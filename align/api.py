"""The library's entry points: the stages chained, read -> segment -> align -> collate."""

from __future__ import annotations

import os
import warnings
from dataclasses import replace
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from ._version import __version__
from .errors import (DuplicateSigilError, InvalidSigilError, LanguageWarning, SettingsError, TooFewWitnessesError, TooManyWitnessesError, UnknownWitnessError,
                     UnrelatedWitnessError, UnrelatedWitnessWarning)
from .model import Collation, Description, Segmentation, Settings, Transposition, Unit, Witness
from .readers import check_sigil, read_witnesses, witness_from_text
from .readers.base import MAX_WITNESSES, Budget
from .readers.descriptions import describe, description as as_description, in_order
from .segment import segment
from .sentences import Pairing, align_sentences, find_transpositions, set_apart, shared_sentences
from .sentences.furniture import dissolve_weak_edges, dissolve_furniture_links, furniture_like
from .sentences.related import rendering_edges, rescue, split_out, unrelated_witnesses
from .lang import LANGUAGES, check as check_language, detect as detect_language
from .words import collate_by_language
from .tei.ids import clash

WitnessLike = Union[Witness, str, "os.PathLike[str]"]

# Below this best sentence similarity a witness is taken to share nothing at all
# with the others (a different text, a different language): that is an error.
# Above it but with no sentence linked, it shares "almost nothing" (a different
# interview on the same topic): a warning, and it is kept unpaired.
NOTHING_SHARED = 0.3

# How unrelated witnesses are handled (see collate()).
ON_UNRELATED = ("warn", "error")


def load(
    source: WitnessLike, sigil: Optional[str] = None, format: Optional[str] = None, budget: Optional[Budget] = None
) -> list[Witness]:
    """Read one source: a :class:`Witness` as it is, a path (``-`` for stdin).
    ``budget``: what is left of the size limit of the whole collation."""
    if isinstance(source, Witness):
        if budget is not None:
            budget.take(len(source.text.encode("utf-8")), source.source)
        return [source if sigil is None else replace(source, sigil=check_sigil(sigil))]
    return read_witnesses(source, sigil=sigil, format=format, budget=budget)


def witness(text: str, sigil: str, source: str = "<string>", description: Optional[Description] = None,
            lang: str = "") -> Witness:
    """A witness from a string (entities repaired, like files); ``lang`` its
    language (ISO 639-1, e.g. ``"ru"``; "" to detect it)."""
    w = witness_from_text(text, sigil, source)
    if description is not None and not isinstance(description, Description):
        description = as_description(description, f"the description of {sigil!r}")
    w = replace(w, description=description) if description else w
    return replace(w, lang=lang) if lang else w


def _clear_of_ids(witnesses: list[Witness], chosen: set[str]) -> list[Witness]:
    """The witnesses with sigla that take none of the TEI's other ids (see
    :func:`align.tei.ids.clash`): a chosen sigil is refused, a sigil made from a
    file's name (``unit2.txt``) gets ``w_`` before it."""
    out = list(witnesses)
    for k, w in enumerate(out):
        sigla = [x.sigil for x in out]
        why = clash(w.sigil, sigla)
        if why is None:
            continue
        if w.sigil in chosen:
            raise InvalidSigilError(f"sigil {w.sigil!r} is the id align gives {why} in the TEI; choose another")
        sigil = "w_" + w.sigil
        while sigil in sigla or clash(sigil, sigla):
            sigil = "w_" + sigil
        out[k] = replace(w, sigil=sigil)
    return out


def _unique(witnesses: list[Witness]) -> list[Witness]:
    """Sigla made distinct: a repeated one gets -2, -3, ... (the first number no
    witness has, before or after it: a, a-2, a reads a, a-2, a-3)."""
    taken = {w.sigil for w in witnesses}
    seen: set[str] = set()
    out = []
    for w in witnesses:
        if w.sigil in seen:
            k = 2
            while f"{w.sigil}-{k}" in taken:
                k += 1
            w = replace(w, sigil=f"{w.sigil}-{k}")
            taken.add(w.sigil)
        seen.add(w.sigil)
        out.append(w)
    return out


def collate(
    sources: Iterable[WitnessLike],
    sigla: Optional[Sequence[str]] = None,
    settings: Optional[Settings] = None,
    format: Optional[str] = None,
    on_unrelated: str = "warn",
    descriptions: Union[Sequence[Any], Mapping[str, Any], None] = None,
    languages: Union[Sequence[str], Mapping[str, str], None] = None,
) -> Collation:
    """Collate witnesses (paths, ``Witness`` objects) into a :class:`Collation`.

    ``sigla`` names the witnesses in order, the first ``len(sigla)`` of them
    (else file stems, or the ids in a CollateX JSON file, make valid ``xml:id`` s). A witness that links no sentence with the others is kept
    unpaired with an :class:`UnrelatedWitnessWarning` (``on_unrelated="warn"``)
    or refused (``"error"``); one that shares nothing at all is always refused
    with :class:`UnrelatedWitnessError`.

    ``descriptions`` (title, publisher, date, url: a :class:`Description` or a
    dict) go into the TEI's ``<witness>``: in witness order, or a mapping from
    sigil or file name to description (see :mod:`align.readers.descriptions`).

    ``languages`` (ISO 639-1 codes: en, ru, de, fr, es) in witness order or by
    sigil; a witness with none declared (here or in ``Witness.lang``) has its
    language detected. Witnesses in several languages are aligned to the source
    (``Settings.source``, else the first witness): each sentence of a
    translation is linked to the source sentences it renders, and witnesses in
    one language are collated word by word among themselves (see
    :func:`align.words.collate_by_language`).
    """
    if isinstance(sources, (str, bytes, os.PathLike)) or not isinstance(sources, Iterable):
        raise SettingsError(f"collate() takes a list of witnesses (paths or Witness objects), not {sources!r}")
    if isinstance(sigla, (str, bytes)) or (sigla is not None and not all(isinstance(s, str) for s in sigla)):
        raise SettingsError(f"sigla must be a list of names, one per witness, not {sigla!r}")
    if on_unrelated not in ON_UNRELATED:
        raise SettingsError(f"on_unrelated must be one of {', '.join(ON_UNRELATED)}, not {on_unrelated!r}")
    if settings is not None and not isinstance(settings, Settings):
        raise SettingsError(f"settings must be an align.Settings, not {type(settings).__name__}")
    if isinstance(descriptions, (str, bytes)) or (
            descriptions is not None and not isinstance(descriptions, Mapping)
            and not all(d is None or isinstance(d, (Description, Mapping)) for d in descriptions)):
        raise SettingsError("descriptions must be a list of align.model.Description (or dicts, or None), "
                            "or a mapping from sigil or file name to one")
    sources = list(sources)
    if len(sources) > MAX_WITNESSES:
        raise TooManyWitnessesError(f"{len(sources)} witnesses: align collates at most {MAX_WITNESSES} at once")
    if sum(1 for source in sources if isinstance(source, (str, bytes, os.PathLike)) and os.fsdecode(source) == "-") > 1:
        raise SettingsError("standard input (-) is given twice: it can be read only once")
    budget = Budget()  # the limit of the witnesses together (align.readers.base.MAX_TOTAL_BYTES)
    witnesses: list[Witness] = [w for source in sources for w in load(source, format=format, budget=budget)]
    # Sigla the caller chose (Witness objects, ``sigla``) are refused if they take
    # one of align's own ids; sigla made from file names are renamed.
    chosen = {source.sigil for source in sources if isinstance(source, Witness)} | set(sigla or ())
    if len(witnesses) > MAX_WITNESSES:
        raise TooManyWitnessesError(f"{len(witnesses)} witnesses: align collates at most {MAX_WITNESSES} at once")
    if sigla:
        # Sigla name witnesses, not files: a CollateX JSON file may hold several.
        if len(sigla) > len(witnesses):
            raise TooFewWitnessesError(f"{len(sigla)} sigla given for {len(witnesses)} witnesses")
        if len(set(sigla)) != len(sigla):
            raise DuplicateSigilError(f"the same sigil is given twice: {', '.join(sigla)}")
        witnesses = [replace(w, sigil=check_sigil(s)) for w, s in zip(witnesses, sigla)] + witnesses[len(sigla):]
    else:
        witnesses = _unique(witnesses)
    witnesses = _clear_of_ids(witnesses, chosen)
    if isinstance(descriptions, Mapping):
        rows = [{"sigil": k, "file": k, **vars(d if isinstance(d, Description) else as_description(d, f"the description of {k!r}"))}
                for k, d in descriptions.items()]
        witnesses = describe(witnesses, rows)
    elif descriptions:
        witnesses = in_order(witnesses, list(descriptions))
    settings = replace(settings or Settings(), version=__version__)
    if len(witnesses) < 2:
        raise TooFewWitnessesError("a collation needs at least two witnesses")
    witnesses = _with_languages(witnesses, languages)
    spoken = {w.lang for w in witnesses}
    mixed = len(spoken) > 1
    if not mixed and settings.language == Settings.language:
        # Witnesses all in one language other than English: its stop words and
        # stemmer for relatedness, furniture and transpositions, and the signature says so.
        settings = replace(settings, language=LANGUAGES[next(iter(spoken))])
    # The source leads (the translations are aligned to it); the base leads (units
    # follow its order, its readings are the lemmata).
    for role, sigil in (("source", settings.source), ("base", settings.base)):
        if sigil:
            found = [w for w in witnesses if w.sigil == sigil]
            if not found:
                raise UnknownWitnessError(
                    f"no witness {sigil!r} to use as the {role} (witnesses: {', '.join(w.sigil for w in witnesses)})")
            witnesses = found + [w for w in witnesses if w.sigil != sigil]
    if len({w.sigil for w in witnesses}) != len(witnesses):
        raise DuplicateSigilError("two witnesses have the same sigil; give distinct ones")
    segmentations = [segment(w) for w in witnesses]
    units, summaries, merges = align_sentences(segmentations, settings)
    if mixed:
        # Relatedness and boilerplate are judged by shared words, which witnesses
        # in two languages do not have: only a witness that links nothing is reported.
        _report_unlinked(units, segmentations, settings, on_unrelated)
    else:
        units = _check_related(units, segmentations, settings, on_unrelated)
    by_sigil = {s.witness.sigil: s for s in segmentations}
    # A summary stands where both its witnesses still link (an unrelated witness links nothing).
    linking = _linked(units)
    summaries = [p for p in summaries if set(p[0]) <= linking]
    pairings = find_transpositions(units, segmentations, settings)

    def key(pairing: Pairing) -> tuple:
        return tuple(sorted(pairing[0].items()))

    known = {key(p) for p in pairings}
    pairings += [p for p in summaries if key(p) not in known]
    known |= {key(p) for p in summaries}
    merged = [p for p in merges if set(p[0]) <= linking and key(p) not in known]
    pairings, also = _same_merges(pairings, merged, units)
    units, transpositions = _place(units, pairings, by_sigil, settings, merged + also)
    # Each language's witnesses among themselves (one language: collate_unit itself).
    units = [replace(u, pieces=collate_by_language(u, by_sigil, settings)) for u in units]
    return Collation(tuple(witnesses), by_sigil, tuple(units), settings, tuple(transpositions))


def _with_languages(witnesses: list[Witness], languages: Union[Sequence[str], Mapping[str, str], None]) -> list[Witness]:
    """Each witness with its language: given (in order or by sigil), its own, or
    detected; a detected language that makes the collation one of several
    languages is said in a :class:`LanguageWarning` (declare it to silence it)."""
    if languages is None:
        given: dict[str, str] = {}
    elif isinstance(languages, Mapping):
        if not all(isinstance(k, str) for k in languages):
            raise SettingsError(f"languages must map sigla to language codes, not {languages!r}")
        unknown = set(languages) - {w.sigil for w in witnesses}
        if unknown:
            raise UnknownWitnessError(f"languages name no witness {', '.join(sorted(unknown))!r} "
                                      f"(witnesses: {', '.join(w.sigil for w in witnesses)})")
        given = dict(languages)
    elif isinstance(languages, (str, bytes, set, frozenset)) or not isinstance(languages, Iterable):
        raise SettingsError(f"languages must be a list of language codes in witness order, or a mapping "
                            f"from sigil to code, not {languages!r}")
    else:
        listed = list(languages)
        if not all(isinstance(x, str) for x in listed):
            raise SettingsError(f"languages must be a list of language codes, one per witness, not {listed!r}")
        if len(listed) > len(witnesses):
            raise SettingsError(f"{len(listed)} languages given for {len(witnesses)} witnesses")
        given = {w.sigil: x for w, x in zip(witnesses, listed)}
    out, detected = [], []
    for w in witnesses:
        declared = given.get(w.sigil) or w.lang
        if declared:
            out.append(replace(w, lang=check_language(declared)))
        else:
            out.append(replace(w, lang=detect_language(w.text)))
            detected.append(out[-1])
    if len({w.lang for w in out}) > 1:
        for w in detected:
            warnings.warn(f"witness {w.sigil!r} was detected as {w.lang} ({LANGUAGES[w.lang]}): witnesses in "
                          "several languages are aligned across languages; declare the languages (--lang, "
                          "languages=) if that is wrong", LanguageWarning, stacklevel=3)
    return out


def _report_unlinked(
    units: Sequence[Unit], segmentations: Sequence[Segmentation], settings: Settings, on_unrelated: str
) -> None:
    """Witnesses in several languages: warn of (or refuse) a witness that links no
    sentence. One whose best sentence similarity to every witness in its own language
    is below NOTHING_SHARED shares nothing at all and is refused, as in one language;
    across languages nothing proves that (a translated sentence need share no word),
    so a witness with no partner in its language is kept with a warning. Where nobody
    links, the first witness is the reference."""
    from .clean import match_key
    from .scorers import get_scorer

    linked = _linked(units)
    scorer = get_scorer(settings.scorer)

    def keys(segs: Sequence[Segmentation]) -> list[str]:
        return [k for o in segs for k in (match_key(s.text) for s in o.sentences if s.kind == "sentence") if k]

    for seg in segmentations:
        if seg.witness.sigil in linked or (not linked and seg is segmentations[0]):
            continue
        same = [o for o in segmentations if o is not seg and o.witness.lang == seg.witness.lang]
        sims = scorer(keys([seg]), keys(same)) if same else None
        best = float(sims.max()) if sims is not None and sims.size else 0.0
        if (same and best < NOTHING_SHARED) or on_unrelated == "error":
            raise UnrelatedWitnessError(seg.witness.sigil, best)
        said = f"best sentence similarity in its language {best:.2f}" if same else "no witness in its language"
        warnings.warn(f"witness {seg.witness.sigil!r} links no sentence with the others ({said}); it is kept but "
                      "paired with nothing", UnrelatedWitnessWarning, stacklevel=3)


def _place(
    units: list[Unit], pairings: list[Pairing],
    segmentations: Optional[dict[str, Segmentation]] = None, settings: Optional[Settings] = None,
    merges: Sequence[Pairing] = (),
) -> tuple[list[Unit], list[Transposition]]:
    """Set leading and trailing material that renders nothing apart, put the units in
    document order (front, body, back) and number them; the pairings become
    transpositions and the merges transpositions of kind "merge", numbered
    together in the order of their later witness's place."""
    linked = shared_sentences(units)
    for sentences, _ in list(pairings) + list(merges):
        for sigil, idx in sentences.items():
            linked.setdefault(sigil, set()).update(idx)
    renders: dict[str, set[int]] = {}
    if segmentations is not None:
        # A headline or lead that paraphrases the text but links nothing is the text, not furniture.
        language = (settings or Settings()).language
        renders = rendering_edges(units, _keys(segmentations.values()), segmentations, linked, language)
    marked = set_apart(units, linked, renders)
    order = sorted(range(len(marked)), key=lambda u: (PARTS.index(marked[u].part), u))
    placed = [replace(marked[u], n=n) for n, u in enumerate(order, start=1)]
    home = {(s, i): u.n for u in placed for s, idx in u.sentences.items() for i in idx}

    def place(pairing) -> tuple:
        sentences = pairing[0]
        later = list(sentences)[-1]
        return (home[(later, sentences[later][0])], sorted(home[(s, i)] for s, idx in sentences.items() for i in idx))

    kinds = [(p, "transposition") for p in pairings] + [(p, "merge") for p in merges]
    transpositions = [
        Transposition(k, sentences, round(score, 3), kind)
        for k, ((sentences, score), kind) in enumerate(sorted(kinds, key=lambda pk: place(pk[0])), start=1)
    ]
    return placed, transpositions


def _same_merges(pairings: list[Pairing], merges: list[Pairing], units: Sequence[Unit]
                 ) -> tuple[list[Pairing], list[Pairing]]:
    """The pairings that are a merge seen from a witness aligned after it (one
    that keeps apart what the merge's sentence joins: the transposition search
    pairs them), apart from the others: (transpositions, merges)."""
    home = {(s, i): u for u, unit in enumerate(units) for s, idx in unit.sentences.items() for i in idx}
    beside: dict[tuple[str, int], set[int]] = {}
    for sentences, _ in merges:
        *others, joiner = sentences
        for j in sentences[joiner]:
            beside.setdefault((joiner, j), set()).update(home[(w, i)] for w in others for i in sentences[w])

    def merge(sentences: dict[str, tuple[int, ...]]) -> bool:
        (w, xs), (v, ys) = sentences.items()
        return any(all((s, i) in beside for i in a) and {home[(o, j)] for j in b} <= set().union(*(beside[(s, i)] for i in a))
                   for s, a, o, b in ((w, xs, v, ys), (v, ys, w, xs)))

    if not beside:
        return pairings, []
    merged = [merge(p[0]) for p in pairings]
    return [p for p, m in zip(pairings, merged) if not m], [p for p, m in zip(pairings, merged) if m]


PARTS = ("front", "body", "back")


def _keys(segmentations: Iterable[Segmentation]) -> dict[str, list[str]]:
    from .clean import match_key

    return {seg.witness.sigil: [match_key(s.text) for s in seg.sentences] for seg in segmentations}


def _linked(units: Sequence[Unit]) -> set[str]:
    """Witnesses that share a sentence unit with another."""
    return {s for s, idx in shared_sentences(units).items() if idx}


def _check_related(
    units: Sequence[Unit], segmentations: Sequence[Segmentation], settings: Settings, on_unrelated: str
) -> list[Unit]:
    """Judge every witness against the others after the alignment (see
    :mod:`align.sentences.related`) and return the units with boilerplate links
    dissolved, an unrelated witness's links removed (it links nothing, with a
    warning) and a related but unlinked witness (a short retelling) linked."""
    keys = _keys(segmentations)
    by_sigil = {seg.witness.sigil: seg for seg in segmentations}
    alone, pairs = unrelated_witnesses(keys, _linked(units), settings.language)
    out = list(units)
    for sigil in alone:
        out = split_out(out, sigil)
    # After the split: an unrelated page's boilerplate must not stretch the body it is judged against.
    out = dissolve_furniture_links(out, keys, settings.language)
    out = dissolve_weak_edges(out, keys, settings.language)
    linked = _linked(out)
    for sigil in [s for s in keys if s not in alone and s not in linked]:
        partners = [o for o in keys if o != sigil and o not in alone and pairs[(sigil, o)]]
        for other in partners[:1]:
            out = rescue(out, sigil, other, keys, by_sigil[sigil], settings.language)
    linked = _linked(out)
    for seg in [seg for seg in segmentations if seg.witness.sigil not in linked]:
        if not linked and seg is segmentations[0]:
            continue  # nobody links with anybody: the first witness is the reference, the others are at fault
        _refuse_or_warn(seg, segmentations, settings, on_unrelated)
    return out


def _refuse_or_warn(seg: Segmentation, segmentations: Sequence[Segmentation], settings: Settings, on_unrelated: str) -> None:
    from .clean import match_key
    from .scorers import get_scorer

    scorer = get_scorer(settings.scorer)
    sigil = seg.witness.sigil
    def content(segs: Sequence[Segmentation]) -> list[str]:
        # Boilerplate ("Go back", a date) that two pages share is no sharing of the text.
        found = [k for o in segs for k in (match_key(s.text) for s in o.sentences if s.kind == "sentence") if k]
        return [k for k in found if not furniture_like(k, settings.language)] or found

    mine = content([seg])
    others = content([o for o in segmentations if o is not seg])
    sims = scorer(mine, others)
    best = float(sims.max()) if sims.size else 0.0
    if best < NOTHING_SHARED or on_unrelated == "error":
        raise UnrelatedWitnessError(sigil, best)
    warnings.warn(
        f"witness {sigil!r} shares almost nothing with the others (best sentence similarity "
        f"{best:.2f}); it is kept but paired with nothing",
        UnrelatedWitnessWarning,
        stacklevel=4,
    )


def segment_file(source: WitnessLike, sigil: Optional[str] = None, format: Optional[str] = None,
                 lang: Optional[str] = None) -> list[Segmentation]:
    """Segment a source into turns and sentences (what ``align segment`` prints), in
    ``lang`` or the witness's own language, else the language detected."""
    witnesses = load(source, sigil=sigil, format=format)
    return [segment(w) for w in _with_languages(witnesses, [lang] * len(witnesses) if lang else None)]
